//! What the release commands share: Helm's global flags, opening release
//! storage as `action.Configuration.Init` does, Helm's flag-value errors,
//! and the output encoders (`pkg/cli/output`, gosuri/uitable).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use rhelm_release::storage::{choose_driver, DriverChoice, KubeDriver, Memory, Sql, Storage};
use rhelm_template::Value;

/// Helm's global flags (pkg/cli/environment.go), accepted by the release commands.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct Global {
    /// namespace scope for this request
    #[arg(short = 'n', long = "namespace")]
    pub namespace: Option<String>,
    /// name of the kubeconfig context to use
    #[arg(long = "kube-context")]
    pub kube_context: Option<String>,
    /// path to the kubeconfig file
    #[arg(long = "kubeconfig")]
    pub kubeconfig: Option<PathBuf>,
    /// enable verbose output
    #[arg(long = "debug")]
    pub debug: bool,
    /// the address and the port for the Kubernetes API server
    #[arg(long = "kube-apiserver")]
    pub kube_apiserver: Option<String>,
    /// bearer token used for authentication
    #[arg(long = "kube-token")]
    pub kube_token: Option<String>,
    /// username to impersonate for the operation
    #[arg(long = "kube-as-user")]
    pub kube_as_user: Option<String>,
    /// group to impersonate for the operation, this flag can be repeated to specify multiple groups.
    #[arg(long = "kube-as-group")]
    pub kube_as_group: Vec<String>,
    /// the certificate authority file for the Kubernetes API server connection
    #[arg(long = "kube-ca-file")]
    pub kube_ca_file: Option<PathBuf>,
    /// if true, the Kubernetes API server's certificate will not be checked for validity
    #[arg(long = "kube-insecure-skip-tls-verify")]
    pub kube_insecure_skip_tls_verify: bool,
    /// server name to use for Kubernetes API server certificate validation
    #[arg(long = "kube-tls-server-name")]
    pub kube_tls_server_name: Option<String>,
    /// client-side default throttling limit
    #[arg(long = "burst-limit")]
    pub burst_limit: Option<String>,
    /// queries per second used when communicating with the Kubernetes API, not including bursting
    #[arg(long = "qps")]
    pub qps: Option<String>,
    /// use colored output (never, auto, always)
    #[arg(long = "color", alias = "colour")]
    pub color: Option<String>,
    /// path to the directory containing cached content (e.g. charts)
    #[arg(long = "content-cache")]
    pub content_cache: Option<String>,
    /// path to the registry config file
    #[arg(long = "registry-config")]
    pub registry_config: Option<String>,
    /// path to the directory containing cached repository indexes
    #[arg(long = "repository-cache")]
    pub repository_cache: Option<String>,
    /// path to the file containing repository names and URLs
    #[arg(long = "repository-config")]
    pub repository_config: Option<String>,
}

/// A command's failure: Helm prints `Error: <msg>`, except for the few
/// failures that go through Go's logger instead (`raw`).
pub enum Failure {
    Error(String),
    /// Printed as is on stderr (already newline-terminated), exit 1.
    Raw(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Failure {
        Failure::Error(s)
    }
}

impl From<rhelm_release::StorageError> for Failure {
    fn from(e: rhelm_release::StorageError) -> Failure {
        Failure::Error(e.to_string())
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Error(s) | Failure::Raw(s) => f.write_str(s),
        }
    }
}

pub type Result<T> = std::result::Result<T, Failure>;

/// Go's `log` through Helm's slog handler at INFO (how `log.Fatal` shows).
pub fn slog_info(msg: &str) -> Failure {
    Failure::Raw(format!("level=INFO msg={}\n", go_quote(msg)))
}

