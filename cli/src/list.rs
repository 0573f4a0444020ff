//! `rhelm list` (Helm's pkg/cmd/list.go and pkg/action/list.go).

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_release::{Release, Status};
use rhelm_template::Value;

use crate::releases::{self, Failure, Format, Global, Result};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub global: Global,
    /// output short (quiet) listing format
    #[arg(short = 'q', long = "short")]
    short: bool,
    /// don't print headers when using the default output format
    #[arg(long = "no-headers")]
    no_headers: bool,
    /// format time using golang time formatter
    #[arg(long = "time-format", default_value = "")]
    time_format: String,
    /// sort by release date
    #[arg(short = 'd', long = "date")]
    date: bool,
    /// reverse the sort order
    #[arg(short = 'r', long = "reverse")]
    reverse: bool,
    /// show uninstalled releases (if 'helm uninstall --keep-history' was used)
    #[arg(long = "uninstalled")]
    uninstalled: bool,
    /// show superseded releases
    #[arg(long = "superseded")]
    superseded: bool,
    /// show releases that are currently being uninstalled
    #[arg(long = "uninstalling")]
    uninstalling: bool,
    /// show deployed releases
    #[arg(long = "deployed")]
    deployed: bool,
    /// show failed releases
    #[arg(long = "failed")]
    failed: bool,
    /// show pending releases
    #[arg(long = "pending")]
    pending: bool,
    /// list releases across all namespaces
    #[arg(short = 'A', long = "all-namespaces")]
    all_namespaces: bool,
    /// maximum number of releases to fetch
    #[arg(short = 'm', long = "max", allow_hyphen_values = true, default_value = "256")]
    max: String,
    /// next release index in the list, used to offset from start value
    #[arg(long = "offset", allow_hyphen_values = true, default_value = "0")]
    offset: String,
    /// a regular expression (Perl compatible). Any releases that match the expression will be included in the results
    #[arg(short = 'f', long = "filter", default_value = "")]
    filter: String,
    /// Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Works only for secret(default) and configmap storage backends.
    #[arg(short = 'l', long = "selector", default_value = "")]
    selector: String,
    /// prints the output in the specified format. Allowed values: table, json, yaml
    #[arg(short = 'o', long = "output", default_value = "table")]
    output: String,
    #[arg(hide = true)]
    args: Vec<String>,
}

// action.ListStates bits.
const DEPLOYED: u32 = 1;
const UNINSTALLED: u32 = 1 << 1;
const UNINSTALLING: u32 = 1 << 2;
const PENDING_INSTALL: u32 = 1 << 3;
const PENDING_UPGRADE: u32 = 1 << 4;
const PENDING_ROLLBACK: u32 = 1 << 5;
const SUPERSEDED: u32 = 1 << 6;
const FAILED: u32 = 1 << 7;
const UNKNOWN: u32 = 1 << 8;
const ALL: u32 = DEPLOYED
    | UNINSTALLED
    | UNINSTALLING
    | PENDING_INSTALL
    | PENDING_ROLLBACK
    | PENDING_UPGRADE
    | SUPERSEDED
    | FAILED;

fn state_of(s: &Status) -> u32 {
    match s {
        Status::Deployed => DEPLOYED,
        Status::Uninstalled => UNINSTALLED,
        Status::Superseded => SUPERSEDED,
        Status::Failed => FAILED,
        Status::Uninstalling => UNINSTALLING,
        Status::PendingInstall => PENDING_INSTALL,
        Status::PendingUpgrade => PENDING_UPGRADE,
        Status::PendingRollback => PENDING_ROLLBACK,
        _ => UNKNOWN,
    }
}

impl Args {
    fn state_mask(&self) -> u32 {
        let mut s = 0;
        if self.deployed {
            s |= DEPLOYED;
        }
        if self.uninstalled {
            s |= UNINSTALLED;
        }
        if self.uninstalling {
            s |= UNINSTALLING;
        }
        if self.pending {
            s |= PENDING_INSTALL | PENDING_ROLLBACK | PENDING_UPGRADE;
        }
        if self.failed {
            s |= FAILED;
        }
        if self.superseded {
            s |= SUPERSEDED;
        }
        if s == 0 {
            ALL
        } else {
            s
        }
    }
}

/// Go's `regexp.MatchString`, through the template engine's port of Go's
/// regexp (its syntax and error texts).
struct GoRegex {
    set: rhelm_template::TemplateSet,
    pattern: String,
}

