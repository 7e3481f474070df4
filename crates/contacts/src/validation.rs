//! The limits of contact groups and points (CS-01). Lengths count characters, not bytes: "æ"
//! is one. Every check reports a field error with a stable code; nothing is written unless
//! all pass.

use adgang_api_types::FieldCode;
use std::collections::HashSet;

use adgang_api_types::{Capacity, ContactPointCode, ExternalLink};
use adgang_core::validate::HttpsUrl;
use adgang_core::FieldErrors;

pub const GROUP_NAME_MAX: usize = 50;
pub const GROUP_DESCRIPTION_MAX: usize = 255;
pub const POINT_NAME_MAX: usize = 50;
pub const POINT_DESCRIPTION_MAX: usize = 250;
pub const INTERNAL_NOTE_MAX: usize = 2000;
pub const LINK_HEADING_MAX: usize = 50;
pub const LINK_DESCRIPTION_MAX: usize = 250;
pub const LINK_TEXT_MAX: usize = 50;
pub const INPUT_FIELDS_MAX: usize = 2;
pub const INPUT_FIELD_TITLE_MAX: usize = 25;
pub const KEYWORD_MAX: usize = 30;
pub const CODE_VALUE_MAX: usize = 100;
/// Groups a group or point is placed in (parents, a point's groups).
pub const PLACEMENTS_MAX: usize = 100;
/// Keywords and codes on one point.
pub const KEYWORDS_MAX: usize = 100;
pub const CODES_MAX: usize = 100;

pub use adgang_core::validate::text;

/// A keyword: letters (any script, æøå included), digits, spaces and hyphens.
fn keyword_ok(keyword: &str) -> bool {
    keyword
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
}

