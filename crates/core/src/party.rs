//! A party of Digital Post's national registers and of a memo: a citizen by CPR or a company
//! (or authority) by CVR. Ports take it, so a number is checked once, where it enters.

use std::fmt;

use adgang_api_types::PartyKind;

use crate::{Cpr, Cvr};

/// A citizen (CPR) or an organisation (CVR), both valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Party {
    Citizen(Cpr),
    Company(Cvr),
}

impl Party {
    /// A stored or checked number: 10 digits are a CPR, 8 a CVR; `None` for anything else
    /// (numbers that entered through the API were checked there, with field errors).
    pub fn parse(number: &str) -> Option<Party> {
        match number.trim().len() {
            10 => Cpr::parse(number).ok().map(Party::Citizen),
            8 => Cvr::parse(number).ok().map(Party::Company),
            _ => None,
        }
    }

    pub fn kind(&self) -> PartyKind {
        match self {
            Party::Citizen(_) => PartyKind::Citizen,
            Party::Company(_) => PartyKind::Company,
        }
    }

    /// The CPR or CVR number.
    pub fn as_str(&self) -> &str {
        match self {
            Party::Citizen(cpr) => cpr.as_str(),
            Party::Company(cvr) => cvr.as_str(),
        }
    }

    /// The organisation's CVR, for a company.
    pub fn cvr(&self) -> Option<&Cvr> {
        match self {
            Party::Citizen(_) => None,
            Party::Company(cvr) => Some(cvr),
        }
    }
}

impl From<Cvr> for Party {
    fn from(cvr: Cvr) -> Party {
        Party::Company(cvr)
    }
}

impl From<Cpr> for Party {
    fn from(cpr: Cpr) -> Party {
        Party::Citizen(cpr)
    }
}

/// A CPR shows masked, as [`Cpr`]'s own `Display` does; [`Party::as_str`] gives the number.
impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Citizen(cpr) => cpr.fmt(f),
            Party::Company(cvr) => cvr.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_parties_by_their_length_and_checks() {
        assert_eq!(
            Party::parse("0101401001").map(|p| p.kind()),
            Some(PartyKind::Citizen)
        );
        assert_eq!(
            Party::parse("29189846").map(|p| p.kind()),
            Some(PartyKind::Company)
        );
        // A CVR failing modulus 11, a CPR that is no date, other lengths.
        for bad in ["29189847", "3213401001", "123", "", "010140-1001x"] {
            assert_eq!(Party::parse(bad), None, "{bad}");
        }
    }
}
