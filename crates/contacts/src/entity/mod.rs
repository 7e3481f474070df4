pub mod contact_group;
pub mod contact_group_parent;
pub mod contact_point;
pub mod contact_point_group;
pub mod contact_point_keyword;
pub mod contact_structure_version;
