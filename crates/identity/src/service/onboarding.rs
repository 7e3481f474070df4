//! Onboarding of authorities (AUTH-04, guide §3.1.1). The first login into an authority that
//! has not joined yet must accept the connection agreement, upload it signed (a PDF, checked by
//! its signature bytes and by parsing it) and designate a rights administrator. Until then the
//! organisation's access tokens say `onboarding_pending` and every module answers
//! `onboarding_required`. Companies skip it.

use adgang_api_types::FieldCode;
use adgang_api_types::{ConnectionAgreement, OnboardingCompletion, Right, SignedAgreement};
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::ports::{FileRefusal, UntrustedFiles};
use adgang_core::secrets::sha256_hex;
use adgang_core::{Cvr, DomainError, FieldErrors};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Set};

use crate::entity::{organisation, signed_agreement};
use crate::service::rights;
use crate::IdentityError;

/// The largest signed agreement accepted (a scanned, signed agreement of a few pages).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The PDF header must start within the first 1024 bytes (ISO 32000-1 §7.5.2, as readers
/// tolerate).
const PDF_SIGNATURE: &[u8] = b"%PDF-";
const SIGNATURE_WINDOW: usize = 1024;

pub const AGREEMENT_TITLE: &str = "Aftale om tilslutning til og benyttelse af Digital Post";
pub const AGREEMENT_VERSION: &str = "2026.1";
const AGREEMENT_PARAGRAPHS: &[&str] = &[
    "1. Aftalen gælder myndighedens tilslutning til Digital Post som afsender og modtager af digitale meddelelser fra og til borgere og virksomheder.",
    "2. Myndigheden tilslutter sine afsender- og modtagersystemer gennem Administrativ Adgang og holder oplysningerne om systemer, kontaktstruktur og teknisk kontaktperson ajour.",
    "3. Myndigheden udpeger en rettighedsadministrator, der tildeler og fjerner medarbejderes rettigheder i Administrativ Adgang, og sørger for, at kun medarbejdere med et arbejdsbetinget behov har rettigheder.",
    "4. Myndigheden er dataansvarlig for de meddelelser, den sender og modtager, og behandler personoplysninger efter databeskyttelsesforordningen og databeskyttelsesloven.",
    "5. Alle handlinger og opslag i Administrativ Adgang logges. Myndigheden kan søge i sin egen log og skal kunne redegøre for medarbejdernes opslag.",
    "6. Aftalen træder i kraft, når den underskrevne aftale er uploadet, og myndigheden har accepteret vilkårene. Den kan opsiges skriftligt med tre måneders varsel.",
];

pub fn agreement() -> ConnectionAgreement {
    ConnectionAgreement {
        title: AGREEMENT_TITLE.to_owned(),
        version: AGREEMENT_VERSION.to_owned(),
        paragraphs: AGREEMENT_PARAGRAPHS
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
    }
}

/// AUTH-04: the agreement as a PDF for the authority to sign — its name and CVR number filled
/// in, the terms, and lines for date, name and signature — to upload signed afterwards.
pub fn agreement_pdf(organisation_name: &str, cvr: &Cvr) -> anyhow::Result<Vec<u8>> {
    let field = |label: &str, value: &str| (label.to_owned(), value.to_owned());
    let line = "_____________________________________";
    let terms = AGREEMENT_PARAGRAPHS
        .iter()
        .map(|p| match p.split_once(". ") {
            Some((number, text)) => field(&format!("{number}."), text),
            None => field("", p),
        })
        .collect();
    adgang_documents::pdf::render(&adgang_documents::pdf::Report {
        title: AGREEMENT_TITLE.to_owned(),
        subtitle: format!("Version {AGREEMENT_VERSION}"),
        sections: vec![
            adgang_documents::pdf::Section {
                heading: "Myndigheden".into(),
                fields: vec![
                    field("Navn", organisation_name),
                    field("CVR-nummer", cvr.as_str()),
                ],
            },
            adgang_documents::pdf::Section {
                heading: "Vilkår".into(),
                fields: terms,
            },
            adgang_documents::pdf::Section {
                heading: "Underskrift".into(),
                fields: vec![
                    field("Dato", line),
                    field("Navn", line),
                    field("Underskrift", line),
                ],
            },
        ],
        figures: vec![],
    })
}

