//! Chart loading against Helm 4.3.1.
//!
//! The golden cases (testdata/chart/load/golden.json, made by
//! scripts/gen-load-golden) run `helm template x CHART` on fixture charts and
//! on trees built at run time from cases.json (symlinks, FIFOs, big files,
//! hostile archives). Here the same trees are built again, with the tar
//! crate for the archives, and loaded: our notices and error must be Helm's
//! stderr, our exit status its, and for charts that load, the templates we
//! find must be the `# Source:` lines Helm prints and our Metadata must be
//! what `helm show chart` prints.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rhelm_chart::load;
use rhelm_chart::{Chart, Metadata};
use rhelm_template::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/load")
}

fn read_json(name: &str) -> Value {
    let text = fs::read_to_string(data_dir().join(name)).unwrap();
    rhelm_functions::json::from_str(&text).unwrap()
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Map(m) => m.entries.get(key),
        _ => None,
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        other => panic!("not a string: {other:?}"),
    }
}

fn items(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.items.to_vec(),
        _ => Vec::new(),
    }
}

fn entries(v: Option<&Value>) -> Vec<(String, Value)> {
    match v {
        Some(Value::Map(m)) => m.entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        _ => Vec::new(),
    }
}

/// A scratch directory for one case, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(case: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("rhelm-load-{}-{}", std::process::id(), case.replace('/', "--")));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, data: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, data).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------
// Archives, built from the same specs as the Python generator's.

