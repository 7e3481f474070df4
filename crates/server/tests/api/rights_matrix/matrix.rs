//! The rights matrix's table: every documented operation (method, path) with the access it
//! needs (SPEC §0). A new route gets its row here.

use adgang_api_types::Right;

use super::Access;

// The kinds of access the rows name, one constant each so that a row fits on a line.
const PUBLIC: Access = Access::Public;
const SESSION_COOKIE: Access = Access::SessionCookie;
const ANY_PRINCIPAL: Access = Access::AnyPrincipal;
const ANY_OWN_RIGHT: Access = Access::AnyOwnRight;
const SYSTEM: Access = Access::System;
const SYSTEM_ADMIN: Access = Access::Right(Right::SystemAdmin);
const CONTACT_ADMIN: Access = Access::Right(Right::ContactAdmin);
const CITIZEN_SERVICE: Access = Access::Right(Right::CitizenService);
const STATISTICS_ADMIN: Access = Access::Right(Right::StatisticsAdmin);
const RIGHTS_ADMIN: Access = Access::Right(Right::RightsAdmin);
const LOG_SEARCHES: Access = Access::Right(Right::LogSearches);
const OPERATOR: Access = Access::Right(Right::Operator);

/// LOG-05: the rights that open the message log and the actions log.
const MESSAGE_LOG: Access = Access::AnyOf(&[
    Right::LogMessages,
    Right::CitizenService,
    Right::BusinessService,
]);
const ACTIONS_LOG: Access = Access::AnyOf(&[
    Right::LogActions,
    Right::CitizenService,
    Right::BusinessService,
]);
/// Any right of the event log; an export is then checked against its own log.
const EVENT_LOG: Access = Access::AnyOf(&[
    Right::LogMessages,
    Right::LogActions,
    Right::LogSearches,
    Right::CitizenService,
    Right::BusinessService,
]);

/// EX-05, SMS-04: companies' exemptions and NemSMS are open to citizen and business service.
const COMPANY_EXEMPTION: Access = Access::AnyOf(&[Right::CitizenService, Right::BusinessService]);
/// INFO-03: authority information is open to system and contact administrators.
const AUTHORITY_INFO: Access = Access::AnyOf(&[Right::SystemAdmin, Right::ContactAdmin]);

