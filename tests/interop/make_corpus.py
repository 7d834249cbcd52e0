"""Make the verifier's interop corpus: PDFs signed by real peers, then hostile variants.

Usage: make_corpus.py OUT_DIR BASE.pdf [--tsa URL --tsa-root PEM]

Writes into OUT_DIR a fresh PKI (root.pem: the trust anchor for every file but
untrusted_signer.pdf; other-root.pem: the impostor's root, never trusted) and one PDF per
corpus entry, then prints a JSON object {file: maker} on stdout (the maker names the peer and
its version). The signers:

- pyHanko (library): approval signatures with RSA-2048 and P-256, certification signatures
  with DocMDP P=1, P=2 and P=3, two approval signatures, and with --tsa (an RFC 3161 server)
  PAdES B-T, B-LT (chain and CRL in the DSS) and B-LTA;
- endesive (endesive.pdf.cms.sign): RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA P-256;
- poppler's pdfsig -add-signature, with the signer's key in an NSS database.

The hostile variants are incremental updates written with pyHanko's IncrementalPdfFileWriter
(page content replaced, a form field filled, an annotation added) on top of a peer-signed
file, a byte flipped inside a signed range, and a file signed by a CA that is not trusted.
"""

import argparse
import datetime
import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko_certvalidator import ValidationContext

NOW = datetime.datetime.now(datetime.timezone.utc)
CRL_URL = "http://127.0.0.1:9/vanban-interop-root.crl"  # never fetched: CRLs are given


def version(package):
    return importlib.metadata.version(package)


# ---------------------------------------------------------------------------------- PKI


def name(common, org="Bộ Thử nghiệm Liên thông"):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def key_usage(*allowed):
    """A critical KeyUsage extension value with the named bits set."""
    bits = (
        "digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
        "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only",
    )
    return x509.KeyUsage(**{bit: bit in allowed for bit in bits})


def make_root(common):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = name(common)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=30))
        .not_valid_after(NOW + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(key_usage("key_cert_sign", "crl_sign"), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_signer(common, issuer_key, issuer_cert, key):
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(common))
        .issuer_name(issuer_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage("digital_signature", "content_commitment"), critical=True)
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(CRL_URL)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )
    return cert


def make_crl(issuer_key, issuer_cert):
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(NOW - datetime.timedelta(hours=1))
        .next_update(NOW + datetime.timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


def key_der(key):
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class Pki:
    def __init__(self, out):
        self.root_key, self.root = make_root("Test Root CA Liên thông")
        self.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rsa = make_signer("Nguyễn Văn An (RSA)", self.root_key, self.root, self.rsa_key)
        self.ec_key = ec.generate_private_key(ec.SECP256R1())
        self.ec = make_signer("Trần Thị Bình (P-256)", self.root_key, self.root, self.ec_key)
        self.crl = make_crl(self.root_key, self.root)
        other_key, self.other_root = make_root("Impostor Root CA")
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other = make_signer("Kẻ Mạo Danh", other_key, self.other_root, self.other_key)
        with open(os.path.join(out, "root.pem"), "wb") as handle:
            handle.write(pem(self.root))
        with open(os.path.join(out, "other-root.pem"), "wb") as handle:
            handle.write(pem(self.other_root))
        with open(os.path.join(out, "root.crl"), "wb") as handle:
            handle.write(self.crl.public_bytes(serialization.Encoding.DER))

    def pyhanko_signer(self, which):
        from asn1crypto import keys as asn1_keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        key, cert, root = {
            "rsa": (self.rsa_key, self.rsa, self.root),
            "ec": (self.ec_key, self.ec, self.root),
            "other": (self.other_key, self.other, self.other_root),
        }[which]
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(der(cert)),
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der(key)),
            cert_registry=SimpleCertificateStore.from_certs(
                [asn1_x509.Certificate.load(der(root))]
            ),
        )


