//! The actions log in words (LOG-02, issue 32 item 6): the changed field's name and its stored
//! values as a reader says them, in Danish and English, instead of the API's identifiers
//! (`isPrimary`, `rest_pull`). One vocabulary for the SPA's table and the server's CSV; the API
//! itself keeps the identifiers. A name or value not listed here is shown as stored.

/// One word or phrase in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    pub da: &'static str,
    pub en: &'static str,
}

impl Words {
    const fn new(da: &'static str, en: &'static str) -> Words {
        Words { da, en }
    }

    /// The Danish words, or the English ones.
    pub fn in_language(self, english: bool) -> &'static str {
        if english {
            self.en
        } else {
            self.da
        }
    }
}

/// A changed field's name (`FieldChange::field`), e.g. `isPrimary` → "Primært system".
pub fn field(name: &str) -> Option<Words> {
    let words = match name {
        "name" => Words::new("Navn", "Name"),
        "description" => Words::new("Beskrivelse", "Description"),
        "role" => Words::new("Rolle", "Role"),
        "protocol" => Words::new("Protokol", "Protocol"),
        "endpoint" => Words::new("Endepunkt", "Endpoint"),
        "receiptEndpoint" => Words::new("Endepunkt for kvitteringer", "Receipt endpoint"),
        "allowedIps" => Words::new("IP-adresser", "IP addresses"),
        "isPrimary" => Words::new("Primært system", "Primary system"),
        "active" => Words::new("Aktiv", "Active"),
        "activeFrom" => Words::new("Aktiv fra", "Active from"),
        "activeTo" => Words::new("Aktiv til", "Active to"),
        "mode" => Words::new("Aktivering", "Activation"),
        "apiKey" => Words::new("API-nøgle", "API key"),
        "apiKeyShown" => Words::new("API-nøgle vist", "API key shown"),
        "sshPublicKey" => Words::new("Offentlig SSH-nøgle", "Public SSH key"),
        "technicalContact.email" => {
            Words::new("Teknisk kontakt, e-mail", "Technical contact, email")
        }
        "technicalContact.phone" => {
            Words::new("Teknisk kontakt, telefon", "Technical contact, phone")
        }
        "technicalContact.extraEmail" => Words::new(
            "Teknisk kontakt, ekstra e-mail",
            "Technical contact, extra email",
        ),
        "notifyEmail" => Words::new(
            "Ekstra e-mail til driftsbeskeder",
            "Extra email for notices",
        ),
        "standardSystem" => Words::new("Standardsystem", "Standard system"),
        "vendorCvr" => Words::new("Leverandørens CVR", "Vendor's CVR"),
        "capacity.maxMessageSizeBytes" => {
            Words::new("Største meddelelse (bytes)", "Largest message (bytes)")
        }
        "capacity.maxAttachments" => Words::new("Flest bilag", "Most attachments"),
        "recipientSystemId" | "systemId" => Words::new("System", "System"),
        "systems" => Words::new("Systemer", "Systems"),
        "groupIds" => Words::new("Kontaktgrupper", "Contact groups"),
        "parentIds" => Words::new("Overordnede grupper", "Parent groups"),
        "contactPointId" => Words::new("Kontaktpunkt", "Contact point"),
        "failoverContactPointId" => Words::new("Reservekontaktpunkt", "Fallback contact point"),
        "isOrganisationalUnit" => Words::new("Organisatorisk enhed", "Organisational unit"),
        "internalNote" => Words::new("Intern note", "Internal note"),
        "keywords" => Words::new("Søgeord", "Keywords"),
        "codes" => Words::new("Koder", "Codes"),
        "classification" => Words::new("KLE-emne", "Classification"),
        "location" => Words::new("Geografi", "Location"),
        "custom" => Words::new("Egen kode", "Custom code"),
        "inputFields" => Words::new("Inputfelter", "Input fields"),
        "audiences" => Words::new("Målgrupper", "Audiences"),
        "visible" => Words::new("Synlig", "Visible"),
        "contactEmail" => Words::new("Kontakt-e-mail", "Contact email"),
        "contactPhone" => Words::new("Kontakttelefon", "Contact phone"),
        "title" => Words::new("Titel", "Title"),
        "url" | "externalLink.url" => Words::new("Link", "Link"),
        "externalLink.heading" => Words::new("Linkets overskrift", "Link heading"),
        "externalLink.linkText" => Words::new("Linktekst", "Link text"),
        "externalLink.description" => Words::new("Linkets beskrivelse", "Link description"),
        "logo" => Words::new("Logo", "Logo"),
        "forwarding" => Words::new("Videresendelse", "Forwarding"),
        "forwardingAddress" => Words::new("Videresendelsesadresse", "Forwarding address"),
        "expiresAt" | "expiresOn" => Words::new("Udløber", "Expires"),
        "endedAt" => Words::new("Ophørt", "Ended"),
        "phone" => Words::new("Mobilnummer", "Mobile number"),
        "pendingPhone" => Words::new("Mobilnummer til bekræftelse", "Number to confirm"),
        "state" | "status" => Words::new("Status", "Status"),
        "holder" => Words::new("Adgangshaver", "Access holder"),
        "level" => Words::new("Adgangsniveau", "Access level"),
        "right" | "rights" => Words::new("Rettighed", "Right"),
        "rightsAdmin" => Words::new("Rettighedsadministrator", "Rights administrator"),
        "organisation" => Words::new("Organisation", "Organisation"),
        "authority" => Words::new("Myndighed", "Authority"),
        "agreementVersion" => Words::new("Aftaleversion", "Agreement version"),
        "agreementAcceptedAt" => Words::new("Aftale accepteret", "Agreement accepted"),
        "document" => Words::new("Dokument", "Document"),
        "interval" => Words::new("Leveringsinterval", "Delivery interval"),
        "period" => Words::new("Periode", "Period"),
        "variables" => Words::new("Variable", "Variables"),
        "cancelled" => Words::new("Opsagt", "Cancelled"),
        "deleted" => Words::new("Slettet", "Deleted"),
        "ready" => Words::new("Klar", "Ready"),
        "messages" => Words::new("Meddelelser", "Messages"),
        "moved" => Words::new("Flyttet", "Moved"),
        "failure" => Words::new("Fejl", "Failure"),
        "kind" => Words::new("Type", "Kind"),
        "recipient" => Words::new("Modtager", "Recipient"),
        "cvr" | "cvrNumber" => Words::new("CVR-nummer", "CVR number"),
        "createdAt" => Words::new("Oprettet", "Created"),
        _ => return None,
    };
    Some(words)
}