// One row a line, as a table.
#[rustfmt::skip]
pub(super) const MATRIX: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", PUBLIC),
    ("GET", "/readyz", PUBLIC),
    ("GET", "/metrics", PUBLIC),
    ("GET", "/api/v1/environment", PUBLIC),
    ("GET", "/api/v1/session", ANY_PRINCIPAL),
    ("GET", "/api/v1/organisations", OPERATOR),
    ("GET", "/api/v1/organisations/{cvr}", ANY_PRINCIPAL),
    ("GET", "/api/v1/organisation-lookup/{cvr}", OPERATOR),
    ("GET", "/api/v1/auth/login", PUBLIC),
    ("GET", "/api/v1/auth/callback", PUBLIC),
    ("POST", "/api/v1/auth/token", SESSION_COOKIE),
    ("POST", "/api/v1/auth/logout", SESSION_COOKIE),
    ("POST", "/api/v1/auth/switch", SESSION_COOKIE),
    ("GET", "/api/v1/auth/organisations", ANY_PRINCIPAL),
    ("POST", "/api/v1/organisations/{cvr}/machine-clients", RIGHTS_ADMIN),
    ("POST", "/api/v1/oauth/token", PUBLIC),
    ("GET", "/api/v1/organisations/{cvr}/users", RIGHTS_ADMIN),
    ("PUT", "/api/v1/organisations/{cvr}/users/{userId}/rights/{right}", RIGHTS_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/users/{userId}/rights/{right}", RIGHTS_ADMIN),
    // Onboarding is the one thing open while an authority has not joined (AUTH-04).
    ("GET", "/api/v1/organisations/{cvr}/onboarding", ANY_PRINCIPAL),
    ("GET", "/api/v1/organisations/{cvr}/onboarding/agreement", ANY_PRINCIPAL),
    ("PUT", "/api/v1/organisations/{cvr}/onboarding/signed-agreement", ANY_PRINCIPAL),
    ("POST", "/api/v1/organisations/{cvr}/onboarding/completion", ANY_OWN_RIGHT),
    // System connection (SPEC §2): system_admin, both organisation kinds.
    ("GET", "/api/v1/organisations/{cvr}/systems", SYSTEM_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/systems", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/systems/{id}", SYSTEM_ADMIN),
    ("PUT", "/api/v1/organisations/{cvr}/systems/{id}", SYSTEM_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/systems/{id}", SYSTEM_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/systems/{id}/primary", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/systems/{id}/api-key", SYSTEM_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/systems/{id}/api-key/rotation", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/systems/{id}/receipt", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/systems/{id}/overview", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/system-overview", SYSTEM_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/standard-systems", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/standard-systems", SYSTEM_ADMIN),
    ("PUT", "/api/v1/organisations/{cvr}/standard-systems/{id}", SYSTEM_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/standard-systems/{id}", SYSTEM_ADMIN),
    ("GET", "/api/v1/standard-systems", SYSTEM_ADMIN),
    // Contact structure (SPEC §3): contact_admin, authorities only.
    ("GET", "/api/v1/organisations/{cvr}/contact-structure", CONTACT_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/contact-groups", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-groups/{id}", CONTACT_ADMIN),
    ("PUT", "/api/v1/organisations/{cvr}/contact-groups/{id}", CONTACT_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/contact-points", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-points/{id}", CONTACT_ADMIN),
    ("PUT", "/api/v1/organisations/{cvr}/contact-points/{id}", CONTACT_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/contact-points/{id}", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-groups/{id}/deletion-preview", CONTACT_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/contact-groups/{id}", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-points/{id}/deep-links", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-groups/{id}/deep-links", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-points/{id}/receipt", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-points/{id}/qr-code", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-groups/{id}/qr-code", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-structure/export", CONTACT_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/contact-structure/import", CONTACT_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/contact-structure/recipient-systems", CONTACT_ADMIN),
    // The platforms' read API (CS-08): public directory data.
    ("GET", "/api/v1/platform/organisations/{cvr}/contact-points", PUBLIC),
    ("GET", "/api/v1/platform/organisations/{cvr}/organisational-units", PUBLIC),
    ("GET", "/api/v1/organisations/{cvr}/systems/{id}/delivery-attempts", SYSTEM_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/systems/{id}/test-message", SYSTEM_ADMIN),
    // The Digital Post core's system-facing API (CORE-01, CORE-03).
    ("POST", "/api/v1/memos", SYSTEM),
    ("GET", "/api/v1/mailboxes/{systemId}/system-fetches", SYSTEM),
    ("POST", "/api/v1/mailboxes/{systemId}/system-fetches", SYSTEM),
    ("POST", "/api/v1/receipts", SYSTEM),
    ("GET", "/api/v1/receipts", SYSTEM),
    ("DELETE", "/api/v1/receipts/{id}", SYSTEM),
    // The event log (LOG-05): each log opened by its own rights.
    ("GET", "/api/v1/organisations/{cvr}/events/messages", MESSAGE_LOG),
    ("GET", "/api/v1/organisations/{cvr}/events/messages/csv", MESSAGE_LOG),
    ("POST", "/api/v1/organisations/{cvr}/events/messages/exports", MESSAGE_LOG),
    ("GET", "/api/v1/organisations/{cvr}/events/actions", ACTIONS_LOG),
    ("GET", "/api/v1/organisations/{cvr}/events/actions/csv", ACTIONS_LOG),
    ("POST", "/api/v1/organisations/{cvr}/events/actions/exports", ACTIONS_LOG),
    ("GET", "/api/v1/organisations/{cvr}/events/searches", LOG_SEARCHES),
    ("GET", "/api/v1/organisations/{cvr}/events/searches/csv", LOG_SEARCHES),
    ("POST", "/api/v1/organisations/{cvr}/events/searches/exports", LOG_SEARCHES),
    ("GET", "/api/v1/organisations/{cvr}/events/exports/{id}", EVENT_LOG),
    ("GET", "/api/v1/organisations/{cvr}/events/exports/{id}/file", EVENT_LOG),
    ("POST", "/api/v1/organisations/{cvr}/exemptions/lookups", COMPANY_EXEMPTION),
    ("POST", "/api/v1/organisations/{cvr}/exemptions/citizens", CITIZEN_SERVICE),
    ("POST", "/api/v1/organisations/{cvr}/exemptions/citizens/{id}/lift", CITIZEN_SERVICE),
    ("POST", "/api/v1/organisations/{cvr}/exemptions/companies", COMPANY_EXEMPTION),
    ("POST", "/api/v1/organisations/{cvr}/exemptions/companies/{id}/lift", COMPANY_EXEMPTION),
    ("POST", "/api/v1/organisations/{cvr}/exemptions/companies/{id}/renew", COMPANY_EXEMPTION),
    ("GET", "/api/v1/organisations/{cvr}/exemptions/receipts/{id}", COMPANY_EXEMPTION),
    ("GET", "/api/v1/organisations/{cvr}/exemptions/receipts/{id}/pdf", COMPANY_EXEMPTION),
    ("POST", "/api/v1/organisations/{cvr}/nemsms/lookups", COMPANY_EXEMPTION),
    ("POST", "/api/v1/organisations/{cvr}/nemsms/citizens", CITIZEN_SERVICE),
    ("PUT", "/api/v1/organisations/{cvr}/nemsms/citizens/{id}/phone", CITIZEN_SERVICE),
    ("DELETE", "/api/v1/organisations/{cvr}/nemsms/citizens/{id}", CITIZEN_SERVICE),
    ("POST", "/api/v1/organisations/{cvr}/nemsms/companies", COMPANY_EXEMPTION),
    ("PUT", "/api/v1/organisations/{cvr}/nemsms/companies/{id}/phone", COMPANY_EXEMPTION),
    ("DELETE", "/api/v1/organisations/{cvr}/nemsms/companies/{id}", COMPANY_EXEMPTION),
    ("POST", "/api/v1/nemsms/confirmations", PUBLIC),
    ("POST", "/api/v1/organisations/{cvr}/mail-access/giver-lookups", CITIZEN_SERVICE),
    ("POST", "/api/v1/organisations/{cvr}/mail-access/holder-lookups", CITIZEN_SERVICE),
    ("POST", "/api/v1/organisations/{cvr}/mail-accesses", CITIZEN_SERVICE),
    ("DELETE", "/api/v1/organisations/{cvr}/mail-accesses/{id}", CITIZEN_SERVICE),
    ("GET", "/api/v1/organisations/{cvr}/mail-access/receipts/{id}", CITIZEN_SERVICE),
    ("GET", "/api/v1/organisations/{cvr}/mail-access/receipts/{id}/pdf", CITIZEN_SERVICE),
    // Authority information (SPEC §8): system_admin or contact_admin; the platforms' view is
    // public.
    ("GET", "/api/v1/organisations/{cvr}/authority-information", AUTHORITY_INFO),
    ("PUT", "/api/v1/organisations/{cvr}/authority-information/privacy-policy-link", AUTHORITY_INFO),
    ("POST", "/api/v1/organisations/{cvr}/authority-information/link-checks", AUTHORITY_INFO),
    ("PUT", "/api/v1/organisations/{cvr}/logo", AUTHORITY_INFO),
    ("DELETE", "/api/v1/organisations/{cvr}/logo", AUTHORITY_INFO),
    ("GET", "/api/v1/senders/{cvr}", PUBLIC),
    ("GET", "/api/v1/senders/{cvr}/logo", PUBLIC),
    // Move mail (SPEC §12): authorities' system_admin.
    ("POST", "/api/v1/organisations/{cvr}/mail-moves", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/mail-moves", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/mail-moves/contact-points", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/mail-moves/{id}", SYSTEM_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/mail-moves/{id}/receipt", SYSTEM_ADMIN),
    // Statistics (SPEC §11): statistics_admin, authorities and companies.
    ("GET", "/api/v1/organisations/{cvr}/statistics/reports", STATISTICS_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/statistics/subscriptions", STATISTICS_ADMIN),
    ("POST", "/api/v1/organisations/{cvr}/statistics/custom-reports", STATISTICS_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/statistics/reports/{id}", STATISTICS_ADMIN),
    ("PATCH", "/api/v1/organisations/{cvr}/statistics/reports/{id}", STATISTICS_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/statistics/reports/{id}", STATISTICS_ADMIN),
    ("GET", "/api/v1/organisations/{cvr}/statistics/reports/{id}/file", STATISTICS_ADMIN),
    // Recall (SPEC §10): authorities' system_admin.
    ("GET", "/api/v1/organisations/{cvr}/memos/{id}", SYSTEM_ADMIN),
    ("DELETE", "/api/v1/organisations/{cvr}/memos/{id}", SYSTEM_ADMIN),
];
