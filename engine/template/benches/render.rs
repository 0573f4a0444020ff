//! Parse once, execute many: 200 templates shaped like a chart's Deployment
//! with its helpers (define/include-style `template` calls, nested ranges,
//! with/if chains, printf and index).

use std::collections::BTreeMap;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rhelm_template::{FuncMap, MissingKey, TemplateSet, Value};

const HELPERS: &str = r#"
{{- define "app.name" -}}{{ .Values.nameOverride | printf "%s" }}{{- end }}
{{- define "app.fullname" -}}{{ printf "%s-%s" .Values.release .Values.nameOverride }}{{- end }}
{{- define "app.labels" -}}
app.kubernetes.io/name: {{ template "app.name" . }}
app.kubernetes.io/instance: {{ .Values.release }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | printf "%q" }}
{{- end }}
{{- end }}
"#;

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "app.fullname" . }}-N
  labels:
    {{- template "app.labels" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ template "app.name" . }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- with .Values.env }}
          env:
            {{- range . }}
            - name: {{ .name }}
              value: {{ .value | printf "%q" }}
            {{- end }}
          {{- end }}
          ports:
            {{- range $i, $p := .Values.ports }}
            - name: port-{{ $i }}
              containerPort: {{ $p }}
            {{- end }}
          {{- if and .Values.resources (index .Values.resources "limits") }}
          resources:
            limits:
              cpu: {{ .Values.resources.limits.cpu }}
              memory: {{ .Values.resources.limits.memory }}
          {{- else if .Values.resources }}
          resources: {}
          {{- end }}
"#;

fn values() -> Value {
    let s = |x: &str| Value::str(x);
    let map = |pairs: Vec<(&str, Value)>| {
        Value::map(pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect::<BTreeMap<_, _>>())
    };
    let env =
        (0..10).map(|i| map(vec![("name", s(&format!("VAR_{i}"))), ("value", s(&format!("value {i}")))])).collect();
    let v = map(vec![
        ("nameOverride", s("hello")),
        ("release", s("rel")),
        ("replicaCount", Value::Float(3.0)),
        ("autoscaling", map(vec![("enabled", Value::Bool(false))])),
        ("image", map(vec![("repository", s("nginx")), ("tag", s("1.27"))])),
        ("labels", map((0..8).map(|i| (["a", "b", "c", "d", "e", "f", "g", "h"][i], s("x"))).collect())),
        ("env", Value::list(env)),
        ("ports", Value::list((0..5).map(|i| Value::Float(8080.0 + i as f64)).collect())),
        ("resources", map(vec![("limits", map(vec![("cpu", s("100m")), ("memory", s("128Mi"))]))])),
    ]);
    map(vec![("Values", v)])
}

fn build_set(n: usize) -> (TemplateSet, Vec<String>) {
    let mut set = TemplateSet::new("gotpl", FuncMap::new());
    set.set_missing_key(MissingKey::Zero);
    set.parse("chart/templates/_helpers.tpl", HELPERS).unwrap();
    let names: Vec<String> = (0..n).map(|i| format!("chart/templates/deployment-{i}.yaml")).collect();
    for (i, name) in names.iter().enumerate() {
        set.parse(name, &DEPLOYMENT.replace("-N", &format!("-{i}"))).unwrap();
    }
    (set, names)
}

fn bench(c: &mut Criterion) {
    const N: usize = 200;
    let data = values();
    let (set, names) = build_set(N);
    let bytes: usize = names.iter().map(|n| set.render(n, &data).unwrap().len()).sum();

    let mut g = c.benchmark_group("deployments-200");
    g.throughput(Throughput::Bytes((DEPLOYMENT.len() * N) as u64));
    g.bench_function("parse", |b| b.iter(|| build_set(N)));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("execute", |b| {
        let mut out = String::with_capacity(bytes);
        b.iter(|| {
            out.clear();
            for n in &names {
                set.execute(n, &data, &mut out).unwrap();
            }
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
