//! Version constraints as Masterminds/semver v3.5.0 reads and checks them:
//! comparisons (`>= 1.2`, `!=1.x`), tilde and caret ranges, `1.2 - 1.4`
//! hyphen ranges, wildcards (`1.2.x`, `*`), comma- or space-separated AND
//! groups joined by `||`, and the library's prerelease rules.
//!
//! The library parses with Go regular expressions; the same expressions are
//! used here (Go's `\s` spelled out as `[\t\n\f\r ]`, since Rust's includes
//! `\v`), so odd inputs split and fail exactly as they do in Helm.

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use rhelm_template::strconv::quote;

use super::version::{compare_prerelease, SemverError, Version};

/// The operators, in the library's alternation order (it matters: the
/// empty operator comes second).
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// One constraint version; 9 capture groups.
const CV: &str = concat!(
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);
const WS: &str = r"[\t\n\f\r ]";

struct Patterns {
    /// One whole constraint: 1 operator, 2 version, 3-5 its numbers, 6 `-pre`.
    constraint: Regex,
    /// `A - B`: 1 and 11 are the two versions.
    range: Regex,
    /// Each constraint inside an AND group.
    find: Regex,
    /// A whole AND group.
    valid: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: String| Regex::new(&s).expect("valid constraint regex");
        Patterns {
            constraint: re(format!(r"^{WS}*({OPS}){WS}*({CV}){WS}*$")),
            range: re(format!(r"{WS}*({CV}){WS}+-{WS}+({CV}){WS}*")),
            find: re(format!(r"({OPS}){WS}*({CV})")),
            valid: re(format!(r"^({WS}*({OPS}){WS}*({CV}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({CV}){WS}*)*$")),
        }
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `""` and `=`: equality, or a tilde range when the version has wildcards.
    TildeOrEqual,
    NotEqual,
    GreaterThan,
    LessThan,
    GreaterThanEqual,
    LessThanEqual,
    Tilde,
    Caret,
}

impl Op {
    fn from_text(op: &str) -> Op {
        match op {
            "!=" => Op::NotEqual,
            ">" => Op::GreaterThan,
            "<" => Op::LessThan,
            ">=" | "=>" => Op::GreaterThanEqual,
            "<=" | "=<" => Op::LessThanEqual,
            "~" | "~>" => Op::Tilde,
            "^" => Op::Caret,
            _ => Op::TildeOrEqual,
        }
    }
}

