//! Issue 31: a request body must arrive within a deadline — 10 s for JSON and other small
//! bodies, 30 s for an upload (configurable) — counted from when the request's headers were
//! read. A caller that trickles its body is answered 408 and its connection closed, whichever
//! handler was reading: the payload stream itself fails at the deadline.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, ConnectionType, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{web, Error, HttpMessage};
use adgang_api_types::ErrorCode;
use adgang_core::problem_response;

use super::body_limit::declared_length;
use futures_util::StreamExt;

/// How long a body may take.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadlines {
    /// A small body: JSON, a form or text of at most `small_max_bytes`.
    pub small: Duration,
    /// Anything else: uploaded files (PDF, PNG, xlsx, …), large memos.
    pub upload: Duration,
    /// The largest body that is "small" (the JSON limit).
    pub small_max_bytes: u64,
}

impl Default for BodyDeadlines {
    fn default() -> Self {
        BodyDeadlines {
            small: Duration::from_secs(10),
            upload: Duration::from_secs(30),
            small_max_bytes: 1024 * 1024,
        }
    }
}

impl BodyDeadlines {
    fn for_request(&self, req: &ServiceRequest) -> Duration {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let small_type = content_type.starts_with("application/json")
            || (content_type.starts_with("application/") && content_type.contains("+json"))
            || content_type.starts_with("application/x-www-form-urlencoded")
            || content_type.starts_with("text/");
        // A chunked body announces no length: JSON is small unless it says otherwise.
        let small_length = declared_length(req).is_none_or(|n| n <= self.small_max_bytes);
        if small_type && small_length {
            self.small
        } else {
            self.upload
        }
    }
}

fn has_body(req: &ServiceRequest) -> bool {
    declared_length(req).is_some_and(|n| n > 0)
        || req.headers().contains_key(header::TRANSFER_ENCODING)
}

/// A response body that keeps the request's unread payload alive until it has been sent: the
/// server then closes the connection rather than go on draining a body that trickles in.
pub struct HeldBody {
    body: BoxBody,
    _unread: Option<Payload>,
}

impl MessageBody for HeldBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(cx)
    }
}

pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, HeldBody>>, Error> {
    let deadlines = req
        .app_data::<web::Data<BodyDeadlines>>()
        .map(|d| *d.get_ref());
    let Some(deadlines) = deadlines.filter(|_| has_body(&req)) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let limit = deadlines.for_request(&req);
    let deadline = tokio::time::Instant::now() + limit;
    // The request's own payload, lent to the stream the handler reads while it reads it;
    // whatever is left of it afterwards goes with the response (see `HeldBody`).
    let unread: Rc<RefCell<Option<Payload>>> = Rc::new(RefCell::new(Some(req.take_payload())));
    let expired = Rc::new(Cell::new(false));
    let (cell, flag) = (unread.clone(), expired.clone());
    let stream = futures_util::stream::unfold((), move |()| {
        let (cell, flag) = (cell.clone(), flag.clone());
        async move {
            if flag.get() {
                return None;
            }
            let mut inner = cell.borrow_mut().take()?;
            match tokio::time::timeout_at(deadline, inner.next()).await {
                Ok(Some(chunk)) => {
                    cell.borrow_mut().replace(inner);
                    Some((chunk, ()))
                }
                // Read to the end: nothing is left to hold.
                Ok(None) => None,
                Err(_) => {
                    cell.borrow_mut().replace(inner);
                    flag.set(true);
                    let late = std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body did not arrive in time",
                    );
                    Some((Err(PayloadError::Io(late)), ()))
                }
            }
        }
    });
    let boxed: Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(stream);
    req.set_payload(Payload::from(boxed));
    let response = next.call(req).await?;
    let held = unread.borrow_mut().take();
    if !expired.get() {
        let response = response.map_body(|_, body| HeldBody {
            body: body.boxed(),
            _unread: held,
        });
        return Ok(response.map_into_right_body());
    }
    let request = response.request().clone();
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
    let response = ServiceResponse::new(request, timed_out).map_body(|_, body| HeldBody {
        body,
        _unread: held,
    });
    Ok(response.map_into_right_body())
}
