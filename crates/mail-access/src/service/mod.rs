//! The access rules (SPEC §7). Accesses are national — any authority's citizen service sees and
//! revokes a giver's accesses — while receipts and actions-log rows belong to the organisation
//! that acted. An access, the giver's count, a lifted exemption and the actions-log rows commit
//! in one transaction.

pub mod expiry;
pub mod receipts;

use adgang_api_types::{
    AccessGiver, AccessHolder, AccessLevel, ExemptionChoice, FieldCode, MailAccess,
    MailAccessAction, MailAccessReceipt, NewMailAccess, PartyKind,
};
use adgang_core::audit::{
    record_action, ActionEvent, ActionRecord, Actor, FieldChange, Register, Subject,
};
use adgang_core::ports::{ExemptionLift, ExemptionStatus};
use adgang_core::time::{copenhagen, start_of_day};
use adgang_core::{Acting, Cvr, FieldErrors, SearchLog};
use adgang_registry::party::{self, PartyError};
use adgang_registry::Registry;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entity::{giver, mail_access};
use crate::MailAccessError;

/// ACC-03: the most holders a giver can have.
pub const MAX_HOLDERS: i32 = 10;
/// Most characters of a company holder's employee name.
const EMPLOYEE_NAME_MAX: usize = 100;
/// The actions-log reason of an exemption lifted with an access (ACC-02).
const LIFTED_FOR_ACCESS: &str = "Ophævet ved oprettelse af adgang til posten";

/// In force at `now`: not ended, and not past its last day.
fn in_force_at(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(mail_access::Column::EndedAt.is_null())
        .add(
            Condition::any()
                .add(mail_access::Column::EndsAt.is_null())
                .add(mail_access::Column::EndsAt.gt(now)),
        )
}

/// The giver's accesses in force, oldest first.
pub async fn in_force(
    db: &impl ConnectionTrait,
    giver: &str,
    now: DateTime<Utc>,
) -> Result<Vec<mail_access::Model>, sea_orm::DbErr> {
    mail_access::Entity::find()
        .filter(mail_access::Column::GiverCpr.eq(giver))
        .filter(in_force_at(now))
        .order_by_asc(mail_access::Column::CreatedAt)
        .all(db)
        .await
}

pub fn to_dto(model: &mail_access::Model) -> MailAccess {
    MailAccess {
        id: model.id.clone(),
        holder_kind: PartyKind::parse(&model.holder_kind).unwrap_or(PartyKind::Citizen),
        holder: model.holder_id.clone(),
        holder_name: model.holder_name.clone(),
        employee_name: model.employee_name.clone(),
        level: AccessLevel::parse(&model.level).unwrap_or(AccessLevel::Read),
        created_at: model.created_at,
        expires_on: model.expires_on,
        limited_to_before_exemption: model.limited_to_before_exemption,
    }
}

/// ACC-01: the giver from the CPR register (one searches-log row), whether they are exempt and
/// their holders — read on `read`.
pub async fn look_up_giver(
    read: &impl ConnectionTrait,
    log: &SearchLog,
    registry: &dyn Registry,
    exemptions: &dyn ExemptionStatus,
    acting: &Acting,
    cpr: &str,
) -> Result<AccessGiver, MailAccessError> {
    let giver = party::look_up(
        log,
        registry,
        acting,
        PartyKind::Citizen,
        cpr,
        Register::AccessRegister,
    )
    .await?;
    let exempt_since = exemptions.exempt_since(read, &giver.number).await?;
    let accesses = in_force(read, &giver.id, acting.now).await?;
    Ok(AccessGiver {
        cpr: giver.id,
        name: giver.name,
        exempt_since,
        accesses: accesses.iter().map(to_dto).collect(),
    })
}

