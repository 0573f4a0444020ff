//! The parts of govalidator Helm's Chart.yaml rules use: `IsRequestURL`,
//! `IsURL` and `IsEmail`, as far as chart metadata exercises them.

/// `url.ParseRequestURI` succeeds and there is a scheme.
pub fn is_request_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else { return false };
    valid_scheme(scheme) && !rest.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn valid_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A URL with an optional scheme and a host name or IP.
pub fn is_url(s: &str) -> bool {
    if s.is_empty() || s.len() >= 2083 || s.len() <= 3 || s.starts_with('.') {
        return false;
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let rest = match s.split_once("://") {
        Some((scheme, rest)) => {
            if !valid_scheme(scheme) {
                return false;
            }
            rest
        }
        None => s,
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = host_port.rsplit_once('@').map(|(_, h)| h).unwrap_or(host_port);
    let host = host_port.split(':').next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with('.')
        && (host.contains('.') || host == "localhost")
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// `local@domain` with a plausible local part and a dotted domain.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    !local.is_empty()
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && !domain.is_empty()
        && domain.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'))
}
