//! The few GitHub REST endpoints a chart release needs: releases (get by
//! tag, list, create), release assets (upload) and pull requests (create).
//!
//! Requests follow GitHub's REST documentation (API version 2022-11-28):
//! `Authorization: Bearer`, `Accept: application/vnd.github+json`, and a
//! User-Agent, which GitHub requires. Assets go to the `upload_url` the
//! release itself names, so GitHub Enterprise (whose uploads live under
//! `/api/uploads`) needs nothing but its API base URL.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;
use serde_json::{json, Value};

const API_VERSION: &str = "2022-11-28";

/// The public GitHub API; Actions gives the right one as `GITHUB_API_URL`.
pub const DEFAULT_API_URL: &str = "https://api.github.com/";

#[derive(Debug)]
pub struct GitHubError(pub String);

impl fmt::Display for GitHubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitHubError {}

type Result<T> = std::result::Result<T, GitHubError>;

/// A release as the API describes it, reduced to what releasing needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub id: u64,
    pub tag_name: String,
    pub html_url: String,
    upload_url: String,
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub name: String,
    pub browser_download_url: String,
}

/// What a new release is made of (`POST /repos/{owner}/{repo}/releases`).
#[derive(Debug, Clone, Default)]
pub struct NewRelease {
    pub tag_name: String,
    pub name: String,
    pub body: String,
    /// The commit the tag is created on; empty means the default branch.
    pub target_commitish: String,
    pub generate_release_notes: bool,
    pub make_latest: bool,
}

pub struct GitHub {
    http: Client,
    api: String,
    owner: String,
    repo: String,
    token: String,
}

impl GitHub {
    /// A client for `owner/repo` at `api_url` (`https://api.github.com/`, or
    /// `https://HOST/api/v3/` for GitHub Enterprise).
    pub fn new(api_url: &str, owner: &str, repo: &str, token: &str) -> Result<GitHub> {
        let http = Client::builder()
            .user_agent(concat!("rhelm/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| GitHubError(format!("cannot set up the HTTP client: {e}")))?;
        let mut api = api_url.trim().to_string();
        if !api.ends_with('/') {
            api.push('/');
        }
        if !(api.starts_with("https://") || api.starts_with("http://")) {
            return Err(GitHubError(format!("GitHub API URL {api_url:?} is not an http(s) URL")));
        }
        Ok(GitHub { http, api, owner: owner.to_string(), repo: repo.to_string(), token: token.to_string() })
    }

    fn repo_url(&self, rest: &str) -> String {
        format!("{}repos/{}/{}/{}", self.api, self.owner, self.repo, rest)
    }

    fn authorized(&self, req: RequestBuilder) -> RequestBuilder {
        req.bearer_auth(&self.token)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION)
    }

    fn send(&self, what: &str, url: &str, req: RequestBuilder) -> Result<Response> {
        self.authorized(req).send().map_err(|e| GitHubError(format!("{what} ({url}): {}", error_chain(&e))))
    }

    /// The release whose tag is `tag`, or None when there is none.
    pub fn release_by_tag(&self, tag: &str) -> Result<Option<Release>> {
        let url = self.repo_url(&format!("releases/tags/{}", path_segment(tag)));
        let resp = self.send("getting release", &url, self.http.get(&url))?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let v = expect_json(resp, "getting release", &url, StatusCode::OK)?;
        parse_release(&v).map(Some)
    }

    /// Every release of the repository, following GitHub's pagination.
    pub fn releases(&self) -> Result<Vec<Release>> {
        let mut all = Vec::new();
        for page in 1.. {
            let url = self.repo_url(&format!("releases?per_page=100&page={page}"));
            let resp = self.send("listing releases", &url, self.http.get(&url))?;
            let v = expect_json(resp, "listing releases", &url, StatusCode::OK)?;
            let items = v.as_array().ok_or_else(|| GitHubError(format!("listing releases ({url}): the answer is not a list")))?;
            for item in items {
                all.push(parse_release(item)?);
            }
            if items.len() < 100 {
                break;
            }
        }
        Ok(all)
    }

    pub fn create_release(&self, new: &NewRelease) -> Result<Release> {
        let url = self.repo_url("releases");
        let mut body = json!({
            "tag_name": new.tag_name,
            "name": new.name,
            "body": new.body,
            "draft": false,
            "prerelease": false,
            "generate_release_notes": new.generate_release_notes,
            "make_latest": if new.make_latest { "true" } else { "false" },
        });
        if !new.target_commitish.is_empty() {
            body["target_commitish"] = json!(new.target_commitish);
        }
        let what = format!("creating release {}", new.tag_name);
        let resp = self.send(&what, &url, self.http.post(&url).json_body(&body))?;
        let v = expect_json(resp, &what, &url, StatusCode::CREATED)?;
        parse_release(&v)
    }

    /// Uploads `file` as an asset of `release`, named as the file.
    pub fn upload_asset(&self, release: &Release, file: &Path) -> Result<Asset> {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| GitHubError(format!("{}: not a file name GitHub accepts", file.display())))?;
        let data = std::fs::read(file).map_err(|e| GitHubError(format!("reading {}: {e}", file.display())))?;
        // upload_url is an RFC 6570 template: `.../assets{?name,label}`.
        let base = release.upload_url.split('{').next().unwrap_or_default();
        let url = format!("{base}?name={}", query_value(name));
        let what = format!("uploading {name} to release {}", release.tag_name);
        let req = self.http.post(&url).header("Content-Type", content_type(name)).body(data);
        let resp = self.send(&what, &url, req)?;
        let v = expect_json(resp, &what, &url, StatusCode::CREATED)?;
        parse_asset(&v)
    }

