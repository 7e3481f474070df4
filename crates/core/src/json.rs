//! Request bodies are read *after* authorisation: a handler's first line checks rights, then it
//! reads the body with [`JsonBody::parse`]. The body is streamed with a size limit, so an
//! unauthorised caller cannot make us read megabytes, and a bad body is a 400 field error.

use adgang_api_types::FieldCode;
use std::future::{ready, Ready};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::DomainError;

/// The largest JSON body a handler reads (the server registers it as app data).
#[derive(Debug, Clone, Copy)]
pub struct JsonLimit(pub usize);

/// A request body not yet read.
pub struct JsonBody {
    payload: Payload,
    limit: usize,
}

impl FromRequest for JsonBody {
    type Error = actix_web::Error;
    type Future = Ready<Result<JsonBody, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<JsonLimit>>()
            .map(|l| l.0)
            .unwrap_or(1024 * 1024);
        ready(Ok(JsonBody {
            payload: payload.take(),
            limit,
        }))
    }
}

impl JsonBody {
    /// Reads at most the limit (else 413) and parses JSON (else a 400 field error on `body`).
    pub async fn parse<T: DeserializeOwned>(self) -> Result<T, DomainError> {
        let limit = self.limit;
        parse_body(&self.bytes(limit).await?)
    }

    /// Like [`JsonBody::parse`] with an endpoint's own limit (a memo with attachments).
    pub async fn parse_within<T: DeserializeOwned>(self, limit: usize) -> Result<T, DomainError> {
        parse_body(&self.bytes(limit).await?)
    }

    /// Reads a non-JSON body (an uploaded file) of at most `limit` bytes (else 413).
    pub async fn bytes(mut self, limit: usize) -> Result<web::Bytes, DomainError> {
        self.limit = limit;
        let mut body = web::BytesMut::new();
        while let Some(chunk) = self.payload.next().await {
            let chunk = chunk.map_err(|e| {
                DomainError::field(
                    "body",
                    FieldCode::Unreadable,
                    format!("The body could not be read: {e}"),
                )
            })?;
            if body.len() + chunk.len() > self.limit {
                // Read the rest without keeping it (the server-wide body limit bounds it), so
                // the client gets its 413 on an orderly connection instead of a reset while it
                // is still sending.
                while let Some(Ok(_)) = self.payload.next().await {}
                return Err(DomainError::PayloadTooLarge(self.limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DomainError> {
    serde_json::from_slice(bytes).map_err(|e| {
        DomainError::field(
            "body",
            FieldCode::Malformed,
            adgang_api_types::words::rejection::UNREADABLE_BODY.en_with(&[&e.to_string()]),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
    }

    #[test]
    fn a_missing_field_is_a_400_naming_it() {
        let DomainError::Validation(errors) = parse_body::<Body>(b"{}").unwrap_err() else {
            panic!("expected a validation error")
        };
        let errors = errors.into_inner();
        assert_eq!(errors[0].field, "body");
        assert!(errors[0].message.contains("name"), "{}", errors[0].message);
    }
}
