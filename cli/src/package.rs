//! `rhelm package`: chart directories into versioned archives.

use std::path::PathBuf;

use rhelm_chart::package::{self, PackageOptions};

#[derive(clap::Args)]
pub struct Args {
    /// chart directories to package
    #[arg(value_name = "CHART_PATH")]
    paths: Vec<PathBuf>,
    /// set the version on the chart to this semver version
    #[arg(long)]
    version: Option<String>,
    /// set the appVersion on the chart to this version
    #[arg(long)]
    app_version: Option<String>,
    /// location to write the chart.
    #[arg(short = 'd', long, default_value = ".")]
    destination: PathBuf,
    /// update dependencies from "Chart.yaml" to dir "charts/" before packaging
    #[arg(short = 'u', long)]
    dependency_update: bool,
    #[command(flatten)]
    global: crate::releases::Global,
}

/// Packages each chart in turn, printing where it went, as helm does.
pub fn run(args: &Args) -> Result<String, String> {
    if args.paths.is_empty() {
        return Err("need at least one argument, the path to the chart".into());
    }
    let epoch = package::source_date_epoch()?;
    let mut out = String::new();
    for path in &args.paths {
        if let Err(e) = std::fs::metadata(path) {
            return Err(format!("stat {}: {}", path.display(), go_io_error(&e)));
        }
        if args.dependency_update {
            // Helm discards the manager's output here.
            let mut m = rhelm_repository::dependency::Manager::new(path, crate::releases::repo_settings(&args.global));
            m.source_date_epoch = epoch;
            m.update()?;
        }
        let opts = PackageOptions {
            version: args.version.clone(),
            app_version: args.app_version.clone(),
            destination: args.destination.clone(),
            source_date_epoch: epoch,
        };
        let written = package::package(path, &opts).map_err(|e| e.to_string())?;
        out.push_str(&format!("Successfully packaged chart and saved it to: {}\n", written.display()));
    }
    Ok(out)
}

/// Go's wording of the common file errors.
fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
