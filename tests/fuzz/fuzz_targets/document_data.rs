#![no_main]
// Read document data (YAML, JSON), lint, compose and render it; must never panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| vanban::fuzzing::document_data(data));
