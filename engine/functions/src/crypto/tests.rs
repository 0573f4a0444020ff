//! Shape tests of generated keys and certificates.
