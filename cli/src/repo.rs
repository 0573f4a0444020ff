//! `rhelm repo`: add, list, update, remove and index chart repositories,
//! in the user's repositories.yaml and repository cache, as helm keeps them.

use std::io::Read;
use std::path::PathBuf;

use clap::Subcommand;
use rhelm_repository::index::{index_directory, IndexFile};
use rhelm_repository::repo_file::{Entry, RepoFile};
use rhelm_repository::{cache, settings::Settings};
use rhelm_template::Value;

use crate::releases::{self, Global};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: RepoCommand,
    #[command(flatten)]
    global: Global,
}

#[derive(Subcommand)]
enum RepoCommand {
    /// add a chart repository
    Add(AddArgs),
    /// list chart repositories
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// update information of available charts locally from chart repositories
    #[command(visible_alias = "up")]
    Update(UpdateArgs),
    /// remove one or more chart repositories
    #[command(visible_alias = "rm")]
    Remove(RemoveArgs),
    /// generate an index file given a directory containing packaged charts
    Index(IndexArgs),
}

#[derive(clap::Args)]
struct AddArgs {
    name: String,
    url: String,
    /// chart repository username
    #[arg(long)]
    username: Option<String>,
    /// chart repository password
    #[arg(long)]
    password: Option<String>,
    /// read chart repository password from stdin
    #[arg(long)]
    password_stdin: bool,
    /// replace (overwrite) the repo if it already exists
    #[arg(long)]
    force_update: bool,
    /// identify HTTPS client using this SSL certificate file
    #[arg(long)]
    cert_file: Option<String>,
    /// identify HTTPS client using this SSL key file
    #[arg(long)]
    key_file: Option<String>,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long)]
    ca_file: Option<String>,
    /// skip tls certificate checks for the repository
    #[arg(long)]
    insecure_skip_tls_verify: bool,
    /// by default, this command will not allow adding official repos that have been permanently deleted
    #[arg(long)]
    allow_deprecated_repos: bool,
    /// pass credentials to all domains
    #[arg(long)]
    pass_credentials: bool,
}

#[derive(clap::Args)]
struct ListArgs {
    /// prints the output in the specified format. Allowed values: table, json, yaml
    #[arg(short = 'o', long, default_value = "table")]
    output: String,
    /// suppress headers in the output
    #[arg(long)]
    no_headers: bool,
}

#[derive(clap::Args)]
struct UpdateArgs {
    names: Vec<String>,
}

#[derive(clap::Args)]
struct RemoveArgs {
    #[arg(required = true)]
    names: Vec<String>,
}

#[derive(clap::Args)]
struct IndexArgs {
    /// directory holding the chart archives
    dir: PathBuf,
    /// url of chart repository
    #[arg(long)]
    url: Option<String>,
    /// merge the generated index into the given index
    #[arg(long)]
    merge: Option<PathBuf>,
    /// output in JSON format
    #[arg(long)]
    json: bool,
}

/// What a command printed before it ended, and how it ended.
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub error: Option<String>,
}

pub fn run(args: &Args) -> Outcome {
    let s = releases::repo_settings(&args.global);
    let mut o = Outcome { stdout: String::new(), stderr: String::new(), error: None };
    let result = match &args.command {
        RepoCommand::Add(a) => add(a, &s, &mut o),
        RepoCommand::List(a) => list(a, &s, &mut o),
        RepoCommand::Update(a) => update(a, &s, &mut o),
        RepoCommand::Remove(a) => remove(a, &s, &mut o),
        RepoCommand::Index(a) => index(a),
    };
    o.error = result.err();
    o
}

/// Official repositories that no longer exist (Helm refuses them).
const DEPRECATED_REPOS: &[(&str, &str)] = &[
    ("//kubernetes-charts.storage.googleapis.com", "https://charts.helm.sh/stable"),
    ("//kubernetes-charts-incubator.storage.googleapis.com", "https://charts.helm.sh/incubator"),
];

fn add(a: &AddArgs, s: &Settings, o: &mut Outcome) -> Result<(), String> {
    if !a.allow_deprecated_repos {
        if let Some((_, new)) = DEPRECATED_REPOS.iter().find(|(old, _)| a.url.contains(old)) {
            return Err(format!("repo {:?} is no longer available; try {new:?} instead", a.url));
        }
    }
    // Helm serialises edits of repositories.yaml with a lock file beside it.
    let _lock = lock_repo_file(&s.repository_config)?;
    let mut f = RepoFile::load(&s.repository_config)?;
    let username = a.username.clone().unwrap_or_default();
    let mut password = a.password.clone().unwrap_or_default();
    if !username.is_empty() && password.is_empty() {
        if !a.password_stdin {
            return Err("a password is needed: pass --password or --password-stdin".into());
        }
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| e.to_string())?;
        password = text.strip_suffix('\n').unwrap_or(&text).strip_suffix('\r').unwrap_or(text.strip_suffix('\n').unwrap_or(&text)).to_string();
    }
    let entry = Entry {
        name: a.name.clone(),
        url: a.url.clone(),
        username,
        password,
        pass_credentials_all: a.pass_credentials,
        cert_file: a.cert_file.clone().unwrap_or_default(),
        key_file: a.key_file.clone().unwrap_or_default(),
        ca_file: a.ca_file.clone().unwrap_or_default(),
        insecure_skip_tls_verify: a.insecure_skip_tls_verify,
    };
    if a.name.contains('/') {
        return Err(format!("repository name ({}) contains '/', please specify a different name without '/'", a.name));
    }
    if !a.force_update {
        if let Some(existing) = f.get(&a.name) {
            if *existing != entry {
                return Err(format!("repository name ({}) already exists, please specify a different name", a.name));
            }
            o.stdout.push_str(&format!("{:?} already exists with the same configuration, skipping\n", a.name));
            return Ok(());
        }
    }
    cache::download_index(&entry, &s.repository_cache).map_err(|e| format!("looks like {:?} is not a valid chart repository or cannot be reached: {e}", a.url))?;
    f.update(entry);
    f.write(&s.repository_config)?;
    o.stdout.push_str(&format!("{:?} has been added to your repositories\n", a.name));
    Ok(())
}

