"""Time pyHanko's in-process validation of every signature in each PDF.

Usage: bench_pyhanko.py [--iterations N] [--trust ROOT.pem]... FILE...

For each file, loads the bytes once, then N times: open a reader, read the DSS into a
validation context (embedded revocation data, no fetching) and call validate_pdf_signature
(or validate_pdf_timestamp for document timestamps) on each signature. Prints one line per
file, "FILE SIGNATURES MEDIAN_SECONDS_PER_SIGNATURE"; the last line is "all <median>".
"""
import argparse
import io
import statistics
import sys
import time

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext


def validate_all(data, roots):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        vc = dss.as_validation_context({"trust_roots": roots, "allow_fetching": False})
    except Exception:
        vc = ValidationContext(trust_roots=roots, allow_fetching=False)
    count = 0
    for sig in reader.embedded_signatures:
        if sig.sig_object.get("/Type") == "/DocTimeStamp":
            validate_pdf_timestamp(sig, validation_context=vc)
        else:
            validate_pdf_signature(sig, signer_validation_context=vc, ts_validation_context=vc)
        count += 1
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--trust", action="append", default=[])
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    roots = [load_cert_from_pemder(path) for path in args.trust]
    medians = []
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        times = []
        count = 0
        for _ in range(max(1, args.iterations)):
            start = time.perf_counter()
            count = validate_all(data, roots)
            times.append(time.perf_counter() - start)
        per_signature = statistics.median(times) / max(1, count)
        medians.append(per_signature)
        print(f"{path} {count} {per_signature:.6f}")
    print(f"all {statistics.median(medians):.6f}")


if __name__ == "__main__":
    sys.exit(main())
