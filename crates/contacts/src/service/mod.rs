//! The rules of the contact structure (SPEC §3). Every function takes the caller's
//! transaction, validates everything first and writes its actions-log rows (subject
//! "Kontaktstruktur", field by field) in the same transaction.

use std::collections::{HashMap, HashSet};

use adgang_api_types::{
    Audience, Capacity, ContactGroup, ContactGroupInput, ContactNodeKind, ContactPoint,
    ContactPointCode, ContactPointInput, ContactTreeNode, ExternalLink,
};
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::ports::RecipientSystems;
use adgang_core::{Cvr, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{
    contact_group, contact_group_parent, contact_point, contact_point_group, contact_point_keyword,
    contact_structure_version,
};
use crate::validation::{self as v};
use crate::ContactsError;

pub(crate) fn record(
    org: &Cvr,
    id: &str,
    name: &str,
    event: ActionEvent,
    changes: Vec<FieldChange>,
) -> ActionRecord {
    ActionRecord::on_object(
        org.clone(),
        Subject::ContactStructure,
        event,
        id,
        name,
        changes,
    )
}

/// Rows for a create (after only), delete (before only) or edit (the fields that changed).
pub(crate) fn changes(
    before: Option<&[(&'static str, String)]>,
    after: Option<&[(&'static str, String)]>,
) -> Vec<FieldChange> {
    match (before, after) {
        (None, Some(after)) => after
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| FieldChange::new(f, None::<String>, Some(v)))
            .collect(),
        (Some(before), None) => before
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| FieldChange::new(f, Some(v), None::<String>))
            .collect(),
        (Some(before), Some(after)) => before
            .iter()
            .zip(after)
            .filter(|((_, b), (_, a))| b != a)
            .map(|((f, b), (_, a))| {
                FieldChange::new(
                    f,
                    (!b.is_empty()).then_some(b),
                    (!a.is_empty()).then_some(a),
                )
            })
            .collect(),
        (None, None) => Vec::new(),
    }
}

// ---------------------------------------------------------------- versions

/// The organisation's structure version: 0 until its first change.
pub async fn structure_version(db: &impl ConnectionTrait, org: &Cvr) -> Result<i64, ContactsError> {
    Ok(contact_structure_version::Entity::find_by_id(org.as_str())
        .one(db)
        .await?
        .map(|v| v.version)
        .unwrap_or(0))
}

/// Raises the version in the caller's transaction: every change calls this, so cached trees
/// and search lists of the old version are no longer served once the change commits.
/// CS-02, CS-08: readers of the cached tree and search see every change at once.
pub(crate) async fn bump_version(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<(), ContactsError> {
    use sea_orm::sea_query::{Expr, OnConflict};
    contact_structure_version::Entity::insert(contact_structure_version::ActiveModel {
        organisation_cvr: Set(org.to_string()),
        version: Set(1),
    })
    .on_conflict(
        OnConflict::column(contact_structure_version::Column::OrganisationCvr)
            .value(
                contact_structure_version::Column::Version,
                Expr::col((
                    contact_structure_version::Entity,
                    contact_structure_version::Column::Version,
                ))
                .add(1),
            )
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

mod deletion;
mod groups;
mod links;
mod platform;
mod points;
mod tree;

pub use deletion::*;
pub use groups::*;
pub use links::*;
pub use platform::*;
pub use points::*;
pub use tree::*;
