//! The receipt of a move of mail (MV-03), in Danish: what was ordered, by whom, and how far
//! the move has come when the receipt is printed.

use adgang_api_types::{MailMove, MailMoveState, MoveMode};
use adgang_core::time::danish_time;
use adgang_documents::pdf::{self, Report, Section};

/// The names of the contact points a move names (id → name), for the receipt.
pub struct PointNames {
    pub contact_point: Option<String>,
    pub failover: Option<String>,
}

/// The receipt as PDF.
pub fn move_receipt_pdf(
    organisation: &str,
    move_: &MailMove,
    names: &PointNames,
    printed_at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Vec<u8>> {
    let period = match move_.period {
        Some(p) => format!(
            "{} – {} (begge dage med)",
            p.from.format("%d-%m-%Y"),
            p.to.format("%d-%m-%Y")
        ),
        None => "Al post".to_owned(),
    };
    let named = |name: &Option<String>, id: &Option<String>| match (name, id) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (None, Some(id)) => id.clone(),
        _ => String::new(),
    };
    let mut destination = match move_.mode {
        MoveMode::Chosen => vec![(
            "Til kontaktpunkt".to_owned(),
            named(&names.contact_point, &move_.contact_point_id),
        )],
        MoveMode::Tagged => vec![
            (
                "Til".to_owned(),
                "Hver meddelelses opmærkede kontaktpunkt".to_owned(),
            ),
            (
                "Failover-kontaktpunkt".to_owned(),
                named(&names.failover, &move_.failover_contact_point_id),
            ),
        ],
        MoveMode::RecipientSystem => vec![(
            "Til modtagersystem".to_owned(),
            named(&move_.system_name, &move_.system_id),
        )],
    };
    destination.push((
        "Slettes fra".to_owned(),
        "Virk, e-Boks og mit.dk".to_owned(),
    ));
    let state = match move_.state {
        MailMoveState::Waiting => "Venter på, at modtagersystemet bliver aktivt",
        MailMoveState::Running => "Igangsat",
        MailMoveState::Completed => "Gennemført",
        MailMoveState::Failed => "Stoppet",
    };
    let mut progress = vec![
        ("Status".to_owned(), state.to_owned()),
        (
            "Meddelelser i postkasserne ved bestilling".to_owned(),
            move_.total.to_string(),
        ),
        ("Flyttet".to_owned(), move_.moved.to_string()),
    ];
    if move_.mode == MoveMode::Tagged {
        progress.push((
            "Heraf til failover-kontaktpunktet".to_owned(),
            move_.moved_to_failover.to_string(),
        ));
    }
    if let Some(end) = move_.finished_at {
        progress.push(("Afsluttet".to_owned(), danish_time(end)));
    }
    if let Some(why) = &move_.failure {
        progress.push(("Årsag".to_owned(), why.clone()));
    }
    let report = Report {
        title: "Kvittering for flytning af post".to_owned(),
        subtitle: format!(
            "Bestilt {} af {}",
            danish_time(move_.created_at),
            // Moves ordered before names were kept show the actor as logged.
            move_
                .created_by_name
                .as_deref()
                .unwrap_or(&move_.created_by)
        ),
        sections: vec![
            Section {
                heading: "Organisation".to_owned(),
                fields: vec![("CVR-nummer".to_owned(), organisation.to_owned())],
            },
            Section {
                heading: "Hvad flyttes".to_owned(),
                fields: vec![("Periode".to_owned(), period)],
            },
            Section {
                heading: "Hvorhen".to_owned(),
                fields: destination,
            },
            Section {
                heading: "Forløb".to_owned(),
                fields: progress,
            },
            Section {
                heading: "Hvad betyder det?".to_owned(),
                fields: vec![(
                    "".to_owned(),
                    "Posten flyttes fra jeres postkasser på Virk, e-Boks og mit.dk til jeres \
                     eget modtagersystem og slettes fra postkasserne. Flytningen kan ikke \
                     fortrydes. Hver flyttet meddelelse står i log for meddelelser som \
                     \"Flyttet\"."
                        .to_owned(),
                )],
            },
            Section {
                heading: "Kvittering".to_owned(),
                fields: vec![
                    ("Kvitteringsnummer".to_owned(), move_.id.clone()),
                    ("Udskrevet".to_owned(), danish_time(printed_at)),
                ],
            },
        ],
        figures: vec![],
    };
    pdf::render(&report)
}
