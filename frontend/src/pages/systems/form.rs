//! The system form's state and fields, shared by the wizard and the detail page's edits:
//! one signal per field, conversion to the API's bodies, and inline field errors.

use adgang_api_types::{
    Activation, ActivationMode, FieldError, NewStandardSystem, NewSystem, Protocol, StandardSystem,
    System, SystemRole, SystemUpdate, TechnicalContact,
};
use leptos::prelude::*;

pub use crate::components::form::TextField;
use crate::components::form::{errors_for, group_class, ErrorText, FieldMessage, TextArea};
use crate::i18n::{use_i18n, Key};

/// The settings a saved system and a standard system share, as the draft loads them.
struct Settings<'a> {
    name: &'a str,
    role: SystemRole,
    protocol: Protocol,
    allowed_ips: &'a [String],
    endpoint: &'a Option<String>,
    receipt_endpoint: &'a Option<String>,
    ssh_public_key: &'a Option<String>,
    contact: &'a TechnicalContact,
}

/// Everything the user types, before it is sent.
#[derive(Clone, Copy)]
pub struct Draft {
    pub name: RwSignal<String>,
    pub role: RwSignal<SystemRole>,
    pub protocol: RwSignal<Protocol>,
    /// One entry per line (commas and spaces also separate).
    pub ips: RwSignal<String>,
    pub endpoint: RwSignal<String>,
    pub receipt_endpoint: RwSignal<String>,
    pub ssh_key: RwSignal<String>,
    pub vendor_cvr: RwSignal<String>,
    pub activation: RwSignal<ActivationMode>,
    /// `datetime-local` values, in Copenhagen time whatever the browser's zone.
    pub activation_at: RwSignal<String>,
    pub deactivate_at: RwSignal<String>,
    pub email: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub extra_email: RwSignal<String>,
    pub standard_system_id: RwSignal<Option<String>>,
    pub accept_vendor: RwSignal<bool>,
    /// SYS-15: move the organisation's Virk mail into the new REST PUSH recipient system.
    pub move_virk_mail: RwSignal<bool>,
    pub errors: RwSignal<Vec<FieldError>>,
}

impl Draft {
    /// SYS-15: a REST PUSH recipient system is offered the organisation's mail in Virk.
    pub fn takes_virk_mail(&self) -> bool {
        self.role.get().receives() && self.protocol.get() == Protocol::RestPush
    }

    pub fn new() -> Draft {
        Draft {
            name: RwSignal::new(String::new()),
            role: RwSignal::new(SystemRole::Recipient),
            protocol: RwSignal::new(Protocol::RestPush),
            ips: RwSignal::new(String::new()),
            endpoint: RwSignal::new(String::new()),
            receipt_endpoint: RwSignal::new(String::new()),
            ssh_key: RwSignal::new(String::new()),
            vendor_cvr: RwSignal::new(String::new()),
            activation: RwSignal::new(ActivationMode::Now),
            activation_at: RwSignal::new(String::new()),
            deactivate_at: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            extra_email: RwSignal::new(String::new()),
            standard_system_id: RwSignal::new(None),
            accept_vendor: RwSignal::new(false),
            move_virk_mail: RwSignal::new(false),
            errors: RwSignal::new(Vec::new()),
        }
    }

    /// Fills the draft from a saved system (the detail page's edits).
    pub fn load(&self, s: &System) {
        self.load_settings(Settings {
            name: &s.name,
            role: s.role,
            protocol: s.protocol,
            allowed_ips: &s.allowed_ips,
            endpoint: &s.endpoint,
            receipt_endpoint: &s.receipt_endpoint,
            ssh_public_key: &s.ssh_public_key,
            contact: &s.technical_contact,
        });
        self.vendor_cvr
            .set(s.vendor_cvr.clone().unwrap_or_default());
        self.activation.set(match s.active_from {
            Some(_) => ActivationMode::At,
            None => ActivationMode::None,
        });
        self.activation_at
            .set(s.active_from.map(crate::time::to_input).unwrap_or_default());
        self.deactivate_at
            .set(s.active_to.map(crate::time::to_input).unwrap_or_default());
        self.errors.set(Vec::new());
    }

