//! Shared test helpers.

pub mod fixtures;
pub mod samples;
