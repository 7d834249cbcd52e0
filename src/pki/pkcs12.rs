//! PKCS#12 files (.p12, .pfx: tệp chứng thư số kèm khóa bí mật) as Vietnamese CAs deliver them.
//!
//! CAs and Windows hand out both kinds: OpenSSL 3's default (PBES2 with PBKDF2-HMAC-SHA256 and
//! AES-256-CBC, MAC HMAC-SHA-256) and the legacy one (`openssl pkcs12 -export -legacy`, older
//! Windows, Java): certificates under `pbeWithSHAAnd40BitRC2-CBC`, the key under
//! `pbeWithSHAAnd3-KeyTripleDES-CBC`, MAC HMAC-SHA-1, all keyed by the PKCS#12 KDF (RFC 7292
//! appendix B). This reader handles both.
//!
//! Why our own reader: the `p12` crate decrypts only the legacy ciphers (no PBES2/AES, so it
//! cannot open what OpenSSL 3 writes by default) and answers `None` for every failure, and the
//! RustCrypto `pkcs12` crate is a pre-release on der 0.8 while the rest of vanban is on der 0.7.
//! The structure is a few nested SEQUENCEs; the cryptography comes from vetted crates: PBES2
//! from `pkcs5` (through `pkcs8`), 3DES and RC2 from RustCrypto `des`/`rc2` with `cbc`, and
//! the KDF hashes and the MAC from ring.
//!
//! Errors are distinct for what a user can act on: [`Pkcs12Error::WrongPassword`] (the MAC or
//! the decryption fails), [`Pkcs12Error::UnsupportedCipher`] (RC4, or anything else we do not
//! decrypt), [`Pkcs12Error::NoPrivateKey`] (a certificate-only file) and
//! [`Pkcs12Error::NoCertificateForKey`].
//!
//! Files made by Windows or Java may use BER (indefinite lengths, strings in chunks); they are
//! rewritten as DER first by a bounded converter ([`ber_to_der`]) before the DER parser sees them.

use std::path::Path;

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, InnerIvInit, KeyIvInit};
use cms::content_info::ContentInfo;
use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tagged};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::keystore::{self, KeyStoreError, Passphrase};
use super::signer::{KeySigner, SignerError, order_chain};
use crate::limits::{Budget, BudgetExhausted};

/// Most PKCS#12 KDF or PBKDF2 rounds accepted: 10,000,000. OpenSSL writes 2,048; a file that
/// asks for more than this wants to hang the reader (STYLE.md habit 2).
pub const MAX_ITERATIONS: u32 = 10_000_000;

/// Most safe bags and nested structures read from one file: 256. A CA's .pfx holds a key and
/// two to five certificates.
pub const MAX_BAGS: u64 = 256;

/// Deepest BER nesting rewritten: 32 (a PKCS#12 file nests about 12 levels).
pub const MAX_BER_DEPTH: usize = 32;

/// Why a PKCS#12 file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs12Error {
    /// The file could not be read.
    #[error(transparent)]
    File(#[from] KeyStoreError),
    /// The structure is not PKCS#12.
    #[error("not a readable PKCS#12 file: {what}: {reason}")]
    Malformed {
        /// Which structure.
        what: &'static str,
        /// What the parser said.
        reason: String,
    },
    /// The file holds certificates only.
    #[error("the PKCS#12 file holds no private key (certificates only)")]
    NoPrivateKey,
    /// The key is there but none of the certificates is for it.
    #[error("the PKCS#12 file holds no certificate for its private key")]
    NoCertificateForKey,
    /// The key and certificate do not make a usable signer.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// The file needs more work than [`MAX_ITERATIONS`] or [`MAX_BAGS`] allow.
    #[error("the PKCS#12 file asks for too much work: {0}")]
    TooMuchWork(#[from] BudgetExhausted),
    /// A cipher or KDF this reader does not decrypt.
    #[error(
        "the PKCS#12 file is encrypted with {name} ({oid}), which vanban does not support; \
         re-export it with AES (openssl pkcs12 -export)"
    )]
    UnsupportedCipher {
        /// The algorithm's object identifier.
        oid: String,
        /// Its name, when known.
        name: &'static str,
    },
    /// An integrity (MAC) algorithm this reader does not check.
    #[error("the PKCS#12 file's integrity check uses {oid}, which vanban does not support")]
    UnsupportedMac {
        /// The algorithm's object identifier.
        oid: String,
    },
    /// The password does not open the file.
    #[error("wrong PKCS#12 password (mật khẩu tệp .p12/.pfx không đúng)")]
    WrongPassword,
}

