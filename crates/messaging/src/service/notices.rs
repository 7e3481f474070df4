//! SYS-06: the technical contact (and the optional extra address, the guide's §5.6 step 5) of
//! a system Digital Post cannot reach — its own retry schedule exhausted (CORE-03) — or that
//! leaves its messages uncollected for longer than [`UNCOLLECTED_AFTER`] is told, through the
//! mail outbox, **once per episode**: an episode is a row in `system_notices`, inserted with
//! "on conflict do nothing" so two instances tell once, and removed when the system is reached
//! (a delivery or notification succeeds) or collects again.

use adgang_core::ports::{ConnectedSystem, Mail, Mailer};
use adgang_core::sweep::Sweep;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{Ports, State};
use crate::entity::{message, system_notice};

/// How long a pull or publish-subscribe system may leave a message in its queue before its
/// contact is told (the same seven days a pushed message is retried).
pub const UNCOLLECTED_AFTER: Duration = Duration::days(7);

crate::wire_enum!(
    /// What is wrong with a system (`system_notices.kind`).
    Trouble {
        Unreachable => "unreachable",
        Uncollected => "uncollected",
    }
);

/// Opens an episode of `trouble` with `system` in the caller's transaction and, when it was not
/// open already, mails its contacts (`detail`: what happened, in Danish). Returns whether the
/// contacts were told.
pub async fn tell_once(
    db: &impl ConnectionTrait,
    mailer: &dyn Mailer,
    system: &ConnectedSystem,
    trouble: Trouble,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if !open_episode(db, &system.id, trouble, now).await? {
        return Ok(false);
    }
    let subject = match trouble {
        Trouble::Unreachable => format!("Digital Post kan ikke nå systemet {}", system.name),
        Trouble::Uncollected => format!("Systemet {} henter ikke sine meddelelser", system.name),
    };
    let body = format!(
        "{detail}\n\nSystem: {} (ID {})\nOrganisation: CVR {}\n\nVi skriver ikke igen om dette, \
         før Digital Post har nået systemet igen.\n",
        system.name, system.id, system.organisation_cvr
    );
    let addresses = std::iter::once(system.contact_email.as_str())
        .chain(system.extra_email.as_deref())
        .filter(|address| !address.trim().is_empty());
    for to in addresses {
        let mail = Mail {
            to: to.to_owned(),
            subject: subject.clone(),
            body: body.clone(),
        };
        mailer
            .send(db, mail, now)
            .await
            .map_err(|e| DbErr::Custom(format!("the notice to {to}: {e:#}")))?;
    }
    Ok(true)
}

