//! Sprig's `urlParse` and `urlJoin` (`url.go`), on top of our own rendering
//! of Go's `net/url` as Helm 4.3.1 (Go 1.27) has it: `url.Parse` with its
//! exact error texts (the stricter host checks of Go 1.26: the port starts
//! at the first colon, and bracketed hosts must be IPv6 addresses as
//! `netip.ParseAddr` reads them), `Userinfo.String`, `Hostname` and
//! `URL.String`.
//!
//! Go strings are byte strings, so the work is done on bytes; a result
//! that is not UTF-8 (`%FF` in a path) is converted with U+FFFD for the
//! invalid bytes, which is also what Helm's output ends up showing once
//! encoded.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::strconv::quote;
use rhelm_template::{Error, FuncMap, Function, Type, Value};

/// Which part of a URL is being escaped or unescaped (Go's `encoding`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// Go's `shouldEscape`: whether byte `c` must be %-escaped in `mode`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone) {
        // Sub-delims, plus `:` (port), `[ ]` (IPv6) and `< > "`, which a
        // host cannot %-encode anyway.
        if b"!$&'()*+,;=:[]<>\"".contains(&c) {
            return false;
        }
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::QueryComponent => true,
                Mode::Fragment => false,
                Mode::Host | Mode::Zone => true,
            };
        }
        _ => {}
    }
    // The fragment also keeps these sub-delims (but still escapes `'`).
    !(mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*'))
}

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Go's `escape`.
fn escape(s: &[u8], mode: Mode) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push(b'+');
        } else if should_escape(c, mode) {
            out.extend_from_slice(&[b'%', UPPER_HEX[usize::from(c >> 4)], UPPER_HEX[usize::from(c & 15)]]);
        } else {
            out.push(c);
        }
    }
    out
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c.wrapping_sub(b'A').wrapping_add(10),
    }
}

/// `strconv.Quote` of a Go (byte) string: bytes that are not UTF-8 are
/// written as `\xNN`.
fn go_quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in s.utf8_chunks() {
        let valid = quote(chunk.valid());
        out.push_str(&valid[1..valid.len() - 1]);
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

/// Go's `unescape`; errors are `EscapeError` / `InvalidHostError` texts.
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len() || !s[i + 1].is_ascii_hexdigit() || !s[i + 2].is_ascii_hexdigit() {
                    let bad = &s[i..s.len().min(i + 3)];
                    return Err(format!("invalid URL escape {}", go_quote(bad)));
                }
                let triple = &s[i..i + 3];
                // A host may %-encode only non-ASCII bytes, and `%25` (an
                // IPv6 zone's percent sign).
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && triple != b"%25" {
                    return Err(format!("invalid URL escape {}", go_quote(triple)));
                }
                // A zone may escape only what a host could hold unescaped
                // (or a space).
                if mode == Mode::Zone {
                    let v = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                    if triple != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(format!("invalid URL escape {}", go_quote(triple)));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!("invalid character {} in host name", go_quote(&s[i..i + 1])));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                out.push((unhex(s[i + 1]) << 4) | unhex(s[i + 2]));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A `*url.Userinfo`.
#[derive(Clone, Debug, Default, PartialEq)]
struct Userinfo {
    username: Vec<u8>,
    password: Option<Vec<u8>>,
}

impl Userinfo {
    /// `Userinfo.String`: `user[:password]`, escaped.
    fn to_bytes(&self) -> Vec<u8> {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(p) = &self.password {
            s.push(b':');
            s.extend(escape(p, Mode::UserPassword));
        }
        s
    }
}

/// The fields of a `url.URL` that urlParse and urlJoin use.
#[derive(Clone, Debug, Default)]
struct Url {
    scheme: Vec<u8>,
    opaque: Vec<u8>,
    user: Option<Userinfo>,
    host: Vec<u8>,
    path: Vec<u8>,
    raw_query: Vec<u8>,
    fragment: Vec<u8>,
}

fn cut(s: &[u8], sep: u8) -> (&[u8], Option<&[u8]>) {
    match s.iter().position(|&c| c == sep) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// `url.Parse`: the error text is the whole `*url.Error` message.
fn parse(raw: &[u8]) -> Result<Url, String> {
    let (u, frag) = cut(raw, b'#');
    let mut url = parse_no_fragment(u).map_err(|e| format!("parse {}: {e}", go_quote(u)))?;
    if let Some(frag) = frag.filter(|f| !f.is_empty()) {
        url.fragment = unescape(frag, Mode::Fragment).map_err(|e| format!("parse {}: {e}", go_quote(raw)))?;
    }
    Ok(url)
}

/// `getScheme`: a leading `[a-zA-Z][a-zA-Z0-9+.-]*:`, if there is one.
fn get_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), String> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok((b"", raw)),
        }
    }
    Ok((b"", raw))
}

