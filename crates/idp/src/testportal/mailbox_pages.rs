//! Issue 14 item 8: the mailboxes page — a citizen's or company's platform mailbox and the
//! built-in SMS and e-mail outboxes.

use super::*;

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
pub(super) async fn mailboxes(
    req: HttpRequest,
    directory: Directory,
    mailboxes: web::Data<dyn TestMailboxes>,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let (portal, new_cookie) = Portal::viewed(&req, directory);
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
        // A number that is no CPR or CVR has no mailbox.
        let mailbox = match adgang_core::Party::parse(&recipient) {
            Some(party) => Some(mailboxes.platform_mailbox(&party).await?),
            None if recipient.is_empty() => None,
            None => Some(Vec::new()),
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
             <th scope=\"col\">Meddelelses-ID</th><th scope=\"col\">Åbnet</th></tr></thead><tbody>",
            escape(&recipient)
        ));
        for m in &mailbox {
            // The recipient opens it as they would in e-Boks or mit.dk: a legal notice is
            // served then (LOG-01 "Forkyndt").
            let opened = match m.opened_at {
                Some(at) => adgang_core::time::copenhagen(at)
                    .format("%d.%m.%Y %H:%M")
                    .to_string(),
                None => format!(
                    "<form method=\"post\" action=\"/testportal/mailboxes/open\" class=\"open-message\">\
                     <input type=\"hidden\" name=\"{FORM_FIELD}\" value=\"{}\">\
                     <input type=\"hidden\" name=\"recipient\" value=\"{}\">\
                     <input type=\"hidden\" name=\"sender\" value=\"{}\">\
                     <input type=\"hidden\" name=\"message_id\" value=\"{}\">\
                     <button type=\"submit\">Åbn<span class=\"sr-only\"> {}</span></button></form>",
                    escape(&portal.token),
                    escape(&recipient),
                    escape(&m.sender_cvr),
                    escape(&m.message_id),
                    escape(&m.title),
                ),
            };
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{opened}</td></tr>",
                adgang_core::time::copenhagen(m.accepted_at).format("%d.%m.%Y %H:%M"),
                platform_name(&m.platform),
                escape(&m.title),
                escape(&m.sender_cvr),
                escape(&m.message_id),
            ));
        }
        if mailbox.is_empty() {
            body.push_str("<tr><td colspan=\"6\">Postkassen er tom.</td></tr>");
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
    let mut response = page(200, &body);
    if let Some(cookie) = new_cookie {
        let _ = response.add_cookie(&cookie);
    }
    response
}

/// The recipient opens a message in their mailbox (a form post from the page above, checked
/// like every test-portal form).
pub(super) async fn open_message(
    req: HttpRequest,
    directory: Directory,
    mailboxes: web::Data<dyn TestMailboxes>,
    clock: web::Data<dyn adgang_core::Clock>,
    body: web::Bytes,
) -> HttpResponse {
    let form = Form::parse(&body);
    if Portal::posted(&req, directory, &form).is_none() {
        return HttpResponse::Forbidden().finish();
    }
    let now = clock.now();
    let recipient = form.get("recipient");
    let (Some(party), Ok(sender)) = (
        adgang_core::Party::parse(recipient),
        adgang_core::Cvr::parse(form.get("sender")),
    ) else {
        return HttpResponse::BadRequest().finish();
    };
    match mailboxes
        .open(&party, &sender, form.get("message_id"), now)
        .await
    {
        Ok(_) => HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                format!(
                    "/testportal/mailboxes?recipient={}",
                    form_urlencoded::byte_serialize(recipient.as_bytes()).collect::<String>()
                ),
            ))
            .finish(),
        Err(err) => {
            tracing::error!(error = %err, "test portal could not open the message");
            page(503, "<h1>Postkasser og udbakker</h1><div class=\"alert\" role=\"alert\">Databasen svarer ikke.</div>")
        }
    }
}
