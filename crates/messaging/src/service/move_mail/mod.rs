//! Move mail (SPEC §12, MV-01..04): an authority's mail lying in its platform mailboxes is
//! moved to its recipient systems through a contact point, as a background job.
//!
//! Exactly once, also across a crash and with several instances: the job row is leased by one
//! instance ([`MoveWorker`]); every batch is one transaction that **starts** by renewing that
//! lease (a write, so on PostgreSQL it holds the job row's lock and on SQLite the write lock
//! until commit), then moves up to [`MoveWorker::batch`] messages with a guarded update
//! (`route = 'platform'`), writes their `Flyttet` events and delivery jobs, and advances the
//! job's keyset cursor and counters. A crash loses at most the uncommitted batch, which the
//! next lease holder does again from the committed cursor.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use adgang_api_types::{
    ActionEvent, ConflictReason, FieldCode, MailMove, MailMoveState, MessageEvent,
    MoveContactPoint, MoveMode, MovePeriod, NewMailMove, Platform, Subject,
};
use adgang_core::audit::{record_action, record_message_events, ActionRecord, Actor, FieldChange};
use adgang_core::ports::ConnectedSystem;
use adgang_core::time::start_of_day;
use adgang_core::Lease;
use adgang_core::{Acting, Clock, Cvr, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::routing::{event_of, plan, point_system, system_of, Destination};
use super::{Ports, Route};
use crate::entity::{delivery_job, mail_move, message};
use crate::error::MessagingError;

/// The platforms a move empties, in the order it empties them.
const PLATFORMS: [Platform; 3] = [Platform::Virk, Platform::Eboks, Platform::MitDk];

fn mode_str(mode: MoveMode) -> &'static str {
    match mode {
        MoveMode::Chosen => "chosen",
        MoveMode::Tagged => "tagged",
        MoveMode::RecipientSystem => "recipient_system",
    }
}

fn parse_mode(s: &str) -> MoveMode {
    match s {
        "tagged" => MoveMode::Tagged,
        "recipient_system" => MoveMode::RecipientSystem,
        _ => MoveMode::Chosen,
    }
}

fn state_str(state: MailMoveState) -> &'static str {
    match state {
        MailMoveState::Waiting => "waiting",
        MailMoveState::Running => "running",
        MailMoveState::Completed => "completed",
        MailMoveState::Failed => "failed",
    }
}

fn parse_state(s: &str) -> MailMoveState {
    match s {
        "completed" => MailMoveState::Completed,
        "failed" => MailMoveState::Failed,
        "waiting" => MailMoveState::Waiting,
        _ => MailMoveState::Running,
    }
}

pub fn to_dto(row: mail_move::Model) -> MailMove {
    let period = match (row.period_from, row.period_to) {
        (Some(from), Some(to)) => Some(MovePeriod { from, to }),
        _ => None,
    };
    MailMove {
        id: row.id,
        state: parse_state(&row.state),
        period,
        mode: parse_mode(&row.mode),
        contact_point_id: row.contact_point_id,
        failover_contact_point_id: row.failover_point_id,
        system_id: row.system_id,
        total: u64::try_from(row.total).unwrap_or(0),
        moved: u64::try_from(row.moved).unwrap_or(0),
        moved_to_failover: u64::try_from(row.moved_to_failover).unwrap_or(0),
        failure: row.failure,
        created_by: row.created_by,
        created_by_name: row.created_by_name,
        system_name: row.system_name,
        created_at: row.created_at,
        finished_at: row.finished_at,
    }
}

/// The messages of `organisation` lying in `platform`'s mailbox within the move's range.
fn in_mailbox(job: &mail_move::Model, platform: Platform) -> sea_orm::Select<message::Entity> {
    let mut query = message::Entity::find()
        .filter(message::Column::RecipientId.eq(job.organisation_cvr.as_str()))
        .filter(message::Column::Platform.eq(platform.as_str()))
        .filter(message::Column::Route.eq(Route::Platform.as_str()))
        .filter(message::Column::AcceptedAt.lt(job.range_end));
    if let Some(start) = job.range_start {
        query = query.filter(message::Column::AcceptedAt.gte(start));
    }
    query
}

/// How many messages the move covers, in all the platforms' mailboxes.
async fn in_mailboxes(
    db: &impl ConnectionTrait,
    job: &mail_move::Model,
) -> Result<u64, MessagingError> {
    let mut total = 0;
    for platform in PLATFORMS {
        total += in_mailbox(job, platform).count(db).await?;
    }
    Ok(total)
}

