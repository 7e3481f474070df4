//! The receipt PDF of an exemption action (EX-02..04), in Danish as it is printed for the
//! citizen or company: what was done, for whom, how unopened mail is forwarded, when it takes
//! effect and — for companies — when it ends.

use adgang_api_types::{ExemptionAction, ExemptionReceipt, MailForwarding, PartyKind};
use adgang_core::time::danish_time;
use adgang_documents::pdf::{self, Report, Section};
use adgang_documents::yes_no;

fn title(receipt: &ExemptionReceipt) -> &'static str {
    match (receipt.action, receipt.kind) {
        (ExemptionAction::Granted, PartyKind::Citizen) => "Kvittering for fritagelse af borger",
        (ExemptionAction::Granted, PartyKind::Company) => "Kvittering for fritagelse af virksomhed",
        (ExemptionAction::Lifted, PartyKind::Citizen) => {
            "Kvittering for ophævelse af borgers fritagelse"
        }
        (ExemptionAction::Lifted, PartyKind::Company) => {
            "Kvittering for ophævelse af virksomheds fritagelse"
        }
        (ExemptionAction::Renewed, _) => "Kvittering for fornyelse af virksomheds fritagelse",
    }
}

/// How unopened mail is forwarded, as the receipt says it.
pub fn forwarding_text(receipt: &ExemptionReceipt) -> String {
    let registered = match receipt.kind {
        PartyKind::Citizen => "folkeregisteradressen",
        PartyKind::Company => "hjemstedsadressen",
    };
    let address = receipt
        .forwarding_address
        .as_ref()
        .map(|a| format!("{}, {} {}", a.street, a.postal_code, a.city))
        .unwrap_or_default();
    match receipt.forwarding {
        MailForwarding::Declined => {
            "Ønsker ikke uåbnet post eftersendt og er informeret om de mulige konsekvenser"
                .to_owned()
        }
        MailForwarding::RegisteredAddress => format!("Eftersendes til {registered}: {address}"),
        MailForwarding::AlternativeAddress => {
            format!("Eftersendes til alternativ adresse: {address}")
        }
    }
}

/// What the action means for the party, in one paragraph.
fn consequence(receipt: &ExemptionReceipt) -> String {
    let effective = danish_time(receipt.effective_at);
    match receipt.action {
        ExemptionAction::Granted => match receipt.expires_at {
            Some(end) => format!(
                "Fritagelsen gælder fra {effective} til og med {}. Den udløber automatisk, \
                 medmindre den fornyes. Post, som myndigheder skal sende, kommer som papirpost.",
                danish_time(end)
            ),
            None => format!(
                "Fritagelsen gælder fra {effective} og indtil den ophæves. Post fra det \
                 offentlige kommer herefter som papirpost."
            ),
        },
        ExemptionAction::Lifted => format!(
            "Ophævelsen træder i kraft {effective}. Fra da af modtages post fra det offentlige \
             som Digital Post i den digitale postkasse (e-Boks, mit.dk eller Virk), og der er \
             pligt til at læse den."
        ),
        ExemptionAction::Renewed => format!(
            "Fritagelsen er fornyet {effective} og gælder nu til og med {}.",
            receipt.expires_at.map(danish_time).unwrap_or_default()
        ),
    }
}

/// The receipt as PDF.
pub fn receipt_pdf(receipt: &ExemptionReceipt) -> anyhow::Result<Vec<u8>> {
    let (id_label, party_label) = match receipt.kind {
        PartyKind::Citizen => ("CPR-nummer", "Borger"),
        PartyKind::Company => ("CVR-nummer", "Virksomhed"),
    };
    let party_id = match receipt.kind {
        PartyKind::Citizen if receipt.party.len() == 10 => {
            format!("{}-{}", &receipt.party[..6], &receipt.party[6..])
        }
        _ => receipt.party.clone(),
    };
    let mut details = vec![("Via fuldmagt".to_owned(), yes_no(receipt.power_of_attorney))];
    if receipt.action == ExemptionAction::Granted {
        details.push(("Uåbnet post".to_owned(), forwarding_text(receipt)));
    }
    details.push((
        "Træder i kraft".to_owned(),
        danish_time(receipt.effective_at),
    ));
    if let Some(end) = receipt.expires_at {
        details.push(("Udløber".to_owned(), danish_time(end)));
    }
    if let Some(note) = &receipt.note {
        details.push(("Note".to_owned(), note.clone()));
    }
    let report = Report {
        title: title(receipt).to_owned(),
        subtitle: format!(
            "Godkendt {} af {}",
            danish_time(receipt.issued_at),
            receipt.approved_by
        ),
        sections: vec![
            Section {
                heading: party_label.to_owned(),
                fields: vec![
                    ("Navn".to_owned(), receipt.party_name.clone()),
                    (id_label.to_owned(), party_id),
                ],
            },
            Section {
                heading: "Oplysninger".to_owned(),
                fields: details,
            },
            Section {
                heading: "Hvad betyder det?".to_owned(),
                fields: vec![("".to_owned(), consequence(receipt))],
            },
            Section {
                heading: "Kvittering".to_owned(),
                fields: vec![("Kvitteringsnummer".to_owned(), receipt.id.clone())],
            },
        ],
        figures: vec![],
    };
    pdf::render(&report)
}
