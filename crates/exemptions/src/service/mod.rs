//! The exemption rules (SPEC §5). Exemptions are national — any authority's citizen service sees
//! and changes a party's one exemption in force — while receipts and actions-log rows belong to
//! the organisation that acted. Every change and its actions-log row commit in one transaction
//! (EX-06).

pub mod expiry;
pub mod receipts;

use adgang_api_types::{
    Address, Exemption, ExemptionAction, ExemptionChange, ExemptionReceipt, FieldCode,
    MailForwarding, NewExemption, PartyExemption, PartyKind,
};
use adgang_core::audit::{
    record_action, ActionEvent, ActionRecord, Actor, FieldChange, Register, Subject,
};
use adgang_core::time::{copenhagen, start_of_day};
use adgang_core::{Acting, Cvr, FieldErrors, SearchLog};
use adgang_registry::party::{self, PartyError};
use adgang_registry::Registry;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use crate::entity::exemption;
use crate::ExemptionError;

/// Most characters of a case note (EX-06).
pub const NOTE_MAX: usize = 200;

/// EX-04: a company exemption granted or renewed at `from` is in force until the end of
/// November two years on (the year of `from` + 2), Copenhagen time: 2026-03-15 → 2028-11-30
/// 23:59:59.999. Returns that last instant.
pub fn company_expiry(from: DateTime<Utc>) -> DateTime<Utc> {
    let year = copenhagen(from).year() + 2;
    let december = NaiveDate::from_ymd_opt(year, 12, 1).expect("1 December exists");
    start_of_day(december) - Duration::milliseconds(1)
}

/// The condition "in force at `now`": not ended, and not past its end.
fn in_force_at(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(exemption::Column::EndedAt.is_null())
        .add(
            Condition::any()
                .add(exemption::Column::ExpiresAt.is_null())
                .add(exemption::Column::ExpiresAt.gte(now)),
        )
}

