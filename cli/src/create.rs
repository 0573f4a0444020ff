//! `rhelm create NAME`: a new chart from the built-in scaffold.

use std::io::Write;

#[derive(clap::Args)]
pub struct Args {
    /// The chart to create: its name, or a path whose last element is the name
    name: String,
    /// the name or absolute path to Helm starter scaffold
    #[arg(short = 'p', long)]
    starter: Option<String>,
}

/// Prints Helm's progress and warnings on stdout; the error, if any, is
/// returned for `main` to print.
pub fn run(args: &Args) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Creating {}", args.name);
    let cwd = std::env::current_dir().map_err(|e| format!("getwd: {e}"))?;
    if let Some(starter) = args.starter.as_deref().filter(|s| !s.is_empty()) {
        let dir = rhelm_chart::create::default_starter_dir();
        return rhelm_chart::create::create_from_starter(&args.name, starter, &dir, &cwd)
            .map(|_| ())
            .map_err(|e| e.to_string());
    }
    rhelm_chart::create::create(&args.name, &cwd, &mut out).map(|_| ()).map_err(|e| e.to_string())
}
