//! The rights matrix (SPEC §0), table-driven over every operation in the OpenAPI document: a
//! new endpoint fails this test until it has a row here, and each row is checked against the
//! running app — no token → 401, a token without the right → 403, with it → allowed.

use adgang_api_types::{OrgKind, Right};
use adgang_test_support::{spawn_app, user};

#[derive(Debug, Clone, Copy)]
enum Access {
    /// Open to anyone (operations endpoints, deployment facts, the login redirect flow).
    Public,
    /// Needs the HttpOnly session cookie, not a bearer token (token refresh, logout, switch).
    SessionCookie,
    /// Any valid access token.
    AnyPrincipal,
    /// A token holding any right of the organisation itself (not only `operator`).
    AnyOwnRight,
    /// An access token holding this right in the current organisation.
    Right(Right),
    /// A system's id and API key (CORE-01); a user's bearer token is no system credential.
    System,
    /// Any one of these rights in the current organisation (LOG-05: a log several rights open).
    AnyOf(&'static [Right]),
}

/// LOG-05: the rights that open the message log and the actions log.
const MESSAGE_LOG: &[Right] = &[
    Right::LogMessages,
    Right::CitizenService,
    Right::BusinessService,
];
const ACTIONS_LOG: &[Right] = &[
    Right::LogActions,
    Right::CitizenService,
    Right::BusinessService,
];
/// Any right of the event log; an export is then checked against its own log.
const EVENT_LOG: &[Right] = &[
    Right::LogMessages,
    Right::LogActions,
    Right::LogSearches,
    Right::CitizenService,
    Right::BusinessService,
];

/// EX-05, SMS-04: companies' exemptions and NemSMS are open to citizen and business service.
const COMPANY_EXEMPTION: &[Right] = &[Right::CitizenService, Right::BusinessService];
/// INFO-03: authority information is open to system and contact administrators.
const AUTHORITY_INFO: &[Right] = &[Right::SystemAdmin, Right::ContactAdmin];

const MATRIX: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Access::Public),
    ("GET", "/readyz", Access::Public),
    ("GET", "/metrics", Access::Public),
    ("GET", "/api/v1/environment", Access::Public),
    ("GET", "/api/v1/session", Access::AnyPrincipal),
    (
        "GET",
        "/api/v1/organisations",
        Access::Right(Right::Operator),
    ),
    ("GET", "/api/v1/organisations/{cvr}", Access::AnyPrincipal),
    (
        "GET",
        "/api/v1/organisation-lookup/{cvr}",
        Access::Right(Right::Operator),
    ),
    ("GET", "/api/v1/auth/login", Access::Public),
    ("GET", "/api/v1/auth/callback", Access::Public),
    ("POST", "/api/v1/auth/token", Access::SessionCookie),
    ("POST", "/api/v1/auth/logout", Access::SessionCookie),
    ("POST", "/api/v1/auth/switch", Access::SessionCookie),
    ("GET", "/api/v1/auth/organisations", Access::AnyPrincipal),
    (
        "POST",
        "/api/v1/organisations/{cvr}/machine-clients",
        Access::Right(Right::RightsAdmin),
    ),
    ("POST", "/api/v1/oauth/token", Access::Public),
    (
        "GET",
        "/api/v1/organisations/{cvr}/users",
        Access::Right(Right::RightsAdmin),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/users/{userId}/rights/{right}",
        Access::Right(Right::RightsAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/users/{userId}/rights/{right}",
        Access::Right(Right::RightsAdmin),
    ),
    // Onboarding is the one thing open while an authority has not joined (AUTH-04).
    (
        "GET",
        "/api/v1/organisations/{cvr}/onboarding",
        Access::AnyPrincipal,
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/onboarding/agreement",
        Access::AnyPrincipal,
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/onboarding/signed-agreement",
        Access::AnyPrincipal,
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/onboarding/completion",
        Access::AnyOwnRight,
    ), // System connection (SPEC §2): system_admin, both organisation kinds.
    (
        "GET",
        "/api/v1/organisations/{cvr}/systems",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/systems",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/systems/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/systems/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/systems/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/systems/{id}/primary",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/systems/{id}/api-key",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/systems/{id}/api-key/rotation",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/systems/{id}/receipt",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/systems/{id}/overview",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/system-overview",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/standard-systems",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/standard-systems",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/standard-systems/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/standard-systems/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/standard-systems",
        Access::Right(Right::SystemAdmin),
    ),
    // Contact structure (SPEC §3): contact_admin, authorities only.
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-structure",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/contact-groups",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-groups/{id}",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/contact-groups/{id}",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/contact-points",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-points/{id}",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/contact-points/{id}",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/contact-points/{id}",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-groups/{id}/deletion-preview",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/contact-groups/{id}",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-points/{id}/deep-links",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-groups/{id}/deep-links",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-points/{id}/receipt",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-points/{id}/qr-code",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-groups/{id}/qr-code",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-structure/export",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/contact-structure/import",
        Access::Right(Right::ContactAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/contact-structure/recipient-systems",
        Access::Right(Right::ContactAdmin),
    ),
    // The platforms' read API (CS-08): public directory data.
    (
        "GET",
        "/api/v1/platform/organisations/{cvr}/contact-points",
        Access::Public,
    ),
    (
        "GET",
        "/api/v1/platform/organisations/{cvr}/organisational-units",
        Access::Public,
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/systems/{id}/delivery-attempts",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/systems/{id}/test-message",
        Access::Right(Right::SystemAdmin),
    ),
    // The Digital Post core's system-facing API (CORE-01, CORE-03).
    ("POST", "/api/v1/memos", Access::System),
    (
        "GET",
        "/api/v1/mailboxes/{systemId}/system-fetches",
        Access::System,
    ),
    (
        "POST",
        "/api/v1/mailboxes/{systemId}/system-fetches",
        Access::System,
    ),
    ("POST", "/api/v1/receipts", Access::System),
    ("GET", "/api/v1/receipts", Access::System),
    ("DELETE", "/api/v1/receipts/{id}", Access::System),
    // The event log (LOG-05): each log opened by its own rights.
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/messages",
        Access::AnyOf(MESSAGE_LOG),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/messages/csv",
        Access::AnyOf(MESSAGE_LOG),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/events/messages/exports",
        Access::AnyOf(MESSAGE_LOG),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/actions",
        Access::AnyOf(ACTIONS_LOG),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/actions/csv",
        Access::AnyOf(ACTIONS_LOG),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/events/actions/exports",
        Access::AnyOf(ACTIONS_LOG),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/searches",
        Access::Right(Right::LogSearches),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/searches/csv",
        Access::Right(Right::LogSearches),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/events/searches/exports",
        Access::Right(Right::LogSearches),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/exports/{id}",
        Access::AnyOf(EVENT_LOG),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/events/exports/{id}/file",
        Access::AnyOf(EVENT_LOG),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/citizen-lookups",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/citizens",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/citizens/{id}/lift",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/company-lookups",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/companies",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/companies/{id}/lift",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/exemptions/companies/{id}/renew",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/exemptions/receipts/{id}",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/exemptions/receipts/{id}/pdf",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/nemsms/citizen-lookups",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/nemsms/citizens",
        Access::Right(Right::CitizenService),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/nemsms/citizens/{id}/phone",
        Access::Right(Right::CitizenService),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/nemsms/citizens/{id}",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/nemsms/company-lookups",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/nemsms/companies",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/nemsms/companies/{id}/phone",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/nemsms/companies/{id}",
        Access::AnyOf(COMPANY_EXEMPTION),
    ),
    ("POST", "/api/v1/nemsms/confirmations", Access::Public),
    (
        "POST",
        "/api/v1/organisations/{cvr}/mail-access/giver-lookups",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/mail-access/holder-lookups",
        Access::Right(Right::CitizenService),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/mail-accesses",
        Access::Right(Right::CitizenService),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/mail-accesses/{id}",
        Access::Right(Right::CitizenService),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/mail-access/receipts/{id}",
        Access::Right(Right::CitizenService),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/mail-access/receipts/{id}/pdf",
        Access::Right(Right::CitizenService),
    ),
    // Authority information (SPEC §8): system_admin or contact_admin; the platforms' view is
    // public.
    (
        "GET",
        "/api/v1/organisations/{cvr}/authority-information",
        Access::AnyOf(AUTHORITY_INFO),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/authority-information/privacy-policy-link",
        Access::AnyOf(AUTHORITY_INFO),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/authority-information/link-checks",
        Access::AnyOf(AUTHORITY_INFO),
    ),
    (
        "PUT",
        "/api/v1/organisations/{cvr}/logo",
        Access::AnyOf(AUTHORITY_INFO),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/logo",
        Access::AnyOf(AUTHORITY_INFO),
    ),
    ("GET", "/api/v1/senders/{cvr}", Access::Public),
    ("GET", "/api/v1/senders/{cvr}/logo", Access::Public),
    // Move mail (SPEC §12): authorities' system_admin.
    (
        "POST",
        "/api/v1/organisations/{cvr}/mail-moves",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/mail-moves",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/mail-moves/contact-points",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/mail-moves/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/mail-moves/{id}/receipt",
        Access::Right(Right::SystemAdmin),
    ),
    // Statistics (SPEC §11): statistics_admin, authorities and companies.
    (
        "GET",
        "/api/v1/organisations/{cvr}/statistics/reports",
        Access::Right(Right::StatisticsAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/statistics/subscriptions",
        Access::Right(Right::StatisticsAdmin),
    ),
    (
        "POST",
        "/api/v1/organisations/{cvr}/statistics/custom-reports",
        Access::Right(Right::StatisticsAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/statistics/reports/{id}",
        Access::Right(Right::StatisticsAdmin),
    ),
    (
        "PATCH",
        "/api/v1/organisations/{cvr}/statistics/reports/{id}",
        Access::Right(Right::StatisticsAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/statistics/reports/{id}",
        Access::Right(Right::StatisticsAdmin),
    ),
    (
        "GET",
        "/api/v1/organisations/{cvr}/statistics/reports/{id}/file",
        Access::Right(Right::StatisticsAdmin),
    ),
    // Recall (SPEC §10): authorities' system_admin.
    (
        "GET",
        "/api/v1/organisations/{cvr}/memos/{id}",
        Access::Right(Right::SystemAdmin),
    ),
    (
        "DELETE",
        "/api/v1/organisations/{cvr}/memos/{id}",
        Access::Right(Right::SystemAdmin),
    ),
];

const CVR: &str = "29189846";

fn operations() -> Vec<(String, String)> {
    let doc = adgang_server::openapi::document();
    let mut ops = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, present) in [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ] {
            if present {
                ops.push((method.to_owned(), path.clone()));
            }
        }
    }
    ops
}