/// `strconv.Quote` for the texts that appear here.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Connects and checks the API server answers, as Helm's actions begin with
/// `KubeClient.IsReachable` (a GET /version), with Helm's error texts.
fn probe_cluster(g: &Global) -> Result<rhelm_release::kubeconfig::Connection> {
    let unreachable = |e: &str| Failure::Error(format!("kubernetes cluster unreachable: {e}"));
    if let Some(p) = g.kubeconfig.as_ref().filter(|p| !p.exists()) {
        return Err(unreachable(&format!("stat {}: no such file or directory", p.display())));
    }
    if g.kubeconfig.is_none() && kubeconfig_files(g).iter().all(|p| !p.exists()) {
        // No kubeconfig at all: client-go falls back to http://localhost:8080.
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 8080));
        return match std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(5)) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => Err(unreachable(
                "Get \"http://localhost:8080/version\": dial tcp 127.0.0.1:8080: connect: connection refused",
            )),
            Err(e) => Err(unreachable(&format!("Get \"http://localhost:8080/version\": dial tcp 127.0.0.1:8080: {e}"))),
            Ok(_) => Err(unreachable("no kubeconfig found and the insecure localhost:8080 fallback is not supported")),
        };
    }
    let opts = kube_options(g);
    let conn = rhelm_release::kubeconfig::connect_with(&opts).map_err(|e| {
        let e = e.strip_prefix("kubernetes cluster unreachable: ").unwrap_or(&e).to_string();
        unreachable(&e)
    })?;
    conn.runtime.block_on(conn.client.apiserver_version()).map_err(|e| unreachable(&e.to_string()))?;
    Ok(conn)
}

/// rhelm-kube's connection options from Helm's global flags.
pub fn kube_options(g: &Global) -> rhelm_release::kubeconfig::KubeOptions {
    rhelm_release::kubeconfig::KubeOptions {
        kubeconfig: g.kubeconfig.clone(),
        context: g.kube_context.clone(),
        namespace: Some(namespace(g)),
        api_server: g.kube_apiserver.clone(),
        token: g.kube_token.clone(),
        ca_file: g.kube_ca_file.clone(),
        insecure_skip_tls_verify: g.kube_insecure_skip_tls_verify,
        tls_server_name: g.kube_tls_server_name.clone(),
        as_user: g.kube_as_user.clone(),
        as_groups: g.kube_as_group.clone(),
    }
}

/// Whether HELM_DRIVER selects the memory driver, whose commands talk to
/// no cluster (Helm gives it a printing client whose `Get` finds nothing).
pub fn memory_driver() -> bool {
    std::env::var("HELM_DRIVER").is_ok_and(|d| d == "memory")
}

/// Every kubeconfig file client-go would merge: $KUBECONFIG's list, else ~/.kube/config.
fn kubeconfig_files(g: &Global) -> Vec<PathBuf> {
    if let Some(p) = &g.kubeconfig {
        return vec![p.clone()];
    }
    match std::env::var("KUBECONFIG") {
        Ok(k) if !k.is_empty() => k.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
        _ => std::env::var_os("HOME").map(|h| vec![PathBuf::from(h).join(".kube").join("config")]).unwrap_or_default(),
    }
}

/// The kubeconfig file: `--kubeconfig`, else the first of $KUBECONFIG, else ~/.kube/config.
fn kubeconfig_path(g: &Global) -> Option<PathBuf> {
    if let Some(p) = &g.kubeconfig {
        return Some(p.clone());
    }
    if let Ok(k) = std::env::var("KUBECONFIG") {
        if let Some(p) = k.split(':').map(PathBuf::from).find(|p| p.exists()) {
            return Some(p);
        }
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".kube").join("config"))
}

/// `settings.Namespace()`: `-n`, else HELM_NAMESPACE, else the kubeconfig
/// context's namespace, else "default".
pub fn namespace(g: &Global) -> String {
    if let Some(ns) = g.namespace.as_ref().filter(|n| !n.is_empty()) {
        return ns.clone();
    }
    if let Ok(ns) = std::env::var("HELM_NAMESPACE") {
        if !ns.is_empty() {
            return ns;
        }
    }
    if let Some(path) = kubeconfig_path(g) {
        if let Ok(kc) = kube::config::Kubeconfig::read_from(&path) {
            let ctx_name = g.kube_context.clone().or(kc.current_context.clone());
            let ns = kc
                .contexts
                .iter()
                .find(|c| Some(&c.name) == ctx_name.as_ref())
                .and_then(|c| c.context.as_ref())
                .and_then(|c| c.namespace.clone());
            if let Some(ns) = ns.filter(|n| !n.is_empty()) {
                return ns;
            }
        }
    }
    "default".to_string()
}

/// The SQL driver on `HELM_DRIVER_SQL_CONNECTION_STRING`; a failure is
/// Helm's `level=INFO msg="unable to instantiate SQL driver: ..."`, exit 1.
pub fn open_sql(namespace: &str) -> Result<Sql> {
    let conn = std::env::var("HELM_DRIVER_SQL_CONNECTION_STRING").unwrap_or_default();
    Sql::connect(&conn, namespace).map_err(|e| slog_info(&format!("unable to instantiate SQL driver: {e}")))
}

