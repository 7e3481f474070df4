//! The one handler skeleton for organisation-scoped endpoints: [`OrgScope<G>`] authenticates
//! the caller, lets the guard `G` authorise them (a module: its rights for this organisation
//! kind, once the organisation has completed onboarding, AUTH-04; or a right), matches the
//! `{cvr}` of the path to the token's organisation (another organisation's resources are 404,
//! never 403) and reads "now" from the [`Clock`]. Handlers take it first and read their body
//! after it.

use std::future::{ready, Ready};
use std::marker::PhantomData;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use adgang_api_types::{FieldCode, Module, OrgKind, PartyCollection, PartyKind};
use chrono::{DateTime, Utc};

use crate::audit::Actor;
use crate::time::Clock;
use crate::{Cvr, DomainError, Principal};

/// Who may call an organisation-scoped endpoint; checked before anything else is read.
pub trait ScopeGuard {
    fn authorise(principal: &Principal) -> Result<(), DomainError>;
}

/// Names the module a handler belongs to (`type Scope = OrgScope<SystemConnection>`): its
/// endpoints are open to the module's rights for the organisation kind (SPEC §0), once the
/// organisation has joined (AUTH-04).
pub trait ModuleGuard {
    const MODULE: Module;
}

impl<M: ModuleGuard> ScopeGuard for M {
    fn authorise(principal: &Principal) -> Result<(), DomainError> {
        principal.require_module(M::MODULE)
    }
}

/// The caller, authorised by `G` (a module, or a right) in the organisation of the path's
/// `{cvr}`.
pub struct OrgScope<G> {
    pub principal: Principal,
    /// The organisation of the path, which is the caller's current one.
    pub org: Cvr,
    pub kind: OrgKind,
    /// How the caller appears in the actions log.
    pub actor: Actor,
    /// "Now" for this request, from the app's clock.
    pub now: DateTime<Utc>,
    guard: PhantomData<G>,
}

impl<G> OrgScope<G> {
    /// "Name (Organisation)", as documents say who printed them.
    pub fn who(&self) -> String {
        format!(
            "{} ({})",
            self.principal.name, self.principal.organisation_name
        )
    }

    /// The caller as a service call needs them (the citizen-service modules).
    pub fn acting(&self) -> Acting {
        Acting {
            organisation: self.org.clone(),
            actor: self.actor.clone(),
            actor_rid: self.principal.user_id.clone(),
            approved_by: self.who(),
            now: self.now,
        }
    }
}

/// Who acts in a service call: the organisation whose actions log and receipts get the action,
/// the actor as the actions log writes it, the RID the searches log names, who a receipt says
/// approved it, and "now".
#[derive(Debug, Clone)]
pub struct Acting {
    pub organisation: Cvr,
    pub actor: Actor,
    pub actor_rid: String,
    /// "Name (Organisation)".
    pub approved_by: String,
    pub now: DateTime<Utc>,
}

/// "Now" from the app's clock (`web::Data<dyn Clock>`, registered by the server).
pub fn now(req: &HttpRequest) -> Result<DateTime<Utc>, DomainError> {
    req.app_data::<web::Data<dyn Clock>>()
        .map(|clock| clock.now())
        .ok_or_else(|| DomainError::Unexpected(anyhow::anyhow!("no clock registered")))
}

impl<G> OrgScope<G> {
    /// The caller, authorised by `authorise`, in the organisation of the path's `{cvr}`.
    fn authorised(
        req: &HttpRequest,
        authorise: impl FnOnce(&Principal) -> Result<(), DomainError>,
    ) -> Result<Self, DomainError> {
        let principal = crate::auth::principal_from_request(req)?;
        authorise(&principal)?;
        let cvr = req
            .match_info()
            .get("cvr")
            .ok_or(DomainError::NotFound("organisation"))?;
        let org = principal.organisation_scope(cvr)?.clone();
        Ok(OrgScope {
            kind: principal.organisation_kind,
            actor: principal.actor(),
            org,
            now: now(req)?,
            principal,
            guard: PhantomData,
        })
    }
}

impl<G: ScopeGuard> FromRequest for OrgScope<G> {
    type Error = DomainError;
    type Future = Ready<Result<Self, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(OrgScope::authorised(req, G::authorise))
    }
}

/// A national register split by kind of party (exemptions EX-05, NemSMS SMS-04): the module that
/// opens its citizens and the one that opens its companies. Each endpoint exists once and serves
/// both; the kind of party decides which right the caller needs.
pub trait PartyGuard {
    const CITIZEN: Module;
    const COMPANY: Module;

