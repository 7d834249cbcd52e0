//! Test keys and certificate chains (P-256 and RSA-2048) made with rcgen, and a ring signer.
#![allow(dead_code)] // each test binary uses part of the shared helpers

use der::Decode;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PKCS_RSA_SHA256,
};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, RsaKeyPair};
use rsa::pkcs8::EncodePrivateKey;
use vanban::sign::cms::{DigestAlgorithm, SignatureScheme};
use x509_cert::Certificate;

/// A root and a leaf certificate, with the leaf's PKCS#8 key.
pub struct Chain {
    /// PEM of the root.
    pub root_pem: String,
    /// Leaf first, then root.
    pub certs: Vec<Certificate>,
    /// The leaf's PKCS#8 private key.
    pub leaf_pkcs8: Vec<u8>,
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "VN");
    dn.push(DnType::OrganizationName, "Công đoàn ngành Y tế Đồng Nai");
    dn.push(DnType::CommonName, cn);
    dn
}

pub fn chain(leaf_key: KeyPair, leaf_pkcs8: Vec<u8>) -> Chain {
    let root_key = KeyPair::generate().expect("root key");
    let mut root = CertificateParams::new(Vec::<String>::new()).expect("params");
    root.distinguished_name = name("Root CA thử nghiệm");
    root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    let root_cert = root.self_signed(&root_key).expect("root");
    let issuer = Issuer::new(root, root_key);
    let mut leaf = CertificateParams::new(Vec::<String>::new()).expect("params");
    leaf.distinguished_name = name("Nguyễn Văn Đức");
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    let leaf_cert = leaf.signed_by(&leaf_key, &issuer).expect("leaf");
    Chain {
        root_pem: root_cert.pem(),
        certs: vec![
            Certificate::from_der(leaf_cert.der()).expect("leaf der"),
            Certificate::from_der(root_cert.der()).expect("root der"),
        ],
        leaf_pkcs8,
    }
}

pub fn ecdsa_chain() -> Chain {
    let key = KeyPair::generate().expect("p256");
    let pkcs8 = key.serialize_der();
    chain(key, pkcs8)
}

pub fn rsa_chain() -> Chain {
    let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("rsa");
    let pkcs8 = private.to_pkcs8_der().expect("pkcs8").as_bytes().to_vec();
    let key = KeyPair::try_from(pkcs8.as_slice()).expect("rcgen rsa");
    assert_eq!(key.algorithm(), &PKCS_RSA_SHA256);
    chain(key, pkcs8)
}

pub fn sign(
    chain: &Chain,
    scheme: SignatureScheme,
    digest: DigestAlgorithm,
    message: &[u8],
) -> Vec<u8> {
    let rng = SystemRandom::new();
    match scheme {
        SignatureScheme::Ecdsa => {
            let alg = &signature::ECDSA_P256_SHA256_ASN1_SIGNING;
            let key = EcdsaKeyPair::from_pkcs8(alg, &chain.leaf_pkcs8, &rng).expect("ecdsa key");
            key.sign(&rng, message).expect("sign").as_ref().to_vec()
        }
        SignatureScheme::RsaPkcs1 | SignatureScheme::RsaPss => {
            let key = RsaKeyPair::from_pkcs8(&chain.leaf_pkcs8).expect("rsa key");
            let padding: &dyn signature::RsaEncoding = match (scheme, digest) {
                (SignatureScheme::RsaPss, DigestAlgorithm::Sha256) => &signature::RSA_PSS_SHA256,
                (SignatureScheme::RsaPss, DigestAlgorithm::Sha384) => &signature::RSA_PSS_SHA384,
                (SignatureScheme::RsaPss, DigestAlgorithm::Sha512) => &signature::RSA_PSS_SHA512,
                (_, DigestAlgorithm::Sha256) => &signature::RSA_PKCS1_SHA256,
                (_, DigestAlgorithm::Sha384) => &signature::RSA_PKCS1_SHA384,
                (_, DigestAlgorithm::Sha512) => &signature::RSA_PKCS1_SHA512,
            };
            let mut out = vec![0u8; key.public().modulus_len()];
            key.sign(padding, &rng, message, &mut out).expect("sign");
            out
        }
    }
}
