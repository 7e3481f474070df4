//! Security headers on every response: a Content-Security-Policy suited to a WASM app, no MIME
//! sniffing, no framing, a strict referrer policy.
//!
//! Trunk's `index.html` boots the WASM from an inline `<script type="module">`; instead of
//! allowing all inline scripts we allow exactly those in the built `index.html`, by hash.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error};
use base64::Engine;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct SecurityPolicy {
    spa_csp: HeaderValue,
    docs_csp: HeaderValue,
    idp_csp: HeaderValue,
}

impl SecurityPolicy {
    /// Builds the policy for the SPA whose `index.html` is `index_html` (if it was built).
    pub fn new(index_html: Option<&str>) -> SecurityPolicy {
        let hashes: String = index_html
            .map(inline_script_hashes)
            .unwrap_or_default()
            .iter()
            .map(|h| format!(" '{h}'"))
            .collect();
        let spa = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        // The vendored Swagger UI needs inline script and style; it is confined to /api/docs.
        let docs = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
                    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
                    object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
        // The test IdP's pages: no script at all; its login form redirects to the client's
        // callback, which may be another origin (an external relying party).
        let idp = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        SecurityPolicy {
            spa_csp: HeaderValue::from_str(&spa).expect("CSP is ASCII"),
            docs_csp: HeaderValue::from_static(docs),
            idp_csp: HeaderValue::from_static(idp),
        }
    }
}

/// `sha256-…` sources for every inline `<script>` body in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_rest = &after[open_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        let body = &body_and_rest[..close];
        if !tag.contains(" src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_and_rest[close + "</script>".len()..];
    }
    hashes
}

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let policy = req.app_data::<web::Data<SecurityPolicy>>().cloned();
    let path = req.path();
    let (is_docs, is_idp) = (path.starts_with("/api/docs"), path.starts_with("/idp/"));
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if let Some(policy) = policy {
        let csp = if is_docs {
            &policy.docs_csp
        } else if is_idp {
            &policy.idp_csp
        } else {
            &policy.spa_csp
        };
        headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">boot()</script>"#;
        let hashes = inline_script_hashes(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"boot()"));
        assert_eq!(hashes, vec![format!("sha256-{expected}")]);
    }
}
