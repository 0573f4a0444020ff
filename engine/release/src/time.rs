//! Release times are Go `time.Time` values (rhelm-functions' port of Go's
//! time package) rather than chrono types: Helm prints them with Go layouts
//! (`time.ANSIC`, `Time.String()` with the zone abbreviation) and parses
//! RFC 3339 into the local zone when the offset matches it, which only a
//! faithful port reproduces byte for byte.

use std::time::{SystemTime, UNIX_EPOCH};

pub use rhelm_functions::dates::Time;
use rhelm_functions::dates::format::{self, RFC3339_NANO};

/// `time.Now()` without the monotonic reading (which JSON never shows but
/// `Time.String()` would).
pub fn now() -> Time {
    let mut t = Time::now();
    t.strip_mono();
    t
}

/// RFC3339Nano as `time.Time.MarshalJSON` writes it (without quotes).
pub fn to_rfc3339(t: &Time) -> String {
    format::marshal_rfc3339(t, "Time.MarshalJSON").unwrap_or_else(|_| format::format(t, RFC3339_NANO))
}

/// `time.Time.UnmarshalJSON` of an RFC 3339 string.
pub fn parse_rfc3339(s: &str) -> Result<Time, String> {
    format::parse(format::RFC3339, s)
}

/// Go's `Time.Format`.
pub fn format(t: &Time, layout: &str) -> String {
    format::format(t, layout)
}

/// `time.ANSIC`, as history and status print times.
pub fn ansic(t: &Time) -> String {
    format::format(t, "Mon Jan _2 15:04:05 2006")
}

/// `Time.String()` (no monotonic part: stored times have none).
pub fn go_string(t: &Time) -> String {
    format::format(t, "2006-01-02 15:04:05.999999999 -0700 MST")
}

/// A file modification time as a local Go time.
pub fn from_system(t: SystemTime) -> Time {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => Time::unix(d.as_secs() as i64, i64::from(d.subsec_nanos())),
        Err(e) => {
            let d = e.duration();
            Time::unix(-(d.as_secs() as i64), -i64::from(d.subsec_nanos()))
        }
    }
}

pub fn to_system(t: &Time) -> SystemTime {
    let secs = t.unix_sec();
    let nanos = t.nanosecond() as u32;
    if secs >= 0 {
        UNIX_EPOCH + std::time::Duration::new(secs as u64, nanos)
    } else {
        UNIX_EPOCH - std::time::Duration::from_secs(secs.unsigned_abs()) + std::time::Duration::from_nanos(u64::from(nanos))
    }
}
