//! `dependency list` statuses beside helm 4.3.1 (`HELM`) on charts built here:
//! subcharts as archives and as directories, wrong versions, misnamed and
//! extra archives, several archives matching one dependency, `--max-col-width`.
//! No repository is needed: list only reads the chart.

mod local;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use local::{helm, rhelm, temp_dir};

fn run(tool: PathBuf, dir: &Path, args: &[&str]) -> Output {
    let home = dir.join("home");
    Command::new(tool)
        .args(args)
        .current_dir(dir)
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_DATA_HOME", home.join("data"))
        .output()
        .unwrap()
}

fn show(o: &Output) -> String {
    format!("exit {:?}\n{}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn same(dir: &Path, args: &[&str]) -> String {
    let h = show(&run(helm(), dir, args));
    let r = show(&run(rhelm(), dir, args));
    assert_eq!(r, h, "rhelm and helm differ on {args:?}");
    r
}

fn chart(dir: &Path, name: &str, version: &str, deps: &str) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("Chart.yaml"), format!("apiVersion: v2\nname: {name}\nversion: {version}\n{deps}")).unwrap();
}

/// helm packages the subcharts so both tools read the same archives.
fn package(tmp: &Path, src: &str, dest: &str, version: Option<&str>) {
    let mut cmd = Command::new(helm());
    cmd.current_dir(tmp).args(["package", src, "-d", dest]);
    if let Some(v) = version {
        cmd.args(["--version", v]);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", show(&o));
}

#[test]
fn statuses_as_helm() {
    let t = temp_dir("deplist");
    let d = &t.0;
    chart(&d.join("sub"), "sub", "1.0.0", "");
    fs::create_dir_all(d.join("p/charts")).unwrap();
    package(d, "sub", "p/charts", None);
    package(d, "sub", "p/charts", Some("2.0.0"));
    chart(&d.join("p/charts/dirsub"), "other", "0.1.0", "");
    chart(
        &d.join("p"),
        "p",
        "0.1.0",
        "dependencies:\n- name: sub\n  version: ~1.0.0\n  repository: file://../sub\n- name: other\n  version: \"x\"\n  repository: https://example.com/a/very/long/repository/url/that/goes/on/and/on\n- name: dirsub\n  version: 1.0.0\n  repository: file://x\n- name: missing\n  version: 1.0.0\n  repository: file://y\n- name: inv\n  version: \"not valid\"\n  repository: file://y\n",
    );
    let out = same(d, &["dependency", "list", "p"]);
    for status in ["too many matches", "unpacked", "missing"] {
        assert!(out.contains(status), "{status} in {out}");
    }
    same(d, &["dependency", "list", "p", "--max-col-width", "10"]);
    same(d, &["dependency", "ls", "p", "--max-col-width", "0"]);

    fs::create_dir_all(d.join("q/charts")).unwrap();
    package(d, "sub", "q/charts", None);
    for copy in ["wv", "iv"] {
        fs::copy(d.join("q/charts/sub-1.0.0.tgz"), d.join(format!("q/charts/{copy}-1.0.0.tgz"))).unwrap();
    }
    chart(&d.join("q/charts/dsub"), "dsub", "3.0.0", "");
    chart(&d.join("extra"), "extra", "1.0.0", "");
    package(d, "extra", "q/charts", None);
    chart(
        &d.join("q"),
        "q",
        "0.1.0",
        "dependencies:\n- name: sub\n  version: \">=2.0.0\"\n  repository: file://../sub\n- name: wv\n  version: \"1.0.0\"\n  repository: file://x\n- name: iv\n  version: \"not valid\"\n  repository: file://y\n- name: dsub\n  version: \"^2\"\n  repository: file://y\n",
    );
    let out = same(d, &["dependency", "list", "q"]);
    for needle in ["wrong version", "misnamed", "is not in Chart.yaml"] {
        assert!(out.contains(needle), "{needle} in {out}");
    }

    // A chart without dependencies, and a path that is no chart.
    chart(&d.join("plain"), "plain", "1.0.0", "");
    same(d, &["dependency", "list", "plain"]);
    same(d, &["dependency", "list", "nowhere"]);
    // Files in charts/ that are no chart make loading fail in both.
    fs::write(d.join("q/charts/notes.txt"), "x").unwrap();
    same(d, &["dependency", "list", "q"]);
}

#[test]
fn lock_from_file_dependencies_as_helm() {
    let t = temp_dir("deplock");
    let d = &t.0;
    chart(&d.join("a"), "a", "1.2.3", "");
    chart(&d.join("b"), "b", "0.9.0", "");
    for tag in ["h", "r"] {
        chart(
            &d.join(tag).join("p"),
            "p",
            "0.1.0",
            "dependencies:\n- name: a\n  version: ~1.2.0\n  repository: file://../../a\n- name: b\n  version: \">=0.1.0 <1.0.0\"\n  repository: file://../../b\n  alias: bee\n",
        );
    }
    let go = |tool: PathBuf, tag: &str, args: &[&str]| {
        let args: Vec<String> = args.iter().map(|a| a.replace("P", &format!("{tag}/p"))).collect();
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let mut o = run(tool, d, &args);
        let p = format!("{tag}/p");
        o.stdout = String::from_utf8_lossy(&o.stdout).replace(&p, "P").into_bytes();
        o.stderr = String::from_utf8_lossy(&o.stderr).replace(&p, "P").into_bytes();
        show(&o)
    };
    let both = |args: &[&str]| {
        let h = go(helm(), "h", args);
        let r = go(rhelm(), "r", args);
        assert_eq!(r, h, "rhelm and helm differ on {args:?}");
        r
    };
    let lock = |tag: &str| {
        let text = fs::read_to_string(d.join(tag).join("p/Chart.lock")).unwrap();
        text.lines().filter(|l| !l.starts_with("generated:")).collect::<Vec<_>>().join("\n")
    };
    let tars = |tag: &str| {
        let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(d.join(tag).join("p/charts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                use std::io::Read;
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(fs::File::open(&p).unwrap()).read_to_end(&mut out).unwrap();
                (p.file_name().unwrap().to_string_lossy().into_owned(), out)
            })
            .collect();
        v.sort();
        v
    };
    both(&["dependency", "update", "P"]);
    assert_eq!(lock("r"), lock("h"));
    assert!(lock("r").contains("digest: sha256:"), "{}", lock("r"));
    assert_eq!(tars("r").iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), ["a-1.2.3.tgz", "b-0.9.0.tgz"]);
    assert_eq!(tars("r"), tars("h"));
    both(&["dependency", "list", "P"]);
    both(&["dependency", "build", "P"]);
    assert_eq!(lock("r"), lock("h"));

    // A local chart whose version leaves the constraint: helm's error.
    for tag in ["h", "r"] {
        let p = d.join(tag).join("p/Chart.yaml");
        let text = fs::read_to_string(&p).unwrap().replace("~1.2.0", "~1.3.0");
        fs::write(&p, text).unwrap();
    }
    let out = both(&["dependency", "build", "P"]);
    assert!(out.contains("out of sync"), "{out}");
    let out = both(&["dependency", "update", "P"]);
    assert!(out.starts_with("exit Some(1)"), "{out}");
}

