//! A deterministic synthetic register: the same numbers always give the same people and
//! companies, so tests, demos and browser tests can rely on them.

use std::collections::HashMap;

use adgang_core::{Cpr, Cvr};

use crate::{Address, Citizen, Company, Registry, RegistryError};

const FIRST_NAMES: [&str; 24] = [
    "Anne", "Mette", "Kirsten", "Hanne", "Helle", "Susanne", "Lene", "Marianne", "Camilla",
    "Sofie", "Ida", "Freja", "Peter", "Jens", "Lars", "Michael", "Henrik", "Søren", "Thomas",
    "Jørgen", "Niels", "Mads", "Frederik", "Rasmus",
];
const LAST_NAMES: [&str; 16] = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Østergaard",
];
const STREETS: [&str; 12] = [
    "Vestergade",
    "Østergade",
    "Nørregade",
    "Søndergade",
    "Åboulevarden",
    "Kongensgade",
    "Møllevej",
    "Skovvej",
    "Strandvejen",
    "Kirkevej",
    "Bøgevej",
    "Ærøvej",
];
const CITIES: [(&str, &str); 8] = [
    ("1050", "København K"),
    ("8000", "Aarhus C"),
    ("5000", "Odense C"),
    ("9000", "Aalborg"),
    ("6700", "Esbjerg"),
    ("7100", "Vejle"),
    ("4000", "Roskilde"),
    ("3400", "Hillerød"),
];
const COMPANY_WORDS: [&str; 10] = [
    "Bager",
    "Tømrer",
    "Data",
    "Vind",
    "Fisk",
    "Æble",
    "Rådgivning",
    "Transport",
    "Byg",
    "Grøn",
];

/// Citizens and companies built from their index; see [`SyntheticRegistry::citizen_cpr`].
pub struct SyntheticRegistry {
    citizens: HashMap<String, Citizen>,
    companies: HashMap<String, Company>,
    /// The synthetic companies' CVR numbers in index order (a `HashMap` has no stable order).
    synthetic_cvrs: Vec<String>,
}

fn address(i: usize) -> Address {
    let (postal_code, city) = CITIES[i % CITIES.len()];
    Address {
        street: format!("{} {}", STREETS[(i / 3) % STREETS.len()], 1 + i % 97),
        postal_code: postal_code.to_owned(),
        city: city.to_owned(),
    }
}

/// The `n`-th CVR number that passes modulus 11, counting up from 20 000 000.
fn nth_valid_cvr(start: u32, n: usize) -> impl Iterator<Item = String> {
    (start..99_999_999)
        .map(|v| v.to_string())
        .filter(|s| Cvr::parse(s).is_ok())
        .take(n)
}

impl SyntheticRegistry {
    pub const CITIZENS: usize = 3_000;
    pub const COMPANIES: usize = 500;

    /// The `i`-th synthetic citizen's CPR: born 1940–2007, always a valid date.
    pub fn citizen_cpr(i: usize) -> String {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let year = 40 + (i / 7) % 68; // 1940..2007
        let (yy, seventh) = if year >= 100 {
            (year - 100, 4)
        } else {
            (year, 1 + i % 3)
        };
        format!("{day:02}{month:02}{yy:02}{seventh}{:03}", i % 1000)
    }

