//! The adapter for a real register behind HTTP (the data distributor in production).
//!
//! Contract: `GET {base}/cpr/{cpr}` and `GET {base}/cvr/{cvr}` answer 200 with a [`Citizen`] /
//! [`Company`] JSON body, or 404 when unknown. Anything else is "unavailable".

use std::time::Duration;

use adgang_core::{Cpr, Cvr};
use serde::de::DeserializeOwned;

use crate::{Citizen, Company, Registry, RegistryError};

pub struct HttpRegistry {
    base_url: String,
    client: reqwest::Client,
}

impl HttpRegistry {
    pub fn new(base_url: &str) -> Result<HttpRegistry, RegistryError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| RegistryError::Unavailable(e.to_string()))?;
        Ok(HttpRegistry {
            base_url: base_url.trim_end_matches('/').to_owned(),
            client,
        })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, RegistryError> {
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .map_err(|e| RegistryError::Unavailable(e.without_url().to_string()))?;
        match response.status().as_u16() {
            200 => response
                .json::<T>()
                .await
                .map(Some)
                .map_err(|e| RegistryError::Unavailable(format!("unreadable answer: {e}"))),
            404 => Ok(None),
            status => Err(RegistryError::Unavailable(format!("HTTP {status}"))),
        }
    }
}

#[async_trait::async_trait]
impl Registry for HttpRegistry {
    async fn citizen(&self, cpr: &Cpr) -> Result<Option<Citizen>, RegistryError> {
        self.get(&format!("/cpr/{}", cpr.as_str())).await
    }

    async fn company(&self, cvr: &Cvr) -> Result<Option<Company>, RegistryError> {
        self.get(&format!("/cvr/{}", cvr.as_str())).await
    }
}
