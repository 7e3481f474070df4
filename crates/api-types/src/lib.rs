//! The wire types of the Administrativ Adgang API.
//!
//! Both the server and the Leptos SPA depend on this crate, so a request or response shape is
//! declared exactly once. It must compile to `wasm32-unknown-unknown`: serde only, and utoipa
//! schemas behind the `openapi` feature (which the frontend never enables).

pub mod authority_info;
pub mod contact;
pub mod error;
pub mod eventlog;
pub mod exemption;
pub mod file;
pub mod mail_access;
pub mod message;
pub mod meta;
pub mod module;
pub mod move_mail;
pub mod nemsms;
pub mod onboarding;
pub mod organisation;
pub mod page;
pub mod recall;
pub mod right;
pub mod session;
pub mod statistics;
pub mod system;
pub mod words;

pub use authority_info::{
    AuthorityInformation, LinkCheck, LinkProblem, Logo, PrivacyPolicyLink, SenderInformation,
};
pub use contact::{
    Audience, Capacity, CodeKind, ContactDeletionNode, ContactGroup, ContactGroupDeletion,
    ContactGroupInput, ContactImportReceipt, ContactNodeKind, ContactPoint, ContactPointCode,
    ContactPointInput, ContactTreeNode, DeepLink, ExternalLink, PublicContactPoint,
    PublicOrganisationalUnit, RecipientSystemChoice,
};
pub use error::{ConflictReason, ErrorCode, FieldCode, FieldError, Problem};
pub use eventlog::{
    ActionEvent, ActionLogEntry, ActionLogFilter, CursorQuery, EventLogKind, ExportStatus,
    LogExport, LogPage, MessageLogEntry, MessageLogFilter, SearchLogEntry, SearchLogFilter,
    Subject,
};
pub use exemption::{
    CitizenLookup, CompanyLookup, Exemption, ExemptionAction, ExemptionChange, ExemptionReceipt,
    MailForwarding, NewExemption, PartyCollection, PartyExemption, PartyKind, PartyLookup,
};
pub use file::BinaryFile;
pub use mail_access::{
    AccessGiver, AccessHolder, AccessLevel, ExemptionChoice, HolderLookup, MailAccess,
    MailAccessAction, MailAccessReceipt, NewMailAccess,
};
pub use message::{
    DeliveryAttempt, Direction, MemoAttachment, MemoReceipt, MemoStatus, MessageEvent, MessageType,
    NewMemo, Platform,
};
pub use meta::{EnvironmentInfo, EnvironmentLabel};
pub use module::Module;
pub use move_mail::{MailMove, MailMoveState, MoveContactPoint, MoveMode, MovePeriod, NewMailMove};
pub use nemsms::{
    NemSmsAction, NemSmsConfirmation, NemSmsConfirmed, NemSmsNumberChange, NemSmsReceipt,
    NemSmsState, NemSmsStatus, NewNemSmsEnrolment,
};
pub use onboarding::{
    ConnectionAgreement, OnboardingCompletion, OnboardingStatus, RightsAdminDesignation,
    SignedAgreement,
};
pub use organisation::{Address, OrgKind, Organisation, OrganisationLookup};
pub use page::{Page, PageQuery};
pub use recall::{RecallCandidate, RecallReceipt};
pub use right::Right;
pub use session::{
    AccessToken, ContextSwitch, NewMachineClient, OAuthError, OAuthErrorCode, OAuthTokenResponse,
    OrganisationUser, RegisteredMachineClient, Session, SessionOrganisation,
    SwitchableOrganisation,
};
pub use statistics::{
    CustomerType, NewCustomReport, NewSubscription, ReportInterval, ReportKind, ReportPeriod,
    ReportState, ReportVariable, SizeBand, StandardReport, StatisticsReport, SubscriptionChange,
};
pub use system::{
    required_details, Activation, ActivationMode, ApiKey, NewStandardSystem, NewSystem, Protocol,
    PublishedStandardSystem, RequiredDetails, SftpAccess, StandardSystem, System, SystemReceipt,
    SystemRole, SystemStatus, SystemSummary, SystemUpdate, TechnicalContact,
};
