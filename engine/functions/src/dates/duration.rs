//! Go's `time.Duration`: an int64 count of nanoseconds, with Go's printing
//! (`1h2m3.5s`), `time.ParseDuration`, and the rounding helpers.

use std::fmt;

use super::format::quote_bytes;

pub const NANOSECOND: i64 = 1;
pub const MICROSECOND: i64 = 1_000 * NANOSECOND;
pub const MILLISECOND: i64 = 1_000 * MICROSECOND;
pub const SECOND: i64 = 1_000 * MILLISECOND;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;

/// A `time.Duration`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub i64);

impl Duration {
    pub const MIN: Duration = Duration(i64::MIN);
    pub const MAX: Duration = Duration(i64::MAX);

    pub fn nanoseconds(self) -> i64 {
        self.0
    }

    pub fn microseconds(self) -> i64 {
        self.0 / MICROSECOND
    }

    pub fn milliseconds(self) -> i64 {
        self.0 / MILLISECOND
    }

    /// Go splits whole units and the remainder so that converting the float
    /// back rounds the way integer division would.
    pub fn seconds(self) -> f64 {
        (self.0 / SECOND) as f64 + (self.0 % SECOND) as f64 / 1e9
    }

    pub fn minutes(self) -> f64 {
        (self.0 / MINUTE) as f64 + (self.0 % MINUTE) as f64 / (60.0 * 1e9)
    }

    pub fn hours(self) -> f64 {
        (self.0 / HOUR) as f64 + (self.0 % HOUR) as f64 / (60.0 * 60.0 * 1e9)
    }

    /// Rounds toward zero to a multiple of `m`; `m <= 0` leaves it unchanged.
    pub fn truncate(self, m: Duration) -> Duration {
        if m.0 <= 0 {
            return self;
        }
        Duration(self.0 - self.0 % m.0)
    }

    /// Rounds to the nearest multiple of `m`, halves away from zero,
    /// saturating at the int64 limits; `m <= 0` leaves it unchanged.
    pub fn round(self, m: Duration) -> Duration {
        if m.0 <= 0 {
            return self;
        }
        let (d, m) = (self.0, m.0);
        let mut r = d % m;
        // Go's lessThanHalf: x+x < y computed in uint64 to avoid overflow.
        let less_than_half = |x: i64, y: i64| (x as u64).wrapping_add(x as u64) < y as u64;
        if d < 0 {
            r = -r;
            if less_than_half(r, m) {
                return Duration(d + r);
            }
            let d1 = d.wrapping_sub(m).wrapping_add(r);
            return if d1 < d { Duration(d1) } else { Duration::MIN };
        }
        if less_than_half(r, m) {
            return Duration(d - r);
        }
        let d1 = d.wrapping_add(m).wrapping_sub(r);
        if d1 > d {
            Duration(d1)
        } else {
            Duration::MAX
        }
    }

    /// `math.MinInt64` has no positive counterpart and becomes `MaxInt64`.
    pub fn abs(self) -> Duration {
        match self.0 {
            d if d >= 0 => self,
            i64::MIN => Duration::MAX,
            d => Duration(-d),
        }
    }

    /// Go's `time.ParseDuration`, with its error texts.
    pub fn parse(text: &str) -> Result<Duration, String> {
        parse_duration(text.as_bytes())
    }
}

impl fmt::Display for Duration {
    /// Go's `Duration.String`: `72h3m0.5s`, `1.5ms`, `0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0;
        let mut u = self.0.unsigned_abs();
        // Built right to left, as Go does.
        let mut out: Vec<u8> = Vec::with_capacity(32);
        if u < SECOND as u64 {
            if u == 0 {
                return f.write_str("0s");
            }
            // Sub-second durations use the largest unit that keeps a leading digit.
            let (unit, prec): (&[u8], usize) = if u < MICROSECOND as u64 {
                (b"ns", 0)
            } else if u < MILLISECOND as u64 {
                ("µs".as_bytes(), 3)
            } else {
                (b"ms", 6)
            };
            out.extend(unit.iter().rev());
            u = push_frac_reversed(&mut out, u, prec);
            push_int_reversed(&mut out, u);
        } else {
            out.push(b's');
            u = push_frac_reversed(&mut out, u, 9);
            push_int_reversed(&mut out, u % 60);
            u /= 60;
            if u > 0 {
                out.push(b'm');
                push_int_reversed(&mut out, u % 60);
                u /= 60;
                // Stop at hours: days vary in length.
                if u > 0 {
                    out.push(b'h');
                    push_int_reversed(&mut out, u);
                }
            }
        }
        if neg {
            out.push(b'-');
        }
        out.reverse();
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

/// Go's fmtFrac on a reversed buffer: the `prec` low digits of `v` as a
/// fraction without trailing zeros (and without the point if all are zero).
fn push_frac_reversed(out: &mut Vec<u8>, mut v: u64, prec: usize) -> u64 {
    let mut print = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        print = print || digit != 0;
        if print {
            out.push(b'0' + digit);
        }
        v /= 10;
    }
    if print {
        out.push(b'.');
    }
    v
}

