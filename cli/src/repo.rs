//! `rhelm repo`: the chart repository commands.

use std::path::PathBuf;

use clap::Subcommand;
use rhelm_repository::index::{index_directory, IndexFile};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: RepoCommand,
}

#[derive(Subcommand)]
enum RepoCommand {
    /// generate an index file given a directory containing packaged charts
    Index(IndexArgs),
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

pub fn run(args: &Args) -> Result<String, String> {
    match &args.command {
        RepoCommand::Index(a) => index(a),
    }
}

/// `helm repo index`: indexes DIR's archives into DIR/index.yaml, taking
/// from `--merge` only the versions not indexed afresh.
fn index(a: &IndexArgs) -> Result<String, String> {
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
    Ok(String::new())
}
