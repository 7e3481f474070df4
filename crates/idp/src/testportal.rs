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
            .route("/mailboxes", web::get().to(mailboxes)),
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

async fn overview(
    req: HttpRequest,
    directory: Directory,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let ok = query
        .iter()
        .find(|(k, _)| k == "ok")
        .map(|(_, v)| v.as_str());
    let message = match ok {
        Some("organisation") => Some("Organisationen er oprettet."),
        Some("user") => Some("Brugeren er oprettet."),
        Some("rights") => Some("Rettighederne er tildelt."),
        Some("revoked") => Some("Rettigheden er fjernet."),
        _ => None,
    };
    let (portal, new_cookie) = Portal::viewed(&req, directory);
    let mut page = render(&portal, 200, message, &[], None).await;
    if let Some(cookie) = new_cookie {
        let _ = page.add_cookie(&cookie);
    }
    page
}

/// Danish name of a platform id (`Platform::as_str`).
fn platform_name(id: &str) -> &str {
    match id {
        "virk" => "Virk",
        "eboks" => "e-Boks",
        "mit_dk" => "mit.dk",
        other => other,
    }
}

/// The text escaped, with each `http(s)://` word a link — a NemSMS confirmation link (SMS-02)
/// is opened from the outbox as a holder would open it from the SMS.
fn linked(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<a href=\"{0}\" class=\"sms-link\">{0}</a>", escape(word))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn outbox_table(id: &str, caption: &str, to: &str, subject: &str, rows: &[OutboxEntry]) -> String {
    let mut html = format!(
        "<table id=\"{id}\"><caption>{caption}</caption><thead><tr><th scope=\"col\">Sendt</th>\
         <th scope=\"col\">{to}</th><th scope=\"col\">{subject}</th><th scope=\"col\">Tekst</th></tr></thead><tbody>"
    );
    for row in rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            adgang_core::time::copenhagen(row.sent_at).format("%d.%m.%Y %H:%M"),
            escape(&row.to),
            escape(&row.subject),
            linked(&row.text),
        ));
    }
    if rows.is_empty() {
        html.push_str("<tr><td colspan=\"4\">Ingen endnu.</td></tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// Issue 14 item 8: a citizen's or company's platform mailbox (e-Boks, mit.dk, Virk) and the
/// built-in SMS and e-mail outboxes, so a tester sees where Digital Post put things.
async fn mailboxes(
    mailboxes: web::Data<dyn TestMailboxes>,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let recipient = query
        .iter()
        .find(|(k, _)| k == "recipient")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut body = String::from(
        "<h1>Postkasser og udbakker</h1><p><a href=\"/testportal\">Tilbage til testportalen</a></p>\
         <form method=\"get\" action=\"/testportal/mailboxes\" id=\"mailbox-search\"><fieldset>\
         <legend>Vis en borgers eller virksomheds postkasse</legend>\
         <label for=\"mailbox-recipient\">CPR- eller CVR-nummer</label>",
    );
    body.push_str(&format!(
        "<input id=\"mailbox-recipient\" name=\"recipient\" inputmode=\"numeric\" maxlength=\"10\" value=\"{}\">\
         <button type=\"submit\">Vis postkasse</button></fieldset></form>",
        escape(&recipient)
    ));
    let loaded = async {
        let mailbox = if recipient.is_empty() {
            None
        } else {
            Some(mailboxes.platform_mailbox(&recipient).await?)
        };
        Ok::<_, adgang_core::ports::DbError>((
            mailbox,
            mailboxes.sms_outbox().await?,
            mailboxes.mail_outbox().await?,
        ))
    };
    let (mailbox, sms, mail) = match loaded.await {
        Ok(loaded) => loaded,
        Err(err) => {
            tracing::error!(error = %err, "test portal could not load the mailboxes");
            return page(503, "<h1>Postkasser og udbakker</h1><div class=\"alert\" role=\"alert\">Databasen svarer ikke.</div>");
        }
    };
    if let Some(mailbox) = mailbox {
        body.push_str(&format!(
            "<table id=\"mailbox\"><caption>Postkassen for {}</caption><thead><tr><th scope=\"col\">Modtaget</th>\
             <th scope=\"col\">Platform</th><th scope=\"col\">Titel</th><th scope=\"col\">Afsender (CVR)</th>\
             <th scope=\"col\">Meddelelses-ID</th></tr></thead><tbody>",
            escape(&recipient)
        ));
        for m in &mailbox {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                adgang_core::time::copenhagen(m.accepted_at).format("%d.%m.%Y %H:%M"),
                platform_name(&m.platform),
                escape(&m.title),
                escape(&m.sender_cvr),
                escape(&m.message_id),
            ));
        }
        if mailbox.is_empty() {
            body.push_str("<tr><td colspan=\"5\">Postkassen er tom.</td></tr>");
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("<h2>NemSMS-udbakke</h2>");
    body.push_str(&outbox_table(
        "sms-outbox",
        "De seneste 50 SMS",
        "Modtager (CPR/CVR eller telefon)",
        "Reference",
        &sms,
    ));
    body.push_str("<h2>E-mail-udbakke</h2>");
    body.push_str(&outbox_table(
        "mail-outbox",
        "De seneste 50 e-mails",
        "Modtager",
        "Emne",
        &mail,
    ));
    page(200, &body)
}

async fn create_organisation(
    req: HttpRequest,
    directory: Directory,
    body: web::Bytes,
) -> HttpResponse {
    let form = Form::parse(&body);
    let Some(portal) = Portal::posted(&req, directory, &form) else {
        return HttpResponse::Forbidden().finish();
    };
    let kind = match form.get("kind") {
        "authority" => OrgKind::Authority,
        "company" => OrgKind::Company,
        _ => {
            return render(
                &portal,
                400,
                None,
                &["Vælg myndighed eller virksomhed.".into()],
                None,
            )
            .await
        }
    };
    let cvr = match Cvr::parse(form.get("cvr")) {
        Ok(cvr) => cvr,
        Err(err) => return render(&portal, 400, None, &[cvr_error(err)], None).await,
    };
    let new = NewDirectoryOrganisation {
        cvr,
        name: form.get("name").to_owned(),
        kind,
        // Unticked, an authority's first login goes through onboarding (AUTH-04).
        joined: form.get("joined") == "on",
    };
    match portal.directory.create_organisation(new).await {
        Ok(_) => see_other("organisation"),
        Err(err) => render(&portal, 400, None, &failure(err), None).await,
    }
}

async fn create_user(req: HttpRequest, directory: Directory, body: web::Bytes) -> HttpResponse {
    let form = Form::parse(&body);
    let Some(portal) = Portal::posted(&req, directory, &form) else {
        return HttpResponse::Forbidden().finish();
    };
    let name = form.get("name");
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push("Skriv brugerens navn.".to_owned());
    } else if name.chars().count() > 200 {
        errors.push("Navnet er for langt.".to_owned());
    }
    let rid = match form.get("rid") {
        "" => uuid::Uuid::now_v7().to_string(),
        rid if rid.chars().count() > 100 || rid.chars().any(char::is_whitespace) => {
            errors.push("RID/UUID må højst være 100 tegn og uden mellemrum.".to_owned());
            String::new()
        }
        rid => rid.to_owned(),
    };
    if !errors.is_empty() {
        return render(&portal, 400, None, &errors, None).await;
    }
    match portal.directory.create_user(&rid, name).await {
        Ok(_) => see_other("user"),
        Err(err) => render(&portal, 400, None, &failure(err), None).await,
    }
}

/// The user (RID) and organisation a rights form names, or Danish errors.
fn user_and_organisation(form: &Form) -> Result<(&str, Cvr), Vec<String>> {
    let user = form.get("user");
    if user.is_empty() {
        return Err(vec!["Vælg en bruger.".to_owned()]);
    }
    let cvr = Cvr::parse(form.get("cvr")).map_err(|_| vec!["Vælg en organisation.".to_owned()])?;
    Ok((user, cvr))
}

async fn grant_rights(req: HttpRequest, directory: Directory, body: web::Bytes) -> HttpResponse {
    let form = Form::parse(&body);
    let Some(portal) = Portal::posted(&req, directory, &form) else {
        return HttpResponse::Forbidden().finish();
    };
    let (user, cvr) = match user_and_organisation(&form) {
        Ok(found) => found,
        Err(errors) => return render(&portal, 400, None, &errors, None).await,
    };
    let granted = form.rights();
    if granted.is_empty() {
        return render(
            &portal,
            400,
            None,
            &["Vælg mindst én rettighed.".into()],
            None,
        )
        .await;
    }
    match portal.directory.grant(user, &cvr, &granted).await {
        Ok(()) => see_other("rights"),
        Err(err) => render(&portal, 400, None, &failure(err), None).await,
    }
}

async fn revoke_right(req: HttpRequest, directory: Directory, body: web::Bytes) -> HttpResponse {
    let form = Form::parse(&body);
    let Some(portal) = Portal::posted(&req, directory, &form) else {
        return HttpResponse::Forbidden().finish();
    };
    let (user, cvr) = match user_and_organisation(&form) {
        Ok(found) => found,
        Err(errors) => return render(&portal, 400, None, &errors, None).await,
    };
    let Some(right) = Right::parse(form.get("right")) else {
        return render(&portal, 400, None, &["Ukendt rettighed.".into()], None).await;
    };
    match portal.directory.revoke(user, &cvr, right).await {
        Ok(()) => see_other("revoked"),
        Err(err) => render(&portal, 400, None, &failure(err), None).await,
    }
}

async fn register_machine_client(
    req: HttpRequest,
    directory: Directory,
    body: web::Bytes,
) -> HttpResponse {
    let form = Form::parse(&body);
    let Some(portal) = Portal::posted(&req, directory, &form) else {
        return HttpResponse::Forbidden().finish();
    };
    let cvr = match Cvr::parse(form.get("cvr")) {
        Ok(cvr) => cvr,
        Err(_) => return render(&portal, 400, None, &["Vælg en organisation.".into()], None).await,
    };
    let result = portal
        .directory
        .register_machine_client(&cvr, form.get("name"), &form.rights())
        .await;
    match result {
        // The secret is shown once, on this page, and never again.
        Ok((client, secret)) => render(&portal, 201, None, &[], Some((client, secret))).await,
        Err(err) => render(&portal, 400, None, &failure(err), None).await,
    }
}

fn right_checkboxes(prefix: &str, exclude_for_machines: bool) -> String {
    Right::ALL
        .iter()
        .filter(|r| !exclude_for_machines || !matches!(r, Right::Operator | Right::RightsAdmin))
        .map(|r| {
            format!(
                "<label><input type=\"checkbox\" name=\"right\" value=\"{id}\" id=\"{prefix}-{id}\"> {name} <span class=\"rid\">({id})</span></label>",
                id = r.as_str(),
                name = escape(right_name(*r)),
            )
        })
        .collect()
}

async fn render(
    portal: &Portal,
    status: u16,
    message: Option<&str>,
    errors: &[String],
    new_client: Option<(DirectoryMachineClient, String)>,
) -> HttpResponse {
    let loaded = match portal.directory.directory().await {
        Ok(loaded) => loaded,
        Err(err) => {
            tracing::error!(error = %err, "test portal could not load its data");
            return page(503, "<h1>Testportalen</h1><div class=\"alert\" role=\"alert\">Databasen svarer ikke.</div>");
        }
    };
    let (orgs, users, grants, clients) = (
        &loaded.organisations,
        &loaded.users,
        &loaded.grants,
        &loaded.machine_clients,
    );
    let org_name = |cvr: &str| {
        orgs.iter()
            .find(|o| o.cvr == cvr)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| cvr.to_owned())
    };

    let mut body = String::from(
        "<h1>Testportalen</h1>\
         <div class=\"alert\">Testmiljø: her opretter du organisationer, brugere, rettigheder og \
         maskinklienter. <a href=\"/api/v1/auth/login?returnTo=/\" id=\"testportal-log-in\">Log ind som en testbruger</a>. \
         Se hvad Digital Post har leveret: <a href=\"/testportal/mailboxes\" id=\"testportal-mailboxes\">postkasser og udbakker</a>.</div>",
    );
    if let Some(message) = message {
        body.push_str(&format!(
            "<div class=\"ok\" role=\"status\" id=\"testportal-ok\">{}</div>",
            escape(message)
        ));
    }
    if !errors.is_empty() {
        body.push_str("<div class=\"alert error\" role=\"alert\" id=\"testportal-errors\"><ul>");
        for e in errors {
            body.push_str(&format!("<li>{}</li>", escape(e)));
        }
        body.push_str("</ul></div>");
    }
    if let Some((client, secret)) = &new_client {
        body.push_str(&format!(
            "<div class=\"ok\" role=\"status\" id=\"testportal-client\"><p>Maskinklienten <strong>{name}</strong> er registreret. \
             Gem hemmeligheden nu – den vises ikke igen.</p>\
             <p>client_id: <code id=\"client-id\">{id}</code><br>client_secret: <code id=\"client-secret\">{secret}</code></p></div>",
            name = escape(&client.name),
            id = escape(&client.client_id),
            secret = escape(secret),
        ));
    }

    // Organisations.
    body.push_str("<h2>Organisationer</h2><table><thead><tr><th scope=\"col\">CVR</th><th scope=\"col\">Navn</th><th scope=\"col\">Type</th><th scope=\"col\">Tilsluttet</th></tr></thead><tbody>");
    for o in orgs {
        let kind = if o.kind == OrgKind::Authority {
            "Myndighed"
        } else {
            "Virksomhed"
        };
        let joined = match (o.kind, o.joined_at) {
            (OrgKind::Company, _) => "–".to_owned(),
            (_, Some(at)) => at.format("%d.%m.%Y").to_string(),
            (_, None) => "Nej – tilslutning ved første login".to_owned(),
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{kind}</td><td>{joined}</td></tr>",
            escape(&o.cvr),
            escape(&o.name)
        ));
    }
    body.push_str("</tbody></table>");
    body.push_str(
        "<form method=\"post\" action=\"/testportal/organisations\" id=\"new-organisation\"><fieldset><legend>Opret organisation</legend>\
         <label for=\"org-cvr\">CVR-nummer</label><input id=\"org-cvr\" name=\"cvr\" inputmode=\"numeric\" maxlength=\"8\" required>\
         <label for=\"org-name\">Navn</label><input id=\"org-name\" name=\"name\" maxlength=\"200\" required>\
         <label><input type=\"radio\" name=\"kind\" value=\"authority\" checked> Myndighed</label>\
         <label><input type=\"radio\" name=\"kind\" value=\"company\"> Virksomhed</label>\
         <label><input type=\"checkbox\" name=\"joined\" id=\"org-joined\"> Allerede tilsluttet (spring tilslutningen over)</label>\
         <button type=\"submit\" id=\"create-organisation\">Opret organisation</button></fieldset></form>",
    );

    // Users with their rights per organisation.
    body.push_str("<h2>Brugere og rettigheder</h2><table><thead><tr><th scope=\"col\">Navn</th><th scope=\"col\">RID/UUID</th><th scope=\"col\">Rettigheder</th></tr></thead><tbody>");
    for u in users {
        let mut held: Vec<_> = grants.iter().filter(|g| g.subject == u.subject).collect();
        held.sort_by(|a, b| {
            (&a.organisation_cvr, a.right.as_str()).cmp(&(&b.organisation_cvr, b.right.as_str()))
        });
        let mut cell = String::new();
        for g in held {
            let name = right_name(g.right);
            cell.push_str(&format!(
                "<form method=\"post\" action=\"/testportal/rights/revoke\" class=\"inline\">\
                 <input type=\"hidden\" name=\"user\" value=\"{subject}\"><input type=\"hidden\" name=\"cvr\" value=\"{cvr}\">\
                 <input type=\"hidden\" name=\"right\" value=\"{right}\">{name} i {org} \
                 <button type=\"submit\" class=\"small\" aria-label=\"Fjern {name} i {org} fra {user}\">Fjern</button></form>",
                subject = escape(&u.subject),
                cvr = escape(&g.organisation_cvr),
                right = g.right.as_str(),
                name = escape(name),
                org = escape(&org_name(&g.organisation_cvr)),
                user = escape(&u.name),
            ));
        }
        if cell.is_empty() {
            cell.push_str("Ingen");
        }
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{cell}</td></tr>",
            escape(&u.name),
            escape(&u.subject)
        ));
    }
    body.push_str("</tbody></table>");
    body.push_str(
        "<form method=\"post\" action=\"/testportal/users\" id=\"new-user\"><fieldset><legend>Opret bruger</legend>\
         <label for=\"user-name\">Navn</label><input id=\"user-name\" name=\"name\" maxlength=\"200\" required>\
         <label for=\"user-rid\">RID/UUID (tom: der dannes et UUID)</label><input id=\"user-rid\" name=\"rid\" maxlength=\"100\">\
         <button type=\"submit\" id=\"create-user\">Opret bruger</button></fieldset></form>",
    );
    let user_options: String = users
        .iter()
        .map(|u| {
            format!(
                "<option value=\"{}\">{} ({})</option>",
                escape(&u.subject),
                escape(&u.name),
                escape(&u.subject)
            )
        })
        .collect();
    let org_options: String = orgs
        .iter()
        .map(|o| {
            format!(
                "<option value=\"{}\">{} ({})</option>",
                escape(&o.cvr),
                escape(&o.name),
                escape(&o.cvr)
            )
        })
        .collect();
    body.push_str(&format!(
        "<form method=\"post\" action=\"/testportal/rights\" id=\"grant-rights\"><fieldset><legend>Tildel rettigheder</legend>\
         <label for=\"grant-user\">Bruger</label><select id=\"grant-user\" name=\"user\">{user_options}</select>\
         <label for=\"grant-cvr\">Organisation</label><select id=\"grant-cvr\" name=\"cvr\">{org_options}</select>\
         <fieldset><legend>Rettigheder</legend>{}</fieldset>\
         <button type=\"submit\" id=\"grant\">Tildel</button></fieldset></form>",
        right_checkboxes("grant", false)
    ));

    // Machine clients.
    body.push_str("<h2>Maskinklienter</h2><table><thead><tr><th scope=\"col\">Navn</th><th scope=\"col\">client_id</th><th scope=\"col\">Organisation</th><th scope=\"col\">Rettigheder</th></tr></thead><tbody>");
    for c in clients {
        body.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&c.name),
            escape(&c.client_id),
            escape(&org_name(&c.organisation_cvr)),
            escape(
                &c.rights
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        ));
    }
    body.push_str("</tbody></table>");
    body.push_str(&format!(
        "<form method=\"post\" action=\"/testportal/machine-clients\" id=\"new-machine-client\"><fieldset><legend>Registrér maskinklient</legend>\
         <label for=\"client-cvr\">Organisation</label><select id=\"client-cvr\" name=\"cvr\">{org_options}</select>\
         <label for=\"client-name\">Navn</label><input id=\"client-name\" name=\"name\" maxlength=\"100\" required>\
         <fieldset><legend>Rettigheder</legend>{}</fieldset>\
         <button type=\"submit\" id=\"register-client\">Registrér</button></fieldset></form>",
        right_checkboxes("client", true)
    ));
    // Every form carries this browser's token (see `Portal::posted`).
    let token_field = format!(
        "<input type=\"hidden\" name=\"{FORM_FIELD}\" value=\"{}\"></form>",
        escape(&portal.token)
    );
    page(status, &body.replace("</form>", &token_field))
}