/// What a PKCS#12 file holds once opened.
pub struct Pkcs12Contents {
    key: Option<Zeroizing<Vec<u8>>>,
    /// Every certificate found (DER), in file order.
    pub certificates: Vec<Vec<u8>>,
}

impl Pkcs12Contents {
    /// The first private key (unencrypted PKCS#8 DER, wiped on drop), if any.
    pub fn key_pkcs8(&self) -> Option<&[u8]> {
        self.key.as_deref().map(Vec::as_slice)
    }
}

impl std::fmt::Debug for Pkcs12Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs12Contents")
            .field("has_key", &self.key.is_some())
            .field("certificates", &self.certificates.len())
            .finish()
    }
}

/// Open a .p12/.pfx file as a signer: its private key, the certificate for that key, and the
/// other certificates ordered from it towards the root.
pub fn open(path: &Path, password: &Passphrase) -> Result<KeySigner, Pkcs12Error> {
    let bytes = keystore::read_bounded(path)?;
    let contents = parse(&bytes, password)?;
    signer_from(contents)
}

/// Read a PKCS#12 file's contents with `password`.
pub fn parse(bytes: &[u8], password: &Passphrase) -> Result<Pkcs12Contents, Pkcs12Error> {
    let der = ber_to_der(bytes)?;
    let pfx = Pfx::from_der(&der).map_err(malformed("PFX"))?;
    if pfx.auth_safe.content_type != OID_DATA {
        // Public-key integrity mode (signed authSafe) is not used by CAs for key delivery.
        return Err(Pkcs12Error::Malformed {
            what: "authSafe",
            reason: format!(
                "content type {} (only password integrity)",
                pfx.auth_safe.content_type
            ),
        });
    }
    let auth_safe = octets(&pfx.auth_safe.content, "authSafe")?;
    if let Some(mac) = &pfx.mac_data {
        verify_mac(mac, &auth_safe, password)?;
    }
    let mut budget = Budget::new("PKCS#12 bags", MAX_BAGS);
    let mut contents = Pkcs12Contents {
        key: None,
        certificates: Vec::new(),
    };
    let infos = Vec::<ContentInfo>::from_der(&auth_safe).map_err(malformed("AuthenticatedSafe"))?;
    for info in infos {
        budget.spend(1)?;
        let safe_contents = if info.content_type == OID_DATA {
            Zeroizing::new(octets(&info.content, "SafeContents")?)
        } else if info.content_type == OID_ENCRYPTED_DATA {
            let (algorithm, ciphertext) = encrypted_content(&info.content)?;
            decrypt(&algorithm, password, &ciphertext)?
        } else {
            continue; // enveloped data: public-key privacy mode, not used for key delivery
        };
        read_bags(&safe_contents, password, &mut contents, &mut budget, 0)?;
    }
    Ok(contents)
}

/// Rewrite BER (indefinite lengths, constructed OCTET STRINGs) as DER, bounded in depth and in
/// size by the input. DER input comes back unchanged.
pub fn ber_to_der(bytes: &[u8]) -> Result<Vec<u8>, Pkcs12Error> {
    let mut out = Vec::with_capacity(bytes.len());
    let used = ber_element(bytes, 0, &mut out)?;
    if used != bytes.len() {
        return Err(Pkcs12Error::Malformed {
            what: "PFX",
            reason: format!("{} bytes after the end", bytes.len() - used),
        });
    }
    Ok(out)
}

