//! A system's API key (SYS-04): revealed in clear (logged) and rotated.

use super::*;

/// The API key in clear (SYS-04); every reveal is logged.
pub async fn reveal_api_key(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    owner: &Owner,
    id: &str,
) -> Result<String, SystemsError> {
    let current = get(db, &owner.cvr, id).await?;
    let Some(sealed) = current.api_key_sealed.as_deref() else {
        return Err(SystemsError::NotFound("API key"));
    };
    let key = ctx.data_key.open(sealed).map_err(|e| {
        SystemsError::Unexpected(e.context("the API key was sealed with another data key"))
    })?;
    // The log's events are created/edited/deleted (LOG-02, enforced by the table); a reveal
    // is an "edited" row on the pseudo-field `apiKeyShown`, so who saw the key is searchable.
    let change = vec![FieldChange::new(
        "apiKeyShown",
        None::<String>,
        Some("vist"),
    )];
    record_action(
        db,
        actor,
        ctx.now,
        record(&owner.cvr, &current, ActionEvent::Edited, change),
    )
    .await?;
    Ok(key)
}

/// A new API key replaces the old one (SYS-04), or is the system's first: without a vendor a
/// system gets its key here, to submit messages with (CORE-01).
pub async fn rotate_api_key(
    db: &impl ConnectionTrait,
    ctx: &Context<'_>,
    actor: &Actor,
    owner: &Owner,
    id: &str,
) -> Result<String, SystemsError> {
    let current = get(db, &owner.cvr, id).await?;
    let before = current.api_key_sealed.as_ref().map(|_| "gammel");
    let key = random_token(32);
    let mut active = current.clone().into_active_model();
    active.api_key_sealed = Set(Some(ctx.data_key.seal(&key)));
    active.updated_at = Set(ctx.now);
    active.update(db).await?;
    let change = vec![FieldChange::new("apiKey", before, Some("ny"))];
    record_action(
        db,
        actor,
        ctx.now,
        record(&owner.cvr, &current, ActionEvent::Edited, change),
    )
    .await?;
    Ok(key)
}
