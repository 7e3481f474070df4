//! One SSH connection: public-key login as a sender system, then only the `sftp` subsystem —
//! no shell, no commands, no terminals, no forwarding.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use adgang_api_types::words::rejection;
use adgang_api_types::MessageEvent;
use adgang_core::audit::{record_message_events, MessageEventRecord};
use adgang_core::ports::ConnectedSystem;
use adgang_core::throttle::Verdict;
use russh::keys::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId};

use super::files::Files;
use super::Shared;
use crate::service::intake::{self, Credentials, Proof, Purpose};

pub(crate) struct Connection {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    /// The system, once its key's signature was verified and every rule held.
    system: Option<ConnectedSystem>,
    channels: HashMap<ChannelId, Channel<Msg>>,
    /// Raised at login: the listener closes a connection that has not logged in in time.
    logged_in: Arc<std::sync::atomic::AtomicBool>,
    /// A wrong key offered for a known system from an address on its allowlist.
    wrong_key: Option<(ConnectedSystem, std::net::IpAddr)>,
    /// The key the client logged in with (what the session's uploads are checked against).
    login_key: Option<PublicKey>,
    /// The session channel's SFTP server was started (one a connection).
    served: bool,
}

impl Connection {
    pub(crate) fn new(
        shared: Arc<Shared>,
        peer: SocketAddr,
        logged_in: Arc<std::sync::atomic::AtomicBool>,
    ) -> Connection {
        Connection {
            shared,
            peer: Some(peer),
            system: None,
            channels: HashMap::new(),
            logged_in,
            wrong_key: None,
            login_key: None,
            served: false,
        }
    }

    /// Before the signature: a key that is not the system's is refused here; the system's key
    /// goes on to be proved. Clients offer every key they have in turn, so a wrong one is only
    /// remembered: the connection logs it when it ends without a login ([`Drop`]).
    async fn offered(&mut self, user: &str, key: &PublicKey) -> anyhow::Result<Auth> {
        let Some(address) = self.peer.map(|p| p.ip()) else {
            return Ok(Auth::reject());
        };
        if user.len() > 64 {
            return Ok(Auth::reject());
        }
        let now = self.shared.now();
        let reads = &self.shared.reads;
        let Some(system) = self.shared.ports.systems.system(reads, user, now).await? else {
            tracing::info!(%address, "an SFTP login as an unknown system");
            return Ok(Auth::reject());
        };
        if Proof::SshKey(key).proves(&system) {
            return Ok(Auth::Accept);
        }
        // Issue 31's rule: from outside the allowlist, without the key, no trace.
        if self.shared.ports.systems.admits(&system, address) {
            self.wrong_key = Some((system, address));
        }
        Ok(Auth::reject())
    }
}

/// A connection that offered a wrong key from an allowed address and never logged in:
/// `Afvist teknisk` in the system's log, limited as wrong API keys are (issue 31).
impl Drop for Connection {
    fn drop(&mut self) {
        if self.logged_in.load(std::sync::atomic::Ordering::Acquire) {
            return;
        }
        let Some((system, address)) = self.wrong_key.take() else {
            return;
        };
        let shared = self.shared.clone();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            let caller = address.to_string();
            let keys = &shared.keys.0;
            let error = match keys.failure(&[&system.id, &caller], std::time::Instant::now()) {
                Verdict::Allowed => rejection::WRONG_SSH_KEY.da.to_owned(),
                Verdict::Limited {
                    summary: Some(held_back),
                    ..
                } => rejection::API_KEY_FAILURES_HELD_BACK
                    .da_with(&[&held_back.to_string(), &caller]),
                Verdict::Limited { summary: None, .. } => return,
            };
            let record = MessageEventRecord {
                system_id: Some(system.id.clone()),
                error_message: Some(error),
                ..MessageEventRecord::new(
                    &system.organisation_cvr,
                    MessageEvent::RejectedTechnical,
                    shared.now(),
                )
            };
            if let Err(e) = record_message_events(&shared.db, vec![record]).await {
                tracing::error!(error = %e, "logging a wrong SFTP key");
            }
        });
    }
}

impl russh::server::Handler for Connection {
    type Error = anyhow::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        self.offered(user, offer.public_key).await
    }

    /// The client holds the key: now the rules of the REST intake, with their events
    /// (address not allowed, not active, not a sender).
    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let Some(address) = self.peer.map(|p| p.ip()) else {
            return Ok(Auth::reject());
        };
        let now = self.shared.now();
        let authenticated = intake::authenticate(
            &self.shared.db,
            &self.shared.reads,
            &self.shared.ports,
            Purpose::Send,
            Credentials {
                system_id: Some(user),
                proof: Proof::SshKey(key.public_key),
                address,
            },
            &self.shared.keys.0,
            now,
        )
        .await;
        match authenticated {
            Ok(system) => {
                tracing::info!(system = %system.id, %address, "an SFTP login");
                self.system = Some(system);
                self.login_key = Some(key.public_key.clone());
                self.wrong_key = None;
                self.logged_in
                    .store(true, std::sync::atomic::Ordering::Release);
                Ok(Auth::Accept)
            }
            Err(refusal) => {
                tracing::info!(%address, %refusal, "an SFTP login refused");
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.system.is_none() || self.served || !self.channels.is_empty() {
            // One session channel a connection is all SFTP needs.
            return Ok(());
        }
        self.channels.insert(channel.id(), channel);
        reply.accept().await;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (Some(system), "sftp") = (self.system.clone(), name) else {
            return refuse(channel, session);
        };
        let (Some(open), Some(key), Some(peer)) = (
            self.channels.remove(&channel),
            self.login_key.clone(),
            self.peer,
        ) else {
            return refuse(channel, session);
        };
        self.served = true;
        session.channel_success(channel)?;
        let files = Files::new(self.shared.clone(), system, key, peer.ip());
        russh_sftp::server::run(open.into_stream(), files).await;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        refuse(channel, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        refuse(channel, session)
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.close(channel)?;
        Ok(())
    }
}

/// Only `sftp`: anything else is refused and its channel closed.
fn refuse(channel: ChannelId, session: &mut Session) -> anyhow::Result<()> {
    session.channel_failure(channel)?;
    session.close(channel)?;
    Ok(())
}
