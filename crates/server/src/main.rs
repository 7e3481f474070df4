//! `adgang-server [serve]` serves the API and SPA; `adgang-server --help` lists the other
//! commands (OpenAPI document, keys, test tokens).

use adgang_api_types::{OrgKind, Right};
use adgang_core::auth::{OrganisationClaim, TokenSubject};
use adgang_server::{openapi, telemetry, Application, Settings};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc: rows are allocated on sqlx's SQLite threads and freed on
/// the server's, and glibc spent about a third of a CSV download locking arenas for that
/// (`perf`, issue 15; docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Administrativ Adgang: the administration portal of Danish Digital Post (API and SPA).
///
/// Configured by environment variables (ADGANG_BIND, ADGANG_PORT, DATABASE_URL,
/// ADGANG_ENVIRONMENT, …; the README lists them all with their defaults) and optionally a
/// TOML file with the same keys, lower-case without ADGANG_ (the environment wins).
#[derive(Parser)]
#[command(name = "adgang-server", version)]
struct Cli {
    /// A configuration file (TOML; docs/adgang.example.toml lists every key). Also
    /// ADGANG_CONFIG. Environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the SPA (the default)
    Serve,
    /// Print the OpenAPI document
    Openapi,
    /// Print a new Ed25519 key (PKCS#8 PEM) for ADGANG_TOKEN_SIGNING_KEY_FILE
    GenerateSigningKey,
    /// Print a new 32-byte key (base64) for ADGANG_DATA_KEY_FILE
    GenerateDataKey,
    /// Print an access token signed with the configured key (test deployments; refused in
    /// production)
    IssueToken {
        /// The organisation's CVR number
        cvr: String,
        /// authority or company
        kind: String,
        /// Rights, comma-separated (e.g. system_admin,contact_admin)
        rights: String,
        /// The user's name
        name: Option<String>,
    },
    /// Feed mutated workbooks, PDFs and PNGs through the upload sandbox for a while; fails on
    /// an answer outside its schema or a parent that grows by more than 50 MB (issue 29)
    FuzzFiles {
        /// How long to run
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// The generator's seed (a failure names it)
        #[arg(long, default_value_t = 29)]
        seed: u64,
        /// Where a failing input is kept
        #[arg(long, default_value = "target/fuzz-files")]
        out: std::path::PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    // `adgang-server parse-untrusted …`, the upload sandbox's child (issue 29), is not for
    // people: it starts no runtime and no threads, limits itself, reads, answers.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(adgang_server::sandbox::SUBCOMMAND) {
        adgang_server::sandbox::child::run(&args[2..]);
    }
    let cli = Cli::parse();
    let config = cli
        .config
        .or_else(|| std::env::var_os("ADGANG_CONFIG").map(std::path::PathBuf::from));
    let command = cli.command.unwrap_or(Command::Serve);
    actix_web::rt::System::new().block_on(run(command, config.as_deref()))
}

async fn run(command: Command, config: Option<&std::path::Path>) -> anyhow::Result<()> {
    let settings = || Settings::from_file_and_env(config).context("reading configuration");
    match command {
        Command::FuzzFiles { seconds, seed, out } => {
            let settings = settings()?;
            let sandbox = adgang_server::sandbox::Sandbox::new(settings.sandbox)?;
            adgang_server::sandbox::fuzz::run(sandbox, seconds, seed, out).await
        }
        Command::Serve => serve(settings()?).await,
        Command::Openapi => {
            print!("{}", openapi::document_json());
            Ok(())
        }
        Command::GenerateSigningKey => {
            print!("{}", adgang_core::auth::generate_pkcs8_pem()?);
            Ok(())
        }
        Command::GenerateDataKey => {
            println!("{}", adgang_core::secrets::DataKey::generate().to_base64());
            Ok(())
        }
        Command::IssueToken {
            cvr,
            kind,
            rights,
            name,
        } => issue_token(settings()?, &cvr, &kind, &rights, name),
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
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

fn issue_token(
    settings: Settings,
    cvr: &str,
    kind: &str,
    rights: &str,
    name: Option<String>,
) -> anyhow::Result<()> {
    if settings.environment == adgang_api_types::EnvironmentLabel::Production {
        bail!("issue-token is refused in production");
    }
    if settings.token_signing_key_file.is_none() {
        bail!("set ADGANG_TOKEN_SIGNING_KEY_FILE to the key the server uses");
    }
    let kind = OrgKind::parse(kind).context("kind must be authority or company")?;
    // `all`: every right (the API fuzzing in `cargo xtask test` calls as such a user).
    let rights = if rights == "all" {
        Right::ALL.to_vec()
    } else {
        rights
            .split(',')
            .filter(|r| !r.is_empty())
            .map(|r| Right::parse(r).with_context(|| format!("unknown right {r:?}")))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    let name = name.unwrap_or_else(|| "Testbruger".to_owned());
    let subject = TokenSubject {
        user_id: format!("cli-{cvr}"),
        name: name.clone(),
        organisation: OrganisationClaim {
            cvr: cvr.to_owned(),
            name,
            kind,
            onboarding_pending: false,
        },
        rights,
        operator: false,
        operator_home: None,
    };
    let (token, _) = settings.token_keys()?.issue(&subject, chrono::Utc::now())?;
    println!("{token}");
    Ok(())
}
