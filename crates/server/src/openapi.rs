//! The OpenAPI 3.1 document, generated from the route registrations.

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    modifiers(&SecuritySchemes),
    // Every refusal's body (`adgang_core::openapi` refers to it by name).
    components(schemas(adgang_api_types::Problem, adgang_api_types::PartyCollection)),
    info(
        title = "Administrativ Adgang API",
        description = "The administration API of Digital Post: system connection, contact \
                       structure, event logs, exemptions, NemSMS, mail access and more. \
                       Errors are RFC 9457 `application/problem+json` with a stable `code` and \
                       field-level `errors`. New here? Read the \
                       [integrator's guide](/api/docs/integrators.md): machine clients and API \
                       keys, sending a memo, idempotency, push signatures, pull, receipts, \
                       errors and rate limits — every sample in it is run by the test suite.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = crate::routes::OPERATIONS_TAG, description = "Health, readiness and metrics"),
        (name = crate::routes::META_TAG, description = "Facts about this deployment"),
    )
)]
pub struct ApiDoc;

/// Declares how to authenticate, so the docs page can "Authorize".
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Our access token (EdDSA-signed JWT, valid 10 minutes), issued after \
                         login or to machine clients with the client-credentials grant.",
                    ))
                    .build(),
            ),
        );
        // CORE-01: sender and recipient systems call with their id and API key, together.
        components.add_security_scheme(
            "system_id",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-System-Id",
                "The calling system's id (with `X-Api-Key`).",
            ))),
        );
        components.add_security_scheme(
            "system_api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "The calling system's API key, from its receipt or detail page (SYS-04); \
                 compared in constant time.",
            ))),
        );
    }
}

/// The document before the routes: our description and every module's tag.
pub fn base(modules: &[Box<dyn adgang_core::ApiModule>]) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let tags = doc.tags.get_or_insert_with(Vec::new);
    for (name, description) in modules.iter().flat_map(|m| m.tags()) {
        tags.push(
            utoipa::openapi::tag::TagBuilder::new()
                .name(name)
                .description(Some(description))
                .build(),
        );
    }
    doc
}

/// Issue 30: what a module's handlers leave out of `#[utoipa::path]`, set once for all of them —
/// the module's first tag, and bearer authentication. An operation that needs none says
/// `security(())` (written as `security: []`); the system API names its keys; another tag is
/// named where it differs.
pub fn with_module_defaults(
    mut api: utoipa::openapi::OpenApi,
    modules: &[Box<dyn adgang_core::ApiModule>],
) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::security::SecurityRequirement;
    for module in modules {
        let Some((tag, _)) = module.tags().first().copied() else {
            continue;
        };
        let (_app, own) = App::new()
            .into_utoipa_app()
            .service(utoipa_actix_web::scope("/api/v1").configure(|cfg| module.configure(cfg)))
            .split_for_parts();
        for (path, own_item) in own.paths.paths {
            let Some(item) = api.paths.paths.get_mut(&path) else {
                continue;
            };
            for (operation, own_operation) in
                operations(item).into_iter().zip(operations_of(&own_item))
            {
                let (Some(operation), Some(_)) = (operation, own_operation) else {
                    continue;
                };
                if operation.tags.as_ref().is_none_or(Vec::is_empty) {
                    operation.tags = Some(vec![tag.to_owned()]);
                }
                operation.security = match operation.security.take() {
                    None => Some(vec![SecurityRequirement::new(
                        "bearer",
                        Vec::<String>::new(),
                    )]),
                    Some(public) if public.iter().all(|r| *r == SecurityRequirement::default()) => {
                        Some(Vec::new())
                    }
                    Some(named) => Some(named),
                };
            }
        }
    }
    api
}

fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> [Option<&mut utoipa::openapi::path::Operation>; 8] {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
}

fn operations_of(
    item: &utoipa::openapi::PathItem,
) -> [Option<&utoipa::openapi::path::Operation>; 8] {
    [
        item.get.as_ref(),
        item.put.as_ref(),
        item.post.as_ref(),
        item.delete.as_ref(),
        item.options.as_ref(),
        item.head.as_ref(),
        item.patch.as_ref(),
        item.trace.as_ref(),
    ]
}

