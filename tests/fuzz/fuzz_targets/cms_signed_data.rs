#![no_main]
// Parse a CMS SignedData as the verifier does and run every check over it; must never panic.
libfuzzer_sys::fuzz_target!(|data: &[u8]| vanban::fuzzing::cms_signed_data(data));
