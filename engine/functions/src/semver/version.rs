//! Semantic versions as Masterminds/semver v3.5.0 parses, prints and orders
//! them. `Version::parse` is its `NewVersion` with coercion on (the default
//! Helm uses): `1`, `v1.2`, `01.02.03` are accepted and completed with zeros;
//! `Version::parse_strict` is `StrictNewVersion`.

use std::cmp::Ordering;
use std::fmt;

/// A semver error, with the library's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemverError(pub(crate) String);

impl SemverError {
    fn new(text: impl Into<String>) -> SemverError {
        SemverError(text.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SemverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SemverError {}

pub(crate) const INVALID_SEMVER: &str = "invalid semantic version";
const EMPTY_STRING: &str = "version string empty";
const INVALID_CHARACTERS: &str = "invalid characters in version";
const SEGMENT_STARTS_ZERO: &str = "version segment starts with 0";
const INVALID_METADATA: &str = "invalid metadata string";
const INVALID_PRERELEASE: &str = "invalid prerelease string";

/// The library's loose pattern (`looseSemVerRegex`), anchored:
/// `^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$`.
/// The pattern is deterministic (each part is told apart by the character
/// that starts it), so it is matched by hand: compiling it with `regex`
/// cost about 0.3 M instructions per process, on every chart.
/// Returns the major, minor and patch (the last two with their dot, or
/// empty), the prerelease and the metadata (without `-` / `+`).
pub(crate) fn loose_parts(v: &str) -> Option<[&str; 5]> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = v.strip_prefix('v').unwrap_or(v);
    let n = digits(rest);
    if n == 0 {
        return None;
    }
    let (major, mut rest) = rest.split_at(n);
    let mut dotted = ["", ""];
    for part in &mut dotted {
        if let Some(after) = rest.strip_prefix('.') {
            let n = digits(after);
            if n == 0 {
                return None;
            }
            (*part, rest) = rest.split_at(n + 1);
        }
    }
    let idents = |s: &str| !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.bytes().all(is_identifier_char));
    let (mut pre, mut meta) = ("", "");
    if let Some(after) = rest.strip_prefix('-') {
        let end = after.find('+').unwrap_or(after.len());
        pre = &after[..end];
        if !idents(pre) {
            return None;
        }
        rest = &after[end..];
    }
    if let Some(after) = rest.strip_prefix('+') {
        meta = after;
        if !idents(meta) {
            return None;
        }
        rest = "";
    }
    rest.is_empty().then_some([major, dotted[0], dotted[1], pre, meta])
}

/// A parsed version. Equality and ordering are semver precedence: build
/// metadata is ignored and a prerelease sorts before its release, as the
/// library's `Equal` and `Compare` do.
#[derive(Clone, Debug, Default)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

/// `strconv.ParseUint(s, 10, 64)`: ASCII digits only, no sign.
fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A version number segment, with the library's wrapped strconv error.
fn parse_segment(s: &str) -> Result<u64, SemverError> {
    parse_u64(s).ok_or_else(|| {
        let reason = if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            "invalid syntax"
        } else {
            "value out of range"
        };
        SemverError::new(format!(
            "error parsing version segment: strconv.ParseUint: parsing {}: {reason}",
            rhelm_template::strconv::quote(s)
        ))
    })
}

fn is_identifier_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Prerelease identifiers: non-empty, `[0-9A-Za-z-]`, numeric ones without
/// leading zeros.
pub(crate) fn validate_prerelease(p: &str) -> Result<(), SemverError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(SemverError::new(INVALID_PRERELEASE));
        }
        if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(SemverError::new(SEGMENT_STARTS_ZERO));
            }
        } else if !part.bytes().all(is_identifier_char) {
            return Err(SemverError::new(INVALID_PRERELEASE));
        }
    }
    Ok(())
}

/// Metadata identifiers: non-empty, `[0-9A-Za-z-]`.
pub(crate) fn validate_metadata(m: &str) -> Result<(), SemverError> {
    if m.split('.').any(|part| part.is_empty() || !part.bytes().all(is_identifier_char)) {
        return Err(SemverError::new(INVALID_METADATA));
    }
    Ok(())
}

