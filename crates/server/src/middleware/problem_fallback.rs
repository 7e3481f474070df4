//! A safety net for X-06: an error answer under `/api` that some framework layer produced as
//! plain text (e.g. an oversized chunked body) is replaced by the same status as problem+json.
//! Our own problem bodies and OAuth's JSON error bodies pass untouched.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::Error;
use adgang_api_types::ErrorCode;
use adgang_core::problem_response;

fn code_for(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::MalformedRequest,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        503 => ErrorCode::Unavailable,
        _ if status.is_client_error() => ErrorCode::MalformedRequest,
        _ => ErrorCode::Internal,
    }
}

pub async fn problem_fallback(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let is_api = crate::fallback::is_api_path(req.path());
    let res = next.call(req).await?;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("application/problem+json") || ct.starts_with("application/json")
        });
    if is_api && (status.is_client_error() || status.is_server_error()) && !is_json {
        let (req, _) = res.into_parts();
        let mut problem = problem_response(status, code_for(status), None, vec![]);
        // Issue 13 item 7: a 405 from the framework (e.g. POST /healthz) names what is allowed.
        if status == StatusCode::METHOD_NOT_ALLOWED {
            if let Some(allow) = req
                .app_data::<actix_web::web::Data<crate::fallback::RouteTable>>()
                .and_then(|routes| routes.allow_header(req.path()))
            {
                problem.headers_mut().insert(header::ALLOW, allow);
            }
        }
        return Ok(ServiceResponse::new(req, problem).map_into_right_body());
    }
    Ok(res.map_into_left_body())
}