/// A holder's number: 10 digits a CPR, 8 a CVR (a field error on `field` otherwise).
pub fn holder_kind(field: &str, input: &str) -> Result<PartyKind, MailAccessError> {
    let digits = input.chars().filter(|c| c.is_ascii_digit()).count();
    match digits {
        10 => Ok(PartyKind::Citizen),
        8 => Ok(PartyKind::Company),
        _ => Err(MailAccessError::field(
            field,
            FieldCode::CprOrCvr,
            "Give a CPR number (10 digits) or a CVR number (8 digits).",
        )),
    }
}

/// ACC-02: a holder from the CPR or CVR register (one searches-log row), with their enrolment
/// status (the guide's §10.3 step 3: "tilmeldingsstatus"), read on `read`.
pub async fn look_up_holder(
    read: &impl ConnectionTrait,
    log: &SearchLog,
    registry: &dyn Registry,
    exemptions: &dyn ExemptionStatus,
    acting: &Acting,
    input: &str,
) -> Result<AccessHolder, MailAccessError> {
    let kind = holder_kind("holder", input)?;
    let holder = party::look_up(log, registry, acting, kind, input, Register::AccessRegister)
        .await
        .map_err(|e| match e {
            // The lookup names the field `cpr`/`cvr`; this form calls it `holder`.
            PartyError::Invalid(fields) => {
                let mut renamed = FieldErrors::new();
                for e in fields.into_inner() {
                    renamed.add("holder", e.code, e.message);
                }
                MailAccessError::Validation(renamed)
            }
            other => other.into(),
        })?;
    let exempt_since = exemptions.exempt_since(read, &holder.number).await?;
    Ok(AccessHolder {
        kind,
        holder: holder.id,
        name: holder.name,
        exempt_since,
    })
}

