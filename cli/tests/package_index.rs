//! `rhelm package` and `rhelm repo index` against helm 4.3.1 (from `HELM`).
//!
//! Packages: the same stdout and the same `.tgz`, byte for byte (so the same
//! sha256), for every chart of testdata/charts under one SOURCE_DATE_EPOCH:
//! rhelm's gzip is Go's deflate (goflate). Helm orders multiple subcharts at
//! random, so a chart whose archives differ is packaged by helm again until
//! one run matches; if none does and the tar entries are only in another
//! order, that is Helm's randomness and accepted.
//! Indexes: each tool packages the charts and indexes its own archives; the
//! same index.yaml (YAML and JSON, with --url and --merge, digests
//! included) with the times masked.

mod local;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use local::{copy_dir, gunzip, helm, rhelm, temp_dir};

fn charts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts").canonicalize().unwrap()
}

fn run(tool: &Path, cwd: &Path, args: &[&str], epoch: Option<&str>) -> Output {
    let mut cmd = Command::new(tool);
    cmd.args(args).current_dir(cwd).env_remove("SOURCE_DATE_EPOCH");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().unwrap()
}

fn show(o: &Output) -> String {
    format!("exit {:?}\n{}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn subcharts(chart: &Path) -> usize {
    fs::read_dir(chart.join("charts")).map(|rd| rd.count()).unwrap_or(0)
}

/// A tar stream's entries (header block and data), sorted by name.
fn sorted_entries(tar: &[u8]) -> Vec<Vec<u8>> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() && tar[at..at + 512].iter().any(|&b| b != 0) {
        let header = &tar[at..at + 512];
        let size_field = String::from_utf8_lossy(&header[124..135]).trim_matches(char::from(0)).to_string();
        let size = usize::from_str_radix(size_field.trim(), 8).unwrap_or(0);
        let end = at + 512 + size.div_ceil(512) * 512;
        entries.push(tar[at..end.min(tar.len())].to_vec());
        at = end;
    }
    entries.sort();
    entries
}

/// gzip header up to the end of the comment: 10 fixed bytes, XLEN, the
/// 44-byte extra field and `Helm\0`.
const GZIP_HEADER_LEN: usize = 10 + 2 + 44 + 5;

#[test]
fn packages_match_helm() {
    let tmp = temp_dir("package");
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut dirs: Vec<PathBuf> = fs::read_dir(charts()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("Chart.yaml").is_file()).collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        let out = tmp.0.join(&name);
        let (h, r) = (out.join("h"), out.join("r"));
        fs::create_dir_all(&h).unwrap();
        fs::create_dir_all(&r).unwrap();
        let chart = dir.to_str().unwrap();
        let ro = run(&rhelm(), &out, &["package", chart, "-d", "r"], Some("1700000000"));
        let mut same = false;
        // Set when a run differed from rhelm's only in the subcharts' order.
        let mut order_only = false;
        let mut last = String::new();
        for _attempt in 0..8 {
            let ho = run(&helm(), &out, &["package", chart, "-d", "h"], Some("1700000000"));
            if show(&ho) != show(&ro).replace("saved it to: r/", "saved it to: h/") {
                last = format!("output differs:\nhelm:  {}\nrhelm: {}", show(&ho), show(&ro));
                order_only = false;
                break;
            }
            if !ho.status.success() {
                same = true;
                break;
            }
            let file = fs::read_dir(&h).unwrap().next().unwrap().unwrap().path();
            let mine = r.join(file.file_name().unwrap());
            let (hb, rb) = (fs::read(&file).unwrap(), fs::read(&mine).unwrap());
            if hb == rb {
                same = true;
                break;
            }
            if hb[..GZIP_HEADER_LEN] != rb[..GZIP_HEADER_LEN] {
                last = "gzip headers differ".into();
                order_only = false;
                break;
            }
            let (theirs, ours) = (gunzip(&file), gunzip(&mine));
            if theirs == ours {
                let at = hb.iter().zip(&rb).position(|(a, b)| a != b).unwrap_or(hb.len().min(rb.len()));
                last = format!(
                    "same tar stream, but the gzip bytes differ from byte {at} (helm {} bytes, rhelm {})",
                    hb.len(),
                    rb.len()
                );
                order_only = false;
                break;
            }
            // Helm writes multiple subcharts in Go's random map order (a
            // rotation per run): package again for a run in rhelm's order.
            if subcharts(&dir) > 1 && sorted_entries(&theirs) == sorted_entries(&ours) {
                order_only = true;
                continue;
            }
            last = "tar streams differ".into();
        }
        compared += 1;
        if !same && !order_only {
            failures.push(format!("{name}: {last}"));
        }
    }
    assert!(compared > 90, "only {compared} charts packaged");
    assert!(failures.is_empty(), "{} of {compared} charts differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn packaging_is_reproducible_and_checks_its_input() {
    let tmp = temp_dir("package-repro");
    let chart = charts().join("shop");
    let chart = chart.to_str().unwrap();
    let a = run(&rhelm(), &tmp.0, &["package", chart, "-d", "a"], None);
    let b = run(&rhelm(), &tmp.0, &["package", chart, "-d", "b"], None);
    assert!(a.status.success() && b.status.success(), "{}", show(&a));
    assert_eq!(fs::read(tmp.0.join("a/shop-2.0.0.tgz")).unwrap(), fs::read(tmp.0.join("b/shop-2.0.0.tgz")).unwrap(), "same chart, same bytes");

    // --version/--app-version, the literal version in the file name.
    for args in [
        &["package", chart, "--version", "1.2", "--app-version", "9.9", "-d", "v"][..],
        &["package", chart, "--version", "not.a.version", "-d", "v"],
        &["package", "/nonexistent/chart"],
        &["package"],
    ] {
        let h = run(&helm(), &tmp.0, args, Some("1"));
        let r = run(&rhelm(), &tmp.0, args, Some("1"));
        assert_eq!(show(&r), show(&h), "{args:?}");
    }
    for bad in ["abc", "-5", "1.5"] {
        let h = run(&helm(), &tmp.0, &["package", chart, "-d", "e"], Some(bad));
        let r = run(&rhelm(), &tmp.0, &["package", chart, "-d", "e"], Some(bad));
        assert_eq!(show(&r), show(&h), "SOURCE_DATE_EPOCH={bad}");
        assert!(!r.status.success());
    }
    assert!(!tmp.0.join("e").exists() || fs::read_dir(tmp.0.join("e")).unwrap().next().is_none(), "nothing written on error");
}

