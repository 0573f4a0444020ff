//! `rhelm get values|manifest|notes|hooks|metadata|all NAME` (Helm's
//! pkg/cmd/get_*.go).

use std::collections::BTreeMap;
use std::sync::Arc;

use clap::Subcommand;
use rhelm_release::Release;
use rhelm_template::Value;

use crate::releases::{self, Failure, Format, Global, Result};
use crate::status::{computed_values, config_value, print_status, release_content};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: GetCommand,
}

#[derive(clap::Args)]
pub struct Common {
    #[command(flatten)]
    pub global: Global,
    /// get the named release with revision
    #[arg(long = "revision", allow_hyphen_values = true, default_value = "0")]
    revision: String,
    #[arg(hide = true)]
    args: Vec<String>,
}

#[derive(clap::Args)]
pub struct WithOutput {
    #[command(flatten)]
    common: Common,
    /// prints the output in the specified format. Allowed values: table, json, yaml
    #[arg(short = 'o', long = "output", default_value = "table")]
    output: String,
}

#[derive(clap::Args)]
pub struct ValuesArgs {
    #[command(flatten)]
    inner: WithOutput,
    /// dump all (computed) values
    #[arg(short = 'a', long = "all")]
    all: bool,
}

#[derive(clap::Args)]
pub struct AllArgs {
    #[command(flatten)]
    common: Common,
    /// go template for formatting the output, eg: {{.Release.Name}}
    #[arg(long = "template", default_value = "")]
    template: String,
}

#[derive(Subcommand)]
enum GetCommand {
    /// download all information for a named release
    All(AllArgs),
    /// download all hooks for a named release
    Hooks(Common),
    /// download the manifest for a named release
    Manifest(Common),
    /// This command fetches metadata for a given release
    Metadata(WithOutput),
    /// download the notes for a named release
    Notes(Common),
    /// download the values file for a named release
    Values(ValuesArgs),
}

/// Flags, storage, then the argument count, in cobra's order.
fn load(c: &Common, sub: &str, format: Option<&str>) -> Result<(Release, Option<Format>)> {
    let format = format.map(releases::parse_format).transpose()?;
    let revision = releases::parse_int(&c.revision, "--revision")?;
    let store = releases::open_storage(&c.global, false)?;
    let name = releases::exact_one(&c.args, &format!("get {sub}"), &format!("get {sub} RELEASE_NAME"))?;
    Ok((release_content(&store, &name, revision)?, format))
}

pub fn run(a: &Args) -> Result<String> {
    match &a.command {
        GetCommand::Manifest(c) => {
            let (rel, _) = load(c, "manifest", None)?;
            Ok(format!("{}\n", rel.manifest))
        }
        GetCommand::Notes(c) => {
            let (rel, _) = load(c, "notes", None)?;
            let notes = rel.info.map(|i| i.notes).unwrap_or_default();
            Ok(if notes.is_empty() { String::new() } else { format!("NOTES:\n{notes}\n") })
        }
        GetCommand::Hooks(c) => {
            let (rel, _) = load(c, "hooks", None)?;
            Ok(rel.hooks.iter().map(|h| format!("---\n# Source: {}\n{}\n", h.path, h.manifest)).collect())
        }
        GetCommand::Values(v) => {
            let (rel, format) = load(&v.inner.common, "values", Some(&v.inner.output))?;
            let vals = if v.all { computed_values(&rel)? } else { config_value(&rel) };
            match format.unwrap_or(Format::Table) {
                Format::Table => {
                    let head = if v.all { "COMPUTED VALUES:\n" } else { "USER-SUPPLIED VALUES:\n" };
                    Ok(format!("{head}{}", releases::encode_yaml(&vals)?))
                }
                Format::Json => Ok(releases::encode_json(&vals)?),
                Format::Yaml => Ok(releases::encode_yaml(&vals)?),
            }
        }
        GetCommand::Metadata(m) => {
            let (rel, format) = load(&m.common, "metadata", Some(&m.output))?;
            metadata(&rel, format.unwrap_or(Format::Table))
        }
        GetCommand::All(all) => {
            let (rel, _) = load(&all.common, "all", None)?;
            if !all.template.is_empty() {
                return render_template(&all.template, &rel);
            }
            print_status(&rel, true, true)
        }
    }
}

