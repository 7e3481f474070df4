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
    organisation: &str,
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
    let organisation = acting.organisation.as_str();
    let now = acting.now;
    let mut errors = FieldErrors::new();
    match order.mode {
        MoveMode::Chosen => {
            usable_point(
                db,
                ports,
                &mut errors,
                organisation,
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
                organisation,
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
        ActionRecord {
            organisation: acting.organisation.clone(),
            subject: Subject::MoveMail,
            event: ActionEvent::Created,
            party: None,
            object_id: Some(saved.id.clone()),
            object_name: Some("Flyt post".to_owned()),
            changes,
            reason: None,
            power_of_attorney: None,
        },
    )
    .await?;
    Ok(to_dto(saved))
}

/// MV-01/02: the organisation's contact points, each saying whether mail can be moved to it.
pub async fn destinations(
    db: &impl ConnectionTrait,
    ports: &Ports,
    organisation: &str,
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
pub async fn list(
    db: &impl ConnectionTrait,
    organisation: &str,
) -> Result<Vec<MailMove>, MessagingError> {
    Ok(mail_move::Entity::find()
        .filter(mail_move::Column::OrganisationCvr.eq(organisation))
        .order_by_desc(mail_move::Column::CreatedAt)
        .limit(20)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect())
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
        system_id: &str,
        now: DateTime<Utc>,
    ) -> Result<String, sea_orm::DbErr> {
        let acting = Acting {
            organisation: organisation.clone(),
            actor: actor.clone(),
            actor_rid: actor.rid().unwrap_or_default().to_owned(),
            approved_by: actor.to_string(),
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

/// Runs the moves (MV-04), on every instance.
#[derive(Clone)]
pub struct MoveWorker {
    pub db: DatabaseConnection,
    pub ports: Ports,
    pub clock: Arc<dyn Clock>,
    /// This instance's lease owner id.
    pub owner: String,
    /// How long a lease holds without renewal: after a crash, another instance (or the
    /// restarted one) takes the move over this long after the last batch.
    pub lease: Duration,
    /// Messages per transaction.
    pub batch: u64,
    /// Pause between looks for work.
    pub idle: Duration,
}

/// How a batch went.
#[derive(Debug, PartialEq, Eq)]
enum Batch {
    /// Moved this many; more may remain.
    Moved(u64),
    /// The move has finished (completed or failed).
    Finished,
    /// Another instance holds the move now.
    LeaseLost,
}

/// Where one message goes: the system, the point to record on it, and whether that is the
/// failover point.
type Target = (ConnectedSystem, Option<String>, bool);

impl MoveWorker {
    pub fn new(db: DatabaseConnection, ports: Ports, clock: Arc<dyn Clock>) -> MoveWorker {
        MoveWorker {
            db,
            ports,
            clock,
            owner: uuid::Uuid::now_v7().to_string(),
            lease: Duration::from_secs(15),
            batch: 500,
            idle: Duration::from_secs(1),
        }
    }

    /// How this worker leases moves (core's one claim primitive), named by `owner`.
    fn lease(&self) -> Lease<mail_move::Entity> {
        Lease {
            holder: self.owner.clone(),
            ..Lease::new(
                mail_move::Column::Id,
                mail_move::Column::LeaseUntil,
                Some(mail_move::Column::LeaseOwner),
                chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(15)),
            )
        }
    }

    /// Takes a running move nobody holds (never held, or its lease ran out).
    async fn claim(&self) -> Result<Option<String>, MessagingError> {
        let running =
            Condition::all().add(mail_move::Column::State.eq(state_str(MailMoveState::Running)));
        let claimed = self
            .lease()
            .claim(
                &self.db,
                self.clock.now(),
                running,
                mail_move::Column::CreatedAt,
                1,
                vec![],
            )
            .await?;
        Ok(claimed.into_iter().next().map(|taken| taken.id))
    }

    /// SYS-15: starts the moves waiting for a recipient system that is now active (covering
    /// the mail in the mailboxes at that moment); fails those whose system is gone.
    async fn start_waiting(&self) -> Result<(), MessagingError> {
        let now = self.clock.now();
        let waiting = mail_move::Entity::find()
            .filter(mail_move::Column::State.eq(state_str(MailMoveState::Waiting)))
            .order_by_asc(mail_move::Column::CreatedAt)
            .limit(20)
            .all(&self.db)
            .await?;
        for job in waiting {
            let system = match job.system_id.as_deref() {
                Some(id) => self.ports.systems.system(&self.db, id, now).await?,
                None => None,
            };
            let txn = self.db.begin().await?;
            match system {
                None => {
                    let gone = Some("Modtagersystemet findes ikke længere.".to_owned());
                    self.finish(&txn, job, MailMoveState::Failed, gone, now)
                        .await?;
                }
                Some(system) if system.is_active() && system.role.receives() => {
                    let mut started = job.clone();
                    started.range_end = now;
                    let total = in_mailboxes(&txn, &started).await?;
                    let begun = mail_move::Entity::update_many()
                        .col_expr(
                            mail_move::Column::State,
                            Expr::value(state_str(MailMoveState::Running)),
                        )
                        .col_expr(mail_move::Column::RangeEnd, Expr::value(now))
                        .col_expr(
                            mail_move::Column::Total,
                            Expr::value(i64::try_from(total).unwrap_or(i64::MAX)),
                        )
                        .filter(mail_move::Column::Id.eq(job.id.as_str()))
                        .filter(mail_move::Column::State.eq(state_str(MailMoveState::Waiting)))
                        .exec(&txn)
                        .await;
                    match begun {
                        Ok(_) => {}
                        // Another move of the organisation runs: this one waits for it.
                        Err(err)
                            if matches!(
                                err.sql_err(),
                                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                            ) =>
                        {
                            txn.rollback().await?;
                            continue;
                        }
                        Err(err) => return Err(err.into()),
                    }
                }
                Some(_) => {
                    txn.rollback().await?;
                    continue;
                }
            }
            txn.commit().await?;
        }
        Ok(())
    }

    /// Runs every claimable move to its end; returns how many messages this instance moved.
    pub async fn tick(&self) -> Result<u64, MessagingError> {
        self.start_waiting().await?;
        let mut moved = 0;
        while let Some(id) = self.claim().await? {
            while let Batch::Moved(n) = self.batch(&id).await? {
                moved += n;
            }
        }
        Ok(moved)
    }

    /// One batch of move `id`, in one transaction.
    async fn batch(&self, id: &str) -> Result<Batch, MessagingError> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        // Renew the lease first: a write, so this transaction holds the move until it commits.
        let renewed = mail_move::Entity::update_many()
            .col_expr(
                mail_move::Column::LeaseUntil,
                Expr::value(self.lease().end(now)),
            )
            .filter(self.lease().owned(id))
            .filter(mail_move::Column::State.eq(state_str(MailMoveState::Running)))
            .exec(&txn)
            .await?;
        if renewed.rows_affected == 0 {
            txn.rollback().await?;
            return Ok(Batch::LeaseLost);
        }
        let job = mail_move::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the move vanished"))?;
        let organisation = job.organisation_cvr.clone();

        // Where this batch's mail goes; a destination that stopped being usable fails the
        // move (what is moved stays moved, the rest stays in the mailboxes).
        let main = match parse_mode(&job.mode) {
            MoveMode::Chosen => match job.contact_point_id.as_deref() {
                Some(point) => point_system(&txn, &self.ports, &organisation, point, now).await?,
                None => None,
            },
            MoveMode::Tagged => match job.failover_point_id.as_deref() {
                Some(point) => point_system(&txn, &self.ports, &organisation, point, now).await?,
                None => None,
            },
            MoveMode::RecipientSystem => match job.system_id.as_deref() {
                Some(system) => self
                    .ports
                    .systems
                    .system(&txn, system, now)
                    .await?
                    .filter(|s| s.is_active() && s.role.receives()),
                None => None,
            },
        };
        let Some(main) = main else {
            self.finish(
                &txn,
                job,
                MailMoveState::Failed,
                Some("Modtagelsesstedet er ikke længere aktivt.".to_owned()),
                now,
            )
            .await?;
            txn.commit().await?;
            return Ok(Batch::Finished);
        };

        // The next messages after the cursor, platform by platform.
        let mut platform_index = PLATFORMS
            .iter()
            .position(|p| Some(p.as_str()) == job.cursor_platform.as_deref())
            .unwrap_or(0);
        let mut cursor = job.cursor_at.zip(job.cursor_id.clone());
        let messages = loop {
            let mut query = in_mailbox(&job, PLATFORMS[platform_index]);
            if let Some((at, last)) = &cursor {
                query = query.filter(
                    Condition::any()
                        .add(message::Column::AcceptedAt.gt(*at))
                        .add(
                            Condition::all()
                                .add(message::Column::AcceptedAt.eq(*at))
                                .add(message::Column::Id.gt(last.as_str())),
                        ),
                );
            }
            let found = query
                .order_by_asc(message::Column::AcceptedAt)
                .order_by_asc(message::Column::Id)
                .limit(self.batch)
                .all(&txn)
                .await?;
            if !found.is_empty() || platform_index + 1 == PLATFORMS.len() {
                break found;
            }
            platform_index += 1;
            cursor = None;
        };
        if messages.is_empty() {
            self.finish(&txn, job, MailMoveState::Completed, None, now)
                .await?;
            txn.commit().await?;
            return Ok(Batch::Finished);
        }

        let mode = parse_mode(&job.mode);
        let mut tagged: HashMap<String, Option<ConnectedSystem>> = HashMap::new();
        let mut jobs = Vec::new();
        let mut events = Vec::with_capacity(messages.len());
        let mut to_failover = 0i64;
        let count = messages.len();
        let last = messages.last().map(|m| (m.accepted_at, m.id.clone()));
        for mut msg in messages {
            let target: Target = match mode {
                MoveMode::Chosen => (main.clone(), job.contact_point_id.clone(), false),
                MoveMode::RecipientSystem => (main.clone(), msg.contact_point_id.clone(), false),
                MoveMode::Tagged => {
                    let own = match msg.contact_point_id.clone() {
                        Some(point) => {
                            if !tagged.contains_key(&point) {
                                let system =
                                    point_system(&txn, &self.ports, &organisation, &point, now)
                                        .await?;
                                tagged.insert(point.clone(), system);
                            }
                            tagged[&point].clone().map(|system| (system, Some(point)))
                        }
                        None => None,
                    };
                    match own {
                        Some((system, point)) => (system, point, false),
                        None => (main.clone(), job.failover_point_id.clone(), true),
                    }
                }
            };
            let (system, point, failover) = target;
            to_failover += i64::from(failover);
            let step = plan(&mut msg, &Destination::System(Box::new(system)), false, now);
            let taken = message::Entity::update_many()
                .col_expr(message::Column::Route, Expr::value(msg.route.clone()))
                .col_expr(message::Column::Platform, Expr::value(None::<String>))
                .col_expr(
                    message::Column::RecipientSystemId,
                    Expr::value(msg.recipient_system_id.clone()),
                )
                .col_expr(message::Column::ContactPointId, Expr::value(point.clone()))
                .col_expr(message::Column::State, Expr::value(msg.state.clone()))
                .col_expr(
                    message::Column::DeliveredAt,
                    Expr::value(None::<DateTime<Utc>>),
                )
                .filter(message::Column::Id.eq(msg.id.as_str()))
                .filter(message::Column::Route.eq(Route::Platform.as_str()))
                .exec(&txn)
                .await?;
            if taken.rows_affected != 1 {
                // Only this lease holder moves; anything else is a bug — keep nothing of it.
                txn.rollback().await?;
                return Err(anyhow::anyhow!("message {} was moved by someone else", msg.id).into());
            }
            msg.contact_point_id = point;
            events.push(event_of(&msg, &organisation, MessageEvent::Moved, now));
            if let Some(job) = step.job {
                jobs.push(job);
            }
        }
        if !jobs.is_empty() {
            delivery_job::Entity::insert_many(jobs)
                .exec_without_returning(&txn)
                .await?;
        }
        record_message_events(&txn, events).await?;
        let (cursor_at, cursor_id) = last.expect("a non-empty batch");
        mail_move::Entity::update_many()
            .col_expr(
                mail_move::Column::Moved,
                Expr::col(mail_move::Column::Moved).add(count as i64),
            )
            .col_expr(
                mail_move::Column::MovedToFailover,
                Expr::col(mail_move::Column::MovedToFailover).add(to_failover),
            )
            .col_expr(
                mail_move::Column::CursorPlatform,
                Expr::value(PLATFORMS[platform_index].as_str()),
            )
            .col_expr(mail_move::Column::CursorAt, Expr::value(cursor_at))
            .col_expr(mail_move::Column::CursorId, Expr::value(cursor_id))
            .filter(mail_move::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Batch::Moved(count as u64))
    }

    /// Ends move `job` as `state` (with the actor "System" in the actions log).
    async fn finish(
        &self,
        db: &impl ConnectionTrait,
        job: mail_move::Model,
        state: MailMoveState,
        failure: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), MessagingError> {
        let organisation = Cvr::parse(&job.organisation_cvr)
            .map_err(|_| anyhow::anyhow!("a move of a malformed CVR"))?;
        let mut changes = vec![
            FieldChange::new("state", Some(job.state.clone()), Some(state_str(state))),
            FieldChange::new("moved", None::<String>, Some(job.moved)),
        ];
        if let Some(why) = &failure {
            changes.push(FieldChange::new("failure", None::<String>, Some(why)));
        }
        let id = job.id.clone();
        let mut active: mail_move::ActiveModel = job.into();
        active.state = Set(state_str(state).to_owned());
        active.failure = Set(failure);
        active.finished_at = Set(Some(now));
        active.lease_owner = Set(None);
        active.lease_until = Set(None);
        active.update(db).await?;
        record_action(
            db,
            &Actor::System,
            now,
            ActionRecord {
                organisation,
                subject: Subject::MoveMail,
                event: ActionEvent::Edited,
                party: None,
                object_id: Some(id),
                object_name: Some("Flyt post".to_owned()),
                changes,
                reason: None,
                power_of_attorney: None,
            },
        )
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl adgang_core::Job for MoveWorker {
    fn name(&self) -> &'static str {
        "mail_moves"
    }

    fn schedule(&self) -> adgang_core::Schedule {
        adgang_core::Schedule {
            idle: self.idle,
            // A round runs every claimable move to its end: 100,000 messages take minutes.
            stale_after: self.idle + Duration::from_secs(60 * 60),
        }
    }

    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        let moved = self.tick().await.map_err(anyhow::Error::new)?;
        Ok(adgang_core::Round::idle_after(
            "mail_moves",
            moved,
            "mail moved",
        ))
    }
}