/// Adds `result`'s field errors to `errors`; passes anything else on.
fn collect<T>(
    errors: &mut FieldErrors,
    result: Result<T, MailAccessError>,
) -> Result<Option<T>, MailAccessError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(MailAccessError::Validation(fields)) => {
            errors.extend(fields);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// ACC-03: counts one more access for the giver unless they have [`MAX_HOLDERS`] — one
/// conditional UPDATE, so two employees adding the eleventh at once cannot both succeed.
async fn count_in(db: &impl ConnectionTrait, giver_cpr: &str) -> Result<bool, MailAccessError> {
    giver::Entity::insert(giver::ActiveModel {
        giver_cpr: Set(giver_cpr.to_owned()),
        in_force: Set(0),
    })
    .on_conflict(
        OnConflict::column(giver::Column::GiverCpr)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    update_in_force(
        db,
        giver_cpr,
        Expr::col(giver::Column::InForce).add(1),
        Expr::col(giver::Column::InForce).lt(MAX_HOLDERS),
    )
    .await
}

/// One access fewer in force for the giver.
pub(crate) async fn count_out(
    db: &impl ConnectionTrait,
    giver_cpr: &str,
) -> Result<(), MailAccessError> {
    update_in_force(
        db,
        giver_cpr,
        Expr::col(giver::Column::InForce).sub(1),
        Expr::col(giver::Column::InForce).gt(0),
    )
    .await?;
    Ok(())
}

/// Sets the giver's count of accesses in force to `value` where `guard` holds, in one
/// statement so that concurrent grants cannot pass the limit; true when the row changed.
async fn update_in_force(
    db: &impl ConnectionTrait,
    giver_cpr: &str,
    value: SimpleExpr,
    guard: SimpleExpr,
) -> Result<bool, MailAccessError> {
    let mut update = Query::update();
    update
        .table(giver::Entity)
        .value(giver::Column::InForce, value)
        .and_where(Expr::col(giver::Column::GiverCpr).eq(giver_cpr))
        .and_where(guard);
    let result = db.execute(db.get_database_backend().build(&update)).await?;
    Ok(result.rows_affected() == 1)
}

/// The actions-log rows of an access action (ACC-05).
pub(crate) async fn log(
    db: &impl ConnectionTrait,
    organisation: &Cvr,
    actor: &Actor,
    at: DateTime<Utc>,
    event: ActionEvent,
    model: &mail_access::Model,
    reason: Option<String>,
) -> Result<(), MailAccessError> {
    let changes = match event {
        ActionEvent::Created => vec![
            FieldChange::new("holder", None::<String>, Some(&model.holder_id)),
            FieldChange::new("level", None::<String>, Some(&model.level)),
            FieldChange::new(
                "expiresOn",
                None::<String>,
                Some(
                    model
                        .expires_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unlimited".to_owned()),
                ),
            ),
        ],
        _ => vec![FieldChange::new(
            "holder",
            Some(&model.holder_id),
            None::<String>,
        )],
    };
    let record = ActionRecord {
        organisation: organisation.clone(),
        subject: Subject::MailAccess,
        event,
        party: Some(model.giver_cpr.clone()),
        object_id: Some(model.id.clone()),
        object_name: Some(model.holder_name.clone()),
        changes,
        reason,
        power_of_attorney: None,
    };
    record_action(db, actor, at, record).await?;
    Ok(())
}

/// ACC-02, ACC-03: gives the holder access to the giver's mail. Refused — nothing stored — for
/// the giver as holder, a holder who has access already, an eleventh holder, an employee name
/// for a citizen holder, an end date not after today, or an exempt giver without the choice of
/// lifting or keeping the exemption.
pub async fn create(
    db: &impl ConnectionTrait,
    registry: &dyn Registry,
    exemptions: &dyn ExemptionStatus,
    acting: &Acting,
    new: &NewMailAccess,
) -> Result<MailAccessReceipt, MailAccessError> {
    let mut errors = FieldErrors::new();
    let giver_id = collect(
        &mut errors,
        party::parse(PartyKind::Citizen, "giver", &new.giver).map_err(Into::into),
    )?;
    let kind = collect(&mut errors, holder_kind("holder", &new.holder))?;
    let holder_id = match kind {
        Some(kind) => collect(
            &mut errors,
            party::parse(kind, "holder", &new.holder).map_err(Into::into),
        )?,
        None => None,
    };
    let employee_name = new
        .employee_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if let Some(name) = &employee_name {
        if kind == Some(PartyKind::Citizen) {
            errors.add(
                "employeeName",
                FieldCode::NotApplicable,
                "Only a company holder names an employee.",
            );
        } else if name.chars().count() > EMPLOYEE_NAME_MAX {
            errors.add(
                "employeeName",
                FieldCode::TooLong,
                format!("At most {EMPLOYEE_NAME_MAX} characters."),
            );
        }
    }
    let today = copenhagen(acting.now).date_naive();
    if new.expires_on.is_some_and(|day| day <= today) {
        errors.add(
            "expiresOn",
            FieldCode::InThePast,
            "The last day of the access must be after today.",
        );
    }
    if let (Some(giver), Some(holder)) = (&giver_id, &holder_id) {
        if giver == holder {
            errors.add(
                "holder",
                FieldCode::HolderIsGiver,
                "The giver cannot be their own holder.",
            );
        }
    }
    let giver = match &giver_id {
        Some(id) => party::find(registry, PartyKind::Citizen, id).await?,
        None => None,
    };
    if giver_id.is_some() && giver.is_none() {
        if let PartyError::Invalid(fields) = party::unknown(PartyKind::Citizen, "giver") {
            errors.extend(fields);
        }
    }
    let holder = match (kind, &holder_id) {
        (Some(kind), Some(id)) => {
            let found = party::find(registry, kind, id).await?;
            if found.is_none() {
                if let PartyError::Invalid(fields) = party::unknown(kind, "holder") {
                    errors.extend(fields);
                }
            }
            found
        }
        _ => None,
    };
    let exempt_since = match &giver {
        Some(giver) => exemptions.exempt_since(db, &giver.number).await?,
        None => None,
    };
    if exempt_since.is_some() && new.exemption.is_none() {
        errors.add(
            "exemption",
            FieldCode::Required,
            "The giver is exempt: choose to lift or keep the exemption.",
        );
    }
    if let (Some(giver), Some(holder)) = (&giver, &holder) {
        expiry::expire_giver(db, &giver.id, acting.now).await?;
        let current = in_force(db, &giver.id, acting.now).await?;
        if current.iter().any(|a| a.holder_id == holder.id) {
            errors.add(
                "holder",
                FieldCode::DuplicateHolder,
                "The holder has access to the giver's mail already.",
            );
        } else if current.len() >= MAX_HOLDERS as usize {
            errors.add(
                "holder",
                FieldCode::TooManyHolders,
                "The giver has 10 holders already; revoke one first.",
            );
        }
    }
    if !errors.is_empty() {
        return Err(MailAccessError::Validation(errors));
    }
    let (giver, holder) = (giver.expect("checked"), holder.expect("checked"));
    if !count_in(db, &giver.id).await? {
        return Err(MailAccessError::field(
            "holder",
            FieldCode::TooManyHolders,
            "The giver has 10 holders already; revoke one first.",
        ));
    }
    let lift = exempt_since.is_some() && new.exemption == Some(ExemptionChoice::Lift);
    let keep = exempt_since.is_some() && new.exemption == Some(ExemptionChoice::Keep);
    let model = mail_access::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        giver_cpr: Set(giver.id.clone()),
        giver_name: Set(giver.name.clone()),
        holder_kind: Set(holder.kind.as_str().to_owned()),
        holder_id: Set(holder.id.clone()),
        holder_name: Set(holder.name.clone()),
        employee_name: Set(employee_name),
        level: Set(new.level.as_str().to_owned()),
        expires_on: Set(new.expires_on),
        ends_at: Set(new
            .expires_on
            .map(|day| start_of_day(day + Duration::days(1)))),
        limited_to_before_exemption: Set(keep),
        created_by_cvr: Set(acting.organisation.to_string()),
        created_at: Set(acting.now),
        ended_at: Set(None),
        end_reason: Set(None),
    }
    .insert(db)
    .await
    .map_err(|err| match err.sql_err() {
        // Another employee gave the same holder access at the same moment.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => MailAccessError::field(
            "holder",
            FieldCode::DuplicateHolder,
            "The holder has access to the giver's mail already.",
        ),
        _ => err.into(),
    })?;
    let exemption_lifted = if lift {
        let lifting = ExemptionLift {
            party: &giver.number,
            organisation: &acting.organisation,
            actor: &acting.actor,
            at: acting.now,
            reason: LIFTED_FOR_ACCESS,
        };
        exemptions.lift(db, lifting).await?
    } else {
        false
    };
    let reason = keep.then(|| "Fritagelsen bevares".to_owned());
    log(
        db,
        &acting.organisation,
        &acting.actor,
        acting.now,
        ActionEvent::Created,
        &model,
        reason,
    )
    .await?;
    receipts::issue(
        db,
        acting,
        MailAccessAction::Created,
        &model,
        exemption_lifted,
    )
    .await
}

/// ACC-04: revokes the access at once; irreversible (a new access is a new one).
pub async fn revoke(
    db: &impl ConnectionTrait,
    acting: &Acting,
    id: &str,
) -> Result<MailAccessReceipt, MailAccessError> {
    let model = mail_access::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(MailAccessError::NotFound("access"))?;
    if !expiry::end(db, &model, acting.now, "revoked").await? {
        return Err(MailAccessError::Ended);
    }
    let ended = mail_access::Model {
        ended_at: Some(acting.now),
        end_reason: Some("revoked".to_owned()),
        ..model
    };
    log(
        db,
        &acting.organisation,
        &acting.actor,
        acting.now,
        ActionEvent::Deleted,
        &ended,
        None,
    )
    .await?;
    receipts::issue(db, acting, MailAccessAction::Revoked, &ended, false).await
}