    pub fn new() -> SyntheticRegistry {
        let mut citizens = HashMap::with_capacity(Self::CITIZENS);
        for i in 0..Self::CITIZENS {
            let cpr = Self::citizen_cpr(i);
            let name = format!(
                "{} {}",
                FIRST_NAMES[i % FIRST_NAMES.len()],
                LAST_NAMES[(i / FIRST_NAMES.len()) % LAST_NAMES.len()]
            );
            citizens.entry(cpr.clone()).or_insert(Citizen {
                cpr,
                name,
                registered_address: address(i),
            });
        }
        let mut companies = HashMap::with_capacity(Self::COMPANIES + 8);
        let synthetic_cvrs: Vec<String> = nth_valid_cvr(20_000_000, Self::COMPANIES).collect();
        for (i, cvr) in synthetic_cvrs.iter().cloned().enumerate() {
            let suffix = if i % 2 == 0 { "ApS" } else { "A/S" };
            let name = format!(
                "{}firmaet nr. {} {suffix}",
                COMPANY_WORDS[i % COMPANY_WORDS.len()],
                i + 1
            );
            companies.insert(
                cvr.clone(),
                Company {
                    cvr,
                    name,
                    registered_office_address: address(i + 7),
                    is_authority: false,
                },
            );
        }
        // The demo organisations, so the test portal and context switching find them.
        for (i, (cvr, name, is_authority)) in [
            ("29189846", "Testkommune Nord", true),
            ("34051178", "Styrelsen for Digital Test", true),
            ("10213231", "Region Prøvested", true),
            ("25052943", "Æblegården ApS", false),
            ("30808460", "Systemleverandøren A/S", false),
            ("40000011", "Nyby Kommune", true),
        ]
        .into_iter()
        .enumerate()
        {
            companies.insert(
                cvr.to_owned(),
                Company {
                    cvr: cvr.to_owned(),
                    name: name.to_owned(),
                    registered_office_address: address(1000 + i),
                    is_authority,
                },
            );
        }
        SyntheticRegistry {
            citizens,
            companies,
            synthetic_cvrs,
        }
    }

    /// The synthetic companies' CVR numbers, always in the same order and never one of the demo
    /// organisations — so `company_cvrs().nth(7)` is the same register-only company on every run
    /// (it was a `HashMap`'s random order, which now and then picked Æblegården ApS).
    pub fn company_cvrs(&self) -> impl Iterator<Item = &str> {
        self.synthetic_cvrs.iter().map(String::as_str)
    }
}

impl Default for SyntheticRegistry {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl Registry for SyntheticRegistry {
    async fn citizen(&self, cpr: &Cpr) -> Result<Option<Citizen>, RegistryError> {
        Ok(self.citizens.get(cpr.as_str()).cloned())
    }

    async fn company(&self, cvr: &Cvr) -> Result<Option<Company>, RegistryError> {
        Ok(self.companies.get(cvr.as_str()).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_13_every_synthetic_cpr_is_valid_and_unique() {
        let registry = SyntheticRegistry::new();
        for i in 0..SyntheticRegistry::CITIZENS {
            let cpr = SyntheticRegistry::citizen_cpr(i);
            assert!(Cpr::parse(&cpr).is_ok(), "{i}: {cpr}");
        }
        assert_eq!(registry.citizens.len(), SyntheticRegistry::CITIZENS);
    }

    #[test]
    fn x_13_every_synthetic_cvr_passes_modulus_11() {
        let registry = SyntheticRegistry::new();
        assert!(registry.companies.len() > SyntheticRegistry::COMPANIES);
        for cvr in registry.companies.keys() {
            assert!(Cvr::parse(cvr).is_ok(), "{cvr}");
        }
    }

    #[test]
    fn x_13_the_synthetic_cvrs_come_in_one_order_without_the_demo_organisations() {
        let (a, b) = (SyntheticRegistry::new(), SyntheticRegistry::new());
        let first: Vec<&str> = a.company_cvrs().collect();
        assert_eq!(first, b.company_cvrs().collect::<Vec<_>>());
        assert_eq!(first.len(), SyntheticRegistry::COMPANIES);
        assert!(first.windows(2).all(|w| w[0] < w[1]), "counting up");
        assert!(!first.contains(&"25052943"), "a demo organisation");
    }

    #[tokio::test]
    async fn x_13_the_register_is_deterministic() {
        let (a, b) = (SyntheticRegistry::new(), SyntheticRegistry::new());
        let cpr = Cpr::parse(&SyntheticRegistry::citizen_cpr(1234)).unwrap();
        assert_eq!(
            a.citizen(&cpr).await.unwrap(),
            b.citizen(&cpr).await.unwrap()
        );
        assert!(a.citizen(&cpr).await.unwrap().is_some());
        let unknown = Cpr::parse("3112991234").unwrap();
        assert_eq!(a.citizen(&unknown).await.unwrap(), None);
    }
}