# ---------------------------------------------------------------------------------- pyHanko


def pyhanko_sign(base, out, signer, field, timestamper=None, **meta):
    with open(base, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        result = signers.sign_pdf(
            writer,
            PdfSignatureMetadata(field_name=field, **meta),
            signer=signer,
            timestamper=timestamper,
        )
    with open(out, "wb") as handle:
        handle.write(result.getvalue())


# ---------------------------------------------------------------------------------- endesive


def import_endesive():
    # oscrypto 1.3.0 (an endesive dependency) reads the OpenSSL version with \d\.\d\.\d and
    # fails at import on a two-digit patch release such as 3.0.19 (peers.md): loosen the
    # pattern while it loads.
    original = re.search

    def search(pattern, string, flags=0):
        if pattern == "\\b(\\d\\.\\d\\.\\d[a-z]*)\\b":
            pattern = "\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b"
        return original(pattern, string, flags)

    re.search = search
    try:
        from endesive.pdf import cms
    finally:
        re.search = original
    return cms


def endesive_sign(cms, base, out, key, cert, root, field, pss=False):
    with open(base, "rb") as handle:
        data = handle.read()
    stamp = NOW.strftime("D:%Y%m%d%H%M%S+00'00'")
    udct = {
        "aligned": 0,
        "sigflags": 3,
        "sigflagsft": 132,
        "sigpage": 0,
        "sigfield": field,
        "auto_sigfield": True,
        "signaturebox": (60, 60, 200, 110),
        "signature": "Signed with endesive",
        "contact": "interop@example.invalid",
        "location": "Ha Noi",
        "signingdate": stamp,
        "reason": "Interop corpus",
        "pss": pss,
    }
    signature = cms.sign(data, udct, key, cert, [root], "sha256")
    with open(out, "wb") as handle:
        handle.write(data + signature)


# ---------------------------------------------------------------------------------- pdfsig


def run(*args):
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return done.stdout


def pdfsig_version():
    done = subprocess.run(["pdfsig", "-v"], capture_output=True, text=True)
    match = re.search(r"pdfsig version (\S+)", done.stdout + done.stderr)
    return match.group(1) if match else "unknown"


def pdfsig_db(out, pki):
    db = os.path.join(out, "nss-signer")
    os.makedirs(db, exist_ok=True)
    spec = f"sql:{db}"
    run("certutil", "-N", "-d", spec, "--empty-password")
    for nick, key, cert in (("signer-rsa", pki.rsa_key, pki.rsa), ("signer-ec", pki.ec_key, pki.ec)):
        p12 = os.path.join(out, f"{nick}.p12")
        with open(p12, "wb") as handle:
            handle.write(
                pkcs12.serialize_key_and_certificates(
                    nick.encode(), key, cert, [pki.root], serialization.BestAvailableEncryption(b"p12")
                )
            )
        run("pk12util", "-i", p12, "-d", spec, "-W", "p12", "-K", "")
    return spec


def pdfsig_sign(spec, base, out, nick, field):
    """pdfsig 22.12 reserves room for the CMS before signing; with an ECDSA key it often fails
    with "signDocument: unable update signature" (the DER signature value's length varies),
    so try again a few times."""
    command = [
        "pdfsig", "-nssdir", spec, "-nick", nick, "-add-signature",
        "-new-signature-field-name", field, "-digest", "SHA256",
        "-reason", "Interop corpus", base, out,
    ]
    for _ in range(30):
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode == 0:
            return
    raise SystemExit(f"{command} failed ({done.returncode}): {done.stdout}{done.stderr}")


# ---------------------------------------------------------------------------------- hostile


def incremental(source, out, change):
    with open(source, "rb") as handle:
        writer = IncrementalPdfFileWriter(io.BytesIO(handle.read()), strict=False)
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    with open(out, "wb") as handle:
        handle.write(buffer.getvalue())


def first_page(writer):
    ref = writer.root["/Pages"].raw_get("/Kids")
    kids = ref.get_object() if isinstance(ref, generic.IndirectObject) else ref
    page_ref = kids.raw_get(0)
    while "/Kids" in page_ref.get_object():
        page_ref = page_ref.get_object()["/Kids"].raw_get(0)
    return page_ref


def replace_content(writer):
    """Draw new text over the signed page: a content change no permission allows."""
    page_ref = first_page(writer)
    page = page_ref.get_object()
    forged = generic.StreamObject(
        stream_data=b"q 1 1 1 rg 0 0 595 842 re f Q BT 0 0 0 rg 1 0 0 1 72 700 Tm ET\n"
    )
    contents = page.raw_get("/Contents")
    items = list(contents.get_object()) if isinstance(contents.get_object(), generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject(items + [writer.add_object(forged)])
    writer.mark_update(page_ref)


def fill_field(writer, field="so", value="36/KH-BTN"):
    """Fill the text field `field`: a new /V and a new normal appearance."""
    form = writer.root["/AcroForm"]
    for ref in form["/Fields"]:
        obj = ref.get_object()
        if obj.get("/T") != field:
            continue
        rect = [float(v) for v in obj["/Rect"]]
        width, height = rect[2] - rect[0], rect[3] - rect[1]
        appearance = generic.StreamObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/XObject"),
                generic.NameObject("/Subtype"): generic.NameObject("/Form"),
                generic.NameObject("/BBox"): generic.ArrayObject(
                    [generic.FloatObject(0), generic.FloatObject(0), generic.FloatObject(width), generic.FloatObject(height)]
                ),
                generic.NameObject("/Resources"): generic.DictionaryObject(),
            },
            stream_data=b"/Tx BMC\nEMC\n",
        )
        obj["/V"] = generic.TextStringObject(value)
        obj["/AP"] = generic.DictionaryObject(
            {generic.NameObject("/N"): writer.add_object(appearance)}
        )
        writer.mark_update(ref)
        return
    raise SystemExit(f"no field {field}")