#[test]
fn every_documented_operation_has_a_row_in_the_matrix() {
    for (method, path) in operations() {
        assert!(
            MATRIX.iter().any(|(m, p, _)| *m == method && *p == path),
            "{method} {path} is not in the rights matrix: add its row"
        );
    }
    for (method, path, _) in MATRIX {
        assert!(
            operations().iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is in the matrix but not routed/documented"
        );
    }
}

#[tokio::test]
async fn the_matrix_holds_against_the_running_app() {
    let app = spawn_app().await;
    for (method, template, access) in MATRIX {
        let path = template
            .replace("{cvr}", CVR)
            .replace("{systemId}", "0190f3a0-0000-7000-8000-000000000000");
        let send = |token: Option<String>| {
            let mut request = app
                .client
                .request(method.parse().unwrap(), app.url(&path))
                .header("content-type", "application/json")
                .body("{}");
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            async move { request.send().await.unwrap().status().as_u16() }
        };
        match access {
            Access::System => {
                assert_eq!(send(None).await, 401, "{method} {path} without a system");
                let bearer =
                    send(Some(app.token(&user(CVR, OrgKind::Authority, &Right::ALL)))).await;
                assert_eq!(bearer, 401, "{method} {path}: a user token is no system");
            }
            Access::Public => {
                let status = send(None).await;
                assert!(
                    status != 401 && status != 403,
                    "{method} {path}: public, got {status}"
                );
            }
            Access::SessionCookie => {
                let status = send(None).await;
                let expected = if *template == "/api/v1/auth/logout" {
                    204
                } else {
                    401
                };
                let bearer =
                    send(Some(app.token(&user(CVR, OrgKind::Authority, &Right::ALL)))).await;
                assert_eq!(status, expected, "{method} {path} without a session cookie");
                assert_eq!(
                    bearer, expected,
                    "{method} {path}: a bearer token is no session"
                );
            }
            Access::AnyPrincipal => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                let status = send(Some(app.token(&user(CVR, OrgKind::Authority, &[])))).await;
                assert!(
                    status != 401 && status != 403,
                    "{method} {path}: any principal, got {status}"
                );
            }
            Access::AnyOwnRight => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                for rights in [&[][..], &[Right::Operator][..]] {
                    let status =
                        send(Some(app.token(&user(CVR, OrgKind::Authority, rights)))).await;
                    assert_eq!(status, 403, "{method} {path} with {rights:?}");
                }
                // An operator acting on the organisation's behalf is not one of its own.
                let mut on_behalf = user(CVR, OrgKind::Authority, &[Right::SystemAdmin]);
                on_behalf.operator = true;
                on_behalf.operator_home = Some("34051178".to_owned());
                let status = send(Some(app.token(&on_behalf))).await;
                assert_eq!(status, 403, "{method} {path} on behalf");
                let status = send(Some(app.token(&user(
                    CVR,
                    OrgKind::Authority,
                    &[Right::ContactAdmin],
                ))))
                .await;
                assert!(
                    status != 401 && status != 403,
                    "{method} {path} with an own right: got {status}"
                );
            }
            Access::AnyOf(opening) => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                let others: Vec<Right> = Right::ALL
                    .into_iter()
                    .filter(|r| !opening.contains(r))
                    .collect();
                let without = send(Some(app.token(&user(CVR, OrgKind::Authority, &others)))).await;
                assert_eq!(without, 403, "{method} {path} without any of {opening:?}");
                for right in *opening {
                    let with =
                        send(Some(app.token(&user(CVR, OrgKind::Authority, &[*right])))).await;
                    assert!(
                        with != 401 && with != 403,
                        "{method} {path} with {right:?}: got {with}"
                    );
                    let mut pending = user(CVR, OrgKind::Authority, &[*right]);
                    pending.organisation.onboarding_pending = true;
                    let gated = send(Some(app.token(&pending))).await;
                    assert_eq!(gated, 403, "{method} {path} before onboarding");
                }
            }
            Access::Right(right) => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                let others: Vec<Right> = Right::ALL.into_iter().filter(|r| r != right).collect();
                let without = send(Some(app.token(&user(CVR, OrgKind::Authority, &others)))).await;
                assert_eq!(without, 403, "{method} {path} without {right:?}");
                let with = send(Some(app.token(&user(CVR, OrgKind::Authority, &[*right])))).await;
                assert!(
                    with != 401 && with != 403,
                    "{method} {path} with {right:?}: got {with}"
                );
                // AUTH-04: until the authority has joined, a right opens nothing but the
                // operator's own search-and-switch.
                let mut pending = user(CVR, OrgKind::Authority, &[*right]);
                pending.organisation.onboarding_pending = true;
                let gated = send(Some(app.token(&pending))).await;
                if *right == Right::Operator {
                    assert!(gated != 403, "{method} {path}: operators are not gated");
                } else {
                    assert_eq!(gated, 403, "{method} {path} before onboarding");
                }
            }
        }
    }
}
