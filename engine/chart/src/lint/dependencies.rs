//! Rules on the chart's dependencies (Helm's `rules/dependencies.go`): the
//! loaded subcharts against the Chart.yaml list. Findings are reported
//! against the absolute chart directory, as Helm does.

use super::support::{Linter, Severity};
use crate::chart::Chart;

pub fn dependencies(linter: &mut Linter) {
    let chart = match crate::load::load_dir_with_notices(&linter.chart_dir.clone(), &mut linter.notices) {
        Ok(c) => c,
        Err(e) => {
            linter.rule(Severity::Error, "", Err(format!("unable to load chart\n\t{e}")));
            return;
        }
    };
    let dir = linter.chart_dir.display().to_string();
    linter.rule(Severity::Error, &dir, in_metadata(&chart));
    linter.rule(Severity::Error, &dir, unique(&chart));
    linter.rule(Severity::Warning, &dir, in_charts_dir(&chart));
}

fn in_metadata(c: &Chart) -> Result<(), String> {
    let missing: Vec<&str> = c
        .dependencies
        .iter()
        .map(|d| d.name())
        .filter(|n| !c.metadata.dependencies.iter().any(|d| d.name == *n))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("chart metadata is missing these dependencies: {}", missing.join(",")))
    }
}

fn unique(c: &Chart) -> Result<(), String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut shadowing = Vec::new();
    for d in &c.metadata.dependencies {
        let key = if d.alias.is_empty() { d.name.as_str() } else { d.alias.as_str() };
        if seen.contains(&key) {
            shadowing.push(key);
        }
        seen.push(key);
    }
    if shadowing.is_empty() {
        Ok(())
    } else {
        Err(format!("multiple dependencies with name or alias: {}", shadowing.join(",")))
    }
}

fn in_charts_dir(c: &Chart) -> Result<(), String> {
    let missing: Vec<&str> = c
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| !c.dependencies.iter().any(|d| d.name() == *n))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("chart directory is missing these dependencies: {}", missing.join(",")))
    }
}
