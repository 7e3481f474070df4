//! Login sessions behind the refresh cookie (AUTH-03, AUTH-06): a random token in an HttpOnly
//! cookie, only its SHA-256 in the database, replaced on every use; logout ends it for good.

use std::collections::HashMap;
use std::sync::Arc;

use adgang_core::auth::ACCESS_TOKEN_TTL_SECONDS;
use adgang_core::secrets::{random_token, sha256_hex};
use adgang_core::{Clock, Cvr, SessionRevocations, SessionVersion};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::entity::session;
use crate::IdentityError;

/// A session lasts a working day; each refresh rotates the token but not the end time.
pub const SESSION_HOURS: i64 = 10;

/// The cookie carrying the refresh token.
pub const SESSION_COOKIE: &str = "adgang_session";

/// Starts a session for `user_id` acting in `cvr`; returns it with the cookie's token.
/// AUTH-01, AUTH-03: the session behind the HttpOnly cookie.
pub async fn start(
    db: &impl ConnectionTrait,
    user_id: &str,
    cvr: &Cvr,
    operator: bool,
    now: DateTime<Utc>,
) -> Result<(session::Model, String), IdentityError> {
    let token = random_token(32);
    let model = session::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        user_id: Set(user_id.to_owned()),
        organisation_cvr: Set(cvr.to_string()),
        operator: Set(operator),
        refresh_token_hash: Set(sha256_hex(&token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(SESSION_HOURS)),
        ended_at: Set(None),
        token_version: Set(0),
        tokens_revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((model, token))
}

/// The live session behind `token`, if any.
pub async fn find_live(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<session::Model>, IdentityError> {
    Ok(session::Entity::find()
        .filter(session::Column::RefreshTokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
        .filter(|s| s.ended_at.is_none() && s.expires_at > now))
}

/// Replaces the session's token (rotation on use); the old token stops working at once.
pub async fn rotate(
    db: &impl ConnectionTrait,
    session: session::Model,
) -> Result<(session::Model, String), IdentityError> {
    let token = random_token(32);
    let mut active: session::ActiveModel = session.into();
    active.refresh_token_hash = Set(sha256_hex(&token));
    Ok((active.update(db).await?, token))
}

/// Moves the session to another organisation (context switch, CTX-01/02).
pub async fn switch(
    db: &impl ConnectionTrait,
    session: session::Model,
    cvr: &Cvr,
    operator: bool,
) -> Result<session::Model, IdentityError> {
    let mut active: session::ActiveModel = session.into();
    active.organisation_cvr = Set(cvr.to_string());
    active.operator = Set(operator);
    Ok(active.update(db).await?)
}

/// Ends the session behind `token` (AUTH-06); unknown tokens are ignored.
pub async fn end(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), IdentityError> {
    if let Some(live) = find_live(db, token, now).await? {
        let mut active: session::ActiveModel = live.into();
        active.ended_at = Set(Some(now));
        active.tokens_revoked_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(())
}

/// The session as its access tokens name it.
pub fn version_of(session: &session::Model) -> SessionVersion {
    SessionVersion {
        id: session.id.clone(),
        version: session.token_version,
    }
}

/// Ends the access tokens of every live session of `user_id` (a right was revoked, issue 13
/// item 9): the sessions go on, and their next token carries the rights held now.
pub async fn revoke_tokens_of(
    db: &impl ConnectionTrait,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), IdentityError> {
    session::Entity::update_many()
        .col_expr(
            session::Column::TokenVersion,
            Expr::col(session::Column::TokenVersion).add(1),
        )
        .col_expr(session::Column::TokensRevokedAt, Expr::value(Some(now)))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::EndedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(())
}

/// How often each server instance reads the revoked sessions.
pub const REVOCATION_POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// The sessions revoked within the last token lifetime, as [`SessionRevocations`] holds them.
pub async fn recent_revocations(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<HashMap<String, i64>, IdentityError> {
    // Tokens issued before that are expired anyway; a minute's margin for late commits.
    let since = now - Duration::seconds(ACCESS_TOKEN_TTL_SECONDS + 60);
    Ok(session::Entity::find()
        .filter(session::Column::TokensRevokedAt.gt(since))
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            let lowest = if s.ended_at.is_some() {
                i64::MAX
            } else {
                s.token_version
            };
            (s.id, lowest)
        })
        .collect())
}

/// Keeps the server's `revocations` in step with the sessions table (a job of this module).
pub struct RevocationWatcher {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub revocations: Arc<SessionRevocations>,
}

#[async_trait::async_trait]
impl adgang_core::Job for RevocationWatcher {
    fn name(&self) -> &'static str {
        "session_revocations"
    }

    fn schedule(&self) -> adgang_core::Schedule {
        adgang_core::Schedule {
            idle: REVOCATION_POLL,
            stale_after: std::time::Duration::from_secs(60),
        }
    }

    /// Reads the revoked sessions; on failure the last list is kept and the job restarted.
    async fn round(&self) -> anyhow::Result<adgang_core::Round> {
        let current = recent_revocations(&self.db, self.clock.now()).await?;
        self.revocations.replace(current);
        Ok(adgang_core::Round::Idle)
    }
}