/// What a valid upload told us about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPdf {
    pub page_count: u32,
    pub sha256: String,
}

/// AUTH-04, the cheap first line (issue 29 item 4): an upload must not be empty and must carry
/// the PDF signature near its start. What the file is, is [`check_pdf`]'s question.
pub fn precheck_pdf(bytes: &[u8]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    if bytes.is_empty() {
        errors.add(
            "document",
            FieldCode::Required,
            "Upload the signed agreement as a PDF.",
        );
        return Err(errors);
    }
    let head = &bytes[..bytes.len().min(SIGNATURE_WINDOW)];
    if !head
        .windows(PDF_SIGNATURE.len())
        .any(|w| w == PDF_SIGNATURE)
    {
        errors.add("document", FieldCode::NotPdf, "The file is not a PDF.");
        return Err(errors);
    }
    Ok(())
}

/// Accepts a PDF only: after [`precheck_pdf`], the file is read in the upload sandbox (issue
/// 29) and must parse, must not be encrypted (we could not read it later) and must have at
/// least one page. AUTH-04.
pub async fn check_pdf(
    files: &dyn UntrustedFiles,
    bytes: &[u8],
) -> Result<CheckedPdf, DomainError> {
    precheck_pdf(bytes).map_err(DomainError::Validation)?;
    let field = |code, message: String| DomainError::field("document", code, message);
    let page_count = match files.pdf(bytes.to_vec()).await {
        Ok(facts) => facts.page_count,
        Err(refusal) => {
            if let Some(common) = refusal.common_error("document") {
                return Err(common);
            }
            return Err(match refusal {
                FileRefusal::Encrypted => field(
                    FieldCode::EncryptedPdf,
                    "The PDF is password-protected; upload it without a password.".to_owned(),
                ),
                FileRefusal::TooLarge(why) => field(
                    FieldCode::UnreadablePdf,
                    format!("The PDF could not be read safely: {why}."),
                ),
                FileRefusal::Unreadable(why) => field(
                    FieldCode::UnreadablePdf,
                    format!("The PDF could not be read: {why}"),
                ),
                // Answered by `common_error` above.
                FileRefusal::TooComplex(_) | FileRefusal::Busy => field(
                    FieldCode::UnreadablePdf,
                    "The PDF could not be read.".to_owned(),
                ),
            });
        }
    };
    if page_count == 0 {
        return Err(field(
            FieldCode::EmptyPdf,
            "The PDF has no pages.".to_owned(),
        ));
    }
    Ok(CheckedPdf {
        page_count,
        sha256: sha256_hex(bytes),
    })
}

/// The organisation, when it still awaits onboarding; else a conflict (companies never do).
pub async fn pending_organisation(
    db: &impl ConnectionTrait,
    cvr: &Cvr,
) -> Result<organisation::Model, IdentityError> {
    let org = organisation::Entity::find_by_id(cvr.as_str())
        .one(db)
        .await?
        .ok_or(IdentityError::OrganisationNotFound)?;
    if org.awaits_onboarding() {
        Ok(org)
    } else {
        Err(IdentityError::AlreadyOnboarded)
    }
}

/// What is known about the uploaded agreement — without reading the document itself (up to
/// 10 MiB) just to describe it.
pub async fn signed_agreement_of(
    db: &impl ConnectionTrait,
    cvr: &Cvr,
) -> Result<Option<SignedAgreement>, IdentityError> {
    use sea_orm::{FromQueryResult, QuerySelect};
    #[derive(FromQueryResult)]
    struct Row {
        sha256: String,
        size_bytes: i64,
        page_count: i32,
        uploaded_at: DateTime<Utc>,
    }
    let row = signed_agreement::Entity::find_by_id(cvr.as_str())
        .select_only()
        .columns([
            signed_agreement::Column::Sha256,
            signed_agreement::Column::SizeBytes,
            signed_agreement::Column::PageCount,
            signed_agreement::Column::UploadedAt,
        ])
        .into_model::<Row>()
        .one(db)
        .await?;
    Ok(row.map(|r| SignedAgreement {
        size_bytes: u64::try_from(r.size_bytes).unwrap_or_default(),
        page_count: u32::try_from(r.page_count).unwrap_or_default(),
        sha256: r.sha256,
        uploaded_at: r.uploaded_at,
    }))
}

