//! Offset pagination shared by every list endpoint (X-03), named like the NgDP API.

use serde::{Deserialize, Serialize};

/// Query parameters `?page=&pageSize=&sort=field:asc`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct PageQuery {
    /// Zero-based page number, at most 1,000,000 (default 0).
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub page: Option<u64>,
    /// Items per page, 1–500 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub page_size: Option<u64>,
    /// `field:asc` or `field:desc`; the fields allowed depend on the endpoint (empty: the default).
    #[cfg_attr(feature = "openapi", param(pattern = r"^([A-Za-z]+(:(asc|desc))?)?$"))]
    pub sort: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub current_page: u64,
    pub page_size: u64,
    pub total_elements: u64,
    pub total_pages: u64,
}
