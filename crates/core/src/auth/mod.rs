//! Our own access tokens (AUTH-03) and the [`Principal`] every handler starts from.
//!
//! After the OIDC login (issue 3) the backend issues a short-lived JWT signed with Ed25519
//! (`EdDSA`, pinned: no other algorithm is accepted), with a `kid`, our issuer and audience, and
//! the user's id, name, current organisation and rights there. Every API call is authorised from
//! that token alone.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use adgang_api_types::{Module, OrgKind, Right};
use anyhow::Context;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, KeypairBytes};
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::{Cvr, DomainError};

/// Access tokens live at most this long (the issue's limit is 15 minutes).
pub const ACCESS_TOKEN_TTL_SECONDS: i64 = 10 * 60;

/// The organisation a token is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationClaim {
    pub cvr: String,
    pub name: String,
    pub kind: OrgKind,
    /// An authority that has not completed onboarding yet (AUTH-04): only onboarding is open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub onboarding_pending: bool,
}

/// The claims of our access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user's id at the identity provider (RID/UUID), or a machine client's id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    pub name: String,
    pub org: OrganisationClaim,
    pub rights: Vec<Right>,
    /// True when an operator acts on behalf of `org` (CTX-02) rather than holding rights there.
    #[serde(default)]
    pub operator: bool,
    /// With `operator`: the operator's home organisation, which the actions log names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_home: Option<String>,
    /// The login session the token was issued in (absent for machine clients): with `sv` it lets
    /// a logout or a revoked right end the token before `exp` ([`SessionRevocations`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The session's token version when the token was issued.
    #[serde(default)]
    pub sv: i64,
}

/// A login session as an access token names it: its id and token version (issue 13 item 9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionVersion {
    pub id: String,
    pub version: i64,
}

/// Who a token is issued to: everything but the registered claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSubject {
    pub user_id: String,
    pub name: String,
    pub organisation: OrganisationClaim,
    pub rights: Vec<Right>,
    pub operator: bool,
    /// With `operator`: the operator's home organisation (CTX-02).
    pub operator_home: Option<String>,
}

/// A new random Ed25519 key as PKCS#8 v1 PEM (RFC 8410: the private key only, as OpenSSL and
/// Python's `cryptography` write and read it), for `ADGANG_TOKEN_SIGNING_KEY_FILE`. Reading
/// accepts v1 and v2 (with the public key attached).
pub fn generate_pkcs8_pem() -> anyhow::Result<String> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).context("reading the OS random source")?;
    let pem = KeypairBytes {
        secret_key: seed,
        public_key: None,
    }
    .to_pkcs8_pem(Default::default())
    .context("encoding the key")?;
    Ok(pem.to_string())
}

/// The signing key and the rules a token must satisfy.
pub struct TokenKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    public_key: [u8; 32],
    issuer: String,
    audience: String,
    verified: VerifiedTokens,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("TokenKeys")
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .finish()
    }
}

/// Why a bearer token was refused. Every variant answers 401; the detail goes to the log only.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("no bearer token")]
    Missing,
    #[error("token rejected: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    /// Issued in the future, or valid for longer than we ever issue (AUTH-03).
    #[error("token rejected: {0}")]
    Lifetime(&'static str),
    /// Signed by us, but its claims are not what they should be.
    #[error("token rejected: {0}")]
    Claims(String),
}

/// How far clocks may disagree when a token's times are checked.
const CLOCK_LEEWAY_SECONDS: i64 = 5;

impl TokenKeys {
    /// A fresh random key (test deployments; tokens do not survive a restart).
    pub fn generate(issuer: &str, audience: &str) -> anyhow::Result<TokenKeys> {
        Self::from_pkcs8_pem(&generate_pkcs8_pem()?, issuer, audience)
    }

