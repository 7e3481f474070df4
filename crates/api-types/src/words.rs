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

/// The register a lookup fetched from (LOG-03, the searches log's "Register" column, the guide's
/// §7.5), by its stored id; `None` for an id not known here (shown as stored).
pub fn register(stored: &str) -> Option<Words> {
    let words = match stored {
        "cpr" => Words::new("CPR-registeret", "The CPR register"),
        "cvr" => Words::new("CVR-registeret", "The CVR register"),
        "event_log" => Words::new("Hændelsesloggen", "The event log"),
        "access_register" => Words::new(
            "Digital Posts adgangsregister",
            "Digital Post's access register",
        ),
        "exemption_register" => Words::new("Fritagelsesregisteret", "The exemption register"),
        "nemsms_register" => Words::new("NemSMS-registeret", "The NemSMS register"),
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
    pub const NO_ACTIVE_SYSTEM: Words = Words::new(
        "Systemet er ikke aktivt eller har intet endepunkt.",
        "The system is not active or has no endpoint.",
    );
    pub const SYSTEM_GONE: Words = Words::new(
        "Systemet findes ikke længere.",
        "The system no longer exists.",
    );
    pub const NO_RECEIPT_ENDPOINT: Words = Words::new(
        "Afsendersystemet er ikke aktivt eller har intet kvitteringsendepunkt.",
        "The sender system is not active or has no receipt endpoint.",
    );
    /// `{}`: the HTTP status.
    pub const ANSWERED_HTTP: Words = Words::new(
        "Endepunktet svarede HTTP {}.",
        "The endpoint answered HTTP {}.",
    );
    /// `{}`: the network library's own words.
    pub const NETWORK_ERROR: Words = Words::new("Netværksfejl: {}", "Network error: {}");

    pub(super) const ALL: [Words; 12] = [
        NOT_AN_ADDRESS,
        INTERNAL_ADDRESS,
        NOT_HTTPS,
        UNKNOWN_HOST,
        TIMEOUT,
        NO_CONNECTION,
        PAUSED,
        NO_ACTIVE_SYSTEM,
        SYSTEM_GONE,
        NO_RECEIPT_ENDPOINT,
        ANSWERED_HTTP,
        NETWORK_ERROR,
    ];
}

/// Why the intake refused a call or a memo (`Afvist`, `Afvist teknisk` in the message log's
/// error column, CORE-01, issue 32 item 9). A refused memo's field errors are logged as
/// "Felt: regel; Felt: regel" in Danish from these words; the API's problem body carries the
/// English of the same words as each field error's message, so the log and the answer say
/// the same thing.
pub mod rejection {
    use super::Words;

    pub const MESSAGE_ID_UUID: Words = Words::new(
        "Meddelelses-ID'et skal være et UUID.",
        "The message id is a UUID.",
    );
    pub const MESSAGE_ID_REUSED: Words = Words::new(
        "Meddelelses-ID'et er brugt til en anden meddelelse.",
        "The message id is used for another message.",
    );
    pub const TITLE_REQUIRED: Words = Words::new("Titlen skal udfyldes.", "A title is required.");
    pub const TITLE_TOO_LONG: Words = Words::new("Højst 255 tegn.", "At most 255 characters.");
    pub const SENDER_NOT_SYSTEM_ORGANISATION: Words = Words::new(
        "Afsenderen skal være CVR-nummeret på det afsendende systems organisation.",
        "The sender is the CVR of the sending system's organisation.",
    );
    pub const RECIPIENT_FORMAT: Words = Words::new(
        "Modtageren er et CPR-nummer (10 cifre) eller et CVR-nummer (8 cifre).",
        "The recipient is a CPR number (10 digits) or a CVR number (8 digits).",
    );
    pub const CPR_FORMAT: Words = Words::new(
        "Et CPR-nummer består af 10 cifre (DDMMÅÅ-LLLL).",
        "A CPR number is 10 digits (DDMMYY-SSSS).",
    );
    pub const CPR_DATE: Words = Words::new(
        "De første seks cifre i et CPR-nummer skal være en gyldig dato.",
        "The first six digits of a CPR number must be a valid date.",
    );
    pub const CVR_FORMAT: Words = Words::new(
        "Et CVR-nummer består af præcis 8 cifre.",
        "A CVR number is exactly 8 digits.",
    );
    pub const CVR_CHECKSUM: Words = Words::new(
        "CVR-nummeret består ikke modulus 11-kontrollen.",
        "The CVR number fails the modulus-11 check.",
    );
    pub const NOT_A_CVR: Words = Words::new("Ikke et CVR-nummer.", "Not a CVR number.");
    pub const UNKNOWN_ORGANISATION: Words = Words::new(
        "Ingen organisation har dette CVR-nummer.",
        "No organisation has this CVR number.",
    );
    pub const RECIPIENT_EXEMPT: Words = Words::new(
        "Modtageren er fritaget for Digital Post og kan kun modtage obligatorisk post.",
        "The recipient is exempt from Digital Post and receives only mandatory mail.",
    );
    pub const LEGAL_NOTICE_NOT_ALLOWED: Words = Words::new(
        "Kun en organisation med adgang til forkyndelse kan sende forkyndelser.",
        "Only an organisation allowed to serve legal notices can send them.",
    );
    pub const VALUE_DATE_PASSED: Words =
        Words::new("Valørdatoen er passeret.", "The value date has passed.");
    pub const POINT_FOR_ORGANISATIONS: Words = Words::new(
        "Kontaktpunkter bruges kun til organisationer som modtagere.",
        "Contact points are for organisation recipients.",
    );
    pub const NO_SUCH_POINT: Words = Words::new(
        "Modtagerorganisationen har ikke dette kontaktpunkt.",
        "The recipient organisation has no such contact point.",
    );
    pub const POINT_NOT_ACTIVE: Words = Words::new(
        "Kontaktpunktet er ikke aktivt.",
        "The contact point is not active.",
    );
    /// `{}`: the contact point's (or the default) limit.
    pub const TOO_MANY_ATTACHMENTS: Words =
        Words::new("Højst {} bilag.", "At most {} attachments.");
    /// `{}`: the limit in bytes.
    pub const TOO_LARGE: Words = Words::new(
        "Meddelelsen er større, end modtageren tager imod ({} bytes).",
        "The message is larger than the recipient accepts ({} bytes).",
    );
    pub const FILE_NAME_REQUIRED: Words =
        Words::new("Et filnavn skal angives.", "A file name is required.");
    pub const CONTENT_BASE64: Words =
        Words::new("Indholdet skal være base64.", "The content is base64.");
    /// `Afvist teknisk`: `{}` is the JSON parser's own words.
    pub const UNREADABLE_BODY: Words = Words::new(
        "Kaldets indhold kunne ikke læses som JSON: {}",
        "The JSON body could not be read: {}",
    );
    /// `Afvist teknisk`: `{}` is the limit in bytes.
    pub const BODY_TOO_LARGE: Words = Words::new(
        "Kaldets indhold er større end {} bytes.",
        "The body is larger than {} bytes.",
    );
    pub const WRONG_API_KEY: Words = Words::new(
        "Forkert eller manglende API-key.",
        "Wrong or missing API key.",
    );
    /// `{}`, `{}`: how many were held back, and the latest caller's address.
    pub const API_KEY_FAILURES_HELD_BACK: Words = Words::new(
        "{} forsøg med forkert eller manglende API-key blev afvist uden logning (for mange på \
         kort tid; senest fra {}).",
        "{} attempts with a wrong or missing API key were refused without logging (too many \
         in a short time; the latest from {}).",
    );
    /// `{}`: the caller's address.
    pub const ADDRESS_NOT_ALLOWED: Words = Words::new(
        "Afsenderens IP-adresse er ikke tilladt for systemet. ({})",
        "The sender's IP address is not allowed for the system. ({})",
    );
    pub const SYSTEM_NOT_ACTIVE: Words =
        Words::new("Systemet er ikke aktivt.", "The system is not active.");
    pub const NOT_A_SENDER: Words = Words::new(
        "Systemet er ikke et afsendersystem.",
        "The system is not a sender system.",
    );
    /// Issue 35: the guide's "Fejlet" (§7.1.1). `{}`, `{}`: the file's name, the reader's reason.
    pub const BULK_FILE_UNREADABLE: Words = Words::new(
        "Masseforsendelsen {} fejlede, fordi filen ikke kan læses: {}",
        "The bulk file {} failed because it cannot be read: {}",
    );
    /// Issue 35: a bulk file whose system was deactivated or deleted before it was taken.
    /// `{}`: the file's name.
    pub const BULK_FILE_SYSTEM_NOT_ACTIVE: Words = Words::new(
        "Masseforsendelsen {} blev ikke behandlet, fordi systemet ikke længere er aktivt.",
        "The bulk file {} was not processed because the system is no longer active.",
    );
    /// Issue 35: an SFTP login with another key than the system's.
    pub const WRONG_SSH_KEY: Words = Words::new(
        "Forkert SSH-nøgle ved SFTP-login.",
        "Wrong SSH key at SFTP login.",
    );

    pub(super) const ALL: [Words; 33] = [
        LEGAL_NOTICE_NOT_ALLOWED,
        MESSAGE_ID_UUID,
        MESSAGE_ID_REUSED,
        TITLE_REQUIRED,
        TITLE_TOO_LONG,
        SENDER_NOT_SYSTEM_ORGANISATION,
        RECIPIENT_FORMAT,
        CPR_FORMAT,
        CPR_DATE,
        CVR_FORMAT,
        CVR_CHECKSUM,
        NOT_A_CVR,
        UNKNOWN_ORGANISATION,
        RECIPIENT_EXEMPT,
        VALUE_DATE_PASSED,
        POINT_FOR_ORGANISATIONS,
        NO_SUCH_POINT,
        POINT_NOT_ACTIVE,
        TOO_MANY_ATTACHMENTS,
        TOO_LARGE,
        FILE_NAME_REQUIRED,
        CONTENT_BASE64,
        UNREADABLE_BODY,
        BODY_TOO_LARGE,
        WRONG_API_KEY,
        API_KEY_FAILURES_HELD_BACK,
        ADDRESS_NOT_ALLOWED,
        SYSTEM_NOT_ACTIVE,
        NOT_A_SENDER,
        MESSAGE_FIELD_UNKNOWN,
        BULK_FILE_UNREADABLE,
        BULK_FILE_SYSTEM_NOT_ACTIVE,
        WRONG_SSH_KEY,
    ];

    /// A rule the intake does not know the words for (never written by the intake itself).
    const MESSAGE_FIELD_UNKNOWN: Words =
        Words::new("Værdien er ikke gyldig.", "The value is not valid.");

    /// A memo field as the log names it; `attachments[2].filename` → "Bilag 3, filnavn".
    pub fn field_name(name: &str, english: bool) -> String {
        fn indexed(name: &str) -> Option<(usize, &str)> {
            let rest = name.strip_prefix("attachments[")?;
            let (index, part) = rest.split_once("].")?;
            Some((index.parse().ok()?, part))
        }
        if let Some((index, part)) = indexed(name) {
            let words = match part {
                "filename" => ATTACHMENT_FILE_NAME,
                "content" => ATTACHMENT_CONTENT,
                _ => ATTACHMENT,
            };
            return super::fill(words.in_language(english), &[&(index + 1).to_string()]);
        }
        plain_field(name).in_language(english).to_owned()
    }

    pub(super) fn plain_field(name: &str) -> Words {
        match name {
            "messageId" => Words::new("Meddelelses-ID", "Message id"),
            "senderCvr" => Words::new("Afsender", "Sender"),
            "valueDate" => Words::new("Valørdato", "Value date"),
            "attachments" => Words::new("Bilag", "Attachments"),
            "body" => Words::new("Indhold", "Body"),
            "type" => Words::new("Beskedtype", "Message type"),
            other => super::field(other).unwrap_or(Words::new("Meddelelsen", "The message")),
        }
    }
    const ATTACHMENT_FILE_NAME: Words = Words::new("Bilag {}, filnavn", "Attachment {}, file name");
    const ATTACHMENT_CONTENT: Words = Words::new("Bilag {}, indhold", "Attachment {}, content");
    const ATTACHMENT: Words = Words::new("Bilag {}", "Attachment {}");
    pub(super) const FIELD_TEMPLATES: [Words; 3] =
        [ATTACHMENT_FILE_NAME, ATTACHMENT_CONTENT, ATTACHMENT];
    pub(super) const FIELD_NAMES: [&str; 9] = [
        "messageId",
        "title",
        "senderCvr",
        "recipient",
        "valueDate",
        "contactPointId",
        "attachments",
        "body",
        "type",
    ];

    /// The log's Danish for a refused memo's field errors, each `(field, English message)` as
    /// the API answered it: "Modtager: Modtageren er fritaget …; Titel: Titlen skal udfyldes.".
    pub fn describe<'e>(errors: impl IntoIterator<Item = (&'e str, &'e str)>) -> String {
        errors
            .into_iter()
            .map(|(name, message)| {
                let rule = super::translate(message, &ALL, false)
                    .unwrap_or_else(|| MESSAGE_FIELD_UNKNOWN.da.to_owned());
                format!("{}: {rule}", field_name(name, false))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Words {
    /// The Danish with `values` in its `{}` holes, in turn.
    pub fn da_with(self, values: &[&str]) -> String {
        fill(self.da, values)
    }

    /// The English with `values` in its `{}` holes, in turn.
    pub fn en_with(self, values: &[&str]) -> String {
        fill(self.en, values)
    }
}

/// `template` with each `{}` replaced in turn by `values`.
fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut values = values.iter();
    let mut parts = template.split("{}").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            out.push_str(values.next().copied().unwrap_or_default());
        }
    }
    out
}

/// What fills `template`'s `{}` holes in `text`, in order; `None` when `text` is not
/// `template` filled in.
fn holes<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let mut parts = template.split("{}");
    let mut rest = text.strip_prefix(parts.next().unwrap_or_default())?;
    let parts: Vec<&str> = parts.collect();
    let mut found = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let end = if i + 1 == parts.len() {
            rest.len()
                .checked_sub(part.len())
                .filter(|_| rest.ends_with(part))?
        } else {
            rest.find(part).filter(|_| !part.is_empty())?
        };
        found.push(&rest[..end]);
        rest = &rest[end + part.len()..];
    }
    rest.is_empty().then_some(found)
}

