pub mod giver;
pub mod mail_access;
pub mod receipt;
