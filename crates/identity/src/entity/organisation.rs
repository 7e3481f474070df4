use adgang_api_types::OrgKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cvr: String,
    pub name: String,
    pub kind: Kind,
    pub agreement_accepted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// May serve legal notices (the courts; NgDP `legalNotificationAllowed`, LOG-01 "Forkyndt").
    pub legal_notification_allowed: bool,
}

impl Model {
    /// An authority that has not accepted the connection agreement yet (AUTH-04). Companies
    /// skip onboarding.
    pub fn awaits_onboarding(&self) -> bool {
        self.kind == Kind::Authority && self.agreement_accepted_at.is_none()
    }

    /// How the organisation appears in our access tokens.
    pub fn claim(&self) -> adgang_core::auth::OrganisationClaim {
        adgang_core::auth::OrganisationClaim {
            cvr: self.cvr.clone(),
            name: self.name.clone(),
            kind: self.kind.into(),
            onboarding_pending: self.awaits_onboarding(),
        }
    }
}

/// Stored form of [`OrgKind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    #[sea_orm(string_value = "authority")]
    Authority,
    #[sea_orm(string_value = "company")]
    Company,
}

impl From<Kind> for OrgKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Authority => OrgKind::Authority,
            Kind::Company => OrgKind::Company,
        }
    }
}

impl From<OrgKind> for Kind {
    fn from(kind: OrgKind) -> Self {
        match kind {
            OrgKind::Authority => Kind::Authority,
            OrgKind::Company => Kind::Company,
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