def add_annotation(writer):
    """A sticky note on the first page."""
    page_ref = first_page(writer)
    page = page_ref.get_object()
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (40, 40, 60, 60)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Đã xem"),
            generic.NameObject("/P"): page_ref,
        }
    )
    note_ref = writer.add_object(note)
    annots = page.raw_get("/Annots") if "/Annots" in page else None
    if isinstance(annots, generic.IndirectObject):
        annots.get_object().append(note_ref)
        writer.mark_update(annots)
    else:
        items = list(annots) if annots is not None else []
        page["/Annots"] = generic.ArrayObject(items + [note_ref])
        writer.mark_update(page_ref)


def flip_byte(source, out):
    """Flip one byte of the binary comment on the second line: inside the first signed range,
    and the file still parses."""
    with open(source, "rb") as handle:
        data = bytearray(handle.read())
    at = data.index(b"\n", 0, 64) + 2
    data[at] ^= 0x01
    with open(out, "wb") as handle:
        handle.write(bytes(data))


# ---------------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("base")
    parser.add_argument("--tsa", help="an RFC 3161 server's URL (enables B-T, B-LT, B-LTA)")
    parser.add_argument("--tsa-root", action="append", default=[], help="the TSA's root (PEM)")
    args = parser.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    pki = Pki(out)
    made = {}
    path = lambda file: os.path.join(out, file)  # noqa: E731

    hanko = f"pyHanko {version('pyHanko')}"

    def hanko_sign(file, which="rsa", field="chu_ky", base=args.base, **meta):
        pyhanko_sign(base, path(file), pki.pyhanko_signer(which), field, **meta)
        made[file] = hanko

    hanko_sign("pyhanko_approval_rsa.pdf")
    hanko_sign("pyhanko_approval_ecdsa.pdf", which="ec")
    for level, perm in ((1, MDPPerm.NO_CHANGES), (2, MDPPerm.FILL_FORMS), (3, MDPPerm.ANNOTATE)):
        hanko_sign(f"pyhanko_certify_p{level}.pdf", certify=True, docmdp_permissions=perm)
    hanko_sign("pyhanko_two_signatures.pdf", base=path("pyhanko_approval_rsa.pdf"), which="ec", field="dau")
    hanko_sign("untrusted_signer.pdf", which="other")
    if args.tsa:
        from asn1crypto import crl as asn1_crl
        from pyhanko.sign.fields import SigSeedSubFilter

        stamper = timestamps.HTTPTimeStamper(args.tsa)
        pades = dict(subfilter=SigSeedSubFilter.PADES, timestamper=stamper)
        hanko_sign("pyhanko_pades_bt.pdf", **pades)
        tsa_roots = [load_cert_from_pemder(p) for p in args.tsa_root]
        from asn1crypto import x509 as asn1_x509

        def context():
            return ValidationContext(
                trust_roots=[asn1_x509.Certificate.load(der(pki.root))] + tsa_roots,
                crls=[asn1_crl.CertificateList.load(pki.crl.public_bytes(serialization.Encoding.DER))],
                allow_fetching=False,
                revocation_mode="soft-fail",
            )

        hanko_sign("pyhanko_pades_blt.pdf", embed_validation_info=True, validation_context=context(), **pades)
        hanko_sign(
            "pyhanko_pades_blta.pdf",
            embed_validation_info=True,
            use_pades_lta=True,
            validation_context=context(),
            **pades,
        )

    cms = import_endesive()
    ende = f"endesive {version('endesive')}"
    endesive_sign(cms, args.base, path("endesive_rsa.pdf"), pki.rsa_key, pki.rsa, pki.root, "endesive_rsa")
    endesive_sign(cms, args.base, path("endesive_pss.pdf"), pki.rsa_key, pki.rsa, pki.root, "endesive_pss", pss=True)
    endesive_sign(cms, args.base, path("endesive_ecdsa.pdf"), pki.ec_key, pki.ec, pki.root, "endesive_ecdsa")
    for file in ("endesive_rsa.pdf", "endesive_pss.pdf", "endesive_ecdsa.pdf"):
        made[file] = ende

    spec = pdfsig_db(out, pki)
    poppler = f"pdfsig {pdfsig_version()}"
    pdfsig_sign(spec, args.base, path("pdfsig_rsa.pdf"), "signer-rsa", "pdfsig_rsa")
    pdfsig_sign(spec, args.base, path("pdfsig_ecdsa.pdf"), "signer-ec", "pdfsig_ecdsa")
    made["pdfsig_rsa.pdf"] = poppler
    made["pdfsig_ecdsa.pdf"] = poppler

    def hostile(file, source, change):
        incremental(path(source), path(file), change)
        made[file] = f"{made[source]} + pyHanko incremental writer"

    hostile("mod_content_after_approval.pdf", "pyhanko_approval_rsa.pdf", replace_content)
    hostile("mod_content_after_endesive.pdf", "endesive_rsa.pdf", replace_content)
    hostile("mod_content_after_pdfsig.pdf", "pdfsig_rsa.pdf", replace_content)
    hostile("mod_fill_after_p1.pdf", "pyhanko_certify_p1.pdf", fill_field)
    hostile("mod_fill_after_p2.pdf", "pyhanko_certify_p2.pdf", fill_field)
    hostile("mod_annot_after_p2.pdf", "pyhanko_certify_p2.pdf", add_annotation)
    hostile("mod_annot_after_p3.pdf", "pyhanko_certify_p3.pdf", add_annotation)
    flip_byte(path("pyhanko_approval_rsa.pdf"), path("mod_flipped_byte.pdf"))
    made["mod_flipped_byte.pdf"] = f"{hanko} + one byte flipped"

    json.dump(made, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
