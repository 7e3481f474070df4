//! The Administrativ Adgang server: configuration, telemetry, start-up, the route table and
//! OpenAPI document, SPA serving, operations endpoints. Module logic lives in the module crates.

pub mod assets;
pub mod config;
pub mod database;
pub mod demo;
pub mod fallback;
pub mod jobs;
pub mod login;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod sandbox;
pub mod startup;
pub mod telemetry;

pub use config::Settings;
pub use startup::Application;
