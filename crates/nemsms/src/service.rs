//! The NemSMS rules (SPEC §6). An enrolment is national — any authority's citizen service sees
//! and changes a party's one current enrolment — while actions-log rows belong to the
//! organisation that acted. A number counts only once its holder has confirmed it with the
//! link sent to that number; a change keeps the confirmed number in use until the new one is
//! confirmed. Every change, its confirmation SMS and its actions-log row commit together.

use adgang_api_types::{
    FieldCode, NemSmsAction, NemSmsConfirmed, NemSmsReceipt, NemSmsState, NemSmsStatus,
    NewNemSmsEnrolment, PartyKind,
};
use adgang_core::audit::{
    record_action, ActionEvent, ActionRecord, Actor, FieldChange, Register, Subject,
};
use adgang_core::ports::{Sms, SmsGateway};
use adgang_core::secrets::{random_token, sha256_hex};
use adgang_core::time::danish_time;
use adgang_core::{Acting, Cvr, FieldErrors, PhoneNumber, SearchLog};
use adgang_registry::party::{self, PartyError};
use adgang_registry::Registry;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entity::{confirmation, enrolment};
use crate::{NemSmsError, NemSmsSettings};

/// SMS-02: a Danish 8-digit number (stored as `+45…`) or an E.164 number, else a field error.
pub fn normalise_phone(field: &str, input: &str) -> Result<String, NemSmsError> {
    let phone = PhoneNumber::parse(input).map_err(|code| {
        NemSmsError::field(
            field,
            code,
            "A phone number is 8 digits or E.164 (+ and 8 to 15 digits).",
        )
    })?;
    let phone = phone.as_str();
    Ok(if phone.starts_with('+') {
        phone.to_owned()
    } else {
        format!("+45{phone}")
    })
}

/// The party's current enrolment, if any.
pub async fn current(
    db: &impl ConnectionTrait,
    party_id: &str,
) -> Result<Option<enrolment::Model>, sea_orm::DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::PartyId.eq(party_id))
        .filter(enrolment::Column::EndedAt.is_null())
        .one(db)
        .await
}

/// SMS-01: the status a lookup shows.
pub fn status(
    kind: PartyKind,
    party: String,
    name: String,
    current: Option<&enrolment::Model>,
) -> NemSmsStatus {
    let state = match current {
        None => NemSmsState::NotEnrolled,
        Some(e) if e.phone.is_some() => NemSmsState::Enrolled,
        Some(_) => NemSmsState::AwaitingConfirmation,
    };
    NemSmsStatus {
        kind,
        party,
        name,
        state,
        enrolment_id: current.map(|e| e.id.clone()),
        phone: current.and_then(|e| e.phone.clone()),
        enrolled_at: current.and_then(|e| e.enrolled_at),
        pending_phone: current.and_then(|e| e.pending_phone.clone()),
        pending_since: current.and_then(|e| e.pending_since),
    }
}

/// SMS-01, SMS-04: the party from the register (one searches-log row, found or not) and their
/// enrolment, read on `read`.
pub async fn look_up(
    read: &impl ConnectionTrait,
    log: &SearchLog,
    registry: &dyn Registry,
    acting: &Acting,
    kind: PartyKind,
    input: &str,
) -> Result<NemSmsStatus, NemSmsError> {
    let party =
        party::look_up(log, registry, acting, kind, input, Register::NemSmsRegister).await?;
    let current = current(read, &party.id).await?;
    Ok(status(kind, party.id, party.name, current.as_ref()))
}

/// The actions-log row of a NemSMS action (SMS-04).
async fn log(
    db: &impl ConnectionTrait,
    organisation: &Cvr,
    actor: &Actor,
    at: DateTime<Utc>,
    event: ActionEvent,
    model: &enrolment::Model,
    change: FieldChange,
) -> Result<(), NemSmsError> {
    let record = ActionRecord {
        organisation: organisation.clone(),
        subject: Subject::NemSms,
        event,
        party: Some(model.party_id.clone()),
        object_id: Some(model.id.clone()),
        object_name: Some(model.party_name.clone()),
        changes: vec![change],
        reason: None,
        power_of_attorney: None,
    };
    record_action(db, actor, at, record).await?;
    Ok(())
}

