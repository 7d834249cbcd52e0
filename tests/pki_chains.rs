//! Path validation against a set of good and bad chains, generated from one declarative
//! description (STYLE.md habit 10): [`cases`] is the table. Each row names a case, edits the
//! base PKI (root → issuing CA → signer), lists the revocation evidence to make, and states the
//! exact typed outcome. Certificates come from rcgen, or from `openssl ca` where rcgen cannot
//! sign (RSA-PSS, SHA-1); OCSP responses come from a real `openssl ocsp` responder.
//!
//! `cargo test --test pki_chains -- --nocapture` prints the table of what each case reports.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CustomExtension,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair,
    KeyUsagePurpose, RevocationReason as CrlReason, RevokedCertParams, SerialNumber,
};
use time::OffsetDateTime;
use time::macros::datetime;
use vanban::limits::BudgetExhausted;
use vanban::pki::path::{
    PathError, PathFailure, PathRequest, Purpose, SignatureAlgorithm, ValidatedPath,
};
use vanban::pki::revocation::{
    EvidenceKind, EvidenceOrigin, FetchLimits, NetworkPolicy, RevocationCache, RevocationError,
    RevocationOptions, RevocationPolicy, RevocationReason, RevocationSource, RevocationStatus,
};
use vanban::pki::trust::{AnchorSource, TrustConfig, TrustError, TrustStore};

/// The validation time of every case: the moment the document was signed.
const AT: OffsetDateTime = datetime!(2025-06-01 08:00 UTC);

const ROOT_CN: &str = "Trung tâm Chứng thực điện tử quốc gia (thử nghiệm)";
const INT_CN: &str = "Cục Chứng thực số và Bảo mật thông tin (thử nghiệm)";
const LEAF_CN: &str = "Nguyễn Văn A";
const LEAF_ORG: &str = "Ủy ban nhân dân tỉnh Hà Giang";
const UNKNOWN_EXTENSION: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 1];

// ---------------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------------

/// One row: how to build the chain, which evidence to make, and what validation must report.
struct Case {
    name: &'static str,
    edit: fn(&mut Specs),
    evidence: Vec<Evidence>,
    policy: RevocationPolicy,
    purpose: Purpose,
    expect: fn(&Pki) -> Expect,
}

