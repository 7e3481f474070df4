//! Tests of the access tokens, their cache and the `Principal` extractor.

use super::*;

const ISS: &str = "https://adgang.test";
const AUD: &str = "adgang-api";

fn subject() -> TokenSubject {
    TokenSubject {
        user_id: "rid-1234".into(),
        name: "Birgitte Borgerservice".into(),
        organisation: OrganisationClaim {
            cvr: "29189846".into(),
            name: "Testkommune Nord".into(),
            kind: OrgKind::Authority,
            onboarding_pending: false,
        },
        rights: vec![Right::CitizenService],
        operator: false,
        operator_home: None,
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn auth_03_issued_token_round_trips_with_kid_and_short_expiry() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let now = Utc::now();
    let (token, expires) = keys.issue(&subject(), now).unwrap();
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.kid.as_deref(), Some(keys.kid()));
    assert!(expires - now <= Duration::minutes(15));
    let claims = keys.verify(&token, Utc::now()).unwrap();
    assert_eq!(claims.sub, "rid-1234");
    assert_eq!(claims.org.cvr, "29189846");
    assert_eq!(claims.rights, vec![Right::CitizenService]);
}

#[test]
fn auth_03_tampered_payload_is_rejected() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap(),
    )
    .unwrap();
    claims["rights"] = serde_json::json!(["operator", "system_admin"]);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64(claims.to_string().as_bytes()),
        parts[2]
    );
    assert!(keys.verify(&forged, Utc::now()).is_err());
}

#[test]
fn auth_03_expired_token_is_rejected() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys
        .issue(&subject(), Utc::now() - Duration::hours(1))
        .unwrap();
    assert!(keys.verify(&token, Utc::now()).is_err());
}

#[test]
fn auth_03_a_token_issued_in_the_future_or_for_too_long_is_rejected() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (future, _) = keys
        .issue(&subject(), Utc::now() + Duration::minutes(2))
        .unwrap();
    assert!(matches!(
        keys.verify(&future, Utc::now()),
        Err(TokenError::Lifetime(_))
    ));
    let now = Utc::now().timestamp();
    let long = AccessClaims {
        iss: ISS.into(),
        aud: AUD.into(),
        sub: "u".into(),
        iat: now,
        exp: now + 24 * 3600,
        jti: "j".into(),
        name: "n".into(),
        org: subject().organisation,
        rights: vec![],
        operator: false,
        operator_home: None,
        sid: None,
        sv: 0,
    };
    let long = keys.sign(&long).unwrap();
    assert!(matches!(
        keys.verify(&long, Utc::now()),
        Err(TokenError::Lifetime(_))
    ));
    // A token just issued passes.
    let (fresh, _) = keys.issue(&subject(), Utc::now()).unwrap();
    assert!(keys.verify(&fresh, Utc::now()).is_ok());
}

#[test]
fn auth_03_wrong_audience_or_issuer_is_rejected() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    let mut other_audience = TokenKeys::generate(ISS, "someone-else").unwrap();
    other_audience.decoding = keys.decoding.clone();
    assert!(other_audience.verify(&token, Utc::now()).is_err());
    let mut other_issuer = TokenKeys::generate("https://evil.example", AUD).unwrap();
    other_issuer.decoding = keys.decoding.clone();
    assert!(other_issuer.verify(&token, Utc::now()).is_err());
}

#[test]
fn auth_03_another_key_is_rejected() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let stranger = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = stranger.issue(&subject(), Utc::now()).unwrap();
    assert!(keys.verify(&token, Utc::now()).is_err());
}

#[test]
fn auth_03_alg_none_is_rejected() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let header = b64(br#"{"alg":"none","typ":"JWT"}"#);
    for forged in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
    ] {
        assert!(keys.verify(&forged, Utc::now()).is_err(), "{forged}");
    }
}

#[test]
fn auth_03_hs256_signed_with_the_public_key_is_rejected() {
    // The classic key-confusion attack: an HMAC token whose secret is our public key.
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    let claims = keys.verify(&token, Utc::now()).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(keys.kid().to_owned());
    for secret in [
        keys.public_key().to_vec(),
        b64(&keys.public_key()).into_bytes(),
    ] {
        let forged =
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&secret)).unwrap();
        assert!(keys.verify(&forged, Utc::now()).is_err());
    }
}