impl GoRegex {
    fn new(pattern: &str) -> Result<GoRegex> {
        let mut set = rhelm_template::TemplateSet::new("gotpl", rhelm_functions::helm_funcs());
        set.parse("m", "{{ mustRegexMatch .p .s }}").map_err(|e| Failure::Error(e.to_string()))?;
        let re = GoRegex { set, pattern: pattern.to_string() };
        re.is_match("")?;
        Ok(re)
    }

    fn is_match(&self, s: &str) -> Result<bool> {
        let mut data = BTreeMap::new();
        data.insert(Arc::from("p"), Value::str(&self.pattern));
        data.insert(Arc::from("s"), Value::str(s));
        match self.set.render("m", &Value::map(data)) {
            Ok(out) => Ok(out == "true"),
            Err(e) => {
                let msg = e.to_string();
                let msg = match msg.find("error parsing regexp") {
                    Some(i) => msg[i..].to_string(),
                    None => msg,
                };
                Err(Failure::Error(msg))
            }
        }
    }
}

pub fn run(a: &Args) -> Result<String> {
    let format = releases::parse_format(&a.output)?;
    let limit = releases::parse_int(&a.max, "-m, --max")?;
    let offset = releases::parse_int(&a.offset, "--offset")?;
    let store = releases::open_storage(&a.global, a.all_namespaces)?;
    if !a.args.is_empty() {
        return Err(Failure::Error("\"helm list\" accepts no arguments\n\nUsage:  helm list [flags]".into()));
    }
    let mask = a.state_mask();

    let filter = if a.filter.is_empty() { None } else { Some(GoRegex::new(&a.filter)?) };
    let all = store.list_releases()?;
    let mut results = Vec::new();
    for r in all {
        if let Some(f) = &filter {
            if !f.is_match(&r.name)? {
                continue;
            }
        }
        results.push(r);
    }
    let total = results.len();

    let mut rels = if mask != SUPERSEDED { latest(results) } else { results };
    rels.retain(|r| mask & state_of(&r.status()) != 0);
    if !a.selector.is_empty() {
        rels = select(rels, &a.selector)?;
    }
    sort(&mut rels, a.date, a.reverse);

    let offset = offset.max(0) as usize;
    let rels: Vec<Release> = if offset >= rels.len() {
        Vec::new()
    } else {
        let mut n = total;
        if limit > 0 && (limit as usize) < n {
            n = limit as usize;
        }
        let last = (offset + n).min(rels.len());
        rels[offset..last].to_vec()
    };

    if a.short {
        let names: Vec<Value> = rels.iter().map(|r| Value::str(&r.name)).collect();
        match format {
            Format::Json => return Ok(releases::encode_json(&Value::list(names))?),
            Format::Yaml => return Ok(releases::encode_yaml(&Value::list(names))?),
            Format::Table => return Ok(rels.iter().map(|r| format!("{}\n", r.name)).collect()),
        }
    }

    let elements: Vec<[String; 7]> = rels
        .iter()
        .map(|r| {
            let updated = match r.info.as_ref().and_then(|i| i.last_deployed.as_ref()) {
                None => "-".to_string(),
                Some(t) if !a.time_format.is_empty() => rhelm_release::time::format(t, &a.time_format),
                Some(t) => rhelm_release::time::go_string(t),
            };
            [
                r.name.clone(),
                r.namespace.clone(),
                r.version.to_string(),
                updated,
                r.status().to_string(),
                releases::chart_name(r.chart.as_ref()),
                releases::app_version(r.chart.as_ref()),
            ]
        })
        .collect();
    match format {
        Format::Table => {
            let mut rows = Vec::new();
            if !a.no_headers {
                rows.push(
                    ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                );
            }
            rows.extend(elements.iter().map(|e| e.to_vec()));
            Ok(releases::table(&rows))
        }
        Format::Json | Format::Yaml => {
            let keys = ["name", "namespace", "revision", "updated", "status", "chart", "app_version"];
            let mut json = String::from("[");
            for (i, e) in elements.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push('{');
                for (j, k) in keys.iter().enumerate() {
                    if j > 0 {
                        json.push(',');
                    }
                    rhelm_functions::json::write_string(&mut json, k, true);
                    json.push(':');
                    rhelm_functions::json::write_string(&mut json, &e[j], true);
                }
                json.push('}');
            }
            json.push(']');
            if format == Format::Json {
                Ok(json + "\n")
            } else {
                Ok(releases::encode_yaml(&releases::json_value(&json)?)?)
            }
        }
    }
}

