//! `rhelm push CHART.tgz oci://host/path`: a chart archive (and its
//! `.prov`, if beside it) into an OCI registry, laid out as Helm lays it out.

use rhelm_repository::oci::{self, OciOptions};

use crate::releases;
use crate::repo::Outcome;

#[derive(clap::Args)]
pub struct PushArgs {
    chart: String,
    remote: String,
    /// identify registry client using this SSL certificate file
    #[arg(long, default_value = "")]
    cert_file: String,
    /// identify registry client using this SSL key file
    #[arg(long, default_value = "")]
    key_file: String,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long, default_value = "")]
    ca_file: String,
    /// skip tls certificate checks for the chart upload
    #[arg(long)]
    insecure_skip_tls_verify: bool,
    /// use insecure HTTP connections for the chart upload
    #[arg(long)]
    plain_http: bool,
    /// chart repository username where to locate the requested chart
    #[arg(long, default_value = "")]
    username: String,
    /// chart repository password where to locate the requested chart
    #[arg(long, default_value = "")]
    password: String,
    #[command(flatten)]
    global: releases::Global,
}

pub fn push(a: &PushArgs) -> Outcome {
    let mut o = Outcome { stdout: String::new(), stderr: String::new(), error: None };
    let s = releases::repo_settings(&a.global);
    let opts = OciOptions {
        plain_http: a.plain_http,
        insecure_skip_tls_verify: a.insecure_skip_tls_verify,
        ca_file: a.ca_file.clone(),
        cert_file: a.cert_file.clone(),
        key_file: a.key_file.clone(),
        registry_config: s.registry_config,
        username: a.username.clone(),
        password: a.password.clone(),
    };
    match oci::push(std::path::Path::new(&a.chart), &a.remote, &opts) {
        Ok(r) => o.stdout.push_str(&r.report()),
        Err(e) => o.error = Some(e.into()),
    }
    o
}
