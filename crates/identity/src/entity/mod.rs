pub mod organisation;