/// `helm get metadata`.
fn metadata(rel: &Release, format: Format) -> Result<String> {
    let Some(chart) = &rel.chart else {
        return Err(Failure::Error("release has no chart".into()));
    };
    let md = &chart.metadata;
    let deployed_at = rel
        .info
        .as_ref()
        .and_then(|i| i.last_deployed.as_ref())
        .map(|t| rhelm_release::time::format(t, "2006-01-02T15:04:05Z07:00"))
        .unwrap_or_else(|| "0001-01-01T00:00:00Z".into());
    match format {
        Format::Table => {
            let apply = match rel.apply_method.as_str() {
                "" => "client-side apply (defaulted)".to_string(),
                "csa" => "client-side apply".to_string(),
                "ssa" => "server-side apply".to_string(),
                other => format!("unknown ({})", releases::go_quote(other)),
            };
            let set = |m: &BTreeMap<String, String>| m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
            let mut deps: Vec<String> = md.dependencies.iter().map(|d| d.name.clone()).collect();
            deps.sort();
            Ok(format!(
                "NAME: {}\nCHART: {}\nVERSION: {}\nAPP_VERSION: {}\nANNOTATIONS: {}\nLABELS: {}\nDEPENDENCIES: {}\nNAMESPACE: {}\nREVISION: {}\nSTATUS: {}\nDEPLOYED_AT: {}\nAPPLY_METHOD: {}\n",
                rel.name,
                md.name,
                md.version,
                md.app_version,
                set(&md.annotations),
                set(&rel.labels),
                deps.join(","),
                rel.namespace,
                rel.version,
                rel.status(),
                deployed_at,
                apply
            ))
        }
        Format::Json | Format::Yaml => {
            let mut json = String::new();
            let mut o = rhelm_release::gojson::Obj::new(&mut json);
            o.str("name", &rel.name);
            o.str("chart", &md.name);
            o.str("version", &md.version);
            o.str("appVersion", &md.app_version);
            if !md.annotations.is_empty() {
                let out = o.key("annotations");
                out.push_str(&rhelm_functions::json::to_string(&releases::str_map(&md.annotations), true).map_err(|e| e.to_string())?);
            }
            if !rel.labels.is_empty() {
                let out = o.key("labels");
                out.push_str(&rhelm_functions::json::to_string(&releases::str_map(&rel.labels), true).map_err(|e| e.to_string())?);
            }
            if !md.dependencies.is_empty() {
                rhelm_release::chart_json::write_deps(o.key("dependencies"), &md.dependencies)?;
            }
            o.str("namespace", &rel.namespace);
            o.raw("revision", &rel.version.to_string());
            o.str("status", rel.status().as_str());
            o.str("deployedAt", &deployed_at);
            o.str_omitempty("applyMethod", &rel.apply_method);
            o.end();
            if format == Format::Json {
                Ok(json + "\n")
            } else {
                Ok(releases::encode_yaml(&releases::json_value(&json)?)?)
            }
        }
    }
}

/// `get all --template`: a Go template over `{Release: <the record>}`, the
/// record's fields under their Go names.
fn render_template(text: &str, rel: &Release) -> Result<String> {
    let mut set = rhelm_template::TemplateSet::new("gotpl", rhelm_functions::helm_funcs());
    set.parse("_", text).map_err(|e| Failure::Error(e.to_string()))?;
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Release"), release_value(rel));
    set.render("_", &Value::map(top)).map_err(|e| Failure::Error(e.to_string()))
}

fn s(v: &str) -> Value {
    Value::str(v)
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::map(pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect())
}

fn time_v(t: &Option<rhelm_release::time::Time>) -> Value {
    rhelm_functions::dates::time_value(t.clone().unwrap_or_default())
}

fn release_value(rel: &Release) -> Value {
    let info = rel.info.clone().unwrap_or_default();
    let info_v = obj(vec![
        ("FirstDeployed", time_v(&info.first_deployed)),
        ("LastDeployed", time_v(&info.last_deployed)),
        ("Deleted", time_v(&info.deleted)),
        ("Description", s(&info.description)),
        ("Status", s(info.status.as_str())),
        ("RollbackRevision", Value::Int(info.rollback_revision)),
        ("Notes", s(&info.notes)),
    ]);
    let chart_v = match &rel.chart {
        None => Value::Nil,
        Some(c) => {
            let m = &c.metadata;
            let strs = |v: &[String]| Value::list(v.iter().map(|x| s(x)).collect());
            obj(vec![
                (
                    "Metadata",
                    obj(vec![
                        ("Name", s(&m.name)),
                        ("Home", s(&m.home)),
                        ("Sources", strs(&m.sources)),
                        ("Version", s(&m.version)),
                        ("Description", s(&m.description)),
                        ("Keywords", strs(&m.keywords)),
                        ("Icon", s(&m.icon)),
                        ("APIVersion", s(&m.api_version)),
                        ("Condition", s(&m.condition)),
                        ("Tags", s(&m.tags)),
                        ("AppVersion", s(&m.app_version)),
                        ("Deprecated", Value::Bool(m.deprecated)),
                        ("Annotations", releases::str_map(&m.annotations)),
                        ("KubeVersion", s(&m.kube_version)),
                        ("Type", s(&m.chart_type)),
                    ]),
                ),
                ("Values", Value::map(c.values.clone())),
            ])
        }
    };
    let hooks = rel
        .hooks
        .iter()
        .map(|h| {
            obj(vec![
                ("Name", s(&h.name)),
                ("Kind", s(&h.kind)),
                ("Path", s(&h.path)),
                ("Manifest", s(&h.manifest)),
                ("Events", Value::list(h.events.iter().map(|e| s(e)).collect())),
                ("Weight", Value::Int(h.weight)),
            ])
        })
        .collect();
    obj(vec![
        ("Name", s(&rel.name)),
        ("Info", info_v),
        ("Chart", chart_v),
        ("Config", config_value(rel)),
        ("Manifest", s(&rel.manifest)),
        ("Hooks", Value::list(hooks)),
        ("Version", Value::Int(rel.version)),
        ("Namespace", s(&rel.namespace)),
        ("Labels", releases::str_map(&rel.labels)),
        ("ApplyMethod", s(&rel.apply_method)),
    ])
}