fn cases() -> Vec<Case> {
    vec![
        // Good chains.
        case("good ECDSA P-256 chain, CRLs for both levels", |_| {})
            .evidence(vec![root_crl(), int_crl(&[])])
            .policy(RevocationPolicy::Required)
            .expect(|_| {
                Expect::valid(
                    SignatureAlgorithm::EcdsaSha256,
                    Leaf::Good(EvidenceKind::Crl),
                )
            }),
        case("good ECDSA P-384 chain", |s| {
            for name in ["root", "int", "leaf"] {
                s.get(name).key = Key::P384;
            }
        })
        .expect(|_| Expect::valid(SignatureAlgorithm::EcdsaSha384, Leaf::unknown_no_info())),
        case("good RSA-2048 chain (PKCS#1 v1.5 SHA-256)", |s| {
            for name in ["root", "int", "leaf"] {
                s.get(name).key = Key::Rsa(2048);
            }
        })
        .evidence(vec![root_crl(), int_crl(&[])])
        .policy(RevocationPolicy::Required)
        .expect(|_| {
            Expect::valid(
                SignatureAlgorithm::RsaPkcs1Sha256,
                Leaf::Good(EvidenceKind::Crl),
            )
        }),
        case(
            "good RSASSA-PSS signature on the signer (openssl ca)",
            |s| {
                s.get("int").key = Key::Rsa(2048);
                s.get("leaf").tweaks.push(Tweak::OpensslCa {
                    md: "sha256",
                    pss: true,
                });
            },
        )
        .expect(|_| Expect::valid(SignatureAlgorithm::RsaPssSha256, Leaf::unknown_no_info())),
        case(
            "critical certificatePolicies (anyPolicy) is accepted",
            |s| {
                let any_policy = vec![0x30, 0x08, 0x30, 0x06, 0x06, 0x04, 0x55, 0x1d, 0x20, 0x00];
                s.get("leaf")
                    .tweaks
                    .push(Tweak::Extension(&[2, 5, 29, 32], any_policy, true));
            },
        )
        .expect(|_| Expect::valid(SignatureAlgorithm::EcdsaSha256, Leaf::unknown_no_info())),
        case("revocation switched off", |_| {})
            .policy(RevocationPolicy::Off)
            .expect(|_| Expect::valid(SignatureAlgorithm::EcdsaSha256, Leaf::NotChecked)),
        // Validity.
        case("expired signer", |s| {
            s.get("leaf").not_after = datetime!(2025-01-01 0:00 UTC)
        })
        .expect(|p| {
            Expect::Fails(PathError::CertExpired {
                subject: p.subject("leaf"),
                not_after: datetime!(2025-01-01 0:00 UTC),
                at: AT,
            })
        }),
        case("signer not yet valid", |s| {
            s.get("leaf").not_before = datetime!(2025-09-01 0:00 UTC)
        })
        .expect(|p| {
            Expect::Fails(PathError::CertNotValidYet {
                subject: p.subject("leaf"),
                not_before: datetime!(2025-09-01 0:00 UTC),
                at: AT,
            })
        }),
        case("expired issuing CA", |s| {
            s.get("int").not_after = datetime!(2025-03-01 0:00 UTC)
        })
        .expect(|p| {
            Expect::Fails(PathError::CertExpired {
                subject: p.subject("int"),
                not_after: datetime!(2025-03-01 0:00 UTC),
                at: AT,
            })
        }),
        // Names and signatures.
        case("wrong issuer name", |s| {
            s.get("leaf")
                .tweaks
                .push(Tweak::IssuerNamed("Cục Chứng thực số khác"));
        })
        .expect(|p| {
            Expect::Fails(PathError::IssuerNameMismatch {
                subject: p.subject("leaf"),
                issuer: "C=VN, CN=Cục Chứng thực số khác".to_owned(),
                candidate: p.subject("int"),
            })
        }),
        case("issuer name differs only in case and spacing", |s| {
            s.get("leaf").tweaks.push(Tweak::IssuerNamed(
                "  CỤC CHỨNG THỰC SỐ VÀ   BẢO MẬT THÔNG TIN (THỬ NGHIỆM) ",
            ));
        })
        .expect(|_| Expect::valid(SignatureAlgorithm::EcdsaSha256, Leaf::unknown_no_info())),
        case("issuer signature wrong", |s| {
            s.push(CertSpec::ca("stranger", "Người lạ", "stranger", None).place(Place::Absent));
            s.get("leaf")
                .tweaks
                .push(Tweak::SignedWithKeyOf("stranger"));
        })
        .expect(|p| {
            Expect::Fails(PathError::InvalidSignature {
                subject: p.subject("leaf"),
                issuer: p.subject("int"),
            })
        }),
        case("SHA-1 signature on the signer (openssl ca)", |s| {
            s.get("int").key = Key::Rsa(2048);
            s.get("leaf").tweaks.push(Tweak::OpensslCa {
                md: "sha1",
                pss: false,
            });
        })
        .expect(|p| {
            Expect::Fails(PathError::Sha1Refused {
                subject: p.subject("leaf"),
            })
        }),
        case("RSA-1024 signer key", |s| {
            s.get("leaf").key = Key::Rsa(1024)
        })
        .expect(|p| {
            Expect::Fails(PathError::RsaKeyTooSmall {
                subject: p.subject("leaf"),
                bits: 1024,
            })
        }),
        case("RSA-1024 issuing CA key (openssl ca)", |s| {
            s.get("int").key = Key::Rsa(1024);
            s.get("int").tweaks.push(Tweak::OpensslCa {
                md: "sha256",
                pss: false,
            });
            s.get("leaf").tweaks.push(Tweak::OpensslCa {
                md: "sha256",
                pss: false,
            });
        })
        .expect(|p| {
            Expect::Fails(PathError::RsaKeyTooSmall {
                subject: p.subject("int"),
                bits: 1024,
            })
        }),
        // CA constraints and usages.
        case("CA bit missing on the issuing CA", |s| {
            s.get("int").ca = Ca::ExplicitNo
        })
        .expect(|p| {
            Expect::Fails(PathError::NotACa {
                subject: p.subject("int"),
            })
        }),
        case("pathLenConstraint exceeded", |s| {
            s.insert_before(
                "leaf",
                CertSpec::ca("int2", "Chi cục Chứng thực (cấp 2)", "int", None),
            );
            s.get("leaf").issuer = "int2";
        })
        .expect(|p| {
            Expect::Fails(PathError::PathLenExceeded {
                subject: p.subject("int"),
                path_len: 0,
                below: 1,
            })
        }),
        case("issuing CA without keyCertSign", |s| {
            s.get("int").usage = vec![KeyUsagePurpose::CrlSign];
        })
        .expect(|p| {
            Expect::Fails(PathError::KeyUsageMissing {
                subject: p.subject("int"),
                required: "keyCertSign",
            })
        }),
        case("signer without digitalSignature or nonRepudiation", |s| {
            s.get("leaf").usage = vec![KeyUsagePurpose::KeyEncipherment];
        })
        .expect(|p| {
            Expect::Fails(PathError::KeyUsageMissing {
                subject: p.subject("leaf"),
                required: "digitalSignature or nonRepudiation",
            })
        }),
        case("CA certificate used as signer", |s| {
            s.get("leaf").ca = Ca::Yes(None)
        })
        .expect(|p| {
            Expect::Fails(PathError::CaUsedAsEndEntity {
                subject: p.subject("leaf"),
            })
        }),
        case("time-stamping purpose without the timeStamping EKU", |_| {})
            .purpose(Purpose::TimeStamping)
            .expect(|p| {
                Expect::Fails(PathError::EkuMissing {
                    subject: p.subject("leaf"),
                    required: "timeStamping",
                })
            }),
        case("unknown critical extension on the signer", |s| {
            s.get("leaf")
                .tweaks
                .push(Tweak::Extension(UNKNOWN_EXTENSION, vec![0x05, 0x00], true));
        })
        .expect(|p| {
            Expect::Fails(PathError::UnknownCriticalExtension {
                subject: p.subject("leaf"),
                oid: "1.3.6.1.4.1.55555.1".to_owned(),
            })
        }),
        case("unknown non-critical extension is ignored", |s| {
            s.get("leaf")
                .tweaks
                .push(Tweak::Extension(UNKNOWN_EXTENSION, vec![0x05, 0x00], false));
        })
        .expect(|_| Expect::valid(SignatureAlgorithm::EcdsaSha256, Leaf::unknown_no_info())),
        // Trust.
        case("self-signed impostor with the root's subject", |s| {
            s.push(CertSpec::ca("impostor", ROOT_CN, "impostor", None).place(Place::Pool));
            s.get("int").issuer = "impostor";
        })
        .expect(|p| {
            Expect::Fails(PathError::SelfSignedImpostor {
                subject: p.subject("root"),
            })
        }),
        case("chain to a root that is not trusted", |s| {
            s.push(
                CertSpec::ca(
                    "other-root",
                    "Nhà cung cấp dịch vụ khác",
                    "other-root",
                    None,
                )
                .place(Place::Pool),
            );
            s.get("int").issuer = "other-root";
        })
        .expect(|p| {
            Expect::Fails(PathError::UntrustedRoot {
                subject: p.subject("other-root"),
            })
        }),
        case("loop in the certificate pool", |s| {
            // X and Y certify each other; nothing leads to the root.
            s.insert_before("leaf", CertSpec::ca("x", "Vòng X", "y", None));
            s.insert_before("leaf", CertSpec::ca("y", "Vòng Y", "x", None));
            s.get("leaf").issuer = "x";
            s.get("int").place = Place::Absent;
        })
        .expect(|p| {
            Expect::Fails(PathError::NoPathToTrustAnchor {
                issuer: p.subject("x"),
            })
        }),
        case("loop in the pool, with a way out to the root", |s| {
            s.insert_before("leaf", CertSpec::ca("x", "Vòng X", "y", None));
            s.insert_before("leaf", CertSpec::ca("y", "Vòng Y", "x", None));
            s.insert_before(
                "leaf",
                CertSpec::ca("x-by-root", "Vòng X", "root", None).same_key_as("x"),
            );
            s.get("leaf").issuer = "x";
            s.get("int").place = Place::Absent;
        })
        .expect(|_| Expect::valid(SignatureAlgorithm::EcdsaSha256, Leaf::unknown_no_info())),
        case("path longer than 6 intermediate CAs", |s| {
            let names = ["i1", "i2", "i3", "i4", "i5", "i6", "i7"];
            let mut issuer = "root";
            for name in names {
                s.insert_before("leaf", CertSpec::ca(name, name, issuer, None));
                issuer = name;
            }
            s.get("leaf").issuer = "i7";
            s.get("int").place = Place::Absent;
        })
        .expect(|_| Expect::Fails(PathError::MaxDepthExceeded { max: 6 })),
        case(
            "120 same-named decoy CAs exhaust the signature budget",
            |s| {
                s.get("int").place = Place::Absent;
                for name in DECOYS.iter() {
                    s.insert_before("leaf", CertSpec::ca(name, INT_CN, "root", Some(0)));
                }
            },
        )
        .expect(|_| {
            Expect::Fails(PathError::BudgetExhausted(BudgetExhausted {
                what: "path building: signature checks",
            }))
        }),
        // CRLs.
        case("revoked before the signing time (CRL)", |_| {})
            .evidence(vec![
                root_crl(),
                int_crl(&[(
                    "leaf",
                    datetime!(2025-05-01 0:00 UTC),
                    CrlReason::KeyCompromise,
                )]),
            ])
            .expect(|p| {
                Expect::Fails(PathError::Revoked {
                    subject: p.subject("leaf"),
                    revoked_at: datetime!(2025-05-01 0:00 UTC),
                    reason: Some(RevocationReason::KeyCompromise),
                    evidence: embedded(EvidenceKind::Crl, 1),
                })
            }),
        case(
            "revoked after the signing time (CRL): valid at signing time",
            |_| {},
        )
        .evidence(vec![
            root_crl(),
            int_crl(&[(
                "leaf",
                datetime!(2025-06-15 0:00 UTC),
                CrlReason::Superseded,
            )]),
        ])
        .policy(RevocationPolicy::Required)
        .expect(|_| {
            Expect::valid(
                SignatureAlgorithm::EcdsaSha256,
                Leaf::RevokedAfter {
                    revoked_at: datetime!(2025-06-15 0:00 UTC),
                    reason: RevocationReason::Superseded,
                },
            )
        }),
        case("revoked issuing CA (root CRL)", |_| {})
            .evidence(vec![
                Evidence::Crl(CrlSpec {
                    revoked: vec![(
                        "int",
                        datetime!(2025-02-01 0:00 UTC),
                        CrlReason::CaCompromise,
                    )],
                    ..CrlSpec::new("root")
                }),
                int_crl(&[]),
            ])
            .expect(|p| {
                Expect::Fails(PathError::Revoked {
                    subject: p.subject("int"),
                    revoked_at: datetime!(2025-02-01 0:00 UTC),
                    reason: Some(RevocationReason::CaCompromise),
                    evidence: embedded(EvidenceKind::Crl, 0),
                })
            }),
        case("CRL with a bad signature", |_| {})
            .evidence(vec![
                root_crl(),
                Evidence::Crl(CrlSpec {
                    tamper: true,
                    ..CrlSpec::new("int")
                }),
            ])
            .policy(RevocationPolicy::Required)
            .expect(|p| {
                Expect::Fails(PathError::RevocationUnknown {
                    subject: p.subject("leaf"),
                    error: RevocationError::CrlBadSignature {
                        issuer: p.subject("int"),
                    },
                })
            }),
        case("stale CRL (nextUpdate before the signing time)", |_| {})
            .evidence(vec![
                root_crl(),
                Evidence::Crl(CrlSpec {
                    this_update: datetime!(2025-04-01 0:00 UTC),
                    next_update: datetime!(2025-04-08 0:00 UTC),
                    ..CrlSpec::new("int")
                }),
            ])
            .policy(RevocationPolicy::Required)
            .expect(|p| {
                Expect::Fails(PathError::RevocationUnknown {
                    subject: p.subject("leaf"),
                    error: RevocationError::CrlStale {
                        issuer: p.subject("int"),
                        this_update: datetime!(2025-04-01 0:00 UTC),
                        next_update: Some(datetime!(2025-04-08 0:00 UTC)),
                        at: AT,
                    },
                })
            }),
        case(
            "stale CRL under soft-fail: valid, status unknown with the reason",
            |_| {},
        )
        .evidence(vec![Evidence::Crl(CrlSpec {
            this_update: datetime!(2025-04-01 0:00 UTC),
            next_update: datetime!(2025-04-08 0:00 UTC),
            ..CrlSpec::new("int")
        })])
        .expect(|p| {
            Expect::valid(
                SignatureAlgorithm::EcdsaSha256,
                Leaf::Unknown(RevocationError::CrlStale {
                    issuer: p.subject("int"),
                    this_update: datetime!(2025-04-01 0:00 UTC),
                    next_update: Some(datetime!(2025-04-08 0:00 UTC)),
                    at: AT,
                }),
            )
        }),
        case("CRL signed by a CA without cRLSign", |s| {
            s.get("int").usage = vec![KeyUsagePurpose::KeyCertSign];
        })
        .evidence(vec![root_crl(), int_crl(&[])])
        .policy(RevocationPolicy::Required)
        .expect(|p| {
            Expect::Fails(PathError::RevocationUnknown {
                subject: p.subject("leaf"),
                error: RevocationError::CrlIssuerNotAuthorized {
                    issuer: p.subject("int"),
                },
            })
        }),
        case("no revocation evidence, status required", |_| {})
            .evidence(vec![root_crl()])
            .policy(RevocationPolicy::Required)
            .expect(|p| {
                Expect::Fails(PathError::RevocationUnknown {
                    subject: p.subject("leaf"),
                    error: RevocationError::NoRevocationInfo,
                })
            }),
        // OCSP, answered by a real `openssl ocsp`.
        case("OCSP good from a delegated responder", with_responders)
            .evidence(vec![root_crl(), Evidence::Ocsp(OcspSpec::new("resp"))])
            .policy(RevocationPolicy::Required)
            .expect(|_| {
                Expect::valid(
                    SignatureAlgorithm::EcdsaSha256,
                    Leaf::Good(EvidenceKind::Ocsp),
                )
            }),
        case("OCSP good signed by the CA itself", with_responders)
            .evidence(vec![root_crl(), Evidence::Ocsp(OcspSpec::new("int"))])
            .policy(RevocationPolicy::Required)
            .expect(|_| {
                Expect::valid(
                    SignatureAlgorithm::EcdsaSha256,
                    Leaf::Good(EvidenceKind::Ocsp),
                )
            }),
        case("OCSP revoked before the signing time", with_responders)
            .evidence(vec![
                root_crl(),
                Evidence::Ocsp(OcspSpec {
                    revoked: Some((datetime!(2025-03-01 0:00 UTC), "keyCompromise")),
                    ..OcspSpec::new("resp")
                }),
            ])
            .expect(|p| {
                Expect::Fails(PathError::Revoked {
                    subject: p.subject("leaf"),
                    revoked_at: datetime!(2025-03-01 0:00 UTC),
                    reason: Some(RevocationReason::KeyCompromise),
                    evidence: embedded(EvidenceKind::Ocsp, 0),
                })
            }),
        case("OCSP revoked after the signing time", with_responders)
            .evidence(vec![
                root_crl(),
                Evidence::Ocsp(OcspSpec {
                    revoked: Some((datetime!(2025-07-01 0:00 UTC), "cessationOfOperation")),
                    ..OcspSpec::new("resp")
                }),
            ])
            .policy(RevocationPolicy::Required)
            .expect(|_| {
                Expect::valid(
                    SignatureAlgorithm::EcdsaSha256,
                    Leaf::RevokedAfter {
                        revoked_at: datetime!(2025-07-01 0:00 UTC),
                        reason: RevocationReason::CessationOfOperation,
                    },
                )
            }),
        case("OCSP response with a bad signature", with_responders)
            .evidence(vec![
                root_crl(),
                Evidence::Ocsp(OcspSpec {
                    tamper: true,
                    ..OcspSpec::new("resp")
                }),
            ])
            .policy(RevocationPolicy::Required)
            .expect(|p| {
                Expect::Fails(PathError::RevocationUnknown {
                    subject: p.subject("leaf"),
                    error: RevocationError::OcspBadSignature {
                        responder: p.subject("resp"),
                    },
                })
            }),
        case(
            "OCSP responder without the OCSPSigning EKU",
            with_responders,
        )
        .evidence(vec![
            root_crl(),
            Evidence::Ocsp(OcspSpec::new("resp-no-eku")),
        ])
        .policy(RevocationPolicy::Required)
        .expect(|p| {
            Expect::Fails(PathError::RevocationUnknown {
                subject: p.subject("leaf"),
                error: RevocationError::OcspUnauthorizedResponder {
                    responder: p.subject("resp-no-eku"),
                },
            })
        }),
        case("OCSP responder certified by another CA", with_responders)
            .evidence(vec![
                root_crl(),
                Evidence::Ocsp(OcspSpec::new("resp-foreign")),
            ])
            .policy(RevocationPolicy::Required)
            .expect(|p| {
                Expect::Fails(PathError::RevocationUnknown {
                    subject: p.subject("leaf"),
                    error: RevocationError::OcspUnauthorizedResponder {
                        responder: p.subject("resp-foreign"),
                    },
                })
            }),
    ]
}

