//! Rights (SPEC §0): what a user may do in one organisation.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Digital Post – Systemadministrator ("DP Admin" in test).
    SystemAdmin,
    /// Kontaktstrukturadministrator.
    ContactAdmin,
    /// Logadministrator – log for meddelelser.
    LogMessages,
    /// Logadministrator – log for medarbejder- og systemhandlinger.
    LogActions,
    /// Logadministrator – log for medarbejdersøgninger.
    LogSearches,
    /// Borgerservicemedarbejder.
    CitizenService,
    /// Erhvervsservicemedarbejder.
    BusinessService,
    /// Statistikadministrator.
    StatisticsAdmin,
    /// Rettighedsadministrator.
    RightsAdmin,
    /// Systemforvalter: may act on behalf of any organisation.
    Operator,
}

impl Right {
    pub const ALL: [Right; 10] = [
        Right::SystemAdmin,
        Right::ContactAdmin,
        Right::LogMessages,
        Right::LogActions,
        Right::LogSearches,
        Right::CitizenService,
        Right::BusinessService,
        Right::StatisticsAdmin,
        Right::RightsAdmin,
        Right::Operator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Right::SystemAdmin => "system_admin",
            Right::ContactAdmin => "contact_admin",
            Right::LogMessages => "log_messages",
            Right::LogActions => "log_actions",
            Right::LogSearches => "log_searches",
            Right::CitizenService => "citizen_service",
            Right::BusinessService => "business_service",
            Right::StatisticsAdmin => "statistics_admin",
            Right::RightsAdmin => "rights_admin",
            Right::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.as_str() == s)
    }
}