    fn module(kind: PartyKind) -> Module {
        match kind {
            PartyKind::Citizen => Self::CITIZEN,
            PartyKind::Company => Self::COMPANY,
        }
    }

    /// The kinds of party the caller's rights open.
    fn kinds(principal: &Principal) -> Vec<PartyKind> {
        [PartyKind::Citizen, PartyKind::Company]
            .into_iter()
            .filter(|kind| principal.require_module(Self::module(*kind)).is_ok())
            .collect()
    }
}

/// Either half of a register (`OrgScope<EitherParty<G>>`): for what names its party in the body
/// (lookups, then [`OrgScope::require_party`]) or concerns both kinds (receipts).
pub struct EitherParty<G>(PhantomData<G>);

impl<G: PartyGuard> ScopeGuard for EitherParty<G> {
    fn authorise(principal: &Principal) -> Result<(), DomainError> {
        principal
            .require_module(G::CITIZEN)
            .or_else(|_| principal.require_module(G::COMPANY))
    }
}

impl<G: PartyGuard> OrgScope<EitherParty<G>> {
    /// The caller may act on this kind of party (a lookup's, once its body is read).
    pub fn require_party(&self, kind: PartyKind) -> Result<(), DomainError> {
        self.principal.require_module(G::module(kind))
    }
}

/// The caller, authorised for the kind of party the path's `{party}` names (`citizens` or
/// `companies`; the route admits no other), in the organisation of the path's `{cvr}`.
pub struct PartyScope<G> {
    pub party: PartyKind,
    pub scope: OrgScope<G>,
}

impl<G> std::ops::Deref for PartyScope<G> {
    type Target = OrgScope<G>;

    fn deref(&self) -> &OrgScope<G> {
        &self.scope
    }
}

impl<G: PartyGuard> FromRequest for PartyScope<G> {
    type Error = DomainError;
    type Future = Ready<Result<Self, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready((|| {
            let party = req
                .match_info()
                .get("party")
                .and_then(PartyCollection::parse)
                .ok_or(DomainError::NotFound("party"))?
                .kind();
            let scope = OrgScope::authorised(req, |p| p.require_module(G::module(party)))?;
            Ok(PartyScope { party, scope })
        })())
    }
}

/// "Now" from the app's clock, for handlers outside an organisation scope.
pub struct Now(pub DateTime<Utc>);

impl FromRequest for Now {
    type Error = DomainError;
    type Future = Ready<Result<Self, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(now(req).map(Now))
    }
}

/// `{cvr}` of an organisation-scoped path, for the OpenAPI document (`params(OrgPath)`);
/// [`OrgScope`] reads it.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OrgPath {
    /// The caller's organisation (CVR number)
    #[param(example = "29189846")]
    pub cvr: String,
}

/// `{cvr}/…/{party}`: a register's citizens or companies, for the OpenAPI document
/// (`params(PartyPath)`); [`PartyScope`] reads it.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PartyPath {
    /// The caller's organisation (CVR number)
    #[param(example = "29189846")]
    pub cvr: String,
    /// Citizens (by CPR) or companies (by CVR)
    pub party: PartyCollection,
}

/// `{cvr}/…/{party}/{id}`: one of a register's entries (`web::Path<PartyItemPath>`).
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PartyItemPath {
    /// The caller's organisation (CVR number)
    #[param(example = "29189846")]
    pub cvr: String,
    /// Citizens (by CPR) or companies (by CVR)
    #[param(inline)]
    pub party: PartyCollection,
    /// The entry's id
    pub id: String,
}

/// `{cvr}/…/{id}`: one resource of the caller's organisation (`web::Path<ItemPath>`).
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ItemPath {
    /// The caller's organisation (CVR number)
    #[param(example = "29189846")]
    pub cvr: String,
    /// The resource's id
    pub id: String,
}

/// `?dryRun=true`: check the request as if it were made and change nothing. The wizards call it
/// on every "Næste", so each step is judged by the same rules as the final save; a check
/// that passes answers 204, one that fails the 400 the real request would get.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DryRun {
    /// Check everything, change nothing (default false)
    #[serde(default)]
    #[param(required = false)]
    pub dry_run: bool,
}

impl FromRequest for DryRun {
    type Error = DomainError;
    type Future = Ready<Result<Self, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            web::Query::<DryRun>::from_query(req.query_string())
                .map(web::Query::into_inner)
                .map_err(|_| {
                    DomainError::field("dryRun", FieldCode::Invalid, "Give dryRun=true or false.")
                }),
        )
    }
}