fn tar_bytes(spec: &Value) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    if matches!(get(spec, "pax_global"), Some(Value::Bool(true))) {
        let record = "comment=made by gen-load-golden\n";
        let mut n = record.len() + 3;
        n = record.len() + n.to_string().len() + 1;
        let payload = format!("{n} {record}");
        let mut h = tar::Header::new_ustar();
        h.set_path("pax_global_header").unwrap();
        h.set_entry_type(tar::EntryType::XGlobalHeader);
        h.set_size(payload.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, payload.as_bytes()).unwrap();
    }
    for e in items(get(spec, "entries").unwrap()) {
        let name = text(get(&e, "name").unwrap());
        let kind = get(&e, "type").map(text).unwrap_or_else(|| "file".into());
        let data: Vec<u8> = if let Some(a) = get(&e, "archive") {
            archive_bytes(a)
        } else if let Some(Value::Float(z)) = get(&e, "zeros") {
            vec![0; *z as usize]
        } else if let Some(t) = get(&e, "text") {
            text(t).into_bytes()
        } else {
            Vec::new()
        };
        let mut h = tar::Header::new_gnu();
        h.set_mode(if kind == "dir" { 0o755 } else { 0o644 });
        h.set_mtime(0);
        h.set_size(data.len() as u64);
        h.set_entry_type(match kind.as_str() {
            "dir" => tar::EntryType::Directory,
            "symlink" => tar::EntryType::Symlink,
            "hardlink" => tar::EntryType::Link,
            "fifo" => tar::EntryType::Fifo,
            _ => tar::EntryType::Regular,
        });
        if let Some(link) = get(&e, "link") {
            let link = text(link);
            h.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        if kind == "olddir" {
            h.as_old_mut().linkflag = [0];
        }
        if name.len() <= 100 {
            // Written raw: the tar crate refuses `..` and absolute names, Helm must see them.
            h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
            h.set_cksum();
            b.append(&h, data.as_slice()).unwrap();
        } else {
            b.append_data(&mut h, &name, data.as_slice()).unwrap();
        }
    }
    b.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn archive_bytes(spec: &Value) -> Vec<u8> {
    match get(spec, "gzip").map(text).as_deref().unwrap_or("ok") {
        "garbage" => b"this is not a chart\n".to_vec(),
        "not-tar" => gzip(&b"hello, this is no tar file\n".repeat(40)),
        "none" => tar_bytes(spec),
        "truncate" => {
            let data = gzip(&tar_bytes(spec));
            data[..data.len() / 2].to_vec()
        }
        _ => gzip(&tar_bytes(spec)),
    }
}

/// Builds the case's tree; returns the chart argument.
fn materialize(case: &Value, dir: &Path) -> PathBuf {
    if let Some(f) = get(case, "fixture") {
        copy_dir(&data_dir().join("charts").join(text(f)), &dir.join("chart"));
    }
    for (p, t) in entries(get(case, "outside")) {
        write(&dir.join("outside").join(p), text(&t).as_bytes());
    }
    if let Some(ch) = get(case, "chart") {
        let root = dir.join("chart");
        fs::create_dir_all(&root).unwrap();
        for (p, t) in entries(get(ch, "files")) {
            write(&root.join(p), text(&t).as_bytes());
        }
        for (p, size) in entries(get(ch, "sized")) {
            let Value::Float(n) = size else { panic!("size") };
            write(&root.join(p), &vec![b'#'; n as usize]);
        }
        for (p, target) in entries(get(ch, "symlinks")) {
            let link = root.join(p);
            fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(text(&target), link).unwrap();
        }
        for p in items(get(ch, "fifos").unwrap_or(&Value::Nil)) {
            let path = root.join(text(&p));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let ok = std::process::Command::new("mkfifo").arg(&path).status().unwrap().success();
            assert!(ok, "mkfifo {path:?}");
        }
    }
    for (p, spec) in entries(get(case, "archives")) {
        write(&dir.join("chart").join(p), &archive_bytes(&spec));
    }
    let default = if let Some(a) = get(case, "archive") {
        write(&dir.join("chart.tgz"), &archive_bytes(a));
        "chart.tgz"
    } else {
        "chart"
    };
    let arg = get(case, "path").map(text).unwrap_or_else(|| default.into());
    // Helm ran in the case directory; paths that exist there are made absolute.
    let inside = dir.join(&arg);
    if inside.symlink_metadata().is_ok() {
        inside
    } else {
        PathBuf::from(arg)
    }
}

// ---------------------------------------------------------------------------
// What we do, as `helm template` would report it.

struct Outcome {
    rc: i64,
    stderr: String,
    chart: Option<Chart>,
}

fn run(arg: &Path) -> Outcome {
    let mut notices = Vec::new();
    let result = load::load_any_version(arg, &mut notices).map_err(|e| e.to_string()).and_then(|c| {
        load::check_installable(&c)?;
        notices.extend(load::deprecation_notice(&c));
        load::check_dependencies(&c)?;
        load::check_api_version(&c)?;
        Ok(c)
    });
    let mut stderr: String = notices.iter().map(|n| format!("{n}\n")).collect();
    match result {
        Ok(c) => Outcome { rc: 0, stderr, chart: Some(c) },
        Err(e) => {
            stderr.push_str(&format!("Error: {e}\n"));
            Outcome { rc: 1, stderr, chart: None }
        }
    }
}

/// The `# Source:` paths Helm must print (templates of plain text) and may
/// print (templates with actions, which may render to nothing).
fn sources(c: &Chart, prefix: &str, must: &mut Vec<String>, may: &mut Vec<String>) {
    let path = format!("{prefix}{}", c.name());
    for t in &c.templates {
        let base = t.name.rsplit('/').next().unwrap_or("");
        if base.starts_with('_') || base == "NOTES.txt" || t.data.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let out = if t.data.windows(2).any(|w| w == b"{{") { &mut *may } else { &mut *must };
        out.push(format!("{path}/{}", t.name));
    }
    for d in &c.dependencies {
        sources(d, &format!("{path}/charts/"), must, may);
    }
}

/// Metadata as `helm show chart` marshals it (omitempty), as a value.
fn show_value(md: &Metadata) -> Value {
    let mut m: BTreeMap<Arc<str>, Value> = BTreeMap::new();
    let put_str = |m: &mut BTreeMap<Arc<str>, Value>, k: &str, v: &str| {
        if !v.is_empty() {
            m.insert(k.into(), Value::str(v));
        }
    };
    put_str(&mut m, "name", &md.name);
    put_str(&mut m, "home", &md.home);
    put_str(&mut m, "version", &md.version);
    put_str(&mut m, "description", &md.description);
    put_str(&mut m, "icon", &md.icon);
    put_str(&mut m, "apiVersion", &md.api_version);
    put_str(&mut m, "condition", &md.condition);
    put_str(&mut m, "tags", &md.tags);
    put_str(&mut m, "appVersion", &md.app_version);
    put_str(&mut m, "kubeVersion", &md.kube_version);
    put_str(&mut m, "type", &md.chart_type);
    let strs = |v: &[String]| Value::list(v.iter().map(|s| Value::str(s)).collect());
    if !md.sources.is_empty() {
        m.insert("sources".into(), strs(&md.sources));
    }
    if !md.keywords.is_empty() {
        m.insert("keywords".into(), strs(&md.keywords));
    }
    if md.deprecated {
        m.insert("deprecated".into(), Value::Bool(true));
    }
    if !md.annotations.is_empty() {
        let a = md.annotations.iter().map(|(k, v)| (Arc::from(k.as_str()), Value::str(v))).collect();
        m.insert("annotations".into(), Value::map(a));
    }
    if !md.maintainers.is_empty() {
        let list = md
            .maintainers
            .iter()
            .map(|mt| {
                let mut e = BTreeMap::new();
                put_str(&mut e, "name", &mt.name);
                put_str(&mut e, "email", &mt.email);
                put_str(&mut e, "url", &mt.url);
                Value::map(e)
            })
            .collect();
        m.insert("maintainers".into(), Value::list(list));
    }
    if !md.dependencies.is_empty() {
        let list = md
            .dependencies
            .iter()
            .map(|d| {
                let mut e = BTreeMap::new();
                e.insert(Arc::from("name"), Value::str(&d.name));
                e.insert(Arc::from("repository"), Value::str(&d.repository));
                put_str(&mut e, "version", &d.version);
                put_str(&mut e, "condition", &d.condition);
                put_str(&mut e, "alias", &d.alias);
                if !d.tags.is_empty() {
                    e.insert("tags".into(), strs(&d.tags));
                }
                if d.enabled {
                    e.insert("enabled".into(), Value::Bool(true));
                }
                if !d.import_values.is_empty() {
                    e.insert("import-values".into(), Value::list(d.import_values.clone()));
                }
                Value::map(e)
            })
            .collect();
        m.insert("dependencies".into(), Value::list(list));
    }
    Value::map(m)
}

/// Renders templates/dump.yaml with our engine over what we loaded: `.Values`
/// (a chart without subcharts, so helm's coalesced values are the file's)
/// and `.Files` (a map of name to bytes, as Helm's `files` type ranges).
fn dump_lines(c: &Chart) -> Vec<String> {
    let Some(t) = c.templates.iter().find(|t| t.name == "templates/dump.yaml") else { return Vec::new() };
    let mut set = rhelm_template::TemplateSet::new("dump", rhelm_functions::helm_funcs());
    set.parse("dump", std::str::from_utf8(&t.data).unwrap()).unwrap();
    let files: BTreeMap<Arc<str>, Value> =
        c.files.iter().map(|f| (Arc::from(f.name.as_str()), Value::Bytes(f.data.shared().clone()))).collect();
    let mut data = BTreeMap::new();
    data.insert(Arc::from("Values"), Value::map(c.values.clone()));
    data.insert(Arc::from("Files"), Value::map(files));
    let mut out = String::new();
    set.execute("dump", &Value::map(data), &mut out).unwrap();
    out.lines().filter(|l| l.starts_with("#dump ")).map(|l| l.trim_end().to_string()).collect()
}

fn json(v: &Value) -> String {
    rhelm_functions::json::to_string(v, false).unwrap()
}

#[test]
fn golden_cases() {
    let golden = read_json("golden.json");
    let mut cases: Vec<Value> = Vec::new();
    let mut fixtures: Vec<String> = fs::read_dir(data_dir().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    fixtures.sort();
    for f in fixtures {
        let mut m = BTreeMap::new();
        m.insert(Arc::from("name"), Value::str(&format!("fixture/{f}")));
        m.insert(Arc::from("fixture"), Value::str(&f));
        cases.push(Value::map(m));
    }
    cases.extend(items(&read_json("cases.json")));

    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        let name = text(get(case, "name").unwrap());
        let want =
            get(&golden, &name).unwrap_or_else(|| panic!("{name}: not in golden.json (rerun scripts/gen-load-golden)"));
        let scratch = Scratch::new(&name);
        let arg = materialize(case, &scratch.0);
        let got = run(&arg);
        let case_dir = scratch.0.to_string_lossy().into_owned();
        let stderr = got.stderr.replace(&case_dir, "<CASE>");
        let want_rc = match get(want, "rc") {
            Some(Value::Float(f)) => *f as i64,
            _ => panic!("rc"),
        };
        let want_stderr = text(get(want, "stderr").unwrap());
        if got.rc != want_rc || stderr != want_stderr {
            failures
                .push(format!("{name}:\n  helm (rc {want_rc}): {want_stderr:?}\n  ours (rc {}): {stderr:?}", got.rc));
            continue;
        }
        if let Some(c) = &got.chart {
            let (mut must, mut may) = (Vec::new(), Vec::new());
            sources(c, "", &mut must, &mut may);
            let theirs: Vec<String> = items(get(want, "sources").unwrap()).iter().map(text).collect();
            let missing = must.iter().any(|m| !theirs.contains(m));
            let unknown = theirs.iter().any(|t| !must.contains(t) && !may.contains(t));
            if missing || unknown {
                failures.push(format!("{name}: templates\n  helm: {theirs:?}\n  ours: {must:?} + maybe {may:?}"));
            }
            if let Some(dump) = get(want, "dump") {
                let theirs: Vec<String> = items(dump).iter().map(|l| text(l).trim_end().to_string()).collect();
                let ours = dump_lines(c);
                if ours != theirs {
                    failures.push(format!("{name}: dump\n  helm: {theirs:?}\n  ours: {ours:?}"));
                }
            }
            if let Some(Value::Str(show)) = get(want, "show_chart") {
                let theirs = rhelm_functions::yaml::from_str(show).unwrap();
                let ours = show_value(&c.metadata);
                if json(&theirs) != json(&ours) {
                    failures.push(format!("{name}: metadata\n  helm: {}\n  ours: {}", json(&theirs), json(&ours)));
                }
            }
        }
        // `helm show chart` loads with the v2 loader alone.
        let mut notices = Vec::new();
        let shown = load::load_v2_with_notices(&arg, &mut notices);
        let mut show_stderr: String = notices.iter().map(|n| format!("{n}\n")).collect();
        if let Err(e) = &shown {
            show_stderr.push_str(&format!("Error: {e}\n"));
        }
        let show_stderr = show_stderr.replace(&case_dir, "<CASE>");
        let want_show_rc = match get(want, "show_rc") {
            Some(Value::Float(f)) => *f as i64,
            _ => panic!("show_rc"),
        };
        let want_show_stderr = text(get(want, "show_stderr").unwrap());
        if i64::from(shown.is_err()) != want_show_rc || show_stderr != want_show_stderr {
            failures.push(format!(
                "{name}: show chart\n  helm (rc {want_show_rc}): {want_show_stderr:?}\n  ours (rc {}): {show_stderr:?}",
                i64::from(shown.is_err())
            ));
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from helm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(checked, cases.len());
}

/// `load_archive` gives the archive reader's own errors: what helm prints
/// after `error unpacking subchart sub.tgz in parent: ` for the same archive.
#[test]
fn load_archive_errors_are_helms_inner_errors() {
    let golden = read_json("golden.json");
    let prefix = "Error: error unpacking subchart sub.tgz in parent: ";
    let mut checked = 0;
    for case in items(&read_json("cases.json")) {
        let name = text(get(&case, "name").unwrap());
        if !name.starts_with("subchart-archive/") {
            continue;
        }
        let want = text(get(get(&golden, &name).unwrap(), "stderr").unwrap());
        let spec = get(get(&case, "archives").unwrap(), "charts/sub.tgz").unwrap();
        let got = load::load_archive(&archive_bytes(spec));
        match want.strip_prefix(prefix) {
            Some(inner) => {
                let err = got.err().unwrap_or_else(|| panic!("{name}: loaded, helm said {want:?}"));
                assert_eq!(format!("{err}\n"), inner, "{name}");
            }
            None => assert!(got.is_ok(), "{name}: {:?}", got.err()),
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} archive cases");
}

/// Damaged archives give errors, never panics.
#[test]
fn damaged_archives_do_not_panic() {
    let good = archive_bytes(
        &rhelm_functions::json::from_str(
            r#"{"entries": [{"name": "c/Chart.yaml", "text": "apiVersion: v2\nname: c\nversion: 1.0.0\n"},
                        {"name": "c/templates/a.yaml", "text": "kind: A\n"},
                        {"name": "c/values.yaml", "text": "a: [1, 2]\n"}]}"#,
        )
        .unwrap(),
    );
    assert!(load::load_archive(&good).is_ok());
    for cut in 0..good.len() {
        let _ = load::load_archive(&good[..cut]);
    }
    let raw = tar_bytes(
        &rhelm_functions::json::from_str(
            r#"{"entries": [{"name": "c/Chart.yaml", "text": "apiVersion: v2\nname: c\nversion: 1.0.0\n"}]}"#,
        )
        .unwrap(),
    );
    for i in (0..raw.len()).step_by(7) {
        let mut bad = raw.clone();
        bad[i] ^= 0x5a;
        let _ = load::load_archive(&gzip(&bad));
        let mut bad = good.clone();
        if i < bad.len() {
            bad[i] ^= 0xff;
            let _ = load::load_archive(&bad);
        }
    }
}

#[test]
fn load_files_in_memory() {
    use rhelm_chart::File;
    let files = vec![
        File::new("values.yaml", "a: 1\n---\nb: {c: 2}\n"),
        File::new("templates/x.yaml", "kind: X\n"),
        File::new("charts/sub/Chart.yaml", "name: sub\nversion: 1.0.0\n"),
        File::new("charts/sub/values.yaml", "s: 1\n"),
        File::new("charts/sub-1.0.0.tgz.prov", "sig\n"),
        File::new("Chart.yaml", "apiVersion: v2\nname: mem\nversion: 1.0.0\nannotations: {x: 1.50}\n"),
        File::new("README.md", "r\n"),
    ];
    let c = load::load_files(files).unwrap();
    assert_eq!(c.name(), "mem");
    assert_eq!(c.metadata.annotations["x"], "1.5");
    assert_eq!(c.values.keys().map(|k| &**k).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(c.templates.len(), 1);
    assert_eq!(c.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["charts/sub-1.0.0.tgz.prov", "README.md"]);
    assert_eq!(c.raw.len(), 7);
    assert_eq!(c.dependencies.len(), 1);
    assert_eq!(c.dependencies[0].metadata.api_version, "v1");
    assert_eq!(c.dependencies[0].values.len(), 1);

    let err = load::load_files(vec![File::new("values.yaml", "a: 1\n")]).unwrap_err();
    assert_eq!(err.to_string(), "Chart.yaml file is missing");
    // Go's walk hands a missing root to the walk function, which skips it.
    let err = load::load_dir(Path::new("/does/not/exist")).unwrap_err();
    assert_eq!(err.to_string(), "Chart.yaml file is missing");
}

/// Metadata::validate's messages, as helm printed them for the fixtures.
#[test]
fn metadata_validate() {
    let md = |yaml: &str| {
        let files = vec![rhelm_chart::File::new("Chart.yaml", yaml)];
        load::load_files(files)
    };
    let ok = md("apiVersion: v2\nname: a\nversion: 1.0.0\n").unwrap().metadata;
    assert_eq!(ok.validate(), Ok(()));
    type Change = fn(&mut Metadata);
    let cases: [(&str, Change); 8] = [
        ("validation: chart.metadata.name is required", |m| m.name.clear()),
        ("validation: chart.metadata.name \"..\" is not allowed", |m| m.name = "..".into()),
        ("validation: chart.metadata.name \"a/b\" is invalid", |m| m.name = "a/b".into()),
        ("validation: chart.metadata.version is required", |m| m.version.clear()),
        ("validation: chart.metadata.version \"one\" is invalid", |m| m.version = "one".into()),
        ("validation: chart.metadata.type must be application or library", |m| m.chart_type = "plugin".into()),
        ("validation: chart.metadata.apiVersion is required", |m| m.api_version.clear()),
        ("validation: dependency \"a\" has disallowed characters in the alias", |m| {
            m.dependencies.push(rhelm_chart::Dependency { name: "a".into(), alias: "a.b".into(), ..Default::default() })
        }),
    ];
    for (want, change) in cases {
        let mut m = ok.clone();
        change(&mut m);
        assert_eq!(m.validate(), Err(want.to_string()));
    }
    let mut m = ok.clone();
    m.dependencies.push(rhelm_chart::Dependency { name: "a".into(), ..Default::default() });
    m.dependencies.push(rhelm_chart::Dependency { name: "b".into(), alias: "a".into(), ..Default::default() });
    assert_eq!(m.validate(), Err("validation: more than one dependency with name or alias \"a\"".to_string()));
    // Sanitising happens first: a name of control characters is empty.
    let mut m = ok.clone();
    m.name = "\u{1}\u{2}".into();
    assert_eq!(m.validate(), Err("validation: chart.metadata.name is required".to_string()));
    assert_eq!(md("version: 1.0.0\n").unwrap_err().to_string(), "validation: chart.metadata.name is required");
}

#[test]
fn dependency_checks() {
    let c = load::load_files(vec![rhelm_chart::File::new(
        "Chart.yaml",
        "apiVersion: v2\nname: a\nversion: 1.0.0\ntype: library\ndependencies:\n- name: x\n- name: z\n",
    )])
    .unwrap();
    assert_eq!(
        load::missing_dependencies(&c).as_deref(),
        Some("found in Chart.yaml, but missing in charts/ directory: x, z")
    );
    assert_eq!(
        load::check_dependencies(&c).unwrap_err(),
        "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: x, z"
    );
    assert_eq!(load::check_installable(&c).unwrap_err(), "library charts are not installable");
}

/// `load` refuses v3 charts outright; `load_any_version` leaves that to
/// `check_api_version`, where Helm's template/install get to it.
#[test]
fn v3_charts() {
    let dir = data_dir().join("charts/v3-library");
    assert_eq!(load::load(&dir).unwrap_err().to_string(), "invalid chart apiVersion");
    let c = load::load_any_version(&dir, &mut Vec::new()).unwrap();
    assert_eq!(c.metadata.api_version, "v3");
    assert_eq!(load::check_installable(&c).unwrap_err(), "library charts are not installable");
    assert_eq!(load::check_api_version(&c).unwrap_err(), "invalid chart apiVersion");
    assert_eq!(load::load_v2(&dir).unwrap().metadata.api_version, "v3");
}
