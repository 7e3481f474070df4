//! The built SPA's files (issue 11). `cargo xtask spa` writes a `.br` and a `.gz` beside every
//! compressible file; the variant the browser accepts is sent as it is (no compressing per
//! request). The content-hashed bundle (`/app-<hash>/…`) is cached for a year; fonts and
//! images are revalidated daily; `index.html` — every page path — is never cached (`fallback`).

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use adgang_api_types::ErrorCode;
use adgang_core::problem_response;

use crate::fallback::{fallback, RouteTable, SpaIndex};

/// The directory of the built SPA (`ADGANG_SPA_DIR`).
#[derive(Debug, Clone)]
pub struct SpaDir(pub PathBuf);

/// The prefix of the content-hashed bundle's directory.
const BUNDLE_PREFIX: &str = "app-";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE_DAILY: &str = "public, max-age=86400";

pub async fn serve(
    req: HttpRequest,
    dir: web::Data<SpaDir>,
    routes: web::Data<RouteTable>,
    index: web::Data<SpaIndex>,
) -> HttpResponse {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return fallback(req, routes, index).await;
    }
    let relative = asset_path(req.path()).filter(|p| p != Path::new("index.html"));
    let Some(relative) = relative.filter(|p| dir.0.join(p).is_file()) else {
        // A file name (a stale chunk after a deploy, a typo, a probe for `/.env`) is a 404,
        // not the app's page; every other path is a page of the app.
        let name = req.path().rsplit('/').next().unwrap_or_default();
        return if name.contains('.') && req.path() != "/index.html" {
            problem_response(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                Some(format!("There is no file at {}.", req.path())),
                vec![],
            )
        } else {
            fallback(req, routes, index).await
        };
    };
    let path = dir.0.join(&relative);
    let mime = actix_files::file_extension_to_mime(
        &relative
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    let (file, encoding) = match precompressed(&req, &path) {
        Some((encoded, encoding)) => (NamedFile::open_async(encoded).await, Some(encoding)),
        None => (NamedFile::open_async(&path).await, None),
    };
    let Ok(mut file) = file else {
        return fallback(req, routes, index).await;
    };
    file = file.set_content_type(mime).disable_content_disposition();
    if let Some(encoding) = encoding {
        file = file.set_content_encoding(encoding);
    }
    let mut response = file.into_response(&req);
    let cache = if in_bundle(&relative) {
        IMMUTABLE
    } else {
        REVALIDATE_DAILY
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// The request path as a path below the SPA dir, when it is a plain one: segments of ASCII
/// letters, digits, `.`, `_`, `-`, none starting with a dot (no `..`, no hidden files, no
/// percent-encoding). Anything else is not a file of ours.
fn asset_path(request_path: &str) -> Option<PathBuf> {
    let rest = request_path.strip_prefix('/')?;
    if rest.is_empty() {
        return None;
    }
    let mut path = PathBuf::new();
    for segment in rest.split('/') {
        let plain = !segment.is_empty()
            && !segment.starts_with('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !plain {
            return None;
        }
        path.push(segment);
    }
    Some(path)
}

/// Whether `relative` lies in the content-hashed bundle (`app-<hash>/…`).
fn in_bundle(relative: &Path) -> bool {
    relative
        .components()
        .next()
        .is_some_and(|c| c.as_os_str().to_string_lossy().starts_with(BUNDLE_PREFIX))
}

/// The `.br` or `.gz` beside `path` that the request accepts (brotli first), if it exists.
fn precompressed(req: &HttpRequest, path: &Path) -> Option<(PathBuf, ContentEncoding)> {
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    [
        ("br", ContentEncoding::Brotli),
        ("gzip", ContentEncoding::Gzip),
    ]
    .into_iter()
    .filter(|(name, _)| accepts(accepted, name))
    .map(|(name, encoding)| {
        let suffix = if name == "gzip" { ".gz" } else { ".br" };
        let mut encoded = path.as_os_str().to_owned();
        encoded.push(suffix);
        (PathBuf::from(encoded), encoding)
    })
    .find(|(encoded, _)| encoded.is_file())
}

/// Whether an `Accept-Encoding` value accepts `coding` (listed, or `*`, without `q=0`).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_are_files() {
        assert_eq!(
            asset_path("/app-1f2e/adgang_bg.wasm"),
            Some(PathBuf::from("app-1f2e/adgang_bg.wasm"))
        );
        for hostile in [
            "/",
            "/../etc/passwd",
            "/app/../../x",
            "/.env",
            "/fonts//x.woff",
            "/a%2e%2e/x",
            "/a\\b",
        ] {
            assert_eq!(asset_path(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn accept_encoding_is_read_with_quality_zero_as_refusal() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=0.5", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("identity", "gzip"));
    }
}
