//! Authority information's rules (SPEC §8): the privacy-policy link (INFO-01) and the logo
//! (INFO-02), each change in the actions log in its transaction (INFO-03).

pub mod link_check;
pub mod logo;

use adgang_api_types::{
    ActionEvent, AuthorityInformation, FieldCode, Logo, SenderInformation, Subject,
};
use adgang_core::audit::{record_action, ActionRecord, FieldChange};
use adgang_core::ports::CleanPng;
use adgang_core::{Acting, HttpsUrl};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::entity::authority_information as info;
use crate::error::AuthorityInfoError;

/// The public address of `cvr`'s logo in `version`.
pub fn logo_url(cvr: &str, version: &str) -> String {
    format!("/api/v1/senders/{cvr}/logo?v={version}")
}

fn to_dto(row: Option<info::Model>) -> AuthorityInformation {
    let Some(row) = row else {
        return AuthorityInformation {
            privacy_policy_url: None,
            logo: None,
            updated_at: None,
        };
    };
    let logo = match (
        &row.logo,
        row.logo_width,
        row.logo_height,
        &row.logo_version,
    ) {
        (Some(bytes), Some(width), Some(height), Some(version)) => Some(Logo {
            width: u32::try_from(width).unwrap_or(0),
            height: u32::try_from(height).unwrap_or(0),
            bytes: bytes.len() as u64,
            url: logo_url(&row.organisation_cvr, version),
        }),
        _ => None,
    };
    AuthorityInformation {
        privacy_policy_url: row.privacy_policy_url,
        logo,
        updated_at: Some(row.updated_at),
    }
}

/// INFO-01/02: what `cvr` has set up.
pub async fn information(
    db: &impl ConnectionTrait,
    cvr: &str,
) -> Result<AuthorityInformation, AuthorityInfoError> {
    Ok(to_dto(info::Entity::find_by_id(cvr).one(db).await?))
}

/// The row of the acting organisation, created empty when it has none — an insert that
/// ignores a conflict, so two first changes at once both find it.
async fn row(
    db: &impl ConnectionTrait,
    acting: &Acting,
) -> Result<info::Model, AuthorityInfoError> {
    let cvr = acting.organisation.to_string();
    info::Entity::insert(info::ActiveModel {
        organisation_cvr: Set(cvr.clone()),
        privacy_policy_url: Set(None),
        logo: Set(None),
        logo_width: Set(None),
        logo_height: Set(None),
        logo_version: Set(None),
        updated_at: Set(acting.now),
    })
    .on_conflict(
        OnConflict::column(info::Column::OrganisationCvr)
            .do_nothing()
            .to_owned(),
    )
    .do_nothing()
    .exec(db)
    .await?;
    info::Entity::find_by_id(cvr)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the authority information row vanished").into())
}

fn log(
    acting: &Acting,
    field: &str,
    before: Option<String>,
    after: Option<String>,
) -> ActionRecord {
    let event = match (&before, &after) {
        (None, Some(_)) => ActionEvent::Created,
        (Some(_), None) => ActionEvent::Deleted,
        _ => ActionEvent::Edited,
    };
    ActionRecord::on_object(
        acting.organisation.clone(),
        Subject::AuthorityInformation,
        event,
        &acting.organisation.to_string(),
        field,
        vec![FieldChange::new(field, before, after)],
    )
}

/// INFO-01: the link must be an https URL, and not one naming an internal address outright.
pub fn parse_link(input: &str) -> Result<url::Url, AuthorityInfoError> {
    let checked = HttpsUrl::parse(input, false)
        .map_err(|code| AuthorityInfoError::field("url", code, "Not a usable https URL."))?;
    let url = url::Url::parse(checked.as_str()).map_err(|_| {
        AuthorityInfoError::field("url", FieldCode::InvalidUrl, "Not an absolute URL.")
    })?;
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
        _ => None,
    };
    if literal.is_some_and(|ip| !adgang_core::outbound::is_public(ip))
        || url.host_str() == Some("localhost")
    {
        return Err(AuthorityInfoError::field(
            "url",
            FieldCode::ForbiddenAddress,
            "The address is internal.",
        ));
    }
    Ok(url)
}

