//! The settings rules of a system (SYS-01 … SYS-06), as pure functions: every rule reports a
//! field error with a stable code, all rules run before anything is written.

use adgang_api_types::FieldCode;
use std::net::IpAddr;

use adgang_api_types::{required_details, Protocol, SystemRole, TechnicalContact};
use adgang_core::validate::{self, Email, HttpsUrl, PhoneNumber};
use adgang_core::FieldErrors;
use ipnet::IpNet;

pub const MAX_IPS: usize = 32;
pub const MAX_NAME_CHARS: usize = 100;
pub const MIN_RSA_BITS: usize = 2048;

/// SYS-01: up to 32 addresses, or exactly one range; IPv4 or IPv6. Returns the normalised
/// entries (canonical text; a range as its network address and prefix).
pub fn allowed_ips(input: &[String], errors: &mut FieldErrors) -> Vec<String> {
    let entries: Vec<&str> = input
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if entries.is_empty() {
        errors.add(
            "allowedIps",
            FieldCode::Required,
            "Give at least one IP address or one range.",
        );
        return Vec::new();
    }
    // Issue 13 item 7: a list longer than any valid one is refused before each entry is read.
    if entries.len() > MAX_IPS {
        errors.add(
            "allowedIps",
            FieldCode::TooMany,
            format!("Give at most {MAX_IPS} IP addresses."),
        );
        return Vec::new();
    }
    let mut addresses = Vec::new();
    let mut ranges = Vec::new();
    let mut ok = true;
    for (i, entry) in entries.iter().enumerate() {
        if entry.contains('/') {
            match entry.parse::<IpNet>() {
                Ok(net) => ranges.push(net.trunc()),
                Err(_) => {
                    ok = false;
                    errors.add(
                        &format!("allowedIps[{i}]"),
                        FieldCode::InvalidRange,
                        format!("{entry} is not an IP range in CIDR notation."),
                    );
                }
            }
        } else {
            match entry.parse::<IpAddr>() {
                Ok(addr) => addresses.push(addr),
                Err(_) => {
                    ok = false;
                    errors.add(
                        &format!("allowedIps[{i}]"),
                        FieldCode::InvalidIp,
                        format!("{entry} is not an IPv4 or IPv6 address."),
                    );
                }
            }
        }
    }
    if !ok {
        return Vec::new();
    }
    if ranges.len() > 1 {
        errors.add(
            "allowedIps",
            FieldCode::OneRangeOnly,
            "Give at most one IP range.",
        );
    } else if !ranges.is_empty() && !addresses.is_empty() {
        errors.add(
            "allowedIps",
            FieldCode::RangeWithAddresses,
            "Give either one IP range or single addresses, not both.",
        );
    } else if addresses.len() > MAX_IPS {
        errors.add(
            "allowedIps",
            FieldCode::TooMany,
            format!("Give at most {MAX_IPS} IP addresses."),
        );
    }
    let mut normalised: Vec<String> = ranges
        .iter()
        .map(ToString::to_string)
        .chain(addresses.iter().map(ToString::to_string))
        .collect();
    normalised.dedup();
    normalised
}

/// SYS-01: `caller` is one of the allowed addresses or inside the allowed range (an IPv4
/// address reached over IPv6 as `::ffff:a.b.c.d` is that IPv4 address).
pub fn admits(allowed_ips: &[String], caller: IpAddr) -> bool {
    let caller = match caller {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    allowed_ips
        .iter()
        .any(|entry| match entry.parse::<IpNet>() {
            Ok(net) => net.contains(&caller),
            Err(_) => entry.parse::<IpAddr>() == Ok(caller),
        })
}

/// SYS-03: an OpenSSH public key — ed25519, ECDSA, or RSA of at least 2048 bits. Returns the
/// key re-encoded without its comment.
pub fn ssh_public_key(input: &str) -> Result<String, FieldCode> {
    let key =
        ssh_key::PublicKey::from_openssh(input.trim()).map_err(|_| FieldCode::InvalidSshKey)?;
    match key.key_data() {
        ssh_key::public::KeyData::Ed25519(_) | ssh_key::public::KeyData::Ecdsa(_) => {}
        ssh_key::public::KeyData::Rsa(rsa) => {
            let modulus = rsa.n.as_positive_bytes().ok_or(FieldCode::InvalidSshKey)?;
            let leading = modulus.first().map_or(8, |b| b.leading_zeros() as usize);
            let bits = modulus.len() * 8 - leading;
            if bits < MIN_RSA_BITS {
                return Err(FieldCode::RsaTooShort);
            }
        }
        _ => return Err(FieldCode::UnsupportedSshKey),
    }
    let mut plain = key.clone();
    plain.set_comment("");
    plain.to_openssh().map_err(|_| FieldCode::InvalidSshKey)
}

/// SYS-12: a system's name, 1–MAX_NAME_CHARS characters.
pub fn name(input: &str, errors: &mut FieldErrors) -> String {
    validate::text(errors, "name", input, MAX_NAME_CHARS, true)
}

/// SYS-06.
pub fn technical_contact(input: &TechnicalContact, errors: &mut FieldErrors) -> TechnicalContact {
    let email = Email::parse(&input.email)
        .map(Email::into_inner)
        .unwrap_or_else(|code| {
            errors.add(
                "technicalContact.email",
                code,
                "A valid e-mail address is required.",
            );
            String::new()
        });
    let phone = PhoneNumber::parse(&input.phone)
        .map(PhoneNumber::into_inner)
        .unwrap_or_else(|code| {
            errors.add(
                "technicalContact.phone",
                code,
                "A valid phone number is required.",
            );
            String::new()
        });
    let extra_email = match input.extra_email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(extra) => extra_email(extra, errors),
    };
    TechnicalContact {
        email,
        phone,
        extra_email,
    }
}

