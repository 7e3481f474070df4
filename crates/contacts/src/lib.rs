//! Contact structure (Kontaktstruktur, SPEC §3, guide chapter 6): the groups and points
//! citizens and businesses write to, for authorities' `contact_admin`s.

pub mod cache;
pub mod deep_links;
pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod ports;
pub mod service;
pub mod validation;
pub mod workbook;

pub use error::ContactsError;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Kontaktstruktur";

/// The module as the server mounts it; the cache is shared by every worker.
pub struct ContactsModule {
    pub platform_urls: actix_web::web::Data<deep_links::PlatformUrls>,
    pub cache: actix_web::web::Data<cache::StructureCache>,
}

impl ContactsModule {
    pub fn new(platform_urls: deep_links::PlatformUrls) -> ContactsModule {
        ContactsModule {
            platform_urls: actix_web::web::Data::new(platform_urls),
            cache: actix_web::web::Data::new(cache::StructureCache::default()),
        }
    }
}

impl adgang_core::ApiModule for ContactsModule {
    fn tags(&self) -> Vec<(&'static str, &'static str)> {
        vec![(
            TAG,
            "Contact groups and points, deep links and QR codes, Excel round trip, the platforms' search (SPEC §3)",
        )]
    }

    fn configure(&self, cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
        cfg.app_data(self.platform_urls.clone())
            .app_data(self.cache.clone());
        http::configure(cfg);
    }
}
