//! The built-in SMS gateway and mailer: outboxes in the database, written in the caller's
//! transaction, which the test portal shows. Production wires real adapters behind the same
//! ports of `core`.

use adgang_core::ports::{DynConnection, Mail, Mailer, Sms, SmsGateway};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::entity::{mail_outbox, sms_outbox};

pub struct SmsOutbox;

#[async_trait::async_trait]
impl SmsGateway for SmsOutbox {
    async fn send(
        &self,
        db: &dyn ConnectionTrait,
        sms: Sms,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sms_outbox::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            recipient_cpr: Set(sms.recipient_cpr),
            text: Set(sms.text),
            reference: Set(sms.reference),
            sent_at: Set(at),
        }
        .insert(&DynConnection(db))
        .await?;
        Ok(())
    }
}

pub struct MailOutbox;

#[async_trait::async_trait]
impl Mailer for MailOutbox {
    async fn send(
        &self,
        db: &dyn ConnectionTrait,
        mail: Mail,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        mail_outbox::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            recipient: Set(mail.to),
            subject: Set(mail.subject),
            body: Set(mail.body),
            sent_at: Set(at),
        }
        .insert(&DynConnection(db))
        .await?;
        Ok(())
    }
}