/// The document the running server serves at `/api/openapi.json` (its routes do not depend on
/// settings, so the default settings' modules describe them).
pub fn document() -> utoipa::openapi::OpenApi {
    let settings = crate::config::Settings::default();
    let wiring = crate::routes::Wiring::new(
        &settings,
        sea_orm::DatabaseConnection::Disconnected,
        sea_orm::DatabaseConnection::Disconnected,
    )
    .expect("the default settings wire the modules");
    let modules =
        crate::routes::modules(&settings, &wiring).expect("the default settings build the modules");
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(base(&modules))
        .configure(|cfg| crate::routes::configure(cfg, &modules))
        .split_for_parts();
    for_integrators(with_module_defaults(api, &modules))
}

/// Issue 34 item 1: each tag's ASCII identifier (what generated clients name their modules
/// by) for its Danish display name, which stays as `x-displayName` and leads the description.
const TAG_IDS: &[(&str, &str, &str)] = &[
    (crate::routes::OPERATIONS_TAG, "operations", "Operations"),
    (crate::routes::META_TAG, "environment", "Environment"),
    (adgang_identity::TAG, "identity", "Identity"),
    (adgang_identity::http::auth::TAG, "login", "Login"),
    (
        adgang_systems::TAG,
        "system_connection",
        "System connection",
    ),
    (
        adgang_contacts::TAG,
        "contact_structure",
        "Contact structure",
    ),
    (adgang_messaging::TAG, "digital_post", "Digital Post"),
    (adgang_exemptions::TAG, "exemptions", "Exemptions"),
    (adgang_mail_access::TAG, "mail_access", "Mail access"),
    (
        adgang_authority_info::TAG,
        "authority_info",
        "Authority information",
    ),
    (adgang_nemsms::TAG, "nemsms", "NemSMS"),
    (adgang_statistics::TAG, "statistics", "Statistics"),
    (adgang_eventlog::TAG, "event_log", "Event log"),
];

/// Issue 34: a binary body (PDF, XLSX, PNG — `BinaryFile` in the code) is described as
/// OpenAPI 3.1 has it, a string whose `contentMediaType` is the body's media type, and keeps
/// `format: binary`, which the client generators read to hand back bytes.
fn binary_bodies(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::RefOr;
    fn describe<'a>(content: impl Iterator<Item = (&'a String, &'a mut utoipa::openapi::Content)>) {
        for (media_type, body) in content {
            let is_binary = matches!(&body.schema, Some(RefOr::Ref(r))
                if r.ref_location == "#/components/schemas/BinaryFile");
            if is_binary {
                let bytes = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                    .content_media_type(media_type.as_str());
                body.schema = Some(bytes.into());
            }
        }
    }
    for response in operation.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            describe(response.content.iter_mut());
        }
    }
    if let Some(body) = operation.request_body.as_mut() {
        describe(body.content.iter_mut());
    }
}

/// A page's items by name (issue 34, found with openapi-generator, orval and
/// datamodel-code-generator): utoipa writes the item schema of a generic page (`Page_X`,
/// `LogPage_X`) inline, so generators made a second type per page (`PageXItemsItem`,
/// `Item1`…) beside `X`. Each page's `items` refers to the component `X` instead — the one
/// there is, or the inline schema made that component.
fn named_page_items(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = serde_json::to_value(&api).expect("the document is JSON");
    let schemas = &mut doc["components"]["schemas"];
    let pages: Vec<String> = schemas
        .as_object()
        .map(|all| {
            all.keys()
                .filter(|n| n.starts_with("Page_") || n.starts_with("LogPage_"))
        })
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    for page in pages {
        let item = page
            .split_once('_')
            .map(|(_, item)| item.to_owned())
            .unwrap_or_default();
        let Some(items) = schemas.pointer_mut(&format!("/{page}/properties/items/items")) else {
            continue;
        };
        if item.is_empty() || items.get("$ref").is_some() {
            continue;
        }
        let inline = std::mem::replace(
            items,
            serde_json::json!({ "$ref": format!("#/components/schemas/{item}") }),
        );
        if schemas.get(&item).is_none() {
            schemas[&item] = inline;
        }
    }
    // A schema utoipa cannot read back leaves the document as it was (a test would see it).
    serde_json::from_value(doc).unwrap_or_else(|err| {
        tracing::warn!(error = %err, "the pages' items stay inline");
        api
    })
}