fn mask_times(text: &str) -> String {
    let re = regex::Regex::new(r#"("?(created|generated)"?): "?[0-9T:.Z+-]+"?"#).unwrap();
    re.replace_all(text, "$1: TIME").into_owned()
}

#[test]
fn repo_index_matches_helm() {
    let tmp = temp_dir("repo-index");
    // Each tool packages the same charts (same source mtimes): identical
    // archives, so identical digests in the indexes.
    for (tool, tag) in [(helm(), "h"), (rhelm(), "r")] {
        let src = tmp.0.join(format!("src-{tag}"));
        fs::create_dir_all(src.join("sub")).unwrap();
        for (chart, dest, version) in [
            ("web", "", None),
            ("shop", "", None),
            ("chartmap", "", None),
            ("introspect", "", None),
            ("v1chart", "", None),
            ("database", "/sub", None),
            ("web", "", Some("0.10.0")),
            ("web", "", Some("0.2.0-rc.1")),
        ] {
            let c = charts().join(chart);
            let dest = format!("src-{tag}{dest}");
            let mut args = vec!["package", c.to_str().unwrap(), "-d", &dest];
            if let Some(v) = version {
                args.extend(["--version", v]);
            }
            let o = run(&tool, &tmp.0, &args, None);
            assert!(o.status.success(), "{tag}: {}", show(&o));
        }
        fs::write(src.join("broken.tgz"), "not a chart").unwrap();
    }
    let archives =
        ["web-0.3.1.tgz", "shop-2.0.0.tgz", "chartmap-0.3.0+build.7.tgz", "sub/database-2.1.0.tgz", "web-0.10.0.tgz"];
    for file in archives {
        let (h, r) = (fs::read(tmp.0.join("src-h").join(file)), fs::read(tmp.0.join("src-r").join(file)));
        assert!(h.unwrap() == r.unwrap(), "{file}: rhelm's archive differs from helm's");
    }
    let old = tmp.0.join("old");
    fs::create_dir_all(&old).unwrap();
    let c = charts().join("store");
    run(&helm(), &tmp.0, &["package", c.to_str().unwrap(), "-d", "old"], None);
    let c = charts().join("web");
    run(&helm(), &tmp.0, &["package", c.to_str().unwrap(), "-d", "old", "--version", "0.0.1"], None);
    run(&helm(), &tmp.0, &["repo", "index", "old", "--url", "https://old.example.com/"], None);

    let cases: &[&[&str]] = &[
        &[],
        &["--url", "https://example.com/charts"],
        &["--url", "https://example.com/charts/", "--merge", "MERGE"],
        &["--json"],
        &["--json", "--url", "https://example.com", "--merge", "MERGE"],
    ];
    for (i, extra) in cases.iter().enumerate() {
        let mut results = Vec::new();
        for (tool, tag) in [(helm(), "h"), (rhelm(), "r")] {
            let dir = tmp.0.join(format!("{tag}{i}"));
            copy_dir(&tmp.0.join(format!("src-{tag}")), &dir);
            let merge = tmp.0.join(format!("merge-{tag}{i}.yaml"));
            fs::copy(old.join("index.yaml"), &merge).unwrap();
            let mut args = vec!["repo".to_string(), "index".to_string(), dir.to_str().unwrap().to_string()];
            args.extend(extra.iter().map(|a| if *a == "MERGE" { merge.to_str().unwrap().to_string() } else { a.to_string() }));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = run(&tool, &tmp.0, &args, None);
            assert!(o.status.success(), "{tag} {args:?}: {}", show(&o));
            results.push(mask_times(&fs::read_to_string(dir.join("index.yaml")).unwrap()));
        }
        assert_eq!(results[1], results[0], "repo index {extra:?}");
    }
}