/// The party's exemption in force at `now`, if any (CORE-02, EX-01).
pub async fn in_force(
    db: &impl ConnectionTrait,
    party_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<exemption::Model>, sea_orm::DbErr> {
    exemption::Entity::find()
        .filter(exemption::Column::PartyId.eq(party_id))
        .filter(in_force_at(now))
        .one(db)
        .await
}

/// EX-01/EX-04, EX-06: looks the party up in the register (one searches-log row, found or not)
/// and adds their exemption in force, read on `read`.
pub async fn look_up(
    read: &impl ConnectionTrait,
    log: &SearchLog,
    registry: &dyn Registry,
    unopened: &dyn adgang_core::ports::UnopenedMail,
    acting: &Acting,
    kind: PartyKind,
    input: &str,
) -> Result<PartyExemption, ExemptionError> {
    let party = party::look_up(
        log,
        registry,
        acting,
        kind,
        input,
        Register::ExemptionRegister,
    )
    .await?;
    let current = in_force(read, &party.id, acting.now).await?;
    let may_have_unopened_mail = unopened
        .has_unopened_mail(&adgang_core::ports::DynConnection(read), &party.number)
        .await?;
    Ok(PartyExemption {
        kind,
        party: party.id,
        name: party.name,
        registered_address: party.registered_address,
        exemption: current.as_ref().map(to_dto),
        // EX-01: mail in the party's platform mailbox they have not opened (a platform that
        // reports no openings leaves it unopened: the warning errs on the side of "may have").
        may_have_unopened_mail,
    })
}

pub fn to_dto(model: &exemption::Model) -> Exemption {
    Exemption {
        id: model.id.clone(),
        kind: PartyKind::parse(&model.kind).unwrap_or(PartyKind::Citizen),
        party: model.party_id.clone(),
        granted_at: model.granted_at,
        granted_by_cvr: model.granted_by_cvr.clone(),
        power_of_attorney: model.power_of_attorney,
        forwarding: MailForwarding::parse(&model.forwarding).unwrap_or(MailForwarding::Declined),
        forwarding_address: forwarding_address(model),
        expires_at: model.expires_at,
        renewed_at: model.renewed_at,
    }
}

fn forwarding_address(model: &exemption::Model) -> Option<Address> {
    match (
        &model.forward_street,
        &model.forward_postal_code,
        &model.forward_city,
    ) {
        (Some(street), Some(postal_code), Some(city)) => Some(Address {
            street: street.clone(),
            postal_code: postal_code.clone(),
            city: city.clone(),
        }),
        _ => None,
    }
}

/// The note, trimmed and at most [`NOTE_MAX`] characters; empty is none.
fn note(errors: &mut FieldErrors, note: Option<&str>) -> Option<String> {
    let note = adgang_core::validate::text(errors, "note", note.unwrap_or(""), NOTE_MAX, false);
    (!note.is_empty()).then_some(note)
}

/// EX-02: an alternative address needs a street, a 4-digit Danish postal code and a city.
fn alternative_address(errors: &mut FieldErrors, address: Option<&Address>) -> Option<Address> {
    let Some(address) = address else {
        errors.add(
            "alternativeAddress",
            FieldCode::Required,
            "Give the address unopened mail is forwarded to.",
        );
        return None;
    };
    let street = adgang_core::validate::text(
        errors,
        "alternativeAddress.street",
        &address.street,
        255,
        true,
    );
    let postal_code = address.postal_code.trim().to_owned();
    if postal_code.is_empty() {
        errors.add(
            "alternativeAddress.postalCode",
            FieldCode::Required,
            "Required.",
        );
    } else if postal_code.len() != 4 || !postal_code.bytes().all(|b| b.is_ascii_digit()) {
        errors.add(
            "alternativeAddress.postalCode",
            FieldCode::InvalidPostalCode,
            "A Danish postal code is 4 digits.",
        );
    }
    let city =
        adgang_core::validate::text(errors, "alternativeAddress.city", &address.city, 255, true);
    Some(Address {
        street,
        postal_code,
        city,
    })
}

/// The default actions-log reason of an action without a note (EX-06).
fn default_reason(action: ExemptionAction) -> &'static str {
    match action {
        ExemptionAction::Granted => "Fritagelse registreret",
        ExemptionAction::Lifted => "Fritagelse ophævet",
        ExemptionAction::Renewed => "Fritagelse fornyet",
    }
}

/// The changed fields as the actions log shows them.
fn field_changes(before: Option<&exemption::Model>, after: &exemption::Model) -> Vec<FieldChange> {
    let expires = |m: &exemption::Model| m.expires_at.map(|t| t.to_rfc3339());
    let mut changes = Vec::new();
    match before {
        None => {
            changes.push(FieldChange::new(
                "forwarding",
                None::<String>,
                Some(&after.forwarding),
            ));
            if let Some(address) = forwarding_address(after) {
                changes.push(FieldChange::new(
                    "forwardingAddress",
                    None::<String>,
                    Some(format!(
                        "{}, {} {}",
                        address.street, address.postal_code, address.city
                    )),
                ));
            }
            if let Some(end) = expires(after) {
                changes.push(FieldChange::new("expiresAt", None::<String>, Some(end)));
            }
        }
        Some(before) => {
            if before.ended_at != after.ended_at {
                changes.push(FieldChange::new(
                    "endedAt",
                    None::<String>,
                    after.ended_at.map(|t| t.to_rfc3339()),
                ));
            }
            if before.expires_at != after.expires_at {
                changes.push(FieldChange::new(
                    "expiresAt",
                    expires(before),
                    expires(after),
                ));
            }
        }
    }
    changes
}

/// Who did what, and why, for the actions log (EX-06).
pub(crate) struct LogEntry<'a> {
    pub organisation: &'a Cvr,
    pub actor: &'a Actor,
    pub at: DateTime<Utc>,
    pub event: ActionEvent,
    pub reason: String,
    pub power_of_attorney: Option<bool>,
}