/// Stores (or replaces, before completion) the signed agreement. Logged.
/// AUTH-04: the signed agreement, checked by [`check_pdf`] before the transaction, stored and
/// logged.
pub async fn store_signed_agreement(
    db: &impl ConnectionTrait,
    actor: &Actor,
    uploader: &str,
    cvr: &Cvr,
    bytes: Vec<u8>,
    checked: CheckedPdf,
    now: DateTime<Utc>,
) -> Result<SignedAgreement, IdentityError> {
    pending_organisation(db, cvr).await?;
    let previous = signed_agreement_of(db, cvr).await?;
    let size_bytes = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let model = signed_agreement::ActiveModel {
        organisation_cvr: Set(cvr.to_string()),
        document: Set(bytes),
        sha256: Set(checked.sha256.clone()),
        size_bytes: Set(size_bytes),
        page_count: Set(i32::try_from(checked.page_count).unwrap_or(i32::MAX)),
        uploaded_by: Set(uploader.to_owned()),
        uploaded_at: Set(now),
    };
    let event = match &previous {
        Some(_) => {
            model.update(db).await?;
            ActionEvent::Edited
        }
        None => {
            model.insert(db).await?;
            ActionEvent::Created
        }
    };
    let stored = SignedAgreement {
        size_bytes: u64::try_from(size_bytes).unwrap_or_default(),
        page_count: checked.page_count,
        sha256: checked.sha256.clone(),
        uploaded_at: now,
    };
    record_action(
        db,
        actor,
        now,
        ActionRecord::on_object(
            cvr.clone(),
            Subject::Onboarding,
            event,
            &cvr.to_string(),
            "Underskrevet tilslutningsaftale",
            vec![FieldChange::new(
                "sha256",
                previous.as_ref().map(|p| p.sha256.clone()),
                Some(checked.sha256),
            )],
        ),
    )
    .await?;
    Ok(stored)
}

pub const MAX_USER_NAME_CHARS: usize = 200;
pub const MAX_USER_ID_CHARS: usize = 100;

/// Accepts the agreement and makes the designated user rights administrator, in `db`'s
/// transaction with its log rows. Every rule is checked before anything is written.
/// AUTH-04: accept the agreement and designate the rights administrator; then joined.
/// §3.1.1: how the designated rights administrator is told — through the mail outbox (SMTP
/// when configured), with the link to the rights portal.
pub struct RightsAdminNotice<'a> {
    pub mailer: &'a dyn adgang_core::ports::Mailer,
    /// The rights portal (the built-in test portal in a test deployment).
    pub rights_portal_url: &'a str,
}