fn push_int_reversed(out: &mut Vec<u8>, mut v: u64) {
    if v == 0 {
        out.push(b'0');
    }
    while v > 0 {
        out.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

const UNITS: [(&str, u64); 8] = [
    ("ns", NANOSECOND as u64),
    ("us", MICROSECOND as u64),
    ("µs", MICROSECOND as u64), // U+00B5 micro sign
    ("μs", MICROSECOND as u64), // U+03BC Greek mu
    ("ms", MILLISECOND as u64),
    ("s", SECOND as u64),
    ("m", MINUTE as u64),
    ("h", HOUR as u64),
];

const OVERFLOW_LIMIT: u64 = 1 << 63;

/// Go's leadingInt: the leading `[0-9]*` as a number, `None` past 1<<63.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > OVERFLOW_LIMIT / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > OVERFLOW_LIMIT {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Go's leadingFraction: digits after the point; precision simply stops
/// accumulating on overflow.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let (mut x, mut scale, mut overflow) = (0u64, 1f64, false);
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if !overflow {
            if x > (OVERFLOW_LIMIT - 1) / 10 {
                overflow = true;
            } else {
                let y = x * 10 + u64::from(s[i] - b'0');
                if y > OVERFLOW_LIMIT {
                    overflow = true;
                } else {
                    x = y;
                    scale *= 10.0;
                }
            }
        }
        i += 1;
    }
    (x, scale, &s[i..])
}

fn parse_duration(orig: &[u8]) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {}", quote_bytes(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    // Special case: a bare "0" (possibly signed) needs no unit.
    if s == b"0" {
        return Ok(Duration(0));
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = before != s.len();
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let before = s.len();
            let (fx, fscale, rest) = leading_fraction(s);
            (f, scale, s) = (fx, fscale, rest);
            post = before != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s.iter().position(|&c| c == b'.' || c.is_ascii_digit()).unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", quote_bytes(orig)));
        }
        let (u, rest) = s.split_at(unit_len);
        s = rest;
        let Some(&(_, unit)) = UNITS.iter().find(|(name, _)| name.as_bytes() == u) else {
            return Err(format!("time: unknown unit {} in duration {}", quote_bytes(u), quote_bytes(orig)));
        };
        if v > OVERFLOW_LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            // Go goes through float64 to stay exact for fractions of hours.
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > OVERFLOW_LIMIT {
                return Err(invalid());
            }
        }
        // Go's uint64 sum wraps (2^63 + 2^63 = 0), and so does this.
        d = d.wrapping_add(v);
        if d > OVERFLOW_LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok(Duration((d as i64).wrapping_neg()));
    }
    if d > OVERFLOW_LIMIT - 1 {
        return Err(invalid());
    }
    Ok(Duration(d as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(ns: i64) -> String {
        Duration(ns).to_string()
    }

    #[test]
    fn prints_like_go() {
        assert_eq!(show(0), "0s");
        assert_eq!(show(1), "1ns");
        assert_eq!(show(1_100), "1.1µs");
        assert_eq!(show(2_200_000), "2.2ms");
        assert_eq!(show(3_300_000_000), "3.3s");
        assert_eq!(show(-(4 * MINUTE + 5 * SECOND)), "-4m5s");
        assert_eq!(show(HOUR + 2 * MINUTE + 3_500_000_000), "1h2m3.5s");
        assert_eq!(show(i64::MAX), "2562047h47m16.854775807s");
        assert_eq!(show(i64::MIN), "-2562047h47m16.854775808s");
    }

    #[test]
    fn parses_like_go() {
        let p = |s: &str| Duration::parse(s).map(|d| d.0);
        assert_eq!(p("1h2m3.5s"), Ok(HOUR + 2 * MINUTE + 3_500_000_000));
        assert_eq!(p("-0"), Ok(0));
        assert_eq!(p(".5s"), Ok(500_000_000));
        assert_eq!(p("1.s"), Ok(SECOND));
        assert_eq!(p("1µs"), Ok(1000));
        assert_eq!(p("1μs"), Ok(1000));
        assert_eq!(p("-9223372036854775808ns"), Ok(i64::MIN));
        assert_eq!(p("9223372036854775808ns"), Err("time: invalid duration \"9223372036854775808ns\"".into()));
        assert_eq!(p(""), Err("time: invalid duration \"\"".into()));
        assert_eq!(p("1"), Err("time: missing unit in duration \"1\"".into()));
        assert_eq!(p("1d"), Err("time: unknown unit \"d\" in duration \"1d\"".into()));
        assert_eq!(p("1é"), Err("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"".into()));
        assert_eq!(p(".s"), Err("time: invalid duration \".s\"".into()));
    }

    #[test]
    fn rounds_like_go() {
        let d = Duration(HOUR + 15 * MINUTE + 30 * SECOND + 918_273_645);
        assert_eq!(d.round(Duration(HOUR)).to_string(), "1h0m0s");
        assert_eq!(d.round(Duration(MINUTE)).to_string(), "1h16m0s");
        assert_eq!(d.truncate(Duration(MINUTE)).to_string(), "1h15m0s");
        assert_eq!(Duration(i64::MAX).round(Duration(HOUR)), Duration::MAX);
        assert_eq!(Duration(i64::MIN).round(Duration(HOUR)), Duration::MIN);
        assert_eq!(Duration(-1500).round(Duration(1000)).0, -2000);
        assert_eq!(Duration(i64::MIN).abs(), Duration::MAX);
    }
}
