//! templates/ rules (Helm's `rules/template.go`).
//!
//! The chart is rendered as `helm lint` renders it (release `test-release`,
//! lint mode: `required` and `fail` do not fail), then each YAML template's
//! output is checked document by document.

use rhelm_template::Value;

use super::names::name_problems;
use super::support::{Linter, Severity};

const DIR: &str = "templates/";

pub fn templates(linter: &mut Linter, opts: &super::LintOptions, kube_version: (u32, u32)) {
    let path = linter.chart_dir.join("templates");
    let meta = std::fs::metadata(&path);
    if let Err(e) = &meta {
        if e.kind() == std::io::ErrorKind::NotFound {
            linter.rule(Severity::Warning, DIR, Err("directory does not exist".into()));
            return;
        }
    }
    let valid = match meta {
        Err(e) => Err(format!("stat {}: {}", path.display(), super::errno_text(&e))),
        Ok(m) if !m.is_dir() => Err("not a directory".into()),
        Ok(_) => Ok(()),
    };
    if !linter.rule(Severity::Error, DIR, valid) {
        return;
    }
    let mut chart = match crate::load::load_v2_with_notices(&linter.chart_dir.clone(), &mut linter.notices) {
        Ok(c) => c,
        Err(e) => {
            linter.rule(Severity::Error, DIR, Err(e.to_string()));
            return;
        }
    };
    // Helm gives up on the templates, silently, when dependencies or
    // coalescing fail; a schema violation is a finding.
    match crate::values::process_dependencies(&mut chart, &opts.values) {
        Ok(log) => linter.notices.extend(log),
        Err(_) => return,
    }
    let coalesced = match crate::values::try_coalesce_values(&chart, &opts.values) {
        Ok((v, log)) => {
            linter.notices.extend(log);
            v
        }
        Err((_, log)) => {
            linter.notices.extend(log);
            return;
        }
    };
    // ToRenderValues coalesces once more before validating.
    let (render_values, log) = crate::values::coalesce_values(&chart, &coalesced);
    linter.notices.extend(log);
    if !opts.skip_schema_validation {
        if let Err(e) = crate::values::validate_against_schema(&chart, &render_values) {
            // The error already carries Helm's "values don't meet ..." heading.
            linter.rule(Severity::Error, DIR, Err(e));
            return;
        }
    }
    let mut options = crate::render::RenderOptions {
        release: crate::render::ReleaseOptions {
            name: "test-release".into(),
            namespace: opts.namespace.clone(),
            // lint's ReleaseOptions set only these two; the rest stay zero.
            revision: 0,
            is_install: false,
            is_upgrade: false,
        },
        lint_mode: true,
        ..Default::default()
    };
    if let Some(kv) = opts.kube_version.as_deref().and_then(|v| crate::render::KubeVersion::parse(v).ok()) {
        options.capabilities.kube_version = kv;
    }
    let top = crate::render::to_render_values(&chart, &render_values, &options);
    let result = crate::render::render_top(&chart, &top, true);
    // What required/fail logged while rendering comes before the findings.
    linter.notices.extend(rhelm_functions::helm::take_lint_log());
    let rendered = match result {
        Ok(r) => r,
        Err(e) => {
            linter.rule(Severity::Error, DIR, Err(e.to_string()));
            return;
        }
    };
    for t in &chart.templates {
        linter.rule(Severity::Error, &t.name, allowed_extension(&t.name));
        let ext = extension(&t.name).to_ascii_lowercase();
        if ext != ".yaml" && ext != ".yml" {
            continue;
        }
        let key = format!("{}/{}", chart.name(), t.name);
        let text = rendered.get(&key).map(String::as_str).unwrap_or("");
        if !rendered_checks(linter, &t.name, text, kube_version) {
            return;
        }
    }
}

/// The checks on one file's rendered text; false when a document did not
/// parse (Helm stops linting templates there).
pub fn rendered_checks(linter: &mut Linter, name: &str, rendered: &str, kube_version: (u32, u32)) -> bool {
    if rendered.trim().is_empty() {
        return true;
    }
    linter.rule(Severity::Warning, name, top_indent(rendered));
    for doc in super::documents(rendered) {
        let obj = match doc {
            Ok(v) => v,
            Err(e) => {
                linter.rule(Severity::Error, name, Err(format!("unable to parse YAML: {e}")));
                return false;
            }
        };
        let head = match k8s_head(&obj) {
            Ok(Some(h)) => h,
            Ok(None) => continue,
            Err(e) => {
                linter.rule(Severity::Error, name, Err(format!("unable to parse YAML: {e}")));
                return false;
            }
        };
        let (kind, meta_name) = (head.kind.clone(), head.name.clone());
        // Helm decodes into a string field, so a bool or number keeps its
        // YAML spelling, which our decoded value has lost: such names are
        // not checked.
        let problems = if head.name_spelled_away { Vec::new() } else { name_problems(&kind, &meta_name) };
        if !problems.is_empty() {
            let errs: Vec<String> =
                problems.iter().map(|p| format!("metadata.name: Invalid value: {meta_name:?}: {p}")).collect();
            let agg = if errs.len() == 1 { errs[0].clone() } else { format!("[{}]", errs.join(", ")) };
            linter.rule(
                Severity::Warning,
                name,
                Err(format!("object name does not conform to Kubernetes naming requirements: {meta_name:?}: {agg}")),
            );
        }
        if let Some(msg) = super::deprecations::deprecation(&head.api_version, &kind, kube_version) {
            linter.rule(Severity::Warning, name, Err(msg));
        }
        if matches!(kind.as_str(), "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet")
            && !rendered.contains("matchLabels")
            && !rendered.contains("matchExpressions")
        {
            linter.rule(
                Severity::Error,
                name,
                Err(format!("a {kind} must contain matchLabels or matchExpressions, and {meta_name:?} does not")),
            );
        }
        if kind == "List" && list_has_resource_policy(&obj) {
            linter.rule(
                Severity::Error,
                name,
                Err("annotation 'helm.sh/resource-policy' within List objects are ignored".into()),
            );
        }
    }
    true
}

