//! CTX-02: an actions-log entry made by an operator acting on behalf of the organisation is
//! marked as such (the actor names the operator's home organisation).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::boolean;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ActionsLog::Table)
                    .add_column(boolean(ActionsLog::OnBehalf).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ActionsLog::Table)
                    .drop_column(ActionsLog::OnBehalf)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ActionsLog {
    Table,
    OnBehalf,
}