fn signer_from(contents: Pkcs12Contents) -> Result<KeySigner, Pkcs12Error> {
    let key = contents.key.ok_or(Pkcs12Error::NoPrivateKey)?;
    for (index, _) in contents.certificates.iter().enumerate() {
        let (leaf, others) = split_at_leaf(&contents.certificates, index);
        let chain = order_chain(leaf, &others);
        match KeySigner::from_pkcs8(key.clone(), chain) {
            Ok(signer) => return Ok(signer),
            Err(SignerError::CertificateKeyMismatch) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(Pkcs12Error::NoCertificateForKey)
}

fn split_at_leaf(certificates: &[Vec<u8>], leaf: usize) -> (Vec<u8>, Vec<Vec<u8>>) {
    let others = certificates
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != leaf)
        .map(|(_, c)| c.clone())
        .collect();
    (certificates[leaf].clone(), others)
}

fn read_bags(
    safe_contents: &[u8],
    password: &Passphrase,
    contents: &mut Pkcs12Contents,
    budget: &mut Budget,
    depth: usize,
) -> Result<(), Pkcs12Error> {
    let bags = Vec::<SafeBag>::from_der(safe_contents).map_err(malformed("SafeContents"))?;
    for bag in bags {
        budget.spend(1)?;
        let value = bag.bag_value.to_der().map_err(malformed("SafeBag"))?;
        match bag.bag_id {
            // The first key wins; a second key bag is ignored like any unknown bag.
            id if id == OID_KEY_BAG && contents.key.is_none() => {
                contents.key = Some(Zeroizing::new(value));
            }
            id if id == OID_SHROUDED_KEY_BAG => {
                let shrouded =
                    ShroudedKey::from_der(&value).map_err(malformed("ShroudedKeyBag"))?;
                let key = decrypt(&shrouded.algorithm, password, shrouded.data.as_bytes())?;
                if contents.key.is_none() {
                    contents.key = Some(key);
                }
            }
            id if id == OID_CERT_BAG => {
                let cert = CertBag::from_der(&value).map_err(malformed("CertBag"))?;
                if cert.cert_id == OID_X509_CERTIFICATE {
                    contents
                        .certificates
                        .push(cert.cert_value.as_bytes().to_vec());
                }
            }
            id if id == OID_SAFE_CONTENTS_BAG && depth < 4 => {
                read_bags(&value, password, contents, budget, depth + 1)?;
            }
            _ => {} // CRL and secret bags: not needed for signing
        }
    }
    Ok(())
}

fn verify_mac(mac: &MacData, data: &[u8], password: &Passphrase) -> Result<(), Pkcs12Error> {
    let oid = mac.mac.algorithm.oid;
    let (digest, hmac) = match oid {
        o if o == OID_SHA1 => (
            &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        ),
        o if o == OID_SHA256 => (&ring::digest::SHA256, ring::hmac::HMAC_SHA256),
        o if o == OID_SHA384 => (&ring::digest::SHA384, ring::hmac::HMAC_SHA384),
        o if o == OID_SHA512 => (&ring::digest::SHA512, ring::hmac::HMAC_SHA512),
        other => {
            return Err(Pkcs12Error::UnsupportedMac {
                oid: other.to_string(),
            });
        }
    };
    check_iterations(mac.iterations)?;
    let key = pkcs12_kdf(
        digest,
        &bmp_password(password),
        mac.salt.as_bytes(),
        KDF_ID_MAC,
        mac.iterations,
        digest.output_len(),
    );
    let key = ring::hmac::Key::new(hmac, &key);
    ring::hmac::verify(&key, data, mac.mac.digest.as_bytes())
        .map_err(|_| Pkcs12Error::WrongPassword)
}

fn decrypt(
    algorithm: &AlgorithmIdentifierOwned,
    password: &Passphrase,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let oid = algorithm.oid;
    if oid == OID_PBES2 {
        return decrypt_pbes2(algorithm, password, ciphertext);
    }
    let legacy = LEGACY_PBE
        .iter()
        .find(|pbe| pbe.oid == oid)
        .ok_or_else(|| unsupported(oid))?;
    let Some(cipher) = legacy.cipher else {
        return Err(unsupported(oid));
    };
    let params = algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| Pkcs12Error::Malformed {
            what: "PBE parameters",
            reason: "absent".to_owned(),
        })?
        .decode_as::<PbeParams>()
        .map_err(malformed("PBE parameters"))?;
    check_iterations(params.iterations)?;
    let sha1 = &ring::digest::SHA1_FOR_LEGACY_USE_ONLY;
    let bmp = bmp_password(password);
    let salt = params.salt.as_bytes();
    let key = pkcs12_kdf(
        sha1,
        &bmp,
        salt,
        KDF_ID_KEY,
        params.iterations,
        cipher.key_len(),
    );
    let iv = pkcs12_kdf(sha1, &bmp, salt, KDF_ID_IV, params.iterations, 8);
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let plain_len = cipher
        .decrypt(&key, &iv, &mut buffer)
        .ok_or(Pkcs12Error::WrongPassword)?;
    buffer.truncate(plain_len);
    Ok(buffer)
}

