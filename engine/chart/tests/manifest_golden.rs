//! Feeds the scratch charts of testdata/chart/manifest through the manifest
//! pipeline and requires Helm 4.3.1's exact stdout, stderr and written files
//! (goldens made by scripts/gen-manifest-golden).
//!
//! The charts hold no template actions, so each template renders to its own
//! text: the raw file contents are the rendered files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rhelm_chart::manifest::{go_clean, helm_template, Crd, Head, TemplateOptions, WriteMode};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/manifest")
}

// ---------------------------------------------------------------------------
// A test-only head parser. It understands just the YAML of the scratch charts:
// top-level `apiVersion:`/`kind:`/`metadata:`, and under `metadata:` the keys
// `name:` and `annotations:` with one level of `key: value` entries below.
// Scalars may be plain, single- or double-quoted (with \t \n \" \\ escapes),
// `~`/`null`/empty for null; `{}` for an empty map. Its only error is the one
// go-yaml gives for a line starting with a tab. It is no YAML decoder.
// ---------------------------------------------------------------------------

fn scalar(raw: &str) -> Option<String> {
    let v = raw.trim();
    if let Some(inner) = v.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some(o) => out.push(o),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return Some(out);
    }
    if let Some(inner) = v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Some(inner.replace("''", "'"));
    }
    let v = match v.find(" #") {
        Some(i) => v[..i].trim_end(),
        None => v,
    };
    match v {
        "" | "~" | "null" => None,
        _ => Some(v.to_string()),
    }
}

fn key_value(line: &str) -> Option<(String, &str)> {
    let t = line.trim_start();
    let (k, v) = if let Some(rest) = t.strip_prefix('"') {
        let end = rest.find('"')?;
        (rest[..end].to_string(), rest[end + 1..].strip_prefix(':')?)
    } else {
        let i = t.find(": ").or_else(|| t.strip_suffix(':').map(|s| s.len()))?;
        (t[..i].to_string(), t[i + 1..].strip_prefix(' ').unwrap_or(&t[i + 1..]))
    };
    Some((k, v))
}

fn test_head(doc: &str) -> Result<Head, String> {
    let mut head = Head::default();
    #[derive(PartialEq)]
    enum Section {
        Top,
        Metadata,
        Annotations,
    }
    let mut section = Section::Top;
    for (i, raw) in doc.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with('\t') {
            return Err(format!(
                "error converting YAML to JSON: yaml: line {}: found a tab character that violates indentation",
                i + 1
            ));
        }
        let t = line.trim_start();
        if line == "..." {
            break;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with('!') || t == "{}" || t == "null" {
            continue;
        }
        let indent = line.len() - t.len();
        let Some((key, value)) = key_value(line) else { continue };
        match indent {
            0 => {
                section = Section::Top;
                match key.as_str() {
                    "apiVersion" => head.api_version = scalar(value),
                    "kind" => head.kind = scalar(value),
                    "metadata" => section = Section::Metadata,
                    _ => {}
                }
            }
            2 if section != Section::Top => {
                section = Section::Metadata;
                match key.as_str() {
                    "name" => head.name = scalar(value),
                    "annotations" => {
                        if value.trim() == "{}" {
                            head.annotations = Some(BTreeMap::new());
                        } else {
                            section = Section::Annotations;
                        }
                    }
                    _ => {}
                }
            }
            4 if section == Section::Annotations => {
                head.annotations.get_or_insert_with(BTreeMap::new).insert(key, scalar(value).unwrap_or_default());
            }
            _ => {}
        }
    }
    Ok(head)
}

// ---------------------------------------------------------------------------
// A test-only chart reader: Helm's directory walk (sorted per directory), the
// default ignore rule for hidden files under templates/, BOM removal, subcharts
// under charts/, and CRDs under crds/ (.yaml, .yml, .json).
// ---------------------------------------------------------------------------

fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    for n in names {
        let path = dir.join(&n);
        let r = if rel.is_empty() { n.clone() } else { format!("{rel}/{n}") };
        if path.is_dir() {
            walk(&path, &r, out);
        } else {
            let mut data = fs::read(&path).unwrap();
            if data.starts_with(b"\xef\xbb\xbf") {
                data.drain(..3);
            }
            out.push((r, data));
        }
    }
}

struct Loaded {
    name: String,
    templates: BTreeMap<String, String>,
    crds: Vec<Crd>,
}

fn load(dir: &Path, parent: Option<&str>) -> Loaded {
    let mut files = Vec::new();
    walk(dir, "", &mut files);
    let chart_yaml = String::from_utf8(files.iter().find(|(n, _)| n == "Chart.yaml").unwrap().1.clone()).unwrap();
    let name = chart_yaml.lines().find_map(|l| l.strip_prefix("name: ")).unwrap().trim().to_string();
    let full = match parent {
        Some(p) => format!("{p}/charts/{name}"),
        None => name.clone(),
    };
    let mut templates = BTreeMap::new();
    let mut crds = Vec::new();
    let mut subdirs = Vec::new();
    for (n, data) in files {
        let text = || String::from_utf8(data.clone()).unwrap();
        if let Some(rest) = n.strip_prefix("templates/") {
            if rest.starts_with('.') {
                continue; // the default ignore rule `templates/.?*`
            }
            templates.insert(format!("{full}/{n}"), text());
        } else if n.starts_with("crds/") {
            let lower = n.to_lowercase();
            if [".yaml", ".yml", ".json"].iter().any(|e| lower.ends_with(e)) {
                crds.push(Crd { filename: format!("{full}/{n}"), data: text() });
            }
        } else if let Some(rest) = n.strip_prefix("charts/") {
            let sub = rest.split('/').next().unwrap().to_string();
            if !subdirs.contains(&sub) {
                subdirs.push(sub);
            }
        }
    }
    for sub in subdirs {
        let child = load(&dir.join("charts").join(&sub), Some(&full));
        templates.extend(child.templates);
        crds.extend(child.crds);
    }
    Loaded { name, templates, crds }
}