/// `filterLatestReleases`: the highest revision per namespace/name.
fn latest(rels: Vec<Release>) -> Vec<Release> {
    let mut by_key: BTreeMap<(String, String), Release> = BTreeMap::new();
    for r in rels {
        let key = (r.namespace.clone(), r.name.clone());
        match by_key.get(&key) {
            Some(cur) if cur.version > r.version => {}
            _ => {
                by_key.insert(key, r);
            }
        }
    }
    by_key.into_values().collect()
}

fn sort(rels: &mut [Release], by_date: bool, reverse: bool) {
    let secs = |r: &Release| r.info.as_ref().and_then(|i| i.last_deployed.as_ref()).map(|t| t.unix_sec()).unwrap_or(
        // Go's zero time in Unix seconds.
        -62135596800,
    );
    if by_date {
        rels.sort_by(|x, y| secs(x).cmp(&secs(y)).then_with(|| x.name.cmp(&y.name)));
        // Helm's ByDateDesc is SortByDate, which is ascending; -r reverses it.
        if reverse {
            rels.reverse();
        }
        return;
    }
    rels.sort_by(|x, y| x.name.cmp(&y.name));
    if reverse {
        rels.reverse();
    }
}

/// A label selector over the releases' storage labels, in the syntax of
/// Kubernetes' `labels.Parse`: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
/// `k notin (a,b)`, `k`, `!k`, comma-separated.
fn select(rels: Vec<Release>, selector: &str) -> Result<Vec<Release>> {
    let reqs = parse_selector(selector)?;
    Ok(rels.into_iter().filter(|r| reqs.iter().all(|q| q.matches(&r.labels))).collect())
}

enum Req {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

impl Req {
    fn matches(&self, l: &BTreeMap<String, String>) -> bool {
        match self {
            Req::Eq(k, v) => l.get(k) == Some(v),
            Req::NotEq(k, v) => l.get(k) != Some(v),
            Req::In(k, vs) => l.get(k).is_some_and(|v| vs.contains(v)),
            Req::NotIn(k, vs) => !l.get(k).is_some_and(|v| vs.contains(v)),
            Req::Exists(k) => l.contains_key(k),
            Req::NotExists(k) => !l.contains_key(k),
        }
    }
}

/// Splits on commas outside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0);
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn parse_selector(sel: &str) -> Result<Vec<Req>> {
    let bad = |part: &str| Failure::Error(format!("unable to parse requirement: {}", part.trim()));
    let mut reqs = Vec::new();
    if sel.trim().is_empty() {
        return Ok(reqs);
    }
    for part in split_top(sel) {
        let p = part.trim();
        if let Some(k) = p.strip_prefix('!') {
            reqs.push(Req::NotExists(k.trim().to_string()));
        } else if let Some((k, v)) = p.split_once("!=") {
            reqs.push(Req::NotEq(k.trim().into(), v.trim().into()));
        } else if let Some((k, v)) = p.split_once("==") {
            reqs.push(Req::Eq(k.trim().into(), v.trim().into()));
        } else if let Some((k, v)) = p.split_once('=') {
            reqs.push(Req::Eq(k.trim().into(), v.trim().into()));
        } else {
            let words: Vec<&str> = p.splitn(2, char::is_whitespace).collect();
            match words.as_slice() {
                [k] if !k.is_empty() => reqs.push(Req::Exists(k.to_string())),
                [k, rest] => {
                    let rest = rest.trim();
                    let set = |r: &str| -> Option<Vec<String>> {
                        let inner = r.trim().strip_prefix('(')?.strip_suffix(')')?;
                        Some(inner.split(',').map(|v| v.trim().to_string()).collect())
                    };
                    if let Some(r) = rest.strip_prefix("notin") {
                        reqs.push(Req::NotIn(k.to_string(), set(r).ok_or_else(|| bad(p))?));
                    } else if let Some(r) = rest.strip_prefix("in") {
                        reqs.push(Req::In(k.to_string(), set(r).ok_or_else(|| bad(p))?));
                    } else {
                        // Helm's selector parsing rejects gt/lt too, in these words.
                        let word = rest.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
                        return Err(Failure::Error(format!(
                            "unable to parse requirement: found '{word}', expected: in, notin, =, ==, !=, gt, lt"
                        )));
                    }
                }
                _ => return Err(bad(p)),
            }
        }
    }
    Ok(reqs)
}
