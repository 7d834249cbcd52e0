//! Keys, certificates and trust: the development PKI, key stores and signers, trust anchors,
//! and RFC 5280 path validation with revocation. Serves both `sign` and `verify`.
