//! Release names from a chart's metadata: `{name}-{version}` by default.
//!
//! chart-releaser's `--release-name-template` is a Go template over the
//! chart metadata (`{{ .Name }}-{{ .Version }}`), so a template containing
//! `{{` is executed by our Go template engine with the same fields, and
//! anything else takes `{name}`, `{version}` and `{appVersion}`.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_chart::metadata::Metadata;
use rhelm_template::{FuncMap, TemplateSet, Value};

pub const DEFAULT: &str = "{name}-{version}";

pub fn release_name(template: &str, meta: &Metadata) -> Result<String, String> {
    if template.contains("{{") {
        return go_template(template, meta);
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("release name template {template:?}: unclosed '{{'"))?;
        out.push_str(match &after[..close] {
            "name" => &meta.name,
            "version" => &meta.version,
            "appVersion" => &meta.app_version,
            other => return Err(format!("release name template {template:?}: unknown field {{{other}}} (use {{name}}, {{version}}, {{appVersion}})")),
        });
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if out.is_empty() {
        return Err(format!("release name template {template:?} gives an empty name"));
    }
    Ok(out)
}

fn go_template(template: &str, meta: &Metadata) -> Result<String, String> {
    let fields: BTreeMap<Arc<str>, Value> = [
        ("Name", &meta.name),
        ("Version", &meta.version),
        ("AppVersion", &meta.app_version),
        ("Description", &meta.description),
        ("Type", &meta.chart_type),
    ]
    .into_iter()
    .map(|(k, v)| (Arc::from(k), Value::str(v.as_str())))
    .collect();
    let mut set = TemplateSet::new("release-name", FuncMap::new());
    set.parse("release-name", template).map_err(|e| format!("release name template: {e}"))?;
    set.render("release-name", &Value::map(fields)).map_err(|e| format!("release name template: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Metadata {
        Metadata { name: "hello".into(), version: "0.2.0".into(), app_version: "v6".into(), ..Metadata::default() }
    }

    #[test]
    fn placeholders_and_go_templates_name_the_same_release() {
        assert_eq!(release_name(DEFAULT, &meta()).unwrap(), "hello-0.2.0");
        assert_eq!(release_name("{{ .Name }}-{{ .Version }}", &meta()).unwrap(), "hello-0.2.0");
        assert_eq!(release_name("{name}-chart-{version}-app-{appVersion}", &meta()).unwrap(), "hello-chart-0.2.0-app-v6");
        assert!(release_name("{nmae}", &meta()).unwrap_err().contains("unknown field {nmae}"));
        assert!(release_name("{name", &meta()).is_err());
    }
}