/// Holds an exclusive lock on `repositories.lock` until dropped.
fn lock_repo_file(repo_file: &std::path::Path) -> Result<std::fs::File, String> {
    let path = rhelm_repository::repo_file::lock_path(repo_file);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.lock().map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(f)
}

fn list(a: &ListArgs, s: &Settings, o: &mut Outcome) -> Result<(), String> {
    let format = releases::parse_format(&a.output).map_err(|e| e.to_string())?;
    let f = RepoFile::load_existing(&s.repository_config).unwrap_or_default();
    // encoding/json keeps the struct's field order: name, then url.
    let items: Vec<String> = f.repositories.iter().map(|r| format!("{{\"name\":{},\"url\":{}}}", releases::json_quote(&r.name), releases::json_quote(&r.url))).collect();
    match format {
        releases::Format::Table => {
            if f.repositories.is_empty() {
                o.stderr.push_str("no repositories to show\n");
                return Ok(());
            }
            let mut table = Vec::new();
            if !a.no_headers {
                table.push(vec!["NAME".to_string(), "URL".to_string()]);
            }
            table.extend(f.repositories.iter().map(|r| vec![r.name.clone(), r.url.clone()]));
            o.stdout.push_str(&releases::table(&table));
        }
        releases::Format::Json => o.stdout.push_str(&format!("[{}]\n", items.join(","))),
        releases::Format::Yaml => {
            let rows: Vec<Value> = items.iter().map(|j| releases::json_value(j).unwrap_or(Value::Nil)).collect();
            o.stdout.push_str(&releases::encode_yaml(&Value::list(rows))?)
        }
    }
    Ok(())
}


fn update(a: &UpdateArgs, s: &Settings, o: &mut Outcome) -> Result<(), String> {
    let f = match RepoFile::load_existing(&s.repository_config) {
        Ok(f) if !f.repositories.is_empty() => f,
        Ok(_) => return Err("no repositories found. You must add one before updating".into()),
        Err(_) if !s.repository_config.exists() => return Err("no repositories found. You must add one before updating".into()),
        Err(e) => return Err(format!("failed loading file: {}: {e}", s.repository_config.display())),
    };
    for name in &a.names {
        if !f.has(name) {
            return Err(format!("no repositories found matching '{name}'.  Nothing will be updated"));
        }
    }
    o.stdout.push_str("Hang tight while we grab the latest from your chart repositories...\n");
    let chosen: Vec<&Entry> = f.repositories.iter().filter(|e| a.names.is_empty() || a.names.contains(&e.name)).collect();
    // Each repository downloads on its own thread, as helm does; lines are
    // printed in repositories.yaml order.
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = chosen.iter().map(|e| scope.spawn(|| cache::download_index(e, &s.repository_cache))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("download thread failed".into()))).collect()
    });
    let mut failed = Vec::new();
    for (e, r) in chosen.iter().zip(results) {
        match r {
            Ok(()) => o.stdout.push_str(&format!("...Successfully got an update from the {:?} chart repository\n", e.name)),
            Err(err) => {
                o.stdout.push_str(&format!("...Unable to get an update from the {:?} chart repository ({}):\n\t{err}\n", e.name, e.url));
                failed.push(e.url.clone());
            }
        }
    }
    if !failed.is_empty() {
        return Err(format!("failed to update the following repositories: [{}]", failed.join(" ")));
    }
    o.stdout.push_str("Update Complete. ⎈Happy Helming!⎈\n");
    Ok(())
}

fn remove(a: &RemoveArgs, s: &Settings, o: &mut Outcome) -> Result<(), String> {
    let mut f = match RepoFile::load_existing(&s.repository_config) {
        Ok(f) if !f.repositories.is_empty() => f,
        _ => return Err("no repositories configured".into()),
    };
    for name in &a.names {
        if !f.remove(name) {
            return Err(format!("no repo named {name:?} found"));
        }
        f.write(&s.repository_config)?;
        cache::remove(&s.repository_cache, name)?;
        o.stdout.push_str(&format!("{name:?} has been removed from your repositories\n"));
    }
    Ok(())
}

/// `helm repo index`: indexes DIR's archives into DIR/index.yaml, taking
/// from `--merge` only the versions not indexed afresh.
fn index(a: &IndexArgs) -> Result<(), String> {
    let dir = std::path::absolute(&a.dir).map_err(|e| e.to_string())?;
    let out = dir.join("index.yaml");
    let mut index = index_directory(&dir, a.url.as_deref().unwrap_or("")).map_err(|e| e.to_string())?;
    if let Some(merge) = &a.merge {
        let existing = if merge.exists() {
            IndexFile::load(merge).map_err(|e| e.to_string())?.0
        } else {
            // Helm writes an empty index there first.
            let empty = IndexFile::new();
            empty.write(merge, a.json).map_err(|e| e.to_string())?;
            empty
        };
        index.merge(&existing);
    }
    index.sort_entries();
    index.write(&out, a.json).map_err(|e| e.to_string())?;
    Ok(())
}
