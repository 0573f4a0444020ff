//! `.helmignore` rules checked against Helm 4.3.1: testdata/chart/ignore/golden.json holds,
//! for each case of cases.yaml, the files `helm package` put in the archive (or its error),
//! made by scripts/gen-ignore-golden. The test replays the chart loader's walk (sorted names,
//! an ignored directory skips its subtree, default rule after the file's rules) with our rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rhelm_chart::ignore::{bad_glob_log_line, Rules};
use rhelm_chart::strvals::json_unmarshal;
use rhelm_template::Value;

fn golden() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/ignore/golden.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match json_unmarshal(&text).expect("golden.json is valid JSON") {
        Value::List(l) => l.items.to_vec(),
        _ => panic!("golden.json is not a list"),
    }
}

fn field<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    match v {
        Value::Map(m) => m.entries.get(k),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::List(l)) => l.items.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        None => Vec::new(),
        _ => panic!("expected a list of strings"),
    }
}

/// A directory tree: name → subtree (None for a file).
#[derive(Default)]
struct Dir(BTreeMap<String, Option<Dir>>);

impl Dir {
    fn add(&mut self, path: &str) {
        match path.split_once('/') {
            None => {
                self.0.insert(path.to_string(), None);
            }
            Some((head, rest)) => {
                let sub = self.0.entry(head.to_string()).or_insert_with(|| Some(Dir::default()));
                sub.as_mut().expect("a file and a directory with the same name").add(rest);
            }
        }
    }
}

/// The files `LoadDir` keeps, in walk order, and the log lines the rules produce on the way.
fn walk(dir: &Dir, prefix: &str, rules: &Rules, kept: &mut Vec<String>, log: &mut Vec<String>) {
    // BTreeMap<String> iterates in byte order, as Go's sort.Strings orders names.
    for (name, sub) in &dir.0 {
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        let mut bad = |g: &[u8]| log.push(bad_glob_log_line(g));
        let ignored = rules.ignored_with(rel.as_bytes(), sub.is_some(), &mut bad);
        match sub {
            Some(d) if !ignored => walk(d, &rel, rules, kept, log),
            None if !ignored => kept.push(rel),
            _ => {}
        }
    }
}

/// What Helm would report for a case: Ok(packaged files, log) or Err(error, log).
fn run(case: &Value) -> (Result<Vec<String>, String>, Vec<String>) {
    let helmignore = field(case, "helmignore").map(|v| v.as_str().unwrap().to_string());
    let mut tree = Dir::default();
    tree.add("Chart.yaml");
    for f in strings(field(case, "files")) {
        tree.add(&f);
    }
    let mut rules = match &helmignore {
        None => Rules::empty(),
        Some(text) => {
            tree.add(".helmignore");
            let text = match field(case, "long_line") {
                Some(Value::Float(n)) => format!("{}\n{text}", "x".repeat(*n as usize)),
                _ => text.clone(),
            };
            match Rules::parse(&text) {
                Ok(r) => r,
                Err(e) => return (Err(e.to_string()), Vec::new()),
            }
        }
    };
    rules.add_defaults();
    let (mut kept, mut log) = (Vec::new(), Vec::new());
    walk(&tree, "", &rules, &mut kept, &mut log);
    if !kept.iter().any(|f| f == "Chart.yaml") {
        return (Err("Chart.yaml file is missing".into()), log);
    }
    kept.sort();
    (Ok(kept), log)
}

#[test]
fn helm_goldens() {
    let cases = golden();
    let mut failures = Vec::new();
    let mut paths = 0;
    for case in &cases {
        let name = field(case, "name").unwrap().as_str().unwrap();
        paths += strings(field(case, "files")).len() + 1;
        let want = match field(case, "error") {
            Some(e) => Err(e.as_str().unwrap().to_string()),
            None => Ok(strings(field(case, "packaged"))),
        };
        let want_log = strings(field(case, "log"));
        let (got, got_log) = run(case);
        if got != want || got_log != want_log {
            failures.push(format!("{name}\n   got: {got:?} log {got_log:?}\n  want: {want:?} log {want_log:?}"));
        }
    }
    println!("helmignore goldens: {}/{} pass ({paths} paths)", cases.len() - failures.len(), cases.len());
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn api_basics() {
    let r = Rules::parse("*.txt\n!keep.md\n").unwrap();
    assert!(r.ignored("a.txt", false));
    assert!(r.ignored("Chart.yaml", false), "the negation quirk ignores what !keep.md does not match");
    assert!(!r.ignored("keep.md", false));
    assert!(!r.ignored("", true) && !r.ignored(".", true) && !r.ignored("./", true));
    let d = Rules::default_rules();
    assert!(d.ignored("templates/.x", false));
    assert!(!d.ignored("templates/sub/.x", false));
    assert!(!d.ignored("templates/x", false));
    assert_eq!(Rules::parse("a/**").unwrap_err().to_string(), "double-star (**) syntax is not supported");
    assert_eq!(Rules::parse("[").unwrap_err().to_string(), "syntax error in pattern");
    let dirs = Rules::parse("tmp/").unwrap();
    assert!(dirs.ignored("a/tmp", true));
    assert!(!dirs.ignored("a/tmp", false));
    let kept: BTreeSet<_> = r.patterns().map(|p| String::from_utf8_lossy(p).into_owned()).collect();
    assert_eq!(kept, BTreeSet::from(["*.txt".to_string(), "!keep.md".to_string()]));
}
