//! The `rhelm` command line: argument parsing and output only.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod render_template;
mod template;

#[derive(Parser)]
#[command(name = "rhelm", about = "A Helm-compatible chart templating and release engine", disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the client version information
    Version {
        /// print the version number only
        #[arg(long)]
        short: bool,
    },
    /// locally render templates
    Template(Box<template::Args>),
    /// Render one template file with a values file (a developer tool)
    #[command(hide = true, name = "render-template")]
    RenderTemplate(render_template::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Version { short } => {
            let v = env!("CARGO_PKG_VERSION");
            if short {
                println!("v{v}");
            } else {
                println!("version.BuildInfo{{Version:\"v{v}\", Engine:\"rhelm\"}}");
            }
            ExitCode::SUCCESS
        }
        Command::Template(args) => {
            let out = template::run(&args);
            eprint!("{}", out.stderr);
            print!("{}", out.stdout);
            match out.error {
                None => ExitCode::SUCCESS,
                Some(e) => {
                    eprintln!("Error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::RenderTemplate(args) => match render_template::run(&args) {
            Ok(out) => {
                print!("{out}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
