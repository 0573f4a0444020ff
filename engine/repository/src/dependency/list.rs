//! `helm dependency list`: each dependency's status against charts/.

use std::path::{Path, PathBuf};

use rhelm_chart::metadata::Dependency;
use rhelm_chart::Chart;
use rhelm_functions::semver::{Constraints, Version};

/// One row of `helm dependency list`.
#[derive(Debug, Clone)]
pub struct ListRow {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub status: String,
}

#[derive(Debug, Default)]
pub struct Listing {
    /// Set when the chart declares no dependencies (Helm's warning text).
    pub no_dependencies: Option<String>,
    pub rows: Vec<ListRow>,
    /// `WARNING: "..." is not in Chart.yaml.` and the like.
    pub warnings: Vec<String>,
}

/// `helm dependency list CHART`.
pub fn list(chart_path: &Path) -> Result<Listing, String> {
    // Helm's loader stats the path before anything else, so a missing chart
    // is reported as Go's stat error rather than as a chart reference.
    if let Err(e) = std::fs::metadata(chart_path) {
        if e.kind() == std::io::ErrorKind::NotFound {
            return Err(format!("stat {}: no such file or directory", chart_path.display()));
        }
    }
    let chart = rhelm_chart::load::load_v2(chart_path).map_err(|e| e.to_string())?;
    let charts_dir = chart_path.join("charts");
    let mut out = Listing::default();
    if chart.metadata.dependencies.is_empty() {
        out.no_dependencies = Some(format!("WARNING: no dependencies at {}", charts_dir.display()));
        return Ok(out);
    }
    for dep in &chart.metadata.dependencies {
        out.rows.push(ListRow {
            name: dep.name.clone(),
            version: dep.version.clone(),
            repository: dep.repository.clone(),
            status: status(&charts_dir, dep, &chart),
        });
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&charts_dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    entries.sort();
    for f in entries {
        if !f.is_dir() && f.extension().is_none_or(|x| x != "tgz") {
            continue;
        }
        match rhelm_chart::load::load_v2(&f) {
            Err(_) => out.warnings.push(format!("WARNING: {:?} is not a chart.", f.display().to_string())),
            Ok(c) => {
                if !chart.metadata.dependencies.iter().any(|d| d.name == c.name()) {
                    out.warnings.push(format!("WARNING: {:?} is not in Chart.yaml.", f.display().to_string()));
                }
            }
        }
    }
    Ok(out)
}

fn status(charts_dir: &Path, dep: &Dependency, parent: &Chart) -> String {
    let prefix = format!("{}-", dep.name);
    let archives: Vec<PathBuf> = std::fs::read_dir(charts_dir)
        .map(|rd| {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tgz")))
                .collect();
            v.sort();
            v
        })
        .unwrap_or_default();
    let archive_status = |arc: &Path| -> String {
        match rhelm_chart::load::load_v2(arc) {
            Err(_) => "corrupt".into(),
            Ok(c) if c.name() != dep.name => "misnamed".into(),
            Ok(c) => version_status(&c.metadata.version, &dep.version).unwrap_or_else(|| "ok".into()),
        }
    };
    if archives.len() > 1 {
        let found: Vec<&PathBuf> = archives
            .iter()
            .filter(|a| {
                let stem = a.file_name().and_then(|n| n.to_str()).unwrap_or_default().trim_end_matches(".tgz");
                Version::parse_strict(stem.trim_start_matches(&prefix)).is_ok()
            })
            .collect();
        match found.len() {
            1 => return archive_status(found[0]),
            n if n > 1 => return "too many matches".into(),
            _ => {}
        }
    } else if let Some(a) = archives.first() {
        return archive_status(a);
    }
    match parent.dependencies.iter().find(|c| c.name() == dep.name) {
        None => "missing".into(),
        Some(c) => version_status(&c.metadata.version, &dep.version).unwrap_or_else(|| "unpacked".into()),
    }
}

/// None when `have` satisfies `want`; else Helm's status word.
fn version_status(have: &str, want: &str) -> Option<String> {
    if have == want {
        return None;
    }
    let Ok(c) = Constraints::parse(want) else { return Some("invalid version".into()) };
    let Ok(v) = Version::parse(have) else { return Some("invalid version".into()) };
    (!c.check(&v)).then(|| "wrong version".into())
}

