//! The checks `helm template`/`install` run on a loaded chart before
//! rendering (`checkIfInstallable`, `action.CheckDependencies`).

use crate::chart::Chart;

/// `action.CheckDependencies`: `Some("found in Chart.yaml, but missing in
/// charts/ directory: a, b")` when dependencies declared in Chart.yaml (or
/// requirements.yaml) have no loaded subchart of that name.
pub fn missing_dependencies(chart: &Chart) -> Option<String> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|req| !chart.dependencies.iter().any(|d| d.name() == req.name))
        .map(|req| req.name.as_str())
        .collect();
    if missing.is_empty() {
        return None;
    }
    Some(format!("found in Chart.yaml, but missing in charts/ directory: {}", missing.join(", ")))
}

/// What `helm template`/`install` print after `Error: ` when dependencies
/// are missing (4.3.1 wording, without `--dependency-update`).
pub fn check_dependencies(chart: &Chart) -> Result<(), String> {
    match missing_dependencies(chart) {
        None => Ok(()),
        Some(inner) => Err(format!(
            "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: {inner}"
        )),
    }
}

/// `checkIfInstallable`: only application charts (type "" or
/// `application`) can be installed or templated.
pub fn check_installable(chart: &Chart) -> Result<(), String> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => Ok(()),
        other => Err(format!("{other} charts are not installable")),
    }
}

/// The warning `helm template`/`install` log for a deprecated chart, after
/// [`check_installable`] and before [`check_dependencies`].
pub fn deprecation_notice(chart: &Chart) -> Option<String> {
    chart.metadata.deprecated.then(|| super::log_line("WARN", "this chart is deprecated", &[]))
}

/// What `helm template`/`install`/`upgrade`/`package` say of a chart that
/// Helm's internal v3 loader read (apiVersion v3): they only take v2 charts.
/// Helm says it late: after `checkIfInstallable`, the deprecation warning,
/// the dependency check and the flag checks of `template`.
pub fn check_api_version(chart: &Chart) -> Result<(), String> {
    match chart.metadata.api_version.as_str() {
        "v3" => Err("invalid chart apiVersion".into()),
        _ => Ok(()),
    }
}
