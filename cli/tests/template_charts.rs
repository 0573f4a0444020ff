//! `rhelm template` against Helm 4.3.1 on the charts of testdata/charts.
//!
//! Each golden in testdata/charts/golden/<case>.json was written by scripts/gen-chart-golden from
//! the real Helm: the arguments after `template`, an optional stdin file, and Helm's exit code,
//! stdout, stderr and (for `--output-dir`) the files it wrote. We run our binary the same way
//! (cwd testdata/charts, the literal argument `OUTDIR` replaced by a fresh directory whose path is
//! written back as `OUTDIR`, the absolute path of testdata/charts written as `CHARTS`) and require
//! every byte to match. All cases run; the failure lists
//! every differing case with its first differing line.
//!
//! Only one case: `RHELM_CHART_CASES=web-default,shop-prod cargo test -p rhelm --test template_charts`.
//! Another build of rhelm (scripts/test runs the release binary this way):
//! `RHELM_TEMPLATE_BINARY=$PWD/target/release/rhelm cargo test -p rhelm --test template_charts`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const OUTDIR: &str = "OUTDIR";

fn charts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts");
    // Canonical, so it reads as Helm printed it (the generator uses the real path too).
    dir.canonicalize().unwrap_or(dir)
}

struct Golden {
    name: String,
    args: Vec<String>,
    stdin: Option<String>,
    exit: i64,
    stdout: String,
    stderr: String,
    files: Option<BTreeMap<String, String>>,
}

fn load_golden(path: &Path) -> Result<Golden, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let missing = |k: &str| format!("{}: missing or mistyped `{k}`", path.display());
    let string = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| missing(k));
    let args = v
        .get("args")
        .and_then(Value::as_array)
        .ok_or_else(|| missing("args"))?
        .iter()
        .map(|a| a.as_str().map(str::to_owned).ok_or_else(|| missing("args")))
        .collect::<Result<Vec<_>, _>>()?;
    let files = match v.get("files") {
        None => None,
        Some(Value::Object(m)) => Some(
            m.iter()
                .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())).ok_or_else(|| missing("files")))
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => return Err(missing("files")),
    };
    Ok(Golden {
        name: string("name")?,
        args,
        stdin: v.get("stdin").and_then(Value::as_str).map(str::to_owned),
        exit: v.get("exit").and_then(Value::as_i64).ok_or_else(|| missing("exit"))?,
        stdout: string("stdout")?,
        stderr: string("stderr")?,
        files,
    })
}

/// What rhelm produced, in the golden's normalised form.
struct Actual {
    exit: i64,
    stdout: String,
    stderr: String,
    files: Option<BTreeMap<String, String>>,
}

