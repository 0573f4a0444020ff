//! `rhelm release` end to end, as the tutorial publishes its chart: a real
//! git remote (a local bare repository) with a pages branch, the GitHub
//! stand-in (tests/github_standin) for the REST API, release downloads and
//! GitHub Pages, and the released chart installed from the published index
//! by helm 4.3.1 and by rhelm.

mod local;
mod github_standin;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use github_standin::GitHubStandIn;
use local::{copy_dir, helm, rhelm, temp_dir, TempDir};

const OWNER: &str = "hellok8s";
const REPO: &str = "charts";
const TOKEN: &str = "ghp_standin_token";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Tutorial")
        .env("GIT_AUTHOR_EMAIL", "tutorial@example.com")
        .env("GIT_COMMITTER_NAME", "Tutorial")
        .env("GIT_COMMITTER_EMAIL", "tutorial@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?} in {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

struct World {
    _tmp: TempDir,
    root: PathBuf,
    remote: PathBuf,
    work: PathBuf,
    github: GitHubStandIn,
}

/// A repository holding charts/hello (this project's own chart), pushed to
/// a bare remote that has no pages branch yet.
fn world(name: &str) -> World {
    let tmp = temp_dir(name);
    let root = tmp.0.clone();
    let remote = root.join("remote.git");
    let work = root.join("work");
    git(&root, &["init", "--quiet", "--bare", "--initial-branch=main", remote.to_str().unwrap()]);
    git(&root, &["clone", "--quiet", remote.to_str().unwrap(), work.to_str().unwrap()]);
    git(&work, &["checkout", "--quiet", "-B", "main"]);
    let hello = Path::new(env!("CARGO_MANIFEST_DIR")).join("../charts/hello");
    copy_dir(&hello, &work.join("charts/hello"));
    fs::write(work.join("README.md"), "hello charts\n").unwrap();
    git(&work, &["add", "."]);
    git(&work, &["commit", "--quiet", "-m", "Add the hello chart"]);
    git(&work, &["push", "--quiet", "origin", "main"]);
    let github = GitHubStandIn::start(OWNER, REPO, TOKEN, remote.clone());
    World { _tmp: tmp, root, remote, work, github }
}

impl World {
    fn release(&self, extra: &[&str]) -> Output {
        self.release_with(extra, &[])
    }

    fn release_with(&self, extra: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(rhelm());
        cmd.arg("release").args(extra).current_dir(&self.work);
        cmd.env_remove("GITHUB_OUTPUT").env_remove("CR_TOKEN").env_remove("GITHUB_TOKEN");
        cmd.env("GITHUB_REPOSITORY", format!("{OWNER}/{REPO}"))
            .env("GITHUB_API_URL", self.github.api_url())
            .env("GITHUB_TOKEN", TOKEN)
            .env("GIT_AUTHOR_NAME", "Release Bot")
            .env("GIT_AUTHOR_EMAIL", "bot@example.com")
            .env("GIT_COMMITTER_NAME", "Release Bot")
            .env("GIT_COMMITTER_EMAIL", "bot@example.com");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.output().expect("rhelm runs")
    }

    fn bump(&self, version: &str) {
        let chart = self.work.join("charts/hello/Chart.yaml");
        let text = fs::read_to_string(&chart).unwrap();
        let text = text.lines().map(|l| if l.starts_with("version:") { format!("version: {version}") } else { l.to_string() }).collect::<Vec<_>>().join("\n") + "\n";
        fs::write(&chart, text).unwrap();
        git(&self.work, &["commit", "--quiet", "-am", &format!("hello {version}")]);
        git(&self.work, &["push", "--quiet", "origin", "main"]);
    }

    fn pages_file(&self, path: &str) -> Option<String> {
        let out = Command::new("git")
            .arg("--git-dir")
            .arg(&self.remote)
            .args(["show", &format!("refs/heads/gh-pages:{path}")])
            .output()
            .unwrap();
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn pages_commit(&self) -> Option<String> {
        let out = Command::new("git").arg("--git-dir").arg(&self.remote).args(["rev-parse", "refs/heads/gh-pages"]).output().unwrap();
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// helm or rhelm with Helm homes of their own under the test directory.
    fn tool(&self, tool: &Path, home: &str, args: &[&str]) -> Output {
        let h = self.root.join(home);
        Command::new(tool)
            .args(args)
            .current_dir(&self.work)
            .env("HELM_CONFIG_HOME", h.join("config"))
            .env("HELM_CACHE_HOME", h.join("cache"))
            .env("HELM_DATA_HOME", h.join("data"))
            .output()
            .expect("tool runs")
    }
}

fn text(o: &Output) -> String {
    format!("exit {:?}\nstdout:\n{}stderr:\n{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sha256_hex(data: &[u8]) -> String {
    use std::io::Write as _;
    let mut child = Command::new("sha256sum").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap().to_string()
}

#[test]
fn tutorial_release_flow() {
    let w = world("release-flow");

    // First release: no tag yet, no pages branch yet.
    let out = ok(w.release(&[]));
    assert!(out.contains("Creating release hello-0.1.0"), "{out}");
    let releases = w.github.releases();
    assert_eq!(releases.len(), 1, "{releases:?}");
    let r = &releases[0];
    assert_eq!((r.tag_name.as_str(), r.name.as_str()), ("hello-0.1.0", "hello-0.1.0"));
    assert_eq!(r.make_latest, "true");
    assert_eq!(r.target_commitish, git(&w.work, &["rev-parse", "HEAD"]));
    assert!(r.body.starts_with("The hellok8s tutorial application"), "release notes are the chart description: {:?}", r.body);
    assert_eq!(r.assets.len(), 1);
    assert_eq!(r.assets[0].name, "hello-0.1.0.tgz");
    // GitHub created the tag on the released commit (in the remote only).
    assert_eq!(git(&w.remote, &["rev-list", "-n1", "hello-0.1.0"]), r.target_commitish);
    assert!(!git(&w.work, &["tag", "--list"]).contains("hello-0.1.0"));

    let index = w.pages_file("index.yaml").expect("the pages branch has index.yaml");
    assert!(index.contains(&format!("- {}", w.github.download_url("hello-0.1.0", "hello-0.1.0.tgz"))), "{index}");
    assert!(index.contains(&format!("digest: {}", sha256_hex(&r.assets[0].data))), "{index}");
    assert!(index.starts_with("apiVersion: v1\nentries:\n  hello:\n"), "{index}");

    // Both tools use the published repository as the tutorial does.
    for (tool, home) in [(helm(), "helm-home"), (rhelm(), "rhelm-home")] {
        let added = ok(w.tool(&tool, home, &["repo", "add", "hellok8s", &w.github.pages_url()]));
        assert_eq!(added, "\"hellok8s\" has been added to your repositories\n");
        let found = ok(w.tool(&tool, home, &["search", "repo", "hellok8s/hello"]));
        assert!(found.contains("hellok8s/hello\t0.1.0  \tv6") || found.contains("hellok8s/hello"), "{found}");
        let remote = ok(w.tool(&tool, home, &["template", "hello", "hellok8s/hello", "--version", "0.1.0", "-f", "charts/hello/values-dev.yaml"]));
        let local = ok(w.tool(&tool, home, &["template", "hello", "./charts/hello", "-f", "charts/hello/values-dev.yaml"]));
        assert_eq!(remote, local, "{} renders the released chart as the local one", tool.display());
    }

    // Nothing changed: nothing is released and the pages branch stays.
    let pages_before = w.pages_commit();
    // The run fetches the release tags itself, as chart-releaser-action does.
    let out = ok(w.release(&[]));
    assert!(out.contains("Nothing to do. No chart changes detected."), "{out}");
    assert!(out.contains("Discovering changed charts since 'hello-0.1.0'..."), "{out}");
    assert_eq!(w.github.releases().len(), 1);
    assert_eq!(w.pages_commit(), pages_before);

    // A new version is released and indexed newest first.
    w.bump("0.2.0");
    let out = ok(w.release(&[]));
    assert!(out.contains("Creating release hello-0.2.0"), "{out}");
    let index = w.pages_file("index.yaml").unwrap();
    let (v2, v1) = (index.find("version: 0.2.0").unwrap(), index.find("version: 0.1.0").unwrap());
    assert!(v2 < v1, "newest first:\n{index}");
    ok(w.tool(&helm(), "helm-home", &["repo", "update"]));
    let found = ok(w.tool(&helm(), "helm-home", &["search", "repo", "hellok8s/hello", "--versions"]));
    assert!(found.contains("0.2.0") && found.contains("0.1.0"), "{found}");
}

#[test]
fn skip_existing_and_bad_tokens_release_nothing() {
    let w = world("release-skip");
    ok(w.release(&[]));
    // The chart changes but keeps its version: its release exists.
    fs::write(w.work.join("charts/hello/README.md"), "changed\n").unwrap();
    git(&w.work, &["commit", "--quiet", "-am", "docs"]);
    let out = ok(w.release(&["--skip-existing"]));
    assert!(out.contains("Release hello-0.1.0 exists"), "{out}");
    assert_eq!(w.github.releases().len(), 1);

    // Without --skip-existing GitHub refuses the duplicate, and rhelm says so.
    let o = w.release(&[]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error creating GitHub release hello-0.1.0") && err.contains("already_exists"), "{err}");

    // A wrong token: 401, no release, the pages branch untouched.
    w.bump("0.3.0");
    let before = w.pages_commit();
    let o = w.release(&["--token", "wrong"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("401 Unauthorized: Bad credentials"), "{err}");
    assert_eq!(w.github.releases().len(), 1);
    assert_eq!(w.pages_commit(), before);
    // Every API request carried the token, a User-Agent and GitHub's media type.
    for r in w.github.requests().iter().filter(|r| r.target.starts_with("/api/") || r.target.starts_with("/uploads/")) {
        assert!(r.header("accept") == Some("application/vnd.github+json"), "{r:?}");
        assert!(r.header("user-agent").is_some_and(|ua| ua.starts_with("rhelm/")));
    }
}

#[test]
fn pull_request_packages_with_index_and_outputs() {
    let w = world("release-pr");
    // An existing pages branch with a site on it.
    git(&w.work, &["checkout", "--quiet", "--orphan", "gh-pages"]);
    git(&w.work, &["rm", "-r", "--quiet", "--force", "."]);
    fs::write(w.work.join("index.html"), "<h1>charts</h1>\n").unwrap();
    git(&w.work, &["add", "index.html"]);
    git(&w.work, &["commit", "--quiet", "-m", "site"]);
    git(&w.work, &["push", "--quiet", "origin", "gh-pages"]);
    git(&w.work, &["checkout", "--quiet", "main"]);

    let outputs = w.root.join("github-output");
    let out = ok(w.release_with(&["--pr", "--packages-with-index"], &[("GITHUB_OUTPUT", outputs.to_str().unwrap())]));
    assert!(out.contains("Pull request created:"), "{out}");
    let pulls = w.github.pulls();
    assert_eq!(pulls.len(), 1);
    assert_eq!(pulls[0].base, "gh-pages");
    assert_eq!(pulls[0].title, "Update index.yaml");
    // The pages branch itself is untouched until the pull request merges.
    assert!(w.pages_file("index.yaml").is_none());
    let show = |path: &str| {
        let out = Command::new("git").arg("--git-dir").arg(&w.remote).args(["show", &format!("refs/heads/{}:{path}", pulls[0].head)]).output().unwrap();
        assert!(out.status.success(), "{path} on {}", pulls[0].head);
        out.stdout
    };
    let index = String::from_utf8(show("index.yaml")).unwrap();
    assert!(index.contains("  - hello-0.1.0.tgz\n"), "relative URL beside the index:\n{index}");
    assert_eq!(show("hello-0.1.0.tgz"), w.github.releases()[0].assets[0].data);
    assert_eq!(show("index.html"), b"<h1>charts</h1>\n");
    assert_eq!(fs::read_to_string(&outputs).unwrap(), "changed_charts=charts/hello\nchart_version=0.1.0\n");
}

/// The composite action's own shell steps (action.yml), run as the Actions
/// runner would run them, with inputs in their defaults and rhelm on PATH:
/// the action releases the chart and sets its outputs.
#[test]
fn action_yml_steps_release_the_chart() {
    let w = world("release-action");
    let action = Path::new(env!("CARGO_MANIFEST_DIR")).join("../action.yml");
    // PyYAML reads the action (scripts/test installs it); the steps come out as JSON.
    let script = "import json,sys,yaml; a=yaml.safe_load(open(sys.argv[1])); print(json.dumps(a))";
    let out = Command::new("python3").args(["-c", script]).arg(&action).output().expect("python3 runs");
    assert!(out.status.success(), "reading action.yml: {}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = doc["inputs"].as_object().unwrap();
    for name in ["charts_dir", "version", "skip_existing", "oci_registry", "mark_as_latest", "packages_with_index"] {
        assert!(inputs.contains_key(name), "input {name}");
    }
    for name in ["changed_charts", "chart_version"] {
        assert!(doc["outputs"][name]["value"].as_str().unwrap().contains("steps.release.outputs"), "output {name}");
    }
    let steps = doc["runs"]["steps"].as_array().unwrap();
    let step = |name: &str| steps.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("step {name}")).clone();

    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_rhelm")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let github_output = w.root.join("github-output");
    let input = |name: &str| -> String {
        let default = inputs[name]["default"].as_str().unwrap_or("").to_string();
        match name {
            "token" => TOKEN.to_string(),
            "skip_existing" => "true".to_string(),
            _ => default,
        }
    };
    for name in ["Configure git", "Release charts"] {
        let s = step(name);
        let mut cmd = Command::new("bash");
        cmd.arg("-c").arg(s["run"].as_str().unwrap()).current_dir(&w.work);
        cmd.env("PATH", &path)
            .env("GITHUB_ACTOR", "octocat")
            .env("GITHUB_REPOSITORY", format!("{OWNER}/{REPO}"))
            .env("GITHUB_API_URL", w.github.api_url())
            .env("GITHUB_OUTPUT", &github_output)
            .env_remove("GITHUB_TOKEN")
            // The runner's git has no identity until the action sets one.
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        for (k, v) in s["env"].as_object().into_iter().flatten() {
            let expr = v.as_str().unwrap();
            let value = expr.strip_prefix("${{ inputs.").and_then(|r| r.strip_suffix(" }}")).map(input).unwrap_or_else(|| expr.to_string());
            cmd.env(k, value);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "step {name}: {}", text(&out));
    }
    assert_eq!(fs::read_to_string(&github_output).unwrap(), "changed_charts=charts/hello\nchart_version=0.1.0\n");
    assert_eq!(w.github.releases().len(), 1);
    assert!(w.pages_file("index.yaml").unwrap().contains("hello-0.1.0.tgz"));
    // The pages commit is the action's identity's.
    let author = Command::new("git").arg("--git-dir").arg(&w.remote).args(["log", "-1", "--format=%an <%ae>", "refs/heads/gh-pages"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&author.stdout).trim(), "octocat <octocat@users.noreply.github.com>");
}

/// `--oci` pushes the released archives to a registry in the same run (a
/// real one: Debian's docker-registry via scripts/test-registry), and helm
/// pulls them from there.
#[test]
fn release_also_pushes_to_an_oci_registry() {
    let w = world("release-oci");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-registry");
    let reg_dir = w.root.join("registry");
    let up = Command::new(&script).arg("up").arg(&reg_dir).output().unwrap();
    let _down = Down(script.clone(), reg_dir.clone());
    assert!(up.status.success(), "the OCI registry did not start: {}", String::from_utf8_lossy(&up.stderr));
    let host = String::from_utf8_lossy(&up.stdout).trim().to_string();
    let out = w.release(&["--oci", &format!("oci://{host}/charts"), "--plain-http"]);
    let pulled = w.tool(&helm(), "helm-home", &["pull", &format!("oci://{host}/charts/hello"), "--version", "0.1.0", "--plain-http", "-d", "."]);
    let out = ok(out);
    assert!(out.contains(&format!("Pushed: {host}/charts/hello:0.1.0")), "{out}");
    assert_eq!(w.github.releases().len(), 1);
    ok(pulled);
    assert_eq!(fs::read(w.work.join("hello-0.1.0.tgz")).unwrap(), w.github.releases()[0].assets[0].data, "the registry holds the released archive");
}

/// The release options reach GitHub as its REST API names them.
#[test]
fn release_options_reach_github() {
    let w = world("release-options");
    let out = ok(w.release(&[
        "--make-release-latest",
        "false",
        "--generate-release-notes",
        "--release-notes-file",
        "README.md",
        "--release-name-template",
        "v{version}-{name}",
        "--no-push",
    ]));
    let r = &w.github.releases()[0];
    assert_eq!(r.tag_name, "v0.1.0-hello");
    assert_eq!(r.make_latest, "false");
    assert!(r.generate_release_notes);
    assert_eq!(r.body, fs::read_to_string(w.work.join("charts/hello/README.md")).unwrap(), "the notes file of the chart is the body");
    // --no-push: the index is written locally, the pages branch is not created.
    assert!(w.pages_commit().is_none(), "{out}");
    let local = fs::read_to_string(w.work.join(".cr-index/index.yaml")).unwrap();
    assert!(local.contains(&w.github.download_url("v0.1.0-hello", "hello-0.1.0.tgz")), "{local}");
    // The steps run alone: `changed` lists nothing now that the tag exists.
    let changed = ok(w.release(&["changed"]));
    assert_eq!(changed, "");
}

/// Stops a registry started by scripts/test-registry when dropped.
struct Down(PathBuf, PathBuf);

impl Drop for Down {
    fn drop(&mut self) {
        let _ = Command::new(&self.0).arg("down").arg(&self.1).output();
    }
}
