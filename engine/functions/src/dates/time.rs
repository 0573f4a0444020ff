//! Go's `time.Time`: seconds since January 1 of year 1, nanoseconds, an
//! optional monotonic clock reading, and a location.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::civil::{date_to_unix, norm, Fields, SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE};
use super::duration::{Duration, SECOND};
use super::zone::{Loc, ZoneInfo};

/// Seconds from year 1 to 1970.
pub const UNIX_TO_INTERNAL: i64 = (1969 * 365 + 1969 / 4 - 1969 / 100 + 1969 / 400) * SECONDS_PER_DAY;
/// Go packs a monotonic reading only for wall times within 1885..2157.
const WALL_TO_INTERNAL: i64 = (1884 * 365 + 1884 / 4 - 1884 / 100 + 1884 / 400) * SECONDS_PER_DAY;
const MAX_WALL_OFFSET: i64 = (1 << 33) - 1;

#[derive(Clone, Debug)]
pub struct Time {
    /// Seconds since January 1, year 1, UTC.
    sec: i64,
    /// Nanoseconds within the second, 0..1e9.
    nsec: i32,
    /// Nanoseconds since process start, for times from `now`.
    mono: Option<i64>,
    loc: Loc,
}

/// The zero Time: January 1, year 1, 00:00:00 UTC.
impl Default for Time {
    fn default() -> Time {
        Time { sec: 0, nsec: 0, mono: None, loc: Loc::Utc }
    }
}

/// The process's monotonic origin. Go starts it at init, one nanosecond
/// before the first reading, so readings are never zero.
fn mono_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn mono_now() -> i64 {
    i64::try_from(mono_start().elapsed().as_nanos()).unwrap_or(i64::MAX).saturating_add(1)
}

