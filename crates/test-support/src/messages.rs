//! Messages written straight into the database, as the Digital Post core leaves them — for tests
//! that need thousands (a crash mid-move, two instances) faster than intake takes them.

use adgang_messaging::entity::message;
use chrono::{DateTime, Utc};
use sea_orm::Set;

/// A letter `id` from `sender_cvr`'s system `sender_system_id` to `recipient`, accepted at `at`
/// and lying in the recipient's Virk mailbox. Change the fields a test needs otherwise (route,
/// state, recipient system) on the returned model.
pub fn in_virk(
    id: &str,
    sender_cvr: &str,
    sender_system_id: &str,
    recipient: &str,
    at: DateTime<Utc>,
) -> message::ActiveModel {
    message::ActiveModel {
        id: Set(id.to_owned()),
        message_id: Set(id.to_owned()),
        sender_cvr: Set(sender_cvr.to_owned()),
        sender_system_id: Set(sender_system_id.to_owned()),
        recipient_id: Set(recipient.to_owned()),
        title: Set("Brev".to_owned()),
        message_type: Set("letter".to_owned()),
        value_date: Set(None),
        contact_point_id: Set(None),
        attachment_count: Set(0),
        size_bytes: Set(3),
        content_hash: Set(String::new()),
        content: Set(format!(r#"{{"messageId":"{id}"}}"#)),
        route: Set("platform".to_owned()),
        platform: Set(Some("virk".to_owned())),
        recipient_system_id: Set(None),
        state: Set("available".to_owned()),
        vendor_cvr: Set(None),
        accepted_at: Set(at),
        released_at: Set(None),
        delivered_at: Set(Some(at)),
        opened_at: Set(None),
        queued_at: Set(None),
    }
}

/// The statistics scheduler as a server instance runs it (the test app's own is off), sending
/// its e-mail through `mailer`.
pub async fn statistics_worker(
    app: &crate::TestApp,
    mailer: std::sync::Arc<dyn adgang_core::ports::Mailer>,
) -> adgang_statistics::ProductionWorker {
    let db = app.writer.clone();
    adgang_statistics::ProductionWorker::new(
        db.clone(),
        app.clock.clone(),
        std::sync::Arc::new(adgang_messaging::MessageTalliesPort),
        std::sync::Arc::new(adgang_identity::ports::IdentityDirectory {
            db,
            clock: app.clock.clone(),
        }),
        mailer,
    )
}
