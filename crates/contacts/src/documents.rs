//! The contact point's receipt (CS-05) as PDF: every setting, the deep links and their QR
//! codes, with when and by whom. Danish, like the portal.

use adgang_api_types::{Audience, CodeKind, ContactPoint, DeepLink};
use adgang_core::time::danish_time;
use adgang_documents::pdf::{self, Report, Section};
use adgang_documents::yes_no;

use adgang_documents::qr::qr_figure;

pub fn audience_name(audience: Audience) -> &'static str {
    match audience {
        Audience::Citizens => "Borgere (borger.dk)",
        Audience::Businesses => "Virksomheder (Virk)",
    }
}

fn code_kind(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Classification => "Klassifikation",
        CodeKind::Location => "Lokation",
        CodeKind::Custom => "Brugerdefineret",
    }
}

/// Bytes as Danish megabytes ("99,5 MB").
fn megabytes(bytes: u64) -> String {
    let tenths = (bytes as f64 / 1_048_576.0 * 10.0).round() as u64;
    format!("{},{} MB", tenths / 10, tenths % 10)
}

/// The receipt: `group_names` are the point's groups by name, `recipient_system` the bound
/// system's name, `by` who created it.
pub fn receipt_pdf(
    point: &ContactPoint,
    group_names: &[String],
    recipient_system: Option<&str>,
    links: &[DeepLink],
    by: &str,
) -> anyhow::Result<Vec<u8>> {
    let field = |label: &str, value: String| (label.to_owned(), value);
    let link = point.external_link.as_ref();
    let sections = vec![
        Section {
            heading: "Kontaktpunkt".into(),
            fields: vec![
                field("Kontaktpunkt-ID", point.id.clone()),
                field("Navn", point.name.clone()),
                field("Beskrivelse", point.description.clone()),
                field("Intern note", point.internal_note.clone()),
                field(
                    "Placering",
                    if group_names.is_empty() {
                        "Øverste niveau".to_owned()
                    } else {
                        group_names.join(", ")
                    },
                ),
            ],
        },
        Section {
            heading: "Tilgængelighed".into(),
            fields: vec![
                field(
                    "Synlighed",
                    if point.visible {
                        "Synlig"
                    } else {
                        "Skjult (kun via link)"
                    }
                    .to_owned(),
                ),
                field(
                    "Målgrupper",
                    point
                        .audiences
                        .iter()
                        .map(|a| audience_name(*a))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                field(
                    "Maks. beskedstørrelse",
                    megabytes(point.capacity.max_message_size_bytes),
                ),
                field(
                    "Maks. vedhæftninger",
                    point.capacity.max_attachments.to_string(),
                ),
                field(
                    "Eksternt link",
                    link.map(|l| format!("{} – {} ({})", l.heading, l.link_text, l.url))
                        .unwrap_or_default(),
                ),
                field("Inputfelter", point.input_fields.join(", ")),
            ],
        },
        Section {
            heading: "Søgeord og koder".into(),
            fields: vec![
                field("Søgeord", point.keywords.join(", ")),
                field(
                    "Koder",
                    point
                        .codes
                        .iter()
                        .map(|c| format!("{}: {}", code_kind(c.kind), c.value))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        },
        Section {
            heading: "Modtagersystem og aktivering".into(),
            fields: vec![
                field(
                    "Modtagersystem",
                    recipient_system.unwrap_or("Intet").to_owned(),
                ),
                field("Aktiv", yes_no(point.active)),
                field("Kan bruges af afsendere", yes_no(point.usable)),
            ],
        },
        Section {
            heading: "Dybe links".into(),
            fields: links
                .iter()
                .map(|l| field(audience_name(l.audience), l.url.clone()))
                .collect(),
        },
    ];
    let figures = links
        .iter()
        .map(|l| qr_figure(&l.url, format!("QR-kode – {}", audience_name(l.audience))))
        .collect::<anyhow::Result<Vec<_>>>()?;
    pdf::render(&Report {
        title: "Kvittering for oprettelse af kontaktpunkt".into(),
        subtitle: format!("Oprettet {} af {by}", danish_time(point.created_at)),
        sections,
        figures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_reads_in_danish_megabytes() {
        assert_eq!(
            megabytes(adgang_api_types::Capacity::MAX_MESSAGE_SIZE_BYTES),
            "99,5 MB"
        );
        assert_eq!(megabytes(5 * 1_048_576), "5,0 MB");
    }
}
