//! The receipt PDF of an access given or revoked (ACC-02, ACC-04), in Danish, stating whether
//! the giver's exemption was lifted.

use adgang_api_types::{AccessLevel, MailAccessAction, MailAccessReceipt, PartyKind};
use adgang_core::time::danish_time;
use adgang_documents::pdf::{self, Report, Section};
use adgang_documents::yes_no;

fn cpr_text(cpr: &str) -> String {
    if cpr.len() == 10 {
        format!("{}-{}", &cpr[..6], &cpr[6..])
    } else {
        cpr.to_owned()
    }
}

pub fn receipt_pdf(receipt: &MailAccessReceipt) -> anyhow::Result<Vec<u8>> {
    let access = &receipt.access;
    let title = match receipt.action {
        MailAccessAction::Created => "Kvittering for adgang til Digital Post",
        MailAccessAction::Revoked => "Kvittering for ophævet adgang til Digital Post",
    };
    let holder_id = match access.holder_kind {
        PartyKind::Citizen => ("CPR-nummer", cpr_text(&access.holder)),
        PartyKind::Company => ("CVR-nummer", access.holder.clone()),
    };
    let mut holder = vec![
        ("Navn".to_owned(), access.holder_name.clone()),
        (holder_id.0.to_owned(), holder_id.1),
    ];
    if let Some(employee) = &access.employee_name {
        holder.push(("Medarbejder".to_owned(), employee.clone()));
    }
    let level = match access.level {
        AccessLevel::Read => "Læseadgang",
        AccessLevel::ReadWrite => "Læse- og handleadgang",
    };
    let mut details = vec![
        ("Adgang".to_owned(), level.to_owned()),
        (
            "Gælder til og med".to_owned(),
            access
                .expires_on
                .map(|d| d.format("%d.%m.%Y").to_string())
                .unwrap_or_else(|| "Tidsubegrænset".to_owned()),
        ),
        (
            "Fritagelse ophævet".to_owned(),
            yes_no(receipt.exemption_lifted),
        ),
    ];
    if access.limited_to_before_exemption {
        details.push((
            "Omfang".to_owned(),
            "Fritagelsen er bevaret: adgangen omfatter kun post fra før fritagelsen og \
             obligatorisk post"
                .to_owned(),
        ));
    }
    pdf::render(&Report {
        title: title.to_owned(),
        subtitle: format!(
            "Godkendt {} af {}",
            danish_time(receipt.issued_at),
            receipt.approved_by
        ),
        sections: vec![
            Section {
                heading: "Adgangsgiver".to_owned(),
                fields: vec![
                    ("Navn".to_owned(), receipt.giver_name.clone()),
                    ("CPR-nummer".to_owned(), cpr_text(&receipt.giver)),
                ],
            },
            Section {
                heading: "Adgangshaver".to_owned(),
                fields: holder,
            },
            Section {
                heading: "Oplysninger".to_owned(),
                fields: details,
            },
            Section {
                heading: "Kvittering".to_owned(),
                fields: vec![("Kvitteringsnummer".to_owned(), receipt.id.clone())],
            },
        ],
        figures: vec![],
    })
}
