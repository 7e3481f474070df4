//! CVR numbers: 8 digits, modulus-11 with weights 2,7,6,5,4,3,2,1 (SPEC §0).

use adgang_api_types::FieldCode;
use std::fmt;

/// A CVR number that passed the format and modulus-11 checks. Parse, don't validate: once you
/// hold a `Cvr` it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cvr(String);

/// Why a string is not a CVR number; the `code` is what the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CvrError {
    /// Not exactly 8 digits.
    Format,
    /// 8 digits, but the modulus-11 check fails.
    Checksum,
}

impl CvrError {
    pub fn code(self) -> FieldCode {
        match self {
            CvrError::Format => FieldCode::CvrFormat,
            CvrError::Checksum => FieldCode::CvrChecksum,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            CvrError::Format => adgang_api_types::words::rejection::CVR_FORMAT.en,
            CvrError::Checksum => adgang_api_types::words::rejection::CVR_CHECKSUM.en,
        }
    }
}

const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];

impl Cvr {
    pub fn parse(input: &str) -> Result<Cvr, CvrError> {
        let trimmed = input.trim();
        if trimmed.len() != 8 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CvrError::Format);
        }
        let sum: u32 = trimmed
            .bytes()
            .zip(WEIGHTS)
            .map(|(digit, weight)| u32::from(digit - b'0') * weight)
            .sum();
        if !sum.is_multiple_of(11) {
            return Err(CvrError::Checksum);
        }
        Ok(Cvr(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Cvr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_known_valid_cvr_numbers() {
        // Digitaliseringsstyrelsen and the Danish Agency for Data Supply's published CVRs.
        for cvr in ["34051178", "29189846", "10213231"] {
            assert_eq!(Cvr::parse(cvr).unwrap().as_str(), cvr, "{cvr}");
        }
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        assert_eq!(Cvr::parse("34051179"), Err(CvrError::Checksum));
    }

    #[test]
    fn rejects_wrong_length_and_non_digits() {
        for bad in ["", "1234567", "123456789", "3405117a", "34 05 11 78"] {
            assert_eq!(Cvr::parse(bad), Err(CvrError::Format), "{bad:?}");
        }
    }

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(Cvr::parse(" 34051178 ").unwrap().as_str(), "34051178");
    }
}
