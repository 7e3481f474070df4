//! The portal's modules: one front-page card and one tab each (SPEC §0).

use serde::{Deserialize, Serialize};

use crate::{OrgKind, Right};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Module {
    SystemConnection,
    ContactStructure,
    EventLog,
    CitizenExemption,
    CompanyExemption,
    CitizenNemSms,
    CompanyNemSms,
    MailAccess,
    AuthorityInformation,
    Recall,
    Statistics,
    MoveMail,
}

impl Module {
    /// Front-page order, as in the guide.
    pub const ALL: [Module; 12] = [
        Module::SystemConnection,
        Module::ContactStructure,
        Module::EventLog,
        Module::CitizenExemption,
        Module::CompanyExemption,
        Module::CitizenNemSms,
        Module::CompanyNemSms,
        Module::MailAccess,
        Module::AuthorityInformation,
        Module::Recall,
        Module::Statistics,
        Module::MoveMail,
    ];

    /// The SPA route of the module (Danish, as users see it in the address bar).
    pub fn route(self) -> &'static str {
        match self {
            Module::SystemConnection => "/systemtilslutning",
            Module::ContactStructure => "/kontaktstruktur",
            Module::EventLog => "/haendelseslog",
            Module::CitizenExemption => "/fritagelse/borgere",
            Module::CompanyExemption => "/fritagelse/virksomheder",
            Module::CitizenNemSms => "/nemsms/borgere",
            Module::CompanyNemSms => "/nemsms/virksomheder",
            Module::MailAccess => "/adgang",
            Module::AuthorityInformation => "/myndighedsinformation",
            Module::Recall => "/tilbagekald",
            Module::Statistics => "/statistik",
            Module::MoveMail => "/flyt-post",
        }
    }

    /// Stable id, also the i18n key stem of the module's texts.
    pub fn id(self) -> &'static str {
        match self {
            Module::SystemConnection => "system_connection",
            Module::ContactStructure => "contact_structure",
            Module::EventLog => "event_log",
            Module::CitizenExemption => "citizen_exemption",
            Module::CompanyExemption => "company_exemption",
            Module::CitizenNemSms => "citizen_nemsms",
            Module::CompanyNemSms => "company_nemsms",
            Module::MailAccess => "mail_access",
            Module::AuthorityInformation => "authority_information",
            Module::Recall => "recall",
            Module::Statistics => "statistics",
            Module::MoveMail => "move_mail",
        }
    }

    pub fn from_route(path: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.route() == path)
    }

    /// Any one of these rights opens the module (SPEC §0 matrix).
    pub fn rights(self) -> &'static [Right] {
        use Right::*;
        match self {
            Module::SystemConnection | Module::Recall | Module::MoveMail => &[SystemAdmin],
            Module::ContactStructure => &[ContactAdmin],
            Module::EventLog => &[
                LogMessages,
                LogActions,
                LogSearches,
                CitizenService,
                BusinessService,
            ],
            Module::CitizenExemption | Module::CitizenNemSms | Module::MailAccess => {
                &[CitizenService]
            }
            Module::CompanyExemption | Module::CompanyNemSms => &[CitizenService, BusinessService],
            Module::AuthorityInformation => &[SystemAdmin, ContactAdmin],
            Module::Statistics => &[StatisticsAdmin],
        }
    }

    /// Whether a user holding `rights` in an organisation of `kind` gets this module's card and
    /// tab, and may call its endpoints.
    pub fn usable_with(self, kind: OrgKind, rights: &[Right]) -> bool {
        self.available_to(kind) && self.rights().iter().any(|r| rights.contains(r))
    }

    /// Whether organisations of `kind` can use the module (SPEC §0: system connection, logs and
    /// statistics are for both kinds; everything else is for authorities only).
    pub fn available_to(self, kind: OrgKind) -> bool {
        match self {
            Module::SystemConnection | Module::EventLog | Module::Statistics => true,
            Module::ContactStructure
            | Module::CitizenExemption
            | Module::CompanyExemption
            | Module::CitizenNemSms
            | Module::CompanyNemSms
            | Module::MailAccess
            | Module::AuthorityInformation
            | Module::Recall
            | Module::MoveMail => kind == OrgKind::Authority,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_ids_are_unique_and_round_trip() {
        let mut routes: Vec<_> = Module::ALL.iter().map(|m| m.route()).collect();
        routes.sort();
        routes.dedup();
        assert_eq!(routes.len(), Module::ALL.len());
        for m in Module::ALL {
            assert_eq!(Module::from_route(m.route()), Some(m));
        }
    }

    #[test]
    fn citizen_service_in_an_authority_sees_exactly_its_modules() {
        let visible: Vec<_> = Module::ALL
            .into_iter()
            .filter(|m| m.usable_with(OrgKind::Authority, &[Right::CitizenService]))
            .collect();
        assert_eq!(
            visible,
            vec![
                Module::EventLog,
                Module::CitizenExemption,
                Module::CompanyExemption,
                Module::CitizenNemSms,
                Module::CompanyNemSms,
                Module::MailAccess,
            ]
        );
    }

    #[test]
    fn a_company_system_admin_sees_only_system_connection() {
        let visible: Vec<_> = Module::ALL
            .into_iter()
            .filter(|m| m.usable_with(OrgKind::Company, &[Right::SystemAdmin]))
            .collect();
        assert_eq!(visible, vec![Module::SystemConnection]);
    }

    #[test]
    fn rights_admin_and_operator_open_no_module_by_themselves() {
        for m in Module::ALL {
            assert!(!m.usable_with(OrgKind::Authority, &[Right::RightsAdmin, Right::Operator]));
        }
    }

    #[test]
    fn companies_get_only_system_connection_logs_and_statistics() {
        let for_companies: Vec<_> = Module::ALL
            .into_iter()
            .filter(|m| m.available_to(OrgKind::Company))
            .collect();
        assert_eq!(
            for_companies,
            vec![
                Module::SystemConnection,
                Module::EventLog,
                Module::Statistics
            ]
        );
        assert!(Module::ALL
            .iter()
            .all(|m| m.available_to(OrgKind::Authority)));
    }
}
