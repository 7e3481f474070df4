//! The module's documents (SYS-10, SYS-11): receipt and detailed overview as PDF, the system
//! overview as an Excel workbook. Danish, as the guide shows them.

use adgang_api_types::{Protocol, System, SystemRole, SystemStatus};
use adgang_core::time::danish_time;
use adgang_documents::pdf::{self, Report, Section};
use adgang_documents::xlsx::{self, Sheet};
use adgang_documents::yes_no;
use chrono::{DateTime, Utc};

fn role(role: SystemRole) -> &'static str {
    match role {
        SystemRole::Sender => "Afsendersystem",
        SystemRole::Recipient => "Modtagersystem",
        SystemRole::SenderRecipient => "Afsender- og modtagersystem",
    }
}

fn protocol(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::RestPush => "REST PUSH",
        Protocol::RestPull => "REST PULL",
        Protocol::RestPublishSubscribe => "REST PUBLISH/SUBSCRIBE",
        Protocol::Sftp => "SFTP",
    }
}

pub fn status(status: SystemStatus) -> &'static str {
    match status {
        SystemStatus::NotActivated => "Ikke aktiveret",
        SystemStatus::Scheduled => "Planlagt",
        SystemStatus::Active => "Aktiv",
        SystemStatus::Deactivated => "Deaktiveret",
    }
}

fn sections(system: &System, api_key: Option<&str>) -> Vec<Section> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let time = |v: Option<DateTime<Utc>>| v.map(danish_time).unwrap_or_default();
    let mut connection = vec![
        ("Protokol".to_owned(), protocol(system.protocol).to_owned()),
        ("IP-adresser".to_owned(), system.allowed_ips.join(", ")),
    ];
    if system.endpoint.is_some() {
        connection.push(("Endepunkt".into(), opt(&system.endpoint)));
    }
    if system.receipt_endpoint.is_some() {
        connection.push(("Kvitteringsendepunkt".into(), opt(&system.receipt_endpoint)));
    }
    if system.ssh_public_key.is_some() {
        connection.push(("Offentlig SSH-nøgle".into(), opt(&system.ssh_public_key)));
    }
    // Issue 35: where the bulk files go, and the host key to pin.
    if let Some(sftp) = &system.sftp {
        connection.push((
            "SFTP-adresse".into(),
            format!("sftp://{}@{}:{}", sftp.username, sftp.host, sftp.port),
        ));
        connection.push((
            "SFTP-værtsnøgle (fingeraftryk)".into(),
            sftp.host_key_fingerprint.clone(),
        ));
    }
    let mut vendor = vec![(
        "Fuldmagt til leverandør (CVR)".to_owned(),
        opt(&system.vendor_cvr),
    )];
    if let Some(key) = api_key {
        vendor.push(("API-key".into(), key.to_owned()));
    }
    if system.standard_system_id.is_some() {
        vendor.push((
            "Oprettet fra standardsystem".into(),
            opt(&system.standard_system_id),
        ));
    }
    vec![
        Section {
            heading: "System".into(),
            fields: vec![
                ("Navn".into(), system.name.clone()),
                ("System-ID".into(), system.id.clone()),
                ("Rolle".into(), role(system.role).into()),
                ("Primærsystem".into(), yes_no(system.is_primary)),
                ("Organisation (CVR)".into(), system.organisation_cvr.clone()),
            ],
        },
        Section {
            heading: "Forbindelse".into(),
            fields: connection,
        },
        Section {
            heading: "Fuldmagt".into(),
            fields: vendor,
        },
        Section {
            heading: "Aktivering".into(),
            fields: vec![
                ("Status".into(), status(system.status).into()),
                ("Aktiv fra".into(), time(system.active_from)),
                ("Deaktiveres".into(), time(system.active_to)),
            ],
        },
        Section {
            heading: "Teknisk kontakt".into(),
            fields: vec![
                ("E-mail".into(), system.technical_contact.email.clone()),
                ("Telefon".into(), system.technical_contact.phone.clone()),
                (
                    "Ekstra e-mail".into(),
                    system
                        .technical_contact
                        .extra_email
                        .clone()
                        .unwrap_or_default(),
                ),
            ],
        },
    ]
}

/// The receipt (SYS-10): every setting and the API key, with when and by whom.
pub fn receipt_pdf(system: &System, api_key: Option<&str>, by: &str) -> anyhow::Result<Vec<u8>> {
    pdf::render(&Report {
        figures: Vec::new(),
        title: "Kvittering for tilslutning af system".into(),
        subtitle: format!("Oprettet {} af {by}", danish_time(system.created_at)),
        sections: sections(system, api_key),
    })
}

/// The detailed overview of one system, any time (no API key: that has its own reveal).
pub fn overview_pdf(system: &System, now: DateTime<Utc>, by: &str) -> anyhow::Result<Vec<u8>> {
    pdf::render(&Report {
        figures: Vec::new(),
        title: format!("Systemoversigt – {}", system.name),
        subtitle: format!("Udskrevet {} af {by}", danish_time(now)),
        sections: sections(system, None),
    })
}

/// The system overview workbook (SYS-11).
pub fn overview_xlsx(systems: &[System]) -> anyhow::Result<Vec<u8>> {
    let headers = [
        "Navn",
        "System-ID",
        "Rolle",
        "Protokol",
        "Status",
        "Primærsystem",
        "IP-adresser",
        "Endepunkt",
        "Kvitteringsendepunkt",
        "Fuldmagt (CVR)",
        "Aktiv fra",
        "Deaktiveres",
        "Teknisk kontakt e-mail",
        "Teknisk kontakt telefon",
    ];
    let rows = systems
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.id.clone(),
                role(s.role).into(),
                protocol(s.protocol).into(),
                status(s.status).into(),
                yes_no(s.is_primary),
                s.allowed_ips.join(", "),
                s.endpoint.clone().unwrap_or_default(),
                s.receipt_endpoint.clone().unwrap_or_default(),
                s.vendor_cvr.clone().unwrap_or_default(),
                s.active_from.map(danish_time).unwrap_or_default(),
                s.active_to.map(danish_time).unwrap_or_default(),
                s.technical_contact.email.clone(),
                s.technical_contact.phone.clone(),
            ]
        })
        .collect();
    xlsx::workbook(&[Sheet {
        name: "Systemer".into(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    }])
}
