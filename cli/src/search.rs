//! `rhelm search repo`: search the cached indexes of the added repositories.

use clap::Subcommand;
use rhelm_repository::search::{search_repo, SearchOptions};
use rhelm_template::Value;

use crate::releases::{self, Global};
use crate::repo::Outcome;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: SearchCommand,
}

#[derive(Subcommand)]
enum SearchCommand {
    /// search repositories for a keyword in charts
    Repo(RepoArgs),
}

#[derive(clap::Args)]
struct RepoArgs {
    keywords: Vec<String>,
    /// use regular expressions for searching repositories you have added
    #[arg(short = 'r', long)]
    regexp: bool,
    /// use development versions (alpha, beta, and release candidate releases), too
    #[arg(long)]
    devel: bool,
    /// show the long listing, with each version of each chart on its own line
    #[arg(short = 'l', long)]
    versions: bool,
    /// search using semantic versioning constraints on repositories you have added
    #[arg(long)]
    version: Option<String>,
    /// maximum column width for output table
    #[arg(long, default_value_t = 50)]
    max_col_width: usize,
    /// search fails if no results are found
    #[arg(long)]
    fail_on_no_result: bool,
    /// prints the output in the specified format. Allowed values: table, json, yaml
    #[arg(short = 'o', long, default_value = "table")]
    output: String,
    #[command(flatten)]
    global: Global,
}

pub fn run(args: &Args) -> Outcome {
    let SearchCommand::Repo(a) = &args.command;
    let mut o = Outcome { stdout: String::new(), stderr: String::new(), error: None };
    if let Err(e) = repo(a, &mut o) {
        o.error = Some(e);
    }
    o
}

fn repo(a: &RepoArgs, o: &mut Outcome) -> Result<(), String> {
    let format = releases::parse_format(&a.output).map_err(|e| e.to_string())?;
    let s = releases::repo_settings(&a.global);
    let opts = SearchOptions { regexp: a.regexp, versions: a.versions, devel: a.devel, version: a.version.clone().unwrap_or_default() };
    let (results, warnings) = search_repo(&s.repository_config, &s.repository_cache, &a.keywords, &opts)?;
    for w in warnings {
        o.stderr.push_str(&format!("level=WARN msg=\"{w}\"\n"));
    }
    if results.is_empty() && a.fail_on_no_result {
        return Err("no results found".into());
    }
    match format {
        releases::Format::Table => {
            if results.is_empty() {
                o.stdout.push_str("No results found\n");
                return Ok(());
            }
            let mut rows = vec![vec!["NAME".into(), "CHART VERSION".into(), "APP VERSION".into(), "DESCRIPTION".into()]];
            rows.extend(results.iter().map(|r| {
                vec![r.name.clone(), r.chart.version().to_string(), r.chart.metadata.app_version.clone(), r.chart.metadata.description.clone()]
            }));
            o.stdout.push_str(&releases::table_max(&rows, a.max_col_width));
        }
        releases::Format::Json | releases::Format::Yaml => {
            let items: Vec<String> = results
                .iter()
                .map(|r| {
                    let fields = [
                        ("name", r.name.as_str()),
                        ("version", r.chart.version()),
                        ("app_version", r.chart.metadata.app_version.as_str()),
                        ("description", r.chart.metadata.description.as_str()),
                    ];
                    let body: Vec<String> = fields.iter().map(|(k, v)| format!("{:?}:{}", k, releases::json_quote(v))).collect();
                    format!("{{{}}}", body.join(","))
                })
                .collect();
            if matches!(format, releases::Format::Json) {
                // encoding/json keeps the struct's field order.
                o.stdout.push_str(&format!("[{}]\n", items.join(",")));
            } else {
                let items: Vec<Value> = items.iter().map(|j| releases::json_value(j).unwrap_or(Value::Nil)).collect();
                o.stdout.push_str(&releases::encode_yaml(&Value::list(items))?);
            }
        }
    }
    Ok(())
}