/// SMS-02: stores a confirmation link for `phone` and sends it there through the gateway, in
/// the caller's transaction. Returns when the link stops working.
async fn send_link(
    db: &(impl ConnectionTrait + Sized),
    gateway: &dyn SmsGateway,
    settings: &NemSmsSettings,
    acting: &Acting,
    model: &enrolment::Model,
    phone: &str,
) -> Result<DateTime<Utc>, NemSmsError> {
    let token = random_token(32);
    let expires_at = acting.now + settings.link_lifetime;
    confirmation::ActiveModel {
        id: Set(sha256_hex(&token)),
        enrolment_id: Set(model.id.clone()),
        phone: Set(phone.to_owned()),
        requested_by_cvr: Set(acting.organisation.to_string()),
        created_at: Set(acting.now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    let link = format!(
        "{}/nemsms/bekraeft/{token}",
        settings.public_base_url.trim_end_matches('/')
    );
    let sms = Sms {
        recipient_cpr: model.party_id.clone(),
        phone: Some(phone.to_owned()),
        text: format!(
            "Bekræft dit telefonnummer til NemSMS: {link} Linket virker til {}.",
            danish_time(expires_at)
        ),
        reference: "NemSMS-bekræftelse".to_owned(),
    };
    gateway
        .send(db, sms, acting.now)
        .await
        .map_err(|e| NemSmsError::Unexpected(e.context("sending the confirmation SMS")))?;
    Ok(expires_at)
}

/// SMS-02, SMS-03: logs the new pending number of `after` (a new enrolment when there is no
/// `before`), sends the confirmation link to it and returns the receipt.
async fn await_confirmation(
    db: &impl ConnectionTrait,
    gateway: &dyn SmsGateway,
    settings: &NemSmsSettings,
    acting: &Acting,
    before: Option<&enrolment::Model>,
    after: &enrolment::Model,
    phone: String,
) -> Result<NemSmsReceipt, NemSmsError> {
    let (event, action) = match before {
        None => (ActionEvent::Created, NemSmsAction::Enrolled),
        Some(_) => (ActionEvent::Edited, NemSmsAction::NumberChanged),
    };
    let previous = before.and_then(|model| model.pending_phone.clone());
    let change = FieldChange::new("pendingPhone", previous, Some(&phone));
    let (organisation, actor, now) = (&acting.organisation, &acting.actor, acting.now);
    log(db, organisation, actor, now, event, after, change).await?;
    let confirm_by = send_link(db, gateway, settings, acting, after, &phone).await?;
    receipt(action, after, phone, acting.now, Some(confirm_by))
}

fn receipt(
    action: NemSmsAction,
    model: &enrolment::Model,
    phone: String,
    at: DateTime<Utc>,
    confirm_by: Option<DateTime<Utc>>,
) -> Result<NemSmsReceipt, NemSmsError> {
    Ok(NemSmsReceipt {
        action,
        kind: PartyKind::parse(&model.kind).ok_or_else(|| anyhow::anyhow!("party kind"))?,
        party: model.party_id.clone(),
        party_name: model.party_name.clone(),
        phone,
        at,
        confirm_by,
    })
}

/// SMS-02: enrols the party with `new.phone`, waiting for the holder's confirmation; the link
/// goes out by SMS in the same transaction. Refused when the party is enrolled already.
pub async fn enrol(
    db: &impl ConnectionTrait,
    registry: &dyn Registry,
    gateway: &dyn SmsGateway,
    settings: &NemSmsSettings,
    acting: &Acting,
    kind: PartyKind,
    new: &NewNemSmsEnrolment,
) -> Result<NemSmsReceipt, NemSmsError> {
    let mut errors = FieldErrors::new();
    let party_id = match party::parse(kind, "party", &new.party) {
        Ok(id) => Some(id),
        Err(PartyError::Invalid(fields)) => {
            errors.extend(fields);
            None
        }
        Err(other) => return Err(other.into()),
    };
    let phone = match normalise_phone("phone", &new.phone) {
        Ok(phone) => Some(phone),
        Err(NemSmsError::Validation(fields)) => {
            errors.extend(fields);
            None
        }
        Err(other) => return Err(other),
    };
    let party = match &party_id {
        Some(id) => match party::find(registry, kind, id).await? {
            Some(party) => Some(party),
            None => {
                if let PartyError::Invalid(fields) = party::unknown(kind, "party") {
                    errors.extend(fields);
                }
                None
            }
        },
        None => None,
    };
    if let Some(party) = &party {
        if current(db, &party.id).await?.is_some() {
            errors.add(
                "party",
                FieldCode::AlreadyEnrolled,
                "The party is enrolled in NemSMS already; change the number instead.",
            );
        }
    }
    if !errors.is_empty() {
        return Err(NemSmsError::Validation(errors));
    }
    let (party, phone) = (party.expect("checked"), phone.expect("checked"));
    let model = enrolment::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        kind: Set(kind.as_str().to_owned()),
        party_id: Set(party.id.clone()),
        party_name: Set(party.name.clone()),
        phone: Set(None),
        enrolled_at: Set(None),
        pending_phone: Set(Some(phone.clone())),
        pending_since: Set(Some(acting.now)),
        requested_by_cvr: Set(acting.organisation.to_string()),
        created_at: Set(acting.now),
        ended_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(|err| match err.sql_err() {
        // Another employee enrolled the party at the same moment.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => NemSmsError::field(
            "party",
            FieldCode::AlreadyEnrolled,
            "The party is enrolled in NemSMS already.",
        ),
        _ => err.into(),
    })?;
    await_confirmation(db, gateway, settings, acting, None, &model, phone).await
}

/// The current enrolment `id` of `kind`.
async fn find_current(
    db: &impl ConnectionTrait,
    kind: PartyKind,
    id: &str,
) -> Result<enrolment::Model, NemSmsError> {
    let model = enrolment::Entity::find_by_id(id.to_owned())
        .filter(enrolment::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?
        .ok_or(NemSmsError::NotFound("enrolment"))?;
    if model.ended_at.is_some() {
        return Err(NemSmsError::Ended);
    }
    Ok(model)
}

/// Changes the enrolment only while it is current, so an unenrolment at the same moment wins
/// cleanly instead of being overwritten.
async fn update_current(
    db: &impl ConnectionTrait,
    id: &str,
    values: Vec<(enrolment::Column, SimpleExpr)>,
) -> Result<(), NemSmsError> {
    let mut update = Query::update();
    update.table(enrolment::Entity);
    for (column, value) in values {
        update.value(column, value);
    }
    update
        .and_where(Expr::col(enrolment::Column::Id).eq(id))
        .and_where(Expr::col(enrolment::Column::EndedAt).is_null());
    let result = db.execute(db.get_database_backend().build(&update)).await?;
    if result.rows_affected() == 1 {
        Ok(())
    } else {
        Err(NemSmsError::Ended)
    }
}

/// SMS-03: a new number, waiting for the holder's confirmation; the confirmed number (if any)
/// stays in use until then, and earlier links stop working.
pub async fn change_number(
    db: &impl ConnectionTrait,
    gateway: &dyn SmsGateway,
    settings: &NemSmsSettings,
    acting: &Acting,
    kind: PartyKind,
    id: &str,
    phone: &str,
) -> Result<NemSmsReceipt, NemSmsError> {
    let phone = normalise_phone("phone", phone)?;
    let before = find_current(db, kind, id).await?;
    if before.phone.as_deref() == Some(phone.as_str())
        || before.pending_phone.as_deref() == Some(phone.as_str())
    {
        return Err(NemSmsError::field(
            "phone",
            FieldCode::SameNumber,
            "This number is the one enrolled or waiting for confirmation.",
        ));
    }
    update_current(
        db,
        id,
        vec![
            (enrolment::Column::PendingPhone, Expr::value(phone.clone())),
            (enrolment::Column::PendingSince, Expr::value(acting.now)),
            (
                enrolment::Column::RequestedByCvr,
                Expr::value(acting.organisation.to_string()),
            ),
        ],
    )
    .await?;
    let after = enrolment::Model {
        pending_phone: Some(phone.clone()),
        pending_since: Some(acting.now),
        requested_by_cvr: acting.organisation.to_string(),
        ..before.clone()
    };
    await_confirmation(db, gateway, settings, acting, Some(&before), &after, phone).await
}

/// SMS-03: ends the enrolment at once; its links stop working.
pub async fn unenrol(
    db: &impl ConnectionTrait,
    acting: &Acting,
    kind: PartyKind,
    id: &str,
) -> Result<NemSmsReceipt, NemSmsError> {
    let before = find_current(db, kind, id).await?;
    update_current(
        db,
        id,
        vec![(enrolment::Column::EndedAt, Expr::value(acting.now))],
    )
    .await?;
    let phone = before
        .phone
        .clone()
        .or_else(|| before.pending_phone.clone())
        .unwrap_or_default();
    let change = FieldChange::new("phone", Some(&phone), None::<String>);
    log(
        db,
        &acting.organisation,
        &acting.actor,
        acting.now,
        ActionEvent::Deleted,
        &before,
        change,
    )
    .await?;
    receipt(NemSmsAction::Unenrolled, &before, phone, acting.now, None)
}

fn link_error(code: FieldCode, message: &str) -> NemSmsError {
    NemSmsError::field("token", code, message)
}

/// SMS-02: the holder opens the link: its number becomes the enrolled one. A link works once,
/// until it expires, and only while its number is still the one waiting (not replaced by a
/// newer number or an unenrolment). Logged with the holder as actor in the log of the authority
/// that sent the link.
pub async fn confirm(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<NemSmsConfirmed, NemSmsError> {
    let link = confirmation::Entity::find_by_id(sha256_hex(token.trim()))
        .one(db)
        .await?
        .ok_or_else(|| {
            link_error(
                FieldCode::LinkUnknown,
                "No confirmation link has this token.",
            )
        })?;
    if link.used_at.is_some() {
        return Err(link_error(FieldCode::LinkUsed, "The link has been used."));
    }
    let enrolment = enrolment::Entity::find_by_id(link.enrolment_id.clone())
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a link's enrolment"))?;
    let replaced = enrolment.ended_at.is_some()
        || enrolment.pending_phone.as_deref() != Some(link.phone.as_str());
    if link.expires_at < now || replaced {
        return Err(link_error(
            FieldCode::LinkExpired,
            "The link has expired or a newer number replaced it.",
        ));
    }
    // Used once: of two clicks at the same moment exactly one gets here.
    let mut used = Query::update();
    used.table(confirmation::Entity)
        .value(confirmation::Column::UsedAt, Expr::value(now))
        .and_where(Expr::col(confirmation::Column::Id).eq(link.id.as_str()))
        .and_where(Expr::col(confirmation::Column::UsedAt).is_null());
    if db
        .execute(db.get_database_backend().build(&used))
        .await?
        .rows_affected()
        != 1
    {
        return Err(link_error(FieldCode::LinkUsed, "The link has been used."));
    }
    // As PostgreSQL stores it (microseconds), so the answer equals what a lookup shows.
    let enrolled_at = enrolment.enrolled_at.unwrap_or(now.trunc_subsecs(6));
    let mut update = Query::update();
    update
        .table(enrolment::Entity)
        .value(enrolment::Column::Phone, Expr::value(link.phone.clone()))
        .value(enrolment::Column::EnrolledAt, Expr::value(enrolled_at))
        .value(enrolment::Column::PendingPhone, Expr::value(None::<String>))
        .value(
            enrolment::Column::PendingSince,
            Expr::value(None::<DateTime<Utc>>),
        )
        .and_where(Expr::col(enrolment::Column::Id).eq(enrolment.id.as_str()))
        .and_where(Expr::col(enrolment::Column::EndedAt).is_null())
        .and_where(Expr::col(enrolment::Column::PendingPhone).eq(link.phone.as_str()));
    if db
        .execute(db.get_database_backend().build(&update))
        .await?
        .rows_affected()
        != 1
    {
        return Err(link_error(
            FieldCode::LinkExpired,
            "The link has expired or a newer number replaced it.",
        ));
    }
    let organisation = Cvr::parse(&link.requested_by_cvr)
        .map_err(|_| anyhow::anyhow!("the requesting organisation's CVR"))?;
    let holder = match PartyKind::parse(&enrolment.kind) {
        Some(PartyKind::Company) => Actor::Organisation {
            cvr: Cvr::parse(&enrolment.party_id).map_err(|_| anyhow::anyhow!("a company's CVR"))?,
        },
        _ => Actor::Citizen {
            cpr: enrolment.party_id.clone(),
        },
    };
    let change = FieldChange::new("phone", enrolment.phone.clone(), Some(&link.phone));
    log(
        db,
        &organisation,
        &holder,
        now,
        ActionEvent::Edited,
        &enrolment,
        change,
    )
    .await?;
    Ok(NemSmsConfirmed {
        phone: link.phone,
        enrolled_at,
    })
}
