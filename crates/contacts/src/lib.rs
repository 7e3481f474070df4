//! Contact structure (Kontaktstruktur, SPEC §3, guide chapter 6): the groups and points
//! citizens and businesses write to, for authorities' `contact_admin`s.

pub mod cache;
pub mod deep_links;
pub mod documents;
pub mod entity;
pub mod error;
pub mod http;
pub mod service;
pub mod validation;
pub mod workbook;

pub use error::ContactsError;

/// The OpenAPI tag of this module's endpoints.
pub const TAG: &str = "Kontaktstruktur";

/// Answers the systems module which contact points are bound to a system (SYS-12).
pub struct BoundContactPoints;

impl adgang_systems::BoundContactPoints for BoundContactPoints {
    fn names<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseTransaction,
        system_id: &'a str,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Vec<String>, sea_orm::DbErr>> + Send + 'a>,
    > {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        Box::pin(async move {
            Ok(entity::contact_point::Entity::find()
                .filter(entity::contact_point::Column::RecipientSystemId.eq(system_id))
                .order_by_asc(entity::contact_point::Column::Name)
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.name)
                .collect())
        })
    }
}

/// Registers this module's routes under the API scope.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    http::configure(cfg);
}
