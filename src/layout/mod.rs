//! Layout: composed blocks become positioned lines on A4 pages.

pub mod style;
