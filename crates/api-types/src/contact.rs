//! Contact structure (Kontaktstruktur, SPEC §3): the groups and points citizens and businesses
//! write to. Authorities only.

use serde::{Deserialize, Serialize};

/// Målgruppe. Businesses include other authorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Citizens,
    Businesses,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Citizens => "citizens",
            Audience::Businesses => "businesses",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "citizens" => Some(Audience::Citizens),
            "businesses" => Some(Audience::Businesses),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeKind {
    Classification,
    Location,
    Custom,
}

impl CodeKind {
    /// The API's name for the kind (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            CodeKind::Classification => "classification",
            CodeKind::Location => "location",
            CodeKind::Custom => "custom",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactPointCode {
    pub kind: CodeKind,
    /// 1–100 characters, no ";" (the workbook's list separator).
    pub value: String,
}

/// Eksternt link ("reportLink" in Digital Post).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExternalLink {
    /// ≤ 50 characters.
    pub heading: String,
    /// ≤ 250 characters.
    #[serde(default)]
    pub description: String,
    /// ≤ 50 characters.
    pub link_text: String,
    /// Absolute https URL.
    pub url: String,
}

/// Kapacitet: both may only be lowered from the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Capacity {
    /// Maximum message size in bytes; at most 99.5 MB (104,333,312 bytes).
    #[cfg_attr(feature = "openapi", schema(maximum = 104_333_312))]
    pub max_message_size_bytes: u64,
    /// At most 10.
    #[cfg_attr(feature = "openapi", schema(maximum = 10))]
    pub max_attachments: u32,
}

impl Capacity {
    /// 99.5 MB.
    pub const MAX_MESSAGE_SIZE_BYTES: u64 = 104_333_312;
    pub const MAX_ATTACHMENTS: u32 = 10;
}

impl Default for Capacity {
    fn default() -> Self {
        Capacity {
            max_message_size_bytes: Capacity::MAX_MESSAGE_SIZE_BYTES,
            max_attachments: Capacity::MAX_ATTACHMENTS,
        }
    }
}

/// Create or replace a contact group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactGroupInput {
    /// ≤ 50 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    /// ≤ 255 characters.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub is_organisational_unit: bool,
    /// Parent group ids (at most 100); none = top level. Cycles are refused.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub parent_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub is_organisational_unit: bool,
    pub parent_ids: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Create or replace a contact point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactPointInput {
    /// ≤ 50 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    /// ≤ 250 characters; required (§6.3 step 2: it helps citizens choose the point). Absent
    /// is read as empty, so a draft checked with `dryRun` gets the field error, not a parse
    /// error.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, pattern = r"\S")
    )]
    pub description: String,
    /// Never leaves through the platforms' API.
    #[serde(default)]
    pub internal_note: String,
    /// Groups the point is placed in (at most 100); none = top level.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub group_ids: Vec<String>,
    /// Hidden points are reachable only through deep links.
    pub visible: bool,
    /// At least one.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub audiences: Vec<Audience>,
    #[serde(default)]
    pub capacity: Option<Capacity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_link: Option<ExternalLink>,
    /// Up to two titles, ≤ 25 characters each.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 2))]
    pub input_fields: Vec<String>,
    /// 1–100; ≤ 30 characters of letters, digits, spaces and hyphens; unique here.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub keywords: Vec<String>,
    /// At most 100.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub codes: Vec<ContactPointCode>,
    /// One of the organisation's recipient systems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_system_id: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactPoint {
    pub id: String,
    pub name: String,
    pub description: String,
    pub internal_note: String,
    pub group_ids: Vec<String>,
    pub visible: bool,
    pub audiences: Vec<Audience>,
    pub capacity: Capacity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_link: Option<ExternalLink>,
    pub input_fields: Vec<String>,
    pub keywords: Vec<String>,
    pub codes: Vec<ContactPointCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_system_id: Option<String>,
    pub active: bool,
    /// Active and bound to a recipient system: senders can use it.
    pub usable: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One node of the structure tree (CS-02).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactTreeNode {
    pub kind: ContactNodeKind,
    pub id: String,
    pub name: String,
    /// The item is also placed elsewhere in the tree (a duplicate placement).
    pub duplicate: bool,
    /// Points: usable by senders. Groups: has usable points below.
    pub usable: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<ContactTreeNode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactNodeKind {
    Group,
    Point,
}

/// What "Slet gruppe" will do (CS-03), item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactDeletionNode {
    pub kind: ContactNodeKind,
    pub id: String,
    pub name: String,
    /// Also placed outside what is deleted: only this placement goes; the item (and what
    /// lies below it) stays.
    pub also_elsewhere: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<ContactDeletionNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactGroupDeletion {
    pub root: ContactDeletionNode,
    pub groups_deleted: u32,
    pub points_deleted: u32,
    /// Placements removed from items that live on elsewhere.
    pub placements_removed: u32,
}

/// A deep link into a platform's "write to" flow (CS-04): borger.dk for citizens, Virk for
/// businesses. Each has a QR code at `…/qr-code?audience=…&format=svg|png`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeepLink {
    pub audience: Audience,
    pub url: String,
}

/// A contact point as the platforms see it (CS-08): never the internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicContactPoint {
    pub id: String,
    pub name: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub input_fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_link: Option<ExternalLink>,
    pub capacity: Capacity,
}

/// A group flagged as an organisational unit: findable as a recipient (CS-08).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicOrganisationalUnit {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// What an import of the contact-structure workbook did, or — with `dryRun` — would do
/// (CS-06). Rows that match what is stored count as unchanged and write nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactImportReceipt {
    /// False for a dry run: everything was checked, nothing was written.
    pub applied: bool,
    pub groups_created: u32,
    pub groups_updated: u32,
    pub groups_unchanged: u32,
    pub points_created: u32,
    pub points_updated: u32,
    pub points_unchanged: u32,
}

/// A recipient system a contact point can be bound to (the choice in the point wizard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecipientSystemChoice {
    pub id: String,
    pub name: String,
}
