//! `rhelm history NAME` (Helm's pkg/cmd/history.go).

use rhelm_release::Release;

use crate::releases::{self, Failure, Format, Global, Result};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub global: Global,
    /// maximum number of revision to include in history
    #[arg(long = "max", allow_hyphen_values = true, default_value = "256")]
    max: String,
    /// show the rollback revision column in table output
    #[arg(long = "show-rollback-revision")]
    show_rollback_revision: bool,
    /// prints the output in the specified format. Allowed values: table, json, yaml
    #[arg(short = 'o', long = "output", default_value = "table")]
    output: String,
    #[arg(hide = true)]
    args: Vec<String>,
}

pub fn run(a: &Args) -> Result<String> {
    let format = releases::parse_format(&a.output)?;
    let max = releases::parse_int(&a.max, "--max")?;
    let store = releases::open_storage(&a.global, false)?;
    let name = releases::exact_one(&a.args, "history", "history RELEASE_NAME")?;
    if rhelm_chart::action::validate_release_name(&name).is_err() {
        return Err(Failure::Error(format!("release name is invalid: {name}")));
    }
    let mut hist = store.history(&name)?;
    hist.sort_by_key(|r| std::cmp::Reverse(r.version));
    let take = if max < 0 { 0 } else { (max as usize).min(hist.len()) };
    let mut rels: Vec<Release> = hist.into_iter().take(take).collect();
    rels.reverse();

    match format {
        Format::Table => {
            let mut rows = Vec::new();
            let mut header = vec!["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"];
            if a.show_rollback_revision {
                header.push("ROLLBACK");
            }
            header.push("DESCRIPTION");
            rows.push(header.iter().map(|s| s.to_string()).collect());
            for r in &rels {
                let info = r.info.clone().unwrap_or_default();
                let updated = match &info.last_deployed {
                    Some(t) => rhelm_release::time::ansic(t),
                    None => "Mon Jan  1 00:00:00 0001".to_string(),
                };
                let mut row = vec![
                    r.version.to_string(),
                    updated,
                    r.status().to_string(),
                    releases::chart_name(r.chart.as_ref()),
                    releases::app_version(r.chart.as_ref()),
                ];
                if a.show_rollback_revision {
                    row.push(if info.rollback_revision > 0 { info.rollback_revision.to_string() } else { String::new() });
                }
                row.push(info.description.clone());
                rows.push(row);
            }
            Ok(releases::table(&rows))
        }
        Format::Json | Format::Yaml => {
            let mut json = String::from("[");
            for (i, r) in rels.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                let info = r.info.clone().unwrap_or_default();
                let mut o = rhelm_release::gojson::Obj::new(&mut json);
                o.raw("revision", &r.version.to_string());
                if let Some(t) = &info.last_deployed {
                    o.str("updated", &rhelm_release::time::to_rfc3339(t));
                }
                o.str("status", r.status().as_str());
                o.str("chart", &releases::chart_name(r.chart.as_ref()));
                o.str("app_version", &releases::app_version(r.chart.as_ref()));
                o.int_omitempty("rollback_revision", info.rollback_revision);
                o.str("description", &info.description);
                o.end();
            }
            json.push(']');
            if format == Format::Json {
                Ok(json + "\n")
            } else {
                Ok(releases::encode_yaml(&releases::json_value(&json)?)?)
            }
        }
    }
}
