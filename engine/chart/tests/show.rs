//! `show`: every chart of the loader's test set, every format, against the
//! real `helm show` (stdout byte for byte; failures by their message).

use std::path::{Path, PathBuf};
use std::process::Command;

use rhelm_chart::show::{locate_local, show, ShowFormat};

fn helm() -> PathBuf {
    let path =
        std::env::var_os("HELM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root/.cache/rhelm-oracle/helm"));
    assert!(path.exists(), "the Helm oracle is missing at {}: run scripts/get-helm-oracle", path.display());
    path
}

fn ours(chart: &Path, format: ShowFormat) -> Result<String, String> {
    let path = locate_local(chart.to_str().unwrap(), Path::new("/"))?;
    let loaded = rhelm_chart::load::load_v2(&path).map_err(|e| e.to_string())?;
    show(&loaded, format, None)
}

#[test]
fn show_matches_helm_on_the_loader_charts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/load/charts");
    let mut charts: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    charts.sort();
    assert!(charts.len() > 50);
    let formats = [
        ("all", ShowFormat::All),
        ("chart", ShowFormat::Chart),
        ("values", ShowFormat::Values),
        ("readme", ShowFormat::Readme),
        ("crds", ShowFormat::Crds),
    ];
    let mut failures = Vec::new();
    for chart in &charts {
        for (name, format) in formats {
            let out = Command::new(helm()).args(["show", name]).arg(chart).output().unwrap();
            let expected = if out.status.success() {
                Ok(String::from_utf8_lossy(&out.stdout).into_owned())
            } else {
                let err = String::from_utf8_lossy(&out.stderr);
                let line = err.lines().find_map(|l| l.strip_prefix("Error: ")).unwrap_or_default().to_string();
                Err(line)
            };
            let got = ours(chart, format);
            // Helm's error may run over several lines; its first line must match ours.
            let same = match (&expected, &got) {
                (Ok(a), Ok(b)) => a == b,
                (Err(a), Err(b)) => b.lines().next() == Some(a.as_str()),
                _ => false,
            };
            if !same {
                failures.push(format!("show {name} {}:\nhelm: {expected:?}\nours: {got:?}", chart.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}
