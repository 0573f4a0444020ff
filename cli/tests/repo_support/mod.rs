//! A real chart repository for the tests: `serve.py` (Python's HTTP server)
//! serving a directory on loopback, with basic auth and TLS when asked, and
//! a CA and server certificate made by `openssl` for the TLS case.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RepoServer {
    child: Child,
    pub url: String,
    log: PathBuf,
}

impl Drop for RepoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A request the server saw.
#[derive(Debug)]
pub struct Seen {
    pub path: String,
    pub authorization: String,
    pub user_agent: String,
}

impl RepoServer {
    /// Serves `dir`; `auth` is `user:pass`; `tls` is (cert, key).
    pub fn start(dir: &Path, work: &Path, auth: Option<&str>, tls: Option<(&Path, &Path)>) -> RepoServer {
        let portfile = work.join(format!("port-{}", nanos()));
        let log = work.join(format!("requests-{}.jsonl", nanos()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/repo_support/serve.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script).arg(dir).arg(&portfile).arg(&log).stdout(Stdio::null()).stderr(Stdio::inherit());
        if let Some(a) = auth {
            cmd.args(["--auth", a]);
        }
        if let Some((c, k)) = tls {
            cmd.arg("--tls").arg(c).arg(k);
        }
        let child = cmd.spawn().expect("python3 must be installed to serve the test chart repository");
        let deadline = Instant::now() + Duration::from_secs(20);
        let port = loop {
            if let Ok(p) = fs::read_to_string(&portfile) {
                break p.trim().to_string();
            }
            assert!(Instant::now() < deadline, "the test chart repository server did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        RepoServer { child, url: format!("{scheme}://127.0.0.1:{port}"), log }
    }

    pub fn requests(&self) -> Vec<Seen> {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| Seen {
                path: v["path"].as_str().unwrap_or_default().to_string(),
                authorization: v["authorization"].as_str().unwrap_or_default().to_string(),
                user_agent: v["user_agent"].as_str().unwrap_or_default().to_string(),
            })
            .collect()
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// A CA and a server certificate for 127.0.0.1 signed by it, in `dir`:
/// returns (ca.crt, server.crt, server.key).
pub fn make_tls(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    fs::create_dir_all(dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl must be installed");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=rhelm test CA"]);
    run(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
    fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n").unwrap();
    run(&["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf"]);
    (dir.join("ca.crt"), dir.join("server.crt"), dir.join("server.key"))
}
