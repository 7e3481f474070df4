//! File downloads: the headers every document response carries.

use actix_web::http::header;
use actix_web::HttpResponse;

/// Renders a document (PDF, workbook) on the blocking pool, so a large one never holds an
/// async worker and `/healthz` keeps answering (issue 13 item 6).
pub async fn render<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T, crate::DomainError> {
    actix_web::rt::task::spawn_blocking(work)
        .await
        .map_err(|e| crate::DomainError::Unexpected(anyhow::anyhow!("rendering stopped: {e}")))?
        .map_err(crate::DomainError::Unexpected)
}

/// `bytes` as a download named `name` (never cached: documents may hold secrets).
pub fn attachment(content_type: &str, name: &str, bytes: Vec<u8>) -> HttpResponse {
    attachment_response(content_type, name).body(bytes)
}

/// The headers of [`attachment`] without a body yet — for a file streamed piece by piece.
pub fn attachment_response(content_type: &str, name: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    response
}

/// A user-given name as a safe ASCII file-name part ("Modtager Ærø" → "Modtager-r"), at most
/// 60 characters.
pub fn safe_file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    safe.trim_matches('-').chars().take(60).collect()
}
