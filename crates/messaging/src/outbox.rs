//! The built-in SMS gateway and mailer: outboxes in the database, written in the caller's
//! transaction, which the test portal shows. Production wires real adapters behind the same
//! ports of `core`.

use adgang_core::ports::{
    DynConnection, Mail, MailboxEntry, Mailer, OutboxEntry, Sms, SmsGateway, TestMailboxes,
};
use adgang_core::{Cvr, Party};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{mail_outbox, message, sms_outbox};
use crate::service::State;

pub struct SmsOutbox;

#[async_trait::async_trait]
impl SmsGateway for SmsOutbox {
    async fn send(
        &self,
        db: &dyn ConnectionTrait,
        sms: Sms,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sms_outbox::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            recipient_cpr: Set(sms.recipient_cpr),
            text: Set(sms.text),
            reference: Set(sms.reference),
            sent_at: Set(at),
            phone: Set(sms.phone),
        }
        .insert(&DynConnection(db))
        .await?;
        Ok(())
    }
}

pub struct MailOutbox;

#[async_trait::async_trait]
impl Mailer for MailOutbox {
    async fn send(
        &self,
        db: &dyn ConnectionTrait,
        mail: Mail,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        mail_outbox::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            recipient: Set(mail.to),
            subject: Set(mail.subject),
            body: Set(mail.body),
            sent_at: Set(at),
            relayed_at: Set(None),
            relay_claimed_until: Set(None),
            relay_attempts: Set(0),
        }
        .insert(&DynConnection(db))
        .await?;
        Ok(())
    }
}

/// The platform mailboxes and outboxes as the test portal shows them.
pub struct TestMailboxesPort {
    pub db: DatabaseConnection,
}

const SHOWN: u64 = 50;

#[async_trait::async_trait]
impl TestMailboxes for TestMailboxesPort {
    async fn platform_mailbox(&self, recipient: &Party) -> Result<Vec<MailboxEntry>, DbErr> {
        Ok(message::Entity::find()
            .filter(message::Column::RecipientId.eq(recipient.as_str()))
            .filter(message::Column::Platform.is_not_null())
            .filter(message::Column::State.eq(State::Available.as_str()))
            .order_by_desc(message::Column::AcceptedAt)
            .limit(SHOWN)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| MailboxEntry {
                message_id: m.message_id,
                title: m.title,
                sender_cvr: m.sender_cvr,
                platform: m.platform.unwrap_or_default(),
                message_type: m.message_type,
                accepted_at: m.accepted_at,
                opened_at: m.opened_at,
            })
            .collect())
    }

    async fn open(
        &self,
        recipient: &Party,
        sender: &Cvr,
        message_id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let (recipient, sender) = (recipient.as_str(), sender.as_str());
        crate::service::served::opened(&self.db, recipient, sender, message_id, at)
            .await
            .map_err(|e| DbErr::Custom(format!("opening a message: {e:?}")))
    }

    async fn sms_outbox(&self) -> Result<Vec<OutboxEntry>, DbErr> {
        Ok(sms_outbox::Entity::find()
            .order_by_desc(sms_outbox::Column::SentAt)
            .limit(SHOWN)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| OutboxEntry {
                to: s.phone.unwrap_or(s.recipient_cpr),
                subject: s.reference,
                text: s.text,
                sent_at: s.sent_at,
            })
            .collect())
    }

    async fn mail_outbox(&self) -> Result<Vec<OutboxEntry>, DbErr> {
        Ok(mail_outbox::Entity::find()
            .order_by_desc(mail_outbox::Column::SentAt)
            .limit(SHOWN)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| OutboxEntry {
                to: m.recipient,
                subject: m.subject,
                text: m.body,
                sent_at: m.sent_at,
            })
            .collect())
    }
}

/// EX-01's unopened mail (core's [`adgang_core::ports::UnopenedMail`]): a message available in
/// the party's platform mailbox and not opened.
pub struct UnopenedMailPort;

#[async_trait::async_trait]
impl adgang_core::ports::UnopenedMail for UnopenedMailPort {
    async fn has_unopened_mail(
        &self,
        db: &dyn ConnectionTrait,
        party: &Party,
    ) -> Result<bool, DbErr> {
        use sea_orm::PaginatorTrait;
        let unopened = message::Entity::find()
            .filter(message::Column::RecipientId.eq(party.as_str()))
            .filter(message::Column::State.eq(State::Available.as_str()))
            .filter(message::Column::OpenedAt.is_null())
            .limit(1)
            .count(&DynConnection(db))
            .await?;
        Ok(unopened > 0)
    }
}
