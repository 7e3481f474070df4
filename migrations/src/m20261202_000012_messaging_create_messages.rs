//! The Digital Post core (SPEC §13, issue 14): accepted messages, their delivery jobs (the
//! transactional outbox, CORE-05), business receipts, delivery attempts, the SMS and e-mail
//! outboxes, and the
//! message log (LOG-01), append-only by trigger like the other logs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, boolean, date_null, integer, integer_null, string_len, string_len_null, text,
    text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id(column: impl IntoIden) -> ColumnDef {
    string_len(column, 36).primary_key().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(id(Messages::Id))
                    .col(string_len(Messages::MessageId, 36))
                    .col(string_len(Messages::SenderCvr, 8))
                    .col(string_len(Messages::SenderSystemId, 36))
                    .col(string_len(Messages::RecipientId, 10))
                    .col(string_len(Messages::Title, 255))
                    .col(string_len(Messages::MessageType, 16))
                    .col(date_null(Messages::ValueDate))
                    .col(string_len_null(Messages::ContactPointId, 36))
                    .col(integer(Messages::AttachmentCount))
                    .col(big_integer(Messages::SizeBytes))
                    .col(string_len(Messages::ContentHash, 64))
                    .col(text(Messages::Content))
                    .col(string_len(Messages::Route, 16))
                    .col(string_len_null(Messages::Platform, 8))
                    .col(string_len_null(Messages::RecipientSystemId, 36))
                    .col(string_len(Messages::State, 24))
                    .col(string_len_null(Messages::RepresentativeId, 8))
                    .col(timestamp_with_time_zone(Messages::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Messages::ReleasedAt))
                    .col(timestamp_with_time_zone_null(Messages::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        // Idempotency (CORE-01): one message per sender and message id.
        manager
            .create_index(
                Index::create()
                    .name("ux_messages_sender_message")
                    .table(Messages::Table)
                    .col(Messages::SenderCvr)
                    .col(Messages::MessageId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A pull system's queue (CORE-03) and a recipient's platform mailbox (move mail, MV).
        manager
            .create_index(
                Index::create()
                    .name("ix_messages_recipient_system_state")
                    .table(Messages::Table)
                    .col(Messages::RecipientSystemId)
                    .col(Messages::State)
                    .col(Messages::AcceptedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_messages_recipient_platform")
                    .table(Messages::Table)
                    .col(Messages::RecipientId)
                    .col(Messages::Platform)
                    .col(Messages::AcceptedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DeliveryJobs::Table)
                    .col(id(DeliveryJobs::Id))
                    .col(string_len(DeliveryJobs::MessagePk, 36))
                    .col(string_len(DeliveryJobs::Kind, 16))
                    .col(string_len_null(DeliveryJobs::SystemId, 36))
                    .col(integer(DeliveryJobs::Attempts))
                    .col(boolean(DeliveryJobs::Fallback))
                    .col(string_len_null(DeliveryJobs::ReceiptId, 36))
                    .col(timestamp_with_time_zone(DeliveryJobs::FirstSentAt))
                    .col(timestamp_with_time_zone(DeliveryJobs::DueAt))
                    .to_owned(),
            )
            .await?;
        // Workers claim the earliest due jobs: a range scan of this index, never a full scan.
        manager
            .create_index(
                Index::create()
                    .name("ix_delivery_jobs_due")
                    .table(DeliveryJobs::Table)
                    .col(DeliveryJobs::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_delivery_jobs_message")
                    .table(DeliveryJobs::Table)
                    .col(DeliveryJobs::MessagePk)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DeliveryAttempts::Table)
                    .col(id(DeliveryAttempts::Id))
                    .col(string_len(DeliveryAttempts::SystemId, 36))
                    .col(string_len(DeliveryAttempts::MessageId, 36))
                    .col(timestamp_with_time_zone(DeliveryAttempts::AttemptedAt))
                    .col(text(DeliveryAttempts::Endpoint))
                    .col(integer_null(DeliveryAttempts::HttpStatus))
                    .col(text_null(DeliveryAttempts::Error))
                    .col(integer(DeliveryAttempts::LatencyMs))
                    .col(boolean(DeliveryAttempts::Succeeded))
                    .col(timestamp_with_time_zone_null(
                        DeliveryAttempts::NextAttemptAt,
                    ))
                    .col(boolean(DeliveryAttempts::Test))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_delivery_attempts_system_time")
                    .table(DeliveryAttempts::Table)
                    .col(DeliveryAttempts::SystemId)
                    .col(DeliveryAttempts::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        // Business receipts from recipient systems on their way to the sender (CORE-03).
        manager
            .create_table(
                Table::create()
                    .table(BusinessReceipts::Table)
                    .col(id(BusinessReceipts::Id))
                    .col(string_len(BusinessReceipts::MessagePk, 36))
                    .col(string_len(BusinessReceipts::FromSystemId, 36))
                    .col(string_len(BusinessReceipts::ToSystemId, 36))
                    .col(text(BusinessReceipts::Content))
                    .col(string_len(BusinessReceipts::State, 16))
                    .col(timestamp_with_time_zone(BusinessReceipts::ReceivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_business_receipts_to_state")
                    .table(BusinessReceipts::Table)
                    .col(BusinessReceipts::ToSystemId)
                    .col(BusinessReceipts::State)
                    .col(BusinessReceipts::ReceivedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SmsOutbox::Table)
                    .col(id(SmsOutbox::Id))
                    .col(string_len(SmsOutbox::RecipientCpr, 10))
                    .col(text(SmsOutbox::Text))
                    .col(string_len(SmsOutbox::Reference, 64))
                    .col(timestamp_with_time_zone(SmsOutbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .col(id(MailOutbox::Id))
                    .col(string_len(MailOutbox::Recipient, 255))
                    .col(string_len(MailOutbox::Subject, 255))
                    .col(text(MailOutbox::Body))
                    .col(timestamp_with_time_zone(MailOutbox::SentAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MessageEvents::Table)
                    .col(id(MessageEvents::Id))
                    .col(string_len(MessageEvents::OrganisationCvr, 8))
                    .col(string_len(MessageEvents::Direction, 8))
                    .col(string_len(MessageEvents::Event, 32))
                    .col(timestamp_with_time_zone(MessageEvents::OccurredAt))
                    .col(string_len_null(MessageEvents::MessageId, 36))
                    .col(string_len_null(MessageEvents::SystemId, 36))
                    .col(string_len_null(MessageEvents::Title, 255))
                    .col(string_len_null(MessageEvents::MessageType, 16))
                    .col(string_len_null(MessageEvents::SenderId, 10))
                    .col(string_len_null(MessageEvents::RecipientId, 10))
                    .col(date_null(MessageEvents::ValueDate))
                    .col(string_len_null(MessageEvents::ContactPointId, 36))
                    .col(text_null(MessageEvents::Endpoint))
                    .col(text_null(MessageEvents::ErrorMessage))
                    .col(integer_null(MessageEvents::AttachmentCount))
                    .col(string_len_null(MessageEvents::ContentResponsibleId, 8))
                    .col(string_len_null(MessageEvents::RepresentativeId, 8))
                    .check(Expr::col(MessageEvents::Direction).is_in(["outgoing", "incoming"]))
                    .to_owned(),
            )
            .await?;
        // The log searches (LOG-01): always one organisation and a period, then one filter.
        for (name, column) in [
            ("ix_message_events_org_time", None),
            (
                "ix_message_events_org_sender",
                Some(MessageEvents::SenderId),
            ),
            (
                "ix_message_events_org_recipient",
                Some(MessageEvents::RecipientId),
            ),
            (
                "ix_message_events_org_message",
                Some(MessageEvents::MessageId),
            ),
            (
                "ix_message_events_org_system",
                Some(MessageEvents::SystemId),
            ),
            ("ix_message_events_org_event", Some(MessageEvents::Event)),
        ] {
            let mut index = Index::create();
            index
                .name(name)
                .table(MessageEvents::Table)
                .col(MessageEvents::OrganisationCvr);
            if let Some(column) = column {
                index.col(column);
            }
            index.col(MessageEvents::OccurredAt);
            manager.create_index(index.to_owned()).await?;
        }

        // Append-only (LOG-06), as the actions and searches logs (the PostgreSQL function
        // `adgang_append_only` exists since the audit-log migration).
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TRIGGER message_events_append_only BEFORE UPDATE OR DELETE ON \
                     message_events FOR EACH ROW EXECUTE FUNCTION adgang_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER message_events_no_truncate BEFORE TRUNCATE ON \
                     message_events FOR EACH STATEMENT EXECUTE FUNCTION adgang_append_only()",
                )
                .await?;
            }
            DatabaseBackend::Sqlite => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER message_events_no_{} BEFORE {op} ON message_events \
                         BEGIN SELECT RAISE(ABORT, 'message_events is append-only'); END",
                        op.to_lowercase()
                    ))
                    .await?;
                }
            }
            DatabaseBackend::MySql => {
                return Err(DbErr::Migration("MySQL is not supported".to_owned()));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MessageEvents::Table.into_iden(),
            MailOutbox::Table.into_iden(),
            SmsOutbox::Table.into_iden(),
            DeliveryAttempts::Table.into_iden(),
            BusinessReceipts::Table.into_iden(),
            DeliveryJobs::Table.into_iden(),
            Messages::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    MessageId,
    SenderCvr,
    SenderSystemId,
    RecipientId,
    Title,
    MessageType,
    ValueDate,
    ContactPointId,
    AttachmentCount,
    SizeBytes,
    ContentHash,
    Content,
    Route,
    Platform,
    RecipientSystemId,
    State,
    RepresentativeId,
    AcceptedAt,
    ReleasedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum DeliveryJobs {
    Table,
    Id,
    MessagePk,
    Kind,
    SystemId,
    Attempts,
    Fallback,
    ReceiptId,
    FirstSentAt,
    DueAt,
}

#[derive(DeriveIden)]
enum BusinessReceipts {
    Table,
    Id,
    MessagePk,
    FromSystemId,
    ToSystemId,
    Content,
    State,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum DeliveryAttempts {
    Table,
    Id,
    SystemId,
    MessageId,
    AttemptedAt,
    Endpoint,
    HttpStatus,
    Error,
    LatencyMs,
    Succeeded,
    NextAttemptAt,
    Test,
}

#[derive(DeriveIden)]
enum SmsOutbox {
    Table,
    Id,
    RecipientCpr,
    Text,
    Reference,
    SentAt,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    Recipient,
    Subject,
    Body,
    SentAt,
}

#[derive(DeriveIden)]
enum MessageEvents {
    Table,
    Id,
    OrganisationCvr,
    Direction,
    Event,
    OccurredAt,
    MessageId,
    SystemId,
    Title,
    MessageType,
    SenderId,
    RecipientId,
    ValueDate,
    ContactPointId,
    Endpoint,
    ErrorMessage,
    AttachmentCount,
    ContentResponsibleId,
    RepresentativeId,
}
