//! `adgang-server` serves the API and SPA; `adgang-server openapi` prints the OpenAPI document.

use adgang_server::{openapi, telemetry, Application, Settings};
use anyhow::Context;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve().await,
        Some("openapi") => {
            print!("{}", openapi::document_json());
            Ok(())
        }
        Some(other) => anyhow::bail!("unknown command {other:?}; use `serve` or `openapi`"),
    }
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::from_env().context("reading configuration")?;
    telemetry::init(settings.log_format);
    let environment = settings.environment;
    let app = Application::build(settings).await?;
    tracing::info!(
        port = app.port(),
        ?environment,
        "Administrativ Adgang is listening"
    );
    app.run_until_stopped().await.context("serving")
}