/// Where a long sentence's first clause ends: the first " — " or "; " outside parentheses and
/// code, after its opening words.
fn clause_end(sentence: &str) -> Option<usize> {
    let (mut depth, mut code) = (0i32, false);
    for (at, c) in sentence.char_indices() {
        match c {
            '(' if !code => depth += 1,
            ')' if !code => depth -= 1,
            '`' => code = !code,
            _ => {}
        }
        let rest = &sentence[at..];
        if at > 16 && depth == 0 && !code && (rest.starts_with(" — ") || rest.starts_with("; ")) {
            return Some(at);
        }
    }
    None
}

/// A summary of one line and the rest as the description (issue 34: generators show a summary
/// as a method's title). utoipa makes a handler doc's first paragraph the summary, so a
/// one-paragraph doc is all summary: its first sentence becomes the summary and the whole
/// paragraph the description.
fn headline(operation: &mut utoipa::openapi::path::Operation) {
    let one_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    // The first sentence; a long one up to its first dash or semicolon clause.
    let first_sentence = |text: &str| {
        let line = one_line(text);
        let mut first = line.split(". ").next().unwrap_or(&line).to_owned();
        if first.chars().count() > 80 {
            if let Some(at) = clause_end(&first) {
                first.truncate(at);
            }
        }
        first.trim_end_matches('.').to_owned()
    };
    let summary = operation.summary.take().filter(|s| !s.trim().is_empty());
    let description = operation
        .description
        .take()
        .filter(|d| !d.trim().is_empty());
    (operation.summary, operation.description) = match (summary, description) {
        (Some(summary), Some(description)) => (Some(one_line(&summary)), Some(description)),
        (Some(summary), None) => {
            let headline = first_sentence(&summary);
            (Some(headline), Some(summary))
        }
        (None, Some(description)) => (Some(first_sentence(&description)), Some(description)),
        (None, None) => (None, None),
    };
}

/// Issue 34 item 1: what generators and linters need of the document — ASCII tag ids (the
/// Danish and English names as `x-displayName` and in the description), a summary on every
/// operation (the first sentence of its description where the handler's doc has one line), a
/// `security` on every operation (`[]` for the public ones), and the server.
fn for_integrators(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let id_of = |name: &str| {
        TAG_IDS
            .iter()
            .find(|(danish, _, _)| *danish == name)
            .map(|(_, id, _)| (*id).to_owned())
            .unwrap_or_else(|| name.to_owned())
    };
    if let Some(tags) = api.tags.as_mut() {
        for tag in tags {
            if let Some((danish, id, english)) =
                TAG_IDS.iter().find(|(danish, _, _)| *danish == tag.name)
            {
                tag.name = (*id).to_owned();
                let said = tag.description.take().unwrap_or_default();
                tag.description = Some(format!("**{danish}** ({english}). {said}"));
                let mut extensions = utoipa::openapi::extensions::Extensions::default();
                extensions.insert("x-displayName".to_owned(), serde_json::json!(danish));
                tag.extensions = Some(extensions);
            }
        }
    }
    for item in api.paths.paths.values_mut() {
        for operation in operations(item).into_iter().flatten() {
            if let Some(tags) = operation.tags.as_mut() {
                for tag in tags.iter_mut() {
                    *tag = id_of(tag);
                }
            }
            if operation.security.is_none() {
                operation.security = Some(Vec::new());
            }
            headline(operation);
            binary_bodies(operation);
        }
    }
    let mut api = named_page_items(api);
    // No unused components. Removing one can leave another unreferenced, so repeat.
    loop {
        let text = serde_json::to_string(&api).unwrap_or_default();
        let Some(components) = api.components.as_mut() else {
            break;
        };
        let unused: Vec<String> = components
            .schemas
            .keys()
            .filter(|name| !text.contains(&format!("\"#/components/schemas/{name}\"")))
            .cloned()
            .collect();
        if unused.is_empty() {
            break;
        }
        for name in unused {
            components.schemas.remove(&name);
        }
    }
    api.servers = Some(vec![utoipa::openapi::server::ServerBuilder::new()
        .url("/")
        .description(Some("This deployment (the one serving this document)"))
        .build()]);
    api
}

/// The document as committed in `openapi/openapi.json` (pretty, trailing newline).
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