/// The fields whose values are identifiers (an enum's wire form, a boolean): only their
/// values are said in words — a name, description or keyword that happens to read "none" or
/// "ready" stays as typed.
const IDENTIFIER_FIELDS: &[&str] = &[
    "role",
    "protocol",
    "mode",
    "isPrimary",
    "active",
    "visible",
    "isOrganisationalUnit",
    "apiKeyShown",
    "level",
    "kind",
    "state",
    "status",
    "interval",
    "forwarding",
    "right",
    "rights",
    "cancelled",
    "deleted",
    "ready",
    "audiences",
];

/// A stored value of `field` as a reader says it: an identifier in words (e.g. `protocol`
/// `rest_pull` → "REST (pull)"), anything else as stored. Times are not here: each side shows
/// them in Copenhagen time itself.
pub fn field_value(field: &str, stored: &str) -> Option<Words> {
    if IDENTIFIER_FIELDS.contains(&field) {
        value(stored)
    } else {
        None
    }
}

/// An identifier's words, whatever field it is in (a power of attorney's yes/no, a right).
pub fn value(stored: &str) -> Option<Words> {
    let words = match stored {
        "true" => Words::new("Ja", "Yes"),
        "false" => Words::new("Nej", "No"),
        "ny" => Words::new("ny", "new"),
        "vist" => Words::new("vist", "shown"),
        "sender" => Words::new("Afsender", "Sender"),
        "recipient" => Words::new("Modtager", "Recipient"),
        "sender_recipient" => Words::new("Afsender og modtager", "Sender and recipient"),
        "rest_push" => Words::new("REST (push)", "REST (push)"),
        "rest_pull" => Words::new("REST (pull)", "REST (pull)"),
        "rest_publish_subscribe" => {
            Words::new("REST (publish-subscribe)", "REST (publish-subscribe)")
        }
        "sftp" => Words::new("SFTP", "SFTP"),
        "now" => Words::new("Nu", "Now"),
        "at" => Words::new("På et tidspunkt", "At a time"),
        "none" => Words::new("Ikke aktiveret", "Not activated"),
        "read" => Words::new("Læse", "Read"),
        "read_write" => Words::new("Læse og skrive", "Read and write"),
        "group" => Words::new("Kontaktgruppe", "Contact group"),
        "point" => Words::new("Kontaktpunkt", "Contact point"),
        "not_enrolled" => Words::new("Ikke tilmeldt", "Not enrolled"),
        "awaiting_confirmation" => Words::new("Afventer bekræftelse", "Awaiting confirmation"),
        "enrolled" => Words::new("Tilmeldt", "Enrolled"),
        "monthly" => Words::new("Månedlig", "Monthly"),
        "quarterly" => Words::new("Kvartalsvis", "Quarterly"),
        "half_yearly" => Words::new("Halvårlig", "Half-yearly"),
        "yearly" => Words::new("Årlig", "Yearly"),
        "waiting" => Words::new("Venter", "Waiting"),
        "running" => Words::new("I gang", "Running"),
        "completed" => Words::new("Gennemført", "Completed"),
        "failed" => Words::new("Fejlet", "Failed"),
        "ordered" => Words::new("Bestilt", "Ordered"),
        "ready" => Words::new("Klar", "Ready"),
        "cancelled" => Words::new("Opsagt", "Cancelled"),
        "deleted" => Words::new("Slettet", "Deleted"),
        "authority" => Words::new("Myndighed", "Authority"),
        "company" => Words::new("Virksomhed", "Company"),
        "citizen" => Words::new("Borger", "Citizen"),
        "classification" => Words::new("KLE-emne", "Classification"),
        "location" => Words::new("Geografi", "Location"),
        "custom" => Words::new("Egen kode", "Custom code"),
        "declined" => Words::new("Ønskes ikke eftersendt", "Not to be forwarded"),
        "registered_address" => Words::new(
            "Folkeregister- eller hjemstedsadressen",
            "Registered address",
        ),
        "alternative_address" => Words::new("En alternativ adresse", "An alternative address"),
        "citizens" => Words::new("Borgere", "Citizens"),
        "companies" => Words::new("Virksomheder", "Companies"),
        "system_admin" => Words::new(
            "Digital Post – Systemadministrator",
            "Digital Post – system administrator",
        ),
        "contact_admin" => Words::new(
            "Kontaktstrukturadministrator",
            "Contact structure administrator",
        ),
        "log_messages" => Words::new(
            "Logadministrator – log for meddelelser",
            "Log administrator – message log",
        ),
        "log_actions" => Words::new(
            "Logadministrator – log for medarbejder- og systemhandlinger",
            "Log administrator – employee and system actions log",
        ),
        "log_searches" => Words::new(
            "Logadministrator – log for medarbejdersøgninger",
            "Log administrator – employee searches log",
        ),
        "citizen_service" => Words::new("Borgerservicemedarbejder", "Citizen service employee"),
        "business_service" => Words::new("Erhvervsservicemedarbejder", "Business service employee"),
        "statistics_admin" => Words::new("Statistikadministrator", "Statistics administrator"),
        "rights_admin" => Words::new("Rettighedsadministrator", "Rights administrator"),
        "operator" => Words::new("Systemforvalter", "Operator"),
        _ => return None,
    };
    Some(words)
}

