//! `rhelm create NAME`: a new chart from the built-in scaffold.

use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The chart to create: its name, or a path whose last element is the name
    name: String,
    /// the name or absolute path to Helm starter scaffold (not supported yet)
    #[arg(short = 'p', long)]
    starter: Option<String>,
}

/// Prints Helm's progress and warnings on stdout; the error, if any, is
/// returned for `main` to print.
pub fn run(args: &Args) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Creating {}", args.name);
    if args.starter.is_some() {
        return Err("--starter is not supported by rhelm yet".into());
    }
    let cwd = std::env::current_dir().map_err(|e| format!("getwd: {e}"))?;
    rhelm_chart::create::create(&args.name, &cwd, &mut out).map(|_| ()).map_err(|e| e.to_string())
}
