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
#[cfg(test)]
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";
/// One constraint version; 9 capture groups.
const CV: &str = concat!(
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
);
const WS: &str = r"[\t\n\f\r ]";

/// `A - B` ranges (1 and 11 are the two versions). The other three
/// patterns of the library (one constraint, an AND group, each constraint in
/// a group) are matched by hand below: compiling them with `regex` cost
/// 3.3 M instructions per process, up to a quarter of rendering a small
/// chart that calls `semverCompare`. This one is compiled only for text that
/// can match it.
fn range_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"{WS}*({CV}){WS}+-{WS}+({CV}){WS}*")).expect("valid range regex"))
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// `[0-9|x|X|\*]`: the class includes `|`, as in the library.
fn is_num(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'|' | b'x' | b'X' | b'*')
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

fn is_op(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'>' | b'<' | b'~' | b'^')
}

/// The operators `OPS` accepts. No version starts with an operator
/// character, so an operator is always the whole run of them.
const OP_TEXTS: [&str; 12] = ["=", "", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^"];

/// The end of the run of bytes from `from` that satisfy `f`.
fn run(b: &[u8], from: usize, f: fn(u8) -> bool) -> usize {
    from + b[from..].iter().take_while(|&&c| f(c)).count()
}

/// One `CV` match at the start of a text, with its groups.
struct Cv<'a> {
    /// The whole version as written.
    text: &'a str,
    major: &'a str,
    /// `.minor` and `.patch` with their dot, or empty.
    minor: &'a str,
    patch: &'a str,
    /// `-pre` with its dash, or empty.
    pre: &'a str,
}

/// `CV` at the start of `s`, as far as its greedy parts reach (the pattern
/// is deterministic: each optional part starts with its own character).
fn scan_cv(s: &str) -> Option<Cv<'_>> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'v'));
    let j = run(b, i, is_num);
    if j == i {
        return None;
    }
    let major = &s[i..j];
    i = j;
    let mut dotted = ["", ""];
    for part in &mut dotted {
        if b.get(i) != Some(&b'.') {
            break;
        }
        let j = run(b, i + 1, is_num);
        if j == i + 1 {
            break;
        }
        *part = &s[i..j];
        i = j;
    }
    let mut tagged = |lead: u8| {
        let start = i;
        if b.get(i) != Some(&lead) {
            return "";
        }
        let mut k = run(b, i + 1, is_ident);
        if k == i + 1 {
            return "";
        }
        while b.get(k) == Some(&b'.') {
            let next = run(b, k + 1, is_ident);
            if next == k + 1 {
                break;
            }
            k = next;
        }
        i = k;
        &s[start..k]
    };
    let pre = tagged(b'-');
    tagged(b'+');
    Some(Cv { text: &s[..i], major, minor: dotted[0], patch: dotted[1], pre })
}

/// An AND group as the library's `validConstraintRegex` accepts it, split
/// into its constraints (operator, version) as `findConstraintRegex` finds
/// them; `None` when the group is not valid.
fn scan_group(part: &str) -> Option<Vec<(&str, Cv<'_>)>> {
    let b = part.as_bytes();
    let mut i = run(b, 0, is_ws);
    let mut items = Vec::new();
    loop {
        let j = run(b, i, is_op);
        let op = &part[i..j];
        if !OP_TEXTS.contains(&op) {
            return None;
        }
        i = run(b, j, is_ws);
        let cv = scan_cv(&part[i..])?;
        i += cv.text.len();
        items.push((op, cv));
        let k = run(b, i, is_ws);
        if k == b.len() {
            return Some(items);
        }
        if b[k] == b',' {
            i = run(b, k + 1, is_ws);
        } else if k > i {
            i = k;
        } else {
            return None;
        }
    }
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

fn parse_constraint(op: &str, cv: &Cv<'_>) -> Result<Constraint, SemverError> {
    let orig = cv.text;
    let (major, minor, patch, pre) = (cv.major, cv.minor, cv.patch, cv.pre);
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
    // The pattern needs a `-` with blanks on both sides.
    let b = input.as_bytes();
    if !(1..b.len().saturating_sub(1)).any(|i| b[i] == b'-' && is_ws(b[i - 1]) && is_ws(b[i + 1])) {
        return out;
    }
    for caps in range_regex().captures_iter(input) {
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
            let found =
                scan_group(part).ok_or_else(|| SemverError(format!("improper constraint: {}", quote(part))))?;
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for (op, cv) in &found {
                let c = parse_constraint(op, cv)?;
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

    type Item = (String, String, [String; 4]);

    /// The library's way: `validConstraintRegex`, then each
    /// `findConstraintRegex` match read by `constraintRegex`.
    fn groups_by_regex(part: &str) -> Option<Vec<Item>> {
        let re = |s: String| Regex::new(&s).unwrap();
        static P: OnceLock<[Regex; 3]> = OnceLock::new();
        let [constraint, find, valid] = P.get_or_init(|| {
            [
                re(format!(r"^{WS}*({OPS}){WS}*({CV}){WS}*$")),
                re(format!(r"({OPS}){WS}*({CV})")),
                re(format!(r"^({WS}*({OPS}){WS}*({CV}){WS}*)((?:{WS}+|,{WS}*)({OPS}){WS}*({CV}){WS}*)*$")),
            ]
        });
        if !valid.is_match(part) {
            return None;
        }
        let found: Vec<&str> = find.find_iter(part).map(|m| m.as_str()).collect();
        let found = if found.is_empty() { vec![part] } else { found };
        Some(
            found
                .into_iter()
                .map(|text| {
                    let caps = constraint.captures(text).expect("a found constraint parses");
                    let g = |i: usize| caps.get(i).map_or("", |m| m.as_str()).to_string();
                    (g(1), g(2), [g(3), g(4), g(5), g(6)])
                })
                .collect(),
        )
    }

    fn groups_by_hand(part: &str) -> Option<Vec<Item>> {
        scan_group(part).map(|items| {
            items
                .into_iter()
                .map(|(op, cv)| {
                    let parts = [cv.major, cv.minor, cv.patch, cv.pre].map(str::to_string);
                    (op.to_string(), cv.text.to_string(), parts)
                })
                .collect()
        })
    }

    /// Every string up to 5 characters over the characters the patterns
    /// care about is split the same way by hand as by the regexes, and the
    /// range pattern never matches where the quick test says it cannot.
    #[test]
    fn hand_matching_agrees_with_the_library_patterns() {
        let alphabet: Vec<char> = "1x.-a+v >=~^!<|,\t".chars().collect();
        let mut strings = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for s in &last {
                for &c in &alphabet {
                    next.push(format!("{s}{c}"));
                }
            }
            strings.extend(next.iter().cloned());
            last = next;
        }
        for extra in ["1.2.3-beta.1+b.2", ">= 1.2, < 2.0", "~> 1.2 ,^3", "v1.x.* != 2", "1.2 - 1.4", " =1|2 "] {
            strings.push(extra.to_string());
        }
        for s in &strings {
            assert_eq!(groups_by_hand(s), groups_by_regex(s), "{s:?}");
            let b = s.as_bytes();
            let spaced = (1..b.len().saturating_sub(1)).any(|i| b[i] == b'-' && is_ws(b[i - 1]) && is_ws(b[i + 1]));
            if !spaced {
                assert!(!range_regex().is_match(s), "{s:?}");
            }
        }
    }

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
