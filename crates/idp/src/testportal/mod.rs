//! The test portal (AUTH-02, guide §3.2 "Testportalen"): a tester creates organisations,
//! users, rights per organisation and machine clients, then logs in as any user through the
//! test IdP. Plain server-rendered Danish HTML with no script; mounted only with the IdP, so
//! production (IdP off) has no test portal.
//!
//! It reaches the directory only through the [`UserDirectory`] port, which the identity module
//! implements with the same services as the rights administrator's API: what it creates is
//! exactly what production data looks like, and every grant is in the actions log (actor
//! `System`: the test portal stands in for the external rights portal).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use adgang_api_types::{OrgKind, Right};
use adgang_core::cvr::CvrError;
use adgang_core::ports::{
    DirectoryError, DirectoryMachineClient, NewDirectoryOrganisation, OutboxEntry, TestMailboxes,
    UserDirectory,
};
use adgang_core::secrets::random_token;
use adgang_core::Cvr;

use crate::html::{escape, page};

type Directory = web::Data<dyn UserDirectory>;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/testportal")
            .route("", web::get().to(overview))
            .route("/organisations", web::post().to(create_organisation))
            .route("/users", web::post().to(create_user))
            .route("/rights", web::post().to(grant_rights))
            .route("/rights/revoke", web::post().to(revoke_right))
            .route("/machine-clients", web::post().to(register_machine_client))
            .route("/mailboxes", web::get().to(mailboxes))
            .route("/mailboxes/open", web::post().to(open_message)),
    );
}

/// The Danish names of the rights (SPEC §0).
pub(crate) fn right_name(right: Right) -> &'static str {
    match right {
        Right::SystemAdmin => "Digital Post – Systemadministrator (DP Admin)",
        Right::ContactAdmin => "Kontaktstrukturadministrator",
        Right::LogMessages => "Logadministrator – log for meddelelser",
        Right::LogActions => "Logadministrator – log for medarbejder- og systemhandlinger",
        Right::LogSearches => "Logadministrator – log for medarbejdersøgninger",
        Right::CitizenService => "Borgerservicemedarbejder",
        Right::BusinessService => "Erhvervsservicemedarbejder",
        Right::StatisticsAdmin => "Statistikadministrator",
        Right::RightsAdmin => "Rettighedsadministrator",
        Right::Operator => "Systemforvalter",
    }
}

/// The form's fields; checkboxes repeat a name, so this keeps every value.
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Form {
        Form(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
    }

    fn rights(&self) -> Vec<Right> {
        self.0
            .iter()
            .filter(|(k, _)| k == "right")
            .filter_map(|(_, v)| Right::parse(v))
            .collect()
    }
}

/// The browser's form token: a random value in an HttpOnly, SameSite=Strict cookie that every
/// form of the page repeats in a hidden field.
const FORM_COOKIE: &str = "adgang_testportal";
const FORM_FIELD: &str = "form_token";

/// The test portal's data, and the form token of the browser it answers.
struct Portal {
    directory: Directory,
    token: String,
}

impl Portal {
    /// A form post from the portal's own page in this browser, else `None` (403). The portal has
    /// no login, so another site must not be able to create users and rights in a test
    /// environment through a visitor's browser:
    /// * `Sec-Fetch-Site`, which browsers set and pages cannot forge, must say `same-origin`
    ///   when present (Chromium sends `Origin: null` on these posts because the page is served
    ///   with `Referrer-Policy: no-referrer`, so Origin alone cannot tell);
    /// * an `Origin` other than `null` must be this host;
    /// * the form's token must equal the cookie's (double submit): a cross-site page can
    ///   neither read the token nor send the SameSite=Strict cookie.
    fn posted(req: &HttpRequest, directory: Directory, form: &Form) -> Option<Portal> {
        let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
        if header(header::HeaderName::from_static("sec-fetch-site"))
            .is_some_and(|site| site != "same-origin")
        {
            return None;
        }
        if let Some(origin) = header(header::ORIGIN).filter(|o| *o != "null") {
            let host = header(header::HOST).unwrap_or_default();
            if origin.split_once("://").map(|(_, rest)| rest) != Some(host) {
                return None;
            }
        }
        let cookie = req.cookie(FORM_COOKIE)?;
        let token = form.get(FORM_FIELD);
        (!token.is_empty() && cookie.value() == token).then(|| Portal {
            directory,
            token: token.to_owned(),
        })
    }

    /// The portal for a page view: this browser's token, or a new one (and its cookie).
    fn viewed(req: &HttpRequest, directory: Directory) -> (Portal, Option<Cookie<'static>>) {
        match req.cookie(FORM_COOKIE).filter(|c| c.value().len() >= 32) {
            Some(cookie) => {
                let token = cookie.value().to_owned();
                (Portal { directory, token }, None)
            }
            None => {
                let token = random_token(32);
                let cookie = Cookie::build(FORM_COOKIE, token.clone())
                    .path("/testportal")
                    .http_only(true)
                    .same_site(SameSite::Strict)
                    .secure(req.connection_info().scheme() == "https")
                    .finish();
                (Portal { directory, token }, Some(cookie))
            }
        }
    }
}

fn see_other(message: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/testportal?ok={message}")))
        .finish()
}

/// Danish texts for the services' field errors.
fn danish(errors: &[adgang_api_types::FieldError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            use adgang_api_types::FieldCode as C;
            match (e.field.as_str(), e.code) {
                ("name", C::Required) => "Skriv et navn.",
                ("name", C::TooLong) => "Navnet er for langt.",
                ("rights", C::Required) => "Vælg mindst én rettighed.",
                ("rights", C::NotForMachines) => {
                    "Systemforvalter og rettighedsadministrator kan ikke gives til maskinklienter."
                }
                _ => "En oplysning er ugyldig.",
            }
            .to_owned()
        })
        .collect()
}

fn failure(err: DirectoryError) -> Vec<String> {
    match err {
        DirectoryError::Validation(fields) => danish(&fields.into_inner()),
        DirectoryError::OrganisationExists(cvr) => {
            vec![format!(
                "Der findes allerede en organisation med CVR {cvr}."
            )]
        }
        DirectoryError::UserExists(rid) => {
            vec![format!("Der findes allerede en bruger med RID/UUID {rid}.")]
        }
        DirectoryError::OrganisationNotFound => vec!["Organisationen findes ikke.".to_owned()],
        DirectoryError::UserNotFound => vec!["Vælg en bruger.".to_owned()],
        other => {
            tracing::error!(error = ?other, "test portal");
            vec!["Der skete en fejl. Prøv igen.".to_owned()]
        }
    }
}

fn cvr_error(err: CvrError) -> String {
    match err {
        CvrError::Format => "Et CVR-nummer består af 8 cifre.".to_owned(),
        CvrError::Checksum => "CVR-nummeret er ikke gyldigt (modulus 11).".to_owned(),
    }
}

mod form_posts;
mod mailbox_pages;
mod portal_page;

use form_posts::{
    create_organisation, create_user, grant_rights, register_machine_client, revoke_right,
};
use mailbox_pages::{mailboxes, open_message};
use portal_page::overview;
