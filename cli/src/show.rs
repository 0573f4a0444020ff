//! `rhelm show chart|values|readme|crds|all CHART`.

use clap::Subcommand;
use rhelm_chart::show::{locate_local, show, ShowFormat};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Args)]
pub struct ChartArg {
    /// A chart directory or packaged chart
    chart: String,
    #[command(flatten)]
    flags: crate::pull::ChartFlags,
    #[command(flatten)]
    global: crate::releases::Global,
}

#[derive(clap::Args)]
pub struct ValuesArgs {
    /// A chart directory or packaged chart
    chart: String,
    #[command(flatten)]
    flags: crate::pull::ChartFlags,
    #[command(flatten)]
    global: crate::releases::Global,
    /// supply a JSONPath expression to filter the output
    #[arg(long)]
    jsonpath: Option<String>,
}

#[derive(Subcommand)]
enum What {
    /// show all information of the chart
    All(ChartArg),
    /// show the chart's definition
    Chart(ChartArg),
    /// show the chart's values
    Values(ValuesArgs),
    /// show the chart's README
    Readme(ChartArg),
    /// show the chart's CRDs
    Crds(ChartArg),
}

pub fn run(args: &Args) -> Result<String, String> {
    let (chart, format, jsonpath, flags, global) = match &args.what {
        What::All(a) => (&a.chart, ShowFormat::All, None, &a.flags, &a.global),
        What::Chart(a) => (&a.chart, ShowFormat::Chart, None, &a.flags, &a.global),
        What::Values(a) => (&a.chart, ShowFormat::Values, a.jsonpath.as_deref(), &a.flags, &a.global),
        What::Readme(a) => (&a.chart, ShowFormat::Readme, None, &a.flags, &a.global),
        What::Crds(a) => (&a.chart, ShowFormat::Crds, None, &a.flags, &a.global),
    };
    let cwd = std::env::current_dir().map_err(|e| format!("getwd: {e}"))?;
    let located = crate::pull::locate(chart, flags, global)?;
    let path = locate_local(&located, &cwd)?;
    // Loading notices are log lines Helm writes to stderr as it loads.
    let mut notices = Vec::new();
    let loaded = rhelm_chart::load::load_v2_with_notices(&path, &mut notices);
    for n in &notices {
        eprintln!("{n}");
    }
    let loaded = loaded.map_err(|e| e.to_string())?;
    show(&loaded, format, jsonpath)
}
