use adgang_api_types::EnvironmentInfo;

use super::{get_json, ApiError};

pub async fn environment() -> Result<EnvironmentInfo, ApiError> {
    get_json("/api/v1/environment").await
}