    /// Opens a pull request from `head` into `base`; returns its web URL.
    pub fn create_pull_request(&self, title: &str, body: &str, head: &str, base: &str) -> Result<String> {
        let url = self.repo_url("pulls");
        let req = self.http.post(&url).json_body(&json!({"title": title, "body": body, "head": head, "base": base}));
        let what = format!("creating a pull request from {head} into {base}");
        let resp = self.send(&what, &url, req)?;
        let v = expect_json(resp, &what, &url, StatusCode::CREATED)?;
        string_field(&v, "html_url", "pull request")
    }
}

trait JsonBody {
    fn json_body(self, v: &Value) -> Self;
}

impl JsonBody for RequestBuilder {
    fn json_body(self, v: &Value) -> Self {
        self.header("Content-Type", "application/json").body(v.to_string())
    }
}

fn expect_json(resp: Response, what: &str, url: &str, want: StatusCode) -> Result<Value> {
    let status = resp.status();
    let text = resp.text().map_err(|e| GitHubError(format!("{what} ({url}): reading the answer: {e}")))?;
    if status != want {
        return Err(GitHubError(format!("{what}: {url}: {status}{}", api_message(&text))));
    }
    serde_json::from_str(&text).map_err(|e| GitHubError(format!("{what} ({url}): the answer is not JSON: {e}")))
}

/// GitHub's error documents: `{"message": ..., "errors": [{"code": ...}]}`.
fn api_message(text: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(text) else { return String::new() };
    let mut out = String::new();
    if let Some(m) = v.get("message").and_then(Value::as_str) {
        out.push_str(": ");
        out.push_str(m);
    }
    for e in v.get("errors").and_then(Value::as_array).into_iter().flatten() {
        let part = [e.get("field"), e.get("code"), e.get("message")]
            .iter()
            .filter_map(|x| x.and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        if !part.is_empty() {
            out.push_str(&format!(" ({part})"));
        }
    }
    out
}

fn string_field(v: &Value, key: &str, what: &str) -> Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| GitHubError(format!("the {what} GitHub returned has no {key}")))
}

fn parse_release(v: &Value) -> Result<Release> {
    let id = v.get("id").and_then(Value::as_u64).ok_or_else(|| GitHubError("the release GitHub returned has no id".into()))?;
    let assets = v.get("assets").and_then(Value::as_array).map(|a| a.iter().map(parse_asset).collect()).unwrap_or(Ok(Vec::new()))?;
    Ok(Release {
        id,
        tag_name: string_field(v, "tag_name", "release")?,
        html_url: v.get("html_url").and_then(Value::as_str).unwrap_or_default().to_string(),
        upload_url: string_field(v, "upload_url", "release")?,
        assets,
    })
}

fn parse_asset(v: &Value) -> Result<Asset> {
    Ok(Asset { name: string_field(v, "name", "asset")?, browser_download_url: string_field(v, "browser_download_url", "asset")? })
}

/// Chart archives are gzip; provenance files are text.
fn content_type(name: &str) -> &'static str {
    if name.ends_with(".tgz") || name.ends_with(".gz") {
        "application/gzip"
    } else if name.ends_with(".prov") {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn path_segment(s: &str) -> String {
    encode(s, b"")
}

fn query_value(s: &str) -> String {
    encode(s, b"")
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_documents_read_as_one_line() {
        let doc = r#"{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}]}"#;
        assert_eq!(api_message(doc), ": Validation Failed (tag_name already_exists)");
        assert_eq!(api_message("not json"), "");
    }

    #[test]
    fn names_are_percent_encoded() {
        assert_eq!(path_segment("hello-0.1.0+build.1"), "hello-0.1.0%2Bbuild.1");
        assert_eq!(query_value("a b.tgz"), "a%20b.tgz");
    }

    #[test]
    fn base_url_gets_its_slash_and_must_be_http() {
        let gh = GitHub::new("https://ghe.example.com/api/v3", "o", "r", "t").unwrap();
        assert_eq!(gh.repo_url("releases"), "https://ghe.example.com/api/v3/repos/o/r/releases");
        assert!(GitHub::new("ftp://x", "o", "r", "t").is_err());
    }
}
