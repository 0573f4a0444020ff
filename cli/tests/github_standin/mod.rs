//! A stand-in for the parts of GitHub that releasing a chart touches, for
//! tests on machines that cannot reach GitHub. It is a real HTTP server on
//! loopback that answers as GitHub's REST documentation (API version
//! 2022-11-28) describes, so rhelm's client holds nothing made for it:
//!
//! - `GET  /api/repos/{owner}/{repo}/releases/tags/{tag}`: the release, or 404;
//! - `GET  /api/repos/{owner}/{repo}/releases?per_page=&page=`: the releases, newest first;
//! - `POST /api/repos/{owner}/{repo}/releases`: creates a release, and its tag
//!   in the git repository (as GitHub does), 422 `already_exists` if the tag has one;
//! - `POST /uploads/repos/{owner}/{repo}/releases/{id}/assets?name=`: an asset,
//!   at the `upload_url` the release names (GitHub's lives on another host);
//! - `POST /api/repos/{owner}/{repo}/pulls`: a pull request between existing branches;
//! - `GET  /{owner}/{repo}/releases/download/{tag}/{name}`: an asset's bytes,
//!   its `browser_download_url`, public as on github.com;
//! - `GET  /pages/{path}`: the file at `path` of the pages branch, as GitHub
//!   Pages publishes a branch.
//!
//! API and upload requests need `Authorization: Bearer TOKEN` (or `token TOKEN`)
//! and a User-Agent, else 401/403 as GitHub answers. Every request is recorded.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct StoredAsset {
    pub id: u64,
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct StoredRelease {
    pub id: u64,
    pub tag_name: String,
    pub name: String,
    pub body: String,
    pub target_commitish: String,
    pub generate_release_notes: bool,
    pub make_latest: String,
    pub assets: Vec<StoredAsset>,
}

#[derive(Debug, Clone)]
pub struct StoredPull {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub head: String,
    pub base: String,
}

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    releases: Vec<StoredRelease>,
    pulls: Vec<StoredPull>,
    next_id: u64,
}

pub struct GitHubStandIn {
    base: String,
    owner: String,
    repo: String,
    state: Arc<Mutex<State>>,
}

struct Config {
    base: String,
    owner: String,
    repo: String,
    token: String,
    /// The bare repository the stand-in's "github.com" hosts.
    git_dir: PathBuf,
    default_branch: String,
    pages_branch: String,
}

impl GitHubStandIn {
    /// Serves `owner/repo`, whose git repository is the bare `git_dir`.
    pub fn start(owner: &str, repo: &str, token: &str, git_dir: PathBuf) -> GitHubStandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port for the GitHub stand-in");
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State { next_id: 1000, ..State::default() }));
        let config = Arc::new(Config {
            base: base.clone(),
            owner: owner.into(),
            repo: repo.into(),
            token: token.into(),
            git_dir,
            default_branch: "main".into(),
            pages_branch: "gh-pages".into(),
        });
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (config, state) = (config.clone(), shared.clone());
                std::thread::spawn(move || serve(stream, &config, &state));
            }
        });
        GitHubStandIn { base, owner: owner.into(), repo: repo.into(), state }
    }

    /// The API base URL, as `GITHUB_API_URL` would give it.
    pub fn api_url(&self) -> String {
        format!("{}api", self.base)
    }

    /// The GitHub Pages site of the repository.
    pub fn pages_url(&self) -> String {
        format!("{}pages/", self.base)
    }

    /// Where a release asset is downloaded from.
    pub fn download_url(&self, tag: &str, name: &str) -> String {
        format!("{}{}/{}/releases/download/{tag}/{name}", self.base, self.owner, self.repo)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn releases(&self) -> Vec<StoredRelease> {
        self.state.lock().unwrap().releases.clone()
    }

    pub fn pulls(&self) -> Vec<StoredPull> {
        self.state.lock().unwrap().pulls.clone()
    }
}

struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

fn reply(status: u16, v: Value) -> Reply {
    Reply { status, content_type: "application/json; charset=utf-8", body: v.to_string().into_bytes() }
}

fn not_found() -> Reply {
    reply(404, json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}))
}

fn validation_failed(resource: &str, field: &str, code: &str) -> Reply {
    reply(
        422,
        json!({"message": "Validation Failed", "errors": [{"resource": resource, "code": code, "field": field}],
               "documentation_url": "https://docs.github.com/rest", "status": "422"}),
    )
}

