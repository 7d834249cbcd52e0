#!/usr/bin/env bash
# Run every fuzz target under libFuzzer for SECONDS each (default 30), on the stable toolchain:
# the coverage instrumentation cargo-fuzz asks of nightly is passed here as stable -C flags
# (sancov, no sanitizer: the crate forbids unsafe code), and `--target` keeps it off build
# scripts and proc macros. A crash, a panic, a hang past -timeout or memory past -rss_limit_mb
# stops the run with exit 1 and leaves the input in tests/fuzz/artifacts/.
#
# Seeds: the attack corpus `cargo test --test verify_attacks` writes to target/tmp/attacks/,
# every fixture rendered as PDF and DOCX by target/debug/vanban, the fixtures' YAML, and the
# CMS of every seed PDF's signatures. Run `cargo test` (or at least `cargo build`) first.
set -euo pipefail
seconds="${1:-30}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
triple="$(rustc -vV | sed -n 's/^host: //p')"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
cargo build --locked --release --bins --target "$triple" --manifest-path "$here/Cargo.toml"
bin="$here/target/$triple/release"

corpus="$here/target/corpus"
rm -rf "$corpus"
mkdir -p "$corpus"/{pdf,cms,document,docx} "$here/artifacts"
vanban="$root/target/debug/vanban"
[ -x "$vanban" ] || vanban="$root/target/release/vanban"
for fixture in "$root"/tests/fixtures/seeds/*.yaml "$root"/tests/fixtures/extra/*.yaml; do
  name="$(basename "$fixture" .yaml)"
  cp "$fixture" "$corpus/document/"
  "$vanban" render "$fixture" -o "$corpus/pdf/$name.pdf" >/dev/null
  "$vanban" render "$fixture" -o "$corpus/docx/$name.docx" >/dev/null
done
cp "$root"/target/tmp/attacks/*.pdf "$corpus/pdf/" 2>/dev/null || true
# The DER of every /Contents hex string in the seed PDFs (the CMS target's input).
python3 - "$corpus/pdf" "$corpus/cms" <<'EOF'
import pathlib, re, sys
out = pathlib.Path(sys.argv[2])
for pdf in pathlib.Path(sys.argv[1]).glob("*.pdf"):
    for i, m in enumerate(re.finditer(rb"/Contents\s*<([0-9A-Fa-f\s]{64,})>", pdf.read_bytes())):
        der = bytes.fromhex(m.group(1).decode()).rstrip(b"\0")
        if der:
            (out / f"{pdf.stem}-{i}.p7s").write_bytes(der)
EOF
echo "fuzz seeds: $(ls "$corpus/pdf" | wc -l) PDF, $(ls "$corpus/cms" | wc -l) CMS," \
  "$(ls "$corpus/document" | wc -l) data files, $(ls "$corpus/docx" | wc -l) DOCX"

run() {
  local target="$1" seeds="$2" max_len="$3"
  local work="$corpus/work-$target"
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds}s"
  # -timeout: one input taking 5 s is a hang (the verifier's bound is 1 s for 10 MB, and
  # instrumentation slows it a few times); -rss_limit_mb: the verifier's 200 MB, with room
  # for libFuzzer's own corpus.
  local log="$corpus/$target.log" status=0
  "$bin/$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=5 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$here/artifacts/$target-" "$work" "$corpus/$seeds" \
    >"$log" 2>&1 || status=$?
  grep -E '^(Done |stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    echo "fuzz: $target FAILED (exit $status); the input is in tests/fuzz/artifacts/"
  fi
  return "$status"
}

run pdf_document pdf 300000
run verify_pdf pdf 300000
run cms_signed_data cms 20000
run document_data document 50000
run docx_package docx 100000
