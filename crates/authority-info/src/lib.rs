//! Authority information (SPEC §8, guide chapter 11, issue 17): an authority's privacy-policy
//! link — tested by a server-side fetch that never reaches an internal address — and its logo,
//! a PNG checked under explicit limits and served to the platforms with its mail.

pub mod entity;
pub mod error;
pub mod http;
pub mod service;

use std::time::Duration;

pub use error::AuthorityInfoError;
pub use service::link_check::LinkChecker;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Myndighedsinformation";

/// The module as the server mounts it.
pub struct AuthorityInfoModule {
    pub link_checker: LinkChecker,
}

impl AuthorityInfoModule {
    /// Link checks through the server's outbound client (its policy: https and public
    /// addresses in production, a local http server too in a test deployment), 10 s each.
    pub fn new(outbound: adgang_core::Outbound) -> Self {
        AuthorityInfoModule {
            link_checker: LinkChecker {
                outbound,
                timeout: Duration::from_secs(10),
            },
        }
    }
}

impl adgang_core::ApiModule for AuthorityInfoModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "An authority's privacy-policy link (tested by the server without reaching internal \
             addresses) and its PNG logo, served to the platforms (SPEC §8)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(actix_web::web::Data::new(self.link_checker.clone()));
        http::configure(cfg);
    }
}
