//! The OpenAPI 3.1 document, generated from the route registrations.

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    modifiers(&SecuritySchemes),
    // Every refusal's body (`adgang_core::openapi` refers to it by name).
    components(schemas(adgang_api_types::Problem)),
    info(
        title = "Administrativ Adgang API",
        description = "The administration API of Digital Post: system connection, contact \
                       structure, event logs, exemptions, NemSMS, mail access and more. \
                       Errors are RFC 9457 `application/problem+json` with a stable `code` and \
                       field-level `errors`.",
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
                        "Our access token (EdDSA-signed JWT, at most 15 minutes), issued after \
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
    let wiring = crate::routes::Wiring::new(&settings, sea_orm::DatabaseConnection::Disconnected)
        .expect("the default settings wire the modules");
    let modules =
        crate::routes::modules(&settings, &wiring).expect("the default settings build the modules");
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(base(&modules))
        .configure(|cfg| crate::routes::configure(cfg, &modules))
        .split_for_parts();
    with_module_defaults(api, &modules)
}

/// The document as committed in `openapi/openapi.json` (pretty, trailing newline).
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
