//! The one way a job takes work so that no two instances do it (issue 30): a row is *leased* —
//! a column says until when it is held (NULL or past: free), optionally another says by whom.
//!
//! * [`Lease::claim`] leases up to N free rows that match the caller's condition, oldest first,
//!   in one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *` on
//!   PostgreSQL — instances claiming at once skip each other's rows instead of waiting — and
//!   under SQLite's single writer there; the outer UPDATE re-checks that each row is still
//!   free, so a row is never taken twice.
//! * [`Lease::held`] is the guard of every later write of the holder (renewal, progress,
//!   completion, release): it matches the row only while this lease still holds it, so a worker
//!   that was paused past its lease and lost the row changes nothing.
//! * [`Lease::renew`] moves a held lease ahead; [`Lease::release`] gives the row back.
//!
//! A worker that dies holding a row loses it when the lease runs out; the next claimant starts
//! from what was committed.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};

/// How the rows of one table are leased.
#[derive(Debug, Clone)]
pub struct Lease<E: EntityTrait> {
    /// The table's key column (a string id).
    pub id: E::Column,
    /// Until when the row is held.
    pub until: E::Column,
    /// Who holds it, for tables that name the holder: then [`Lease::held`] also checks it.
    pub owner: Option<E::Column>,
    /// This instance's name in `owner`.
    pub holder: String,
    /// How long a claim or renewal holds.
    pub duration: Duration,
    /// Whether NULL in `until` means free (a lease column) or `until` is never NULL (a due
    /// time that doubles as the lease, as the delivery jobs': claiming moves it ahead).
    pub null_is_free: bool,
}

impl<E: EntityTrait> Lease<E> {
    /// A lease named after a fresh id (each instance, each worker its own).
    pub fn new(
        id: E::Column,
        until: E::Column,
        owner: Option<E::Column>,
        duration: Duration,
    ) -> Self {
        Lease {
            id,
            until,
            owner,
            holder: uuid::Uuid::now_v7().to_string(),
            duration,
            null_is_free: true,
        }
    }

    /// Rows due at `due` (never NULL) are free once it has come; a claim moves it a lease
    /// ahead, so a worker that dies leaves the row due again when the lease runs out.
    pub fn due(id: E::Column, due: E::Column, duration: Duration) -> Self {
        Lease {
            null_is_free: false,
            ..Lease::new(id, due, None, duration)
        }
    }

    /// When a lease taken or renewed at `now` ends — in microseconds, since PostgreSQL keeps no
    /// more and [`Lease::held`] compares it for equality.
    pub fn end(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        (now + self.duration).trunc_subsecs(6)
    }

    /// Rows nobody holds at `now`.
    pub fn free(&self, now: DateTime<Utc>) -> Condition {
        let due = Condition::any().add(self.until.lte(now));
        if self.null_is_free {
            due.add(self.until.is_null())
        } else {
            due
        }
    }

    /// The row `id` while this lease (ending `held_until`) still holds it.
    pub fn held(&self, id: &str, held_until: DateTime<Utc>) -> Condition {
        let mut held = Condition::all()
            .add(self.id.eq(id))
            .add(self.until.eq(held_until));
        if let Some(owner) = self.owner {
            held = held.add(owner.eq(self.holder.as_str()));
        }
        held
    }

    /// The row `id` while this instance's holder name is on it — the guard for leases that name
    /// their holder and renew often (each worker has its own name, see [`Lease::new`]).
    pub fn owned(&self, id: &str) -> Condition {
        let mut owned = Condition::all().add(self.id.eq(id));
        if let Some(owner) = self.owner {
            owned = owned.add(owner.eq(self.holder.as_str()));
        }
        owned
    }

    /// Leases up to `limit` free rows matching `claimable`, first by `order`, setting `also`
    /// on them in the same statement; returns them as they are now.
    pub async fn claim(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
        claimable: Condition,
        order: E::Column,
        limit: u64,
        also: Vec<(E::Column, SimpleExpr)>,
    ) -> Result<Vec<E::Model>, DbErr> {
        let candidates = E::find()
            .select_only()
            .column(self.id)
            .filter(claimable.clone())
            .filter(self.free(now))
            .order_by_asc(order)
            .limit(limit);
        let picked = if db.get_database_backend() == DbBackend::Postgres {
            // `= ANY(ARRAY(…))`: the locking SELECT runs once, as an init plan. Inside `IN (…)`
            // PostgreSQL may run it again per row, and with SKIP LOCKED each run returns the
            // next row: `LIMIT 1` claimed every waiting export at once (seen in x_05).
            let locking = candidates
                .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
                .into_query();
            Expr::cust_with_exprs(
                "$1 = ANY(ARRAY $2)",
                [
                    Expr::col(self.id).into(),
                    SimpleExpr::SubQuery(None, Box::new(locking.into_sub_query_statement())),
                ],
            )
        } else {
            // SQLite's one writer: nothing runs beside this statement.
            self.id.in_subquery(candidates.into_query())
        };
        let mut update = E::update_many()
            .col_expr(self.until, Expr::value(self.end(now)))
            .filter(picked)
            .filter(claimable)
            .filter(self.free(now));
        if let Some(owner) = self.owner {
            update = update.col_expr(owner, Expr::value(self.holder.clone()));
        }
        for (column, value) in also {
            update = update.col_expr(column, value);
        }
        // RETURNING built by hand: sea-orm's own refuses SQLite (which has it since 3.35).
        let mut query = update.into_query();
        query.returning_all();
        let statement = db.get_database_backend().build(&query);
        E::find().from_raw_sql(statement).all(db).await
    }

    /// Moves the lease on `id` ahead; `None` when this lease no longer holds it.
    pub async fn renew(
        &self,
        db: &impl ConnectionTrait,
        id: &str,
        held_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, DbErr> {
        let until = self.end(now);
        let renewed = E::update_many()
            .col_expr(self.until, Expr::value(until))
            .filter(self.held(id, held_until))
            .exec(db)
            .await?;
        Ok((renewed.rows_affected == 1).then_some(until))
    }

    /// Gives `id` back (free at once); false when this lease no longer held it.
    pub async fn release(
        &self,
        db: &impl ConnectionTrait,
        id: &str,
        held_until: DateTime<Utc>,
    ) -> Result<bool, DbErr> {
        let mut update = E::update_many()
            .col_expr(self.until, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(self.held(id, held_until));
        if let Some(owner) = self.owner {
            update = update.col_expr(owner, Expr::value(Option::<String>::None));
        }
        Ok(update.exec(db).await?.rows_affected == 1)
    }
}