impl Version {
    /// `semver.NewVersion` (with `CoerceNewVersion` on): a leading `v`,
    /// missing minor/patch and leading zeros in the numbers are accepted.
    pub fn parse(v: &str) -> Result<Version, SemverError> {
        let [major, minor, patch, pre, metadata] = loose_parts(v).ok_or_else(|| SemverError::new(INVALID_SEMVER))?;
        let number = |s: &str| match s {
            "" => Ok(0),
            s => parse_segment(s.trim_start_matches('.')),
        };
        let version = Version {
            major: parse_segment(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: v.to_string(),
        };
        if !version.pre.is_empty() {
            validate_prerelease(&version.pre)?;
        }
        if !version.metadata.is_empty() {
            validate_metadata(&version.metadata)?;
        }
        Ok(version)
    }

    /// `semver.StrictNewVersion`: exactly `X.Y.Z[-pre][+meta]`, no `v`, no
    /// leading zeros.
    pub fn parse_strict(v: &str) -> Result<Version, SemverError> {
        if v.is_empty() {
            return Err(SemverError::new(EMPTY_STRING));
        }
        let parts: Vec<&str> = v.splitn(3, '.').collect();
        if parts.len() != 3 {
            return Err(SemverError::new(INVALID_SEMVER));
        }
        let mut rest = parts[2];
        let mut metadata = "";
        if let Some((head, meta)) = rest.split_once('+') {
            metadata = meta;
            rest = head;
            validate_metadata(metadata)?;
        }
        let mut pre = "";
        if let Some((head, p)) = rest.split_once('-') {
            pre = p;
            rest = head;
            validate_prerelease(pre)?;
        }
        for p in [parts[0], parts[1], rest] {
            if !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(SemverError::new(INVALID_CHARACTERS));
            }
            if p.len() > 1 && p.starts_with('0') {
                return Err(SemverError::new(SEGMENT_STARTS_ZERO));
            }
        }
        // Go hands the strconv error back unwrapped here.
        let number = |s: &str| {
            parse_u64(s).ok_or_else(|| {
                let reason = if s.is_empty() { "invalid syntax" } else { "value out of range" };
                SemverError::new(format!("strconv.ParseUint: parsing {}: {reason}", rhelm_template::strconv::quote(s)))
            })
        };
        Ok(Version {
            major: number(parts[0])?,
            minor: number(parts[1])?,
            patch: number(rest)?,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: v.to_string(),
        })
    }

    /// `semver.New`: no validation of `pre` or `metadata`, as in Go.
    pub fn new(major: u64, minor: u64, patch: u64, pre: &str, metadata: &str) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: String::new(),
        };
        v.original = v.to_string();
        v
    }

    pub fn major(&self) -> u64 {
        self.major
    }

    pub fn minor(&self) -> u64 {
        self.minor
    }

    pub fn patch(&self) -> u64 {
        self.patch
    }

    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The text the version was parsed from.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Only a lower-case `v` counts as the prefix.
    fn original_v_prefix(&self) -> &str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    /// The version with `original` recomputed (keeping a `v` prefix).
    fn with_original(mut self, from: &Version) -> Version {
        self.original = format!("{}{}", from.original_v_prefix(), self);
        self
    }

    /// `IncPatch`: a prerelease becomes its release; otherwise the patch
    /// goes up. Metadata is dropped.
    pub fn inc_patch(&self) -> Result<Version, SemverError> {
        let mut next = Version { pre: String::new(), metadata: String::new(), ..self.clone() };
        if self.pre.is_empty() {
            next.patch = self
                .patch
                .checked_add(1)
                .ok_or_else(|| SemverError::new("patch version increment would overflow uint64"))?;
        }
        Ok(next.with_original(self))
    }

    pub fn inc_minor(&self) -> Result<Version, SemverError> {
        let minor = self
            .minor
            .checked_add(1)
            .ok_or_else(|| SemverError::new("minor version increment would overflow uint64"))?;
        let next = Version { minor, patch: 0, pre: String::new(), metadata: String::new(), ..self.clone() };
        Ok(next.with_original(self))
    }

    pub fn inc_major(&self) -> Result<Version, SemverError> {
        let major = self
            .major
            .checked_add(1)
            .ok_or_else(|| SemverError::new("major version increment would overflow uint64"))?;
        let next = Version { major, minor: 0, patch: 0, pre: String::new(), metadata: String::new(), ..self.clone() };
        Ok(next.with_original(self))
    }

    /// `SetPrerelease`: validated unless empty (which clears it).
    pub fn set_prerelease(&self, pre: &str) -> Result<Version, SemverError> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        Ok(Version { pre: pre.to_string(), ..self.clone() }.with_original(self))
    }

    /// `SetMetadata`: validated unless empty (which clears it).
    pub fn set_metadata(&self, metadata: &str) -> Result<Version, SemverError> {
        if !metadata.is_empty() {
            validate_metadata(metadata)?;
        }
        Ok(Version { metadata: metadata.to_string(), ..self.clone() }.with_original(self))
    }

    /// `Compare`: by major, minor, patch, then prerelease (a release is
    /// greater than any of its prereleases); metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch)).then_with(|| {
            match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            }
        })
    }
}