// ---------------------------------------------------------------------------

fn options(flags: &[&str]) -> TemplateOptions {
    let mut o = TemplateOptions::default();
    o.render.release_name = "rel".into();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        match *f {
            "--include-crds" => o.render.include_crds = true,
            "--no-hooks" => o.no_hooks = true,
            "--skip-tests" => o.skip_tests = true,
            "--release-name" => o.render.use_release_name = true,
            "-s" | "--show-only" => o.show_only.push(it.next().unwrap().to_string()),
            "--output-dir" => o.render.output_dir = Some(it.next().unwrap().to_string()),
            "@rerun" => {}
            other => panic!("unsupported flag {other}"),
        }
    }
    o
}

fn read_tree(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries {
        let e = e.unwrap();
        let n = e.file_name().into_string().unwrap();
        let r = if rel.is_empty() { n.clone() } else { format!("{rel}/{n}") };
        if e.path().is_dir() {
            read_tree(&e.path(), &r, out);
        } else {
            out.insert(r, fs::read(e.path()).unwrap());
        }
    }
}

struct Outcome {
    stdout: String,
    stderr: String,
    files: BTreeMap<String, Vec<u8>>,
}

fn run_case(chart: &str, flags: &[&str]) -> Outcome {
    let loaded = load(&data_dir().join(chart), None);
    let opts = options(flags);
    let runs = if flags.contains(&"@rerun") { 2 } else { 1 };
    let mut disk: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut outcome = None;
    for _ in 0..runs {
        outcome = Some(run_once(&loaded, &opts, &mut disk));
    }
    let (stdout, stderr) = outcome.unwrap();
    let files = disk
        .into_iter()
        .map(|(p, c)| (p.strip_prefix("OUT/").expect("writes stay under OUT").to_string(), c))
        .collect();
    Outcome { stdout, stderr, files }
}

/// One `helm template` run against the simulated disk: (stdout, stderr).
fn run_once(loaded: &Loaded, opts: &TemplateOptions, disk: &mut BTreeMap<String, Vec<u8>>) -> (String, String) {
    let out = helm_template(&loaded.templates, &loaded.name, &loaded.crds, opts, &test_head);
    let mut stdout = String::new();
    for w in &out.writes {
        let path = go_clean(&w.path);
        let entry = disk.entry(path).or_default();
        match w.mode {
            WriteMode::Create => *entry = w.content.as_bytes().to_vec(),
            WriteMode::Append => {
                assert!(!entry.is_empty(), "Append to a file this run did not write: {}", w.path);
                entry.extend_from_slice(w.content.as_bytes())
            }
            WriteMode::AppendIfExists => entry.extend_from_slice(w.content.as_bytes()),
        }
        stdout.push_str(&w.wrote_line());
    }
    let mut stderr = String::new();
    for n in &out.notices {
        stderr.push_str(n);
        stderr.push('\n');
    }
    match &out.error {
        Some(e) => stderr.push_str(&format!("Error: {e}\n")),
        None => stdout.push_str(&out.stdout),
    }
    (stdout, stderr)
}

fn cases() -> Vec<(String, String, Vec<String>)> {
    let text = fs::read_to_string(data_dir().join("cases.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split(' ').filter(|p| !p.is_empty()).map(String::from);
            let chart = parts.next().unwrap();
            let variant = parts.next().unwrap();
            (chart, variant, parts.collect())
        })
        .collect()
}

#[test]
fn helm_template_goldens() {
    let cases = cases();
    let mut failures = Vec::new();
    for (chart, variant, flags) in &cases {
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let got = run_case(chart, &flags);
        let base = data_dir().join("golden").join(chart).join(variant);
        let want_stdout = fs::read_to_string(base.with_extension("stdout")).unwrap();
        let want_stderr = fs::read_to_string(base.with_extension("stderr")).unwrap();
        let mut want_files = BTreeMap::new();
        read_tree(&base.with_extension("files"), "", &mut want_files);
        let mut what = Vec::new();
        if got.stdout != want_stdout {
            what.push(format!("stdout\n--- want\n{want_stdout:?}\n--- got\n{:?}", got.stdout));
        }
        if got.stderr != want_stderr {
            what.push(format!("stderr\n--- want\n{want_stderr:?}\n--- got\n{:?}", got.stderr));
        }
        if got.files != want_files {
            what.push(format!(
                "written files\n--- want\n{:?}\n--- got\n{:?}",
                want_files.iter().map(|(k, v)| (k, String::from_utf8_lossy(v))).collect::<Vec<_>>(),
                got.files.iter().map(|(k, v)| (k, String::from_utf8_lossy(v))).collect::<Vec<_>>()
            ));
        }
        if !what.is_empty() {
            failures.push(format!("{chart} {variant}: {}", what.join("\n")));
        }
    }
    println!("manifest goldens: {} cases, {} failed", cases.len(), failures.len());
    assert!(failures.is_empty(), "{} of {} cases differ:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
    assert!(cases.len() >= 100);
}
