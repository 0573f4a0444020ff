//! toYaml then fromYaml, and toJson then fromJson, give the value back
//! (see rhelm_functions::yaml::roundtrip for the few values Helm itself
//! cannot round-trip). Also feeds the raw bytes to the decoders: any panic
//! is a bug, errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rhelm_functions::{json, toml, yaml};

fuzz_target!(|bytes: &[u8]| {
    let v = yaml::roundtrip::value_from_bytes(bytes);
    if let Err(e) = yaml::roundtrip::check(&v) {
        panic!("{e}");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = yaml::from_str(text);
        let _ = json::from_str(text);
        let _ = toml::from_str(text);
    }
});
