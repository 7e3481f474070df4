//! Field checks shared by modules: e-mail, phone number, https URL. Each returns the
//! normalised value or a stable error code (the SPA translates codes; the API stays neutral).

use adgang_api_types::FieldCode;

use crate::FieldErrors;

/// Trimmed text of at most `max` characters (counted as characters, not bytes); `required`
/// refuses an empty one. The one check behind every name and free text (SYS-12 system names,
/// CS-01 group and point texts, organisation and machine-client names).
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim().to_owned();
    if required && value.is_empty() {
        errors.add(field, FieldCode::Required, "Required.");
    } else if value.chars().count() > max {
        errors.add(
            field,
            FieldCode::TooLong,
            format!("At most {max} characters."),
        );
    }
    value
}

/// A plausible e-mail address: one `@`, a non-empty local part, a domain with a dot, no
/// spaces, at most 254 characters. Normalised: trimmed, domain lower-cased.
pub fn email(input: &str) -> Result<String, FieldCode> {
    let value = input.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    if value.chars().count() > 254 {
        return Err(FieldCode::TooLong);
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err(FieldCode::InvalidEmail);
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if local.is_empty()
        || local.contains('@')
        || value.chars().any(char::is_whitespace)
        || !domain_ok
    {
        return Err(FieldCode::InvalidEmail);
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// A phone number: 8 digits (Danish), or `+` and 8–15 digits; spaces and dashes allowed and
/// removed.
pub fn phone(input: &str) -> Result<String, FieldCode> {
    let value = input.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    let compact: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let length_ok = if plus {
        (8..=15).contains(&digits.len())
    } else {
        digits.len() == 8
    };
    if all_digits && length_ok {
        Ok(compact)
    } else {
        Err(FieldCode::InvalidPhone)
    }
}

/// An absolute `https` URL with a host and no credentials; `http` only when `allow_http` (a
/// test deployment's explicit setting).
pub fn https_url(input: &str, allow_http: bool) -> Result<String, FieldCode> {
    let value = input.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    if value.chars().count() > 2000 {
        return Err(FieldCode::TooLong);
    }
    let url = url::Url::parse(value).map_err(|_| FieldCode::InvalidUrl)?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err(FieldCode::HttpsRequired),
        _ => return Err(FieldCode::InvalidUrl),
    }
    if url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(FieldCode::InvalidUrl);
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses() {
        assert_eq!(email(" drift@Kommune.DK ").unwrap(), "drift@kommune.dk");
        assert_eq!(email("æble@grød.dk").unwrap(), "æble@grød.dk");
        for bad in [
            "drift",
            "drift@",
            "@kommune.dk",
            "drift@kommune",
            "dr ift@kommune.dk",
            "a@b..dk",
        ] {
            assert_eq!(email(bad), Err(FieldCode::InvalidEmail), "{bad}");
        }
        assert_eq!(email(""), Err(FieldCode::Required));
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(phone("12 34 56 78").unwrap(), "12345678");
        assert_eq!(phone("+45 12345678").unwrap(), "+4512345678");
        for bad in ["1234567", "123456789", "+45", "12ab5678", "++4512345678"] {
            assert_eq!(phone(bad), Err(FieldCode::InvalidPhone), "{bad}");
        }
    }

    #[test]
    fn sys_02_endpoints_are_absolute_https() {
        assert_eq!(
            https_url("https://sag.kommune.dk/dp", false).unwrap(),
            "https://sag.kommune.dk/dp"
        );
        assert_eq!(
            https_url("http://sag.kommune.dk", false),
            Err(FieldCode::HttpsRequired)
        );
        assert!(https_url("http://sag.kommune.dk", true).is_ok());
        assert_eq!(https_url("/relative", false), Err(FieldCode::InvalidUrl));
        assert_eq!(https_url("ftp://x.dk", false), Err(FieldCode::InvalidUrl));
        assert_eq!(
            https_url("https://user:pw@x.dk", false),
            Err(FieldCode::InvalidUrl)
        );
    }
}
