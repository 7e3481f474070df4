//! Users and their rights per organisation — what the external rights portal holds in
//! production; here the rights administrator's endpoints and the test portal use it.

use adgang_api_types::Right;
use adgang_core::audit::{record_action, ActionEvent, ActionRecord, Actor, FieldChange, Subject};
use adgang_core::Cvr;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{organisation, user, user_right};
use crate::IdentityError;

/// Finds the user with this IdP subject, creating it on first sight (and keeping the name
/// current, as the IdP is the source of names).
pub async fn ensure_user(
    db: &impl ConnectionTrait,
    subject: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<user::Model, IdentityError> {
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Subject.eq(subject))
        .one(db)
        .await?
    {
        if existing.name != name && !name.is_empty() {
            let mut active: user::ActiveModel = existing.into();
            active.name = Set(name.to_owned());
            return Ok(active.update(db).await?);
        }
        return Ok(existing);
    }
    Ok(user::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        subject: Set(subject.to_owned()),
        name: Set(name.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// The user's rights in one organisation, in `Right::ALL` order.
pub async fn rights_in(
    db: &impl ConnectionTrait,
    user_id: &str,
    cvr: &Cvr,
) -> Result<Vec<Right>, IdentityError> {
    let rows = user_right::Entity::find()
        .filter(user_right::Column::UserId.eq(user_id))
        .filter(user_right::Column::OrganisationCvr.eq(cvr.as_str()))
        .all(db)
        .await?;
    let mut rights: Vec<Right> = rows.iter().filter_map(|r| Right::parse(&r.right)).collect();
    rights.sort();
    Ok(rights)
}

/// All the user's rights in any organisation, deduplicated (an operator's own rights, carried
/// when acting on behalf of another organisation) — one query.
pub async fn all_rights(
    db: &impl ConnectionTrait,
    user_id: &str,
) -> Result<Vec<Right>, IdentityError> {
    let rows = user_right::Entity::find()
        .filter(user_right::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let mut rights: Vec<Right> = rows.iter().filter_map(|r| Right::parse(&r.right)).collect();
    rights.sort();
    rights.dedup();
    Ok(rights)
}

/// Every organisation where the user holds at least one right (CTX-01), by name.
pub async fn organisations_of(
    db: &impl ConnectionTrait,
    user_id: &str,
) -> Result<Vec<organisation::Model>, IdentityError> {
    let cvrs: Vec<String> = user_right::Entity::find()
        .filter(user_right::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.organisation_cvr)
        .collect();
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Cvr.is_in(cvrs))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?)
}

/// Grants `right` in `cvr`; a no-op when already held. Logged (Subject::Rights) in `db`'s
/// transaction.
/// a right, logged in the caller's transaction.
pub async fn grant(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cvr: &Cvr,
    user: &user::Model,
    right: Right,
    now: DateTime<Utc>,
) -> Result<bool, IdentityError> {
    let key = (user.id.clone(), cvr.to_string(), right.as_str().to_owned());
    if user_right::Entity::find_by_id(key).one(db).await?.is_some() {
        return Ok(false);
    }
    if organisation::Entity::find_by_id(cvr.as_str())
        .one(db)
        .await?
        .is_none()
    {
        return Err(IdentityError::OrganisationNotFound);
    }
    user_right::ActiveModel {
        user_id: Set(user.id.clone()),
        organisation_cvr: Set(cvr.to_string()),
        right: Set(right.as_str().to_owned()),
        granted_at: Set(now),
    }
    .insert(db)
    .await?;
    record_action(
        db,
        actor,
        now,
        rights_record(cvr, user, right, ActionEvent::Created),
    )
    .await?;
    Ok(true)
}

/// Revokes `right` in `cvr`; false when it was not held. Logged like [`grant`]. The last
/// `rights_admin` of an organisation is refused (issue 32).
pub async fn revoke(
    db: &impl ConnectionTrait,
    actor: &Actor,
    cvr: &Cvr,
    user: &user::Model,
    right: Right,
    now: DateTime<Utc>,
) -> Result<bool, IdentityError> {
    let result = user_right::Entity::delete_by_id((
        user.id.clone(),
        cvr.to_string(),
        right.as_str().to_owned(),
    ))
    .exec(db)
    .await?;
    if result.rows_affected == 0 {
        return Ok(false);
    }
    // Issue 32: someone must be left to administer the organisation's rights (the caller's
    // transaction rolls the deletion back).
    if right == Right::RightsAdmin {
        let left = user_right::Entity::find()
            .filter(user_right::Column::OrganisationCvr.eq(cvr.as_str()))
            .filter(user_right::Column::Right.eq(Right::RightsAdmin.as_str()))
            .count(db)
            .await?;
        if left == 0 {
            return Err(IdentityError::LastRightsAdmin);
        }
    }
    // Tokens carry rights: the user's live tokens end now, the next one has what is left.
    super::sessions::revoke_tokens_of(db, &user.id, now).await?;
    record_action(
        db,
        actor,
        now,
        rights_record(cvr, user, right, ActionEvent::Deleted),
    )
    .await?;
    Ok(true)
}

fn rights_record(cvr: &Cvr, user: &user::Model, right: Right, event: ActionEvent) -> ActionRecord {
    let value = Some(right.as_str());
    let (before, after) = match event {
        ActionEvent::Created => (None, value),
        ActionEvent::Edited | ActionEvent::Deleted => (value, None),
    };
    ActionRecord::on_object(
        cvr.clone(),
        Subject::Rights,
        event,
        &user.subject,
        &user.name,
        vec![FieldChange::new("right", before, after)],
    )
}

/// CTX-02: what an operator carries while acting on behalf of another organisation — the
/// rights they hold in the organisations where they are `operator` (their home), never
/// `rights_admin` (who administers an organisation's rights is that organisation's own choice)
/// — and the home the actions log names them by (the first by name).
pub async fn on_behalf(
    db: &impl ConnectionTrait,
    user_id: &str,
) -> Result<(Vec<Right>, Option<Cvr>), IdentityError> {
    // Every grant of the user in one query; the home named first by name in a second.
    let grants: Vec<(String, Right)> = user_right::Entity::find()
        .filter(user_right::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|g| Some((g.organisation_cvr, Right::parse(&g.right)?)))
        .collect();
    let is_home = |cvr: &str| {
        grants
            .iter()
            .any(|(c, r)| c == cvr && *r == Right::Operator)
    };
    let mut carried: Vec<Right> = grants
        .iter()
        .filter(|(cvr, right)| is_home(cvr) && *right != Right::RightsAdmin)
        .map(|(_, right)| *right)
        .collect();
    carried.sort();
    carried.dedup();
    let homes = grants
        .iter()
        .filter(|(_, right)| *right == Right::Operator)
        .map(|(cvr, _)| cvr.clone());
    let home = organisation::Entity::find()
        .filter(organisation::Column::Cvr.is_in(homes))
        .order_by_asc(organisation::Column::Name)
        .one(db)
        .await?
        .and_then(|o| Cvr::parse(&o.cvr).ok());
    Ok((carried, home))
}

/// Everyone holding rights in `cvr`, by name, with those rights (two queries, no N+1).
pub async fn users_of(
    db: &impl ConnectionTrait,
    cvr: &Cvr,
) -> Result<Vec<(user::Model, Vec<Right>)>, IdentityError> {
    let grants = user_right::Entity::find()
        .filter(user_right::Column::OrganisationCvr.eq(cvr.as_str()))
        .all(db)
        .await?;
    let ids: Vec<String> = grants.iter().map(|g| g.user_id.clone()).collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| {
            let mut rights: Vec<Right> = grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .filter_map(|g| Right::parse(&g.right))
                .collect();
            rights.sort();
            (u, rights)
        })
        .collect())
}

/// The user with this (internal) id, if known.
pub async fn user_by_id(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<user::Model>, IdentityError> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// The user with this IdP subject, if known.
pub async fn user_by_subject(
    db: &impl ConnectionTrait,
    subject: &str,
) -> Result<Option<user::Model>, IdentityError> {
    Ok(user::Entity::find()
        .filter(user::Column::Subject.eq(subject))
        .one(db)
        .await?)
}
