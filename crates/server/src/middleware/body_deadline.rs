//! Issue 31: a request body must arrive within a deadline — 10 s for JSON and other small
//! bodies, 30 s for an upload (configurable) — counted from when the request's headers were
//! read. A caller that trickles its body is answered 408 and its connection closed, whichever
//! handler was reading: the payload stream itself fails at the deadline.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, ConnectionType, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use adgang_api_types::ErrorCode;
use adgang_core::problem_response;
use futures_util::StreamExt;

/// How long a body may take.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadlines {
    pub small: Duration,
    pub upload: Duration,
}

impl Default for BodyDeadlines {
    fn default() -> Self {
        BodyDeadlines {
            small: Duration::from_secs(10),
            upload: Duration::from_secs(30),
        }
    }
}

impl BodyDeadlines {
    /// Uploads are multipart forms and raw files; everything else is a small body.
    fn for_request(&self, req: &ServiceRequest) -> Duration {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/")
            || content_type.starts_with("application/octet-stream")
        {
            self.upload
        } else {
            self.small
        }
    }
}

fn has_body(req: &ServiceRequest) -> bool {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    length.is_some_and(|n| n > 0) || req.headers().contains_key(header::TRANSFER_ENCODING)
}

pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(deadlines) = req
        .app_data::<web::Data<BodyDeadlines>>()
        .map(|d| *d.get_ref())
    else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    if !has_body(&req) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let limit = deadlines.for_request(&req);
    let deadline = tokio::time::Instant::now() + limit;
    let expired = Arc::new(AtomicBool::new(false));
    let flag = expired.clone();
    let inner = req.take_payload();
    let stream = futures_util::stream::unfold(Some(inner), move |state| {
        let flag = flag.clone();
        async move {
            let mut inner = state?;
            match tokio::time::timeout_at(deadline, inner.next()).await {
                Ok(Some(chunk)) => Some((chunk, Some(inner))),
                Ok(None) => None,
                Err(_) => {
                    flag.store(true, Ordering::Release);
                    let late = std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body did not arrive in time",
                    );
                    Some((Err(PayloadError::Io(late)), None))
                }
            }
        }
    });
    let boxed: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = Result<web::Bytes, PayloadError>>>,
    > = Box::pin(stream);
    req.set_payload(Payload::from(boxed));
    let response = next.call(req).await;
    if !expired.load(Ordering::Acquire) {
        return Ok(response?.map_into_left_body());
    }
    let request = match &response {
        Ok(res) => res.request().clone(),
        Err(_) => return response.map(ServiceResponse::map_into_left_body),
    };
    let mut timed_out = problem_response(
        StatusCode::REQUEST_TIMEOUT,
        ErrorCode::RequestTimeout,
        Some(format!(
            "The request body did not arrive within {} s.",
            limit.as_secs()
        )),
        vec![],
    );
    timed_out
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    Ok(ServiceResponse::new(request, timed_out).map_into_right_body())
}
