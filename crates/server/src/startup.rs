//! Building and running the application: [`Application::build`] binds the listener (port 0 picks
//! a free port, which the tests use), connects and migrates the database, and wires middleware,
//! routes, the API docs and the SPA; [`Application::run_until_stopped`] serves and supervises
//! the modules' background jobs (`crate::jobs`).

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{error, web, App, HttpRequest, HttpServer};
use adgang_api_types::{ErrorCode, FieldError};
use adgang_core::ports::{
    BoundContactPoints, ExemptionStatus, RecipientSystems, TestMailboxes, UserDirectory,
};
use adgang_core::{problem_response, Clock, Job, ReadCache, ReadDb, TokenKeys};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::fallback::{fallback, RouteTable, SpaIndex};
use crate::jobs::{JobControl, Supervisor};
use crate::metrics::Metrics;
use crate::middleware::body_deadline::{body_deadline, BodyDeadlines};
use crate::middleware::body_limit::{limit_body, MaxBodyBytes};
use crate::middleware::count_writes::count_writes;
use crate::middleware::observe::observe;
use crate::middleware::problem_fallback::problem_fallback;
use crate::middleware::security_headers::{security_headers, SecurityPolicy};

pub struct Application {
    port: u16,
    /// Issue 35: the SFTP service's port, when it runs.
    sftp_port: Option<u16>,
    server: Server,
    token_keys: web::Data<TokenKeys>,
    /// The writer connection handlers and jobs share.
    db: DatabaseConnection,
    /// The modules' jobs and the server's own, started with the server (issue 30).
    jobs: Vec<Box<dyn Job>>,
    job_control: JobControl,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = crate::database::connect_and_migrate(&settings.database_url).await?;
        if settings.demo_data {
            crate::demo::load(&db, settings.demo_history).await?;
        }
        let readers = crate::database::connect_readers(&settings.database_url, &db).await?;
        Self::build_with_database(settings, db, readers)
    }

    pub fn build_with_database(
        mut settings: Settings,
        db: DatabaseConnection,
        readers: ReadDb,
    ) -> anyhow::Result<Application> {
        let address = format!("{}:{}", settings.bind_address, settings.port);
        let listener = TcpListener::bind(&address).with_context(|| format!("binding {address}"))?;
        let port = listener
            .local_addr()
            .context("reading the bound address")?
            .port();
        // Port 0 picks a free port: from here on, settings describe the real one.
        settings.port = port;
        settings.public_base_url = Some(settings.base_url());

        let index_html = std::fs::read_to_string(settings.spa_dir.join("index.html")).ok();
        if index_html.is_none() {
            tracing::warn!(dir = %settings.spa_dir.display(), "no built SPA found; serving the API only");
        }
        let policy = web::Data::new(SecurityPolicy::new(index_html.as_deref()));
        let spa_index = web::Data::new(SpaIndex(index_html));
        let routes = web::Data::new(RouteTable::from_openapi(&crate::openapi::document()));
        // One instance sees every write only on SQLite (ARCHITECTURE.md).
        let read_cache =
            web::Data::new(ReadCache::new(settings.database_url.starts_with("sqlite:")));
        let max_body = web::Data::new(MaxBodyBytes(settings.max_body_bytes));
        let token_keys = web::Data::new(settings.token_keys()?);
        let keys_for_app = token_keys.clone();

        // The modules, their ports and their jobs (issue 30: the server supervises them).
        let wiring = crate::routes::Wiring::new(&settings, db.clone(), readers.0.clone())?;
        let modules = crate::routes::modules(&settings, &wiring)?;
        let sftp_port = wiring.sftp_port.get().copied();
        let mut metrics = Metrics::default();
        metrics.throttles = vec![
            wiring.system_keys.0.clone(),
            wiring.client_secrets.0.clone(),
        ];
        let metrics = web::Data::new(metrics);
        let body_deadlines = web::Data::new(BodyDeadlines {
            small_max_bytes: settings.max_json_bytes as u64,
            ..settings.body_deadlines
        });
        let (search_log, search_log_committer) = adgang_core::SearchLog::new(db.clone());
        let mut jobs: Vec<Box<dyn Job>> = vec![Box::new(search_log_committer)];
        jobs.extend(modules.iter().flat_map(|module| module.jobs(&wiring.jobs)));
        let job_control = Supervisor::control_for(&jobs);
        let modules = Arc::new(modules);

        let revocations = web::Data::from(wiring.revocations.clone());
        let registry: web::Data<dyn adgang_registry::Registry> =
            web::Data::from(wiring.registry.clone());
        let data_key = web::Data::new(wiring.data_key.clone());
        let clock: web::Data<dyn Clock> = web::Data::from(settings.clock.clone());
        // Issue 29: uploads are read by child processes under OS limits, never in here.
        let untrusted_files: web::Data<dyn adgang_core::ports::UntrustedFiles> =
            web::Data::from(wiring.files.clone());
        // The ports of `core`, each answered by the module that owns the data.
        let recipient_systems: web::Data<dyn RecipientSystems> = web::Data::from(Arc::new(
            adgang_systems::ports::RecipientSystemsPort,
        )
            as Arc<dyn RecipientSystems>);
        let bound_points: web::Data<dyn BoundContactPoints> =
            web::Data::from(Arc::new(adgang_contacts::ports::BoundContactPointsPort)
                as Arc<dyn BoundContactPoints>);
        let virk_mail_moves: web::Data<dyn adgang_core::ports::VirkMailMoves> =
            web::Data::from(Arc::new(adgang_messaging::VirkMailMovesPort)
                as Arc<dyn adgang_core::ports::VirkMailMoves>);
        let exemptions: web::Data<dyn ExemptionStatus> = web::Data::from(wiring.exemptions.clone());
        // SMS-02: NemSMS sends its confirmation links through the same gateway.
        let sms_gateway: web::Data<dyn adgang_core::ports::SmsGateway> =
            web::Data::from(wiring.messaging.sms.clone());
        let test_mailboxes: web::Data<dyn TestMailboxes> = web::Data::from(Arc::new(
            adgang_messaging::outbox::TestMailboxesPort { db: db.clone() },
        )
            as Arc<dyn TestMailboxes>);
        let directory: web::Data<dyn UserDirectory> =
            web::Data::from(wiring.directory.clone() as Arc<dyn UserDirectory>);
        let search_log = web::Data::new(search_log);
        let jobs_data = web::Data::new(job_control.clone());
        let (oidc, idp) = crate::login::build(&settings)?;
        let max_json = settings.max_json_bytes;
        let json_limit = web::Data::new(adgang_core::json::JsonLimit(max_json));
        let spa_dir = web::Data::new(crate::assets::SpaDir(settings.spa_dir.clone()));
        let serve_files = settings.spa_dir.is_dir();
        let settings = web::Data::new(settings);
        let writer = db.clone();
        let db = web::Data::new(db);
        let readers = web::Data::new(readers);

        let server = HttpServer::new(move || {
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(crate::openapi::base(&modules))
                .configure(|cfg| crate::routes::configure(cfg, &modules))
                .split_for_parts();
            let api = crate::openapi::with_module_defaults(api, &modules);
            let mut app = app
                .app_data(db.clone())
                .app_data(readers.clone())
                .app_data(read_cache.clone())
                .app_data(settings.clone())
                .app_data(metrics.clone())
                .app_data(jobs_data.clone())
                .app_data(routes.clone())
                .app_data(spa_index.clone())
                .app_data(policy.clone())
                .app_data(max_body.clone())
                .app_data(body_deadlines.clone())
                .app_data(keys_for_app.clone())
                .app_data(revocations.clone())
                .app_data(registry.clone())
                .app_data(data_key.clone())
                .app_data(clock.clone())
                .app_data(untrusted_files.clone())
                .app_data(recipient_systems.clone())
                .app_data(bound_points.clone())
                .app_data(virk_mail_moves.clone())
                .app_data(test_mailboxes.clone())
                .app_data(sms_gateway.clone())
                .app_data(search_log.clone())
                .app_data(exemptions.clone())
                .app_data(directory.clone())
                .app_data(oidc.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(max_json)
                        .error_handler(json_error),
                )
                .app_data(json_limit.clone())
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                // Issue 34: the integrator's guide beside the viewer (before it: the viewer
                // answers every path below `/api/docs/`).
                .route("/api/docs/integrators.md", web::get().to(integrators_guide))
                .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
                // X-10 names `/api/docs`: the viewer lives below it.
                .route(
                    "/api/docs",
                    web::get().to(|| async {
                        web::Redirect::to("/api/docs/")
                            .using_status_code(StatusCode::PERMANENT_REDIRECT)
                    }),
                );
            if let Some(idp) = &idp {
                app = app.app_data(idp.clone()).configure(adgang_idp::configure);
            }
            let unmatched = if serve_files {
                web::to(crate::assets::serve)
            } else {
                web::to(fallback)
            };
            app.app_data(spa_dir.clone())
                .default_service(unmatched)
                // Outermost last: observe sees every response, including 413s and headers.
                .wrap(from_fn(count_writes))
                .wrap(from_fn(problem_fallback))
                .wrap(from_fn(security_headers))
                .wrap(from_fn(body_deadline))
                .wrap(from_fn(limit_body))
                .wrap(from_fn(observe))
        })
        .listen(listener)
        .context("starting the HTTP server")?
        // On SIGTERM/SIGINT: stop accepting, let in-flight requests finish.
        .shutdown_timeout(30)
        .run();
        Ok(Application {
            port,
            sftp_port,
            server,
            token_keys,
            db: writer,
            jobs,
            job_control,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Issue 35: the SFTP service's port, when this instance runs it.
    pub fn sftp_port(&self) -> Option<u16> {
        self.sftp_port
    }

    /// The writer connection the handlers and jobs of this instance share (on SQLite its one
    /// connection), for a test's own jobs to run as the server's do.
    pub fn writer(&self) -> DatabaseConnection {
        self.db.clone()
    }

    /// The keys this instance signs and verifies access tokens with.
    pub fn token_keys(&self) -> web::Data<TokenKeys> {
        self.token_keys.clone()
    }

    /// The supervised jobs' state and test hooks.
    pub fn jobs(&self) -> JobControl {
        self.job_control.clone()
    }

    /// Serves until SIGTERM/SIGINT (in-flight requests finish), then stops the jobs — after
    /// the requests, which may still wait on intake's writer.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let supervisor = Supervisor::start(self.jobs, self.job_control);
        let served = self.server.await;
        supervisor.stop().await;
        served
    }
}

fn json_error(err: error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use error::JsonPayloadError as E;
    let (status, code, detail) = match &err {
        E::OverflowKnownLength { .. } | E::Overflow { .. } => (
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "The JSON body is too large.".to_owned(),
        ),
        E::ContentType => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Send the body as application/json.".to_owned(),
        ),
        other => (
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            format!("The JSON body could not be read: {other}"),
        ),
    };
    error::InternalError::from_response(err, problem_response(status, code, Some(detail), vec![]))
        .into()
}

fn query_error(err: error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let detail = err.to_string();
    // serde_urlencoded names the field in its message; surface it as a field error too.
    let errors = vec![FieldError {
        field: "query".to_owned(),
        code: adgang_api_types::FieldCode::Invalid,
        message: detail.clone(),
    }];
    let response = problem_response(
        StatusCode::BAD_REQUEST,
        ErrorCode::ValidationFailed,
        Some(format!("Invalid query parameters: {detail}")),
        errors,
    );
    error::InternalError::from_response(err, response).into()
}

fn path_error(err: error::PathError, _req: &HttpRequest) -> actix_web::Error {
    let response = problem_response(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        Some("The path does not name a resource.".to_owned()),
        vec![],
    );
    error::InternalError::from_response(err, response).into()
}

/// `docs/integrators.md`, as text a browser shows (linked from the document's description, so
/// from the top of `/api/docs/`).
async fn integrators_guide() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(include_str!("../../../docs/integrators.md"))
}