/// Go's `parse(rawURL, viaRequest=false)`.
fn parse_no_fragment(raw: &[u8]) -> Result<Url, String> {
    if raw.iter().any(|&b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == b"*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    // A lone trailing `?` is ForceQuery, which only String uses; the
    // fields urlParse reports are the same as for no query.
    if rest.ends_with(b"?") && rest.iter().filter(|&&c| c == b'?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else {
        let (r, q) = cut(rest, b'?');
        rest = r;
        url.raw_query = q.unwrap_or_default().to_vec();
    }
    if !rest.starts_with(b"/") {
        if !url.scheme.is_empty() {
            // A rootless path after a scheme is opaque.
            url.opaque = rest.to_vec();
            return Ok(url);
        }
        // `cache_object:foo/bar` must not read as a relative path.
        if cut(rest, b'/').0.contains(&b':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let authority_and_path = &rest[2..];
        let (authority, path) = match authority_and_path.iter().position(|&c| c == b'/') {
            Some(i) => authority_and_path.split_at(i),
            None => (authority_and_path, &b""[..]),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

/// `parseAuthority`: `[userinfo@]host`, split at the last `@`.
fn parse_authority(authority: &[u8]) -> Result<(Option<Userinfo>, Vec<u8>), String> {
    let at = authority.iter().rposition(|&c| c == b'@');
    let host = parse_host(at.map_or(authority, |i| &authority[i + 1..]))?;
    let Some(at) = at else { return Ok((None, host)) };
    let userinfo = &authority[..at];
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match cut(userinfo, b':') {
        (name, None) => Userinfo { username: unescape(name, Mode::UserPassword)?, password: None },
        (name, Some(pass)) => Userinfo {
            username: unescape(name, Mode::UserPassword)?,
            password: Some(unescape(pass, Mode::UserPassword)?),
        },
    };
    Ok((Some(user), host))
}

/// RFC 3986 userinfo characters, plus `@` (Go accepts `user:p@ss@host`).
/// Non-ASCII is rejected; Go checks runes, and every byte of a multi-byte
/// rune is non-ASCII too.
fn valid_userinfo(s: &[u8]) -> bool {
    s.iter().all(|&c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c))
}

/// `validOptionalPort`: empty, or `:` and digits.
fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn invalid_port(port: &[u8]) -> String {
    format!("invalid port {} after host", go_quote(port))
}

/// `parseHost` (Go 1.26+): `host[:port]` or `[ipv6]:port`, unescaped.
fn parse_host(host: &[u8]) -> Result<Vec<u8>, String> {
    match host.iter().rposition(|&c| c == b'[') {
        Some(i) if i > 0 => Err("invalid IP-literal".into()),
        Some(_) => parse_ip_literal(host),
        None => {
            // The port starts at the first colon, so `a:1:2` is an error.
            if let Some(i) = host.iter().position(|&c| c == b':') {
                if !valid_optional_port(&host[i..]) {
                    return Err(invalid_port(&host[i..]));
                }
            }
            unescape(host, Mode::Host)
        }
    }
}

/// A bracketed host: an IPv6 address (with an optional `%25zone`) that
/// `netip.ParseAddr` accepts, IPv4 excluded, then an optional port.
fn parse_ip_literal(host: &[u8]) -> Result<Vec<u8>, String> {
    let Some(close) = host.iter().rposition(|&c| c == b']') else {
        return Err("missing ']' in host".into());
    };
    let colon_port = &host[close + 1..];
    if !valid_optional_port(colon_port) {
        return Err(invalid_port(colon_port));
    }
    let colon_port = unescape(colon_port, Mode::Host)?;
    let inner = &host[1..close];
    let mut name = match find(inner, b"%25") {
        Some(z) => {
            let mut h = unescape(&inner[..z], Mode::Host)?;
            h.extend(unescape(&inner[z..], Mode::Zone)?);
            h
        }
        None => unescape(inner, Mode::Host)?,
    };
    match parse_addr(&name) {
        Err(e) => return Err(format!("invalid host: {e}")),
        Ok(AddrKind::V4) => return Err("invalid IP-literal".into()),
        Ok(AddrKind::V6) => {}
    }
    name.insert(0, b'[');
    name.push(b']');
    name.extend(colon_port);
    Ok(name)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

enum AddrKind {
    V4,
    V6,
}

/// `netip.ParseAddr`'s verdict and its error text.
fn parse_addr(s: &[u8]) -> Result<AddrKind, String> {
    let err = |msg: &str, at: Option<&[u8]>| match at {
        Some(at) if !at.is_empty() => format!("ParseAddr({}): {msg} (at {})", go_quote(s), go_quote(at)),
        _ => format!("ParseAddr({}): {msg}", go_quote(s)),
    };
    for &c in s {
        match c {
            b'.' => return parse_ipv4(s).map(|_| AddrKind::V4).map_err(|(m, at)| err(&m, at)),
            b':' => return parse_ipv6(s).map(|_| AddrKind::V6).map_err(|(m, at)| err(&m, at)),
            b'%' => return Err(err("missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(err("unable to parse IP", None))
}

type AddrError<'a> = (String, Option<&'a [u8]>);

/// netip's `parseIPv4`: four decimal octets, no leading zeros.
fn parse_ipv4(s: &[u8]) -> Result<[u8; 4], AddrError<'_>> {
    let mut fields = [0u8; 4];
    let (mut val, mut pos, mut digits) = (0u32, 0usize, 0);
    for (i, &c) in s.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return Err(("IPv4 field has octet with leading zero".into(), None));
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return Err(("IPv4 field has value >255".into(), None));
            }
        } else if c == b'.' {
            if i == 0 || i == s.len() - 1 || s[i - 1] == b'.' {
                return Err(("IPv4 field must have at least one digit".into(), Some(&s[i..])));
            }
            if pos == 3 {
                return Err(("IPv4 address too long".into(), None));
            }
            fields[pos] = val as u8;
            pos += 1;
            val = 0;
            digits = 0;
        } else {
            return Err(("unexpected character".into(), Some(&s[i..])));
        }
    }
    if pos < 3 {
        return Err(("IPv4 address too short".into(), None));
    }
    fields[3] = val as u8;
    Ok(fields)
}

/// netip's `parseIPv6`, for its verdict only (the address is not needed).
fn parse_ipv6(input: &[u8]) -> Result<(), AddrError<'_>> {
    let mut s = input;
    if let Some(i) = s.iter().position(|&c| c == b'%') {
        if i + 1 == s.len() {
            return Err(("zone must be a non-empty string".into(), None));
        }
        s = &s[..i];
    }
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(());
        }
    }
    let mut i = 0;
    while i < 16 {
        let mut off = 0;
        while off < s.len() && s[off].is_ascii_hexdigit() {
            // At most four digits, so a field always fits in 16 bits.
            if off > 3 {
                return Err(("each group must have 4 or less digits".into(), Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(("each colon-separated field must have at least one digit".into(), Some(s)));
        }
        if off < s.len() && s[off] == b'.' {
            if ellipsis.is_none() && i != 12 {
                return Err(("embedded IPv4 address must replace the final 2 fields of the address".into(), Some(s)));
            }
            if i + 4 > 16 {
                return Err(("too many hex fields to fit an embedded IPv4 at the end of the address".into(), Some(s)));
            }
            // Errors of the embedded IPv4 part are reported against the
            // whole input.
            parse_ipv4(s)?;
            s = b"";
            i += 4;
            break;
        }
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' {
            return Err(("unexpected character, want colon".into(), Some(s)));
        } else if s.len() == 1 {
            return Err(("colon must be followed by more characters".into(), Some(s)));
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis.is_some() {
                return Err(("multiple :: in address".into(), Some(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(("trailing garbage after address".into(), Some(s)));
    }
    if i < 16 {
        if ellipsis.is_none() {
            return Err(("address string too short".into(), None));
        }
    } else if ellipsis.is_some() {
        return Err(("the :: must expand to at least one field of zeros".into(), None));
    }
    Ok(())
}

/// `URL.Hostname`: the host without a valid port and without brackets.
fn hostname(host: &[u8]) -> &[u8] {
    let mut h = host;
    if let Some(colon) = h.iter().rposition(|&c| c == b':') {
        if valid_optional_port(&h[colon..]) {
            h = &h[..colon];
        }
    }
    if h.len() >= 2 && h.starts_with(b"[") && h.ends_with(b"]") {
        h = &h[1..h.len() - 1];
    }
    h
}

impl Url {
    /// `URL.String` for a URL built field by field (no RawPath,
    /// RawFragment, ForceQuery or OmitHost).
    fn to_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        if !self.scheme.is_empty() {
            buf.extend_from_slice(&self.scheme);
            buf.push(b':');
        }
        if !self.opaque.is_empty() {
            buf.extend_from_slice(&self.opaque);
        } else {
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.extend_from_slice(b"//");
                }
                if let Some(user) = &self.user {
                    buf.extend(user.to_bytes());
                    buf.push(b'@');
                }
                buf.extend(escape(&self.host, Mode::Host));
            }
            let path = if self.path == b"*" { b"*".to_vec() } else { escape(&self.path, Mode::Path) };
            if !path.is_empty() && path[0] != b'/' && !self.host.is_empty() {
                buf.push(b'/');
            }
            // A relative path whose first segment has a colon would read
            // as a scheme: Go prefixes it with `./`.
            if buf.is_empty() && cut(&path, b'/').0.contains(&b':') {
                buf.extend_from_slice(b"./");
            }
            buf.extend(path);
        }
        if !self.raw_query.is_empty() {
            buf.push(b'?');
            buf.extend_from_slice(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push(b'#');
            buf.extend(escape(&self.fragment, Mode::Fragment));
        }
        buf
    }
}

fn text(bytes: &[u8]) -> Value {
    Value::string(String::from_utf8_lossy(bytes).into_owned())
}

/// Sprig's urlParse: the URL's parts as a `map[string]interface{}` of strings.
fn url_parse(raw: &str) -> Result<Value, Error> {
    let url = parse(raw.as_bytes()).map_err(|e| Error::msg(format!("unable to parse url: {e}")))?;
    let userinfo = url.user.as_ref().map(Userinfo::to_bytes).unwrap_or_default();
    let fields: [(&str, &[u8]); 8] = [
        ("scheme", &url.scheme),
        ("host", &url.host),
        ("hostname", hostname(&url.host)),
        ("path", &url.path),
        ("query", &url.raw_query),
        ("opaque", &url.opaque),
        ("fragment", &url.fragment),
        ("userinfo", &userinfo),
    ];
    let map: BTreeMap<Arc<str>, Value> = fields.iter().map(|(k, v)| (Arc::from(*k), text(v))).collect();
    Ok(Value::map(map))
}

/// Sprig's `dictGetOrEmpty`: a missing key is `""`; anything but a string
/// panics. A nil value makes Sprig call `Kind` on a nil `reflect.Type`,
/// which is Go's nil dereference.
fn dict_get_or_empty(d: &BTreeMap<Arc<str>, Value>, key: &str) -> Result<Vec<u8>, Error> {
    match d.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Str(s)) => Ok(s.as_bytes().to_vec()),
        Some(Value::Nil) => Err(Error::msg("runtime error: invalid memory address or nil pointer dereference")),
        Some(other) => Err(Error::msg(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            other.kind_name()
        ))),
    }
}

/// Sprig's urlJoin: a URL from its parts, serialised by `URL.String`.
fn url_join(d: &BTreeMap<Arc<str>, Value>) -> Result<Value, Error> {
    let mut url = Url {
        scheme: dict_get_or_empty(d, "scheme")?,
        host: dict_get_or_empty(d, "host")?,
        path: dict_get_or_empty(d, "path")?,
        raw_query: dict_get_or_empty(d, "query")?,
        opaque: dict_get_or_empty(d, "opaque")?,
        fragment: dict_get_or_empty(d, "fragment")?,
        user: None,
    };
    let userinfo = dict_get_or_empty(d, "userinfo")?;
    if !userinfo.is_empty() {
        // Sprig parses "proto://<userinfo>@host" to split and unescape it.
        let probe = [b"proto://".as_slice(), &userinfo, b"@host"].concat();
        let parsed = parse(&probe).map_err(|e| Error::msg(format!("unable to parse userinfo in dict: {e}")))?;
        url.user = parsed.user;
    }
    Ok(text(&url.to_bytes()))
}

pub(crate) fn register(m: &mut FuncMap) {
    m.insert("urlParse", Function::new(&[Type::String], None, |a| url_parse(a[0].as_str().unwrap_or(""))));
    m.insert(
        "urlJoin",
        Function::new(&[Type::Map], None, |a| match &a[0] {
            Value::Map(map) => url_join(&map.entries),
            _ => url_join(&BTreeMap::new()),
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(url: &str, key: &str) -> String {
        match url_parse(url).unwrap() {
            Value::Map(m) => m.entries[key].as_str().unwrap().to_string(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn parses_like_go() {
        assert_eq!(field("http://u:p@h:8080/p/a%2Fb?q=1#f%20x", "path"), "/p/a/b");
        assert_eq!(field("http://u:p@h:8080/p?q=1#f%20x", "fragment"), "f x");
        assert_eq!(field("http://[fe80::1%25en0]:8/", "hostname"), "fe80::1%en0");
        assert_eq!(field("mailto:a@b", "opaque"), "a@b");
    }

    #[test]
    fn parse_errors_like_go() {
        let err = |u: &str| url_parse(u).unwrap_err().to_string();
        assert_eq!(
            err("http://a:b:c/"),
            r#"unable to parse url: parse "http://a:b:c/": invalid port ":b:c" after host"#
        );
        assert_eq!(err("http://[1.2.3.4]/"), r#"unable to parse url: parse "http://[1.2.3.4]/": invalid IP-literal"#);
        assert!(err("http://[v1.x]/").ends_with(r#"invalid host: ParseAddr("v1.x"): unexpected character (at "v1.x")"#));
    }
}
