//! `tpl` must stay linear in the number of calls and independent of the
//! size of the template set (Helm clones the whole set on every call).

use std::collections::BTreeMap;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rhelm_template::{FuncMap, MissingKey, TemplateSet, Value};

fn set_with_defines(defines: usize) -> TemplateSet {
    let mut funcs = FuncMap::new();
    rhelm_functions::helm::register(&mut funcs);
    let mut set = TemplateSet::new("gotpl", funcs);
    set.set_missing_key(MissingKey::Zero);
    let helpers: String = (0..defines).map(|i| format!("{{{{ define \"h{i}\" }}}}helper {i}{{{{ end }}}}\n")).collect();
    set.parse("chart/templates/_helpers.tpl", &helpers).unwrap();
    set.parse("chart/templates/t.yaml", "{{ range .Values.items }}{{ tpl $.Values.t . }}\n{{ end }}").unwrap();
    set
}

fn data(calls: usize) -> Value {
    let mut values = BTreeMap::new();
    values.insert(Arc::from("t"), Value::str("name: {{ . }}-{{ include \"h0\" . }}"));
    values.insert(Arc::from("items"), Value::list((0..calls).map(|i| Value::Float(i as f64)).collect()));
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), Value::map(values));
    Value::map(top)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("tpl-calls");
    for calls in [1000, 2000, 4000] {
        let data = data(calls);
        g.bench_with_input(BenchmarkId::from_parameter(calls), &calls, |b, _| {
            b.iter(|| set_with_defines(10).render("chart/templates/t.yaml", &data).unwrap().len())
        });
    }
    g.finish();
    let mut g = c.benchmark_group("tpl-1000-calls-set-size");
    let data = data(1000);
    for defines in [10, 1000, 5000] {
        let set = set_with_defines(defines);
        g.bench_with_input(BenchmarkId::from_parameter(defines), &defines, |b, _| {
            b.iter(|| set.render("chart/templates/t.yaml", &data).unwrap().len())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