fn serve(stream: TcpStream, config: &Config, state: &Mutex<State>) {
    let Some(req) = read_request(&stream) else { return };
    state.lock().unwrap().requests.push(req.clone());
    let r = route(&req, config, state);
    let status_text = match r.status {
        200 => "OK",
        201 => "Created",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        _ => "Error",
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {} {status_text}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        r.status,
        r.content_type,
        r.body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&r.body);
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, target, headers, body })
}

fn authorized(req: &Request, config: &Config) -> Option<Reply> {
    if req.header("user-agent").unwrap_or_default().is_empty() {
        return Some(reply(403, json!({"message": "Request forbidden by administrative rules. Please make sure your request has a User-Agent header"})));
    }
    let auth = req.header("authorization").unwrap_or_default();
    let ok = [format!("Bearer {}", config.token), format!("token {}", config.token)].iter().any(|w| w == auth);
    (!ok).then(|| reply(401, json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})))
}

fn route(req: &Request, config: &Config, state: &Mutex<State>) -> Reply {
    let (path, query) = req.target.split_once('?').unwrap_or((req.target.as_str(), ""));
    let segs: Vec<String> = path.trim_start_matches('/').split('/').map(percent_decode).collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let this_repo = |o: &str, r: &str| o == config.owner && r == config.repo;
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["pages", rest @ ..]) => pages_file(config, &rest.join("/")),
        ("GET", [o, r, "releases", "download", tag, name]) if this_repo(o, r) => download(state, tag, name),
        (_, ["api", ..]) | (_, ["uploads", ..]) => {
            if let Some(denied) = authorized(req, config) {
                return denied;
            }
            match (req.method.as_str(), &segs[1..]) {
                ("GET", ["repos", o, r, "releases", "tags", tag]) if this_repo(o, r) => {
                    let st = state.lock().unwrap();
                    match st.releases.iter().find(|x| x.tag_name == *tag) {
                        Some(rel) => reply(200, release_json(config, rel)),
                        None => not_found(),
                    }
                }
                ("GET", ["repos", o, r, "releases"]) if this_repo(o, r) => list_releases(config, state, query),
                ("POST", ["repos", o, r, "releases"]) if this_repo(o, r) => create_release(config, state, &req.json()),
                ("POST", ["repos", o, r, "releases", id, "assets"]) if this_repo(o, r) && segs[0] == "uploads" => {
                    upload_asset(config, state, id, query, req)
                }
                ("POST", ["repos", o, r, "pulls"]) if this_repo(o, r) => create_pull(config, state, &req.json()),
                _ => not_found(),
            }
        }
        _ => not_found(),
    }
}

fn git(config: &Config, args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("git").arg("--git-dir").arg(&config.git_dir).args(args).output().ok()?;
    out.status.success().then_some(out.stdout)
}

fn pages_file(config: &Config, path: &str) -> Reply {
    let spec = format!("refs/heads/{}:{}", config.pages_branch, path);
    match git(config, &["show", &spec]) {
        Some(data) => Reply { status: 200, content_type: "application/octet-stream", body: data },
        None => Reply { status: 404, content_type: "text/plain", body: b"404 Not Found".to_vec() },
    }
}

fn download(state: &Mutex<State>, tag: &str, name: &str) -> Reply {
    let st = state.lock().unwrap();
    let asset = st.releases.iter().filter(|r| r.tag_name == tag).flat_map(|r| r.assets.iter()).find(|a| a.name == name);
    match asset {
        Some(a) => Reply { status: 200, content_type: "application/octet-stream", body: a.data.clone() },
        None => Reply { status: 404, content_type: "text/plain", body: b"Not Found".to_vec() },
    }
}

fn release_json(config: &Config, r: &StoredRelease) -> Value {
    let repo_api = format!("{}api/repos/{}/{}", config.base, config.owner, config.repo);
    json!({
        "url": format!("{repo_api}/releases/{}", r.id),
        "html_url": format!("{}{}/{}/releases/tag/{}", config.base, config.owner, config.repo, r.tag_name),
        "upload_url": format!("{}uploads/repos/{}/{}/releases/{}/assets{{?name,label}}", config.base, config.owner, config.repo, r.id),
        "id": r.id,
        "tag_name": r.tag_name,
        "target_commitish": r.target_commitish,
        "name": r.name,
        "body": r.body,
        "draft": false,
        "prerelease": false,
        "assets": r.assets.iter().map(|a| asset_json(config, r, a)).collect::<Vec<_>>(),
    })
}

