//! What answers when no route matched: problem+json 404/405 for API paths, and the SPA's
//! `index.html` for everything else so deep links like `/kontaktstruktur` work on reload.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use adgang_api_types::ErrorCode;
use adgang_core::problem_response;

/// Paths and methods of every documented operation, to tell 405 from 404.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Param,
    /// A parameter whose schema lists its values (e.g. `{party}`: `citizens`, `companies`).
    OneOf(Vec<String>),
}

/// The values the path parameters of `path` in the document `doc` are limited to, by name
/// (their schemas' `enum`, inline or a component).
fn enumerated_params(doc: &serde_json::Value, path: &str) -> Vec<(String, Vec<String>)> {
    let item = &doc["paths"][path];
    let operations = item.as_object().into_iter().flat_map(|ops| ops.values());
    let schema_of = |p: &serde_json::Value| -> serde_json::Value {
        match p["schema"]["$ref"].as_str() {
            Some(at) => doc
                .pointer(at.trim_start_matches('#'))
                .cloned()
                .unwrap_or_default(),
            None => p["schema"].clone(),
        }
    };
    operations
        .filter_map(|op| op["parameters"].as_array())
        .flatten()
        .filter(|p| p["in"] == "path")
        .filter_map(|p| {
            let schema = schema_of(p);
            let values = schema["enum"].as_array()?;
            let values = values.iter().filter_map(|v| v.as_str().map(str::to_owned));
            Some((p["name"].as_str()?.to_owned(), values.collect()))
        })
        .collect()
}

impl RouteTable {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> RouteTable {
        let doc = serde_json::to_value(api).unwrap_or_default();
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let enumerated = enumerated_params(&doc, path);
                let segments = path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(name) => enumerated
                                .iter()
                                .find(|(n, _)| n == name)
                                .map_or(Segment::Param, |(_, values)| {
                                    Segment::OneOf(values.clone())
                                }),
                            None => Segment::Literal(s.to_owned()),
                        },
                    )
                    .collect();
                let ops = [
                    (Method::GET, item.get.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::HEAD, item.head.is_some()),
                    (Method::OPTIONS, item.options.is_some()),
                ];
                let methods = ops
                    .into_iter()
                    .filter(|(_, on)| *on)
                    .map(|(m, _)| m)
                    .collect();
                (segments, methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods allowed on `path`, if the path is a known route.
    pub fn allowed_methods(&self, path: &str) -> Option<&[Method]> {
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        self.routes
            .iter()
            .find(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(seg, part)| match seg {
                        Segment::Literal(lit) => lit == part,
                        Segment::Param => true,
                        Segment::OneOf(values) => values.iter().any(|v| v == part),
                    })
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

impl RouteTable {
    /// The `Allow` header for `path` (RFC 9110 §15.5.6), if the path is a known route.
    pub fn allow_header(&self, path: &str) -> Option<header::HeaderValue> {
        let allow = self
            .allowed_methods(path)?
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        header::HeaderValue::from_str(&allow).ok()
    }
}

/// The built SPA's `index.html`, read once at start-up (absent when the SPA was not built).
#[derive(Debug, Clone)]
pub struct SpaIndex(pub Option<String>);

pub(crate) fn is_api_path(path: &str) -> bool {
    path == "/api"
        || path.starts_with("/api/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

pub async fn fallback(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
    index: web::Data<SpaIndex>,
) -> HttpResponse {
    let path = req.path();
    if is_api_path(path) {
        return match routes.allow_header(path) {
            Some(allow) => {
                let mut res = problem_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    ErrorCode::MethodNotAllowed,
                    Some(format!(
                        "{} is not allowed here; use {}.",
                        req.method(),
                        allow.to_str().unwrap_or_default()
                    )),
                    vec![],
                );
                res.headers_mut().insert(header::ALLOW, allow);
                res
            }
            None => problem_response(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                Some(format!("There is no resource at {path}.")),
                vec![],
            ),
        };
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return problem_response(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            Some("Pages accept only GET.".to_owned()),
            vec![],
        );
    }
    match &index.0 {
        Some(html) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            // Asset names carry content hashes; only the entry page must always be fresh.
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html.clone()),
        None => problem_response(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            Some("The web app is not built; run `cargo xtask run`.".to_owned()),
            vec![],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_templated_paths_segment_by_segment() {
        let table = RouteTable {
            routes: vec![(
                vec![
                    Segment::Literal("api".into()),
                    Segment::Literal("organisations".into()),
                    Segment::Param,
                ],
                vec![Method::GET],
            )],
        };
        assert_eq!(
            table.allowed_methods("/api/organisations/123"),
            Some(&[Method::GET][..])
        );
        assert_eq!(table.allowed_methods("/api/organisations"), None);
        assert_eq!(table.allowed_methods("/api/organisations/1/x"), None);
    }
}