impl Time {
    /// `time.Now()`: local time with a monotonic reading.
    pub fn now() -> Time {
        let mono = mono_now();
        let (unix, nsec) = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos() as i32),
            Err(e) => {
                let d = e.duration();
                let (s, n) = (-(d.as_secs() as i64), d.subsec_nanos() as i32);
                if n > 0 {
                    (s - 1, 1_000_000_000 - n)
                } else {
                    (s, 0)
                }
            }
        };
        let mut t = Time::unix(unix, i64::from(nsec));
        t.set_mono(mono);
        t
    }

    /// `time.Unix(sec, nsec)`: a local time.
    pub fn unix(sec: i64, nsec: i64) -> Time {
        let (mut sec, mut nsec) = (sec, nsec);
        if !(0..1_000_000_000).contains(&nsec) {
            let n = nsec / 1_000_000_000;
            sec = sec.wrapping_add(n);
            nsec -= n * 1_000_000_000;
            if nsec < 0 {
                nsec += 1_000_000_000;
                sec = sec.wrapping_sub(1);
            }
        }
        Time { sec: sec.wrapping_add(UNIX_TO_INTERNAL), nsec: nsec as i32, mono: None, loc: Loc::Local }
    }

    /// `time.Date`: normalises out-of-range fields and resolves the zone
    /// offset in `loc` (around transitions, one of the two candidates).
    #[allow(clippy::too_many_arguments)] // mirrors Go's signature
    pub fn date(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64, nsec: i64, loc: Loc) -> Time {
        let (year, m) = norm(year, month.wrapping_sub(1), 12);
        let month = m + 1;
        let (sec, nsec) = norm(sec, nsec, 1_000_000_000);
        let (min, sec) = norm(min, sec, 60);
        let (hour, min) = norm(hour, min, 60);
        let (day, hour) = norm(day, hour, 24);

        let mut unix =
            date_to_unix(year, month, day).wrapping_add(hour * SECONDS_PER_HOUR + min * SECONDS_PER_MINUTE + sec);

        // Guess the offset at the wall time read as UTC, then correct it if
        // the resulting instant falls outside that zone's interval.
        let zone = loc.get();
        let first = zone.lookup(unix);
        if first.offset != 0 {
            let utc = unix.wrapping_sub(first.offset);
            let offset = if utc < first.start || utc >= first.end { zone.lookup(utc).offset } else { first.offset };
            unix = unix.wrapping_sub(offset);
        }
        let mut t = Time::unix(unix, 0);
        t.nsec = nsec as i32;
        t.set_loc(loc);
        t
    }

    pub(crate) fn internal_sec(&self) -> i64 {
        self.sec
    }

    pub fn nanosecond(&self) -> i64 {
        i64::from(self.nsec)
    }

    pub fn unix_sec(&self) -> i64 {
        self.sec.wrapping_sub(UNIX_TO_INTERNAL)
    }

    pub fn unix_milli(&self) -> i64 {
        self.unix_sec().wrapping_mul(1_000).wrapping_add(self.nanosecond() / 1_000_000)
    }

    pub fn unix_micro(&self) -> i64 {
        self.unix_sec().wrapping_mul(1_000_000).wrapping_add(self.nanosecond() / 1_000)
    }

    pub fn unix_nano(&self) -> i64 {
        self.unix_sec().wrapping_mul(1_000_000_000).wrapping_add(self.nanosecond())
    }

    pub fn location(&self) -> &Loc {
        &self.loc
    }

    pub fn monotonic(&self) -> Option<i64> {
        self.mono
    }

    pub fn is_zero(&self) -> bool {
        self.sec == 0 && self.nsec == 0
    }

    /// Go's setLoc: a new location also drops the monotonic reading.
    pub fn set_loc(&mut self, loc: Loc) {
        self.strip_mono();
        self.loc = loc;
    }

    pub fn strip_mono(&mut self) {
        self.mono = None;
    }

    /// Go's setMono: only wall times within 1885..2157 can carry one.
    fn set_mono(&mut self, m: i64) {
        if self.mono.is_none() {
            let off = self.sec.wrapping_sub(WALL_TO_INTERNAL);
            if !(0..=MAX_WALL_OFFSET).contains(&off) {
                return;
            }
        }
        self.mono = Some(m);
    }

    /// Go's addSec: saturates at the int64 limits; a time that leaves the
    /// packed wall range loses its monotonic reading.
    pub(crate) fn add_sec(&mut self, d: i64) {
        if self.mono.is_some() {
            let off = self.sec.wrapping_sub(WALL_TO_INTERNAL).wrapping_add(d);
            if (0..=MAX_WALL_OFFSET).contains(&off) {
                self.sec = WALL_TO_INTERNAL + off;
                return;
            }
            self.strip_mono();
        }
        let sum = self.sec.wrapping_add(d);
        self.sec = if (sum > self.sec) == (d > 0) {
            sum
        } else if d > 0 {
            i64::MAX
        } else {
            -i64::MAX
        };
    }

    /// The zone in effect: name, offset, bounds.
    pub fn zone(&self) -> ZoneInfo<'_> {
        self.loc.get().lookup(self.unix_sec())
    }

    /// The zone name and offset, and the wall clock as seconds since 1970 in
    /// that zone (Go's locabs). UTC skips the lookup and is always "UTC".
    pub fn locabs(&self) -> (&str, i64, i64) {
        let unix = self.unix_sec();
        if let Loc::Utc = self.loc {
            return ("UTC", 0, unix);
        }
        let info = self.loc.get().lookup(unix);
        (info.name, info.offset, unix.wrapping_add(info.offset))
    }

    /// Calendar fields in the time's own zone.
    pub fn fields(&self) -> Fields {
        Fields::of(self.locabs().2)
    }

    pub fn add(&self, d: Duration) -> Time {
        let mut t = self.clone();
        let mut dsec = d.0 / SECOND;
        let mut nsec = t.nsec + (d.0 % SECOND) as i32;
        if nsec >= 1_000_000_000 {
            dsec += 1;
            nsec -= 1_000_000_000;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += 1_000_000_000;
        }
        t.nsec = nsec;
        t.add_sec(dsec);
        if let Some(m) = t.mono {
            let te = m.wrapping_add(d.0);
            if (d.0 < 0 && te > m) || (d.0 > 0 && te < m) {
                t.strip_mono();
            } else {
                t.mono = Some(te);
            }
        }
        t
    }

    /// `t.Sub(u)`, saturating; monotonic readings win when both have one.
    pub fn sub(&self, u: &Time) -> Duration {
        if let (Some(te), Some(ue)) = (self.mono, u.mono) {
            let d = te.wrapping_sub(ue);
            if d < 0 && te > ue {
                return Duration::MAX;
            }
            if d > 0 && te < ue {
                return Duration::MIN;
            }
            return Duration(d);
        }
        let d = Duration(
            self.sec.wrapping_sub(u.sec).wrapping_mul(SECOND).wrapping_add(i64::from(self.nsec) - i64::from(u.nsec)),
        );
        if u.add(d).equal(self) {
            d
        } else if self.before(u) {
            Duration::MIN
        } else {
            Duration::MAX
        }
    }

    /// `time.Since(t)`.
    pub fn since(&self) -> Duration {
        let now = if self.mono.is_some() { Time { mono: Some(mono_now()), ..Time::default() } } else { Time::now() };
        now.sub(self)
    }

    /// Orders by monotonic readings when both have one, else by wall time.
    pub fn compare(&self, u: &Time) -> std::cmp::Ordering {
        match (self.mono, u.mono) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (self.sec, self.nsec).cmp(&(u.sec, u.nsec)),
        }
    }

    pub fn before(&self, u: &Time) -> bool {
        self.compare(u).is_lt()
    }

    pub fn after(&self, u: &Time) -> bool {
        self.compare(u).is_gt()
    }

    pub fn equal(&self, u: &Time) -> bool {
        self.compare(u).is_eq()
    }

    /// `t.AddDate(y, m, d)`: normalised like `Date`.
    pub fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let f = self.fields();
        Time::date(
            f.year.wrapping_add(years),
            f.month.wrapping_add(months),
            f.day.wrapping_add(days),
            f.hour,
            f.minute,
            f.second,
            self.nanosecond(),
            self.loc.clone(),
        )
    }

    /// The remainder of the time since the zero time divided by `d` (> 0),
    /// as Go's `div` computes it (always non-negative).
    fn remainder(&self, d: Duration) -> Duration {
        let total = i128::from(self.sec) * 1_000_000_000 + i128::from(self.nsec);
        Duration(total.rem_euclid(i128::from(d.0)) as i64)
    }

    pub fn truncate(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.strip_mono();
        if d.0 <= 0 {
            return t;
        }
        let r = t.remainder(d);
        t.add(Duration(-r.0))
    }

    /// Rounds half up (since the zero time).
    pub fn round(&self, d: Duration) -> Time {
        let mut t = self.clone();
        t.strip_mono();
        if d.0 <= 0 {
            return t;
        }
        let r = t.remainder(d);
        if (r.0 as u64).wrapping_add(r.0 as u64) < d.0 as u64 {
            t.add(Duration(-r.0))
        } else {
            t.add(Duration(d.0 - r.0))
        }
    }

    /// `t.In(loc)`, `t.UTC()`, `t.Local()`.
    pub fn in_loc(&self, loc: Loc) -> Time {
        let mut t = self.clone();
        t.set_loc(loc);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_round_trip() {
        let t = Time::unix(1_600_000_000, 5);
        assert_eq!(t.unix_sec(), 1_600_000_000);
        assert_eq!(t.nanosecond(), 5);
        assert_eq!(Time::unix(0, -1).unix_sec(), -1);
        assert_eq!(Time::unix(0, -1).nanosecond(), 999_999_999);
        assert_eq!(Time::default().unix_sec(), -62_135_596_800);
    }

    #[test]
    fn date_normalises() {
        let t = Time::date(2021, 2, 29, 25, 0, 0, 0, Loc::Utc);
        let f = t.fields();
        assert_eq!((f.year, f.month, f.day, f.hour), (2021, 3, 2, 1));
        let t = Time::date(2020, 13, 1, 0, 0, -1, 0, Loc::Utc);
        let f = t.fields();
        assert_eq!((f.year, f.month, f.day, f.hour, f.minute, f.second), (2020, 12, 31, 23, 59, 59));
    }

    #[test]
    fn arithmetic() {
        let a = Time::date(2020, 1, 1, 0, 0, 0, 0, Loc::Utc);
        let b = a.add(Duration(90 * SECOND + 5));
        assert_eq!(b.sub(&a), Duration(90 * SECOND + 5));
        assert_eq!(a.sub(&b), Duration(-(90 * SECOND + 5)));
        assert!(a.before(&b) && b.after(&a));
        assert_eq!(b.truncate(Duration(60 * SECOND)).sub(&a), Duration(60 * SECOND));
        assert_eq!(b.round(Duration(60 * SECOND)).sub(&a), Duration(120 * SECOND));
        assert_eq!(Time::default().sub(&b), Duration::MIN);
        let c = a.add_date(0, 1, 30);
        assert_eq!(c.fields().month, 3);
        assert_eq!(c.fields().day, 2);
    }

    #[test]
    fn now_has_monotonic_reading() {
        let t = Time::now();
        assert!(t.monotonic().is_some_and(|m| m > 0));
        assert!(t.add(Duration(SECOND)).monotonic().is_some());
        assert!(t.in_loc(Loc::Utc).monotonic().is_none());
        assert!(t.since().0 >= 0);
    }
}