    /// A key from PKCS#8 PEM (production: `ADGANG_TOKEN_SIGNING_KEY_FILE`).
    pub fn from_pkcs8_pem(pem: &str, issuer: &str, audience: &str) -> anyhow::Result<TokenKeys> {
        let key = SigningKey::from_pkcs8_pem(pem).context("parsing the Ed25519 PKCS#8 key")?;
        Self::from_signing_key(key, issuer, audience)
    }

    fn from_signing_key(
        key: SigningKey,
        issuer: &str,
        audience: &str,
    ) -> anyhow::Result<TokenKeys> {
        let der = key.to_pkcs8_der().context("encoding the signing key")?;
        let public_key = key.verifying_key().to_bytes();
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(public_key);
        let decoding = DecodingKey::from_ed_components(&x).context("building the verifying key")?;
        // The key id is derived from the public key, so it changes exactly when the key does.
        let kid = x.chars().take(16).collect();
        Ok(TokenKeys {
            kid,
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            decoding,
            public_key,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            verified: VerifiedTokens::default(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The raw Ed25519 public key (for a JWKS document).
    pub fn public_key(&self) -> [u8; 32] {
        self.public_key
    }

    /// Signs an access token for `subject`, valid from `now` for [`ACCESS_TOKEN_TTL_SECONDS`],
    /// outside any login session (machine clients, the CLI, tests).
    pub fn issue(
        &self,
        subject: &TokenSubject,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        self.issue_in_session(subject, None, now)
    }

    /// Signs an access token for `subject` in a login session: a logout or a revoked right
    /// ends it within seconds ([`SessionRevocations`]).
    pub fn issue_in_session(
        &self,
        subject: &TokenSubject,
        session: Option<&SessionVersion>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let expires = now + Duration::seconds(ACCESS_TOKEN_TTL_SECONDS);
        let claims = AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: subject.user_id.clone(),
            iat: now.timestamp(),
            exp: expires.timestamp(),
            jti: uuid::Uuid::now_v7().to_string(),
            name: subject.name.clone(),
            org: subject.organisation.clone(),
            rights: subject.rights.clone(),
            operator: subject.operator,
            operator_home: subject.operator_home.clone(),
            sid: session.map(|s| s.id.clone()),
            sv: session.map_or(0, |s| s.version),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding)
            .context("signing the access token")?;
        Ok((token, expires))
    }

    /// Signs any claims with this key (e.g. the short-lived login-state cookie). The claims must
    /// carry their own `iss`, `aud` and `exp`.
    pub fn sign<T: Serialize>(&self, claims: &T) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).context("signing")
    }

    /// Verifies a token made by [`TokenKeys::sign`] for `audience`, at `now` (the app's clock).
    pub fn verify_for<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
        now: DateTime<Utc>,
    ) -> Result<T, TokenError> {
        self.decode(token, audience, &["exp", "iss", "aud"], now)
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Verifies signature (EdDSA only), issuer, audience, expiry and not-before (5 s leeway) at
    /// `now` — the app's [`Clock`](crate::Clock), not the machine's — and refuses a token
    /// issued in the future or valid for longer than we issue them (AUTH-03).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        let required = ["exp", "iss", "aud", "sub"];
        let claims: AccessClaims = self.decode(token, &self.audience, &required, now)?;
        if claims.iat > now.timestamp() + CLOCK_LEEWAY_SECONDS {
            return Err(TokenError::Lifetime("issued in the future"));
        }
        if claims.exp - claims.iat > ACCESS_TOKEN_TTL_SECONDS {
            return Err(TokenError::Lifetime(
                "valid for longer than tokens are issued",
            ));
        }
        Ok(claims)
    }

