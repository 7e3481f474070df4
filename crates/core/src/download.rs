//! File downloads: the headers every document response carries.

use actix_web::http::header;
use actix_web::HttpResponse;

/// `bytes` as a download named `name` (never cached: documents may hold secrets).
pub fn attachment(content_type: &str, name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
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
