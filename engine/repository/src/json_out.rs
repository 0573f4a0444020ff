//! JSON as Go's `json.MarshalIndent(v, "", "  ")` writes a struct: fields
//! in declaration order, maps with sorted keys, HTML characters escaped.

use std::collections::BTreeMap;

use rhelm_chart::metadata::{Dependency, Metadata};
use rhelm_template::Value;

pub enum J {
    Str(String),
    Bool(bool),
    /// Already-encoded JSON (numbers, nested values).
    Raw(String),
    List(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn str(s: &str) -> J {
        J::Str(s.to_string())
    }

    pub fn fields(fields: Vec<(&str, J)>) -> J {
        J::Obj(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn string_map(m: &BTreeMap<String, String>) -> J {
        J::Obj(m.iter().map(|(k, v)| (k.clone(), J::str(v))).collect())
    }

    /// A template value, as encoding/json encodes `interface{}`.
    pub fn value(v: &Value) -> J {
        match v {
            Value::Str(s) => J::str(s),
            Value::Bool(b) => J::Bool(*b),
            Value::List(l) => J::List(l.items.iter().map(J::value).collect()),
            Value::Map(m) => J::Obj(m.entries.iter().map(|(k, v)| (k.to_string(), J::value(v))).collect()),
            other => J::Raw(rhelm_functions::json::to_string(other, true).unwrap_or_else(|_| "null".into())),
        }
    }

    /// `json.Marshal`: no white space.
    pub fn compact(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out);
        out
    }

    fn write_compact(&self, out: &mut String) {
        match self {
            J::Str(s) => rhelm_functions::json::write_string(out, s, true),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Raw(r) => out.push_str(r),
            J::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_compact(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    rhelm_functions::json::write_string(out, k, true);
                    out.push(':');
                    v.write_compact(out);
                }
                out.push('}');
            }
        }
    }

    pub fn pretty(&self) -> String {
        self.pretty_with("  ")
    }

    /// `json.MarshalIndent(v, "", indent)`.
    pub fn pretty_with(&self, indent: &str) -> String {
        let mut out = String::new();
        self.write(&mut out, 0, indent);
        out
    }

    fn write(&self, out: &mut String, depth: usize, unit: &str) {
        let indent = |out: &mut String, d: usize| {
            out.push('\n');
            for _ in 0..d {
                out.push_str(unit);
            }
        };
        match self {
            J::Str(s) => rhelm_functions::json::write_string(out, s, true),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Raw(r) => out.push_str(r),
            J::List(items) if items.is_empty() => out.push_str("[]"),
            J::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            J::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    item.write(out, depth + 1, unit);
                }
                indent(out, depth);
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    rhelm_functions::json::write_string(out, k, true);
                    out.push_str(": ");
                    v.write(out, depth + 1, unit);
                }
                indent(out, depth);
                out.push('}');
            }
        }
    }
}

/// `chart.Metadata` in struct order with omitempty.
pub fn metadata_fields(m: &Metadata) -> Vec<(String, J)> {
    let mut f: Vec<(String, J)> = Vec::new();
    let s = |f: &mut Vec<(String, J)>, k: &str, v: &str| {
        if !v.is_empty() {
            f.push((k.into(), J::str(v)));
        }
    };
    let list = |v: &[String]| J::List(v.iter().map(|x| J::str(x)).collect());
    s(&mut f, "name", &m.name);
    s(&mut f, "home", &m.home);
    if !m.sources.is_empty() {
        f.push(("sources".into(), list(&m.sources)));
    }
    s(&mut f, "version", &m.version);
    s(&mut f, "description", &m.description);
    if !m.keywords.is_empty() {
        f.push(("keywords".into(), list(&m.keywords)));
    }
    if !m.maintainers.is_empty() {
        let ms = m
            .maintainers
            .iter()
            .map(|mt| {
                let mut o = Vec::new();
                for (k, v) in [("name", &mt.name), ("email", &mt.email), ("url", &mt.url)] {
                    if !v.is_empty() {
                        o.push((k.to_string(), J::str(v)));
                    }
                }
                J::Obj(o)
            })
            .collect();
        f.push(("maintainers".into(), J::List(ms)));
    }
    s(&mut f, "icon", &m.icon);
    s(&mut f, "apiVersion", &m.api_version);
    s(&mut f, "condition", &m.condition);
    s(&mut f, "tags", &m.tags);
    s(&mut f, "appVersion", &m.app_version);
    if m.deprecated {
        f.push(("deprecated".into(), J::Bool(true)));
    }
    if !m.annotations.is_empty() {
        f.push(("annotations".into(), J::string_map(&m.annotations)));
    }
    s(&mut f, "kubeVersion", &m.kube_version);
    if !m.dependencies.is_empty() {
        f.push(("dependencies".into(), J::List(m.dependencies.iter().map(dependency).collect())));
    }
    s(&mut f, "type", &m.chart_type);
    f
}

pub fn dependency(d: &Dependency) -> J {
    let mut o = vec![("name".to_string(), J::str(&d.name))];
    if !d.version.is_empty() {
        o.push(("version".into(), J::str(&d.version)));
    }
    o.push(("repository".into(), J::str(&d.repository)));
    if !d.condition.is_empty() {
        o.push(("condition".into(), J::str(&d.condition)));
    }
    if !d.tags.is_empty() {
        o.push(("tags".into(), J::List(d.tags.iter().map(|t| J::str(t)).collect())));
    }
    if d.enabled {
        o.push(("enabled".into(), J::Bool(true)));
    }
    if !d.import_values.is_empty() {
        o.push(("import-values".into(), J::List(d.import_values.iter().map(J::value).collect())));
    }
    if !d.alias.is_empty() {
        o.push(("alias".into(), J::str(&d.alias)));
    }
    J::Obj(o)
}