fn asset_json(config: &Config, r: &StoredRelease, a: &StoredAsset) -> Value {
    json!({
        "url": format!("{}api/repos/{}/{}/releases/assets/{}", config.base, config.owner, config.repo, a.id),
        "browser_download_url": format!("{}{}/{}/releases/download/{}/{}", config.base, config.owner, config.repo, r.tag_name, a.name),
        "id": a.id,
        "name": a.name,
        "label": "",
        "state": "uploaded",
        "content_type": a.content_type,
        "size": a.data.len(),
        "download_count": 0,
    })
}

fn list_releases(config: &Config, state: &Mutex<State>, query: &str) -> Reply {
    let q = parse_query(query);
    let per_page: usize = q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(30).clamp(1, 100);
    let page: usize = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let st = state.lock().unwrap();
    let all: Vec<Value> = st.releases.iter().rev().map(|r| release_json(config, r)).collect();
    let items: Vec<Value> = all.into_iter().skip((page - 1) * per_page).take(per_page).collect();
    reply(200, Value::Array(items))
}

fn create_release(config: &Config, state: &Mutex<State>, body: &Value) -> Reply {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let tag = text("tag_name");
    if tag.is_empty() {
        return validation_failed("Release", "tag_name", "missing_field");
    }
    let mut st = state.lock().unwrap();
    if st.releases.iter().any(|r| r.tag_name == tag) {
        return validation_failed("Release", "tag_name", "already_exists");
    }
    let target = match text("target_commitish") {
        t if t.is_empty() => config.default_branch.clone(),
        t => t,
    };
    // GitHub tags the target when the tag does not exist yet.
    let tag_ref = format!("refs/tags/{tag}");
    if git(config, &["rev-parse", "--verify", "--quiet", &tag_ref]).is_none() {
        let Some(commit) = git(config, &["rev-parse", "--verify", "--quiet", &format!("{target}^{{commit}}")]) else {
            return validation_failed("Release", "target_commitish", "invalid");
        };
        let commit = String::from_utf8_lossy(&commit).trim().to_string();
        if git(config, &["update-ref", &tag_ref, &commit]).is_none() {
            return reply(500, json!({"message": "could not create the tag"}));
        }
    }
    st.next_id += 1;
    let rel = StoredRelease {
        id: st.next_id,
        tag_name: tag,
        name: text("name"),
        body: text("body"),
        target_commitish: target,
        generate_release_notes: body.get("generate_release_notes").and_then(Value::as_bool).unwrap_or(false),
        make_latest: body.get("make_latest").and_then(Value::as_str).unwrap_or("true").to_string(),
        assets: Vec::new(),
    };
    let v = release_json(config, &rel);
    st.releases.push(rel);
    reply(201, v)
}

fn upload_asset(config: &Config, state: &Mutex<State>, id: &str, query: &str, req: &Request) -> Reply {
    let q = parse_query(query);
    let Some(name) = q.get("name").filter(|n| !n.is_empty()).cloned() else {
        return validation_failed("ReleaseAsset", "name", "missing_field");
    };
    let mut st = state.lock().unwrap();
    st.next_id += 1;
    let asset_id = st.next_id;
    let Some(rel) = st.releases.iter_mut().find(|r| r.id.to_string() == id) else { return not_found() };
    if rel.assets.iter().any(|a| a.name == name) {
        return validation_failed("ReleaseAsset", "name", "already_exists");
    }
    let content_type = req.header("content-type").unwrap_or("application/octet-stream").to_string();
    rel.assets.push(StoredAsset { id: asset_id, name, content_type, data: req.body.clone() });
    let (rel, asset) = (rel.clone(), rel.assets.last().unwrap().clone());
    reply(201, asset_json(config, &rel, &asset))
}

fn create_pull(config: &Config, state: &Mutex<State>, body: &Value) -> Reply {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (head, base) = (text("head"), text("base"));
    for (field, branch) in [("head", &head), ("base", &base)] {
        if git(config, &["rev-parse", "--verify", "--quiet", &format!("refs/heads/{branch}")]).is_none() {
            return validation_failed("PullRequest", field, "invalid");
        }
    }
    let mut st = state.lock().unwrap();
    let number = st.pulls.len() as u64 + 1;
    st.pulls.push(StoredPull { number, title: text("title"), body: text("body"), head: head.clone(), base: base.clone() });
    reply(
        201,
        json!({
            "number": number,
            "state": "open",
            "title": text("title"),
            "html_url": format!("{}{}/{}/pull/{number}", config.base, config.owner, config.repo),
            "head": {"ref": head},
            "base": {"ref": base},
        }),
    )
}

fn parse_query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
