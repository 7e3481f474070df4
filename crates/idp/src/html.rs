//! The provider's own pages: plain server-rendered HTML in Danish, styled by the design
//! system's stylesheet that the SPA build already ships (no script, so the CSP stays strict).

use actix_web::http::header;
use actix_web::HttpResponse;

use adgang_core::ports::DirectoryUser;

use crate::provider::AuthorizeRequest;

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub(crate) fn page(status: u16, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html><html lang=\"da\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Test-IdP og testportal – Administrativ Adgang</title>\
         <style>body{{font-family:'IBM Plex Sans',Arial,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}\
         .alert{{background:#fff3cd;border-left:4px solid #e0a800;padding:.75rem 1rem;margin:1rem 0}}\
         fieldset{{border:0;padding:0;min-width:0}}label{{display:block;padding:.4rem 0}}\
         button{{font:inherit;padding:.6rem 1.4rem;background:#0059b3;color:#fff;border:0;border-radius:4px;cursor:pointer}}\
         .rid{{color:#555;font-size:.9em}}         body:has(table){{max-width:64rem}}table{{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}}         th,td{{text-align:left;border-bottom:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;overflow-wrap:anywhere}}         form fieldset{{border:1px solid #ccc;padding:.5rem 1rem 1rem;margin:0 0 1.5rem}}         input:not([type]),input[type=text],select{{display:block;font:inherit;padding:.3rem;margin:.2rem 0 .6rem;min-width:min(20rem,100%);max-width:100%}}         .ok{{background:#e6f4ea;border-left:4px solid #2e7d32;padding:.75rem 1rem;margin:1rem 0}}         .error{{background:#fdecea;border-left-color:#c62828}}form.inline{{margin:.1rem 0}}         button.small{{padding:.1rem .6rem;font-size:.85em;background:#fff;color:#0059b3;border:1px solid #0059b3}}</style></head><body>{body}</body></html>"
    );
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html)
}

pub(crate) fn error_page(message: &str) -> String {
    format!(
        "<h1>Login kunne ikke gennemføres</h1><div class=\"alert\" role=\"alert\">{}</div>",
        escape(message)
    )
}

fn hidden(name: &str, value: Option<&str>) -> String {
    value
        .map(|v| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(v)
            )
        })
        .unwrap_or_default()
}

pub(crate) fn login_page(request: &AuthorizeRequest, users: &[DirectoryUser]) -> String {
    let mut options = String::new();
    for (i, u) in users.iter().enumerate() {
        options.push_str(&format!(
            "<label><input type=\"radio\" name=\"subject\" value=\"{subject}\"{checked} required> \
             {name} <span class=\"rid\">(RID {subject})</span></label>",
            subject = escape(&u.subject),
            name = escape(&u.name),
            checked = if i == 0 { " checked" } else { "" },
        ));
    }
    if users.is_empty() {
        options.push_str("<p>Der er ingen testbrugere endnu. Opret dem i testportalen.</p>");
    }
    format!(
        "<h1>Test-IdP</h1>\
         <div class=\"alert\">Dette er testmiljøets login. Vælg den testbruger, du vil logge ind som.</div>\
         <form method=\"post\" action=\"authorize\">\
         {fields}<fieldset><legend>Testbrugere</legend>{options}</fieldset>\
         <p><button type=\"submit\" id=\"idp-login\">Log ind</button></p></form>\
         <p><a href=\"/testportal\">Gå til testportalen</a> for at oprette organisationer, brugere og rettigheder.</p>",
        fields = [
            hidden("response_type", Some(&request.response_type)),
            hidden("client_id", Some(&request.client_id)),
            hidden("redirect_uri", Some(&request.redirect_uri)),
            hidden("scope", Some(&request.scope)),
            hidden("state", request.state.as_deref()),
            hidden("nonce", request.nonce.as_deref()),
            hidden("code_challenge", request.code_challenge.as_deref()),
            hidden("code_challenge_method", request.code_challenge_method.as_deref()),
        ]
        .concat(),
    )
}
