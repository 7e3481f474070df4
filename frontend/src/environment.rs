//! The deployment facts every part of the shell reads (environment label, version, modules),
//! loaded once at start. Its own module, so that the header and footer do not reach into
//! `app.rs` (which renders them).

use adgang_api_types::EnvironmentInfo;
use leptos::prelude::*;

use crate::api::{self, ApiError};

/// `None` until loaded.
pub type Environment = RwSignal<Option<Result<EnvironmentInfo, ApiError>>>;

/// Starts loading the environment and makes it available to the components below.
pub fn provide() {
    let environment: Environment = api::loaded(api::meta::environment);
    provide_context(environment);
}

pub fn use_environment() -> Environment {
    expect_context::<Environment>()
}