/// Dot-separated identifiers compared pairwise; a missing identifier sorts
/// first, numbers before words, numbers numerically, words bytewise.
pub(crate) fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let (sparts, oparts): (Vec<&str>, Vec<&str>) = (v.split('.').collect(), o.split('.').collect());
    for i in 0..sparts.len().max(oparts.len()) {
        let s = sparts.get(i).copied().unwrap_or("");
        let o = oparts.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, o);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    // Numbers that do not fit a uint64 count as words, as with Go's ParseUint.
    match (parse_u64(s), parse_u64(o)) {
        (None, None) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some(a), Some(b)) => {
            // Equal numbers with different spellings cannot occur after
            // validation; the library then answers -1.
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

/// `String()`: `X.Y.Z[-pre][+meta]`, without any `v` the input had.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.compare(other)
    }
}

impl std::str::FromStr for Version {
    type Err = SemverError;

    fn from_str(s: &str) -> Result<Version, SemverError> {
        Version::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand matcher agrees with the library's regular expression on
    /// every string over an alphabet of the characters that matter.
    #[test]
    fn loose_parts_match_the_regex() {
        let re = regex::Regex::new(concat!(
            r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?",
            r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
            r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
        ))
        .unwrap();
        let alphabet = ['v', '1', '0', '.', '-', '+', 'a', 'x', ' ', '\n'];
        let mut strings = vec![String::new()];
        for len in 1..=6 {
            let mut n = 0usize;
            let total = alphabet.len().pow(len);
            while n < total {
                let mut k = n;
                let s: String = (0..len).map(|_| { let c = alphabet[k % alphabet.len()]; k /= alphabet.len(); c }).collect();
                strings.push(s);
                n += 1;
            }
        }
        for s in &strings {
            let want = re.captures(s).map(|c| {
                let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
                [g(1), g(2), g(3), g(5), g(8)]
            });
            assert_eq!(loose_parts(s), want, "{s:?}");
        }
    }

    fn p(s: &str) -> Result<String, String> {
        Version::parse(s).map(|v| v.to_string()).map_err(|e| e.0)
    }

    #[test]
    fn coerces_like_new_version() {
        assert_eq!(p("1.2.3"), Ok("1.2.3".into()));
        assert_eq!(p("v1.2"), Ok("1.2.0".into()));
        assert_eq!(p("1"), Ok("1.0.0".into()));
        assert_eq!(p("01.002.0003"), Ok("1.2.3".into()));
        assert_eq!(p("1.2.3-beta.1+build.5"), Ok("1.2.3-beta.1+build.5".into()));
        assert_eq!(p("1.2-rc1"), Ok("1.2.0-rc1".into()));
        assert_eq!(p(""), Err(INVALID_SEMVER.into()));
        assert_eq!(p("1.2.3.4"), Err(INVALID_SEMVER.into()));
        assert_eq!(p("V1.2.3"), Err(INVALID_SEMVER.into()));
        assert_eq!(p("1.2.3-01"), Err(SEGMENT_STARTS_ZERO.into()));
        assert_eq!(
            p("99999999999999999999"),
            Err("error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range".into())
        );
    }

    #[test]
    fn strict_parsing() {
        let s = |v: &str| Version::parse_strict(v).map(|v| v.to_string()).map_err(|e| e.0);
        assert_eq!(s("1.2.3-x+y"), Ok("1.2.3-x+y".into()));
        assert_eq!(s("1.2"), Err(INVALID_SEMVER.into()));
        assert_eq!(s("v1.2.3"), Err(INVALID_CHARACTERS.into()));
        assert_eq!(s("01.2.3"), Err(SEGMENT_STARTS_ZERO.into()));
        assert_eq!(s(""), Err(EMPTY_STRING.into()));
    }

    #[test]
    fn orders_by_precedence() {
        let v = |s: &str| Version::parse(s).unwrap();
        let sorted = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
        ];
        for w in sorted.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
    }

    #[test]
    fn increments_keep_v_prefix() {
        let v = Version::parse("v1.2.3-rc.1+m").unwrap();
        assert_eq!(v.inc_patch().unwrap().original(), "v1.2.3");
        assert_eq!(v.inc_minor().unwrap().original(), "v1.3.0");
        assert_eq!(v.inc_major().unwrap().to_string(), "2.0.0");
        assert_eq!(v.set_prerelease("").unwrap().original(), "v1.2.3+m");
        assert!(Version::parse("1.2.18446744073709551615").unwrap().inc_patch().is_err());
    }
}
