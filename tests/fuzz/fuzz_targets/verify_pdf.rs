#![no_main]
// Verify a PDF with the whole verifier (no anchors, offline); must never panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| vanban::fuzzing::verify_pdf(data));
