pub mod contacts;
pub mod front;
pub mod login_error;
pub mod module;
pub mod onboarding;
pub mod rights;
pub mod switch;
pub mod systems;
