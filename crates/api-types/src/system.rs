//! System connection (Systemtilslutning, SPEC §2): an organisation's sender and recipient
//! systems, and vendors' standard systems.

use serde::{Deserialize, Serialize};

/// Afsendersystem / modtagersystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SystemRole {
    Sender,
    Recipient,
    SenderRecipient,
}

impl SystemRole {
    pub const ALL: [SystemRole; 3] = [
        SystemRole::Sender,
        SystemRole::Recipient,
        SystemRole::SenderRecipient,
    ];

    /// Receives mail, so it can be (or must be, for the first one) the primary system.
    pub fn receives(self) -> bool {
        matches!(self, SystemRole::Recipient | SystemRole::SenderRecipient)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SystemRole::Sender => "sender",
            SystemRole::Recipient => "recipient",
            SystemRole::SenderRecipient => "sender_recipient",
        }
    }

    pub fn parse(s: &str) -> Option<SystemRole> {
        SystemRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    RestPush,
    RestPull,
    RestPublishSubscribe,
    Sftp,
}

impl Protocol {
    pub const ALL: [Protocol; 4] = [
        Protocol::RestPush,
        Protocol::RestPull,
        Protocol::RestPublishSubscribe,
        Protocol::Sftp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::RestPush => "rest_push",
            Protocol::RestPull => "rest_pull",
            Protocol::RestPublishSubscribe => "rest_publish_subscribe",
            Protocol::Sftp => "sftp",
        }
    }

    pub fn parse(s: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Which details a role/protocol combination needs (SPEC §2 table); `None` when the
/// combination does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredDetails {
    pub endpoint: bool,
    pub receipt_endpoint: bool,
    pub ssh_public_key: bool,
}

pub fn required_details(role: SystemRole, protocol: Protocol) -> Option<RequiredDetails> {
    use Protocol as P;
    use SystemRole as R;
    let d = |endpoint, receipt_endpoint, ssh_public_key| {
        Some(RequiredDetails {
            endpoint,
            receipt_endpoint,
            ssh_public_key,
        })
    };
    match (role, protocol) {
        (R::Recipient, P::RestPush) => d(true, false, false),
        (R::Recipient, P::RestPull) => d(false, false, false),
        (R::Recipient, P::RestPublishSubscribe) => d(true, false, false),
        (R::Sender, P::RestPush) => d(false, true, false),
        (R::Sender, P::RestPull) => d(false, false, false),
        (R::Sender, P::Sftp) => d(false, false, true),
        (R::SenderRecipient, P::RestPush) => d(true, true, false),
        (R::SenderRecipient, P::RestPull) => d(false, false, false),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivationMode {
    /// Active from the moment it is saved.
    Now,
    /// Active from `at`.
    At,
    /// Not activated (Digital Post does not use it).
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Activation {
    pub mode: ActivationMode,
    /// Required with mode `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Derived from the activation and deactivation times (SYS-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SystemStatus {
    NotActivated,
    Scheduled,
    Active,
    Deactivated,
}

impl SystemStatus {
    pub fn derive(
        active_from: Option<chrono::DateTime<chrono::Utc>>,
        active_to: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> SystemStatus {
        match (active_from, active_to) {
            (None, _) => SystemStatus::NotActivated,
            (_, Some(to)) if to <= now => SystemStatus::Deactivated,
            (Some(from), _) if from > now => SystemStatus::Scheduled,
            _ => SystemStatus::Active,
        }
    }
}

/// Teknisk kontakt: used when Digital Post cannot reach the system (SYS-06).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TechnicalContact {
    pub email: String,
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_email: Option<String>,
}

/// Create a system, from scratch or from a vendor's standard system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewSystem {
    /// 1–100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    /// Up to 32 IPv4/IPv6 addresses, or exactly one range in CIDR notation (SYS-01).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
    pub allowed_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_endpoint: Option<String>,
    /// OpenSSH public key (SFTP): ed25519, ECDSA or RSA ≥ 2048 bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_public_key: Option<String>,
    /// Power of attorney to this vendor (SYS-04); the system then gets an API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_cvr: Option<String>,
    pub activation: Activation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deactivate_at: Option<chrono::DateTime<chrono::Utc>>,
    pub technical_contact: TechnicalContact,
    /// Create from this standard system (SYS-09): its locked fields win over the ones above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_system_id: Option<String>,
    /// Required true with `standardSystemId`: the vendor agreement is accepted.
    #[serde(default)]
    pub accept_vendor_agreement: bool,
    /// SYS-15: move the organisation's mail lying in Virk into this system once it is active
    /// (a REST PUSH recipient system only).
    #[serde(default)]
    pub move_virk_mail: bool,
}

/// Replace a system's settings (SYS-12). `activation` absent keeps the current activation;
/// activation and protocol cannot change while the system is active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SystemUpdate {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
    pub allowed_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_cvr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deactivate_at: Option<chrono::DateTime<chrono::Utc>>,
    pub technical_contact: TechnicalContact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct System {
    pub id: String,
    pub organisation_cvr: String,
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    pub allowed_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_cvr: Option<String>,
    /// An API key exists (shown on the receipt and by the explicit reveal).
    pub has_api_key: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_from: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_to: Option<chrono::DateTime<chrono::Utc>>,
    pub status: SystemStatus,
    pub technical_contact: TechnicalContact,
    pub is_primary: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_system_id: Option<String>,
    /// Fields the organisation cannot edit (locked by the standard system).
    pub locked_fields: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// A receiving system's contact points (their names), on `GET …/systems/{id}` only: the
    /// guide's §6.1 asks for at least one per recipient system, so an empty list is a warning
    /// on the system's page. Absent elsewhere and for sender systems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub contact_points: Option<Vec<String>>,
    /// Issue 35: where an SFTP sender system delivers its bulk files (`docs/sftp.md`), on
    /// `GET …/systems/{id}` and the creation receipt, when this deployment runs the SFTP
    /// service. Absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub sftp: Option<SftpAccess>,
}

/// Issue 35: how an SFTP sender system connects: `sftp -P <port> <username>@<host>` with the
/// private half of its SSH key; the host key's fingerprint to pin (`ssh-keygen -lf`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SftpAccess {
    pub host: String,
    pub port: u16,
    /// The system's id.
    pub username: String,
    /// As OpenSSH prints it: `SHA256:` and the digest in unpadded base64.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8")
    )]
    pub host_key_fingerprint: String,
}

