#![no_main]
// Load a PDF and walk every revision, page and field; must never panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| vanban::fuzzing::pdf_document(data));