    /// Fills the settings a saved system and a standard system share.
    fn load_settings(&self, settings: Settings) {
        let Settings {
            name,
            role,
            protocol,
            allowed_ips,
            endpoint,
            receipt_endpoint,
            ssh_public_key,
            contact,
        } = settings;
        self.name.set(name.to_owned());
        self.role.set(role);
        self.protocol.set(protocol);
        self.ips.set(allowed_ips.join("\n"));
        self.endpoint.set(endpoint.clone().unwrap_or_default());
        self.receipt_endpoint
            .set(receipt_endpoint.clone().unwrap_or_default());
        self.ssh_key.set(ssh_public_key.clone().unwrap_or_default());
        self.email.set(contact.email.clone());
        self.phone.set(contact.phone.clone());
        self.extra_email
            .set(contact.extra_email.clone().unwrap_or_default());
    }

    fn optional(signal: RwSignal<String>) -> Option<String> {
        let value = signal.get_untracked().trim().to_owned();
        (!value.is_empty()).then_some(value)
    }

    fn ip_list(&self) -> Vec<String> {
        self.ips
            .get_untracked()
            .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Only the details the role/protocol combination uses are sent.
    fn details(&self) -> (Option<String>, Option<String>, Option<String>) {
        let needs = adgang_api_types::required_details(
            self.role.get_untracked(),
            self.protocol.get_untracked(),
        );
        let pick = |wanted: bool, signal| {
            if wanted {
                Draft::optional(signal)
            } else {
                None
            }
        };
        match needs {
            Some(d) => (
                pick(d.endpoint, self.endpoint),
                pick(d.receipt_endpoint, self.receipt_endpoint),
                pick(d.ssh_public_key, self.ssh_key),
            ),
            None => (None, None, None),
        }
    }

    fn activation_value(&self) -> Activation {
        let mode = self.activation.get_untracked();
        Activation {
            mode,
            at: (mode == ActivationMode::At)
                .then(|| crate::time::from_input(&self.activation_at.get_untracked()))
                .flatten(),
        }
    }

    fn contact(&self) -> TechnicalContact {
        TechnicalContact {
            email: self.email.get_untracked(),
            phone: self.phone.get_untracked(),
            extra_email: Draft::optional(self.extra_email),
        }
    }

    pub fn new_system(&self) -> NewSystem {
        let (endpoint, receipt_endpoint, ssh_public_key) = self.details();
        NewSystem {
            name: self.name.get_untracked(),
            role: self.role.get_untracked(),
            protocol: self.protocol.get_untracked(),
            allowed_ips: self.ip_list(),
            endpoint,
            receipt_endpoint,
            ssh_public_key,
            vendor_cvr: Draft::optional(self.vendor_cvr),
            activation: self.activation_value(),
            deactivate_at: crate::time::from_input(&self.deactivate_at.get_untracked()),
            technical_contact: self.contact(),
            standard_system_id: self.standard_system_id.get_untracked(),
            accept_vendor_agreement: self.accept_vendor.get_untracked(),
            // Offered only where it applies (SYS-15); a choice left behind by going back does
            // not travel.
            move_virk_mail: self.move_virk_mail.get_untracked() && self.takes_virk_mail(),
        }
    }

    /// SYS-09: fills the draft from a vendor's standard system (the vendor's own page).
    pub fn load_standard(&self, s: &StandardSystem) {
        self.load_standard_defaults();
        self.load_settings(Settings {
            name: &s.name,
            role: s.role,
            protocol: s.protocol,
            allowed_ips: &s.allowed_ips,
            endpoint: &s.endpoint,
            receipt_endpoint: &s.receipt_endpoint,
            ssh_public_key: &s.ssh_public_key,
            contact: &s.technical_contact,
        });
    }

    /// An empty draft for a new standard system.
    pub fn load_standard_defaults(&self) {
        let empty = Draft::new();
        for (to, from) in [
            (self.name, empty.name),
            (self.ips, empty.ips),
            (self.endpoint, empty.endpoint),
            (self.receipt_endpoint, empty.receipt_endpoint),
            (self.ssh_key, empty.ssh_key),
            (self.email, empty.email),
            (self.phone, empty.phone),
            (self.extra_email, empty.extra_email),
        ] {
            to.set(from.get_untracked());
        }
        self.role.set(SystemRole::Recipient);
        self.protocol.set(Protocol::RestPush);
        self.errors.set(Vec::new());
    }

    /// The draft as a standard system to publish (SYS-09).
    pub fn standard(&self) -> NewStandardSystem {
        let (endpoint, receipt_endpoint, ssh_public_key) = self.details();
        NewStandardSystem {
            name: self.name.get_untracked(),
            role: self.role.get_untracked(),
            protocol: self.protocol.get_untracked(),
            allowed_ips: self.ip_list(),
            endpoint,
            receipt_endpoint,
            ssh_public_key,
            technical_contact: self.contact(),
        }
    }

    /// `with_activation`: send the activation (only when the user edited it).
    pub fn update(&self, with_activation: bool) -> SystemUpdate {
        let (endpoint, receipt_endpoint, ssh_public_key) = self.details();
        SystemUpdate {
            name: self.name.get_untracked(),
            role: self.role.get_untracked(),
            protocol: self.protocol.get_untracked(),
            allowed_ips: self.ip_list(),
            endpoint,
            receipt_endpoint,
            ssh_public_key,
            vendor_cvr: Draft::optional(self.vendor_cvr),
            activation: with_activation.then(|| self.activation_value()),
            deactivate_at: crate::time::from_input(&self.deactivate_at.get_untracked()),
            technical_contact: self.contact(),
        }
    }

    /// The error texts for fields whose name starts with any of `prefixes`.
    pub fn errors_for(&self, prefixes: &'static [&'static str]) -> Signal<Vec<FieldMessage>> {
        errors_for(self.errors, prefixes)
    }
}

