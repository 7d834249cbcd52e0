//! Renderers: a composed document written as a file.

pub mod pdf;
