//! The exemption wizard's state: the party found and every choice made, and the API bodies built
//! from them (a new exemption, or the change of one in force).

use adgang_api_types::{
    Address, ExemptionChange, FieldError, MailForwarding, NewExemption, PartyExemption, PartyKind,
};
use leptos::prelude::*;

use crate::api::exemptions::Change;
use crate::i18n::Key;

/// The wizard's state: what was found and what the user chose.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub(super) number: RwSignal<String>,
    pub(super) party: RwSignal<Option<PartyExemption>>,
    pub(super) power_of_attorney: RwSignal<Option<bool>>,
    pub(super) declined: RwSignal<bool>,
    pub(super) forward_to: RwSignal<MailForwarding>,
    pub(super) street: RwSignal<String>,
    pub(super) postal_code: RwSignal<String>,
    pub(super) city: RwSignal<String>,
    pub(super) note: RwSignal<String>,
    /// For an exemption in force: lift or (companies) renew.
    pub(super) change: RwSignal<Option<Change>>,
    pub(super) errors: RwSignal<Vec<FieldError>>,
    /// A choice the page itself requires before asking the API.
    pub(super) missing: RwSignal<Option<Key>>,
}

impl Draft {
    pub(super) fn new() -> Draft {
        Draft {
            number: RwSignal::new(String::new()),
            party: RwSignal::new(None),
            power_of_attorney: RwSignal::new(None),
            declined: RwSignal::new(false),
            forward_to: RwSignal::new(MailForwarding::RegisteredAddress),
            street: RwSignal::new(String::new()),
            postal_code: RwSignal::new(String::new()),
            city: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            change: RwSignal::new(None),
            errors: RwSignal::new(Vec::new()),
            missing: RwSignal::new(None),
        }
    }

    /// Everything chosen after the lookup back to its default (a new party).
    pub(super) fn reset_choices(self) {
        self.power_of_attorney.set(None);
        self.declined.set(false);
        self.forward_to.set(MailForwarding::RegisteredAddress);
        self.street.set(String::new());
        self.postal_code.set(String::new());
        self.city.set(String::new());
        self.note.set(String::new());
        self.change.set(None);
        self.errors.set(Vec::new());
        self.missing.set(None);
    }

    pub(super) fn in_force(self) -> Option<adgang_api_types::Exemption> {
        self.party
            .with(|p| p.as_ref().and_then(|p| p.exemption.clone()))
    }

    pub(super) fn forwarding(self) -> MailForwarding {
        if self.declined.get_untracked() {
            MailForwarding::Declined
        } else {
            self.forward_to.get_untracked()
        }
    }

    pub(super) fn note_value(self) -> Option<String> {
        let note = self.note.get_untracked();
        (!note.trim().is_empty()).then_some(note)
    }

    pub(super) fn new_exemption(self) -> NewExemption {
        let forwarding = self.forwarding();
        NewExemption {
            party: self
                .party
                .with_untracked(|p| p.as_ref().map(|p| p.party.clone()))
                .unwrap_or_default(),
            power_of_attorney: self.power_of_attorney.get_untracked().unwrap_or(false),
            forwarding,
            informed_of_consequences: forwarding == MailForwarding::Declined,
            alternative_address: (forwarding == MailForwarding::AlternativeAddress).then(|| {
                Address {
                    street: self.street.get_untracked(),
                    postal_code: self.postal_code.get_untracked(),
                    city: self.city.get_untracked(),
                }
            }),
            note: self.note_value(),
        }
    }

    pub(super) fn exemption_change(self) -> ExemptionChange {
        ExemptionChange {
            power_of_attorney: self.power_of_attorney.get_untracked().unwrap_or(false),
            note: self.note_value(),
        }
    }

    /// The change an exemption in force gets: citizens' can only be lifted.
    pub(super) fn chosen_change(self, kind: PartyKind) -> Option<Change> {
        match kind {
            PartyKind::Citizen => Some(Change::Lift),
            PartyKind::Company => self.change.get_untracked(),
        }
    }
}