impl<'a> LogEntry<'a> {
    /// An employee's action: the note as reason, else the action's standard text.
    fn of(
        acting: &'a Acting,
        event: ActionEvent,
        action: ExemptionAction,
        note: &Option<String>,
        power_of_attorney: bool,
    ) -> Self {
        LogEntry {
            organisation: &acting.organisation,
            actor: &acting.actor,
            at: acting.now,
            event,
            reason: note
                .clone()
                .unwrap_or_else(|| default_reason(action).to_owned()),
            power_of_attorney: Some(power_of_attorney),
        }
    }
}

/// Writes the actions-log row(s) of an exemption action (EX-06).
pub(crate) async fn log_action(
    db: &impl ConnectionTrait,
    entry: LogEntry<'_>,
    before: Option<&exemption::Model>,
    after: &exemption::Model,
) -> Result<(), ExemptionError> {
    let record = ActionRecord {
        organisation: entry.organisation.clone(),
        subject: Subject::Exemption,
        event: entry.event,
        party: Some(after.party_id.clone()),
        object_id: Some(after.id.clone()),
        object_name: Some(after.party_name.clone()),
        changes: field_changes(before, after),
        reason: Some(entry.reason),
        power_of_attorney: entry.power_of_attorney,
    };
    record_action(db, entry.actor, entry.at, record).await?;
    Ok(())
}

/// EX-02 (citizens) and EX-04 (companies): exempts the party. Refused when they are exempt
/// already, when a company is an authority, or when the forwarding choice is incomplete.
pub async fn grant(
    db: &impl ConnectionTrait,
    registry: &dyn Registry,
    acting: &Acting,
    kind: PartyKind,
    new: &NewExemption,
) -> Result<ExemptionReceipt, ExemptionError> {
    let mut errors = FieldErrors::new();
    let party_id = match party::parse(kind, "party", &new.party) {
        Ok(id) => Some(id),
        Err(PartyError::Invalid(fields)) => {
            errors.extend(fields);
            None
        }
        Err(other) => return Err(other.into()),
    };
    let note = note(&mut errors, new.note.as_deref());
    let alternative = match new.forwarding {
        MailForwarding::Declined => {
            if !new.informed_of_consequences {
                errors.add(
                    "informedOfConsequences",
                    FieldCode::NotInformed,
                    "Confirm that the party does not want unopened mail forwarded and has been \
                     told the consequences.",
                );
            }
            None
        }
        MailForwarding::RegisteredAddress => None,
        MailForwarding::AlternativeAddress => {
            alternative_address(&mut errors, new.alternative_address.as_ref())
        }
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
        if party.is_authority {
            errors.add(
                "party",
                FieldCode::AuthorityNotExemptible,
                "Authorities cannot be exempted from Digital Post.",
            );
        }
    }
    if !errors.is_empty() {
        return Err(ExemptionError::Validation(errors));
    }
    let party = party.expect("checked above");
    expiry::expire_party(db, &party.id, acting.now).await?;
    if in_force(db, &party.id, acting.now).await?.is_some() {
        return Err(ExemptionError::AlreadyExempt);
    }
    let forwarding_address = match new.forwarding {
        MailForwarding::Declined => None,
        MailForwarding::RegisteredAddress => Some(party.registered_address.clone()),
        MailForwarding::AlternativeAddress => alternative,
    };
    let model = exemption::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        kind: Set(kind.as_str().to_owned()),
        party_id: Set(party.id.clone()),
        party_name: Set(party.name.clone()),
        granted_by_cvr: Set(acting.organisation.to_string()),
        granted_at: Set(acting.now),
        power_of_attorney: Set(new.power_of_attorney),
        forwarding: Set(new.forwarding.as_str().to_owned()),
        forward_street: Set(forwarding_address.as_ref().map(|a| a.street.clone())),
        forward_postal_code: Set(forwarding_address.as_ref().map(|a| a.postal_code.clone())),
        forward_city: Set(forwarding_address.as_ref().map(|a| a.city.clone())),
        expires_at: Set((kind == PartyKind::Company).then(|| company_expiry(acting.now))),
        renewed_at: Set(None),
        ended_at: Set(None),
        end_reason: Set(None),
    }
    .insert(db)
    .await
    .map_err(|err| match err.sql_err() {
        // Another employee exempted the party at the same moment (the partial unique index).
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ExemptionError::AlreadyExempt,
        _ => err.into(),
    })?;
    let action = ExemptionAction::Granted;
    let entry = LogEntry::of(
        acting,
        ActionEvent::Created,
        action,
        &note,
        new.power_of_attorney,
    );
    log_action(db, entry, None, &model).await?;
    receipts::issue(db, acting, action, &model, new.power_of_attorney, note).await
}

