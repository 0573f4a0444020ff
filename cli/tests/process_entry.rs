//! What the process entry (`main` in src/main.rs) must keep from Rust's
//! runtime set-up, which it replaces on glibc Linux: closed standard
//! descriptors are not reused for files, and deep recursion on the main
//! thread grows its stack rather than overflowing it. Helm 4.3.1 (`HELM`)
//! is the reference for the output.

mod common;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::write_chart;

fn rhelm() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rhelm"))
}

fn helm() -> Command {
    Command::new(common::helm_path())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rhelm-entry-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn same_output(rhelm: Output, helm: Output) {
    assert_eq!(String::from_utf8_lossy(&rhelm.stderr), String::from_utf8_lossy(&helm.stderr));
    assert_eq!(String::from_utf8_lossy(&rhelm.stdout), String::from_utf8_lossy(&helm.stdout));
    assert_eq!(rhelm.status.code(), helm.status.code());
}

#[test]
fn closed_stdout_is_not_reused_for_output_files() {
    let dir = scratch("closed");
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts/web");
    let run = |tool: &mut Command, out: &Path, close_stdout: bool| {
        tool.args(["template", "rel"]).arg(&web).arg("--output-dir").arg(out);
        if close_stdout {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                tool.pre_exec(|| {
                    libc::close(1);
                    Ok(())
                });
            }
        }
        let status = tool.status().unwrap();
        assert!(status.success(), "{status}");
    };
    run(&mut rhelm(), &dir.join("closed"), true);
    run(&mut helm(), &dir.join("helm"), false);
    let written = files_under(&dir.join("closed"));
    assert!(written.len() > 2, "{written:?}");
    // The files hold the manifests only: no "wrote ..." line went into one.
    assert_eq!(written, files_under(&dir.join("helm")));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn deep_nesting_on_the_main_thread_renders_as_helm_does() {
    let dir = scratch("nesting");
    let n = 20_000;
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: {}deep{}\n",
        "{{if 1}}{{with $}}{{range list 1}}".repeat(n),
        "{{end}}{{end}}{{end}}".repeat(n)
    );
    let chart = write_chart(&dir, "deep", "", &[("cm.yaml", &deep)]);
    let rhelm_out = rhelm().args(["template", "rel"]).arg(&chart).output().unwrap();
    assert!(String::from_utf8_lossy(&rhelm_out.stdout).contains("x: deep"));
    same_output(rhelm_out, helm().args(["template", "rel"]).arg(&chart).output().unwrap());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn include_recursion_stops_with_helms_error() {
    let dir = scratch("recursion");
    let chart = write_chart(
        &dir,
        "deep",
        "",
        &[("_r.tpl", r#"{{define "r"}}{{include "r" .}}{{end}}"#), ("loop.yaml", "y: {{ include \"r\" . }}\n")],
    );
    let rhelm_out = rhelm().args(["template", "rel"]).arg(&chart).output().unwrap();
    assert_eq!(rhelm_out.status.code(), Some(1));
    same_output(rhelm_out, helm().args(["template", "rel"]).arg(&chart).output().unwrap());
    let _ = fs::remove_dir_all(&dir);
}
