//! The `ssl*` settings of a SQL connection string, read as lib/pq 1.12.3
//! reads them (connector.go): from the PG* variables first, then from the
//! string in URL or `key=value` form. tokio-postgres rejects most of them,
//! so they are taken out and the rest of the string is handed on.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Disable,
    Allow,
    Prefer,
    /// Also what no `sslmode` at all means to lib/pq.
    Require,
    VerifyCa,
    VerifyFull,
}

const MODES: &[(&str, Mode)] = &[
    ("disable", Mode::Disable),
    ("allow", Mode::Allow),
    ("prefer", Mode::Prefer),
    ("require", Mode::Require),
    ("verify-full", Mode::VerifyFull),
    ("verify-ca", Mode::VerifyCa),
];

/// The `ssl*` settings of a connection string (and of the PG* variables
/// lib/pq reads first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Settings {
    pub mode: Mode,
    mode_set: bool,
    pub root_cert: String,
    pub cert: String,
    pub key: String,
    pub sni: bool,
    /// `sslinline`: the three settings above hold PEM text, not paths.
    pub inline: bool,
    pub min_version: Option<u8>,
    pub max_version: Option<u8>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Require,
            mode_set: false,
            root_cert: String::new(),
            cert: String::new(),
            key: String::new(),
            sni: true,
            inline: false,
            min_version: None,
            max_version: None,
        }
    }
}

/// The connection string without its TLS settings (for tokio-postgres),
/// and those settings.
#[derive(Debug)]
pub(super) struct Parsed {
    pub rest: String,
    pub tls: Settings,
}

/// Settings names and the environment variables lib/pq takes them from
/// (sic: lib/pq 1.12.3 spells the protocol ones `SSLPG…`).
const KEYS: &[(&str, &str)] = &[
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("sslsni", "PGSSLSNI"),
    ("sslinline", ""),
    ("ssl_min_protocol_version", "SSLPGMINPROTOCOLVERSION"),
    ("ssl_max_protocol_version", "SSLPGMAXPROTOCOLVERSION"),
];

/// Splits `conn` (URL or `key=value` form) into what tokio-postgres reads
/// and the TLS settings; `env` supplies the PG* defaults.
pub(super) fn parse(conn: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Parsed, String> {
    let mut tls = Settings::default();
    for (key, var) in KEYS {
        if var.is_empty() {
            continue;
        }
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            tls.set(key, &v, &format!("${var}"))?;
        }
    }
    let (rest, pairs) = if conn.starts_with("postgres://") || conn.starts_with("postgresql://") {
        split_url(conn)
    } else {
        split_dsn(conn)?
    };
    for (k, v) in &pairs {
        tls.set(k, v, &format!("{k:?}"))?;
    }
    tls.check()?;
    Ok(Parsed { rest, tls })
}

impl Settings {
    fn set(&mut self, key: &str, v: &str, name: &str) -> Result<(), String> {
        let wrong = |why: String| format!("pq: wrong value for {name}: {why}");
        match key {
            "sslmode" => {
                self.mode = MODES.iter().find(|(n, _)| *n == v).map(|(_, m)| *m).ok_or_else(|| {
                    let names: Vec<&str> = MODES.iter().map(|(n, _)| *n).collect();
                    wrong(format!("{v:?} is not supported; supported values are {}", go_join(&names)))
                })?;
                self.mode_set = true;
            }
            "sslrootcert" => self.root_cert = v.to_string(),
            "sslcert" => self.cert = v.to_string(),
            "sslkey" => self.key = v.to_string(),
            "sslsni" => self.sni = parse_bool(v).map_err(wrong)?,
            "sslinline" => self.inline = parse_bool(v).map_err(wrong)?,
            "ssl_min_protocol_version" | "ssl_max_protocol_version" => {
                let version = match v {
                    "TLSv1.0" => 10,
                    "TLSv1.1" => 11,
                    "TLSv1.2" => 12,
                    "TLSv1.3" => 13,
                    _ => {
                        let all = go_join(&["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]);
                        return Err(wrong(format!("{v:?} is not supported; supported values are {all}")));
                    }
                };
                if key == "ssl_min_protocol_version" {
                    self.min_version = Some(version);
                } else {
                    self.max_version = Some(version);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// newConfig's last checks.
    fn check(&mut self) -> Result<(), String> {
        if self.root_cert == "system" {
            if !self.mode_set {
                self.mode = Mode::VerifyFull;
            }
            if self.mode != Mode::VerifyFull {
                let name = MODES.iter().find(|(_, m)| *m == self.mode).map_or("", |(n, _)| n);
                return Err(format!(
                    "pq: weak sslmode {name:?} may not be used with sslrootcert=system (use \"verify-full\")"
                ));
            }
        }
        Ok(())
    }
}

/// Go's strconv.ParseBool, which lib/pq uses for boolean settings.
fn parse_bool(v: &str) -> Result<bool, String> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("strconv.ParseBool: parsing {v:?}: invalid syntax")),
    }
}

/// lib/pq's list wording: `a, b, or c`.
fn go_join(items: &[&str]) -> String {
    let mut out = String::new();
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if i == items.len() - 1 && i > 0 {
            out.push_str("or ");
        }
        out.push_str(s);
    }
    out
}

fn is_tls_key(k: &str) -> bool {
    KEYS.iter().any(|(name, _)| *name == k)
}

/// A URL's query without the TLS settings; those, percent-decoded.
fn split_url(conn: &str) -> (String, Vec<(String, String)>) {
    let Some((base, query)) = conn.split_once('?') else {
        return (conn.to_string(), Vec::new());
    };
    let mut kept = Vec::new();
    let mut taken = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key = percent_decode(k);
        if is_tls_key(&key) {
            taken.push((key, percent_decode(v)));
        } else {
            kept.push(part);
        }
    }
    let rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    (rest, taken)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `key=value` string without the TLS settings (the rest quoted again),
/// and those settings. Quoting and escapes as lib/pq's parseOpts reads
/// them.
fn split_dsn(conn: &str) -> Result<(String, Vec<(String, String)>), String> {
    let pairs = dsn_pairs(conn)?;
    if !pairs.iter().any(|(k, _)| is_tls_key(k)) {
        return Ok((conn.to_string(), Vec::new()));
    }
    let (taken, kept): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| is_tls_key(k));
    let rest: Vec<String> =
        kept.iter().map(|(k, v)| format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))).collect();
    Ok((rest.join(" "), taken))
}

