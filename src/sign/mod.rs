//! Sign: make signatures (PAdES for PDF). Never imported by `verify`.

pub mod cms;
pub mod tsa;
