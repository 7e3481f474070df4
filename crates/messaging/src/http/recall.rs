//! Recall before the value date (SPEC §10): `GET` and `DELETE`
//! `/api/v1/organisations/{cvr}/memos/{id}` — the real Digital Post API recalls a memo by
//! deleting it. Authorities' `system_admin` only (RC-01..03).

use actix_web::{delete, get, web};
use adgang_api_types::{ConflictReason, Module, RecallCandidate, RecallReceipt};
use adgang_core::openapi as problems;
use adgang_core::{DomainError, ItemPath, ModuleGuard, OrgScope, ReadDb};
use sea_orm::DatabaseConnection;

use crate::error::MessagingError;
use crate::service::recall::{self, Withdrawal};

/// "Tilbagekald": `system_admin` in an authority.
pub struct Recall;

impl ModuleGuard for Recall {
    const MODULE: Module = Module::Recall;
}

fn not_found() -> DomainError {
    DomainError::NotFound("message")
}

/// RC-01: one of the organisation's own outgoing messages by its message id — id, title,
/// recipient CPR/CVR, value date, status — and, when it cannot be recalled, why (RC-03).
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "The message", body = RecallCandidate),
        problems::Scope,
    )
)]
#[get("/organisations/{cvr}/memos/{id}")]
pub(super) async fn find_memo(
    scope: OrgScope<Recall>,
    read: web::Data<ReadDb>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<RecallCandidate>, DomainError> {
    let found = recall::candidate(&read.get_ref().0, &scope.org, &path.id)
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(found))
}

/// RC-02: recall ("Bekræft tilbagekald") a message held for its value date; irreversible. It
/// is never delivered; the message log shows `Tilbagekaldt`; the actions log names the
/// employee. RC-03: 409 `no_value_date`, `value_date_passed` or `already_recalled`.
#[utoipa::path(
    params(ItemPath),
    responses(
        (status = 200, description = "Recalled; the receipt", body = RecallReceipt),
        problems::Scope,
        problems::Conflict,
    )
)]
#[delete("/organisations/{cvr}/memos/{id}")]
pub(super) async fn recall_memo(
    scope: OrgScope<Recall>,
    db: web::Data<DatabaseConnection>,
    path: web::Path<ItemPath>,
) -> Result<web::Json<RecallReceipt>, DomainError> {
    let acting = scope.acting();
    match recall::withdraw(&db, &scope.org, &path.id, &acting.actor, acting.now).await? {
        Withdrawal::Recalled(msg) => Ok(web::Json(RecallReceipt {
            value_date: msg
                .value_date
                .ok_or_else(|| anyhow::anyhow!("a held message without value date"))?,
            message_id: msg.message_id,
            title: msg.title,
            recipient: msg.recipient_id,
            recalled_at: acting.now,
            recalled_by: acting.actor.to_string(),
        })),
        Withdrawal::NotFound => Err(not_found()),
        Withdrawal::NoValueDate => {
            Err(MessagingError::Conflict(ConflictReason::NoValueDate).into())
        }
        Withdrawal::AlreadyRecalled => {
            Err(MessagingError::Conflict(ConflictReason::AlreadyRecalled).into())
        }
        Withdrawal::AlreadyReleased => {
            Err(MessagingError::Conflict(ConflictReason::ValueDatePassed).into())
        }
    }
}