fn read_tree(top: &Path) -> BTreeMap<String, String> {
    fn walk(top: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(top, &path, out);
            } else {
                let rel = path.strip_prefix(top).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let bytes = fs::read(&path).unwrap_or_default();
                out.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(top, top, &mut out);
    out
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rhelm-template-charts-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

fn run(g: &Golden) -> Result<Actual, String> {
    let cwd = charts_dir();
    let scratch = scratch_dir(&g.name);
    let home = scratch.join("home");
    fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    let out = scratch.join("out");
    let out_str = out.to_string_lossy().into_owned();
    let uses_out = g.args.iter().any(|a| a == OUTDIR);
    let args: Vec<String> = g.args.iter().map(|a| if a == OUTDIR { out_str.clone() } else { a.clone() }).collect();

    // The same environment scripts/gen-chart-golden gives Helm: nothing of this machine's Helm setup.
    let binary =
        std::env::var_os("RHELM_TEMPLATE_BINARY").map_or(PathBuf::from(env!("CARGO_BIN_EXE_rhelm")), PathBuf::from);
    assert!(binary.is_absolute(), "RHELM_TEMPLATE_BINARY must be an absolute path: {}", binary.display());
    let mut cmd = Command::new(binary);
    cmd.arg("template").args(&args).current_dir(&cwd);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("HELM_")) {
        cmd.env_remove(k);
    }
    cmd.env("HELM_CONFIG_HOME", &home)
        .env("HELM_CACHE_HOME", &home)
        .env("HELM_DATA_HOME", &home)
        .env("HELM_PLUGINS", cwd.join("_plugins"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let stdin = match &g.stdin {
        Some(f) => fs::read(cwd.join(f)).map_err(|e| format!("stdin file {f}: {e}"))?,
        None => Vec::new(),
    };
    let mut child = cmd.spawn().map_err(|e| format!("cannot start rhelm: {e}"))?;
    let mut pipe = child.stdin.take().ok_or("no stdin pipe")?;
    // A writer thread, so a child that never reads stdin cannot deadlock us on a full pipe.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let output = child.wait_with_output().map_err(|e| format!("waiting for rhelm: {e}"))?;
    let _ = writer.join();

    let charts_str = cwd.to_string_lossy().into_owned();
    let norm = |b: &[u8]| String::from_utf8_lossy(b).replace(&out_str, OUTDIR).replace(&charts_str, "CHARTS");
    let actual = Actual {
        exit: output.status.code().map_or(-1, i64::from),
        stdout: norm(&output.stdout),
        stderr: norm(&output.stderr),
        files: uses_out.then(|| read_tree(&out)),
    };
    let _ = fs::remove_dir_all(&scratch);
    Ok(actual)
}

fn first_diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.split_inclusive('\n').collect();
    let a: Vec<&str> = got.split_inclusive('\n').collect();
    if let Some(i) = w.iter().zip(&a).position(|(x, y)| x != y) {
        return format!("line {}:\n      helm:  {:?}\n      rhelm: {:?}", i + 1, w[i], a[i]);
    }
    let n = w.len().min(a.len());
    format!(
        "line {}: helm has {} lines, rhelm {}\n      helm:  {:?}\n      rhelm: {:?}",
        n + 1,
        w.len(),
        a.len(),
        w.get(n).copied().unwrap_or("<end>"),
        a.get(n).copied().unwrap_or("<end>")
    )
}

fn compare(g: &Golden, a: &Actual) -> Vec<String> {
    let mut problems = Vec::new();
    if g.exit != a.exit {
        problems.push(format!("exit code: helm {}, rhelm {}", g.exit, a.exit));
    }
    if g.stdout != a.stdout {
        problems.push(format!("stdout differs at {}", first_diff(&g.stdout, &a.stdout)));
    }
    if g.stderr != a.stderr {
        problems.push(format!("stderr differs at {}", first_diff(&g.stderr, &a.stderr)));
    }
    if let Some(want) = &g.files {
        let empty = BTreeMap::new();
        let got = a.files.as_ref().unwrap_or(&empty);
        for (path, content) in want {
            match got.get(path) {
                None => problems.push(format!("output-dir: {path} not written")),
                Some(c) if c != content => {
                    problems.push(format!("output-dir {path} differs at {}", first_diff(content, c)))
                }
                Some(_) => {}
            }
        }
        for path in got.keys().filter(|p| !want.contains_key(*p)) {
            problems.push(format!("output-dir: {path} written, but helm does not write it"));
        }
    }
    problems
}

/// Cases where rhelm is known to differ from Helm, with the reason. They are
/// still run and reported; the test fails if one of them starts to match
/// (so the list only shrinks) or if any other case differs.
const KNOWN_GAPS: &[(&str, &str)] = &[];

#[test]
fn template_matches_helm_on_every_chart_case() {
    let golden_dir = charts_dir().join("golden");
    let only: Option<Vec<String>> =
        std::env::var("RHELM_CHART_CASES").ok().map(|s| s.split(',').map(str::to_owned).collect());
    let mut paths: Vec<PathBuf> = fs::read_dir(&golden_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", golden_dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            only.as_ref().map_or(true, |o| o.contains(&stem))
        })
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no goldens selected in {}", golden_dir.display());

    let mut failures = Vec::new();
    let mut known = Vec::new();
    for path in &paths {
        let g = match load_golden(path) {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("{}: unreadable golden: {e}", path.display()));
                continue;
            }
        };
        let problems = match run(&g) {
            Ok(actual) => compare(&g, &actual),
            Err(e) => vec![e],
        };
        let gap = KNOWN_GAPS.iter().find(|(name, _)| *name == g.name);
        match (problems.is_empty(), gap) {
            (true, None) => {}
            (true, Some(_)) => failures.push(format!("{}: now identical to helm; remove it from KNOWN_GAPS", g.name)),
            (false, Some((_, why))) => known.push(format!("{} ({why})", g.name)),
            (false, None) => {
                failures.push(format!("{} (rhelm template {}):\n  {}", g.name, g.args.join(" "), problems.join("\n  ")))
            }
        }
    }
    let total = paths.len();
    for f in &failures {
        eprintln!("DIFFERENT {f}\n");
    }
    for k in &known {
        eprintln!("KNOWN GAP {k}");
    }
    eprintln!("{} of {total} cases identical, {} known gaps", total - failures.len() - known.len(), known.len());
    assert!(failures.is_empty(), "{} of {total} chart cases differ from Helm 4.3.1 (details above)", failures.len());
}
