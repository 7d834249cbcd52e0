#![no_main]
// Inspect an uploaded DOCX package as the service does; must never panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| vanban::fuzzing::docx_package(data));