/// A line of the system overview (SYS-11): what the list shows. `GET …/systems/{id}` has the
/// rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SystemSummary {
    pub id: String,
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    pub status: SystemStatus,
    pub is_primary: bool,
}

/// The answer to a create: the system and, once, its API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SystemReceipt {
    pub system: System,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// SYS-15: the move of the Virk mail ordered with the system (it starts once the system is
    /// active; follow it under `mail-moves`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virk_mail_move_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub api_key: String,
}

/// A vendor's pre-filled system (SYS-09); its settings are locked in systems made from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewStandardSystem {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 32))]
    pub allowed_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_public_key: Option<String>,
    pub technical_contact: TechnicalContact,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StandardSystem {
    pub id: String,
    pub vendor_cvr: String,
    pub vendor_name: String,
    pub name: String,
    pub role: SystemRole,
    pub protocol: Protocol,
    pub allowed_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_public_key: Option<String>,
    pub technical_contact: TechnicalContact,
}

/// A vendor's own published standard system, with how many systems (in any organisation)
/// are created from it (SYS-09, the vendor's page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublishedStandardSystem {
    #[serde(flatten)]
    pub standard: StandardSystem,
    pub systems_using: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    #[test]
    fn sys_05_status_is_derived_from_the_times() {
        let now = Utc::now();
        let h = Duration::hours(1);
        assert_eq!(
            SystemStatus::derive(None, None, now),
            SystemStatus::NotActivated
        );
        assert_eq!(
            SystemStatus::derive(Some(now + h), None, now),
            SystemStatus::Scheduled
        );
        assert_eq!(
            SystemStatus::derive(Some(now - h), None, now),
            SystemStatus::Active
        );
        assert_eq!(
            SystemStatus::derive(Some(now - h), Some(now + h), now),
            SystemStatus::Active
        );
        assert_eq!(
            SystemStatus::derive(Some(now - h - h), Some(now - h), now),
            SystemStatus::Deactivated
        );
    }

    #[test]
    fn the_spec_table_has_exactly_eight_combinations() {
        let count = SystemRole::ALL
            .iter()
            .flat_map(|r| Protocol::ALL.iter().map(move |p| (*r, *p)))
            .filter(|(r, p)| required_details(*r, *p).is_some())
            .count();
        assert_eq!(count, 8);
        assert!(required_details(SystemRole::Recipient, Protocol::Sftp).is_none());
    }
}
