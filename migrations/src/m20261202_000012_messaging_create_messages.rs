//! The Digital Post core (SPEC §13, issue 14): accepted messages, their delivery jobs (the
//! transactional outbox, CORE-05), business receipts, delivery attempts, the SMS and e-mail
//! outboxes, and the
//! message log (LOG-01), append-only by trigger like the other logs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn id(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .string_len(36)
        .not_null()
        .primary_key()
        .to_owned()
}

fn time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(id(Messages::Id))
                    .col(
                        ColumnDef::new(Messages::MessageId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Messages::SenderCvr).string_len(8).not_null())
                    .col(
                        ColumnDef::new(Messages::SenderSystemId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Messages::RecipientId)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Messages::Title).string_len(255).not_null())
                    .col(
                        ColumnDef::new(Messages::MessageType)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Messages::ValueDate).date().null())
                    .col(
                        ColumnDef::new(Messages::ContactPointId)
                            .string_len(36)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Messages::AttachmentCount)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Messages::SizeBytes).big_integer().not_null())
                    .col(
                        ColumnDef::new(Messages::ContentHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Messages::Content).text().not_null())
                    .col(ColumnDef::new(Messages::Route).string_len(16).not_null())
                    .col(ColumnDef::new(Messages::Platform).string_len(8).null())
                    .col(
                        ColumnDef::new(Messages::RecipientSystemId)
                            .string_len(36)
                            .null(),
                    )
                    .col(ColumnDef::new(Messages::State).string_len(24).not_null())
                    .col(
                        ColumnDef::new(Messages::RepresentativeId)
                            .string_len(8)
                            .null(),
                    )
                    .col(time(Messages::AcceptedAt))
                    .col(
                        ColumnDef::new(Messages::ReleasedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Messages::DeliveredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
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
                    .col(
                        ColumnDef::new(DeliveryJobs::MessagePk)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(DeliveryJobs::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(DeliveryJobs::SystemId).string_len(36).null())
                    .col(ColumnDef::new(DeliveryJobs::Attempts).integer().not_null())
                    .col(ColumnDef::new(DeliveryJobs::Fallback).boolean().not_null())
                    .col(
                        ColumnDef::new(DeliveryJobs::ReceiptId)
                            .string_len(36)
                            .null(),
                    )
                    .col(time(DeliveryJobs::FirstSentAt))
                    .col(time(DeliveryJobs::DueAt))
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
                    .col(
                        ColumnDef::new(DeliveryAttempts::SystemId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeliveryAttempts::MessageId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(time(DeliveryAttempts::AttemptedAt))
                    .col(ColumnDef::new(DeliveryAttempts::Endpoint).text().not_null())
                    .col(
                        ColumnDef::new(DeliveryAttempts::HttpStatus)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(DeliveryAttempts::Error).text().null())
                    .col(
                        ColumnDef::new(DeliveryAttempts::LatencyMs)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeliveryAttempts::Succeeded)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeliveryAttempts::NextAttemptAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(DeliveryAttempts::Test).boolean().not_null())
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
                    .col(
                        ColumnDef::new(BusinessReceipts::MessagePk)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessReceipts::FromSystemId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessReceipts::ToSystemId)
                            .string_len(36)
                            .not_null(),
                    )
                    .col(ColumnDef::new(BusinessReceipts::Content).text().not_null())
                    .col(
                        ColumnDef::new(BusinessReceipts::State)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(time(BusinessReceipts::ReceivedAt))
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
                    .col(
                        ColumnDef::new(SmsOutbox::RecipientCpr)
                            .string_len(10)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SmsOutbox::Text).text().not_null())
                    .col(
                        ColumnDef::new(SmsOutbox::Reference)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(time(SmsOutbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .col(id(MailOutbox::Id))
                    .col(
                        ColumnDef::new(MailOutbox::Recipient)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MailOutbox::Subject)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(ColumnDef::new(MailOutbox::Body).text().not_null())
                    .col(time(MailOutbox::SentAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MessageEvents::Table)
                    .col(id(MessageEvents::Id))
                    .col(
                        ColumnDef::new(MessageEvents::OrganisationCvr)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::Direction)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::Event)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(time(MessageEvents::OccurredAt))
                    .col(
                        ColumnDef::new(MessageEvents::MessageId)
                            .string_len(36)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::SystemId)
                            .string_len(36)
                            .null(),
                    )
                    .col(ColumnDef::new(MessageEvents::Title).string_len(255).null())
                    .col(
                        ColumnDef::new(MessageEvents::MessageType)
                            .string_len(16)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::SenderId)
                            .string_len(10)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::RecipientId)
                            .string_len(10)
                            .null(),
                    )
                    .col(ColumnDef::new(MessageEvents::ValueDate).date().null())
                    .col(
                        ColumnDef::new(MessageEvents::ContactPointId)
                            .string_len(36)
                            .null(),
                    )
                    .col(ColumnDef::new(MessageEvents::Endpoint).text().null())
                    .col(ColumnDef::new(MessageEvents::ErrorMessage).text().null())
                    .col(
                        ColumnDef::new(MessageEvents::AttachmentCount)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::ContentResponsibleId)
                            .string_len(8)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(MessageEvents::RepresentativeId)
                            .string_len(8)
                            .null(),
                    )
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
