//! A citizen or company as citizen-service pages show them (exemption, NemSMS, access).

use adgang_api_types::PartyKind;

/// A CPR number as people write it (`DDMMYY-SSSS`); a CVR number as it is.
pub fn party_text(kind: PartyKind, number: &str) -> String {
    match kind {
        PartyKind::Citizen if number.len() == 10 => format!("{}-{}", &number[..6], &number[6..]),
        _ => number.to_owned(),
    }
}