fn list_has_resource_policy(obj: &Value) -> bool {
    let Value::Map(m) = obj else { return false };
    let Some(Value::List(items)) = m.entries.get("items") else { return false };
    items.items.iter().any(|i| {
        let Value::Map(i) = i else { return false };
        let Some(Value::Map(md)) = i.entries.get("metadata") else { return false };
        let Some(Value::Map(a)) = md.entries.get("annotations") else { return false };
        a.entries.contains_key("helm.sh/resource-policy")
    })
}

fn top_indent(content: &str) -> Result<(), String> {
    for line in content.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            return Err(format!(
                "document starts with an illegal indent: {}, which may cause parsing problems",
                super::go_quote(line)
            ));
        }
        return Ok(());
    }
    Ok(())
}

/// Go's `filepath.Ext`.
fn extension(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rfind('.').map(|i| &base[i..]).unwrap_or("")
}

fn allowed_extension(name: &str) -> Result<(), String> {
    let ext = extension(name);
    if [".yaml", ".yml", ".tpl", ".txt"].contains(&ext) {
        Ok(())
    } else {
        Err(format!("file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"))
    }
}

/// What Helm's lint reads of each rendered document (`k8sYamlStruct`).
struct Head {
    api_version: String,
    kind: String,
    name: String,
    name_spelled_away: bool,
}

/// A document decoded into Helm's `k8sYamlStruct` by encoding/json: keys
/// matched case-insensitively, the first type mismatch an error. `None`
/// for an empty (null) document.
fn k8s_head(doc: &Value) -> Result<Option<Head>, String> {
    let fail = |v: &Value, place: &str, ty: &str| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into {place} of type {ty}",
            json_kind(v)
        )
    };
    let m = match doc {
        Value::Nil => return Ok(None),
        Value::Map(m) => m,
        other => return Err(fail(other, "Go value", "rules.k8sYamlStruct")),
    };
    let mut head =
        Head { api_version: String::new(), kind: String::new(), name: String::new(), name_spelled_away: false };
    for (k, v) in m.entries.iter() {
        let target = if k.eq_ignore_ascii_case("apiVersion") {
            &mut head.api_version
        } else if k.eq_ignore_ascii_case("kind") {
            &mut head.kind
        } else if k.eq_ignore_ascii_case("metadata") {
            match v {
                Value::Nil => {}
                Value::Map(md) => {
                    for (mk, mv) in md.entries.iter() {
                        if mk.eq_ignore_ascii_case("name") {
                            head.name_spelled_away = !matches!(mv, Value::Str(_) | Value::Nil);
                            scalar_into(mv, &mut head.name)
                                .map_err(|_| fail(mv, &format!("Go struct field .{k}.{mk}"), "string"))?;
                        } else if mk.eq_ignore_ascii_case("namespace") {
                            scalar_into(mv, &mut String::new())
                                .map_err(|_| fail(mv, &format!("Go struct field .{k}.{mk}"), "string"))?;
                        }
                    }
                }
                other => return Err(fail(other, &format!("Go struct field .{k}"), "rules.k8sYamlMetadata")),
            }
            continue;
        } else {
            continue;
        };
        scalar_into(v, target).map_err(|_| fail(v, &format!("Go struct field .{k}"), "string"))?;
    }
    Ok(Some(head))
}

/// A scalar bound for a string field: sigs.k8s.io/yaml turns YAML scalars
/// into strings for such fields; lists and maps do not fit.
fn scalar_into(v: &Value, out: &mut String) -> Result<(), ()> {
    match v {
        Value::Str(s) => *out = s.to_string(),
        Value::Nil => {}
        Value::List(_) | Value::Map(_) => return Err(()),
        other => *out = rhelm_template::fmt::sprint(std::slice::from_ref(other)),
    }
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}
