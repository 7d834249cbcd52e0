//! Verify: judge signatures made by anyone. Never imports `sign`.

pub mod cms;
pub mod report;
pub mod status;
