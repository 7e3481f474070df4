pub mod machine_client;
pub mod organisation;
pub mod session;
pub mod signed_agreement;
pub mod user;
pub mod user_right;