/// Responder certificates for the OCSP cases: a proper delegated responder, one without the
/// OCSPSigning EKU, and one with it but certified by another CA.
fn with_responders(s: &mut Specs) {
    s.push(CertSpec::responder("resp", "Máy chủ OCSP", "int"));
    let mut no_eku = CertSpec::responder("resp-no-eku", "Máy chủ OCSP không được ủy quyền", "int");
    no_eku.eku.clear();
    s.push(no_eku);
    s.push(CertSpec::ca("other-ca", "CA khác", "other-ca", None).place(Place::Absent));
    s.push(CertSpec::responder(
        "resp-foreign",
        "Máy chủ OCSP của CA khác",
        "other-ca",
    ));
}

static DECOYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    (0..120)
        .map(|i| &*Box::leak(format!("decoy-{i}").into_boxed_str()))
        .collect()
});

fn root_crl() -> Evidence {
    Evidence::Crl(CrlSpec::new("root"))
}

fn int_crl(revoked: &[(&'static str, OffsetDateTime, CrlReason)]) -> Evidence {
    Evidence::Crl(CrlSpec {
        revoked: revoked.to_vec(),
        ..CrlSpec::new("int")
    })
}

fn embedded(kind: EvidenceKind, index: usize) -> RevocationSource {
    RevocationSource {
        kind,
        origin: EvidenceOrigin::Embedded { index },
    }
}

// ---------------------------------------------------------------------------------------------
// The test that runs the table.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_case_reports_its_exact_reason() {
    let mut table = vec!["| case | reports |".to_owned(), "|---|---|".to_owned()];
    let mut mismatches = Vec::new();
    let all = cases();
    let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len(), "case names must be unique");
    for case in &all {
        let dir = TempDir::new("case");
        let (pki, outcome) = run(case, &dir);
        let expected = (case.expect)(&pki);
        table.push(format!("| {} | {} |", case.name, describe(&outcome)));
        if let Err(why) = expected.check(&pki, &outcome) {
            mismatches.push(format!("{}: {why}", case.name));
        }
    }
    println!("{}", table.join("\n"));
    assert!(
        mismatches.is_empty(),
        "mismatches:\n{}",
        mismatches.join("\n")
    );
}

fn run(case: &Case, dir: &TempDir) -> (Pki, Result<ValidatedPath, Box<PathFailure>>) {
    let mut specs = Specs::base();
    (case.edit)(&mut specs);
    let pki = Pki::make(&specs, dir.path());
    let options = RevocationOptions {
        policy: case.policy,
        crls: pki.crls(&case.evidence),
        ocsp_responses: pki.ocsp_responses(&case.evidence, dir.path()),
        ..RevocationOptions::default()
    };
    let store = pki.trust_store();
    let pool = pki.placed(Place::Pool);
    let end_entity = pki.placed(Place::EndEntity);
    assert_eq!(end_entity.len(), 1, "{}: exactly one end-entity", case.name);
    let outcome = PathRequest::new(&end_entity[0], &store, AT)
        .with_pool(pool.iter().map(Vec::as_slice))
        .with_purpose(case.purpose)
        .with_revocation(&options)
        .validate();
    (pki, outcome)
}

fn describe(outcome: &Result<ValidatedPath, Box<PathFailure>>) -> String {
    match outcome {
        Ok(path) => {
            let leaf = &path.revocation[0].status;
            let status = match leaf {
                RevocationStatus::NotChecked => "revocation not checked".to_owned(),
                RevocationStatus::Good { source, .. } => format!("good ({:?})", source.kind),
                RevocationStatus::RevokedAfter {
                    revoked_at,
                    reason,
                    source,
                } => format!(
                    "revoked after signing, on {revoked_at} ({}, {:?})",
                    RevocationReason::describe(*reason),
                    source.kind
                ),
                RevocationStatus::Unknown { problems } => {
                    format!("unknown: {}", RevocationError::most_specific(problems))
                }
            };
            format!("valid, anchor {}; signer {status}", path.anchor.subject)
        }
        Err(failure) => format!("`{}`", variant_line(&failure.reason)),
    }
}

/// The error's variant name and message, e.g. `CertExpired: CN=…: expired on …`.
fn variant_line(error: &PathError) -> String {
    let debug = format!("{error:?}");
    let variant = debug
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_owned();
    format!("{variant}: {error}")
}

/// What a case must report.
enum Expect {
    Valid {
        algorithm: SignatureAlgorithm,
        leaf: Leaf,
    },
    Fails(PathError),
}

/// The signer's revocation status in a valid case.
enum Leaf {
    Good(EvidenceKind),
    NotChecked,
    RevokedAfter {
        revoked_at: OffsetDateTime,
        reason: RevocationReason,
    },
    Unknown(RevocationError),
}

impl Leaf {
    fn unknown_no_info() -> Leaf {
        Leaf::Unknown(RevocationError::NoRevocationInfo)
    }
}

impl Expect {
    fn valid(algorithm: SignatureAlgorithm, leaf: Leaf) -> Expect {
        Expect::Valid { algorithm, leaf }
    }

    fn check(
        &self,
        pki: &Pki,
        outcome: &Result<ValidatedPath, Box<PathFailure>>,
    ) -> Result<(), String> {
        match (self, outcome) {
            (Expect::Fails(expected), Err(failure)) if *expected == failure.reason => Ok(()),
            (Expect::Fails(expected), other) => {
                Err(format!("expected {expected:?}, got {}", short(other)))
            }
            (Expect::Valid { algorithm, leaf }, Ok(path)) => {
                check_valid(pki, path, *algorithm, leaf)
            }
            (Expect::Valid { .. }, Err(failure)) => {
                Err(format!("expected valid, got {:?}", failure.reason))
            }
        }
    }
}

fn short(outcome: &Result<ValidatedPath, Box<PathFailure>>) -> String {
    match outcome {
        Ok(_) => "a valid path".to_owned(),
        Err(f) => format!("{:?}", f.reason),
    }
}