#[test]
fn auth_03_pkcs8_v2_pem_key_loads_and_signs() {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let pem = key.to_pkcs8_pem(Default::default()).unwrap();
    let keys = TokenKeys::from_pkcs8_pem(&pem, ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    assert!(keys.verify(&token, Utc::now()).is_ok());
}

#[test]
fn auth_03_generated_keys_are_pkcs8_v1_and_load() {
    let pem = generate_pkcs8_pem().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    // RFC 8410's v1 form: SEQUENCE (46 bytes) { INTEGER 0, AlgorithmIdentifier, OCTET STRING },
    // 48 bytes in all, no public key attached.
    assert_eq!(der.len(), 48);
    assert_eq!(&der[..5], &[0x30, 0x2e, 0x02, 0x01, 0x00]);
    let keys = TokenKeys::from_pkcs8_pem(&pem, ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    assert!(keys.verify(&token, Utc::now()).is_ok());
}

#[test]
fn issue_13_a_cached_token_is_still_checked_for_expiry_and_only_the_same_token_hits() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    assert!(keys.verify_cached(&token, Utc::now()).is_ok());
    assert!(
        keys.verify_cached(&token, Utc::now()).is_ok(),
        "the second time from the cache"
    );
    // A cached entry past its exp is not answered from the cache (nor by verify).
    let now = Utc::now().timestamp();
    assert!(keys.verified.get(&token, now).is_some());
    assert!(keys
        .verified
        .get(
            &token,
            now + ACCESS_TOKEN_TTL_SECONDS + CLOCK_LEEWAY_SECONDS + 1
        )
        .is_none());
    // The same payload with another signature is not the cached token.
    let (head_payload, _) = token.rsplit_once('.').unwrap();
    let forged = format!("{head_payload}.{}", b64(&[0u8; 64]));
    assert!(keys.verify_cached(&forged, Utc::now()).is_err());
}

#[test]
fn issue_13_the_verified_token_cache_stays_bounded() {
    let cache = VerifiedTokens::default();
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let (token, _) = keys.issue(&subject(), Utc::now()).unwrap();
    let claims = keys.verify(&token, Utc::now()).unwrap();
    let now = Utc::now().timestamp();
    for i in 0..VERIFIED_TOKENS_MAX + 10 {
        cache.insert(&format!("t{i}"), &claims, now);
    }
    assert!(cache.0.read().unwrap().len() <= VERIFIED_TOKENS_MAX);
}

#[test]
fn issue_13_a_revoked_or_ended_session_no_longer_admits_its_tokens() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let in_session = |id: &str, version: i64| {
        let session = SessionVersion {
            id: id.into(),
            version,
        };
        let (token, _) = keys
            .issue_in_session(&subject(), Some(&session), Utc::now())
            .unwrap();
        keys.verify(&token, Utc::now()).unwrap()
    };
    let revocations = SessionRevocations::default();
    let (old, new, other) = (
        in_session("s1", 0),
        in_session("s1", 1),
        in_session("s2", 0),
    );
    let (machine, _) = keys.issue(&subject(), Utc::now()).unwrap();
    let machine = keys.verify(&machine, Utc::now()).unwrap();
    assert!(revocations.admits(&old));
    revocations.replace([("s1".to_owned(), 1)].into());
    assert!(!revocations.admits(&old), "issued before the revocation");
    assert!(revocations.admits(&new), "issued after it");
    assert!(revocations.admits(&other));
    assert!(revocations.admits(&machine));
    revocations.replace([("s1".to_owned(), i64::MAX)].into());
    assert!(!revocations.admits(&new), "the session ended");
}

fn principal(kind: OrgKind, rights: &[Right], operator: bool) -> Principal {
    Principal {
        user_id: "u".into(),
        name: "n".into(),
        organisation: Cvr::parse("29189846").unwrap(),
        organisation_name: "Testkommune Nord".into(),
        organisation_kind: kind,
        rights: rights.to_vec(),
        operator,
        operator_home: None,
        onboarding_pending: false,
    }
}

#[test]
fn auth_04_before_onboarding_only_the_operators_own_right_opens_anything() {
    let mut p = principal(
        OrgKind::Authority,
        &[Right::SystemAdmin, Right::RightsAdmin, Right::Operator],
        false,
    );
    p.onboarding_pending = true;
    assert!(matches!(
        p.require_module(Module::SystemConnection),
        Err(DomainError::OnboardingRequired)
    ));
    assert!(matches!(
        p.require(Right::RightsAdmin),
        Err(DomainError::OnboardingRequired)
    ));
    assert!(p.require(Right::Operator).is_ok());
    p.onboarding_pending = false;
    assert!(p.require_module(Module::SystemConnection).is_ok());
}

#[test]
fn missing_right_is_forbidden_and_other_organisations_are_not_found() {
    let p = principal(OrgKind::Authority, &[Right::ContactAdmin], false);
    assert!(p.require_module(Module::ContactStructure).is_ok());
    assert!(matches!(
        p.require_module(Module::SystemConnection),
        Err(DomainError::Forbidden)
    ));
    assert!(p.organisation_scope("29189846").is_ok());
    assert!(matches!(
        p.organisation_scope("34051178"),
        Err(DomainError::NotFound(_))
    ));
}

#[test]
fn companies_are_refused_authority_modules_even_with_the_right() {
    let p = principal(
        OrgKind::Company,
        &[Right::ContactAdmin, Right::CitizenService],
        false,
    );
    assert!(p.require_module(Module::ContactStructure).is_err());
    assert!(p.require_module(Module::MailAccess).is_err());
}

#[test]
fn an_operator_acting_for_a_company_keeps_own_rights_within_its_kind() {
    let p = principal(
        OrgKind::Company,
        &[Right::Operator, Right::SystemAdmin, Right::ContactAdmin],
        true,
    );
    assert!(p.require_module(Module::SystemConnection).is_ok());
    assert!(p.require_module(Module::ContactStructure).is_err());
}

/// X-07 (issue 30): a token's times are checked against the "now" it is given — the app's
/// clock — and never against the machine's: a token issued five years ahead is good then and
/// expired eleven minutes later (it lives ten), whatever the machine's date.
#[test]
fn x_07_token_times_are_checked_against_the_given_clock() {
    let keys = TokenKeys::generate(ISS, AUD).unwrap();
    let at = Utc::now() + Duration::days(5 * 365);
    let (token, _) = keys.issue(&subject(), at).unwrap();
    assert!(keys.verify(&token, at).is_ok());
    assert!(keys.verify(&token, at + Duration::minutes(9)).is_ok());
    assert!(matches!(
        keys.verify(&token, at + Duration::minutes(11)),
        Err(TokenError::Lifetime("expired"))
    ));
    assert!(matches!(
        keys.verify(&token, at - Duration::minutes(1)),
        Err(TokenError::Lifetime("issued in the future"))
    ));
    // The cache answers by the given time too.
    assert!(keys.verify_cached(&token, at).is_ok());
    assert!(keys
        .verify_cached(&token, at + Duration::minutes(16))
        .is_err());
}
