//! Values shared by modules, parsed once into types that can only hold valid values ("parse,
//! don't validate", like `Cvr` and `Cpr`): [`Email`], [`PhoneNumber`], [`HttpsUrl`]; and the one
//! text check behind every name. A refusal is a stable [`FieldCode`] the SPA translates.

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

/// The trimmed input, refused when empty.
fn required(input: &str) -> Result<&str, FieldCode> {
    match input.trim() {
        "" => Err(FieldCode::Required),
        value => Ok(value),
    }
}

/// A plausible e-mail address: one `@`, a non-empty local part, a domain with a dot, no
/// spaces, at most 254 characters. Normalised: trimmed, domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, FieldCode> {
        let value = required(input)?;
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
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }
}

/// A phone number: 8 digits (Danish), or `+` and 8–15 digits; spaces and dashes allowed and
/// removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, FieldCode> {
        let value = required(input)?;
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
            Ok(PhoneNumber(compact))
        } else {
            Err(FieldCode::InvalidPhone)
        }
    }
}

/// An absolute `https` URL with a host and no credentials; `http` only when `allow_http` (a
/// test deployment's explicit setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl(String);

impl HttpsUrl {
    pub fn parse(input: &str, allow_http: bool) -> Result<HttpsUrl, FieldCode> {
        let value = required(input)?;
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
        Ok(HttpsUrl(url.to_string()))
    }
}

/// The text a parsed value holds.
macro_rules! text_value {
    ($($type:ident),+) => {$(
        impl $type {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }
    )+};
}

text_value!(Email, PhoneNumber, HttpsUrl);

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `parse` keeps each `valid` input as its normalised text and refuses each `bad`
    /// input with `code`.
    fn assert_parses<T>(
        parse: impl Fn(&str) -> Result<T, FieldCode>,
        into_inner: fn(T) -> String,
        valid: &[(&str, &str)],
        bad: &[&str],
        code: FieldCode,
    ) {
        for &(input, normalised) in valid {
            assert_eq!(
                parse(input).map(into_inner),
                Ok(normalised.to_owned()),
                "{input}"
            );
        }
        for &input in bad {
            assert_eq!(parse(input).map(into_inner), Err(code), "{input}");
        }
    }

    #[test]
    fn e_mail_addresses() {
        assert_parses(
            Email::parse,
            Email::into_inner,
            &[
                (" drift@Kommune.DK ", "drift@kommune.dk"),
                ("æble@grød.dk", "æble@grød.dk"),
            ],
            &[
                "drift",
                "drift@",
                "@kommune.dk",
                "drift@kommune",
                "dr ift@kommune.dk",
                "a@b..dk",
            ],
            FieldCode::InvalidEmail,
        );
        assert_eq!(
            Email::parse("").map(Email::into_inner),
            Err(FieldCode::Required)
        );
    }

    #[test]
    fn phone_numbers() {
        assert_parses(
            PhoneNumber::parse,
            PhoneNumber::into_inner,
            &[("12 34 56 78", "12345678"), ("+45 12345678", "+4512345678")],
            &["1234567", "123456789", "+45", "12ab5678", "++4512345678"],
            FieldCode::InvalidPhone,
        );
    }

    #[test]
    fn sys_02_endpoints_are_absolute_https() {
        let url = "https://sag.kommune.dk/dp";
        assert_parses(
            |input| HttpsUrl::parse(input, false),
            HttpsUrl::into_inner,
            &[(url, url)],
            &["/relative", "ftp://x.dk", "https://user:pw@x.dk"],
            FieldCode::InvalidUrl,
        );
        assert_eq!(
            HttpsUrl::parse("http://sag.kommune.dk", false).map(HttpsUrl::into_inner),
            Err(FieldCode::HttpsRequired)
        );
        assert!(HttpsUrl::parse("http://sag.kommune.dk", true).is_ok());
    }
}
