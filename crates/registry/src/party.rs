//! A citizen (CPR) or company (CVR) looked up by citizen-service staff (EX-01, SMS-01, ACC-01):
//! the number parsed, the register asked, and — for every well-formed lookup, found or not —
//! exactly one searches-log row written (LOG-03). Shared by the exemption, NemSMS and
//! mail-access modules, which each add their own status.

use adgang_api_types::{Address, FieldCode, PartyKind};
use adgang_core::audit::{Register, SearchRecord};
use adgang_core::{Acting, Cpr, Cvr, FieldErrors, SearchLog};
use sea_orm::DbErr;

use crate::{Registry, RegistryError};

/// A party as the register knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub kind: PartyKind,
    /// CPR or CVR, digits only.
    pub id: String,
    /// The same number, as core's ports take it.
    pub number: adgang_core::Party,
    pub name: String,
    /// The CPR address or the registered office address.
    pub registered_address: Address,
    pub is_authority: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PartyError {
    /// Malformed, or unknown to the register: field errors.
    #[error("validation failed")]
    Invalid(FieldErrors),
    #[error("the register is unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn field_error(field: &str, code: FieldCode, message: &str) -> PartyError {
    let mut errors = FieldErrors::new();
    errors.add(field, code, message);
    PartyError::Invalid(errors)
}

/// The CPR (a valid date; modulus 11 not applied) or CVR in `input`, digits only; a field error
/// on `field` when malformed.
pub fn parse(kind: PartyKind, field: &str, input: &str) -> Result<String, PartyError> {
    match kind {
        PartyKind::Citizen => Cpr::parse(input)
            .map(|cpr| cpr.as_str().to_owned())
            .map_err(|e| field_error(field, e.code(), e.message())),
        PartyKind::Company => Cvr::parse(input)
            .map(|cvr| cvr.as_str().to_owned())
            .map_err(|e| field_error(field, e.code(), e.message())),
    }
}

/// "The register knows no one with this number", on `field`.
pub fn unknown(kind: PartyKind, field: &str) -> PartyError {
    match kind {
        PartyKind::Citizen => field_error(
            field,
            FieldCode::UnknownPerson,
            "The CPR register has no person with this number.",
        ),
        PartyKind::Company => field_error(
            field,
            FieldCode::UnknownCompany,
            "The CVR register has no company with this number.",
        ),
    }
}

/// The register's entry for an already parsed number; `Ok(None)` when it has none.
pub async fn find(
    registry: &dyn Registry,
    kind: PartyKind,
    id: &str,
) -> Result<Option<Party>, PartyError> {
    let unavailable = |RegistryError::Unavailable(why)| PartyError::Unavailable(why);
    Ok(match kind {
        PartyKind::Citizen => {
            let cpr = Cpr::parse(id).map_err(|_| unknown(kind, "party"))?;
            registry
                .citizen(&cpr)
                .await
                .map_err(unavailable)?
                .map(|c| Party {
                    kind,
                    id: c.cpr,
                    number: adgang_core::Party::Citizen(cpr),
                    name: c.name,
                    registered_address: c.registered_address,
                    is_authority: false,
                })
        }
        PartyKind::Company => {
            let cvr = Cvr::parse(id).map_err(|_| unknown(kind, "party"))?;
            registry
                .company(&cvr)
                .await
                .map_err(unavailable)?
                .map(|c| Party {
                    kind,
                    id: c.cvr,
                    number: adgang_core::Party::Company(cvr),
                    name: c.name,
                    registered_address: c.registered_office_address,
                    is_authority: c.is_authority,
                })
        }
    })
}

/// The lookup body's field that names the party: `cpr` or `cvr`.
pub fn lookup_field(kind: PartyKind) -> &'static str {
    match kind {
        PartyKind::Citizen => "cpr",
        PartyKind::Company => "cvr",
    }
}

/// A lookup by an employee: parses `input` (a field error on `cpr`/`cvr`, and no lookup), asks
/// the register and writes one searches-log row naming `register` — the register the module
/// fetches from with it (the exemption register, the access register, …) — with 0 or 1 results through the group-committing
/// [`SearchLog`] (returning once it is committed) — also when the register knows no one, which
/// is then a field error.
pub async fn look_up(
    log: &SearchLog,
    registry: &dyn Registry,
    acting: &Acting,
    kind: PartyKind,
    input: &str,
    register: Register,
) -> Result<Party, PartyError> {
    let field = lookup_field(kind);
    let id = parse(kind, field, input)?;
    let found = find(registry, kind, &id).await?;
    let search = SearchRecord {
        organisation: acting.organisation.clone(),
        actor_rid: acting.actor_rid.clone(),
        search_data: id,
        register,
        result_count: u32::from(found.is_some()),
    };
    log.record(acting.now, search)
        .await
        .map_err(|err| match err {
            adgang_core::DomainError::Unavailable(why) => PartyError::Unavailable(why),
            other => PartyError::Database(DbErr::Custom(other.to_string())),
        })?;
    found.ok_or_else(|| unknown(kind, field))
}
