//! The portal's form posts: create an organisation or a user, grant and revoke rights, register
//! a machine client — each checked by `Portal::posted`, answered by the page or a redirect.

use super::portal_page::render;
use super::*;

pub(super) async fn create_organisation(
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

pub(super) async fn create_user(
    req: HttpRequest,
    directory: Directory,
    body: web::Bytes,
) -> HttpResponse {
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

pub(super) async fn grant_rights(
    req: HttpRequest,
    directory: Directory,
    body: web::Bytes,
) -> HttpResponse {
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

pub(super) async fn revoke_right(
    req: HttpRequest,
    directory: Directory,
    body: web::Bytes,
) -> HttpResponse {
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

pub(super) async fn register_machine_client(
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