/// What a failed delivery attempt says (SYS-13's attempts table, the message log's error
/// column): the server writes the Danish, the SPA in English shows the English (issue 32
/// item 9). The server's texts are these constants, so the two cannot drift apart.
pub mod delivery {
    use super::Words;

    pub const NOT_AN_ADDRESS: Words = Words::new(
        "Endepunktet er ikke en gyldig adresse.",
        "The endpoint is not a valid address.",
    );
    pub const INTERNAL_ADDRESS: Words = Words::new(
        "Adressen er ikke tilladt: endepunktet peger på en intern adresse.",
        "The address is not allowed: the endpoint points to an internal address.",
    );
    pub const NOT_HTTPS: Words = Words::new(
        "Adressen er ikke tilladt: endepunktet skal bruge https.",
        "The address is not allowed: the endpoint must use https.",
    );
    pub const UNKNOWN_HOST: Words = Words::new(
        "Værtsnavnet kunne ikke slås op.",
        "The host name could not be looked up.",
    );
    pub const TIMEOUT: Words = Words::new(
        "Endepunktet svarede ikke i tide.",
        "The endpoint did not answer in time.",
    );
    pub const NO_CONNECTION: Words = Words::new(
        "Der kunne ikke oprettes forbindelse til endepunktet.",
        "No connection could be made to the endpoint.",
    );
    pub const PAUSED: Words = Words::new(
        "Endepunktet er sat på pause efter gentagne fejl; næste forsøg følger planen.",
        "The endpoint is paused after repeated failures; the next attempt follows the schedule.",
    );
    /// Followed by the status and a full stop.
    pub const ANSWERED_HTTP: Words =
        Words::new("Endepunktet svarede HTTP ", "The endpoint answered HTTP ");
    /// Followed by the network library's own words.
    pub const NETWORK_ERROR: Words = Words::new("Netværksfejl: ", "Network error: ");

