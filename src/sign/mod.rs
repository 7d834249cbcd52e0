//! Sign: make signatures (PAdES for PDF). Never imported by `verify`.
//!
//! The decree's order (FORMAT.md §5.3, Nghị định 30 Điều 13–17), as [`workflow`] runs it:
//!
//! ```text
//!  draft (empty so/ngay/thang/nam, empty chu_ky and dau)
//!    │ leader: certification signature (DocMDP P=2) in "chu_ky", blue signature image
//!    ▼
//!  S.leader.pdf ── văn thư: fill number and date (form filling, allowed by P=2)
//!    │             then the organisation's signature in "dau", red seal image
//!    ▼
//!  S.signed.pdf   (+ DSS for B-LT, + document timestamp for B-LTA)
//! ```
//!
//! Every step is an incremental update; a signed revision is never rewritten. The stages of
//! one signature are types in [`pades`] (prepare → digest → embed → finish); [`external`]
//! saves the digested stage as a JSON state file so that a token in a browser or a remote
//! signing service can sign the hash and the PDF be completed later.

pub mod appearance;
pub mod cms;
pub mod error;
pub mod external;
pub mod fields;
pub mod fill;
pub mod font;
pub mod ltv;
pub mod pades;
pub mod tsa;
pub mod workflow;

pub use error::SignError;