fn decrypt_pbes2(
    algorithm: &AlgorithmIdentifierOwned,
    password: &Passphrase,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    use pkcs8::pkcs5;
    let der = algorithm.to_der().map_err(malformed("PBES2 parameters"))?;
    let scheme = pkcs5::EncryptionScheme::from_der(&der).map_err(|e| {
        // pkcs5 refuses to parse schemes it does not implement (DES, RC2 under PBES2).
        Pkcs12Error::UnsupportedCipher {
            oid: format!("PBES2: {e}"),
            name: "a PBES2 cipher other than AES-CBC",
        }
    })?;
    if let Some(params) = scheme.pbes2() {
        if let Some(pbkdf2) = params.kdf.pbkdf2() {
            check_iterations(pbkdf2.iteration_count)?;
        } else {
            return Err(Pkcs12Error::UnsupportedCipher {
                oid: params.kdf.oid().to_string(),
                name: "a PBES2 KDF other than PBKDF2",
            });
        }
    }
    match scheme.decrypt(password.as_bytes(), ciphertext) {
        Ok(plain) => Ok(Zeroizing::new(plain)),
        // pkcs5 0.7 reports bad padding on decryption as `EncryptFailed`.
        Err(pkcs5::Error::DecryptFailed | pkcs5::Error::EncryptFailed) => {
            Err(Pkcs12Error::WrongPassword)
        }
        Err(pkcs5::Error::UnsupportedAlgorithm { oid })
        | Err(pkcs5::Error::AlgorithmParametersInvalid { oid }) => Err(unsupported(oid)),
        Err(other) => Err(Pkcs12Error::Malformed {
            what: "PBES2",
            reason: other.to_string(),
        }),
    }
}

/// The PKCS#12 key derivation function (RFC 7292 appendix B.2).
fn pkcs12_kdf(
    hash: &'static ring::digest::Algorithm,
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    out_len: usize,
) -> Zeroizing<Vec<u8>> {
    let v = hash.block_len();
    let u = hash.output_len();
    let fill = |source: &[u8]| -> Vec<u8> {
        if source.is_empty() {
            return Vec::new();
        }
        let len = v * source.len().div_ceil(v);
        source.iter().copied().cycle().take(len).collect()
    };
    let mut i_block = Zeroizing::new([fill(salt), fill(password)].concat());
    let diversifier = vec![id; v];
    let mut out = Zeroizing::new(Vec::with_capacity(out_len + u));
    while out.len() < out_len {
        let mut context = ring::digest::Context::new(hash);
        context.update(&diversifier);
        context.update(&i_block);
        let mut a = context.finish().as_ref().to_vec();
        for _ in 1..iterations.max(1) {
            a = ring::digest::digest(hash, &a).as_ref().to_vec();
        }
        out.extend_from_slice(&a);
        if out.len() >= out_len {
            break;
        }
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for chunk in i_block.chunks_mut(v) {
            // chunk = (chunk + b + 1) mod 2^(8v), big-endian.
            let mut carry = 1u16;
            for (x, y) in chunk.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(out_len);
    out
}

/// The password as a NUL-terminated big-endian BMPString, as the PKCS#12 KDF takes it.
fn bmp_password(password: &Passphrase) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.as_str().len() * 2 + 2));
    for unit in password.as_str().encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

