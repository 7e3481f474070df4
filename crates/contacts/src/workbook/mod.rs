//! The contact structure as an Excel workbook and back (CS-06, guide §6.7–6.8): one sheet of
//! groups and one of points with every column and id. An import matches rows by id — a row
//! whose id is blank or unknown here is created, with a new id — checks every row before it
//! writes anything, reports errors by sheet and cell ("Kontaktpunkter!P7"), and applies all
//! rows or none. Rows equal to what is stored write nothing, so importing an unchanged export
//! is a no-op; a workbook exported by another organisation (test → production, §3.2)
//! recreates that structure here with new ids.

use adgang_api_types::FieldCode;
use std::collections::{HashMap, HashSet};

use adgang_api_types::{
    Audience, Capacity, CodeKind, ContactGroup, ContactImportReceipt, ContactPoint,
    ContactPointCode, ContactPointInput, ExternalLink,
};
use adgang_core::audit::{record_action, ActionEvent, Actor, FieldChange};
use adgang_core::ports::{FileRefusal, RecipientSystem, RecipientSystems, UntrustedFiles};
use adgang_core::{Cvr, DomainError, FieldErrors};
use adgang_documents::xlsx::{column_letters, workbook, ReadSheet, Sheet};
use adgang_documents::yes_no;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{contact_group, contact_point};
use crate::service::{
    apply_point, changes, check_point_fields, group_dto, group_fields, group_models, lists_by_key,
    parent_edges, placements, point_fields, point_from_checked, point_from_rows, record,
    set_parents, set_point_links, CheckedPoint,
};
use crate::validation::{self as v};
use crate::ContactsError;

pub const GROUPS_SHEET: &str = "Kontaktgrupper";
pub const POINTS_SHEET: &str = "Kontaktpunkter";
pub const GROUP_COLUMNS: [&str; 5] = [
    "ID",
    "Navn",
    "Beskrivelse",
    "Organisatorisk enhed",
    "Overordnede grupper",
];
pub const POINT_COLUMNS: [&str; 19] = [
    "ID",
    "Navn",
    "Beskrivelse",
    "Intern note",
    "Grupper",
    "Synlig",
    "Målgrupper",
    "Maks. beskedstørrelse (bytes)",
    "Maks. vedhæftninger",
    "Link – overskrift",
    "Link – beskrivelse",
    "Link – tekst",
    "Link – URL",
    "Inputfelt 1",
    "Inputfelt 2",
    "Søgeord",
    "Koder",
    "Modtagersystem",
    "Aktiv",
];

/// Lists inside a cell (parents, groups, audiences, keywords, codes).
const LIST_SEPARATOR: &str = "; ";
/// An import answers with at most this many errors (a wrong file could have thousands).
const MAX_REPORTED_ERRORS: usize = 500;

/// The whole structure of one organisation, read in six queries.
struct Structure {
    groups: Vec<ContactGroup>,
    points: Vec<ContactPoint>,
}

async fn load_structure(db: &impl ConnectionTrait, org: &Cvr) -> Result<Structure, ContactsError> {
    let edges = parent_edges(db, org).await?;
    let mut parents = lists_by_key(edges.into_iter().map(|e| (e.group_id, e.parent_id)));
    let groups = group_models(db, org)
        .await?
        .into_iter()
        .map(|g| {
            let mut p = parents.remove(&g.id).unwrap_or_default();
            p.sort();
            group_dto(g, p)
        })
        .collect();
    let placed = placements(db, org).await?;
    let mut point_groups = lists_by_key(placed.into_iter().map(|p| (p.point_id, p.group_id)));
    let mut keywords = crate::service::keywords_by_point(db, org).await?;
    let points = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .order_by_asc(contact_point::Column::Name)
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let in_groups = point_groups.remove(&p.id).unwrap_or_default();
            let words = keywords.remove(&p.id).unwrap_or_default();
            point_from_rows(p, in_groups, words)
        })
        .collect();
    Ok(Structure { groups, points })
}

mod cells;
mod export;
mod import;
mod reading;

use cells::*;
pub use export::*;
pub use import::*;
use reading::*;