/// Release storage for the command, chosen by HELM_DRIVER. `all_namespaces`
/// is `list -A`: reads across every namespace.
pub fn open_storage(g: &Global, all_namespaces: bool) -> Result<Storage> {
    let driver = std::env::var("HELM_DRIVER").unwrap_or_default();
    let ns = namespace(g);
    match choose_driver(&driver) {
        DriverChoice::Memory => {
            let mem = Memory::new();
            // Helm loads HELM_MEMORY_DRIVER_DATA whenever the driver is memory;
            // an unset variable is one empty path, which fails to read.
            let data = std::env::var("HELM_MEMORY_DRIVER_DATA").unwrap_or_default();
            mem.load_files(&data, &ns).map_err(|e| slog_info(&e))?;
            if all_namespaces {
                // `list -A` re-initialises the action configuration, which
                // swaps the memory driver's printing client for a real one:
                // the cluster must be reachable even though nothing is read from it.
                probe_cluster(g)?;
                mem.set_namespace("");
            }
            Ok(Storage::new(Box::new(mem)))
        }
        DriverChoice::Secrets | DriverChoice::ConfigMaps => {
            let conn = probe_cluster(g)?;
            let ns = if all_namespaces { String::new() } else { conn.namespace.clone() };
            let d = if matches!(choose_driver(&driver), DriverChoice::Secrets) {
                KubeDriver::secrets(conn.client, conn.runtime, &ns)
            } else {
                KubeDriver::config_maps(conn.client, conn.runtime, &ns)
            };
            Ok(Storage::new(Box::new(d)))
        }
        DriverChoice::Sql => {
            // Helm connects (and migrates) while initialising the action
            // configuration, before it looks at the cluster.
            let sql = open_sql(&ns)?;
            probe_cluster(g)?;
            if all_namespaces {
                sql.set_namespace("");
            }
            Ok(Storage::new(Box::new(sql)))
        }
        DriverChoice::Unknown(name) => Err(slog_info(&format!("unknown driver {}", go_quote(&name)))),
    }
}

// ---------------------------------------------------------------------------
// Flag values that cobra/pflag parse (their errors come before RunE runs)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
}

pub fn parse_format(s: &str) -> Result<Format> {
    match s {
        "table" => Ok(Format::Table),
        "json" => Ok(Format::Json),
        "yaml" => Ok(Format::Yaml),
        _ => Err(Failure::Error(format!("invalid argument {} for \"-o, --output\" flag: invalid format type", go_quote(s)))),
    }
}

/// pflag's int flag: `strconv.ParseInt(s, 0, 64)` narrowed to Go's int.
pub fn parse_int(s: &str, flag: &str) -> Result<i64> {
    let bad = |why: &str| {
        Failure::Error(format!(
            "invalid argument {} for {} flag: strconv.ParseInt: parsing {}: {why}",
            go_quote(s),
            go_quote(flag),
            go_quote(s)
        ))
    };
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, r)
    } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    let digits: String = if radix != 10 || digits.contains('_') {
        // Go allows underscores between digits only with a base prefix.
        if radix == 10 {
            return Err(bad("invalid syntax"));
        }
        digits.replace('_', "")
    } else {
        digits.to_string()
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(bad("invalid syntax"));
    }
    match i128::from_str_radix(&digits, radix) {
        Ok(v) => {
            let v = if neg { -v } else { v };
            i64::try_from(v).map_err(|_| bad("value out of range"))
        }
        Err(_) => Err(bad("value out of range")),
    }
}

/// cobra's `ExactArgs(1)` message.
pub fn exact_one(args: &[String], cmd: &str, usage: &str) -> Result<String> {
    if args.len() != 1 {
        return Err(Failure::Error(format!("\"helm {cmd}\" requires 1 argument\n\nUsage:  helm {usage} [flags]")));
    }
    Ok(args[0].clone())
}

// ---------------------------------------------------------------------------
// Output

/// `output.EncodeJSON`: an Encoder (HTML escaping on) plus its newline.
pub fn encode_json(v: &Value) -> std::result::Result<String, String> {
    let mut s = rhelm_functions::json::to_string(v, true).map_err(|e| format!("unable to write JSON output: {e}"))?;
    s.push('\n');
    Ok(s)
}