/// `text` (in one language) in the other, when it is one of `catalogue` filled in.
fn translate(text: &str, catalogue: &[Words], to_english: bool) -> Option<String> {
    catalogue.iter().find_map(|words| {
        let (from, to) = if to_english {
            (words.da, words.en)
        } else {
            (words.en, words.da)
        };
        holes(from, text).map(|values| fill(to, &values))
    })
}

/// The message log's error column (and SYS-13's attempts) in the language shown: the server
/// stores the Danish of [`delivery`] and [`rejection`]; in English each text, or each
/// "Felt: regel" part of a refused memo's, is said in English. Unknown texts stay as stored.
pub fn log_error(stored: &str, english: bool) -> String {
    if !english {
        return stored.to_owned();
    }
    let whole = |text: &str| {
        translate(text, &delivery::ALL, true).or_else(|| translate(text, &rejection::ALL, true))
    };
    if let Some(said) = whole(stored) {
        return said;
    }
    stored
        .split("; ")
        .map(|part| {
            let Some((name, rule)) = part.split_once(": ") else {
                return whole(part).unwrap_or_else(|| part.to_owned());
            };
            let name = rejection::FIELD_NAMES
                .iter()
                .map(|n| rejection::plain_field(n))
                .find(|w| w.da == name)
                .map(|w| w.en.to_owned())
                .or_else(|| translate(name, &rejection::FIELD_TEMPLATES, true));
            match (name, whole(rule)) {
                (Some(name), Some(rule)) => format!("{name}: {rule}"),
                _ => part.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
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
            log_error(delivery::TIMEOUT.da, true),
            "The endpoint did not answer in time."
        );
        assert_eq!(
            log_error(&delivery::ANSWERED_HTTP.da_with(&["503"]), true),
            "The endpoint answered HTTP 503."
        );
        assert_eq!(
            log_error("Endepunktet svarede HTTP 503.", false),
            "Endepunktet svarede HTTP 503."
        );
        assert_eq!(
            log_error("Netværksfejl: connection reset", true),
            "Network error: connection reset"
        );
        assert_eq!(log_error("Noget helt andet.", true), "Noget helt andet.");
    }

    /// Issue 32 item 9: every rule a refused memo is logged with reads back in English, alone
    /// and in a list with the field it concerns — including the ones with holes.
    #[test]
    fn core_01_a_refused_memos_log_text_is_danish_and_reads_back_in_english() {
        for rule in rejection::ALL {
            let holes = rule.da.matches("{}").count();
            let values: Vec<String> = (0..holes).map(|i| format!("{}", 40 + i)).collect();
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            let en = rule.en_with(&values);
            assert_eq!(log_error(&rule.da_with(&values), true), en, "{}", rule.da);
            assert_eq!(
                translate(&en, &rejection::ALL, false),
                Some(rule.da_with(&values))
            );
        }
        let errors = [
            ("recipient", rejection::RECIPIENT_EXEMPT.en.to_owned()),
            ("title", rejection::TITLE_REQUIRED.en.to_owned()),
            (
                "attachments[2].filename",
                rejection::FILE_NAME_REQUIRED.en.to_owned(),
            ),
            ("attachments", rejection::TOO_LARGE.en_with(&["1048576"])),
        ];
        let danish = rejection::describe(errors.iter().map(|(f, m)| (*f, m.as_str())));
        assert_eq!(
            danish,
            "Modtager: Modtageren er fritaget for Digital Post og kan kun modtage obligatorisk \
             post.; Titel: Titlen skal udfyldes.; Bilag 3, filnavn: Et filnavn skal angives.; \
             Bilag: Meddelelsen er større, end modtageren tager imod (1048576 bytes)."
        );
        assert_eq!(
            log_error(&danish, true),
            "Recipient: The recipient is exempt from Digital Post and receives only mandatory \
             mail.; Title: A title is required.; Attachment 3, file name: A file name is \
             required.; Attachments: The message is larger than the recipient accepts (1048576 \
             bytes)."
        );
        // A message the words do not know is never logged in English.
        assert_eq!(
            rejection::describe([("title", "Something new.")]),
            "Titel: Værdien er ikke gyldig."
        );
        for name in rejection::FIELD_NAMES {
            assert_ne!(rejection::plain_field(name).da, "Meddelelsen", "{name}");
        }
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
