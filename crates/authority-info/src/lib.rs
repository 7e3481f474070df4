//! Authority information (SPEC §8, guide chapter 11, issue 17): an authority's privacy-policy
//! link — tested by a server-side fetch that never reaches an internal address — and its logo,
//! a PNG checked under explicit limits and served to the platforms with its mail.

pub mod entity;
pub mod error;
pub mod http;
pub mod service;

use std::sync::Arc;
use std::time::Duration;

pub use error::AuthorityInfoError;
pub use service::link_check::{AddressPolicy, LinkChecker, NameResolver, SystemResolver};

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Myndighedsinformation";

/// The module as the server mounts it.
pub struct AuthorityInfoModule {
    pub link_checker: LinkChecker,
}

impl AuthorityInfoModule {
    /// Production link checks (https, public addresses, 10 s) unless `allow_http_endpoints`
    /// (a test deployment) lets them reach a local http server too.
    pub fn new(allow_http_endpoints: bool) -> Self {
        AuthorityInfoModule {
            link_checker: LinkChecker {
                policy: if allow_http_endpoints {
                    AddressPolicy::AllowLoopback
                } else {
                    AddressPolicy::PublicOnly
                },
                resolver: Arc::new(SystemResolver),
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
