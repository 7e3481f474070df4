//! A file sent or returned as the raw body (a PDF, a workbook). Only describes the body in the
//! OpenAPI document: a `Vec<u8>` would be documented as an array of integers.

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = Binary))]
pub struct BinaryFile(pub Vec<u8>);
