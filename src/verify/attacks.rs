//! The known attacks on PDF signatures, and how this verifier meets each one.
//!
//! Each class names its source, what the attacker does, where the defence lives, and the
//! hostile files of `tests/verify_attacks.rs` that exercise it (built by signing a real document
//! and tampering through the incremental writer or raw bytes). That test checks that this table
//! and the corpus name the same cases, so a new attack file must be explained here and an entry
//! here must have a file.
//!
//! Sources: Mladenov, Mainka, Meyer zu Selhausen, Grothe, Schwenk, "1 Trillion Dollar Refund –
//! How To Spoof PDF Signatures" (CCS 2019); Mainka, Mladenov, Rohlmann, "Shadow Attacks: Hiding
//! and Replacing Content in Signed PDFs" (NDSS 2021); Rohlmann, Mladenov, Mainka, Schwenk,
//! "Breaking the Specification: PDF Certification" (IEEE S&P 2021).

/// One class of attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttackClass {
    /// Short name as the literature uses it.
    pub name: &'static str,
    /// Where it was published.
    pub source: &'static str,
    /// What the attacker does.
    pub attack: &'static str,
    /// How vanban meets it, and in which module.
    pub defence: &'static str,
    /// The corpus files (names in `tests/verify_attacks.rs`) that exercise it.
    pub cases: &'static [&'static str],
}

/// Every class, with its corpus cases.
pub const ATTACKS: &[AttackClass] = &[
    AttackClass {
        name: "USF (universal signature forgery)",
        source: "CCS 2019 §4",
        attack: "Keep the signature dictionary but make /Contents or /ByteRange missing, null, \
                 empty, zero-filled, negative, overlapping, past the end of the file, or not \
                 covering the file from byte 0, hoping the viewer skips the check and shows \
                 the signer anyway.",
        defence: "verify::revision reads /ByteRange strictly: exactly two ranges, the first \
                  from 0, the gap exactly the /Contents hex string, the second ending at the \
                  end of a revision; /Contents must be a non-empty DER SignedData. Anything \
                  else is the signature's verdict `malformed` with the exact reason, never a \
                  skipped signature.",
        cases: &[
            "usf_contents_missing",
            "usf_contents_null",
            "usf_contents_empty",
            "usf_contents_zero_filled",
            "usf_byte_range_missing",
            "usf_byte_range_empty",
            "usf_byte_range_negative",
            "usf_byte_range_overlapping",
            "usf_byte_range_beyond_eof",
            "usf_byte_range_partial",
            "usf_byte_range_not_from_zero",
        ],
    },
    AttackClass {
        name: "ISA (incremental saving attack)",
        source: "CCS 2019 §5",
        attack: "Append objects after the signed revision, with or without a new xref, or \
                 point the trailer at the old xref, so that viewers show new content while the \
                 signed bytes still hash correctly.",
        defence: "The strict reader (pdf::document) refuses bytes after %%EOF that no xref \
                  accounts for and trailers that do not chain; verify::diff compares every \
                  revision after a signature with the signed one object by object and allows \
                  only what the DocMDP level permits (form filling, signing, DSS, timestamps). \
                  New or changed page content is `disallowed-change`.",
        cases: &[
            "isa_appended_objects_without_xref",
            "isa_trailer_pointing_at_old_xref",
            "isa_update_replaces_page_content",
            "isa_update_adds_page_content",
        ],
    },
    AttackClass {
        name: "SWA (signature wrapping attack)",
        source: "CCS 2019 §6",
        attack: "Move the second byte range so that attacker bytes sit inside the unsigned gap \
                 next to a relocated /Contents, keeping the signed bytes intact.",
        defence: "verify::revision requires the gap to be exactly the /Contents value of the \
                  signature dictionary that /ByteRange belongs to, and the covered bytes to \
                  end a revision the xref chain knows; the moved range is `invalid-modified`.",
        cases: &["swa_second_range_moved"],
    },
    AttackClass {
        name: "Shadow attacks (hide, replace, hide-and-replace)",
        source: "NDSS 2021",
        attack: "Prepare the document before signing with content that a later, innocent-looking \
                 incremental update reveals or swaps: an overlay removed, a font redefined, a \
                 form field's value or appearance changed, the page /Contents repointed at an \
                 object already in the file.",
        defence: "verify::diff classifies each change after the signature: changed page \
                  content, resources, fonts or XObjects are `disallowed-change`; a new overlay \
                  annotation needs P=3; a form field change is allowed only under P≥2 with a new \
                  appearance, and then the report lists the field and its new value, so the \
                  clerk sees what changed (`allowed-changes`, never a silent `valid`).",
        cases: &[
            "shadow_hide_cover_xobject",
            "shadow_hide_annotation_overlay",
            "shadow_replace_font_redefinition",
            "shadow_replace_form_field_value",
            "shadow_replace_form_field_under_p1",
            "shadow_replace_form_field_appearance_in_place",
            "shadow_hide_and_replace_repoint_contents",
        ],
    },
    AttackClass {
        name: "EAA and SSA (evil annotations, sneaky signatures)",
        source: "IEEE S&P 2021",
        attack: "After a certification signature, add annotations (P=2) or signature fields \
                 with attacker appearances (P=1, or empty fields under P=2) that draw new \
                 content over the certified page.",
        defence: "verify::diff::permissions applies the certification's DocMDP level to every \
                  later revision: annotations need P=3; under P=1 nothing may follow, not even \
                  a signature; a new signature field is itself a change that P=2 allows only as \
                  the signing of a field, never as new content drawn by an empty one. Each case \
                  is a `permissions` reason.",
        cases: &[
            "cert_p2_evil_annotation",
            "cert_p1_evil_annotation",
            "cert_p2_sneaky_signature",
            "cert_p1_sneaky_signature",
            "cert_p2_sneaky_empty_signature_field",
        ],
    },
    AttackClass {
        name: "CMS tampering",
        source: "RFC 5652 §5.4, §11.2; RFC 5035",
        attack: "Change the messageDigest attribute, flip bits of the signature value, or swap \
                 in another certificate as the signer's, inside an otherwise intact file.",
        defence: "verify::cms recomputes the digest of the covered bytes and compares it with \
                  messageDigest, verifies the signature over the DER of the signed attributes \
                  with the key of the certificate the SignerIdentifier names (ring), checks that \
                  the ESS signing-certificate(-v2) attribute names that same certificate, and \
                  fails on any mismatch: `invalid-crypto` with the reason.",
        cases: &[
            "cms_message_digest_changed",
            "cms_signature_value_flipped",
            "cms_signer_certificate_swapped",
        ],
    },
];

/// The class a corpus case belongs to.
pub fn class_of(case: &str) -> Option<&'static AttackClass> {
    ATTACKS.iter().find(|class| class.cases.contains(&case))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_case_belongs_to_exactly_one_class() {
        let mut seen = std::collections::BTreeSet::new();
        for class in ATTACKS {
            assert!(!class.cases.is_empty(), "{} has no case", class.name);
            for case in class.cases {
                assert!(seen.insert(*case), "{case} is listed twice");
            }
        }
        assert_eq!(
            class_of("swa_second_range_moved").map(|c| c.source),
            Some("CCS 2019 §6")
        );
        assert!(class_of("not_an_attack").is_none());
    }
}
