//! Renderers: the composed document becomes files a reader opens.
//!
//! Each renderer reads [`crate::compose::Composed`] and the style table
//! ([`crate::layout::style`]); the renderers never import each other.

pub mod docx;
pub mod pdf;
