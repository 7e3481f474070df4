//! [`SystemCaller`]: the extractor every system-facing handler takes first — the twin of
//! core's `OrgScope` for sender and recipient systems (issue 30). It authenticates the caller
//! by `X-System-Id` + `X-Api-Key` from an address on the system's allowlist (CORE-01, SYS-01),
//! checks that the system is active and has the role the endpoint needs (sending or receiving),
//! and reads "now" from the clock. A refusal is the same problem, with the same message-log
//! event, whichever endpoint was called.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use adgang_core::ports::ConnectedSystem;
use adgang_core::{Clock, DomainError, ReadDb};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use sea_orm::DatabaseConnection;

use super::{caller_address, header};
use crate::service::intake::{self, Purpose};
use crate::service::Ports;
use crate::MessagingSettings;

/// What the endpoint lets a system do: send ([`Sends`]) or receive ([`Receives`]).
pub trait CallerPurpose {
    const PURPOSE: Purpose;
}

/// Submitting memos, reading the receipts of what it sent.
pub struct Sends;
/// Fetching its mailbox, sending business receipts.
pub struct Receives;

impl CallerPurpose for Sends {
    const PURPOSE: Purpose = Purpose::Send;
}

impl CallerPurpose for Receives {
    const PURPOSE: Purpose = Purpose::Receive;
}

/// The authenticated, active calling system, allowed to do `P`.
pub struct SystemCaller<P> {
    pub system: ConnectedSystem,
    /// "Now" for this request, from the app's clock.
    pub now: DateTime<Utc>,
    purpose: PhantomData<P>,
}

fn registered<T: ?Sized + 'static>(
    req: &HttpRequest,
    what: &str,
) -> Result<web::Data<T>, DomainError> {
    req.app_data::<web::Data<T>>()
        .cloned()
        .ok_or_else(|| DomainError::Unexpected(anyhow::anyhow!("{what} not registered")))
}

impl<P: CallerPurpose> FromRequest for SystemCaller<P> {
    type Error = DomainError;
    type Future = LocalBoxFuture<'static, Result<Self, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let db = registered::<DatabaseConnection>(&req, "the writer connection")?;
            let reads = registered::<ReadDb>(&req, "the read connections")?;
            let ports = registered::<Ports>(&req, "messaging's ports")?;
            let settings = registered::<MessagingSettings>(&req, "messaging's settings")?;
            let now = registered::<dyn Clock>(&req, "the clock")?.now();
            let keys = registered::<crate::SystemKeys>(&req, "the system keys' throttle")?;
            let address = caller_address(&req, &settings).ok_or(DomainError::Unauthorized)?;
            let system = intake::authenticate(
                &db,
                &reads,
                &ports,
                P::PURPOSE,
                intake::Credentials {
                    system_id: header(&req, "x-system-id"),
                    proof: intake::Proof::ApiKey(header(&req, "x-api-key")),
                    address,
                },
                &keys.0,
                now,
            )
            .await?;
            Ok(SystemCaller {
                system,
                now,
                purpose: PhantomData,
            })
        })
    }
}
