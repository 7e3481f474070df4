//! The move worker (MV-04): leases a running move, moves its mail in batches, one transaction
//! each, and finishes it — exactly once across crashes and instances (see the module above).

use super::*;
use adgang_core::Cvr;

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
        let organisation = Cvr::parse(&job.organisation_cvr)
            .map_err(|_| anyhow::anyhow!("the move's organisation is no CVR number"))?;

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
            events.push(event_of(
                &msg,
                organisation.as_str(),
                MessageEvent::Moved,
                now,
            ));
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
            ActionRecord::on_object(
                organisation,
                Subject::MoveMail,
                ActionEvent::Edited,
                &id,
                "Flyt post",
                changes,
            ),
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
