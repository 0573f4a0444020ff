//! `rhelm dependency list|update|build`: a chart's dependencies.

use std::path::PathBuf;

use clap::Subcommand;
use rhelm_repository::dependency::{self, Manager};

use crate::releases::{self, Global};
use crate::repo::Outcome;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: DependencyCommand,
}

#[derive(Subcommand)]
enum DependencyCommand {
    /// list the dependencies for the given chart
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// update charts/ based on the contents of Chart.yaml
    #[command(visible_alias = "up")]
    Update(UpdateArgs),
    /// rebuild the charts/ directory based on the Chart.lock file
    Build(UpdateArgs),
}

#[derive(clap::Args)]
struct ListArgs {
    #[arg(default_value = ".")]
    chart: PathBuf,
    /// maximum column width for output table
    #[arg(long, default_value_t = 80)]
    max_col_width: usize,
    #[command(flatten)]
    global: Global,
}

#[derive(clap::Args)]
struct UpdateArgs {
    #[arg(default_value = ".")]
    chart: PathBuf,
    /// do not refresh the local repository cache
    #[arg(long)]
    skip_refresh: bool,
    /// verify the packages against signatures
    #[arg(long)]
    verify: bool,
    /// keyring containing public keys
    #[arg(long)]
    keyring: Option<String>,
    /// use insecure HTTP connections for the chart download
    #[arg(long)]
    plain_http: bool,
    #[command(flatten)]
    global: Global,
}

pub fn run(args: &Args) -> Outcome {
    let mut o = Outcome { stdout: String::new(), stderr: String::new(), error: None };
    let result = match &args.command {
        DependencyCommand::List(a) => list(a, &mut o),
        DependencyCommand::Update(a) => manage(a, &mut o, false),
        DependencyCommand::Build(a) => manage(a, &mut o, true),
    };
    o.error = result.err();
    o
}

fn list(a: &ListArgs, o: &mut Outcome) -> Result<(), String> {
    let listing = dependency::list(&a.chart)?;
    if let Some(w) = listing.no_dependencies {
        o.stdout.push_str(&w);
        o.stdout.push('\n');
        return Ok(());
    }
    let mut rows = vec![vec!["NAME".to_string(), "VERSION".into(), "REPOSITORY".into(), "STATUS".into()]];
    rows.extend(listing.rows.into_iter().map(|r| vec![r.name, r.version, r.repository, r.status]));
    // uitable's String() has no final newline; Helm prints it with Println, then a blank line.
    o.stdout.push_str(&releases::table_max(&rows, a.max_col_width));
    o.stdout.push('\n');
    for w in listing.warnings {
        o.stdout.push_str(&w);
        o.stdout.push('\n');
    }
    Ok(())
}

fn manage(a: &UpdateArgs, o: &mut Outcome, build: bool) -> Result<(), String> {
    if a.verify {
        return Err("--verify is not supported by rhelm yet: chart signatures cannot be checked".into());
    }
    let mut m = Manager::new(&a.chart, releases::repo_settings(&a.global));
    m.skip_update = a.skip_refresh;
    m.plain_http = a.plain_http;
    m.source_date_epoch = rhelm_chart::package::source_date_epoch()?;
    let r = if build { m.build() } else { m.update() };
    o.stdout.push_str(&m.out);
    r
}
