//! Calendar arithmetic exactly as Go's time package (1.23 and later) does
//! it: instants become unsigned "absolute" seconds counted from March 1 of
//! the year -292277022400, and dates are split with Neri and Schneider's
//! Euclidean affine functions. Doing the same unsigned, wrapping arithmetic
//! makes even instants past the representable range (`time.Unix(MaxInt64,
//! 0)`, `AddDate` with huge values) print the same odd dates Helm prints.

pub const SECONDS_PER_MINUTE: i64 = 60;
pub const SECONDS_PER_HOUR: i64 = 60 * SECONDS_PER_MINUTE;
pub const SECONDS_PER_DAY: i64 = 24 * SECONDS_PER_HOUR;

/// Days from March 1 through December 31.
const MARCH_THRU_DECEMBER: u32 = 306;
/// Years between the absolute epoch and year 0 (0 mod 400).
const ABSOLUTE_YEARS: u64 = 292_277_022_400;
/// Seconds from 1970 to the absolute epoch, and back.
pub const ABSOLUTE_TO_UNIX: i64 = -9_223_372_028_741_760_000;
const UNIX_TO_ABSOLUTE: i64 = -ABSOLUTE_TO_UNIX;

/// Days in a non-leap year before month m (1-based), with an entry for 13.
pub const DAYS_BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

pub const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub const LONG_DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1..=12) of `year`.
pub fn days_in(month: i64, year: i64) -> i64 {
    if month == 2 && is_leap(year) {
        return 29;
    }
    let m = month.clamp(1, 12) as usize;
    DAYS_BEFORE[m] - DAYS_BEFORE[m - 1]
}

/// Go's dateToAbsDays: days from the absolute epoch to `year`-`month`-`day`
/// (month 1..=12, day any value), in Go's wrapping unsigned arithmetic.
pub fn date_to_abs_days(year: i64, month: i64, day: i64) -> u64 {
    let jan_feb = u32::from(month < 3);
    let amonth = month as u32 + 12 * jan_feb;
    let y = (year as u64).wrapping_sub(u64::from(jan_feb)).wrapping_add(ABSOLUTE_YEARS);
    let ayday = (979 * amonth - 2919) >> 5;
    let century = y / 100;
    let cyear = (y % 100) as u32;
    let cday = 1461 * cyear / 4;
    let century_days = 146_097u64.wrapping_mul(century) / 4;
    century_days.wrapping_add((i64::from(cday + ayday)).wrapping_add(day).wrapping_sub(1) as u64)
}

/// Seconds since 1970 of midnight starting `year`-`month`-`day` (UTC).
pub fn date_to_unix(year: i64, month: i64, day: i64) -> i64 {
    (date_to_abs_days(year, month, day) as i64).wrapping_mul(SECONDS_PER_DAY).wrapping_add(ABSOLUTE_TO_UNIX)
}

/// The calendar fields of a local time given as seconds since 1970 in that zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields {
    /// Days since the absolute epoch.
    abs_days: u64,
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    /// 1-based day of the year.
    pub yday: i64,
}

impl Fields {
    pub fn of(local_secs: i64) -> Fields {
        let abs = local_secs.wrapping_add(UNIX_TO_ABSOLUTE) as u64;
        let abs_days = abs / SECONDS_PER_DAY as u64;
        let secs = (abs % SECONDS_PER_DAY as u64) as i64;
        // Split into century, year of century and (March-based) day of year.
        let d = abs_days.wrapping_mul(4).wrapping_add(3);
        let century = d / 146_097;
        let cd = (d % 146_097) as u32 | 3;
        let product = 2_939_745u64 * u64::from(cd);
        let (cyear, low) = ((product >> 32) as u32, product as u32);
        let ayday = low / 2_939_745 / 4;
        // Month (March = 3 .. February = 14) and day of month.
        let md = 2141 * ayday + 197_913;
        let (amonth, mday) = (md >> 16, 1 + (md & 0xFFFF) / 2141);
        let jan_feb = u32::from(ayday >= MARCH_THRU_DECEMBER);
        let leap = u32::from(cyear & 3 == 0 && (cyear != 0 || century & 3 == 0));
        let year = (century.wrapping_mul(100).wrapping_sub(ABSOLUTE_YEARS) as i64)
            .wrapping_add(i64::from(cyear))
            .wrapping_add(i64::from(jan_feb));
        Fields {
            abs_days,
            year,
            month: i64::from(amonth) - 12 * i64::from(jan_feb),
            day: i64::from(mday),
            hour: secs / SECONDS_PER_HOUR,
            minute: secs % SECONDS_PER_HOUR / SECONDS_PER_MINUTE,
            second: secs % SECONDS_PER_MINUTE,
            yday: i64::from(ayday) + (1 + 31 + 28) + i64::from(leap & !jan_feb & 1) - 365 * i64::from(jan_feb),
        }
    }

    /// 0 = Sunday; March 1 of the absolute epoch was a Wednesday.
    pub fn weekday(&self) -> i64 {
        (self.abs_days.wrapping_add(3) % 7) as i64
    }
}

/// Go's `norm`: moves whole multiples of `base` from `lo` into `hi` so that
/// 0 <= lo < base (wrapping where Go's int arithmetic would).
pub fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    let (mut hi, mut lo) = (hi, lo);
    if lo < 0 {
        let n = (-(lo + 1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo -= n * base;
    }
    (hi, lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_gregorian_calendar() {
        let f = Fields::of(0);
        assert_eq!((f.year, f.month, f.day, f.yday, f.weekday()), (1970, 1, 1, 1, 4));
        let f = Fields::of(951_782_400); // 2000-02-29
        assert_eq!((f.year, f.month, f.day, f.yday, f.weekday()), (2000, 2, 29, 60, 2));
        let f = Fields::of(-62_135_596_800); // 0001-01-01
        assert_eq!((f.year, f.month, f.day, f.weekday()), (1, 1, 1, 1));
        let f = Fields::of(-62_135_596_801);
        assert_eq!((f.year, f.month, f.day, f.hour, f.yday), (0, 12, 31, 23, 366));
        for secs in [-10_000_000_000i64, -86_400, 0, 1_600_000_000, 253_402_300_799] {
            let f = Fields::of(secs);
            let back = date_to_unix(f.year, f.month, f.day) + f.hour * 3600 + f.minute * 60 + f.second;
            assert_eq!(back, secs);
        }
    }

    #[test]
    fn wraps_like_go_at_the_extremes() {
        // time.Unix(math.MaxInt64, 0) in UTC, as Helm prints it.
        let f = Fields::of(i64::MAX);
        assert_eq!((f.year, f.month, f.day, f.hour, f.minute, f.second), (292_277_026_596, 12, 4, 15, 30, 7));
    }

    #[test]
    fn norm_matches_go() {
        assert_eq!(norm(0, -1, 60), (-1, 59));
        assert_eq!(norm(0, 125, 60), (2, 5));
        assert_eq!(norm(5, -120, 60), (3, 0));
    }
}
