//! Field checks shared by modules: e-mail, phone number, https URL. Each returns the
//! normalised value or a stable error code (the SPA translates codes; the API stays neutral).

/// A plausible e-mail address: one `@`, a non-empty local part, a domain with a dot, no
/// spaces, at most 254 characters. Normalised: trimmed, domain lower-cased.
pub fn email(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("required");
    }
    if value.chars().count() > 254 {
        return Err("too_long");
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err("invalid_email");
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
        return Err("invalid_email");
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// A phone number: 8 digits (Danish), or `+` and 8–15 digits; spaces and dashes allowed and
/// removed.
pub fn phone(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("required");
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
        Err("invalid_phone")
    }
}

/// An absolute `https` URL with a host and no credentials; `http` only when `allow_http` (a
/// test deployment's explicit setting).
pub fn https_url(input: &str, allow_http: bool) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("required");
    }
    if value.chars().count() > 2000 {
        return Err("too_long");
    }
    let url = url::Url::parse(value).map_err(|_| "invalid_url")?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err("https_required"),
        _ => return Err("invalid_url"),
    }
    if url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err("invalid_url");
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
            assert_eq!(email(bad), Err("invalid_email"), "{bad}");
        }
        assert_eq!(email(""), Err("required"));
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(phone("12 34 56 78").unwrap(), "12345678");
        assert_eq!(phone("+45 12345678").unwrap(), "+4512345678");
        for bad in ["1234567", "123456789", "+45", "12ab5678", "++4512345678"] {
            assert_eq!(phone(bad), Err("invalid_phone"), "{bad}");
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
            Err("https_required")
        );
        assert!(https_url("http://sag.kommune.dk", true).is_ok());
        assert_eq!(https_url("/relative", false), Err("invalid_url"));
        assert_eq!(https_url("ftp://x.dk", false), Err("invalid_url"));
        assert_eq!(https_url("https://user:pw@x.dk", false), Err("invalid_url"));
    }
}
