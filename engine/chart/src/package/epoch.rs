//! Times in packages: `SOURCE_DATE_EPOCH` (Helm 4.3's reproducible
//! builds) and Chart.lock's `generated`, with Go's time semantics.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rhelm_functions::dates::format::{self, RFC3339};
use rhelm_functions::dates::{Loc, Time};

/// `SOURCE_DATE_EPOCH` from the environment: None when unset or empty.
pub fn source_date_epoch() -> Result<Option<SystemTime>, String> {
    source_date_epoch_from(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
}

/// The variable's value as Helm reads it: a non-negative decimal integer of
/// seconds, with Helm's messages for anything else.
pub fn source_date_epoch_from(value: Option<&str>) -> Result<Option<SystemTime>, String> {
    let Some(v) = value.filter(|v| !v.is_empty()) else { return Ok(None) };
    let secs = parse_int(v).map_err(|e| format!("invalid SOURCE_DATE_EPOCH: {e}"))?;
    if secs < 0 {
        return Err("invalid SOURCE_DATE_EPOCH: must not be negative".into());
    }
    Ok(Some(UNIX_EPOCH + Duration::from_secs(secs as u64)))
}

/// Go's `strconv.ParseInt(v, 10, 64)`, with its error texts.
fn parse_int(v: &str) -> Result<i64, String> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseInt: parsing {v:?}: invalid syntax"));
    }
    v.parse::<i64>().map_err(|_| format!("strconv.ParseInt: parsing {v:?}: value out of range"))
}

/// An RFC 3339 time as a system time (None when it does not parse).
pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let t = format::parse(RFC3339, s).ok()?;
    let (secs, nanos) = (t.unix_sec(), t.nanosecond());
    if secs >= 0 {
        Some(UNIX_EPOCH + Duration::new(secs as u64, nanos as u32))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs())).map(|t| t + Duration::from_nanos(nanos as u64))
    }
}

/// `secs` as Go marshals a UTC time (`2023-11-14T22:13:20Z`).
pub fn format_rfc3339_utc(secs: i64) -> String {
    let mut t = Time::unix(secs, 0);
    t.set_loc(Loc::Utc);
    format::marshal_rfc3339(&t, "Time.MarshalJSON").unwrap_or_default()
}

/// `generated` re-marshalled as Go's time.Time would write it.
pub fn normalize_rfc3339(s: &str) -> String {
    match format::parse(RFC3339, s) {
        Ok(t) => format::marshal_rfc3339(&t, "Time.MarshalJSON").unwrap_or_else(|_| s.to_string()),
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_as_helm_reads_it() {
        assert_eq!(source_date_epoch_from(None).unwrap(), None);
        assert_eq!(source_date_epoch_from(Some("")).unwrap(), None);
        assert_eq!(source_date_epoch_from(Some("1700000000")).unwrap(), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
        assert_eq!(
            source_date_epoch_from(Some("abc")).unwrap_err(),
            "invalid SOURCE_DATE_EPOCH: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(source_date_epoch_from(Some("-1")).unwrap_err(), "invalid SOURCE_DATE_EPOCH: must not be negative");
    }

    #[test]
    fn lock_times() {
        assert_eq!(format_rfc3339_utc(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(parse_rfc3339("2023-11-14T22:13:20Z"), Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)));
        assert_eq!(normalize_rfc3339("2023-11-14T22:13:20.500000000Z"), "2023-11-14T22:13:20.5Z");
    }
}