#[test]
fn v1_chart_requirements_lock_as_helm() {
    let t = temp_dir("depv1");
    let d = &t.0;
    fs::create_dir_all(d.join("a")).unwrap();
    fs::write(d.join("a/Chart.yaml"), "apiVersion: v1\nname: a\nversion: 1.2.3\n").unwrap();
    for tag in ["h", "r"] {
        let p = d.join(tag).join("v1");
        fs::create_dir_all(&p).unwrap();
        fs::write(p.join("Chart.yaml"), "apiVersion: v1\nname: v1\nversion: 0.1.0\n").unwrap();
        fs::write(p.join("requirements.yaml"), "dependencies:\n- name: a\n  version: x\n  repository: file://../../a\n").unwrap();
    }
    let h = show(&run(helm(), d, &["dependency", "update", "h/v1"]));
    let r = show(&run(rhelm(), d, &["dependency", "update", "r/v1"]));
    assert_eq!(r, h);
    let lock = |tag: &str| {
        let text = fs::read_to_string(d.join(tag).join("v1/requirements.lock")).unwrap();
        text.lines().filter(|l| !l.starts_with("generated:")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(lock("r"), lock("h"));
    assert!(!d.join("r/v1/Chart.lock").exists());
    let h = show(&run(helm(), d, &["dependency", "list", "h/v1"]));
    let r = show(&run(rhelm(), d, &["dependency", "list", "r/v1"]));
    assert_eq!(r, h);
    assert!(r.contains("ok"), "{r}");
}
