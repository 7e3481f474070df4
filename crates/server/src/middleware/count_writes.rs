//! Drops the [`ReadCache`] after every request that may have written (issue 13): any method but
//! GET, HEAD and OPTIONS, whatever its answer. The handler has committed (or rolled back) by the
//! time its response comes back through here, so a read that starts after this sees the write.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error};
use adgang_core::ReadCache;

pub async fn count_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let cache = writes
        .then(|| req.app_data::<web::Data<ReadCache>>().cloned())
        .flatten();
    let result = next.call(req).await;
    if let Some(cache) = cache {
        cache.invalidate();
    }
    result
}
