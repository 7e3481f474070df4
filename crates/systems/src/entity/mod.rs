pub mod standard_system;
pub mod system;