/// INFO-01 ("Gem"): stores the privacy-policy link.
pub async fn save_privacy_link(
    db: &impl ConnectionTrait,
    acting: &Acting,
    input: &str,
) -> Result<AuthorityInformation, AuthorityInfoError> {
    let url = parse_link(input)?.to_string();
    let current = row(db, acting).await?;
    if current.privacy_policy_url.as_deref() == Some(url.as_str()) {
        return Ok(to_dto(Some(current)));
    }
    let before = current.privacy_policy_url.clone();
    let mut active: info::ActiveModel = current.into();
    active.privacy_policy_url = Set(Some(url.clone()));
    active.updated_at = Set(acting.now);
    let saved = active.update(db).await?;
    record_action(
        db,
        &acting.actor,
        acting.now,
        log(acting, "privacyPolicyUrl", before, Some(url)),
    )
    .await?;
    Ok(to_dto(Some(saved)))
}

/// The logo as the actions log shows it ("PNG 200 × 80 px, 1234 bytes").
fn describe(row: &info::Model) -> Option<String> {
    Some(format!(
        "PNG {} × {} px, {} bytes",
        row.logo_width?,
        row.logo_height?,
        row.logo.as_ref()?.len()
    ))
}

/// INFO-02: stores (or replaces) the logo — the image the upload sandbox decoded and wrote
/// anew (issue 29 item 3), so what the platforms get is that plain PNG, not the upload.
pub async fn set_logo(
    db: &impl ConnectionTrait,
    acting: &Acting,
    clean: CleanPng,
) -> Result<AuthorityInformation, AuthorityInfoError> {
    let current = row(db, acting).await?;
    let saved = write_logo(db, acting, current, Some(clean)).await?;
    Ok(to_dto(Some(saved)))
}

/// INFO-02: removes the logo; 404 when there is none.
pub async fn remove_logo(
    db: &impl ConnectionTrait,
    acting: &Acting,
) -> Result<(), AuthorityInfoError> {
    let current = info::Entity::find_by_id(acting.organisation.to_string())
        .one(db)
        .await?
        .filter(|row| row.logo.is_some())
        .ok_or(AuthorityInfoError::NotFound("logo"))?;
    write_logo(db, acting, current, None).await?;
    Ok(())
}

/// INFO-02: puts `logo` (or no logo) in `current` with a new version, logs the logo before and
/// after, and returns the saved row.
async fn write_logo(
    db: &impl ConnectionTrait,
    acting: &Acting,
    current: info::Model,
    logo: Option<CleanPng>,
) -> Result<info::Model, AuthorityInfoError> {
    let before = describe(&current);
    let mut active: info::ActiveModel = current.into();
    active.logo_width = Set(logo.as_ref().map(|png| png.width as i32));
    active.logo_height = Set(logo.as_ref().map(|png| png.height as i32));
    active.logo_version = Set(logo.as_ref().map(|_| uuid::Uuid::now_v7().to_string()));
    active.logo = Set(logo.map(|png| png.bytes));
    active.updated_at = Set(acting.now);
    let saved = active.update(db).await?;
    let after = describe(&saved);
    record_action(
        db,
        &acting.actor,
        acting.now,
        log(acting, "logo", before, after),
    )
    .await?;
    Ok(saved)
}

/// INFO-02: what the platforms show with `cvr`'s mail.
pub async fn sender(
    db: &impl ConnectionTrait,
    cvr: &str,
) -> Result<SenderInformation, AuthorityInfoError> {
    let found = information(db, cvr).await?;
    Ok(SenderInformation {
        cvr: cvr.to_owned(),
        privacy_policy_url: found.privacy_policy_url,
        logo_available: found.logo.is_some(),
        logo_url: found.logo.map(|logo| logo.url),
    })
}

/// INFO-02: `cvr`'s logo bytes and version, for the platforms.
pub async fn logo_bytes(
    db: &impl ConnectionTrait,
    cvr: &str,
) -> Result<Option<(Vec<u8>, String)>, AuthorityInfoError> {
    Ok(info::Entity::find_by_id(cvr)
        .one(db)
        .await?
        .and_then(|row| Some((row.logo?, row.logo_version?))))
}
