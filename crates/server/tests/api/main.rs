//! The one integration-test binary: each file covers one area, every test spawns its own app.

mod audit;
mod auth;
mod authority_info;
mod concurrency;
mod contacts;
mod durability;
mod errors;
mod eventlog;
mod exemptions;
mod login;
mod machine_clients;
mod mail_access;
mod messaging;
mod migrations;
mod move_mail;
mod nemsms;
mod onboarding;
mod openapi;
mod operations;
mod organisations;
mod recall;
mod rights;
mod rights_matrix;
mod spa;
mod systems;
mod testportal;
