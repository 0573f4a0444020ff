//! `Metadata.Validate` and `Dependency.Validate`: string sanitising and the
//! checks Helm runs on every chart it loads, with its messages.

use rhelm_functions::semver::Version;

use super::chartfile::MetaState;
use super::gopath;
use crate::metadata::{Dependency, Metadata};

impl Metadata {
    /// Helm's `Metadata.Validate` on a copy (Helm sanitises in place first;
    /// the loader does that with [`Metadata::sanitize`]). The error is the
    /// text after `Error: `, e.g. `validation: chart.metadata.name is required`.
    pub fn validate(&self) -> Result<(), String> {
        let mut md = self.clone();
        md.sanitize();
        validate_sanitized(&md, false, None)
    }

    /// Normalises every free-text field as Helm does before validating:
    /// white space becomes a space, unprintable characters are dropped.
    pub fn sanitize(&mut self) {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *s = sanitize_string(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize_string(s);
        }
        for m in &mut self.maintainers {
            m.name = sanitize_string(&m.name);
            m.email = sanitize_string(&m.email);
            m.url = sanitize_string(&m.url);
        }
        for d in &mut self.dependencies {
            d.sanitize();
        }
    }
}

impl Dependency {
    fn sanitize(&mut self) {
        self.name = sanitize_string(&self.name);
        self.version = sanitize_string(&self.version);
        self.repository = sanitize_string(&self.repository);
        self.condition = sanitize_string(&self.condition);
        for t in &mut self.tags {
            *t = sanitize_string(t);
        }
    }
}

/// The loader's validation: sanitises `st` in place, then checks it,
/// `null` list entries included.
pub(crate) fn validate_state(st: &mut MetaState) -> Result<(), String> {
    st.md.sanitize();
    validate_sanitized(&st.md, st.null_maintainer, st.null_dependency)
}

fn validation(msg: String) -> Result<(), String> {
    Err(format!("validation: {msg}"))
}

fn validate_sanitized(md: &Metadata, null_maintainer: bool, null_dependency: Option<usize>) -> Result<(), String> {
    let q = rhelm_template::strconv::quote;
    if md.api_version.is_empty() {
        return validation("chart.metadata.apiVersion is required".into());
    }
    if md.name.is_empty() {
        return validation("chart.metadata.name is required".into());
    }
    if md.name == "." || md.name == ".." {
        return validation(format!("chart.metadata.name {} is not allowed", q(&md.name)));
    }
    if md.name != gopath::base(&md.name) {
        return validation(format!("chart.metadata.name {} is invalid", q(&md.name)));
    }
    if md.version.is_empty() {
        return validation("chart.metadata.version is required".into());
    }
    if Version::parse(&md.version).is_err() {
        return validation(format!("chart.metadata.version {} is invalid", q(&md.version)));
    }
    if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
        return validation("chart.metadata.type must be application or library".into());
    }
    if null_maintainer {
        return validation("maintainers must not contain empty or null nodes".into());
    }
    // Go walks the list in order; a null entry stops it where it stands.
    let mut seen: Vec<&str> = Vec::new();
    for (i, d) in md.dependencies.iter().enumerate() {
        if null_dependency == Some(i) {
            return validation("dependencies must not contain empty or null nodes".into());
        }
        if !d.alias.is_empty() && !valid_alias(&d.alias) {
            return validation(format!("dependency {} has disallowed characters in the alias", q(&d.name)));
        }
        let key = if d.alias.is_empty() { d.name.as_str() } else { d.alias.as_str() };
        if seen.contains(&key) {
            return validation(format!("more than one dependency with name or alias {}", q(key)));
        }
        seen.push(key);
    }
    Ok(())
}

/// `^[a-zA-Z0-9_-]+$`
fn valid_alias(a: &str) -> bool {
    !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Go's `sanitizeString`: `unicode.IsSpace` runes become ' ', runes that are
/// not `unicode.IsPrint` are dropped.
pub(crate) fn sanitize_string(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// An approximation of `unicode.IsPrint` without the Unicode tables: control,
/// format, private-use and surrogate code points are not printable.
pub(crate) fn is_print(c: char) -> bool {
    let u = c as u32;
    !(c.is_control()
        || u == 0xAD
        || (0x600..=0x605).contains(&u)
        || u == 0x61C
        || u == 0x6DD
        || u == 0x70F
        || (0x200B..=0x200F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2060..=0x206F).contains(&u)
        || u == 0xFEFF
        || (0xFFF0..=0xFFFB).contains(&u)
        || (0xE000..=0xF8FF).contains(&u)
        || (0xF0000..=0x10FFFF).contains(&u)
        || (0xE0000..=0xE007F).contains(&u)
        || u == 0xFFFE
        || u == 0xFFFF)
}
