//! `rhelm registry login|logout`: credentials for OCI registries, in
//! Helm's registry config (docker's config.json), so a login by either
//! tool serves the other.

use std::io::Read;

use clap::Subcommand;
use rhelm_repository::oci::{self, OciOptions};

use crate::releases::{self, Global};
use crate::repo::Outcome;

#[derive(clap::Args)]
pub struct RegistryArgs {
    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(Subcommand)]
enum RegistryCommand {
    /// login to a registry
    Login(LoginArgs),
    /// logout from a registry
    Logout(LogoutArgs),
}

#[derive(clap::Args)]
struct LoginArgs {
    host: String,
    /// registry username
    #[arg(short = 'u', long, default_value = "")]
    username: String,
    /// registry password or identity token
    #[arg(short = 'p', long, default_value = "")]
    password: String,
    /// read password or identity token from stdin
    #[arg(long)]
    password_stdin: bool,
    /// allow connections to TLS registry without certs
    #[arg(long)]
    insecure: bool,
    /// use insecure HTTP connections for the chart upload
    #[arg(long)]
    plain_http: bool,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long, default_value = "")]
    ca_file: String,
    #[command(flatten)]
    global: Global,
}

#[derive(clap::Args)]
struct LogoutArgs {
    host: String,
    #[command(flatten)]
    global: Global,
}

pub fn registry(a: &RegistryArgs) -> Outcome {
    let mut o = Outcome { stdout: String::new(), stderr: String::new(), error: None };
    let result = match &a.command {
        RegistryCommand::Login(l) => login(l, &mut o),
        RegistryCommand::Logout(l) => {
            let s = releases::repo_settings(&l.global);
            let host = bare_host(&l.host);
            oci::logout(&host, &s.registry_config)
                .map_err(String::from)
                .map(|()| o.stderr.push_str(&format!("Removing login credentials for {host}\n")))
        }
    };
    o.error = result.err();
    o
}

/// A host as Helm keys it: no scheme.
fn bare_host(h: &str) -> String {
    h.trim_start_matches("oci://")
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

fn login(l: &LoginArgs, o: &mut Outcome) -> Result<(), String> {
    let s = releases::repo_settings(&l.global);
    let mut password = l.password.clone();
    if l.password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| e.to_string())?;
        password = text.trim_end_matches(['\n', '\r']).to_string();
    } else if !password.is_empty() {
        o.stderr.push_str("level=WARN msg=\"using --password via the CLI is insecure. Use --password-stdin\"\n");
    }
    let opts = OciOptions {
        plain_http: l.plain_http,
        insecure_skip_tls_verify: l.insecure,
        ca_file: l.ca_file.clone(),
        registry_config: s.registry_config,
        ..OciOptions::default()
    };
    oci::login(&bare_host(&l.host), &l.username, &password, &opts)?;
    o.stdout.push_str("Login Succeeded\n");
    Ok(())
}