/// Opens an episode of `trouble` with `system_id` unless one is open; whether this call did
/// ("on conflict do nothing": of two instances, one does).
async fn open_episode(
    db: &impl ConnectionTrait,
    system_id: &str,
    trouble: Trouble,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let opened = system_notice::Entity::insert(system_notice::ActiveModel {
        system_id: Set(system_id.to_owned()),
        kind: Set(trouble.as_str().to_owned()),
        opened_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([system_notice::Column::SystemId, system_notice::Column::Kind])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(opened == 1)
}

/// Ends the open episodes of `trouble` with `systems`: they were reached (or collected).
pub async fn reached(
    db: &impl ConnectionTrait,
    systems: &[&str],
    trouble: Trouble,
) -> Result<(), DbErr> {
    if systems.is_empty() {
        return Ok(());
    }
    system_notice::Entity::delete_many()
        .filter(system_notice::Column::SystemId.is_in(systems.iter().copied()))
        .filter(system_notice::Column::Kind.eq(trouble.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// The sweep that tells the contacts of systems leaving messages in their queue for longer than
/// [`UNCOLLECTED_AFTER`] (a pull or publish-subscribe system that never collects).
pub struct UncollectedMail {
    pub ports: Ports,
}

/// A system with a message queued too long: its id, the oldest such message's arrival, and the
/// system as it is now (`None` once deleted).
pub struct Uncollected {
    system_id: String,
    oldest: DateTime<Utc>,
    system: Option<ConnectedSystem>,
}

#[async_trait::async_trait]
impl Sweep for UncollectedMail {
    type Item = Uncollected;
    const WHAT: &'static str = "notices of uncollected mail";
    const JOB: &'static str = "uncollected_mail_notices";
    const BATCH: u64 = 100;

    async fn due(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Uncollected>> {
        // How long a message has waited: since it was queued (first delivery, or a fallback
        // to the primary); messages queued before that was kept, since they were accepted.
        let queued_since = || {
            Expr::expr(sea_orm::sea_query::Func::coalesce([
                Expr::col(message::Column::QueuedAt).into(),
                Expr::col(message::Column::AcceptedAt).into(),
            ]))
        };
        let too_long = now - UNCOLLECTED_AFTER;
        // An episode is over once nothing of the system has waited too long — collected, or
        // gone another way (recalled, moved, the system deleted).
        let still_waiting = sea_orm::sea_query::Query::select()
            .distinct()
            .column(message::Column::RecipientSystemId)
            .from(message::Entity)
            .and_where(Expr::col(message::Column::State).eq(State::Queued.as_str()))
            .and_where(queued_since().lt(too_long))
            .and_where(Expr::col(message::Column::RecipientSystemId).is_not_null())
            .to_owned();
        system_notice::Entity::delete_many()
            .filter(system_notice::Column::Kind.eq(Trouble::Uncollected.as_str()))
            .filter(system_notice::Column::SystemId.not_in_subquery(still_waiting))
            .exec(db)
            .await?;
        let told: Vec<String> = system_notice::Entity::find()
            .filter(system_notice::Column::Kind.eq(Trouble::Uncollected.as_str()))
            .select_only()
            .column(system_notice::Column::SystemId)
            .into_tuple()
            .all(db)
            .await?;
        // The systems with a message queued for too long, oldest first, not told yet.
        let waiting: Vec<(String, DateTime<Utc>)> = message::Entity::find()
            .filter(message::Column::State.eq(State::Queued.as_str()))
            .filter(queued_since().lt(too_long))
            .filter(message::Column::RecipientSystemId.is_not_null())
            .filter(message::Column::RecipientSystemId.is_not_in(told))
            .select_only()
            .column(message::Column::RecipientSystemId)
            .column_as(
                sea_orm::sea_query::SimpleExpr::from(sea_orm::sea_query::Func::min(queued_since())),
                "oldest",
            )
            .group_by(message::Column::RecipientSystemId)
            .order_by_asc(sea_orm::sea_query::SimpleExpr::from(
                sea_orm::sea_query::Func::min(queued_since()),
            ))
            .limit(Self::BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let mut due = Vec::with_capacity(waiting.len());
        for (system_id, oldest) in waiting {
            let system = self.ports.systems.system(db, &system_id, now).await?;
            due.push(Uncollected {
                system_id,
                oldest,
                system,
            });
        }
        Ok(due)
    }

    async fn end(
        &self,
        txn: &DatabaseTransaction,
        item: &Uncollected,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let Some(system) = &item.system else {
            // A deleted system has no one to tell: its episode is recorded as told, so it
            // does not come back first in every round.
            open_episode(txn, &item.system_id, Trouble::Uncollected, now).await?;
            return Ok(false);
        };
        let detail = format!(
            "Systemet har meddelelser i sin kø, som det ikke har hentet; den ældste har \
             ventet siden {} (dansk tid). Meddelelser hentes med GET \
             /api/v1/mailboxes/{}/system-fetches og kvitteres med POST.",
            adgang_core::time::copenhagen(item.oldest).format("%d.%m.%Y %H:%M"),
            system.id
        );
        let mailer = self.ports.mailer.as_ref();
        Ok(tell_once(txn, mailer, system, Trouble::Uncollected, &detail, now).await?)
    }
}