fn dsn_pairs(conn: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = conn.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!("missing \"=\" after {key:?} in connection info string"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    None => return Err("unterminated quoted string literal in connection string".into()),
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn url_settings_are_taken_out_and_the_rest_kept() {
        let p = parse(
            "postgres://helm@127.0.0.1:5432/db?sslmode=verify-full&connect_timeout=5&sslrootcert=%2Ftmp%2Fca.crt",
            &no_env,
        )
        .unwrap();
        assert_eq!(p.rest, "postgres://helm@127.0.0.1:5432/db?connect_timeout=5");
        assert_eq!(p.tls.mode, Mode::VerifyFull);
        assert_eq!(p.tls.root_cert, "/tmp/ca.crt");
    }

    #[test]
    fn dsn_settings_are_taken_out_and_the_rest_quoted_again() {
        let p = parse(r"host=localhost  user = 'he\'lm' sslmode=verify-ca sslrootcert='/a b/ca.crt' dbname=x", &no_env)
            .unwrap();
        assert_eq!(p.rest, r"host='localhost' user='he\'lm' dbname='x'");
        assert_eq!(p.tls.mode, Mode::VerifyCa);
        assert_eq!(p.tls.root_cert, "/a b/ca.crt");
        let plain = parse("host=localhost dbname=x", &no_env).unwrap();
        assert_eq!(plain.rest, "host=localhost dbname=x");
        assert_eq!(plain.tls, Settings::default());
    }

    #[test]
    fn settings_lib_pq_refuses_get_its_words() {
        let e = parse("postgres://h/db?sslmode=bogus", &no_env).unwrap_err();
        assert_eq!(
            e,
            "pq: wrong value for \"sslmode\": \"bogus\" is not supported; supported values are disable, allow, prefer, require, verify-full, or verify-ca"
        );
        let env = |k: &str| (k == "PGSSLMODE").then(|| "nope".to_string());
        assert!(parse("host=h", &env).unwrap_err().starts_with("pq: wrong value for $PGSSLMODE: \"nope\""));
        assert_eq!(
            parse("host=h bogus", &no_env).unwrap_err(),
            "missing \"=\" after \"bogus\" in connection info string"
        );
        assert_eq!(parse("host='h", &no_env).unwrap_err(), "unterminated quoted string literal in connection string");
        let e = parse("host=h sslmode=require sslrootcert=system", &no_env).unwrap_err();
        assert_eq!(e, "pq: weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")");
        assert_eq!(parse("host=h sslrootcert=system", &no_env).unwrap().tls.mode, Mode::VerifyFull);
    }

    #[test]
    fn the_environment_gives_defaults_the_string_overrides() {
        let env = |k: &str| match k {
            "PGSSLMODE" => Some("disable".to_string()),
            "PGSSLROOTCERT" => Some("/env/ca.crt".to_string()),
            _ => None,
        };
        let p = parse("host=h sslmode=verify-ca", &env).unwrap();
        assert_eq!((p.tls.mode, p.tls.root_cert.as_str()), (Mode::VerifyCa, "/env/ca.crt"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%2Fa%20b+c%"), "/a b c%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