/// The optional extra contact e-mail (SYS-06; §5.6 lets an organisation add one to a standard
/// system's contact).
pub fn extra_email(raw: &str, errors: &mut FieldErrors) -> Option<String> {
    match Email::parse(raw) {
        Ok(email) => Some(email.into_inner()),
        Err(code) => {
            errors.add(
                "technicalContact.extraEmail",
                code,
                "The extra e-mail address is not valid.",
            );
            None
        }
    }
}

/// The connection details a role/protocol combination requires, checked and normalised;
/// details the combination does not use must be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub allowed_ips: Vec<String>,
    pub endpoint: Option<String>,
    pub receipt_endpoint: Option<String>,
    pub ssh_public_key: Option<String>,
}

pub struct DetailsInput<'a> {
    pub role: SystemRole,
    pub protocol: Protocol,
    pub allowed_ips: &'a [String],
    pub endpoint: Option<&'a str>,
    pub receipt_endpoint: Option<&'a str>,
    pub ssh_public_key: Option<&'a str>,
}

/// The connection settings of a new, edited or standard system, as [`details`] checks them.
macro_rules! details_input_from {
    ($($input:ty),+) => {$(
        impl<'a> From<&'a $input> for DetailsInput<'a> {
            fn from(input: &'a $input) -> DetailsInput<'a> {
                DetailsInput {
                    role: input.role,
                    protocol: input.protocol,
                    allowed_ips: &input.allowed_ips,
                    endpoint: input.endpoint.as_deref(),
                    receipt_endpoint: input.receipt_endpoint.as_deref(),
                    ssh_public_key: input.ssh_public_key.as_deref(),
                }
            }
        }
    )+};
}
details_input_from!(
    adgang_api_types::NewSystem,
    adgang_api_types::SystemUpdate,
    adgang_api_types::NewStandardSystem
);

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// SYS-01, SYS-02, SYS-03: the protocol's connection details for the role (addresses, endpoints, SSH key).
pub fn details(input: DetailsInput<'_>, allow_http: bool, errors: &mut FieldErrors) -> Details {
    let Some(required) = required_details(input.role, input.protocol) else {
        errors.add(
            "protocol",
            FieldCode::NotAllowedForRole,
            "This protocol cannot be used with this role.",
        );
        return Details::default();
    };
    let allowed_ips = allowed_ips(input.allowed_ips, errors);
    let mut url = |field: &str, needed: bool, value: Option<&str>| match (needed, given(value)) {
        (true, None) => {
            errors.add(
                field,
                FieldCode::Required,
                "Required for this role and protocol.",
            );
            None
        }
        (true, Some(v)) => match HttpsUrl::parse(v, allow_http).map(HttpsUrl::into_inner) {
            Ok(url) => Some(url),
            Err(code) => {
                errors.add(field, code, "Give an absolute https URL.");
                None
            }
        },
        (false, Some(_)) => {
            errors.add(
                field,
                FieldCode::NotApplicable,
                "Not used with this role and protocol.",
            );
            None
        }
        (false, None) => None,
    };
    let endpoint = url("endpoint", required.endpoint, input.endpoint);
    let receipt_endpoint = url(
        "receiptEndpoint",
        required.receipt_endpoint,
        input.receipt_endpoint,
    );
    let ssh_public_key = match (required.ssh_public_key, given(input.ssh_public_key)) {
        (true, None) => {
            errors.add(
                "sshPublicKey",
                FieldCode::Required,
                "SFTP needs an SSH public key.",
            );
            None
        }
        (true, Some(v)) => match ssh_public_key(v) {
            Ok(key) => Some(key),
            Err(code) => {
                errors.add(
                    "sshPublicKey",
                    code,
                    "Give an OpenSSH public key: ed25519, ECDSA or RSA of at least 2048 bits.",
                );
                None
            }
        },
        (false, Some(_)) => {
            errors.add(
                "sshPublicKey",
                FieldCode::NotApplicable,
                "Only SFTP uses an SSH public key.",
            );
            None
        }
        (false, None) => None,
    };
    Details {
        allowed_ips,
        endpoint,
        receipt_endpoint,
        ssh_public_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_01_the_allowlist_admits_listed_addresses_and_the_range_only() {
        let listed = ["192.0.2.10".to_owned(), "2001:db8::1".to_owned()];
        assert!(admits(&listed, "192.0.2.10".parse().unwrap()));
        assert!(admits(&listed, "::ffff:192.0.2.10".parse().unwrap()));
        assert!(admits(&listed, "2001:db8::1".parse().unwrap()));
        assert!(!admits(&listed, "192.0.2.11".parse().unwrap()));
        let range = ["10.1.0.0/16".to_owned()];
        assert!(admits(&range, "10.1.255.3".parse().unwrap()));
        assert!(!admits(&range, "10.2.0.1".parse().unwrap()));
    }

    fn ips(list: &[&str]) -> (Vec<String>, Vec<(String, String)>) {
        let mut errors = FieldErrors::new();
        let input: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        let out = allowed_ips(&input, &mut errors);
        let codes = errors
            .into_inner()
            .into_iter()
            .map(|e| (e.field, e.code.as_str().to_owned()))
            .collect();
        (out, codes)
    }

    #[test]
    fn sys_01_addresses_and_ranges() {
        assert_eq!(
            ips(&["10.0.0.1", " 2001:DB8::1 "]).0,
            vec!["10.0.0.1", "2001:db8::1"]
        );
        assert_eq!(ips(&["10.1.2.3/24"]).0, vec!["10.1.2.0/24"]);
        let many: Vec<String> = (1..=33).map(|i| format!("10.0.0.{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(ips(&many).1, vec![("allowedIps".into(), "too_many".into())]);
        assert_eq!(ips(&many[..32]).1, vec![]);
        assert_eq!(
            ips(&["10.0.0.0/24", "10.0.1.0/24"]).1,
            vec![("allowedIps".into(), "one_range_only".into())]
        );
        assert_eq!(
            ips(&["10.0.0.0/24", "10.0.1.1"]).1,
            vec![("allowedIps".into(), "range_with_addresses".into())]
        );
        assert_eq!(
            ips(&["10.0.0.0/33"]).1,
            vec![("allowedIps[0]".into(), "invalid_range".into())]
        );
        assert_eq!(
            ips(&["10.0.0.1", "999.1.1.1"]).1,
            vec![("allowedIps[1]".into(), "invalid_ip".into())]
        );
        assert_eq!(ips(&[]).1, vec![("allowedIps".into(), "required".into())]);
    }

    const FIXTURES: [(&str, Result<&str, FieldCode>); 4] = [
        (
            include_str!("../../test-support/fixtures/ssh/ed.pub"),
            Ok("ssh-ed25519 "),
        ),
        (
            include_str!("../../test-support/fixtures/ssh/ec.pub"),
            Ok("ecdsa-sha2-nistp256 "),
        ),
        (
            include_str!("../../test-support/fixtures/ssh/rsa2048.pub"),
            Ok("ssh-rsa "),
        ),
        (
            include_str!("../../test-support/fixtures/ssh/rsa1024.pub"),
            Err(FieldCode::RsaTooShort),
        ),
    ];

    #[test]
    fn sys_03_ssh_keys() {
        for (key, expected) in FIXTURES {
            match expected {
                Ok(prefix) => {
                    let normalised = ssh_public_key(key).unwrap();
                    assert!(normalised.starts_with(prefix), "{normalised}");
                    assert!(!normalised.contains('@'), "comment dropped: {normalised}");
                }
                Err(code) => assert_eq!(ssh_public_key(key), Err(code)),
            }
        }
        assert_eq!(
            ssh_public_key("ssh-ed25519 AAAAgarbage"),
            Err(FieldCode::InvalidSshKey)
        );
        assert_eq!(ssh_public_key("hello"), Err(FieldCode::InvalidSshKey));
    }
}
