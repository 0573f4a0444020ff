//! `rhelm verify CHART.tgz`: check a chart archive against its `.prov` file.

#[derive(clap::Args)]
pub struct Args {
    /// the chart archive; its provenance file is the same path plus `.prov`
    chart: String,
    /// keyring containing public keys
    #[arg(long, default_value_t = crate::package::default_keyring())]
    keyring: String,
}

pub fn run(a: &Args) -> Result<String, String> {
    let path = std::path::Path::new(&a.chart);
    if std::fs::metadata(path).is_err() {
        return Err(format!("stat {}: no such file or directory", a.chart));
    }
    if path.is_dir() {
        return Err("unpacked charts cannot be verified".into());
    }
    if !a.chart.ends_with(".tgz") {
        return Err("chart must be a tgz file".into());
    }
    let prov = format!("{}.prov", a.chart);
    if std::fs::metadata(&prov).is_err() {
        return Err(format!("could not load provenance file {prov}: stat {prov}: no such file or directory"));
    }
    let v = rhelm_provenance::verify(path, std::path::Path::new(&prov), std::path::Path::new(&a.keyring)).map_err(|e| e.to_string())?;
    Ok(v.report())
}
