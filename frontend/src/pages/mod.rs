pub mod front;
pub mod module;
