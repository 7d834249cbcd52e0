//! Placeholder; filled in below.
// x