fn check_iterations(iterations: u32) -> Result<(), Pkcs12Error> {
    if iterations > MAX_ITERATIONS {
        return Err(Pkcs12Error::TooMuchWork(BudgetExhausted {
            what: "PKCS#12 key derivation rounds",
        }));
    }
    Ok(())
}

/// The content of an `[0] EXPLICIT OCTET STRING` (ContentInfo of type data).
fn octets(content: &Any, what: &'static str) -> Result<Vec<u8>, Pkcs12Error> {
    let octets = content
        .decode_as::<OctetString>()
        .map_err(malformed(what))?;
    Ok(octets.as_bytes().to_vec())
}

/// EncryptedData: the algorithm and the ciphertext, which may be primitive `[0]` or, from BER
/// writers, constructed `[0]` holding OCTET STRING chunks.
fn encrypted_content(content: &Any) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Pkcs12Error> {
    let der = content.to_der().map_err(malformed("EncryptedData"))?;
    let mut reader = SliceReader::new(&der).map_err(malformed("EncryptedData"))?;
    let parsed = reader.sequence(|r| {
        let _version: u8 = r.decode()?;
        r.sequence(|r| {
            let _content_type: ObjectIdentifier = r.decode()?;
            let algorithm: AlgorithmIdentifierOwned = r.decode()?;
            let data: Any = r.decode()?;
            Ok((algorithm, data))
        })
    });
    let (algorithm, data) = parsed.map_err(malformed("EncryptedContentInfo"))?;
    let ciphertext = if data.tag().is_constructed() {
        let chunks = Vec::<OctetString>::from_der(&wrap_sequence(data.value()))
            .map_err(malformed("chunks"))?;
        chunks.iter().flat_map(|c| c.as_bytes().to_vec()).collect()
    } else {
        data.value().to_vec()
    };
    Ok((algorithm, ciphertext))
}

fn wrap_sequence(value: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    push_length(&mut out, value.len());
    out.extend_from_slice(value);
    out
}

