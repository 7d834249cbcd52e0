//! A real RFC 3161 time-stamping authority for tests: `openssl ts -reply` behind a tiny HTTP
#![allow(dead_code)] // each test binary uses part of the shared helpers
//! handler on 127.0.0.1 (an ephemeral port). The TSA certificate carries a critical
//! timeStamping EKU and is issued by the test root, as a licensed TSA's would be.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer,
    KeyPair, KeyUsagePurpose,
};

/// A running test TSA.
pub struct TestTsa {
    /// `http://127.0.0.1:PORT/tsa`.
    pub url: String,
    /// PEM of the root that issued the TSA certificate.
    pub root_pem: PathBuf,
    /// PEM of the TSA certificate.
    pub tsa_pem: PathBuf,
    _dir: tempfile::TempDir,
}

/// DER of `SEQUENCE { id-kp-timeStamping }`, the extendedKeyUsage value.
const EKU_TIME_STAMPING: [u8; 12] = [
    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08,
];

impl TestTsa {
    /// Start a TSA whose chain is a fresh root (P-256) and TSA certificate.
    pub fn start() -> TestTsa {
        let dir = tempfile::tempdir().expect("temp dir");
        let (root_pem, tsa_pem) = write_pki(dir.path());
        write_config(dir.path());
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}/tsa", listener.local_addr().expect("address"));
        let work = dir.path().to_path_buf();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &work);
            }
        });
        TestTsa {
            url,
            root_pem,
            tsa_pem,
            _dir: dir,
        }
    }
}

fn write_pki(dir: &Path) -> (PathBuf, PathBuf) {
    let root_key = KeyPair::generate().expect("root key");
    let mut root = CertificateParams::new(Vec::<String>::new()).expect("params");
    root.distinguished_name = name("Test Root CA dấu thời gian");
    root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let root_cert = root.self_signed(&root_key).expect("root");
    let issuer = Issuer::new(root, root_key);

    let tsa_key = KeyPair::generate().expect("tsa key");
    let mut tsa = CertificateParams::new(Vec::<String>::new()).expect("params");
    tsa.distinguished_name = name("Máy chủ cấp dấu thời gian thử nghiệm");
    tsa.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let mut eku = CustomExtension::from_oid_content(&[2, 5, 29, 37], EKU_TIME_STAMPING.to_vec());
    eku.set_criticality(true);
    tsa.custom_extensions = vec![eku];
    let tsa_cert = tsa.signed_by(&tsa_key, &issuer).expect("tsa cert");

    let root_pem = dir.join("root.pem");
    let tsa_pem = dir.join("tsa.pem");
    std::fs::write(&root_pem, root_cert.pem()).expect("write");
    std::fs::write(&tsa_pem, tsa_cert.pem()).expect("write");
    std::fs::write(dir.join("tsa.key"), tsa_key.serialize_pem()).expect("write");
    std::fs::write(dir.join("tsaserial"), "01\n").expect("write");
    (root_pem, tsa_pem)
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "VN");
    dn.push(DnType::OrganizationName, "vanban test");
    dn.push(DnType::CommonName, common_name);
    dn
}

fn write_config(dir: &Path) {
    let config = format!(
        "[ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\ndir = {}\nserial = $dir/tsaserial\n\
         crypto_device = builtin\nsigner_cert = $dir/tsa.pem\ncerts = $dir/tsa.pem\n\
         signer_key = $dir/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n\
         digests = sha256, sha384, sha512\naccuracy = secs:1\nordering = no\ntsa_name = no\n\
         ess_cert_id_chain = no\ness_cert_id_alg = sha256\n",
        dir.display()
    );
    std::fs::write(dir.join("tsa.cnf"), config).expect("write config");
}

fn serve(mut stream: TcpStream, dir: &Path) {
    let Some(body) = read_request(&mut stream) else {
        return;
    };
    let query = dir.join(format!("q{}.tsq", std::process::id()));
    let reply = dir.join(format!("r{}.tsr", std::process::id()));
    std::fs::write(&query, body).expect("write query");
    let status = Command::new("openssl")
        .args(["ts", "-reply", "-config"])
        .arg(dir.join("tsa.cnf"))
        .arg("-queryfile")
        .arg(&query)
        .arg("-out")
        .arg(&reply)
        .output()
        .expect("run openssl ts");
    let (code, body) = if status.status.success() {
        ("200 OK", std::fs::read(&reply).expect("read reply"))
    } else {
        ("500 Internal Server Error", status.stderr)
    };
    let head = format!(
        "HTTP/1.1 {code}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((key, value)) = line.split_once(':')
            && key.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0u8; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}