    /// The signature, issuer, audience and required claims by jsonwebtoken; `exp` and `nbf`
    /// here, against `now` (jsonwebtoken would read the machine's clock).
    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
        required: &[&str],
        now: DateTime<Utc>,
    ) -> Result<T, TokenError> {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(required);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims =
            jsonwebtoken::decode::<serde_json::Value>(token, &self.decoding, &validation)?.claims;
        let now = now.timestamp();
        match claims["exp"].as_i64() {
            Some(exp) if exp + CLOCK_LEEWAY_SECONDS >= now => {}
            Some(_) => return Err(TokenError::Lifetime("expired")),
            None => return Err(TokenError::Lifetime("no expiry")),
        }
        if claims["nbf"]
            .as_i64()
            .is_some_and(|nbf| nbf > now + CLOCK_LEEWAY_SECONDS)
        {
            return Err(TokenError::Lifetime("not valid yet"));
        }
        serde_json::from_value(claims).map_err(|e| TokenError::Claims(e.to_string()))
    }
}

impl TokenKeys {
    /// [`TokenKeys::verify`] once per token: a token seen before is answered from a bounded
    /// cache of verified tokens until its `exp` (issue 13: the Ed25519 check dominated every
    /// request). The key is the whole token, so no other payload or signature can hit an entry.
    pub fn verify_cached(
        &self,
        token: &str,
        at: DateTime<Utc>,
    ) -> Result<AccessClaims, TokenError> {
        let now = at.timestamp();
        if let Some(claims) = self.verified.get(token, now) {
            return Ok(claims);
        }
        let claims = self.verify(token, at)?;
        self.verified.insert(token, &claims, now);
        Ok(claims)
    }
}

/// How many verified tokens are remembered: a working day's sessions of a large deployment
/// several times over; about 1.5 KB each.
const VERIFIED_TOKENS_MAX: usize = 20_000;

#[derive(Default)]
struct VerifiedTokens(std::sync::RwLock<std::collections::HashMap<String, AccessClaims>>);

impl VerifiedTokens {
    fn get(&self, token: &str, now: i64) -> Option<AccessClaims> {
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(token)
            .filter(|claims| claims.exp + CLOCK_LEEWAY_SECONDS >= now)
            .cloned()
    }

    fn insert(&self, token: &str, claims: &AccessClaims, now: i64) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= VERIFIED_TOKENS_MAX {
            map.retain(|_, c| c.exp + CLOCK_LEEWAY_SECONDS >= now);
            if map.len() >= VERIFIED_TOKENS_MAX {
                // More live tokens than the bound: start over rather than grow.
                map.clear();
            }
        }
        map.insert(token.to_owned(), claims.clone());
    }
}

/// Login sessions whose access tokens no longer count before their `exp` (issue 13 item 9,
/// AUTH-06): the id of each session revoked within the last token lifetime and the lowest token
/// version still valid in it (`i64::MAX` once the session has ended). Filled from the sessions
/// table by the identity module's watcher every second, so a logout or a revoked right on any
/// server instance ends the session's tokens everywhere within seconds; checking is a lookup.
#[derive(Debug, Default)]
pub struct SessionRevocations(std::sync::RwLock<std::collections::HashMap<String, i64>>);

impl SessionRevocations {
    /// Replaces the whole list with what the sessions table says now.
    pub fn replace(&self, lowest_valid_versions: std::collections::HashMap<String, i64>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = lowest_valid_versions;
    }

    /// False when the token's session has ended or moved past the token's version.
    pub fn admits(&self, claims: &AccessClaims) -> bool {
        let Some(sid) = &claims.sid else {
            return true;
        };
        let map = self.0.read().unwrap_or_else(|e| e.into_inner());
        map.get(sid).is_none_or(|lowest| claims.sv >= *lowest)
    }
}

/// The authenticated caller, built from a verified access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub name: String,
    pub organisation: Cvr,
    pub organisation_name: String,
    pub organisation_kind: OrgKind,
    pub rights: Vec<Right>,
    pub operator: bool,
    /// With `operator`: the operator's home organisation (CTX-02).
    pub operator_home: Option<Cvr>,
    /// The organisation must complete onboarding before anything else (AUTH-04).
    pub onboarding_pending: bool,
}

