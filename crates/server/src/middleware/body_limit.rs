//! Refuses any request whose declared body exceeds the configured limit, before routing or
//! reading it. Chunked bodies without a length are capped by the extractors' own limits
//! (`JsonConfig`/`PayloadConfig`), which map to the same 413 problem.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::Error;
use adgang_api_types::ErrorCode;
use adgang_core::problem_response;

#[derive(Debug, Clone, Copy)]
pub struct MaxBodyBytes(pub usize);

/// The body length a request announces (`Content-Length`), if it announces one.
pub fn declared_length(req: &ServiceRequest) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

pub async fn limit_body(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let limit = req
        .app_data::<actix_web::web::Data<MaxBodyBytes>>()
        .map(|l| l.0)
        .unwrap_or(usize::MAX);
    if declared_length(&req).is_some_and(|len| len > limit as u64) {
        let response = problem_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            Some(format!("The request body is larger than {limit} bytes.")),
            vec![],
        );
        return Ok(req.into_response(response).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}