    const WHOLE: [Words; 7] = [
        NOT_AN_ADDRESS,
        INTERNAL_ADDRESS,
        NOT_HTTPS,
        UNKNOWN_HOST,
        TIMEOUT,
        NO_CONNECTION,
        PAUSED,
    ];

    /// A stored (Danish) attempt error in the language shown; unknown texts as stored.
    pub fn text(stored: &str, english: bool) -> String {
        if !english {
            return stored.to_owned();
        }
        if let Some(words) = WHOLE.iter().find(|w| w.da == stored) {
            return words.en.to_owned();
        }
        for prefix in [ANSWERED_HTTP, NETWORK_ERROR] {
            if let Some(rest) = stored.strip_prefix(prefix.da) {
                return format!("{}{rest}", prefix.en);
            }
        }
        stored.to_owned()
    }
}

/// A stored value of `field` as a reader says it (see [`field_value`]), or unchanged.
pub fn value_text(field: &str, stored: &str, english: bool) -> String {
    field_value(field, stored)
        .map_or_else(|| stored.to_owned(), |w| w.in_language(english).to_owned())
}

/// A field's name as a reader says it, or the name unchanged.
pub fn field_text(name: &str, english: bool) -> String {
    field(name).map_or_else(|| name.to_owned(), |w| w.in_language(english).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_02_identifiers_are_said_in_words_and_unknown_ones_stay() {
        assert_eq!(field_text("isPrimary", false), "Primært system");
        assert_eq!(field_text("isPrimary", true), "Primary system");
        assert_eq!(value_text("protocol", "rest_pull", false), "REST (pull)");
        assert_eq!(value_text("isPrimary", "true", false), "Ja");
        assert_eq!(value_text("level", "read_write", true), "Read and write");
        assert_eq!(value_text("name", "Borgerservice", false), "Borgerservice");
        assert_eq!(field_text("somethingNew", false), "somethingNew");
        // Free text that reads like an identifier stays as typed.
        assert_eq!(value_text("description", "none", false), "none");
        assert_eq!(value_text("name", "ready", false), "ready");
    }

    #[test]
    fn issue_32_delivery_errors_are_said_in_english_with_their_details() {
        assert_eq!(
            delivery::text(delivery::TIMEOUT.da, true),
            "The endpoint did not answer in time."
        );
        assert_eq!(
            delivery::text("Endepunktet svarede HTTP 503.", true),
            "The endpoint answered HTTP 503."
        );
        assert_eq!(
            delivery::text("Endepunktet svarede HTTP 503.", false),
            "Endepunktet svarede HTTP 503."
        );
    }

    /// Every value of the enums the actions log stores has its words, so a change never shows
    /// `statistics_admin` or `registered_address`.
    #[test]
    fn log_02_every_logged_identifier_has_words() {
        let mut stored: Vec<&str> = crate::Right::ALL.iter().map(|r| r.as_str()).collect();
        stored.extend(crate::MailForwarding::ALL.iter().map(|f| f.as_str()));
        stored.extend(crate::ReportInterval::ALL.iter().map(|i| i.as_str()));
        stored.extend(["rest_push", "rest_pull", "rest_publish_subscribe", "sftp"]);
        stored.extend([
            "sender",
            "recipient",
            "sender_recipient",
            "read",
            "read_write",
        ]);
        for value in stored {
            assert!(super::value(value).is_some(), "{value}");
        }
    }
}
