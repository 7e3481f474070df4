//! `adgang-server [serve]` serves the API and SPA. Other commands:
//! * `openapi` prints the OpenAPI document;
//! * `generate-signing-key` prints a new Ed25519 PKCS#8 PEM key for ADGANG_TOKEN_SIGNING_KEY_FILE;
//! * `generate-data-key` prints a new 32-byte key (base64) for ADGANG_DATA_KEY_FILE;
//! * `issue-token <cvr> <authority|company> <right,right,…> [name]` prints an access token signed
//!   with the configured key — for test deployments and load tests; refused in production.

use adgang_api_types::{OrgKind, Right};
use adgang_core::auth::{OrganisationClaim, TokenSubject};
use adgang_server::{openapi, telemetry, Application, Settings};
use anyhow::{bail, Context};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("openapi") => {
            print!("{}", openapi::document_json());
            Ok(())
        }
        Some("generate-signing-key") => {
            print!("{}", adgang_core::auth::generate_pkcs8_pem()?);
            Ok(())
        }
        Some("generate-data-key") => {
            println!("{}", adgang_core::secrets::DataKey::generate().to_base64());
            Ok(())
        }
        Some("issue-token") => issue_token(&args[1..]),
        Some(other) => bail!(
            "unknown command {other:?}; use serve, openapi, generate-signing-key, generate-data-key or issue-token"
        ),
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

fn issue_token(args: &[String]) -> anyhow::Result<()> {
    let settings = Settings::from_env().context("reading configuration")?;
    if settings.environment == adgang_api_types::EnvironmentLabel::Production {
        bail!("issue-token is refused in production");
    }
    if settings.token_signing_key_file.is_none() {
        bail!("set ADGANG_TOKEN_SIGNING_KEY_FILE to the key the server uses");
    }
    let [cvr, kind, rights, rest @ ..] = args else {
        bail!("usage: issue-token <cvr> <authority|company> <right,right,…> [name]");
    };
    let kind = OrgKind::parse(kind).context("kind must be authority or company")?;
    let rights = rights
        .split(',')
        .filter(|r| !r.is_empty())
        .map(|r| Right::parse(r).with_context(|| format!("unknown right {r:?}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let name = rest
        .first()
        .cloned()
        .unwrap_or_else(|| "Testbruger".to_owned());
    let subject = TokenSubject {
        user_id: format!("cli-{cvr}"),
        name: name.clone(),
        organisation: OrganisationClaim {
            cvr: cvr.clone(),
            name,
            kind,
            onboarding_pending: false,
        },
        rights,
        operator: false,
    };
    let (token, _) = settings.token_keys()?.issue(&subject, chrono::Utc::now())?;
    println!("{token}");
    Ok(())
}