fn check_valid(
    pki: &Pki,
    path: &ValidatedPath,
    algorithm: SignatureAlgorithm,
    leaf: &Leaf,
) -> Result<(), String> {
    if path.anchor.subject != pki.subject("root") {
        return Err(format!("anchor {}", path.anchor.subject));
    }
    let signature = path
        .end_entity()
        .checks
        .signature
        .as_ref()
        .map(|s| s.algorithm);
    if signature != Some(algorithm) {
        return Err(format!(
            "signer signature {signature:?}, expected {algorithm:?}"
        ));
    }
    if path.certificates.len() != path.revocation.len() + 1 {
        return Err("one revocation fact per certificate below the anchor".to_owned());
    }
    let status = &path.revocation[0].status;
    let matched = match (leaf, status) {
        (Leaf::NotChecked, RevocationStatus::NotChecked) => true,
        (Leaf::Good(kind), RevocationStatus::Good { source, .. }) => source.kind == *kind,
        (
            Leaf::RevokedAfter { revoked_at, reason },
            RevocationStatus::RevokedAfter {
                revoked_at: got_at,
                reason: got_reason,
                ..
            },
        ) => revoked_at == got_at && Some(*reason) == *got_reason,
        (Leaf::Unknown(expected), RevocationStatus::Unknown { problems }) => {
            RevocationError::most_specific(problems) == *expected
        }
        _ => false,
    };
    if matched {
        Ok(())
    } else {
        Err(format!("signer revocation status {status:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// The declarative PKI description.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    P256,
    P384,
    Rsa(u32),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ca {
    No,
    ExplicitNo,
    Yes(Option<u8>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Anchor,
    Pool,
    EndEntity,
    Absent,
}

#[derive(Clone, Debug)]
enum Tweak {
    /// Sign with `openssl ca` (digest, PSS) instead of rcgen.
    OpensslCa { md: &'static str, pss: bool },
    /// Put this name in the issuer field (the signature stays the issuer's).
    IssuerNamed(&'static str),
    /// Sign with another certificate's key (the issuer name stays).
    SignedWithKeyOf(&'static str),
    /// Add an extension: OID arcs, DER value, criticality.
    Extension(&'static [u64], Vec<u8>, bool),
    /// Use the key of another spec.
    SameKeyAs(&'static str),
    /// Add an AIA OCSP URL and/or a CRL distribution point.
    Urls {
        ocsp: Option<String>,
        crl: Option<String>,
    },
}

#[derive(Clone, Debug)]
struct CertSpec {
    name: &'static str,
    cn: &'static str,
    org: Option<&'static str>,
    issuer: &'static str,
    key: Key,
    ca: Ca,
    usage: Vec<KeyUsagePurpose>,
    eku: Vec<ExtendedKeyUsagePurpose>,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    place: Place,
    tweaks: Vec<Tweak>,
}

impl CertSpec {
    fn ca(
        name: &'static str,
        cn: &'static str,
        issuer: &'static str,
        path_len: Option<u8>,
    ) -> Self {
        CertSpec {
            name,
            cn,
            org: None,
            issuer,
            key: Key::P256,
            ca: Ca::Yes(path_len),
            usage: vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign],
            eku: Vec::new(),
            not_before: datetime!(2020-01-01 0:00 UTC),
            not_after: datetime!(2040-01-01 0:00 UTC),
            place: Place::Pool,
            tweaks: Vec::new(),
        }
    }

    fn signer(name: &'static str, cn: &'static str, issuer: &'static str) -> Self {
        CertSpec {
            org: Some(LEAF_ORG),
            ca: Ca::No,
            usage: vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ],
            not_before: datetime!(2024-01-01 0:00 UTC),
            not_after: datetime!(2027-01-01 0:00 UTC),
            place: Place::EndEntity,
            ..CertSpec::ca(name, cn, issuer, None)
        }
    }

    fn responder(name: &'static str, cn: &'static str, issuer: &'static str) -> Self {
        CertSpec {
            usage: vec![KeyUsagePurpose::DigitalSignature],
            eku: vec![ExtendedKeyUsagePurpose::OcspSigning],
            not_before: datetime!(2024-01-01 0:00 UTC),
            not_after: datetime!(2036-01-01 0:00 UTC),
            place: Place::Absent,
            ..CertSpec::signer(name, cn, issuer)
        }
    }

    fn place(mut self, place: Place) -> Self {
        self.place = place;
        self
    }

    fn same_key_as(mut self, other: &'static str) -> Self {
        self.tweaks.push(Tweak::SameKeyAs(other));
        self
    }

    fn key_slot(&self) -> &'static str {
        self.tweaks
            .iter()
            .find_map(|t| match t {
                Tweak::SameKeyAs(other) => Some(*other),
                _ => None,
            })
            .unwrap_or(self.name)
    }
}

/// The specs of one PKI, issuers before what they issue.
struct Specs(Vec<CertSpec>);

impl Specs {
    fn base() -> Specs {
        Specs(vec![
            CertSpec::ca("root", ROOT_CN, "root", None).place(Place::Anchor),
            CertSpec {
                not_before: datetime!(2021-01-01 0:00 UTC),
                not_after: datetime!(2035-01-01 0:00 UTC),
                ..CertSpec::ca("int", INT_CN, "root", Some(0))
            },
            CertSpec::signer("leaf", LEAF_CN, "int"),
        ])
    }

    fn get(&mut self, name: &str) -> &mut CertSpec {
        self.0
            .iter_mut()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no spec {name}"))
    }

    /// The spec named `name`, with its index.
    fn find(&self, name: &str) -> (usize, &CertSpec) {
        self.0
            .iter()
            .enumerate()
            .find(|(_, s)| s.name == name)
            .unwrap_or_else(|| panic!("no spec {name}"))
    }

    fn push(&mut self, spec: CertSpec) {
        self.0.push(spec);
    }

    fn insert_before(&mut self, name: &str, spec: CertSpec) {
        let at = self
            .0
            .iter()
            .position(|s| s.name == name)
            .unwrap_or(self.0.len());
        self.0.insert(at, spec);
    }
}

/// Revocation evidence to make.
#[derive(Clone)]
enum Evidence {
    Crl(CrlSpec),
    Ocsp(OcspSpec),
}

#[derive(Clone)]
struct CrlSpec {
    issuer: &'static str,
    this_update: OffsetDateTime,
    next_update: OffsetDateTime,
    revoked: Vec<(&'static str, OffsetDateTime, CrlReason)>,
    tamper: bool,
}

impl CrlSpec {
    /// A CRL issued after the signing time: it speaks for the status at that time.
    fn new(issuer: &'static str) -> Self {
        CrlSpec {
            issuer,
            this_update: datetime!(2025-07-01 0:00 UTC),
            next_update: datetime!(2025-07-08 0:00 UTC),
            revoked: Vec::new(),
            tamper: false,
        }
    }
}

#[derive(Clone)]
struct OcspSpec {
    cert: &'static str,
    responder: &'static str,
    revoked: Option<(OffsetDateTime, &'static str)>,
    tamper: bool,
}

impl OcspSpec {
    /// A response about the signer from `responder` (openssl stamps thisUpdate with the real
    /// current time, after the signing time).
    fn new(responder: &'static str) -> Self {
        OcspSpec {
            cert: "leaf",
            responder,
            revoked: None,
            tamper: false,
        }
    }
}

/// A row under construction.
fn case(name: &'static str, edit: fn(&mut Specs)) -> Case {
    Case {
        name,
        edit,
        evidence: Vec::new(),
        policy: RevocationPolicy::SoftFail,
        purpose: Purpose::DocumentSigning,
        expect: |_| Expect::Fails(PathError::MaxDepthExceeded { max: 0 }),
    }
}

impl Case {
    fn evidence(mut self, evidence: Vec<Evidence>) -> Self {
        self.evidence = evidence;
        self
    }
    fn policy(mut self, policy: RevocationPolicy) -> Self {
        self.policy = policy;
        self
    }
    fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }
    fn expect(mut self, expect: fn(&Pki) -> Expect) -> Self {
        self.expect = expect;
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Making the PKI from the description.
// ---------------------------------------------------------------------------------------------

struct Made {
    spec: CertSpec,
    der: Vec<u8>,
    pem: String,
    key_pem: String,
    params: CertificateParams,
}

struct Pki {
    made: Vec<Made>,
}

impl Pki {
    /// Makes every certificate in order. An issuer is described by its spec (name, key), so a
    /// certificate may be issued by a spec listed after it: that is how pool loops are made.
    fn make(specs: &Specs, dir: &Path) -> Pki {
        let mut pki = Pki { made: Vec::new() };
        for (index, spec) in specs.0.iter().enumerate() {
            let made = pki.make_one(specs, spec, index, dir);
            pki.made.push(made);
        }
        pki
    }

    fn get(&self, name: &str) -> &Made {
        self.made
            .iter()
            .find(|m| m.spec.name == name)
            .unwrap_or_else(|| panic!("no cert {name}"))
    }

    fn subject(&self, name: &str) -> String {
        let (_, cert) = x509_parser::parse_x509_certificate(&self.get(name).der)
            .expect("made certificates parse");
        cert.subject().to_string()
    }

    fn placed(&self, place: Place) -> Vec<Vec<u8>> {
        self.made
            .iter()
            .filter(|m| m.spec.place == place)
            .map(|m| m.der.clone())
            .collect()
    }

    fn trust_store(&self) -> TrustStore {
        let mut store = TrustStore::new();
        for m in self.made.iter().filter(|m| m.spec.place == Place::Anchor) {
            store
                .add_der(&m.der, AnchorSource::Memory(m.spec.name.to_owned()))
                .expect("anchor parses");
        }
        store
    }

    fn make_one(&self, specs: &Specs, spec: &CertSpec, index: usize, dir: &Path) -> Made {
        let own_key = key_pem(spec.key_slot(), spec.key);
        let own_params = params(spec, index);
        let openssl = spec.tweaks.iter().find_map(|t| match t {
            Tweak::OpensslCa { md, pss } => Some((*md, *pss)),
            _ => None,
        });
        let (der, pem) = if let Some((md, pss)) = openssl {
            openssl_ca(spec, index, &own_key, self.get(spec.issuer), md, pss, dir)
        } else if spec.issuer == spec.name {
            let key = signing_key(&own_key, spec.key).expect("self-signed keys can sign");
            let cert = own_params
                .self_signed(&key)
                .expect("self-signed certificate");
            (cert.der().to_vec(), cert.pem())
        } else {
            let issuer = specs.find(spec.issuer);
            let signer = spec
                .tweaks
                .iter()
                .find_map(|t| match t {
                    Tweak::SignedWithKeyOf(other) => Some(specs.find(other)),
                    _ => None,
                })
                .unwrap_or(issuer);
            let mut issuer_params = params(issuer.1, issuer.0);
            if let Some(name) = spec.tweaks.iter().find_map(|t| match t {
                Tweak::IssuerNamed(n) => Some(*n),
                _ => None,
            }) {
                issuer_params.distinguished_name = dn(name, None);
            }
            let signer_key = signing_key(&key_pem(signer.1.key_slot(), signer.1.key), signer.1.key)
                .expect("issuer keys sign in rcgen");
            let issuer = Issuer::new(issuer_params, signer_key);
            let cert = match signing_key(&own_key, spec.key) {
                Some(subject_key) => own_params.signed_by(&subject_key, &issuer),
                None => {
                    let spki = rcgen::SubjectPublicKeyInfo::from_der(&public_key_der(&own_key))
                        .expect("SPKI");
                    own_params.signed_by(&spki, &issuer)
                }
            }
            .expect("rcgen signs");
            (cert.der().to_vec(), cert.pem())
        };
        Made {
            spec: spec.clone(),
            der,
            pem,
            key_pem: own_key,
            params: own_params,
        }
    }

    fn crls(&self, evidence: &[Evidence]) -> Vec<Vec<u8>> {
        evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Crl(spec) => Some(self.crl(spec)),
                Evidence::Ocsp(_) => None,
            })
            .collect()
    }

    fn crl(&self, spec: &CrlSpec) -> Vec<u8> {
        let issuer = self.get(spec.issuer);
        let revoked_certs = spec
            .revoked
            .iter()
            .map(|(name, at, reason)| RevokedCertParams {
                serial_number: SerialNumber::from_slice(&serial(self.index(name))),
                revocation_time: *at,
                reason_code: Some(*reason),
                invalidity_date: None,
            })
            .collect();
        let params = CertificateRevocationListParams {
            this_update: spec.this_update,
            next_update: spec.next_update,
            crl_number: SerialNumber::from_slice(&[7]),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        // rcgen refuses to sign a CRL for an issuer whose key usages lack cRLSign; clear them
        // so that the "CRL issuer without cRLSign" case can be made (our check must catch it).
        let mut issuer_params = issuer.params.clone();
        issuer_params.key_usages.clear();
        let key = KeyPair::from_pem(&issuer.key_pem).expect("issuer key");
        let mut der = params
            .signed_by(&Issuer::new(issuer_params, key))
            .expect("CRL")
            .der()
            .to_vec();
        if spec.tamper {
            let last = der.len() - 1;
            der[last] ^= 0x01;
        }
        der
    }

    fn index(&self, name: &str) -> usize {
        self.made
            .iter()
            .position(|m| m.spec.name == name)
            .unwrap_or_else(|| panic!("no cert {name}"))
    }

    fn ocsp_responses(&self, evidence: &[Evidence], dir: &Path) -> Vec<Vec<u8>> {
        evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Ocsp(spec) => Some(self.ocsp(spec, dir)),
                Evidence::Crl(_) => None,
            })
            .collect()
    }

    /// Asks a real `openssl ocsp` (file mode) about `spec.cert`.
    fn ocsp(&self, spec: &OcspSpec, dir: &Path) -> Vec<u8> {
        let cert = self.get(spec.cert);
        let issuer = self.get(cert.spec.issuer);
        let responder = self.get(spec.responder);
        let files = OcspFiles::write(self, cert, issuer, responder, spec.revoked, dir);
        let request =
            vanban::pki::revocation::ocsp_request(&cert.der, &issuer.der, None).expect("request");
        fs::write(dir.join("req.der"), request).expect("write request");
        let response = dir.join("resp.der");
        let request = dir.join("req.der");
        openssl(&[
            a("ocsp"),
            a("-index"),
            files.index.as_os_str(),
            a("-CA"),
            files.ca.as_os_str(),
            a("-rsigner"),
            files.rsigner.as_os_str(),
            a("-rkey"),
            files.rkey.as_os_str(),
            a("-reqin"),
            request.as_os_str(),
            a("-respout"),
            response.as_os_str(),
            a("-ndays"),
            a("30"),
        ]);
        let der = fs::read(&response).expect("openssl wrote a response");
        if spec.tamper {
            tamper_ocsp_signature(&der)
        } else {
            der
        }
    }
}

/// The files `openssl ocsp` reads: index, CA certificate, responder certificate and key.
struct OcspFiles {
    index: PathBuf,
    ca: PathBuf,
    rsigner: PathBuf,
    rkey: PathBuf,
}

impl OcspFiles {
    fn write(
        pki: &Pki,
        cert: &Made,
        issuer: &Made,
        responder: &Made,
        revoked: Option<(OffsetDateTime, &str)>,
        dir: &Path,
    ) -> Self {
        let status = match revoked {
            Some((at, reason)) => format!(
                "R\t{}\t{},{reason}",
                utc_time(cert.spec.not_after),
                utc_time(at)
            ),
            None => format!("V\t{}\t", utc_time(cert.spec.not_after)),
        };
        let serial_hex: String = serial(pki.index(cert.spec.name))
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let line = format!("{status}\t{serial_hex}\tunknown\t/CN={}\n", cert.spec.cn);
        let files = OcspFiles {
            index: dir.join("index.txt"),
            ca: dir.join("ca.pem"),
            rsigner: dir.join("rsigner.pem"),
            rkey: dir.join("rkey.pem"),
        };
        fs::write(&files.index, line).expect("index");
        fs::write(&files.ca, &issuer.pem).expect("ca");
        fs::write(&files.rsigner, &responder.pem).expect("rsigner");
        fs::write(&files.rkey, &responder.key_pem).expect("rkey");
        files
    }
}

fn utc_time(t: OffsetDateTime) -> String {
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        t.year() % 100,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Flips a bit in the signature of an OCSP response, re-encoding around it.
fn tamper_ocsp_signature(der: &[u8]) -> Vec<u8> {
    use der::{Decode, Encode};
    let mut response = x509_ocsp::OcspResponse::from_der(der).expect("response");
    let bytes = response.response_bytes.as_mut().expect("successful");
    let mut basic =
        x509_ocsp::BasicOcspResponse::from_der(bytes.response.as_bytes()).expect("basic");
    let mut signature = basic.signature.raw_bytes().to_vec();
    let middle = signature.len() / 2;
    signature[middle] ^= 0x01;
    basic.signature = der::asn1::BitString::from_bytes(&signature).expect("bit string");
    bytes.response = der::asn1::OctetString::new(basic.to_der().expect("encode")).expect("octets");
    response.to_der().expect("encode")
}

fn serial(index: usize) -> [u8; 2] {
    [
        0x10,
        u8::try_from(index).expect("fewer than 256 certificates"),
    ]
}

fn dn(cn: &str, org: Option<&str>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, "VN");
    if let Some(org) = org {
        dn.push(
            DnType::OrganizationName,
            rcgen::DnValue::Utf8String(org.to_owned()),
        );
    }
    dn.push(
        DnType::CommonName,
        rcgen::DnValue::Utf8String(cn.to_owned()),
    );
    dn
}

fn params(spec: &CertSpec, index: usize) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = dn(spec.cn, spec.org);
    params.not_before = spec.not_before;
    params.not_after = spec.not_after;
    params.serial_number = Some(SerialNumber::from_slice(&serial(index)));
    params.is_ca = match spec.ca {
        Ca::No => IsCa::NoCa,
        Ca::ExplicitNo => IsCa::ExplicitNoCa,
        Ca::Yes(None) => IsCa::Ca(BasicConstraints::Unconstrained),
        Ca::Yes(Some(n)) => IsCa::Ca(BasicConstraints::Constrained(n)),
    };
    params.key_usages = spec.usage.clone();
    params.extended_key_usages = spec.eku.clone();
    params.use_authority_key_identifier_extension = true;
    for tweak in &spec.tweaks {
        match tweak {
            Tweak::Extension(oid, value, critical) => {
                let mut ext = CustomExtension::from_oid_content(oid, value.clone());
                ext.set_criticality(*critical);
                params.custom_extensions.push(ext);
            }
            Tweak::Urls { ocsp, crl } => {
                if let Some(ocsp) = ocsp {
                    let aia = CustomExtension::from_oid_content(
                        &[1, 3, 6, 1, 5, 5, 7, 1, 1],
                        aia_ocsp(ocsp),
                    );
                    params.custom_extensions.push(aia);
                }
                if let Some(crl) = crl {
                    params
                        .crl_distribution_points
                        .push(rcgen::CrlDistributionPoint {
                            uris: vec![crl.clone()],
                        });
                }
            }
            _ => {}
        }
    }
    params
}

/// AuthorityInfoAccessSyntax with one id-ad-ocsp URI.
fn aia_ocsp(url: &str) -> Vec<u8> {
    let mut description = vec![
        0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x86,
    ];
    description.push(u8::try_from(url.len()).expect("short URL"));
    description.extend_from_slice(url.as_bytes());
    let mut access = vec![0x30, u8::try_from(description.len()).expect("short")];
    access.extend(description);
    let mut all = vec![0x30, u8::try_from(access.len()).expect("short")];
    all.extend(access);
    all
}

/// Keys by slot, generated once per test run (RSA through openssl: rcgen's ring backend
/// cannot generate RSA keys).
fn key_pem(slot: &str, key: Key) -> String {
    static KEYS: Mutex<Option<HashMap<(String, Key), String>>> = Mutex::new(None);
    let mut keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    let keys = keys.get_or_insert_with(HashMap::new);
    keys.entry((slot.to_owned(), key))
        .or_insert_with(|| match key {
            Key::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
                .expect("P-256")
                .serialize_pem(),
            Key::P384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)
                .expect("P-384")
                .serialize_pem(),
            Key::Rsa(bits) => openssl_out(&[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                &format!("rsa_keygen_bits:{bits}"),
            ]),
        })
        .clone()
}

/// An rcgen signing key, or `None` for keys ring refuses (RSA under 2048 bits).
fn signing_key(pem: &str, key: Key) -> Option<KeyPair> {
    let algorithm = match key {
        Key::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        Key::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        Key::Rsa(bits) if bits < 2048 => return None,
        Key::Rsa(_) => &rcgen::PKCS_RSA_SHA256,
    };
    Some(KeyPair::from_pem_and_sign_algo(pem, algorithm).expect("key loads"))
}

fn public_key_der(pem: &str) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(["pkey", "-pubout", "-outform", "DER"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("openssl runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pem.as_bytes())
        .expect("write key");
    let out = child.wait_with_output().expect("openssl pkey");
    assert!(out.status.success(), "openssl pkey failed");
    out.stdout
}

/// Issues `spec` with `openssl ca`, at the dates of the spec (so no dependence on "now").
fn openssl_ca(
    spec: &CertSpec,
    index: usize,
    key_pem: &str,
    issuer: &Made,
    md: &str,
    pss: bool,
    dir: &Path,
) -> (Vec<u8>, String) {
    let dir = dir.join(format!("ca-{}", spec.name));
    fs::create_dir_all(&dir).expect("dir");
    let path = |name: &str| dir.join(name);
    fs::write(path("key.pem"), key_pem).expect("key");
    fs::write(path("issuer.pem"), &issuer.pem).expect("issuer");
    fs::write(path("issuer-key.pem"), &issuer.key_pem).expect("issuer key");
    fs::write(path("index.txt"), "").expect("index");
    let serial_hex: String = serial(index).iter().map(|b| format!("{b:02X}")).collect();
    fs::write(path("serial"), format!("{serial_hex}\n")).expect("serial");
    fs::write(path("ca.cnf"), openssl_config(spec, &dir)).expect("config");
    let org = spec.org.map(|o| format!("/O={o}")).unwrap_or_default();
    let subject = format!("/C=VN{org}/CN={}", spec.cn);
    let (key, csr, config, issuer_pem, issuer_key, out) = (
        path("key.pem"),
        path("req.csr"),
        path("ca.cnf"),
        path("issuer.pem"),
        path("issuer-key.pem"),
        path("out.pem"),
    );
    openssl(&[
        a("req"),
        a("-new"),
        a("-utf8"),
        a("-subj"),
        a(&subject),
        a("-key"),
        key.as_os_str(),
        a("-out"),
        csr.as_os_str(),
    ]);
    let start = utc_time(spec.not_before);
    let end = utc_time(spec.not_after);
    let mut args = vec![
        a("ca"),
        a("-batch"),
        a("-notext"),
        a("-preserveDN"),
        a("-utf8"),
        a("-md"),
        a(md),
        a("-startdate"),
        a(&start),
        a("-enddate"),
        a(&end),
        a("-extensions"),
        a("v3"),
        a("-config"),
        config.as_os_str(),
        a("-in"),
        csr.as_os_str(),
        a("-cert"),
        issuer_pem.as_os_str(),
        a("-keyfile"),
        issuer_key.as_os_str(),
        a("-out"),
        out.as_os_str(),
    ];
    if pss {
        args.extend([
            a("-sigopt"),
            a("rsa_padding_mode:pss"),
            a("-sigopt"),
            a("rsa_pss_saltlen:digest"),
        ]);
    }
    openssl(&args);
    let pem = fs::read_to_string(&out).expect("openssl wrote the certificate");
    let der = openssl_out_file(&["x509", "-outform", "DER", "-in"], &out);
    (der, pem)
}

fn openssl_config(spec: &CertSpec, dir: &Path) -> String {
    let usage: Vec<&str> = spec
        .usage
        .iter()
        .map(|u| match u {
            KeyUsagePurpose::DigitalSignature => "digitalSignature",
            KeyUsagePurpose::ContentCommitment => "nonRepudiation",
            KeyUsagePurpose::KeyEncipherment => "keyEncipherment",
            KeyUsagePurpose::KeyCertSign => "keyCertSign",
            KeyUsagePurpose::CrlSign => "cRLSign",
            other => panic!("usage {other:?} not mapped for openssl"),
        })
        .collect();
    let constraints = match spec.ca {
        Ca::Yes(Some(n)) => format!("critical,CA:TRUE,pathlen:{n}"),
        Ca::Yes(None) => "critical,CA:TRUE".to_owned(),
        Ca::No | Ca::ExplicitNo => "critical,CA:FALSE".to_owned(),
    };
    format!(
        "[ca]\ndefault_ca = d\n[d]\ndatabase = {db}\nnew_certs_dir = {dir}\nserial = {serial}\npolicy = p\nunique_subject = no\n\
         [p]\ncommonName = supplied\n\
         [v3]\nbasicConstraints = {constraints}\nkeyUsage = critical,{usage}\nauthorityKeyIdentifier = keyid\nsubjectKeyIdentifier = hash\n",
        db = dir.join("index.txt").display(),
        dir = dir.display(),
        serial = dir.join("serial").display(),
        usage = usage.join(","),
    )
}

fn openssl(args: &[&OsStr]) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn a(text: &str) -> &OsStr {
    OsStr::new(text)
}

fn openssl_out(args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("PEM is text")
}

fn openssl_out_file(args: &[&str], path: &Path) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .arg(path)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("vanban-pki-{tag}-{}-{n}", std::process::id()));
        fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Facts of a validated path.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_validated_path_lists_every_fact() {
    let dir = TempDir::new("facts");
    let pki = Pki::make(&Specs::base(), dir.path());
    let evidence = vec![root_crl(), int_crl(&[])];
    let options = RevocationOptions {
        policy: RevocationPolicy::Required,
        crls: pki.crls(&evidence),
        ..RevocationOptions::default()
    };
    let store = pki.trust_store();
    let path = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool([pki.get("int").der.as_slice()])
        .with_revocation(&options)
        .validate()
        .expect("the base chain validates");

    let roles: Vec<_> = path.certificates.iter().map(|c| c.role).collect();
    use vanban::pki::path::CertRole;
    assert_eq!(
        roles,
        [
            CertRole::EndEntity,
            CertRole::Intermediate,
            CertRole::TrustAnchor
        ]
    );
    let leaf = path.end_entity();
    assert_eq!(
        leaf.subject,
        "C=VN, O=Ủy ban nhân dân tỉnh Hà Giang, CN=Nguyễn Văn A"
    );
    assert_eq!(leaf.der, pki.get("leaf").der);
    assert_eq!(leaf.serial, "1002");
    assert_eq!(
        leaf.checks.key_usage.bits.as_deref(),
        Some(&["digitalSignature", "nonRepudiation"][..])
    );
    assert_eq!(
        leaf.checks.key_usage.required,
        "digitalSignature or nonRepudiation"
    );
    assert_eq!(leaf.checks.validity.at, AT);
    assert_eq!(
        leaf.checks.validity.not_after,
        datetime!(2027-01-01 0:00 UTC)
    );
    assert_eq!(leaf.checks.critical_extensions, ["2.5.29.15"]);
    let signature = leaf
        .checks
        .signature
        .as_ref()
        .expect("the signer's signature was checked");
    assert_eq!(signature.algorithm, SignatureAlgorithm::EcdsaSha256);
    assert_eq!(signature.verified_with, pki.subject("int"));

    let int = &path.certificates[1];
    let constraints = int
        .checks
        .basic_constraints
        .expect("CA has basicConstraints");
    assert!(constraints.ca);
    assert_eq!(constraints.path_len, Some(0));
    assert_eq!(
        int.checks.key_usage.bits.as_deref(),
        Some(&["keyCertSign", "cRLSign"][..])
    );
    assert_eq!(
        int.checks
            .signature
            .as_ref()
            .map(|s| s.verified_with.clone()),
        Some(pki.subject("root"))
    );

    let anchor = &path.certificates[2];
    assert_eq!(
        anchor.checks.signature, None,
        "the anchor is trusted as configured"
    );
    assert_eq!(path.anchor.subject, pki.subject("root"));
    assert_eq!(path.anchor.source, AnchorSource::Memory("root".to_owned()));

    // Revocation: one fact per certificate below the anchor, with the CRL used as evidence.
    assert_eq!(path.revocation.len(), 2);
    assert_eq!(
        path.revocation[0].status,
        RevocationStatus::Good {
            source: embedded(EvidenceKind::Crl, 1),
            this_update: datetime!(2025-07-01 0:00 UTC),
            next_update: Some(datetime!(2025-07-08 0:00 UTC)),
        }
    );
    assert_eq!(
        path.revocation[0].evidence.as_deref(),
        Some(options.crls[1].as_slice())
    );
    assert_eq!(path.revocation[1].subject, pki.subject("int"));
    assert!(
        matches!(&path.revocation[1].status, RevocationStatus::Good { source, .. } if *source == embedded(EvidenceKind::Crl, 0))
    );
    assert_eq!(path.certificates_der().len(), 3);
    let _proof: vanban::pki::path::ChainValidated = path.proof();
}

#[test]
fn validation_time_is_a_parameter_not_now() {
    let dir = TempDir::new("time");
    let pki = Pki::make(&Specs::base(), dir.path());
    let store = pki.trust_store();
    let pool = [pki.get("int").der.as_slice()];
    let at_signing = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool(pool)
        .validate();
    assert!(at_signing.is_ok());
    let later = datetime!(2030-01-01 0:00 UTC);
    let at_2030 = PathRequest::new(&pki.get("leaf").der, &store, later)
        .with_pool(pool)
        .validate();
    assert_eq!(
        at_2030.map(|_| ()).map_err(|f| f.reason),
        Err(PathError::CertExpired {
            subject: pki.subject("leaf"),
            not_after: datetime!(2027-01-01 0:00 UTC),
            at: later,
        })
    );
}

#[test]
fn junk_in_the_pool_is_listed_and_ignored() {
    let dir = TempDir::new("junk");
    let pki = Pki::make(&Specs::base(), dir.path());
    let store = pki.trust_store();
    let junk: &[u8] = b"\x30\x03\x02\x01";
    let path = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool([junk, pki.get("int").der.as_slice()])
        .validate()
        .expect("the real intermediate still completes the path");
    assert_eq!(path.ignored_pool.len(), 1);
    assert_eq!(path.ignored_pool[0].index, 0);
}

#[test]
fn a_malformed_end_entity_is_a_typed_error() {
    let store = TrustStore::new();
    let failure = PathRequest::new(b"not a certificate", &store, AT)
        .validate()
        .map(|_| ())
        .expect_err("junk");
    assert!(
        matches!(failure.reason, PathError::BadEncoding { ref what, .. } if what == "end-entity certificate")
    );
}

// ---------------------------------------------------------------------------------------------
// Revocation over the network and from the cache.
// ---------------------------------------------------------------------------------------------

/// A child process killed when the test ends, whatever happens.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Waits for `openssl ocsp` to say it listens. (Probing the port with a connection would
/// wedge its single-threaded accept loop.) Its stderr is then drained by a thread.
fn wait_until_listening(child: &mut Child) {
    use std::io::BufRead;
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = std::io::BufReader::new(stderr).lines();
    loop {
        let line = lines
            .next()
            .expect("openssl ocsp exited before listening")
            .expect("stderr");
        if line.contains("waiting for OCSP client connections") {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
}

fn network(timeout: Duration) -> NetworkPolicy {
    NetworkPolicy::Allowed(FetchLimits {
        timeout,
        ..FetchLimits::default()
    })
}

fn with_urls(ocsp: Option<String>, crl: Option<String>) -> Specs {
    let mut specs = Specs::base();
    specs.get("leaf").tweaks.push(Tweak::Urls { ocsp, crl });
    with_responders(&mut specs);
    specs
}

#[test]
fn ocsp_is_fetched_from_a_live_openssl_responder_then_read_from_the_cache() {
    let dir = TempDir::new("ocsp-http");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    let pki = Pki::make(&with_urls(Some(url.clone()), None), dir.path());
    let (leaf, int, resp) = (pki.get("leaf"), pki.get("int"), pki.get("resp"));
    let files = OcspFiles::write(&pki, leaf, int, resp, None, dir.path());
    let mut responder = Killed(
        Command::new("openssl")
            .args([
                a("ocsp"),
                a("-index"),
                files.index.as_os_str(),
                a("-CA"),
                files.ca.as_os_str(),
            ])
            .args([
                a("-rsigner"),
                files.rsigner.as_os_str(),
                a("-rkey"),
                files.rkey.as_os_str(),
            ])
            .args(["-port", &port.to_string(), "-ndays", "30"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("openssl ocsp starts"),
    );
    wait_until_listening(&mut responder.0);
    let cache_dir = dir.path().join("cache");
    let options = RevocationOptions {
        policy: RevocationPolicy::Required,
        crls: pki.crls(&[root_crl()]),
        cache: Some(RevocationCache {
            dir: cache_dir.clone(),
            writable: true,
        }),
        network: network(Duration::from_secs(10)),
        ..RevocationOptions::default()
    };
    let store = pki.trust_store();
    let pool = [int.der.as_slice()];
    let fetched = PathRequest::new(&leaf.der, &store, AT)
        .with_pool(pool)
        .with_revocation(&options)
        .validate();
    drop(responder);
    let fetched = fetched.expect("valid with a fetched OCSP response");
    let RevocationStatus::Good { source, .. } = &fetched.revocation[0].status else {
        panic!("expected good, got {:?}", fetched.revocation[0].status);
    };
    assert_eq!(
        *source,
        RevocationSource {
            kind: EvidenceKind::Ocsp,
            origin: EvidenceOrigin::Fetched { url }
        }
    );

    // The verified response was stored; offline, the cache answers.
    let offline = RevocationOptions {
        network: NetworkPolicy::Offline,
        cache: Some(RevocationCache {
            dir: cache_dir.clone(),
            writable: false,
        }),
        ..options.clone()
    };
    let cached = PathRequest::new(&leaf.der, &store, AT)
        .with_pool(pool)
        .with_revocation(&offline)
        .validate();
    let cached = cached.expect("valid from the cache");
    let RevocationStatus::Good { source, .. } = &cached.revocation[0].status else {
        panic!("expected good, got {:?}", cached.revocation[0].status);
    };
    assert_eq!(source.kind, EvidenceKind::Ocsp);
    assert!(
        matches!(&source.origin, EvidenceOrigin::Cache { path } if path.starts_with(&cache_dir))
    );
}

/// Serves `body` to each of `connections` HTTP requests on `listener`, then stops; returns how
/// many it served.
fn serve(
    listener: TcpListener,
    body: Vec<u8>,
    connections: usize,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            served += 1;
        }
        served
    })
}

#[test]
fn a_crl_is_fetched_over_http_within_its_size_cap() {
    let dir = TempDir::new("crl-http");
    // The port goes into the certificate's distribution point, so bind first.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let url = format!("http://127.0.0.1:{port}/int.crl");
    let pki = Pki::make(&with_urls(None, Some(url.clone())), dir.path());
    let crl = pki.crls(&[int_crl(&[])]).remove(0);
    let server = serve(listener, crl.clone(), 2);

    let store = pki.trust_store();
    let pool = [pki.get("int").der.as_slice()];
    let allowed = RevocationOptions {
        crls: pki.crls(&[root_crl()]),
        policy: RevocationPolicy::Required,
        network: network(Duration::from_secs(10)),
        ..RevocationOptions::default()
    };
    let path = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool(pool)
        .with_revocation(&allowed)
        .validate()
        .expect("valid with the fetched CRL");
    assert_eq!(
        path.revocation[0].status,
        RevocationStatus::Good {
            source: RevocationSource {
                kind: EvidenceKind::Crl,
                origin: EvidenceOrigin::Fetched { url: url.clone() }
            },
            this_update: datetime!(2025-07-01 0:00 UTC),
            next_update: Some(datetime!(2025-07-08 0:00 UTC)),
        }
    );
    assert_eq!(path.revocation[0].evidence.as_deref(), Some(crl.as_slice()));

    let capped = RevocationOptions {
        network: NetworkPolicy::Allowed(FetchLimits {
            max_crl_bytes: 100,
            ..FetchLimits::default()
        }),
        ..allowed.clone()
    };
    let failure = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool(pool)
        .with_revocation(&capped)
        .validate()
        .map(|_| ())
        .expect_err("the CRL is over the cap");
    assert_eq!(
        failure.reason,
        PathError::RevocationUnknown {
            subject: pki.subject("leaf"),
            error: RevocationError::TooLarge { url, limit: 100 },
        }
    );
    assert_eq!(server.join().expect("server"), 2);
}

#[test]
fn the_network_is_off_by_default() {
    let dir = TempDir::new("offline");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let base = format!("http://127.0.0.1:{port}");
    let pki = Pki::make(
        &with_urls(
            Some(format!("{base}/ocsp")),
            Some(format!("{base}/int.crl")),
        ),
        dir.path(),
    );
    let store = pki.trust_store();
    let path = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool([pki.get("int").der.as_slice()])
        .validate()
        .expect("valid under soft-fail");
    assert_eq!(
        path.revocation[0].status,
        RevocationStatus::Unknown {
            problems: vec![RevocationError::NoRevocationInfo]
        }
    );
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "no connection may be made without NetworkPolicy::Allowed"
    );
}

#[test]
fn a_silent_server_times_out() {
    let dir = TempDir::new("timeout");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let url = format!("http://127.0.0.1:{port}/int.crl");
    let pki = Pki::make(&with_urls(None, Some(url.clone())), dir.path());
    // Accept, read, never answer; the connection stays open until the test ends.
    let holder = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        std::thread::sleep(Duration::from_secs(3));
    });
    let store = pki.trust_store();
    let options = RevocationOptions {
        network: network(Duration::from_millis(500)),
        ..RevocationOptions::default()
    };
    let path = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool([pki.get("int").der.as_slice()])
        .with_revocation(&options)
        .validate()
        .expect("valid under soft-fail");
    let RevocationStatus::Unknown { problems } = &path.revocation[0].status else {
        panic!("expected unknown, got {:?}", path.revocation[0].status);
    };
    assert!(
        matches!(&problems[..], [RevocationError::Fetch { url: u, detail }] if *u == url && detail.contains("timeout")),
        "{problems:?}"
    );
    holder.join().expect("holder");
}

// ---------------------------------------------------------------------------------------------
// The trust store.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_trust_store_reads_the_default_dir_configured_dirs_and_files() {
    let dir = TempDir::new("trust");
    let mut specs = Specs::base();
    specs.push(CertSpec::ca(
        "other-root",
        "Nhà cung cấp dịch vụ khác",
        "other-root",
        None,
    ));
    specs.push(CertSpec::ca(
        "third-root",
        "Ban Cơ yếu Chính phủ (thử nghiệm)",
        "third-root",
        None,
    ));
    let pki = Pki::make(&specs, dir.path());

    let base = dir.path().join("project");
    let trusted = base.join("certs").join("trusted");
    fs::create_dir_all(&trusted).expect("dirs");
    let bundle = format!("{}{}", pki.get("root").pem, pki.get("other-root").pem);
    fs::write(trusted.join("bundle.pem"), bundle).expect("bundle");
    fs::write(trusted.join("notes.txt"), "not read").expect("notes");
    let extra = dir.path().join("extra");
    fs::create_dir_all(&extra).expect("extra");
    fs::write(extra.join("ban-co-yeu.cer"), &pki.get("third-root").der).expect("DER .cer");
    let explicit = dir.path().join("again.pem");
    fs::write(&explicit, &pki.get("root").pem).expect("duplicate root");

    let config = TrustConfig {
        base: Some(base),
        dirs: vec![extra.clone()],
        files: vec![explicit],
    };
    let store = TrustStore::load(&config).expect("loads");
    let subjects: Vec<&str> = store.anchors().iter().map(|a| a.subject()).collect();
    let expected = [
        pki.subject("root"),
        pki.subject("other-root"),
        pki.subject("third-root"),
    ];
    assert_eq!(
        subjects,
        expected.iter().map(String::as_str).collect::<Vec<_>>(),
        "the duplicate root is kept once"
    );
    assert_eq!(
        store.anchors()[1].source(),
        &AnchorSource::File {
            path: trusted.join("bundle.pem"),
            index: 1
        }
    );
    assert_eq!(
        store.anchors()[2].source(),
        &AnchorSource::File {
            path: extra.join("ban-co-yeu.cer"),
            index: 0
        }
    );

    // The store validates the base chain, and the facts name the file the anchor came from.
    let path = PathRequest::new(&pki.get("leaf").der, &store, AT)
        .with_pool([pki.get("int").der.as_slice()])
        .validate()
        .expect("valid against the loaded store");
    assert_eq!(
        path.anchor.source,
        AnchorSource::File {
            path: trusted.join("bundle.pem"),
            index: 0
        }
    );
}

#[test]
fn the_trust_store_refuses_keys_garbage_and_missing_files() {
    let dir = TempDir::new("trust-bad");
    let key = dir.path().join("key.pem");
    fs::write(&key, key_pem("trust-bad", Key::P256)).expect("key");
    let garbage = dir.path().join("garbage.der");
    fs::write(&garbage, b"\x30\x82\xff\xff not a certificate").expect("garbage");
    let empty = dir.path().join("empty.pem");
    fs::write(
        &empty,
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    )
    .expect("empty");
    let missing = dir.path().join("missing.pem");

    let load = |file: &Path| {
        TrustStore::load(&TrustConfig {
            files: vec![file.to_path_buf()],
            ..TrustConfig::default()
        })
    };
    assert!(
        matches!(load(&key), Err(TrustError::UnexpectedPemBlock { label, index: 0, .. }) if label == "PRIVATE KEY")
    );
    assert!(matches!(
        load(&garbage),
        Err(TrustError::BadCertificate { index: 0, .. })
    ));
    assert!(matches!(
        load(&empty),
        Err(TrustError::Pem { index: 0, .. })
    ));
    assert!(matches!(load(&missing), Err(TrustError::Io { path, .. }) if path == missing));

    // No certs/trusted under the base: an empty store, not an error.
    let store = TrustStore::load(&TrustConfig {
        base: Some(dir.path().to_path_buf()),
        ..TrustConfig::default()
    });
    assert!(store.expect("empty is fine").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile bytes.
// ---------------------------------------------------------------------------------------------

/// Corrupts certificates, CRLs and OCSP responses a byte or a length at a time. Nothing may
/// panic, and no corrupted input may validate: every byte of each is either structure (a
/// change breaks parsing) or covered by a signature.
#[test]
fn corrupted_certificates_crls_and_ocsp_responses_never_validate() {
    let dir = TempDir::new("corrupt");
    let mut specs = Specs::base();
    with_responders(&mut specs);
    let pki = Pki::make(&specs, dir.path());
    let store = pki.trust_store();
    let root_crl = pki.crls(&[root_crl()]).remove(0);
    let int_crl = pki.crls(&[int_crl(&[])]).remove(0);
    let ocsp = pki
        .ocsp_responses(&[Evidence::Ocsp(OcspSpec::new("resp"))], dir.path())
        .remove(0);
    let originals = [
        pki.get("leaf").der.clone(),
        pki.get("int").der.clone(),
        int_crl,
        ocsp,
    ];
    // Every single-bit flip at every position, then truncations at every 7th length.
    let mut corruptions: Vec<(usize, Vec<u8>)> = Vec::new();
    for (target, original) in originals.iter().enumerate() {
        for at in 0..original.len() {
            let mut bytes = original.clone();
            bytes[at] ^= 0x01;
            corruptions.push((target, bytes));
        }
        for len in (0..original.len()).step_by(7) {
            corruptions.push((target, original[..len].to_vec()));
        }
    }
    let mut outcomes = [0usize; 2];
    for (round, (target, corrupted)) in corruptions.into_iter().enumerate() {
        let mut inputs = originals.clone();
        inputs[target] = corrupted;
        // Both revocation kinds are offered for the signer: the CRL (2) and the OCSP
        // response (3) each alone suffice, so corrupt one and drop the other.
        let (crls, ocsp_responses) = match target {
            2 => (vec![root_crl.clone(), inputs[2].clone()], Vec::new()),
            3 => (vec![root_crl.clone()], vec![inputs[3].clone()]),
            _ => (
                vec![root_crl.clone(), inputs[2].clone()],
                vec![inputs[3].clone()],
            ),
        };
        let options = RevocationOptions {
            policy: RevocationPolicy::Required,
            crls,
            ocsp_responses,
            ..RevocationOptions::default()
        };
        let outcome = PathRequest::new(&inputs[0], &store, AT)
            .with_pool([inputs[1].as_slice()])
            .with_revocation(&options)
            .validate();
        outcomes[usize::from(outcome.is_ok())] += 1;
        assert!(
            outcome.is_err(),
            "round {round}: corrupted input {target} validated: {:?}",
            outcome.map(|p| p.revocation)
        );
    }
    assert!(outcomes[0] > 2000, "{outcomes:?}");
}

// ---------------------------------------------------------------------------------------------
// The shipped development PKI (`vanban pki init`) passes the same validation.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_development_pki_validates_with_its_crl() {
    use vanban::pki::dev::{DevKeyAlgorithm, DevPkiOptions, generate};
    let made_at = datetime!(2026-03-01 09:00 UTC);
    let pki = generate(&DevPkiOptions {
        algorithm: DevKeyAlgorithm::P256,
        now: made_at,
    })
    .expect("dev PKI");
    let mut store = TrustStore::new();
    store
        .add_der(pki.root_der(), AnchorSource::Memory("dev root".to_owned()))
        .expect("root");
    let options = RevocationOptions {
        crls: vec![pki.crl_der.clone()],
        ..RevocationOptions::default()
    };
    let check = |name: &str, purpose: Purpose, at: OffsetDateTime| {
        let chain = pki.chain(name);
        PathRequest::new(&chain[0], &store, at)
            .with_pool(chain[1..].iter().map(Vec::as_slice))
            .with_purpose(purpose)
            .with_revocation(&options)
            .validate()
    };
    let at = made_at + time::Duration::days(1);
    for (name, purpose) in [
        ("leader", Purpose::DocumentSigning),
        ("org", Purpose::DocumentSigning),
        ("tsa", Purpose::TimeStamping),
    ] {
        let path = check(name, purpose, at).unwrap_or_else(|f| panic!("{name}: {}", f.reason));
        assert!(
            matches!(path.revocation[0].status, RevocationStatus::Good { .. }),
            "{name}: {:?}",
            path.revocation[0].status
        );
        assert!(
            path.end_entity().subject.contains("CN="),
            "{}",
            path.end_entity().subject
        );
    }
    // "revoked" is listed in the CRL 30 minutes before the PKI was made: revoked when signing
    // after that, valid when signing before it.
    let failure = check("revoked", Purpose::DocumentSigning, at)
        .map(|_| ())
        .expect_err("revoked");
    assert!(
        matches!(
            &failure.reason,
            PathError::Revoked {
                reason: Some(RevocationReason::KeyCompromise),
                ..
            }
        ),
        "{:?}",
        failure.reason
    );
    let before = made_at - time::Duration::minutes(45);
    let path =
        check("revoked", Purpose::DocumentSigning, before).expect("valid before its revocation");
    assert!(
        matches!(
            path.revocation[0].status,
            RevocationStatus::RevokedAfter { .. }
        ),
        "{:?}",
        path.revocation[0].status
    );
}

/// A responder that answers with a response made for another request (a replay: its nonce is
/// not the one we sent) is not believed: the status stays unknown with the nonce mismatch as
/// the reason, and the path fails under the Required policy.
#[test]
fn an_ocsp_response_with_another_nonce_is_refused() {
    use std::io::{Read as _, Write as _};
    let dir = TempDir::new("ocsp-nonce");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().expect("addr").port()
    );
    let pki = Pki::make(&with_urls(Some(url), None), dir.path());
    let (leaf, int, resp) = (pki.get("leaf"), pki.get("int"), pki.get("resp"));
    let files = OcspFiles::write(&pki, leaf, int, resp, None, dir.path());
    // The replayed response: a real openssl answer to a request carrying another nonce.
    let stale_nonce = [0x5a_u8; 32];
    let request = vanban::pki::revocation::ocsp_request(&leaf.der, &int.der, Some(&stale_nonce))
        .expect("request");
    fs::write(dir.path().join("replay-req.der"), request).expect("write");
    let (reqin, respout) = (
        dir.path().join("replay-req.der"),
        dir.path().join("replay-resp.der"),
    );
    openssl(&[
        a("ocsp"),
        a("-index"),
        files.index.as_os_str(),
        a("-CA"),
        files.ca.as_os_str(),
        a("-rsigner"),
        files.rsigner.as_os_str(),
        a("-rkey"),
        files.rkey.as_os_str(),
        a("-reqin"),
        reqin.as_os_str(),
        a("-respout"),
        respout.as_os_str(),
        a("-ndays"),
        a("30"),
    ]);
    let replay = fs::read(&respout).expect("response");
    let server = std::thread::spawn(move || {
        for stream in listener.incoming().take(1) {
            let mut stream = stream.expect("connection");
            let mut buffer = vec![0u8; 16 * 1024];
            let _ = stream.read(&mut buffer);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                replay.len()
            );
            stream.write_all(head.as_bytes()).expect("head");
            stream.write_all(&replay).expect("body");
        }
    });
    let options = RevocationOptions {
        policy: RevocationPolicy::Required,
        crls: pki.crls(&[root_crl()]),
        network: network(Duration::from_secs(10)),
        ..RevocationOptions::default()
    };
    let store = pki.trust_store();
    let outcome = PathRequest::new(&leaf.der, &store, AT)
        .with_pool([int.der.as_slice()])
        .with_revocation(&options)
        .validate();
    server.join().expect("server");
    let text = format!("{outcome:?}");
    assert!(
        outcome.is_err(),
        "a replayed OCSP response must not validate: {text}"
    );
    assert!(
        text.contains("RevocationUnknown") && text.contains("OcspNonceMismatch"),
        "{text}"
    );
}