/// MV-02: a contact point of the organisation that mail can be moved to — its system.
async fn usable_point(
    db: &impl ConnectionTrait,
    ports: &Ports,
    errors: &mut FieldErrors,
    organisation: &Cvr,
    field: &str,
    point_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), MessagingError> {
    let Some(point_id) = point_id.map(str::trim).filter(|id| !id.is_empty()) else {
        errors.add(field, FieldCode::Required, "Choose a contact point.");
        return Ok(());
    };
    if ports
        .points
        .point(db, organisation, point_id)
        .await?
        .is_none()
    {
        errors.add(
            field,
            FieldCode::Unknown,
            "Not a contact point of the organisation.",
        );
    } else if point_system(db, ports, organisation, point_id, now)
        .await?
        .is_none()
    {
        errors.add(
            field,
            FieldCode::InactiveContactPoint,
            "The contact point is not active or not bound to an active recipient system.",
        );
    }
    Ok(())
}

/// MV-01..03 ("Start flytning af post"): checks the order and creates the running move with
/// its actions-log row, in the caller's transaction. `check_tick`: the MV-03 tick is required
/// (a dry run of the earlier wizard steps leaves it out). 409 `move_mail_running` while
/// another move of the organisation runs (MV-04).
pub async fn start(
    db: &impl ConnectionTrait,
    ports: &Ports,
    acting: &Acting,
    order: &NewMailMove,
    check_tick: bool,
) -> Result<MailMove, MessagingError> {
    let now = acting.now;
    let mut errors = FieldErrors::new();
    match order.mode {
        MoveMode::Chosen => {
            usable_point(
                db,
                ports,
                &mut errors,
                &acting.organisation,
                "contactPointId",
                order.contact_point_id.as_deref(),
                now,
            )
            .await?
        }
        MoveMode::Tagged => {
            usable_point(
                db,
                ports,
                &mut errors,
                &acting.organisation,
                "failoverContactPointId",
                order.failover_contact_point_id.as_deref(),
                now,
            )
            .await?
        }
        MoveMode::RecipientSystem => errors.add(
            "mode",
            FieldCode::Invalid,
            "A move into a recipient system is ordered with the system (SYS-15).",
        ),
    }
    let mut range_end = now;
    let mut range_start = None;
    if let Some(period) = order.period {
        if period.to < period.from {
            errors.add(
                "period.to",
                FieldCode::PeriodReversed,
                "The period ends before it starts.",
            );
        }
        range_start = Some(start_of_day(period.from));
        if let Some(next) = period.to.succ_opt() {
            range_end = range_end.min(start_of_day(next));
        }
    }
    if check_tick && !order.confirm_deletion {
        errors.add(
            "confirmDeletion",
            FieldCode::MustConfirmDeletion,
            "Confirm that the mail is deleted from Virk, e-Boks and mit.dk.",
        );
    }
    if !errors.is_empty() {
        return Err(MessagingError::Validation(errors));
    }
    let (contact_point_id, failover_point_id) = match order.mode {
        MoveMode::Chosen => (order.contact_point_id.clone(), None),
        _ => (None, order.failover_contact_point_id.clone()),
    };
    create(
        db,
        acting,
        MailMoveState::Running,
        NewJob {
            period: order.period,
            range_start,
            range_end,
            mode: order.mode,
            contact_point_id,
            failover_point_id,
            system_id: None,
            system_name: None,
        },
    )
    .await
}

/// What a move covers and where it goes.
pub struct NewJob {
    pub period: Option<MovePeriod>,
    pub range_start: Option<DateTime<Utc>>,
    pub range_end: DateTime<Utc>,
    pub mode: MoveMode,
    pub contact_point_id: Option<String>,
    pub failover_point_id: Option<String>,
    pub system_id: Option<String>,
    /// The system's name, for the receipt.
    pub system_name: Option<String>,
}

