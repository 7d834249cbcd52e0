//! The document model (văn bản as typed data).
//!
//! [`input`] is what users write; the validated model built from it lives beside it.

pub mod input;