fn ber_element(bytes: &[u8], depth: usize, out: &mut Vec<u8>) -> Result<usize, Pkcs12Error> {
    let bad = |reason: &str| Pkcs12Error::Malformed {
        what: "BER",
        reason: reason.to_owned(),
    };
    if depth > MAX_BER_DEPTH {
        return Err(bad("nested too deep"));
    }
    let mut pos = 0;
    let first = *bytes.first().ok_or_else(|| bad("truncated tag"))?;
    pos += 1;
    if first & 0x1f == 0x1f {
        // High tag numbers: continuation bytes with the top bit set.
        loop {
            let b = *bytes.get(pos).ok_or_else(|| bad("truncated tag"))?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
            if pos > 6 {
                return Err(bad("tag number too large"));
            }
        }
    }
    let tag = &bytes[..pos];
    let constructed = first & 0x20 != 0;
    let len_byte = *bytes.get(pos).ok_or_else(|| bad("truncated length"))?;
    pos += 1;
    let definite = if len_byte == 0x80 {
        None
    } else if len_byte & 0x80 == 0 {
        Some(usize::from(len_byte))
    } else {
        let n = usize::from(len_byte & 0x7f);
        if n > 4 {
            return Err(bad("length too large"));
        }
        let len_bytes = bytes
            .get(pos..pos + n)
            .ok_or_else(|| bad("truncated length"))?;
        pos += n;
        Some(
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
        )
    };
    if !constructed {
        let len = definite.ok_or_else(|| bad("indefinite length on a primitive"))?;
        let value = bytes
            .get(pos..pos + len)
            .ok_or_else(|| bad("truncated value"))?;
        out.extend_from_slice(tag);
        push_length(out, len);
        out.extend_from_slice(value);
        return Ok(pos + len);
    }
    let mut children = Vec::new();
    let end = match definite {
        Some(len) => {
            let body = bytes
                .get(pos..pos + len)
                .ok_or_else(|| bad("truncated value"))?;
            let mut at = 0;
            while at < body.len() {
                at += ber_element(&body[at..], depth + 1, &mut children)?;
            }
            pos + len
        }
        None => {
            let mut at = pos;
            loop {
                let rest = bytes.get(at..).ok_or_else(|| bad("truncated value"))?;
                if rest.starts_with(&[0, 0]) {
                    break at + 2;
                }
                if rest.is_empty() {
                    return Err(bad("missing end-of-contents"));
                }
                at += ber_element(rest, depth + 1, &mut children)?;
            }
        }
    };
    if first == 0x24 {
        // Constructed OCTET STRING: DER wants one primitive string of the concatenated chunks.
        let joined = Vec::<OctetString>::from_der(&wrap_sequence(&children))
            .map_err(|e| bad(&e.to_string()))?;
        let value: Vec<u8> = joined.iter().flat_map(|c| c.as_bytes().to_vec()).collect();
        out.push(0x04);
        push_length(out, value.len());
        out.extend_from_slice(&value);
    } else {
        out.extend_from_slice(tag);
        push_length(out, children.len());
        out.extend_from_slice(&children);
    }
    Ok(end)
}

fn push_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

fn malformed(what: &'static str) -> impl Fn(der::Error) -> Pkcs12Error {
    move |e| Pkcs12Error::Malformed {
        what,
        reason: e.to_string(),
    }
}

fn unsupported(oid: ObjectIdentifier) -> Pkcs12Error {
    let name = LEGACY_PBE
        .iter()
        .find(|pbe| pbe.oid == oid)
        .map(|pbe| pbe.name)
        .unwrap_or("an unknown algorithm");
    Pkcs12Error::UnsupportedCipher {
        oid: oid.to_string(),
        name,
    }
}

#[derive(Sequence)]
struct Pfx {
    version: u8,
    auth_safe: ContentInfo,
    mac_data: Option<MacData>,
}

#[derive(Sequence)]
struct MacData {
    mac: DigestInfo,
    salt: OctetString,
    #[asn1(default = "one")]
    iterations: u32,
}

fn one() -> u32 {
    1
}

#[derive(Sequence)]
struct DigestInfo {
    algorithm: AlgorithmIdentifierOwned,
    digest: OctetString,
}

#[derive(Sequence)]
struct SafeBag {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    // Attributes (friendlyName, localKeyId) are not needed: keys meet certificates by public key.
    bag_attributes: Option<Any>,
}

#[derive(Sequence)]
struct CertBag {
    cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    cert_value: OctetString,
}

#[derive(Sequence)]
struct ShroudedKey {
    algorithm: AlgorithmIdentifierOwned,
    data: OctetString,
}

#[derive(Sequence)]
struct PbeParams {
    salt: OctetString,
    iterations: u32,
}

/// A legacy PKCS#12 PBE algorithm (RFC 7292 appendix C) and whether we decrypt it.
struct LegacyPbe {
    oid: ObjectIdentifier,
    name: &'static str,
    cipher: Option<LegacyCipher>,
}

#[derive(Clone, Copy)]
enum LegacyCipher {
    Rc2 { key_bits: usize },
    TripleDes2Key,
    TripleDes3Key,
}

impl LegacyCipher {
    fn key_len(self) -> usize {
        match self {
            LegacyCipher::Rc2 { key_bits } => key_bits / 8,
            LegacyCipher::TripleDes2Key => 16,
            LegacyCipher::TripleDes3Key => 24,
        }
    }