/// Inserts the move — `Running` (counting what it will move), or `Waiting` for its system
/// (SYS-15) — and its actions-log row.
pub async fn create(
    db: &impl ConnectionTrait,
    acting: &Acting,
    state: MailMoveState,
    job: NewJob,
) -> Result<MailMove, MessagingError> {
    let organisation = acting.organisation.as_str();
    let mut row = mail_move::Model {
        id: uuid::Uuid::now_v7().to_string(),
        organisation_cvr: organisation.to_owned(),
        period_from: job.period.map(|p| p.from),
        period_to: job.period.map(|p| p.to),
        range_start: job.range_start,
        range_end: job.range_end,
        mode: mode_str(job.mode).to_owned(),
        contact_point_id: job.contact_point_id,
        failover_point_id: job.failover_point_id,
        system_id: job.system_id,
        state: state_str(state).to_owned(),
        total: 0,
        moved: 0,
        moved_to_failover: 0,
        cursor_platform: Some(Platform::Virk.as_str().to_owned()),
        cursor_at: None,
        cursor_id: None,
        failure: None,
        created_by: acting.actor.to_string(),
        created_by_name: Some(acting.approved_by.clone()),
        system_name: job.system_name,
        created_at: acting.now,
        finished_at: None,
        lease_owner: None,
        lease_until: None,
    };
    let total = if state == MailMoveState::Running {
        in_mailboxes(db, &row).await?
    } else {
        0
    };
    row.total = i64::try_from(total).unwrap_or(i64::MAX);
    let saved = mail_move::ActiveModel::from(row)
        .insert(db)
        .await
        .map_err(|err| match err.sql_err() {
            // A move of the organisation runs already (the partial unique index decides, also
            // for two employees at the same moment).
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                MessagingError::Conflict(ConflictReason::MoveMailRunning)
            }
            _ => err.into(),
        })?;
    let period_text = match job.period {
        Some(p) => format!(
            "{} – {}",
            p.from.format("%d-%m-%Y"),
            p.to.format("%d-%m-%Y")
        ),
        None => "Al post".to_owned(),
    };
    let mut changes = vec![
        FieldChange::new("period", None::<String>, Some(period_text)),
        FieldChange::new("mode", None::<String>, Some(mode_str(job.mode))),
        FieldChange::new("messages", None::<String>, Some(total)),
    ];
    for (field, value) in [
        ("contactPointId", &saved.contact_point_id),
        ("failoverContactPointId", &saved.failover_point_id),
        ("systemId", &saved.system_id),
    ] {
        if let Some(value) = value {
            changes.push(FieldChange::new(field, None::<String>, Some(value)));
        }
    }
    record_action(
        db,
        &acting.actor,
        acting.now,
        ActionRecord::on_object(
            acting.organisation.clone(),
            Subject::MoveMail,
            ActionEvent::Created,
            &saved.id,
            "Flyt post",
            changes,
        ),
    )
    .await?;
    Ok(to_dto(saved))
}

/// MV-01/02: the organisation's contact points, each saying whether mail can be moved to it.
pub async fn destinations(
    db: &impl ConnectionTrait,
    ports: &Ports,
    organisation: &Cvr,
    now: DateTime<Utc>,
) -> Result<Vec<MoveContactPoint>, MessagingError> {
    let mut found = Vec::new();
    for point in ports.points.points(db, organisation).await? {
        let usable = system_of(db, ports, &point, now).await?.is_some();
        found.push(MoveContactPoint {
            id: point.id,
            name: point.name,
            usable,
        });
    }
    Ok(found)
}

/// MV-04: one of the organisation's moves; `None` for another organisation's.
pub async fn find(
    db: &impl ConnectionTrait,
    organisation: &str,
    id: &str,
) -> Result<Option<MailMove>, MessagingError> {
    Ok(mail_move::Entity::find_by_id(id)
        .filter(mail_move::Column::OrganisationCvr.eq(organisation))
        .one(db)
        .await?
        .map(to_dto))
}

/// The organisation's latest moves, newest first.
/// How the moves can be ordered: by when they were ordered (the default, newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveSort {
    CreatedAt,
}

pub const MOVE_SORT: &[(&str, MoveSort)] = &[("createdAt", MoveSort::CreatedAt)];

/// MV-04: one page of the organisation's moves.
pub async fn list(
    db: &impl ConnectionTrait,
    organisation: &str,
    request: &adgang_core::pagination::PageRequest<MoveSort>,
) -> Result<adgang_api_types::Page<MailMove>, MessagingError> {
    let query =
        mail_move::Entity::find().filter(mail_move::Column::OrganisationCvr.eq(organisation));
    let MoveSort::CreatedAt = request.sort;
    Ok(adgang_core::pagination::page_shown(
        db,
        query,
        request,
        mail_move::Column::CreatedAt,
        mail_move::Column::Id,
        to_dto,
    )
    .await?)
}

/// SYS-15: the core's side of "move the Virk mail into the new system" (the systems module
/// orders it through this port when the system is created).
pub struct VirkMailMovesPort;

#[async_trait::async_trait]
impl adgang_core::ports::VirkMailMoves for VirkMailMovesPort {
    async fn order_into_system(
        &self,
        db: &dyn ConnectionTrait,
        organisation: &Cvr,
        actor: &Actor,
        ordered_by: &str,
        system: (&str, &str),
        now: DateTime<Utc>,
    ) -> Result<String, sea_orm::DbErr> {
        let (system_id, system_name) = system;
        let acting = Acting {
            organisation: organisation.clone(),
            actor: actor.clone(),
            actor_rid: actor.rid().unwrap_or_default().to_owned(),
            approved_by: ordered_by.to_owned(),
            now,
        };
        let job = NewJob {
            period: None,
            range_start: None,
            range_end: now,
            mode: MoveMode::RecipientSystem,
            contact_point_id: None,
            failover_point_id: None,
            system_id: Some(system_id.to_owned()),
            system_name: Some(system_name.to_owned()),
        };
        create(
            &adgang_core::ports::DynConnection(db),
            &acting,
            MailMoveState::Waiting,
            job,
        )
        .await
        .map(|made| made.id)
        .map_err(|err| sea_orm::DbErr::Custom(format!("ordering the Virk mail move: {err}")))
    }
}

mod worker;
pub use worker::MoveWorker;