/// One constraint, such as `>= 1.2` or `~1.x`.
#[derive(Clone, Debug)]
struct Constraint {
    /// The version to compare with (wildcards filled with zeros).
    con: Version,
    /// The version as written (e.g. `4.x`).
    orig: String,
    /// The operator as written.
    orig_op: String,
    op: Op,
    /// A wildcard or missing part: `1` / `1.x` (minor dirty), `1.2` / `1.2.x` (patch dirty).
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, SemverError> {
    let caps =
        patterns().constraint.captures(c).ok_or_else(|| SemverError(format!("improper constraint: {}", quote(c))))?;
    let group = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let (op, orig) = (group(1), group(2));
    let (major, minor, patch, pre) = (group(3), group(4), group(5), group(6));
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        orig.to_string()
    };
    // Go's TrimPrefix removes one dot; the regex allows only one anyway.
    let con = Version::parse(&ver).map_err(|_| SemverError("constraint parser error".into()))?;
    Ok(Constraint {
        con,
        orig: orig.to_string(),
        orig_op: op.to_string(),
        op: Op::from_text(op),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

/// `1.2 - 1.4` becomes `>= 1.2, <= 1.4 `. Go replaces the first occurrence
/// of each matched text, which is not always the match itself.
fn rewrite_range(input: &str) -> String {
    let mut out = input.to_string();
    for caps in patterns().range.captures_iter(input) {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        let lower = caps.get(1).map_or("", |m| m.as_str());
        let upper = caps.get(11).map_or("", |m| m.as_str());
        out = out.replacen(whole, &format!(">= {lower}, <= {upper} "), 1);
    }
    out
}

/// A set of constraints: AND groups, any of which may match.
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    /// Whether each group names a prerelease, which lets prereleases match it.
    contains_pre: Vec<bool>,
    /// Lets prereleases match every group.
    pub include_prerelease: bool,
}

/// Why a version failed one constraint (the library's texts).
fn quoted(v: &Version) -> String {
    quote(&v.to_string())
}

impl Constraint {
    fn fail(&self, v: &Version, what: &str) -> Result<(), SemverError> {
        self.fail_with(v, what, "")
    }

    /// `"<v>" <what> "<constraint version>"<extra>`.
    fn fail_with(&self, v: &Version, what: &str, extra: &str) -> Result<(), SemverError> {
        Err(SemverError(format!("{} {what} {}{extra}", quoted(v), quote(&self.orig))))
    }

    /// `Ok` when `v` satisfies the constraint; otherwise the reason.
    fn check(&self, v: &Version, include_pre: bool) -> Result<(), SemverError> {
        if !v.prerelease().is_empty() && !include_pre {
            return Err(SemverError(format!(
                "{} is a prerelease version and the constraint is only looking for release versions",
                quoted(v)
            )));
        }
        match self.op {
            Op::TildeOrEqual if self.dirty => self.tilde(v),
            Op::TildeOrEqual => {
                if v.compare(&self.con) == Ordering::Equal {
                    Ok(())
                } else {
                    self.fail(v, "is not equal to")
                }
            }
            Op::NotEqual => self.not_equal(v),
            Op::GreaterThan => self.greater_than(v),
            Op::LessThan => {
                if v.compare(&self.con) == Ordering::Less {
                    Ok(())
                } else {
                    self.fail(v, "is greater than or equal to")
                }
            }
            Op::GreaterThanEqual => {
                if v.compare(&self.con) != Ordering::Less {
                    Ok(())
                } else {
                    self.fail(v, "is less than")
                }
            }
            Op::LessThanEqual => self.less_than_equal(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn not_equal(&self, v: &Version) -> Result<(), SemverError> {
        let c = &self.con;
        if self.dirty {
            if c.major() != v.major() {
                return Ok(());
            }
            if c.minor() != v.minor() && !self.minor_dirty {
                return Ok(());
            } else if self.minor_dirty {
                return self.fail(v, "is equal to");
            } else if c.patch() != v.patch() && !self.patch_dirty {
                return Ok(());
            } else if self.patch_dirty {
                if (!v.prerelease().is_empty() || !c.prerelease().is_empty())
                    && compare_prerelease(v.prerelease(), c.prerelease()) != Ordering::Equal
                {
                    return Ok(());
                }
                return self.fail(v, "is equal to");
            }
        }
        if v.compare(c) == Ordering::Equal {
            return self.fail(v, "is equal to");
        }
        Ok(())
    }

    fn greater_than(&self, v: &Version) -> Result<(), SemverError> {
        let c = &self.con;
        let fail = || self.fail(v, "is less than or equal to");
        if !self.dirty {
            return if v.compare(c) == Ordering::Greater { Ok(()) } else { fail() };
        }
        if v.major() > c.major() {
            Ok(())
        } else if v.major() < c.major() || self.minor_dirty {
            // `>11` needs 12 or more: 11.1.0 is not greater.
            fail()
        } else if self.patch_dirty {
            // `>11.1` needs 11.2 or more.
            if v.minor() > c.minor() {
                Ok(())
            } else {
                fail()
            }
        } else if v.compare(c) == Ordering::Greater {
            Ok(())
        } else {
            fail()
        }
    }

    fn less_than_equal(&self, v: &Version) -> Result<(), SemverError> {
        let c = &self.con;
        if !self.dirty {
            return if v.compare(c) != Ordering::Greater { Ok(()) } else { self.fail(v, "is greater than") };
        }
        if v.major() > c.major() || (v.major() == c.major() && v.minor() > c.minor() && !self.minor_dirty) {
            return self.fail(v, "is greater than");
        }
        Ok(())
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`; `~1` and `~1.x` are `>=1 <2`; `~0.0.0` is anything.
    fn tilde(&self, v: &Version) -> Result<(), SemverError> {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return self.fail(v, "is less than");
        }
        if c.major() == 0 && c.minor() == 0 && c.patch() == 0 && !self.minor_dirty && !self.patch_dirty {
            return Ok(());
        }
        if v.major() != c.major() {
            return self.fail(v, "does not have same major version as");
        }
        if v.minor() != c.minor() && !self.minor_dirty {
            return self.fail(v, "does not have same major and minor version as");
        }
        Ok(())
    }

    /// `^1.2.3` is `>=1.2.3 <2`; with major 0 the minor is fixed, and with
    /// major and minor 0 the patch too.
    fn caret(&self, v: &Version) -> Result<(), SemverError> {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return self.fail(v, "is less than");
        }
        if c.major() > 0 || self.minor_dirty {
            return if v.major() == c.major() { Ok(()) } else { self.fail(v, "does not have same major version as") };
        }
        if v.major() > 0 {
            return self.fail(v, "does not have same major version as");
        }
        if c.minor() > 0 || self.patch_dirty {
            return if v.minor() == c.minor() {
                Ok(())
            } else {
                self.fail_with(
                    v,
                    "does not have same minor version as",
                    ". Expected minor versions to match when constraint major version is 0",
                )
            };
        }
        if v.minor() > 0 {
            return self.fail(v, "does not have same minor version as");
        }
        if c.patch() == v.patch() {
            Ok(())
        } else {
            self.fail_with(
                v,
                "does not equal",
                ". Expect version and constraint to equal when major and minor versions are 0",
            )
        }
    }
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(text: &str) -> Result<Constraints, SemverError> {
        let rewritten = rewrite_range(text);
        let mut groups = Vec::new();
        let mut contains_pre = Vec::new();
        for part in rewritten.split("||") {
            if !patterns().valid.is_match(part) {
                return Err(SemverError(format!("improper constraint: {}", quote(part))));
            }
            let found: Vec<&str> = patterns().find.find_iter(part).map(|m| m.as_str()).collect();
            let found = if found.is_empty() { vec![part] } else { found };
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for text in found {
                let c = parse_constraint(text)?;
                has_pre |= !c.con.prerelease().is_empty();
                group.push(c);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints { groups, contains_pre, include_prerelease: false })
    }

    /// `Check`: whether any AND group is satisfied. A prerelease version
    /// only matches a group that itself names a prerelease (or with
    /// `include_prerelease`).
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().zip(&self.contains_pre).any(|(group, &has_pre)| {
            let include_pre = self.include_prerelease || has_pre;
            group.iter().all(|c| c.check(v, include_pre).is_ok())
        })
    }

    /// `Validate`: like `check`, with the reasons a version failed.
    pub fn validate(&self, v: &Version) -> (bool, Vec<SemverError>) {
        let mut errors = Vec::new();
        let mut prerelease_reported = false;
        for (group, &has_pre) in self.groups.iter().zip(&self.contains_pre) {
            let include_pre = self.include_prerelease || has_pre;
            let mut ok = true;
            for c in group {
                if !include_pre && !v.prerelease().is_empty() {
                    if !prerelease_reported {
                        errors.push(SemverError(format!(
                            "{} is a prerelease version and the constraint is only looking for release versions",
                            quoted(v)
                        )));
                        prerelease_reported = true;
                    }
                    ok = false;
                } else if let Err(e) = c.check(v, include_pre) {
                    errors.push(e);
                    ok = false;
                }
            }
            if ok {
                return (true, Vec::new());
            }
        }
        (false, errors)
    }
}

/// `String()`: each constraint as written, AND groups joined by spaces and
/// alternatives by ` || `.
impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| g.iter().map(|c| format!("{}{}", c.orig_op, c.orig)).collect::<Vec<_>>().join(" "))
            .collect();
        f.write_str(&groups.join(" || "))
    }
}

impl std::str::FromStr for Constraints {
    type Err = SemverError;

    fn from_str(s: &str) -> Result<Constraints, SemverError> {
        Constraints::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        Constraints::parse(c).unwrap().check(&Version::parse(v).unwrap())
    }

    #[test]
    fn ranges() {
        assert!(check("^1.2.3", "1.9.0") && !check("^1.2.3", "2.0.0") && !check("^1.2.3", "1.2.2"));
        assert!(check("^0.2.3", "0.2.9") && !check("^0.2.3", "0.3.0"));
        assert!(check("^0.0.3", "0.0.3") && !check("^0.0.3", "0.0.4"));
        assert!(check("~1.2.3", "1.2.9") && !check("~1.2.3", "1.3.0"));
        assert!(check(">= 1.2, < 2.0", "1.5.0") && !check(">= 1.2, < 2.0", "2.0.0"));
        assert!(check("1.2 - 1.4", "1.4.9") && !check("1.2 - 1.4", "1.5.0"));
        assert!(check("<1 || >=3", "3.1.0") && !check("<1 || >=3", "2.0.0"));
        assert!(check("1.2.x", "1.2.7") && !check("1.2.x", "1.3.0"));
        assert!(check("*", "0.0.1") && check("x", "9.9.9"));
        assert!(check("!=4.x", "5.0.0") && !check("!=4.x", "4.1.0"));
        assert!(check(">11", "12.0.0") && !check(">11", "11.9.0"));
    }

    #[test]
    fn prereleases() {
        assert!(!check(">1.0.0", "1.1.0-beta"));
        assert!(check(">1.0.0-alpha", "1.1.0-beta"));
        assert!(check(">=1.2.3-0", "1.2.3-rc.1"));
        let mut c = Constraints::parse(">1.0.0").unwrap();
        c.include_prerelease = true;
        assert!(c.check(&Version::parse("1.1.0-beta").unwrap()));
    }

    #[test]
    fn errors_and_printing() {
        let err = |c: &str| Constraints::parse(c).unwrap_err().to_string();
        assert_eq!(err("foo"), "improper constraint: \"foo\"");
        assert_eq!(err(""), "improper constraint: \"\"");
        assert_eq!(err("1|2"), "constraint parser error");
        assert_eq!(Constraints::parse(">= 1.2, < 2 || ~3").unwrap().to_string(), ">=1.2 <2 || ~3");
        assert_eq!(Constraints::parse("1.2 - 1.4").unwrap().to_string(), ">=1.2 <=1.4");
        let c = Constraints::parse("^1.2").unwrap();
        let (ok, errs) = c.validate(&Version::parse("2.0.0").unwrap());
        assert!(!ok);
        assert_eq!(errs[0].to_string(), "\"2.0.0\" does not have same major version as \"1.2\"");
    }
}