/// `output.EncodeYAML`: sigs.k8s.io/yaml, i.e. JSON first, then YAML.
pub fn encode_yaml(v: &Value) -> std::result::Result<String, String> {
    rhelm_functions::yaml::to_string_v2(v).map_err(|e| format!("unable to write YAML output: {e}"))
}

/// A string as encoding/json writes it (quoted, HTML characters escaped).
pub fn json_quote(s: &str) -> String {
    let mut out = String::new();
    rhelm_functions::json::write_string(&mut out, s, true);
    out
}

/// A Go struct's JSON (written by hand, in field order) as the generic
/// value that YAML output converts from.
pub fn json_value(json: &str) -> std::result::Result<Value, String> {
    rhelm_functions::json::from_str(json).map_err(|e| e.to_string())
}

/// gosuri/uitable as `output.EncodeTable` prints it: cells padded to their
/// column's width, joined by tabs, rows by newlines, plus a final newline.
/// A cell with several lines is sized by its widest line, but first cut to
/// that width as a whole (so it may end in `...`); whatever lines are left
/// become lines of the row, the other cells blank.
pub fn table(rows: &[Vec<String>]) -> String {
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; ncols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.split('\n').map(display_width).max().unwrap_or(0);
            widths[i] = widths[i].max(w);
        }
    }
    let mut lines = Vec::new();
    for row in rows {
        let cells: Vec<Vec<String>> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| resize(cell, widths[i]).split('\n').map(|l| resize(l, widths[i])).collect())
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for x in 0..height {
            let line: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| c.get(x).cloned().unwrap_or_else(|| " ".repeat(widths[i].max(1))))
                .collect();
            lines.push(line.join("\t"));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// `strutil.Resize`: padded with spaces to `n` columns, or cut to `n - 3`
/// columns and `...` when wider.
fn resize(s: &str, n: usize) -> String {
    let w = display_width(s);
    if w <= n {
        return format!("{s}{}", " ".repeat(n - w));
    }
    let mut out = String::new();
    let mut acc = 0;
    for c in s.chars() {
        out.push(c);
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if acc + cw >= n.saturating_sub(3) {
            break;
        }
        acc += cw;
    }
    out.push_str("...");
    out
}

/// Terminal columns of a cell (runewidth; wide East Asian characters count two).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD => 2,
            0x0300..=0x036F | 0x200B..=0x200F | 0x00..=0x1F | 0x7F..=0x9F => 0,
            _ => 1,
        })
        .sum()
}

/// `formatChartName`.
pub fn chart_name(c: Option<&rhelm_chart::Chart>) -> String {
    match c {
        None => "MISSING".into(),
        Some(c) => format!("{}-{}", c.metadata.name, c.metadata.version),
    }
}

/// `formatAppVersion`.
pub fn app_version(c: Option<&rhelm_chart::Chart>) -> String {
    match c {
        None => "MISSING".into(),
        Some(c) => c.metadata.app_version.clone(),
    }
}

pub fn str_map(m: &BTreeMap<String, String>) -> Value {
    Value::map(m.iter().map(|(k, v)| (Arc::from(k.as_str()), Value::str(v))).collect())
}

/// Runs a command body and prints as Helm does.
pub fn finish(res: Result<String>) -> std::process::ExitCode {
    match res {
        Ok(out) => {
            print!("{out}");
            std::process::ExitCode::SUCCESS
        }
        Err(Failure::Error(e)) => {
            eprintln!("Error: {e}");
            std::process::ExitCode::FAILURE
        }
        Err(Failure::Raw(e)) => {
            eprint!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Helm's paths for repositories and registries: the environment, then these flags.
pub fn repo_settings(g: &Global) -> rhelm_repository::settings::Settings {
    let mut s = rhelm_repository::settings::Settings::from_env();
    if let Some(p) = &g.repository_config {
        s.repository_config = PathBuf::from(p);
    }
    if let Some(p) = &g.repository_cache {
        s.repository_cache = PathBuf::from(p);
    }
    if let Some(p) = &g.registry_config {
        s.registry_config = PathBuf::from(p);
    }
    if let Some(p) = &g.content_cache {
        s.content_cache = PathBuf::from(p);
    }
    s
}

/// [`table`] with each column cut to `max` display columns (uitable's MaxColWidth).
pub fn table_max(rows: &[Vec<String>], max: usize) -> String {
    if max == 0 {
        return table(rows);
    }
    let cut: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| if display_width(c) > max { resize(c, max) } else { c.clone() }).collect()).collect();
    table(&cut)
}