    /// Decrypt in place; the plaintext length, or `None` when the padding is wrong (which,
    /// after a MAC that passed or was absent, means the password is wrong).
    fn decrypt(self, key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Option<usize> {
        let plain = match self {
            LegacyCipher::Rc2 { key_bits } => {
                let cipher = rc2::Rc2::new_with_eff_key_len(key, key_bits);
                cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, iv)
                    .ok()?
                    .decrypt_padded_mut::<Pkcs7>(buffer)
                    .ok()?
            }
            LegacyCipher::TripleDes2Key => {
                cbc::Decryptor::<des::TdesEde2>::new_from_slices(key, iv)
                    .ok()?
                    .decrypt_padded_mut::<Pkcs7>(buffer)
                    .ok()?
            }
            LegacyCipher::TripleDes3Key => {
                cbc::Decryptor::<des::TdesEde3>::new_from_slices(key, iv)
                    .ok()?
                    .decrypt_padded_mut::<Pkcs7>(buffer)
                    .ok()?
            }
        };
        Some(plain.len())
    }
}

const LEGACY_PBE: [LegacyPbe; 6] = [
    LegacyPbe {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.1"),
        name: "pbeWithSHAAnd128BitRC4",
        cipher: None,
    },
    LegacyPbe {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.2"),
        name: "pbeWithSHAAnd40BitRC4",
        cipher: None,
    },
    LegacyPbe {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3"),
        name: "pbeWithSHAAnd3-KeyTripleDES-CBC",
        cipher: Some(LegacyCipher::TripleDes3Key),
    },
    LegacyPbe {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.4"),
        name: "pbeWithSHAAnd2-KeyTripleDES-CBC",
        cipher: Some(LegacyCipher::TripleDes2Key),
    },
    LegacyPbe {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.5"),
        name: "pbeWithSHAAnd128BitRC2-CBC",
        cipher: Some(LegacyCipher::Rc2 { key_bits: 128 }),
    },
    LegacyPbe {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6"),
        name: "pbeWithSHAAnd40BitRC2-CBC",
        cipher: Some(LegacyCipher::Rc2 { key_bits: 40 }),
    },
];

const KDF_ID_KEY: u8 = 1;
const KDF_ID_IV: u8 = 2;
const KDF_ID_MAC: u8 = 3;

const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const OID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const OID_KEY_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
const OID_SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const OID_CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const OID_SAFE_CONTENTS_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.6");
const OID_X509_CERTIFICATE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const OID_PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const OID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const OID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_matches_rfc7292_test_vector() {
        // From OpenSSL's test/pkcs12_format_test / the widely used vector: password "smeg",
        // salt 0A58CF64530D823F, id 1, 1 iteration, 24 bytes, SHA-1.
        let salt = [0x0a, 0x58, 0xcf, 0x64, 0x53, 0x0d, 0x82, 0x3f];
        let key = pkcs12_kdf(
            &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            &bmp_password(&Passphrase::new("smeg")),
            &salt,
            1,
            1,
            24,
        );
        let expected = [
            0x8a, 0xaa, 0xe6, 0x29, 0x7b, 0x6c, 0xb0, 0x46, 0x42, 0xab, 0x5b, 0x07, 0x78, 0x51,
            0x28, 0x4e, 0xb7, 0x12, 0x8f, 0x1a, 0x2a, 0x7f, 0xbc, 0xa3,
        ];
        assert_eq!(key.as_slice(), &expected);
    }

    #[test]
    fn ber_indefinite_and_chunked_strings_become_der() {
        // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "c" } }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00,
            0x00,
        ];
        let der = ber_to_der(&ber).expect("converts");
        assert_eq!(der, [0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']);
        assert!(ber_to_der(&[0x30, 0x80, 0x04, 0x01]).is_err(), "truncated");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut ber = Vec::new();
        for _ in 0..100 {
            ber.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(matches!(
            ber_to_der(&ber),
            Err(Pkcs12Error::Malformed { .. })
        ));
    }
}