/// At least one keyword; each ≤ 30 characters of the allowed kinds; unique within the point
/// (case-insensitively). Returns them trimmed.
/// CS-01.
pub fn keywords(errors: &mut FieldErrors, input: &[String]) -> Vec<String> {
    let keywords: Vec<String> = input.iter().map(|k| k.trim().to_owned()).collect();
    if keywords.iter().all(String::is_empty) {
        errors.add(
            "keywords",
            FieldCode::Required,
            "Give at least one keyword.",
        );
        return Vec::new();
    }
    if too_many(errors, "keywords", keywords.len(), KEYWORDS_MAX) {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    for (i, keyword) in keywords.iter().enumerate() {
        let field = format!("keywords[{i}]");
        if keyword.is_empty() {
            errors.add(&field, FieldCode::Required, "A keyword cannot be empty.");
        } else if keyword.chars().count() > KEYWORD_MAX {
            errors.add(
                &field,
                FieldCode::TooLong,
                format!("At most {KEYWORD_MAX} characters."),
            );
        } else if !keyword_ok(keyword) {
            errors.add(
                &field,
                FieldCode::InvalidKeyword,
                "Only letters, digits, spaces and hyphens.",
            );
        } else if !seen.insert(keyword.to_lowercase()) {
            errors.add(
                &field,
                FieldCode::DuplicateKeyword,
                "The keyword is already on this point.",
            );
        }
    }
    keywords
}

/// Up to two input fields, titles ≤ 25 characters.
/// CS-01.
pub fn input_fields(errors: &mut FieldErrors, input: &[String]) -> Vec<String> {
    if input.len() > INPUT_FIELDS_MAX {
        errors.add(
            "inputFields",
            FieldCode::TooMany,
            "At most two input fields.",
        );
    }
    input
        .iter()
        .enumerate()
        .map(|(i, title)| {
            text(
                errors,
                &format!("inputFields[{i}]"),
                title,
                INPUT_FIELD_TITLE_MAX,
                true,
            )
        })
        .collect()
}

/// Capacity may only be lowered from the defaults (and stay positive for the size).
/// CS-01.
pub fn capacity(errors: &mut FieldErrors, input: Option<Capacity>) -> Capacity {
    let capacity = input.unwrap_or_default();
    if capacity.max_message_size_bytes > Capacity::MAX_MESSAGE_SIZE_BYTES {
        errors.add(
            "capacity.maxMessageSizeBytes",
            FieldCode::AboveMaximum,
            "The maximum message size can only be reduced (at most 99.5 MB).",
        );
    } else if capacity.max_message_size_bytes == 0 {
        errors.add(
            "capacity.maxMessageSizeBytes",
            FieldCode::TooSmall,
            "Must be above zero.",
        );
    }
    if capacity.max_attachments > Capacity::MAX_ATTACHMENTS {
        errors.add(
            "capacity.maxAttachments",
            FieldCode::AboveMaximum,
            "The number of attachments can only be reduced (at most 10).",
        );
    }
    capacity
}

/// CS-01: an external link is an https URL with a link text.
pub fn external_link(
    errors: &mut FieldErrors,
    input: Option<&ExternalLink>,
) -> Option<ExternalLink> {
    let link = input?;
    let heading = text(
        errors,
        "externalLink.heading",
        &link.heading,
        LINK_HEADING_MAX,
        true,
    );
    let description = text(
        errors,
        "externalLink.description",
        &link.description,
        LINK_DESCRIPTION_MAX,
        false,
    );
    let link_text = text(
        errors,
        "externalLink.linkText",
        &link.link_text,
        LINK_TEXT_MAX,
        true,
    );
    let url = match HttpsUrl::parse(&link.url, false).map(HttpsUrl::into_inner) {
        Ok(url) => url,
        Err(code) => {
            errors.add("externalLink.url", code, "Give an absolute https URL.");
            String::new()
        }
    };
    Some(ExternalLink {
        heading,
        description,
        link_text,
        url,
    })
}

/// Whether `count` items at `field` are more than `max`; if so the error says "At most {max}
/// {field}." (CS-01).
fn too_many(errors: &mut FieldErrors, field: &str, count: usize, max: usize) -> bool {
    let over = count > max;
    if over {
        errors.add(field, FieldCode::TooMany, format!("At most {max} {field}."));
    }
    over
}

/// Codes: values of 1–100 characters without ";" (the workbook separates codes with it).
/// CS-01, CS-06.
pub fn codes(errors: &mut FieldErrors, input: &[ContactPointCode]) -> Vec<ContactPointCode> {
    if too_many(errors, "codes", input.len(), CODES_MAX) {
        return Vec::new();
    }
    input
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let field = format!("codes[{i}].value");
            let value = text(errors, &field, &code.value, CODE_VALUE_MAX, true);
            if value.contains(';') {
                errors.add(&field, FieldCode::Semicolon, "A code cannot contain \";\".");
            }
            ContactPointCode {
                kind: code.kind,
                value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(errors: FieldErrors) -> Vec<(String, String)> {
        errors
            .into_inner()
            .into_iter()
            .map(|e| (e.field, e.code.as_str().to_owned()))
            .collect()
    }

    #[test]
    fn cs_01_lengths_count_characters_not_bytes() {
        let mut errors = FieldErrors::new();
        text(&mut errors, "name", &"æ".repeat(50), 50, true);
        assert!(errors.is_empty(), "50 × æ is 100 bytes but 50 characters");
        text(&mut errors, "name", &"æ".repeat(51), 50, true);
        assert_eq!(codes_of(errors), vec![("name".into(), "too_long".into())]);
    }

    #[test]
    fn cs_01_keywords() {
        let check = |list: &[&str]| {
            let mut errors = FieldErrors::new();
            keywords(
                &mut errors,
                &list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            );
            codes_of(errors)
        };
        assert_eq!(
            check(&[
                "byggetilladelse",
                "Skat og told",
                "affald-genbrug",
                "Æblehave 2"
            ]),
            vec![]
        );
        assert_eq!(
            check(&["pas!"]),
            vec![("keywords[0]".into(), "invalid_keyword".into())]
        );
        assert_eq!(
            check(&["ok", &"k".repeat(31)]),
            vec![("keywords[1]".into(), "too_long".into())]
        );
        assert_eq!(check(&[]), vec![("keywords".into(), "required".into())]);
        assert_eq!(
            check(&["Pas", "pas"]),
            vec![("keywords[1]".into(), "duplicate_keyword".into())]
        );
    }

    #[test]
    fn cs_01_capacity_can_only_be_reduced_and_two_input_fields_at_most() {
        let mut errors = FieldErrors::new();
        capacity(
            &mut errors,
            Some(Capacity {
                max_message_size_bytes: Capacity::MAX_MESSAGE_SIZE_BYTES + 1,
                max_attachments: 11,
            }),
        );
        input_fields(&mut errors, &["a".into(), "b".into(), "c".into()]);
        assert_eq!(
            codes_of(errors),
            vec![
                (
                    "capacity.maxMessageSizeBytes".into(),
                    "above_maximum".into()
                ),
                ("capacity.maxAttachments".into(), "above_maximum".into()),
                ("inputFields".into(), "too_many".into()),
            ]
        );
    }

    #[test]
    fn cs_06_code_values_cannot_hold_the_workbook_separator() {
        let mut errors = FieldErrors::new();
        codes(
            &mut errors,
            &[ContactPointCode {
                kind: adgang_api_types::CodeKind::Custom,
                value: "17.01; 17.02".into(),
            }],
        );
        assert_eq!(
            codes_of(errors),
            vec![("codes[0].value".into(), "semicolon".into())]
        );
    }
}
