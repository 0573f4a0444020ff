//! Proleptic Gregorian calendar arithmetic on days since 1970-01-01, as Go's
//! time package does it (no leap seconds). Go counts from an "absolute"
//! epoch far in the past; counting from 1970 gives the same calendar for
//! every instant Go can represent, and i128 intermediates keep extreme
//! inputs from overflowing.

pub const SECONDS_PER_MINUTE: i64 = 60;
pub const SECONDS_PER_HOUR: i64 = 60 * SECONDS_PER_MINUTE;
pub const SECONDS_PER_DAY: i64 = 24 * SECONDS_PER_HOUR;

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

/// Days from 1970-01-01 to `year`-`month`-01 (month 1..=12), wrapping like
/// Go's uint64 arithmetic for years no calendar needs.
pub fn days_from_civil(year: i64, month: i64) -> i64 {
    let y = i128::from(year) - i128::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i128::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i64
}

/// The (year, month 1..=12, day 1..=31) of a day counted from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = i128::from(days) + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    (year as i64, month as i64, day as i64)
}

/// The year and 0-based day of the year.
pub fn year_yday(days: i64) -> (i64, i64) {
    let (year, _, _) = civil_from_days(days);
    (year, days.wrapping_sub(days_from_civil(year, 1)))
}

/// 0 = Sunday; 1970-01-01 was a Thursday.
pub fn weekday(days: i64) -> i64 {
    (i128::from(days) + 4).rem_euclid(7) as i64
}

/// The calendar fields of a local time given as seconds since 1970 in that zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fields {
    pub days: i64,
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Fields {
    pub fn of(local_secs: i64) -> Fields {
        let days = local_secs.div_euclid(SECONDS_PER_DAY);
        let secs = local_secs.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Fields {
            days,
            year,
            month,
            day,
            hour: secs / SECONDS_PER_HOUR,
            minute: secs % SECONDS_PER_HOUR / SECONDS_PER_MINUTE,
            second: secs % SECONDS_PER_MINUTE,
        }
    }

    /// 1-based day of the year.
    pub fn yday(&self) -> i64 {
        year_yday(self.days).1 + 1
    }

    pub fn weekday(&self) -> i64 {
        weekday(self.days)
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
    fn round_trips() {
        for days in [-1_000_000i64, -719_468, -1, 0, 1, 59, 365, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m) + d - 1, days, "{days}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(weekday(0), 4);
        assert_eq!(year_yday(days_from_civil(2020, 3)), (2020, 60));
    }

    #[test]
    fn norm_matches_go() {
        assert_eq!(norm(0, -1, 60), (-1, 59));
        assert_eq!(norm(0, 125, 60), (2, 5));
        assert_eq!(norm(5, -120, 60), (3, 0));
    }
}
