//! The test portal's page: organisations, users with their rights and machine clients, each
//! with its form, every form carrying the browser's form token.

use super::*;

pub(super) async fn overview(
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

pub(super) async fn render(
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
    let user_options = options(users.iter().map(|u| (u.subject.as_str(), u.name.as_str())));
    let org_options = options(orgs.iter().map(|o| (o.cvr.as_str(), o.name.as_str())));
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

/// A select's `<option>`s, one for each `(value, name)`, shown as "name (value)".
fn options<'a>(choices: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    choices
        .map(|(value, name)| {
            format!(
                "<option value=\"{}\">{} ({})</option>",
                escape(value),
                escape(name),
                escape(value)
            )
        })
        .collect()
}
