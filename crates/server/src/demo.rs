//! Demo data for `cargo xtask run` (ADGANG_DEMO_DATA=true). Idempotent: re-running adds only
//! what is missing.

use adgang_api_types::OrgKind;
use adgang_core::Cvr;
use adgang_identity::service::{self, NewOrganisation};
use adgang_identity::IdentityError;
use anyhow::Context;
use sea_orm::{DatabaseConnection, TransactionTrait};

/// (CVR, name, kind) — synthetic names; every CVR passes modulus-11.
pub const ORGANISATIONS: &[(&str, &str, OrgKind)] = &[
    ("29189846", "Testkommune Nord", OrgKind::Authority),
    ("34051178", "Styrelsen for Digital Test", OrgKind::Authority),
    ("10213231", "Region Prøvested", OrgKind::Authority),
    ("25052943", "Æblegården ApS", OrgKind::Company),
    ("30808460", "Systemleverandøren A/S", OrgKind::Company),
];

pub async fn load(db: &DatabaseConnection) -> anyhow::Result<()> {
    let txn = db
        .begin()
        .await
        .context("starting the demo-data transaction")?;
    let now = chrono::Utc::now();
    for (cvr, name, kind) in ORGANISATIONS {
        let cvr = Cvr::parse(cvr).map_err(|e| anyhow::anyhow!("demo CVR {cvr}: {e:?}"))?;
        let new = NewOrganisation {
            cvr,
            name: (*name).to_owned(),
            kind: *kind,
        };
        match service::create_organisation(&txn, new, now).await {
            Ok(_) | Err(IdentityError::OrganisationExists(_)) => {}
            Err(err) => return Err(anyhow::Error::new(err).context("loading demo organisations")),
        }
    }
    txn.commit().await.context("committing demo data")?;
    Ok(())
}