impl Principal {
    pub fn from_claims(claims: AccessClaims) -> Result<Principal, DomainError> {
        let organisation = Cvr::parse(&claims.org.cvr).map_err(|_| DomainError::Unauthorized)?;
        Ok(Principal {
            user_id: claims.sub,
            name: claims.name,
            organisation,
            organisation_name: claims.org.name,
            organisation_kind: claims.org.kind,
            rights: claims.rights,
            operator: claims.operator,
            operator_home: claims
                .operator_home
                .as_deref()
                .and_then(|cvr| Cvr::parse(cvr).ok()),
            onboarding_pending: claims.org.onboarding_pending,
        })
    }

    pub fn has(&self, right: Right) -> bool {
        self.rights.contains(&right)
    }

    /// 403 unless the caller holds `right` in the current organisation. While the organisation
    /// awaits onboarding every right but `operator` (the user's own, not the organisation's) is
    /// closed, with its own error code so the SPA can send the user to onboarding.
    pub fn require(&self, right: Right) -> Result<(), DomainError> {
        if self.onboarding_pending && right != Right::Operator {
            return Err(DomainError::OnboardingRequired);
        }
        if self.has(right) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// 403 unless the module is open to this organisation kind and one of the caller's rights
    /// (SPEC §0 matrix). An operator acting on behalf of another organisation carries their own
    /// rights there, so the same rule applies: acting on behalf never widens what one may do.
    pub fn require_module(&self, module: Module) -> Result<(), DomainError> {
        if self.onboarding_pending {
            return Err(DomainError::OnboardingRequired);
        }
        if module.usable_with(self.organisation_kind, &self.rights) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// How the caller appears in the actions log: `CVR:<current organisation>-RID:<user>`; an
    /// operator acting on behalf as `CVR:<home>-RID:<user>`, the entry marked on behalf (CTX-02).
    pub fn actor(&self) -> crate::audit::Actor {
        match (&self.operator_home, self.operator) {
            (Some(home), true) => crate::audit::Actor::OperatorOnBehalf {
                home: home.clone(),
                rid: self.user_id.clone(),
            },
            _ => crate::audit::Actor::EmployeeOf {
                cvr: self.organisation.clone(),
                rid: self.user_id.clone(),
            },
        }
    }

    /// The organisation named in a path, when it is the caller's current one; any other
    /// organisation's resources do not exist for this caller (404, never 403).
    pub fn organisation_scope(&self, cvr: &str) -> Result<&Cvr, DomainError> {
        if cvr == self.organisation.as_str() {
            Ok(&self.organisation)
        } else {
            Err(DomainError::NotFound("organisation"))
        }
    }
}

impl FromRequest for Principal {
    type Error = DomainError;
    type Future = Ready<Result<Principal, DomainError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(principal_from_request(req))
    }
}

pub(crate) fn principal_from_request(req: &HttpRequest) -> Result<Principal, DomainError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| DomainError::Unexpected(anyhow::anyhow!("TokenKeys not configured")))?;
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // RFC 7235: the scheme is case-insensitive.
        .and_then(|v| {
            v.get(..7)
                .filter(|scheme| scheme.eq_ignore_ascii_case("bearer "))
                .map(|_| &v[7..])
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(DomainError::Unauthorized);
    };
    let revocations = req
        .app_data::<web::Data<SessionRevocations>>()
        .ok_or_else(|| {
            DomainError::Unexpected(anyhow::anyhow!("SessionRevocations not configured"))
        })?;
    match keys.verify_cached(token, crate::scope::now(req)?) {
        Ok(claims) if revocations.admits(&claims) => Principal::from_claims(claims),
        Ok(_) => {
            tracing::info!("access token rejected: its session ended or was revoked");
            Err(DomainError::Unauthorized)
        }
        Err(err) => {
            tracing::info!(error = %err, "access token rejected");
            Err(DomainError::Unauthorized)
        }
    }
}

#[cfg(test)]
mod tests;
