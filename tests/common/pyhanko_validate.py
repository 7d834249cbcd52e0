"""Validate every signature of a PDF with pyHanko and print one JSON record per signature.

Usage: python3 pyhanko_validate.py FILE --trust ROOT.pem [--trust ROOT2.pem] [--dss]

--dss: revocation comes from the document's DSS alone, in hard-fail mode and with fetching
off, so a missing CRL or OCSP response for any certificate that declares one fails the check.
Without it, revocation is not checked (soft-fail, no fetching, nothing embedded).
"""

import argparse
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import (
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext


def context(reader, roots, dss):
    kwargs = {"trust_roots": roots, "allow_fetching": False}
    if dss:
        kwargs["revocation_mode"] = "hard-fail"
        store = DocumentSecurityStore.read_dss(reader)
        return store.as_validation_context(kwargs)
    kwargs["revocation_mode"] = "soft-fail"
    return ValidationContext(**kwargs)


def level(status):
    info = getattr(status, "modification_level", None)
    return info.name if info is not None else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--trust", action="append", default=[])
    parser.add_argument("--dss", action="store_true")
    args = parser.parse_args()
    roots = [load_cert_from_pemder(path) for path in args.trust]
    out = []
    with open(args.file, "rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        for sig in reader.embedded_signatures:
            record = {"field": sig.field_name, "kind": sig.sig_object_type[1:]}
            try:
                vc = context(reader, roots, args.dss)
                if sig.sig_object_type == "/DocTimeStamp":
                    status = validate_pdf_timestamp(sig, validation_context=vc)
                else:
                    status = validate_pdf_signature(
                        sig, signer_validation_context=vc, ts_validation_context=vc
                    )
                record.update(
                    intact=status.intact,
                    valid=status.valid,
                    trusted=status.trusted,
                    coverage=status.coverage.name,
                    modification_level=level(status),
                    docmdp_ok=status.docmdp_ok,
                    md=status.md_algorithm,
                    bottom_line=getattr(status, "bottom_line", None),
                )
                ts = getattr(status, "timestamp_validity", None)
                if ts is not None:
                    record["timestamp"] = {
                        "intact": ts.intact,
                        "valid": ts.valid,
                        "trusted": ts.trusted,
                    }
                cert = getattr(sig, "signer_cert", None)
                if cert is not None:
                    record["signer"] = cert.subject.native.get("common_name")
                certify = sig.docmdp_level
                record["docmdp"] = certify.name if certify is not None else None
            except Exception as error:  # report, do not hide
                record["error"] = f"{type(error).__name__}: {error}"
            out.append(record)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
