//! DKFDS-styled building blocks of the shell.

pub mod alert;
pub mod footer;
pub mod form;
pub mod header;
pub mod lazy;
pub mod module_gate;
pub mod module_tabs;
pub mod operator_switch;
pub mod party;
pub mod receipt;
pub mod step_indicator;
pub mod table;
pub mod wizard;
