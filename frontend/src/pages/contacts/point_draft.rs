//! A contact point as the user types it (`PointDraft`): loaded from a saved point, turned into
//! the API's input, with megabytes in Danish notation for the size field.

use adgang_api_types::{
    Audience, Capacity, ContactPoint, ContactPointCode, ContactPointInput, ExternalLink, FieldError,
};
use leptos::prelude::*;

use crate::components::form::{errors_for, FieldMessage};

const MEBIBYTE: f64 = 1_048_576.0;

/// Bytes as Danish megabytes for the form ("99,5").
pub(super) fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / MEBIBYTE).replace('.', ",")
}

/// Everything the user types, before it is sent.
#[derive(Clone, Copy)]
pub struct PointDraft {
    pub(super) name: RwSignal<String>,
    pub(super) description: RwSignal<String>,
    pub(super) note: RwSignal<String>,
    pub(super) groups: RwSignal<Vec<String>>,
    pub(super) visible: RwSignal<bool>,
    pub(super) citizens: RwSignal<bool>,
    pub(super) businesses: RwSignal<bool>,
    pub(super) size_mb: RwSignal<String>,
    pub(super) attachments: RwSignal<String>,
    pub(super) link_heading: RwSignal<String>,
    pub(super) link_description: RwSignal<String>,
    pub(super) link_text: RwSignal<String>,
    pub(super) link_url: RwSignal<String>,
    pub(super) field1: RwSignal<String>,
    pub(super) field2: RwSignal<String>,
    /// One keyword per line (commas also separate).
    pub(super) keywords: RwSignal<String>,
    pub(super) codes: RwSignal<Vec<ContactPointCode>>,
    pub(super) recipient_system: RwSignal<String>,
    pub(super) active: RwSignal<bool>,
    pub(super) errors: RwSignal<Vec<FieldError>>,
}

impl PointDraft {
    pub(super) fn new() -> PointDraft {
        let defaults = Capacity::default();
        PointDraft {
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            groups: RwSignal::new(Vec::new()),
            visible: RwSignal::new(true),
            citizens: RwSignal::new(true),
            businesses: RwSignal::new(false),
            size_mb: RwSignal::new(megabytes(defaults.max_message_size_bytes)),
            attachments: RwSignal::new(defaults.max_attachments.to_string()),
            link_heading: RwSignal::new(String::new()),
            link_description: RwSignal::new(String::new()),
            link_text: RwSignal::new(String::new()),
            link_url: RwSignal::new(String::new()),
            field1: RwSignal::new(String::new()),
            field2: RwSignal::new(String::new()),
            keywords: RwSignal::new(String::new()),
            codes: RwSignal::new(Vec::new()),
            recipient_system: RwSignal::new(String::new()),
            active: RwSignal::new(true),
            errors: RwSignal::new(Vec::new()),
        }
    }

    pub(super) fn load(&self, p: &ContactPoint) {
        let link = p.external_link.clone().unwrap_or(ExternalLink {
            heading: String::new(),
            description: String::new(),
            link_text: String::new(),
            url: String::new(),
        });
        self.name.set(p.name.clone());
        self.description.set(p.description.clone());
        self.note.set(p.internal_note.clone());
        self.groups.set(p.group_ids.clone());
        self.visible.set(p.visible);
        self.citizens.set(p.audiences.contains(&Audience::Citizens));
        self.businesses
            .set(p.audiences.contains(&Audience::Businesses));
        self.size_mb
            .set(megabytes(p.capacity.max_message_size_bytes));
        self.attachments.set(p.capacity.max_attachments.to_string());
        self.link_heading.set(link.heading);
        self.link_description.set(link.description);
        self.link_text.set(link.link_text);
        self.link_url.set(link.url);
        self.field1
            .set(p.input_fields.first().cloned().unwrap_or_default());
        self.field2
            .set(p.input_fields.get(1).cloned().unwrap_or_default());
        self.keywords.set(p.keywords.join("\n"));
        self.codes.set(p.codes.clone());
        self.recipient_system
            .set(p.recipient_system_id.clone().unwrap_or_default());
        self.active.set(p.active);
        self.errors.set(Vec::new());
    }

    pub(super) fn input(&self) -> ContactPointInput {
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let mut audiences = Vec::new();
        if self.citizens.get_untracked() {
            audiences.push(Audience::Citizens);
        }
        if self.businesses.get_untracked() {
            audiences.push(Audience::Businesses);
        }
        // Unreadable numbers go as 0, which the API refuses with a field error.
        let mb: f64 = text(self.size_mb).replace(',', ".").parse().unwrap_or(0.0);
        let link_parts = [
            self.link_heading,
            self.link_description,
            self.link_text,
            self.link_url,
        ]
        .map(text);
        let external_link = link_parts
            .iter()
            .any(|p| !p.is_empty())
            .then(|| ExternalLink {
                heading: link_parts[0].clone(),
                description: link_parts[1].clone(),
                link_text: link_parts[2].clone(),
                url: link_parts[3].clone(),
            });
        let system = text(self.recipient_system);
        ContactPointInput {
            name: text(self.name),
            description: text(self.description),
            internal_note: text(self.note),
            group_ids: self.groups.get_untracked(),
            visible: self.visible.get_untracked(),
            audiences,
            capacity: Some(Capacity {
                max_message_size_bytes: (mb * MEBIBYTE).round() as u64,
                max_attachments: text(self.attachments).parse().unwrap_or(0),
            }),
            external_link,
            input_fields: [text(self.field1), text(self.field2)]
                .into_iter()
                .filter(|f| !f.is_empty())
                .collect(),
            keywords: self
                .keywords
                .get_untracked()
                .split(['\n', ','])
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect(),
            codes: self.codes.get_untracked(),
            recipient_system_id: (!system.is_empty()).then_some(system),
            active: self.active.get_untracked(),
        }
    }

    pub(super) fn errors_for(
        &self,
        prefixes: &'static [&'static str],
    ) -> Signal<Vec<FieldMessage>> {
        errors_for(self.errors, prefixes)
    }
}
