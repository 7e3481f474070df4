//! Organisation rules. Functions take any connection or transaction so callers decide the
//! transaction boundary.

use adgang_api_types::OrgKind;
use adgang_core::{Cvr, FieldErrors, PageRequest};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entity::organisation::{self, Column, Entity as Organisations};
use crate::IdentityError;

/// Fields the organisation list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationSort {
    Name,
    Cvr,
    CreatedAt,
}

impl OrganisationSort {
    /// Wire names for `?sort=`; the first is the default.
    pub const SORTABLE: &'static [(&'static str, OrganisationSort)] = &[
        ("name", OrganisationSort::Name),
        ("cvrNumber", OrganisationSort::Cvr),
        ("createdAt", OrganisationSort::CreatedAt),
    ];

    fn column(self) -> Column {
        match self {
            OrganisationSort::Name => Column::Name,
            OrganisationSort::Cvr => Column::Cvr,
            OrganisationSort::CreatedAt => Column::CreatedAt,
        }
    }
}

pub struct NewOrganisation {
    pub cvr: Cvr,
    pub name: String,
    pub kind: OrgKind,
    /// When the authority accepted the connection agreement; `None` sends its first user
    /// through onboarding (AUTH-04). Ignored for companies, which skip onboarding.
    pub agreement_accepted_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub const MAX_NAME_CHARS: usize = 200;

///
pub async fn list_organisations(
    db: &impl ConnectionTrait,
    request: &PageRequest<OrganisationSort>,
) -> Result<(Vec<organisation::Model>, u64), IdentityError> {
    // The CVR, unique, keeps pages stable when names repeat.
    let column = request.sort.column();
    Ok(
        adgang_core::pagination::page_of(db, Organisations::find(), request, column, Column::Cvr)
            .await?,
    )
}

pub async fn get_organisation(
    db: &impl ConnectionTrait,
    cvr: &Cvr,
) -> Result<organisation::Model, IdentityError> {
    Organisations::find_by_id(cvr.as_str())
        .one(db)
        .await?
        .ok_or(IdentityError::OrganisationNotFound)
}

/// The organisation, if it is known here.
pub async fn find_organisation(
    db: &impl ConnectionTrait,
    cvr: &str,
) -> Result<Option<organisation::Model>, IdentityError> {
    Ok(Organisations::find_by_id(cvr).one(db).await?)
}

/// Whether `cvr` may serve legal notices (LOG-01 "Forkyndt"): set by the Digital Post
/// operation for the courts (the demo's Domstolsstyrelsen), never by the organisation itself.
pub async fn allow_legal_notification(
    db: &impl ConnectionTrait,
    cvr: &Cvr,
    allowed: bool,
) -> Result<(), IdentityError> {
    let found = Organisations::update_many()
        .col_expr(
            Column::LegalNotificationAllowed,
            sea_orm::sea_query::Expr::value(allowed),
        )
        .filter(Column::Cvr.eq(cvr.as_str()))
        .exec(db)
        .await?;
    if found.rows_affected == 0 {
        return Err(IdentityError::OrganisationNotFound);
    }
    Ok(())
}

/// Creates an organisation; the name is trimmed and must be 1–200 characters.
/// AUTH-02, CTX-02: the test portal and the operator create organisations here.
pub async fn create_organisation(
    db: &impl ConnectionTrait,
    new: NewOrganisation,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<organisation::Model, IdentityError> {
    let mut errors = FieldErrors::new();
    let name = adgang_core::validate::text(&mut errors, "name", &new.name, MAX_NAME_CHARS, true);
    if !errors.is_empty() {
        return Err(IdentityError::Validation(errors));
    }
    if Organisations::find_by_id(new.cvr.as_str())
        .one(db)
        .await?
        .is_some()
    {
        return Err(IdentityError::OrganisationExists(new.cvr.to_string()));
    }
    let model = organisation::ActiveModel {
        cvr: Set(new.cvr.to_string()),
        name: Set(name),
        kind: Set(new.kind.into()),
        agreement_accepted_at: Set(new.agreement_accepted_at),
        created_at: Set(now),
        legal_notification_allowed: Set(false),
    };
    Ok(model.insert(db).await?)
}
