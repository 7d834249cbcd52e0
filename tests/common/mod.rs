//! Shared test helpers.

pub mod samples;
