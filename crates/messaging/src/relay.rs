//! Issue 18 item 6: e-mail through SMTP when a server is configured (`ADGANG_SMTP_URL`). The
//! built-in mailer still writes every e-mail to the outbox inside the transaction that sends it
//! (a notice goes out exactly when its change commits, and the test portal shows it); this job
//! hands the outbox to the SMTP server. Each e-mail is claimed for a while by a conditional
//! UPDATE before it is sent, so instances never send one at the same time; it is stamped
//! `relayed_at` once the server accepted it, and tried again after the claim when it was not.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use adgang_core::{Clock, Lease};
use chrono::Duration;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::mail_outbox::{self, Column};

/// E-mails sent per round at most.
const BATCH: u64 = 20;
/// After this many refused tries an e-mail stays in the outbox only.
pub const MAX_ATTEMPTS: i32 = 10;
/// E-mails older than this are not relayed (the outbox held them before SMTP was configured).
const MAX_AGE: Duration = Duration::days(1);

#[derive(Clone)]
pub struct MailRelay {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub transport: AsyncSmtpTransport<Tokio1Executor>,
    pub from: Mailbox,
    /// How long a claimed e-mail is this instance's; a send that failed is retried after it.
    pub claim: Duration,
    /// Pause between rounds.
    pub idle: StdDuration,
}

impl MailRelay {
    /// `url` as lettre reads it: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://user:pass@host:465`. `from`: `Administrativ Adgang <noreply@example.dk>`.
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        url: &str,
        from: &str,
    ) -> anyhow::Result<MailRelay> {
        Ok(MailRelay {
            db,
            clock,
            transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| anyhow::anyhow!("ADGANG_SMTP_URL: {e}"))?
                .timeout(Some(StdDuration::from_secs(30)))
                .build(),
            from: from
                .parse()
                .map_err(|e| anyhow::anyhow!("ADGANG_MAIL_FROM: {e}"))?,
            claim: Duration::minutes(2),
            idle: StdDuration::from_secs(5),
        })
    }

    fn message(&self, mail: &mail_outbox::Model) -> anyhow::Result<Message> {
        Ok(Message::builder()
            .from(self.from.clone())
            .to(mail.recipient.parse()?)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())?)
    }

    /// How e-mails are claimed (core's one claim primitive).
    fn lease(&self) -> Lease<mail_outbox::Entity> {
        Lease::new(Column::Id, Column::RelayClaimedUntil, None, self.claim)
    }

    /// One round; answers how many e-mails the SMTP server accepted.
    pub async fn tick(&self) -> anyhow::Result<u64> {
        let now = self.clock.now();
        let unsent = || {
            Condition::all()
                .add(Column::RelayedAt.is_null())
                .add(Column::SentAt.gte(now - MAX_AGE))
                .add(Column::RelayAttempts.lt(MAX_ATTEMPTS))
        };
        let due = mail_outbox::Entity::find()
            .filter(unsent())
            .filter(self.lease().free(now))
            .order_by_asc(Column::SentAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut relayed = 0;
        for mail in due {
            // One at a time: a claim lasts while this e-mail is sent, not the whole batch.
            let tried = vec![(
                Column::RelayAttempts,
                Expr::col(Column::RelayAttempts).add(1),
            )];
            let this = unsent().add(Column::Id.eq(&mail.id));
            let claimed = self
                .lease()
                .claim(&self.db, now, this, Column::SentAt, 1, tried)
                .await?;
            if claimed.is_empty() {
                continue; // another instance has it
            }
            let message = match self.message(&mail) {
                Ok(message) => message,
                Err(err) => {
                    // Never sendable (an address SMTP cannot take): kept in the outbox only.
                    tracing::error!(mail = %mail.id, error = %err, "e-mail cannot be relayed");
                    mail_outbox::Entity::update_many()
                        .col_expr(Column::RelayAttempts, Expr::value(MAX_ATTEMPTS))
                        .filter(Column::Id.eq(&mail.id))
                        .exec(&self.db)
                        .await?;
                    continue;
                }
            };
            match self.transport.send(message).await {
                Ok(_) => {
                    mail_outbox::Entity::update_many()
                        .col_expr(Column::RelayedAt, Expr::value(Some(self.clock.now())))
                        .filter(Column::Id.eq(&mail.id))
                        .exec(&self.db)
                        .await?;
                    relayed += 1;
                }
                Err(err) => {
                    tracing::warn!(mail = %mail.id, error = %err, "SMTP refused an e-mail; retried later")
                }
            }
        }
        Ok(relayed)
    }
}

#[async_trait::async_trait]
impl adgang_core::Job for MailRelay {
    fn name(&self) -> &'static str {
        "mail_relay"
    }

    fn schedule(&self) -> adgang_core::Schedule {
        adgang_core::Schedule {
            idle: self.idle,
            // A round sends up to BATCH e-mails, each within the SMTP timeout (30 s).
            stale_after: self.idle + StdDuration::from_secs(15 * 60),
        }
    }

    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        let relayed = self.tick().await?;
        Ok(adgang_core::Round::idle_after(
            "mail_relay",
            relayed,
            "e-mails relayed to SMTP",
        ))
    }
}
