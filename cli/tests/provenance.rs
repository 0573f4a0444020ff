//! `package --sign` and `verify` against helm 4.3.1 (`HELM`), with a key
//! made by GnuPG (`gpg`) in a throw-away GNUPGHOME: each tool verifies what
//! the other signed, and both refuse a tampered archive.

mod local;
mod repo_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use local::{helm, rhelm, temp_dir};

/// A key pair made by gpg, exported as the binary keyrings Helm reads.
fn keyrings(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let home = dir.join(format!("gnupg-{name}"));
    fs::create_dir_all(&home).unwrap();
    let params = format!("%no-protection\nKey-Type: RSA\nKey-Length: 2048\nName-Real: {name}\nName-Email: {name}@example.com\nExpire-Date: 0\n%commit\n");
    fs::write(dir.join("params"), params).unwrap();
    let gpg = |args: &[&str]| -> Vec<u8> {
        let out = Command::new("gpg").env("GNUPGHOME", &home).args(["--batch", "--yes"]).args(args).output().expect("gpg (GnuPG) must be installed");
        assert!(out.status.success(), "gpg {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    gpg(&["--gen-key", dir.join("params").to_str().unwrap()]);
    let (public, secret) = (dir.join(format!("{name}-pub.gpg")), dir.join(format!("{name}-sec.gpg")));
    fs::write(&public, gpg(&["--export"])).unwrap();
    fs::write(&secret, gpg(&["--export-secret-keys"])).unwrap();
    let _ = Command::new("gpgconf").env("GNUPGHOME", &home).args(["--kill", "gpg-agent"]).output();
    (public, secret)
}

fn run(tool: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(tool).args(args).current_dir(cwd).output().unwrap()
}

fn show(o: &Output) -> String {
    format!("exit {:?}\n{}{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn each_tool_verifies_what_the_other_signed() {
    let tmp = temp_dir("provenance");
    let (public, secret) = keyrings(&tmp.0, "signer");
    let (other_public, _) = keyrings(&tmp.0, "stranger");
    let chart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts/web");
    let chart = chart.to_str().unwrap();
    let sec = secret.to_str().unwrap();
    for (tool, dir) in [(helm(), "h"), (rhelm(), "r")] {
        let o = run(&tool, &tmp.0, &["package", chart, "-d", dir, "--sign", "--key", "signer", "--keyring", sec]);
        assert!(o.status.success(), "{}", show(&o));
        assert!(tmp.0.join(dir).join("web-0.3.1.tgz.prov").is_file());
    }
    // The signed text is helm's: metadata, `...`, the archive's digest
    // (the archives are identical, so is their sha256).
    let signed_text = |dir: &str| {
        let text = fs::read_to_string(tmp.0.join(dir).join("web-0.3.1.tgz.prov")).unwrap();
        text.split("-----BEGIN PGP SIGNATURE-----").next().unwrap().to_string()
    };
    assert_eq!(signed_text("r"), signed_text("h"));
    for dir in ["h", "r"] {
        let archive = format!("{dir}/web-0.3.1.tgz");
        let h = run(&helm(), &tmp.0, &["verify", &archive, "--keyring", public.to_str().unwrap()]);
        let r = run(&rhelm(), &tmp.0, &["verify", &archive, "--keyring", public.to_str().unwrap()]);
        assert!(h.status.success(), "helm verifies {archive}: {}", show(&h));
        assert_eq!(show(&r), show(&h), "verify {archive}");
        assert!(String::from_utf8_lossy(&r.stdout).starts_with("Signed by: signer <signer@example.com>\n"));
        // A key that did not sign it.
        let h = run(&helm(), &tmp.0, &["verify", &archive, "--keyring", other_public.to_str().unwrap()]);
        let r = run(&rhelm(), &tmp.0, &["verify", &archive, "--keyring", other_public.to_str().unwrap()]);
        assert!(!h.status.success() && !r.status.success());
        assert_eq!(show(&r), show(&h));
    }
    // A tampered archive fails both.
    let archive = tmp.0.join("r/web-0.3.1.tgz");
    let mut bytes = fs::read(&archive).unwrap();
    let n = bytes.len();
    bytes[n - 5] ^= 0x01;
    fs::write(&archive, bytes).unwrap();
    let h = run(&helm(), &tmp.0, &["verify", "r/web-0.3.1.tgz", "--keyring", public.to_str().unwrap()]);
    let r = run(&rhelm(), &tmp.0, &["verify", "r/web-0.3.1.tgz", "--keyring", public.to_str().unwrap()]);
    assert!(!h.status.success() && !r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("sha256 sum does not match for web-0.3.1.tgz"), "{}", show(&r));
    // Argument errors read as helm's.
    for args in [
        &["package", chart, "-d", "e", "--sign"][..],
        &["package", chart, "-d", "e", "--sign", "--key", "nobody", "--keyring", sec],
        &["verify", "missing.tgz"],
        &["verify", "h", "--keyring", sec],
    ] {
        let h = run(&helm(), &tmp.0, args);
        let r = run(&rhelm(), &tmp.0, args);
        assert_eq!(show(&r).replace("rhelm", "helm"), show(&h), "{args:?}");
    }
}

/// `--verify` on charts from a repository: pull and template check the
/// archive against its published `.prov` as helm does.
#[test]
fn verify_on_download() {
    let tmp = temp_dir("provenance-repo");
    let (public, secret) = keyrings(&tmp.0, "publisher");
    let served = tmp.0.join("served");
    fs::create_dir_all(&served).unwrap();
    let chart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts/web");
    let o = run(&helm(), &tmp.0, &["package", chart.to_str().unwrap(), "-d", "served", "--sign", "--key", "publisher", "--keyring", secret.to_str().unwrap()]);
    assert!(o.status.success(), "{}", show(&o));
    let shop = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/charts/shop");
    assert!(run(&helm(), &tmp.0, &["package", shop.to_str().unwrap(), "-d", "served"]).status.success());
    assert!(run(&helm(), &tmp.0, &["repo", "index", "served"]).status.success());
    let server = repo_support::RepoServer::start(&served, &tmp.0, None, None);
    let tool = |tag: &str, args: &[&str]| {
        let work = tmp.0.join(format!("work-{tag}"));
        fs::create_dir_all(&work).unwrap();
        let home = tmp.0.join(format!("home-{tag}"));
        Command::new(if tag == "h" { helm() } else { rhelm() })
            .args(args)
            .current_dir(&work)
            .env("HELM_CONFIG_HOME", home.join("config"))
            .env("HELM_CACHE_HOME", home.join("cache"))
            .output()
            .unwrap()
    };
    let keyring = public.to_str().unwrap();
    for tag in ["h", "r"] {
        assert!(tool(tag, &["repo", "add", "signed", &server.url]).status.success());
    }
    for args in [
        &["pull", "signed/web", "--verify", "--keyring", keyring][..],
        &["pull", "signed/web", "--prov", "-d", "..", "--untar", "--untardir", "prov-TAG"],
        &["template", "x", "signed/web", "--verify", "--keyring", keyring],
        &["pull", "signed/shop", "--verify", "--keyring", keyring],
    ] {
        let args_for = |tag: &str| args.iter().map(|a| a.replace("TAG", tag)).collect::<Vec<String>>();
        let h = tool("h", &args_for("h").iter().map(String::as_str).collect::<Vec<_>>());
        let r = tool("r", &args_for("r").iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(show(&r).replace("prov-r", "prov-h"), show(&h), "{args:?}");
    }
    assert_eq!(fs::read(tmp.0.join("work-r/web-0.3.1.tgz.prov")).unwrap(), fs::read(served.join("web-0.3.1.tgz.prov")).unwrap());
}
