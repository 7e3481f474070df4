//! The receipt of a new access, with its PDF and "Gå til Adgang".

use adgang_api_types::{MailAccessReceipt, PartyKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{expiry_text, level_key};
use crate::api::{self, Authorised};
use crate::auth::use_auth;
use crate::components::alert::FailedAlert;
use crate::components::party::party_text;
use crate::components::receipt::ReceiptButtons;
use crate::components::wizard::STEP_HEADING;
use crate::i18n::{use_i18n, Key};

#[component]
pub fn AccessReceipt(receipt: MailAccessReceipt, on_back: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let failed = RwSignal::new(false);
    let stored = StoredValue::new(receipt.clone());
    let download = move |_: leptos::ev::MouseEvent| {
        let Some(client) = Authorised::of(auth) else {
            return;
        };
        let done = stored.get_value();
        spawn_local(async move {
            if api::mail_access::download_receipt(&client, &done)
                .await
                .is_err()
            {
                failed.set(true);
            }
        });
    };
    let access = &receipt.access;
    let lifted = if receipt.exemption_lifted {
        Key::acc_receipt_lifted
    } else {
        Key::acc_receipt_not_lifted
    };
    view! {
        <div id="access-receipt">
            <h2 id=STEP_HEADING tabindex="-1">{i18n.text(Key::receipt_heading)}</h2>
            <FailedAlert failed=failed/>
            <div class="alert alert-success" role="status">
                <div class="alert-body">
                    <p class="alert-text" id="access-receipt-text">{i18n.text(Key::acc_receipt_created)}" "{i18n.text(lifted)}</p>
                </div>
            </div>
            <dl>
                <div class="summary-row"><dt>{i18n.text(Key::acc_giver)}</dt><dd>{format!("{} ({})", receipt.giver_name, party_text(PartyKind::Citizen, &receipt.giver))}</dd></div>
                <div class="summary-row"><dt>{i18n.text(Key::acc_holder_row)}</dt><dd>{format!("{} ({})", access.holder_name, party_text(access.holder_kind, &access.holder))}</dd></div>
                <div class="summary-row"><dt>{i18n.text(Key::acc_level)}</dt><dd>{i18n.text(level_key(access.level))}</dd></div>
                <div class="summary-row"><dt>{i18n.text(Key::acc_col_expires)}</dt><dd>{expiry_text(i18n, access)}</dd></div>
                <div class="summary-row"><dt>{i18n.text(Key::acc_col_created)}</dt><dd>{crate::time::display(access.created_at)}</dd></div>
            </dl>
            <ReceiptButtons download=download>
                <button type="button" class="button button-secondary" id="access-back" on:click=move |_| on_back.run(())>
                    {i18n.text(Key::acc_back)}
                </button>
            </ReceiptButtons>
        </div>
    }
}
