//! CPR numbers (SPEC §0): 10 digits `DDMMYYSSSS` whose first six are a valid date. The
//! modulus-11 check is deliberately NOT applied — many valid CPR numbers fail it.

use adgang_api_types::FieldCode;
use std::fmt;

use chrono::NaiveDate;

/// A CPR number with a valid date part. `Display` masks it (`DDMMYY-XXXX`) so it cannot leak
/// into logs by accident; [`Cpr::as_str`] gives the full number where it is needed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cpr(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CprError {
    /// Not 10 digits (a dash after the sixth is accepted).
    Format,
    /// The first six digits are not a date.
    Date,
}

impl CprError {
    pub fn code(self) -> FieldCode {
        match self {
            CprError::Format => FieldCode::CprFormat,
            CprError::Date => FieldCode::CprDate,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            CprError::Format => adgang_api_types::words::rejection::CPR_FORMAT.en,
            CprError::Date => adgang_api_types::words::rejection::CPR_DATE.en,
        }
    }
}

impl Cpr {
    pub fn parse(input: &str) -> Result<Cpr, CprError> {
        let digits: String = input.trim().chars().filter(|c| *c != '-').collect();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CprError::Format);
        }
        if input.trim().matches('-').count() > 1 {
            return Err(CprError::Format);
        }
        let cpr = Cpr(digits);
        cpr.birth_date().ok_or(CprError::Date)?;
        Ok(cpr)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date, with the century from the 7th digit (CPR office rules).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let n = |range: std::ops::Range<usize>| self.0[range].parse::<u32>().ok();
        let (day, month, yy, seventh) = (n(0..2)?, n(2..4)?, n(4..6)?, n(6..7)?);
        let century = match (seventh, yy) {
            (0..=3, _) => 1900,
            (4 | 9, 0..=36) => 2000,
            (4 | 9, _) => 1900,
            (5..=8, 0..=57) => 2000,
            (5..=8, _) => 1800,
            _ => return None,
        };
        NaiveDate::from_ymd_opt((century + yy) as i32, month, day)
    }

    /// `DDMMYY-XXXX`, the only form allowed in logs.
    pub fn masked(&self) -> String {
        format!("{}-XXXX", &self.0[..6])
    }
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_dates_without_modulus_11() {
        // 010190-1235 fails modulus 11 and is still valid.
        let cpr = Cpr::parse("010190-1235").unwrap();
        assert_eq!(cpr.as_str(), "0101901235");
        assert_eq!(cpr.birth_date(), NaiveDate::from_ymd_opt(1990, 1, 1));
    }

    #[test]
    fn rejects_impossible_dates_and_bad_formats() {
        assert_eq!(Cpr::parse("3102901234"), Err(CprError::Date));
        assert_eq!(Cpr::parse("0113901234"), Err(CprError::Date));
        assert_eq!(Cpr::parse("01019012345"), Err(CprError::Format));
        assert_eq!(Cpr::parse("01-01-901234"), Err(CprError::Format));
        assert_eq!(Cpr::parse("010190123a"), Err(CprError::Format));
    }

    #[test]
    fn century_follows_the_seventh_digit() {
        assert_eq!(
            Cpr::parse("2902004000").unwrap().birth_date(),
            NaiveDate::from_ymd_opt(2000, 2, 29)
        );
        assert_eq!(
            Cpr::parse("0101655000").unwrap().birth_date(),
            NaiveDate::from_ymd_opt(1865, 1, 1)
        );
    }

    #[test]
    fn display_and_debug_never_show_the_full_number() {
        let cpr = Cpr::parse("0101901235").unwrap();
        assert_eq!(cpr.to_string(), "010190-XXXX");
        assert!(!format!("{cpr:?}").contains("1235"));
    }
}