pub fn role_key(role: SystemRole) -> Key {
    match role {
        SystemRole::Sender => Key::role_sender,
        SystemRole::Recipient => Key::role_recipient,
        SystemRole::SenderRecipient => Key::role_sender_recipient,
    }
}

pub fn protocol_key(protocol: Protocol) -> Key {
    match protocol {
        Protocol::RestPush => Key::protocol_rest_push,
        Protocol::RestPull => Key::protocol_rest_pull,
        Protocol::RestPublishSubscribe => Key::protocol_rest_publish_subscribe,
        Protocol::Sftp => Key::protocol_sftp,
    }
}

pub fn status_key(status: adgang_api_types::SystemStatus) -> Key {
    use adgang_api_types::SystemStatus as S;
    match status {
        S::NotActivated => Key::status_not_activated,
        S::Scheduled => Key::status_scheduled,
        S::Active => Key::status_active,
        S::Deactivated => Key::status_deactivated,
    }
}

/// Name and role (wizard step 2).
#[component]
pub fn NameAndRole(draft: Draft, #[prop(optional)] locked: bool) -> impl IntoView {
    let i18n = use_i18n();
    let role_errors = draft.errors_for(&["role"]);
    view! {
        <TextField id="system-name" label=Key::wiz_name value=draft.name errors=draft.errors_for(&["name"])/>
        <fieldset class=group_class(role_errors)>
            <legend class="form-label">{i18n.text(Key::wiz_role)}</legend>
            <ErrorText errors=role_errors id="system-role-error".to_owned()/>
            {SystemRole::ALL.into_iter().map(|role| {
                let id = format!("role-{}", role.as_str());
                view! {
                    <div class="form-group-radio">
                        <input type="radio" class="form-radio" name="system-role" id=id.clone() disabled=locked
                            prop:checked=move || draft.role.get() == role
                            on:change=move |_| {
                                draft.role.set(role);
                                // Keep a protocol the new role allows.
                                if adgang_api_types::required_details(role, draft.protocol.get_untracked()).is_none() {
                                    draft.protocol.set(Protocol::RestPull);
                                }
                            }/>
                        <label for=id>{move || i18n.t(role_key(role))}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Protocol and the details it needs (wizard step 3).
#[component]
pub fn ProtocolAndDetails(
    draft: Draft,
    #[prop(optional)] locked: bool,
    #[prop(optional)] protocol_locked: bool,
    /// A vendor's own standard system has no vendor to give power of attorney to.
    #[prop(optional)]
    without_vendor: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let protocol_errors = draft.errors_for(&["protocol"]);
    let ssh_file_refused = RwSignal::new(None::<Key>);
    let needs = move || adgang_api_types::required_details(draft.role.get(), draft.protocol.get());
    view! {
        <fieldset class=group_class(protocol_errors)>
            <legend class="form-label">{i18n.text(Key::wiz_protocol)}</legend>
            <ErrorText errors=protocol_errors id="system-protocol-error".to_owned()/>
            {move || {
                let role = draft.role.get();
                Protocol::ALL.into_iter()
                    .filter(move |p| adgang_api_types::required_details(role, *p).is_some())
                    .map(|protocol| {
                        let id = format!("protocol-{}", protocol.as_str());
                        view! {
                            <div class="form-group-radio">
                                <input type="radio" class="form-radio" name="system-protocol" id=id.clone()
                                    disabled=locked || protocol_locked
                                    prop:checked=move || draft.protocol.get() == protocol
                                    on:change=move |_| draft.protocol.set(protocol)/>
                                <label for=id>{move || i18n.t(protocol_key(protocol))}</label>
                            </div>
                        }
                    }).collect_view()
            }}
            {protocol_locked.then(|| view! { <span class="form-hint">{i18n.text(Key::detail_locked_active)}</span> })}
        </fieldset>
        <TextArea id="system-ips" label=Key::wiz_ips value=draft.ips hint=Key::wiz_ips_hint
            errors=draft.errors_for(&["allowedIps"]) disabled=locked/>
        <Show when=move || needs().is_some_and(|d| d.endpoint)>
            <TextField id="system-endpoint" label=Key::wiz_endpoint value=draft.endpoint hint=Key::wiz_url_hint
                errors=draft.errors_for(&["endpoint"]) disabled=locked/>
        </Show>
        <Show when=move || needs().is_some_and(|d| d.receipt_endpoint)>
            <TextField id="system-receipt-endpoint" label=Key::wiz_receipt_endpoint value=draft.receipt_endpoint
                hint=Key::wiz_url_hint errors=draft.errors_for(&["receiptEndpoint"]) disabled=locked/>
        </Show>
        <Show when=move || needs().is_some_and(|d| d.ssh_public_key)>
            <TextArea id="system-ssh-key" label=Key::wiz_ssh_key value=draft.ssh_key hint=Key::wiz_ssh_hint
                errors=draft.errors_for(&["sshPublicKey"]) disabled=locked/>
            // §5.3 step 4: the key can be uploaded as a file as well as pasted; the file's text
            // lands in the field above (checked by the API like a pasted key).
            <Show when=move || !locked>
                <div class="form-group">
                    <label class="form-label" for="system-ssh-key-file">{i18n.text(Key::wiz_ssh_file)}</label>
                    {move || ssh_file_refused.get().map(|k| view! {
                        <span class="form-error-message" id="system-ssh-key-file-error">{i18n.t(k)}</span>
                    })}
                    <input type="file" class="form-input" id="system-ssh-key-file" accept=".pub,text/plain"
                        on:change=move |ev| read_key_file(ev, draft.ssh_key, ssh_file_refused)/>
                </div>
            </Show>
        </Show>
        <Show when=move || !locked && !without_vendor>
            <TextField id="system-vendor" label=Key::wiz_vendor value=draft.vendor_cvr hint=Key::wiz_vendor_hint
                errors=draft.errors_for(&["vendorCvr"])/>
        </Show>
    }
}

/// The largest file taken as a public SSH key (an RSA 16384-bit key is under 3 KB).
const SSH_KEY_FILE_MAX: f64 = 16.0 * 1024.0;

/// Reads the chosen key file's text into `key` (SYS-03, §5.3 step 4). A file too large to be a
/// public key, or a private key (chosen by mistake: it must never leave the user's machine),
/// is refused here and not sent; a public key's text is judged by the API like a pasted one.
fn read_key_file(ev: leptos::ev::Event, key: RwSignal<String>, refused: RwSignal<Option<Key>>) {
    let Some(file) = crate::components::form::chosen_file(&ev) else {
        return;
    };
    if file.size() > SSH_KEY_FILE_MAX {
        refused.set(Some(Key::wiz_ssh_file_too_large));
        return;
    }
    refused.set(None);
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
            if let Some(text) = text.as_string() {
                let text = text.trim();
                let public = ["ssh-", "ecdsa-", "sk-"]
                    .iter()
                    .any(|p| text.starts_with(p))
                    && !text.contains("PRIVATE KEY");
                if public {
                    let _ = key.try_set(text.to_owned());
                } else {
                    let _ = refused.try_set(Some(Key::wiz_ssh_file_not_public));
                }
            }
        }
    });
}

/// Activation and deactivation (wizard step 4).
#[component]
pub fn ActivationFields(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let errors = draft.errors_for(&["activation", "activation.at"]);
    view! {
        <fieldset class=group_class(errors)>
            <legend class="form-label">{i18n.text(Key::wiz_step_activation)}</legend>
            <ErrorText errors=errors id="system-activation-error".to_owned()/>
            {[(ActivationMode::Now, Key::wiz_activation_now, "activation-now"),
              (ActivationMode::At, Key::wiz_activation_at, "activation-at"),
              (ActivationMode::None, Key::wiz_activation_none, "activation-none")]
                .into_iter().map(|(mode, key, id)| view! {
                    <div class="form-group-radio">
                        <input type="radio" class="form-radio" name="system-activation" id=id
                            prop:checked=move || draft.activation.get() == mode
                            on:change=move |_| draft.activation.set(mode)/>
                        <label for=id>{move || i18n.t(key)}</label>
                    </div>
                }).collect_view()}
        </fieldset>
        <Show when=move || draft.activation.get() == ActivationMode::At>
            <TextField id="system-activation-at" label=Key::wiz_activation_time value=draft.activation_at
                input_type="datetime-local" errors=draft.errors_for(&["activation.at"])/>
        </Show>
        <Show when=move || draft.activation.get() != ActivationMode::None>
            <TextField id="system-deactivate-at" label=Key::wiz_deactivation value=draft.deactivate_at
                input_type="datetime-local" errors=draft.errors_for(&["deactivateAt"])/>
        </Show>
    }
}

/// Technical contact (wizard step 5), with the guide's warning against personal details. With a
/// standard system (`locked`) e-mail and phone are the vendor's; the extra e-mail stays the
/// organisation's own (§5.6 step 5).
#[component]
pub fn ContactFields(draft: Draft, #[prop(optional)] locked: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-warning" role="note">
            <div class="alert-body"><p class="alert-text">{i18n.text(Key::wiz_contact_warning)}</p></div>
        </div>
        <TextField id="contact-email" label=Key::wiz_contact_email value=draft.email input_type="email"
            errors=draft.errors_for(&["technicalContact.email", "technicalContact"]) disabled=locked/>
        <TextField id="contact-phone" label=Key::wiz_contact_phone value=draft.phone input_type="tel"
            errors=draft.errors_for(&["technicalContact.phone"]) disabled=locked/>
        {locked.then(|| view! {
            <div class="alert alert-info" role="note"><div class="alert-body"><p class="alert-text">{i18n.text(Key::wiz_contact_locked_hint)}</p></div></div>
        })}
        <TextField id="contact-extra" label=Key::wiz_contact_extra value=draft.extra_email input_type="email"
            errors=draft.errors_for(&["technicalContact.extraEmail"])/>
    }
}
