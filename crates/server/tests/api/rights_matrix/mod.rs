//! The rights matrix (SPEC §0), table-driven over every operation in the OpenAPI document: a
//! new endpoint fails this test until it has a row here, and each row is checked against the
//! running app — no token → 401, a token without the right → 403, with it → allowed.
//!
//! The table itself is in `matrix.rs`; this file holds the kinds of access and the two tests.

use adgang_api_types::{OrgKind, Right};
use adgang_core::auth::TokenSubject;
use adgang_test_support::{spawn_app, user};

mod matrix;

use matrix::MATRIX;

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

const CVR: &str = "29189846";

/// A user of CVR holding `rights`.
fn holder(rights: &[Right]) -> TokenSubject {
    user(CVR, OrgKind::Authority, rights)
}

/// A user of CVR holding `right` while the authority has not joined yet (AUTH-04).
fn before_joining(right: Right) -> TokenSubject {
    let mut pending = holder(&[right]);
    pending.organisation.onboarding_pending = true;
    pending
}

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
            if !present {
                continue;
            }
            // The national registers' `{party}` (exemptions, NemSMS): one operation, whose
            // right depends on the collection — a row for each.
            if path.contains("{party}") {
                for party in ["citizens", "companies"] {
                    ops.push((method.to_owned(), path.replace("{party}", party)));
                }
            } else {
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
        let send_as = |subject: &TokenSubject| send(Some(app.token(subject)));
        match access {
            Access::System => {
                assert_eq!(send(None).await, 401, "{method} {path} without a system");
                let bearer = send_as(&holder(&Right::ALL)).await;
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
                // Logging out, or asking for a token, without a session: nothing to do (issue
                // 32 item 15: a signed-out page load is no error).
                let expected =
                    if *template == "/api/v1/auth/logout" || *template == "/api/v1/auth/token" {
                        204
                    } else {
                        401
                    };
                let bearer = send_as(&holder(&Right::ALL)).await;
                assert_eq!(status, expected, "{method} {path} without a session cookie");
                assert_eq!(
                    bearer, expected,
                    "{method} {path}: a bearer token is no session"
                );
            }
            Access::AnyPrincipal => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                let status = send_as(&holder(&[])).await;
                assert!(
                    status != 401 && status != 403,
                    "{method} {path}: any principal, got {status}"
                );
            }
            Access::AnyOwnRight => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                for rights in [&[][..], &[Right::Operator][..]] {
                    let status = send_as(&holder(rights)).await;
                    assert_eq!(status, 403, "{method} {path} with {rights:?}");
                }
                // An operator acting on the organisation's behalf is not one of its own.
                let mut on_behalf = holder(&[Right::SystemAdmin]);
                on_behalf.operator = true;
                on_behalf.operator_home = Some("34051178".to_owned());
                let status = send_as(&on_behalf).await;
                assert_eq!(status, 403, "{method} {path} on behalf");
                let status = send_as(&holder(&[Right::ContactAdmin])).await;
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
                let without = send_as(&holder(&others)).await;
                assert_eq!(without, 403, "{method} {path} without any of {opening:?}");
                for right in *opening {
                    let with = send_as(&holder(&[*right])).await;
                    assert!(
                        with != 401 && with != 403,
                        "{method} {path} with {right:?}: got {with}"
                    );
                    let gated = send_as(&before_joining(*right)).await;
                    assert_eq!(gated, 403, "{method} {path} before onboarding");
                }
            }
            Access::Right(right) => {
                assert_eq!(send(None).await, 401, "{method} {path} without a token");
                let others: Vec<Right> = Right::ALL.into_iter().filter(|r| r != right).collect();
                let without = send_as(&holder(&others)).await;
                assert_eq!(without, 403, "{method} {path} without {right:?}");
                let with = send_as(&holder(&[*right])).await;
                assert!(
                    with != 401 && with != 403,
                    "{method} {path} with {right:?}: got {with}"
                );
                // AUTH-04: until the authority has joined, a right opens nothing but the
                // operator's own search-and-switch.
                let gated = send_as(&before_joining(*right)).await;
                if *right == Right::Operator {
                    assert!(gated != 403, "{method} {path}: operators are not gated");
                } else {
                    assert_eq!(gated, 403, "{method} {path} before onboarding");
                }
            }
        }
    }
}