/// EX-03, EX-04: logs an employee's lift or renewal of an exemption (as it was `before` and is
/// `after`) with the `change`'s checked `note`, and issues the receipt. A lift is logged as a
/// deletion, a renewal as an edit.
async fn log_change(
    db: &impl ConnectionTrait,
    acting: &Acting,
    action: ExemptionAction,
    change: &ExemptionChange,
    note: Option<String>,
    before: &exemption::Model,
    after: &exemption::Model,
) -> Result<ExemptionReceipt, ExemptionError> {
    let event = match action {
        ExemptionAction::Granted => ActionEvent::Created,
        ExemptionAction::Renewed => ActionEvent::Edited,
        ExemptionAction::Lifted => ActionEvent::Deleted,
    };
    let power_of_attorney = change.power_of_attorney;
    let entry = LogEntry::of(acting, event, action, &note, power_of_attorney);
    log_action(db, entry, Some(before), after).await?;
    receipts::issue(db, acting, action, after, power_of_attorney, note).await
}

/// The exemption `id` of `kind` (any authority's: exemptions are national), in force at `now`.
async fn find_in_force(
    db: &impl ConnectionTrait,
    kind: PartyKind,
    id: &str,
    now: DateTime<Utc>,
) -> Result<exemption::Model, ExemptionError> {
    let model = exemption::Entity::find_by_id(id.to_owned())
        .filter(exemption::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await?
        .ok_or(ExemptionError::NotFound("exemption"))?;
    let ended = model.ended_at.is_some() || model.expires_at.is_some_and(|end| end < now);
    if ended {
        return Err(ExemptionError::Ended);
    }
    Ok(model)
}

/// Ends or changes the exemption only if it is still in force — so of two employees acting at
/// once exactly one succeeds (and an expiry run and a lift never both end it).
async fn update_in_force(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
    values: Vec<(exemption::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<(), ExemptionError> {
    let mut update = Query::update();
    update.table(exemption::Entity);
    for (column, value) in values {
        update.value(column, value);
    }
    update
        .and_where(Expr::col(exemption::Column::Id).eq(id))
        .cond_where(in_force_at(now));
    let result = db.execute(db.get_database_backend().build(&update)).await?;
    if result.rows_affected() == 1 {
        Ok(())
    } else {
        Err(ExemptionError::Ended)
    }
}

/// EX-03 (citizens) and EX-04 (companies): lifts the exemption; it takes effect at once — the
/// party is enrolled in Digital Post again from the receipt's time.
pub async fn lift(
    db: &impl ConnectionTrait,
    acting: &Acting,
    kind: PartyKind,
    id: &str,
    change: &ExemptionChange,
) -> Result<ExemptionReceipt, ExemptionError> {
    let note = checked_note(change)?;
    let before = find_in_force(db, kind, id, acting.now).await?;
    let after = end_as_lifted(db, &before, acting.now).await?;
    let action = ExemptionAction::Lifted;
    log_change(db, acting, action, change, note, &before, &after).await
}

/// EX-03, EX-04: the note of a lift or renewal, checked.
fn checked_note(change: &ExemptionChange) -> Result<Option<String>, ExemptionError> {
    let mut errors = FieldErrors::new();
    let note = note(&mut errors, change.note.as_deref());
    if !errors.is_empty() {
        return Err(ExemptionError::Validation(errors));
    }
    Ok(note)
}

/// EX-03, ACC-02: ends the exemption in force `before` as lifted at `at`; returns it as it now
/// is, or [`ExemptionError::Ended`] when it ended meanwhile.
async fn end_as_lifted(
    db: &impl ConnectionTrait,
    before: &exemption::Model,
    at: DateTime<Utc>,
) -> Result<exemption::Model, ExemptionError> {
    update_in_force(
        db,
        &before.id,
        at,
        vec![
            (exemption::Column::EndedAt, Expr::value(at)),
            (exemption::Column::EndReason, Expr::value("lifted")),
        ],
    )
    .await?;
    Ok(exemption::Model {
        ended_at: Some(at),
        end_reason: Some("lifted".to_owned()),
        ..before.clone()
    })
}

/// ACC-02: lifts the party's exemption in force because access to their mail is given with
/// "lift exemption"; logged like a lift, without a power of attorney, with the caller's reason.
/// Returns whether there was one.
pub async fn lift_for_access(
    db: &impl ConnectionTrait,
    lift: adgang_core::ports::ExemptionLift<'_>,
) -> Result<bool, ExemptionError> {
    let Some(before) = in_force(db, lift.party.as_str(), lift.at).await? else {
        return Ok(false);
    };
    let after = match end_as_lifted(db, &before, lift.at).await {
        Ok(after) => after,
        // Lifted (or expired) by someone else between the read and the update: not ours to
        // lift, and not an error for the access being given.
        Err(ExemptionError::Ended) => return Ok(false),
        Err(err) => return Err(err),
    };
    let entry = LogEntry {
        organisation: lift.organisation,
        actor: lift.actor,
        at: lift.at,
        event: ActionEvent::Deleted,
        reason: lift.reason.to_owned(),
        power_of_attorney: None,
    };
    log_action(db, entry, Some(&before), &after).await?;
    Ok(true)
}

/// EX-04: renews a company's exemption in force: it now ends at the end of November two years
/// after the renewal.
pub async fn renew(
    db: &impl ConnectionTrait,
    acting: &Acting,
    id: &str,
    change: &ExemptionChange,
) -> Result<ExemptionReceipt, ExemptionError> {
    let note = checked_note(change)?;
    let before = find_in_force(db, PartyKind::Company, id, acting.now).await?;
    let expires_at = company_expiry(acting.now);
    update_in_force(
        db,
        id,
        acting.now,
        vec![
            (exemption::Column::ExpiresAt, Expr::value(expires_at)),
            (exemption::Column::RenewedAt, Expr::value(acting.now)),
            (
                exemption::Column::GrantedByCvr,
                Expr::value(acting.organisation.to_string()),
            ),
        ],
    )
    .await?;
    let after = exemption::Model {
        expires_at: Some(expires_at),
        renewed_at: Some(acting.now),
        granted_by_cvr: acting.organisation.to_string(),
        ..before.clone()
    };
    let action = ExemptionAction::Renewed;
    log_change(db, acting, action, change, note, &before, &after).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ex_04_a_company_exemption_ends_with_november_two_years_on() {
        let granted = Utc.with_ymd_and_hms(2026, 3, 15, 10, 0, 0).unwrap();
        // 2028-11-30 23:59:59.999 Copenhagen = 22:59:59.999 UTC (winter time).
        assert_eq!(
            company_expiry(granted),
            Utc.with_ymd_and_hms(2028, 11, 30, 22, 59, 59).unwrap() + Duration::milliseconds(999)
        );
        // New Year's Eve late evening in Copenhagen is already the next year there.
        let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(copenhagen(company_expiry(new_year)).year(), 2029);
        // Granted on the day summer time starts: the same end of November.
        let dst = Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap();
        assert_eq!(company_expiry(dst), company_expiry(granted));
    }
}
