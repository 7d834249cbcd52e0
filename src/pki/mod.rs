//! Keys, certificates and trust: the development PKI, key stores and signers, trust anchors,
//! and RFC 5280 path validation with revocation. Serves both `sign` and `verify`.

/// Certificate path validation per RFC 5280 at a given time (xác thực chuỗi chứng thư).
pub mod path;
/// Revocation: CRLs and OCSP, embedded, cached or fetched (kiểm tra thu hồi).
pub mod revocation;
/// Trust anchors: `certs/trusted/`, configured directories and files (chứng thư gốc tin cậy).
pub mod trust;