pub async fn complete(
    db: &impl ConnectionTrait,
    notice: &RightsAdminNotice<'_>,
    actor: &Actor,
    cvr: &Cvr,
    completion: &OnboardingCompletion,
    now: DateTime<Utc>,
) -> Result<organisation::Model, IdentityError> {
    let org = pending_organisation(db, cvr).await?;
    let mut errors = FieldErrors::new();
    if !completion.accept_agreement {
        errors.add(
            "acceptAgreement",
            FieldCode::MustAccept,
            "The agreement must be accepted.",
        );
    }
    if signed_agreement_of(db, cvr).await?.is_none() {
        errors.add(
            "signedAgreement",
            FieldCode::Required,
            "Upload the signed agreement first.",
        );
    }
    // Issue 13 item 9: whether a name is needed depends only on what the caller can see — the
    // organisation's own users need none, any other RID needs one whether or not it is known
    // elsewhere (the answer must not tell), and a user known elsewhere keeps their own name.
    let designated = &completion.rights_admin;
    let user_id = designated.user_id.trim();
    let own_user = rights::users_of(db, cvr)
        .await?
        .into_iter()
        .map(|(user, _)| user)
        .find(|user| user.subject == user_id);
    if user_id.is_empty() {
        errors.add(
            "rightsAdmin.userId",
            FieldCode::Required,
            "Designate a rights administrator.",
        );
    } else if user_id.chars().count() > MAX_USER_ID_CHARS {
        errors.add(
            "rightsAdmin.userId",
            FieldCode::TooLong,
            format!("The user id is at most {MAX_USER_ID_CHARS} characters."),
        );
    }
    let name = designated
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    if own_user.is_none() && !user_id.is_empty() {
        if name.is_empty() {
            errors.add(
                "rightsAdmin.name",
                FieldCode::Required,
                "A new user needs a name.",
            );
        } else if name.chars().count() > MAX_USER_NAME_CHARS {
            errors.add(
                "rightsAdmin.name",
                FieldCode::TooLong,
                format!("The name is at most {MAX_USER_NAME_CHARS} characters."),
            );
        }
    }
    let email = match adgang_core::validate::Email::parse(&designated.email) {
        Ok(email) => Some(email.into_inner()),
        Err(code) => {
            errors.add(
                "rightsAdmin.email",
                code,
                "The rights administrator's e-mail address: the link to the rights portal goes there.",
            );
            None
        }
    };
    if !errors.is_empty() {
        return Err(IdentityError::Validation(errors));
    }
    let user = match own_user {
        Some(user) => user,
        None => match rights::user_by_subject(db, user_id).await? {
            Some(known_elsewhere) => known_elsewhere,
            None => rights::ensure_user(db, user_id, name, now).await?,
        },
    };
    rights::grant(db, actor, cvr, &user, Right::RightsAdmin, now).await?;
    let mut active = org.into_active_model();
    active.agreement_accepted_at = Set(Some(now));
    let joined = active.update(db).await?;
    record_action(
        db,
        actor,
        now,
        ActionRecord::on_object(
            cvr.clone(),
            Subject::Onboarding,
            ActionEvent::Edited,
            &cvr.to_string(),
            AGREEMENT_TITLE,
            vec![
                FieldChange::new(
                    "agreementAcceptedAt",
                    None::<String>,
                    Some(now.to_rfc3339()),
                ),
                FieldChange::new("agreementVersion", None::<String>, Some(AGREEMENT_VERSION)),
                FieldChange::new("rightsAdmin", None::<String>, Some(&user.subject)),
            ],
        ),
    )
    .await?;
    // §3.1.1: the rights administrator is the first of the organisation to get the link to
    // the rights portal — in the same transaction, so a notice is never sent for nothing.
    if let Some(to) = email {
        let mail = adgang_core::ports::Mail {
            to,
            subject: format!(
                "Du er udpeget som rettighedsadministrator for {} i Digital Post",
                joined.name
            ),
            body: format!(
                "Kære {}\n\n{} (CVR {}) er nu tilsluttet Digital Post, og du er udpeget som \
                 organisationens rettighedsadministrator i Administrativ Adgang.\n\n\
                 I Rettighedsportalen giver du dine kolleger (og fx jeres leverandør) de \
                 rettigheder, de skal bruge: {}\n",
                user.name, joined.name, joined.cvr, notice.rights_portal_url
            ),
        };
        notice
            .mailer
            .send(db, mail, now)
            .await
            .map_err(|e| DbErr::Custom(format!("the rights administrator's notice: {e:#}")))?;
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_04_refuses_files_that_are_not_pdfs_before_reading_them() {
        let code = |bytes: &[u8]| {
            precheck_pdf(bytes).unwrap_err().into_inner()[0]
                .code
                .as_str()
        };
        assert_eq!(code(b""), "required");
        assert_eq!(code(b"PK\x03\x04 a zip file pretending"), "not_pdf");
        // Unreadable, encrypted and hostile PDFs are the sandbox's to find (server API tests).
        assert_eq!(precheck_pdf(b"%PDF-1.7\n this is not really a pdf"), Ok(()));
    }
}
