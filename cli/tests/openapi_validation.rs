//! Helm's client-side OpenAPI validation: on a server that does not take
//! `fieldValidation` (the test cluster is Kubernetes 1.20), Helm 4.3.1
//! checks every object of the release manifest (and of every hook) against
//! the server's `/openapi/v2` schema before anything is sent, and fails
//! install and upgrade with kubectl's `ValidationError(...)` messages;
//! `--disable-openapi-validation` turns it off for the manifest (never for
//! hooks). Each test runs the same steps with helm in one namespace and
//! rhelm in another and compares exit codes, stderr and the history left.

mod common;

use common::{release_chart, same, text, write_chart, Env, Tool};
use serde_json::Value;

const CHART: &str = "openapi-validation";

/// `helm history -o json`, reduced to revision, status and description.
fn history(env: &Env, tool: Tool, ns: &str) -> Vec<String> {
    let out = env.run(tool, &["history", "rel", "-n", ns, "-o", "json"]);
    if out.code() != 0 {
        return vec![format!("exit {}: {}", out.code(), out.stderr().replace(ns, "NS"))];
    }
    let v: Value = serde_json::from_str(&out.stdout()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!("{} {} {}", e["revision"], e["status"], e["description"].as_str().unwrap_or("").replace(ns, "NS"))
        })
        .collect()
}

fn assert_same_history(env: &Env, hns: &str, rns: &str) {
    assert_eq!(history(env, Tool::Rhelm, rns), history(env, Tool::Helm, hns), "history: rhelm (left), helm (right)");
}

/// Installs `--set case=CASE` with both tools (plus `extra` flags),
/// requires the same exit code and stderr, and returns helm's stderr.
fn install_case(env: &Env, hns: &str, rns: &str, case: &str, extra: &[&str]) -> String {
    let chart = release_chart(CHART);
    let set = format!("case={case}");
    let args = [&["install", "rel", &chart, "-n", "{ns}", "--create-namespace", "--set", &set][..], extra].concat();
    let (h, _) = same(env, hns, rns, &args);
    assert_same_history(env, hns, rns);
    h.stderr()
}

/// An unknown field, a missing required field, wrongly typed values,
/// several errors in one object (sorted by field, the object's own
/// required fields last), and two invalid objects (only the first in
/// install order is reported: the build stops there). Nothing is created
/// and no release is recorded.
#[test]
fn invalid_objects_fail_the_install_as_in_helm() {
    let env = Env::new();
    let cases = [
        ("unknown", "unknown field \"bogus\" in io.k8s.api.core.v1.Container"),
        ("missing", "missing required field \"name\" in io.k8s.api.core.v1.Container"),
        ("wrongtype", "got \"string\", expected \"integer\""),
        ("several", "[ValidationError(Deployment.spec): unknown field \"bogusSpec\""),
        ("across", "ValidationError(Service.spec.ports[0]): unknown field \"bogusPort\""),
    ];
    for (case, expected) in cases {
        let (hns, rns) = (env.namespace(&format!("oav-{case}-h")), env.namespace(&format!("oav-{case}-r")));
        let stderr = install_case(&env, &hns, &rns, case, &[]);
        assert!(
            stderr.starts_with(
                "Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: error validating \"\": error validating data: "
            ) && stderr.contains(expected),
            "{case}: helm said {stderr}"
        );
        let left = env.kubectl_ok(&["-n", &rns, "get", "configmap,deployment,service", "-o", "name"]);
        assert_eq!(left.trim(), "", "{case}: rhelm created objects");
    }
}

/// A document without `kind` is refused by the validation with
/// kubectl's object-kind errors, and by the decoder without it.
#[test]
fn a_document_without_kind() {
    let env = Env::new();
    let chart = write_chart(&env.home, "nokind", "", &[("a.yaml", "metadata:\n  name: x\ndata:\n  a: b\n")]);
    let chart = chart.display().to_string();
    let (hns, rns) = (env.namespace("oav-nokind-h"), env.namespace("oav-nokind-r"));
    let install = ["install", "rel", &chart, "-n", "{ns}", "--create-namespace"];
    let (h, _) = same(&env, &hns, &rns, &install);
    assert!(h.stderr().contains("error validating data: [apiVersion not set, kind not set]"), "{}", h.stderr());
    let (h, _) = same(&env, &hns, &rns, &[&install[..], &["--disable-openapi-validation"]].concat());
    assert!(h.stderr().contains("unable to decode \"\": Object 'Kind' is missing in '{"), "{}", h.stderr());
    assert_same_history(&env, &hns, &rns);
}

/// Hooks are always validated: `--disable-openapi-validation` does not
/// reach them, and the release is recorded as failed by the pre-install
/// hook.
#[test]
fn hooks_are_validated_even_when_validation_is_disabled() {
    let env = Env::new();
    for extra in [&[][..], &["--disable-openapi-validation"][..]] {
        let (hns, rns) = (env.namespace("oav-hook-h"), env.namespace("oav-hook-r"));
        let stderr = install_case(&env, &hns, &rns, "hook", extra);
        assert!(
            stderr.contains("unable to build kubernetes object for pre-install hook openapi-validation/templates/hook.yaml: error validating \"\": error validating data: ValidationError(ConfigMap): unknown field \"unknownTop\" in io.k8s.api.core.v1.ConfigMap"),
            "helm said {stderr}"
        );
    }
}

/// Repeated label keys in YAML pass: the last one wins before any schema
/// sees the document (kubectl's `NoDoubleKeySchema` never fires for YAML).
#[test]
fn duplicate_keys_pass() {
    let env = Env::new();
    let (hns, rns) = (env.namespace("oav-dup-h"), env.namespace("oav-dup-r"));
    install_case(&env, &hns, &rns, "dupkeys", &[]);
    let label =
        |ns: &str| env.kubectl_ok(&["-n", ns, "get", "configmap/rel-config", "-o", "jsonpath={.metadata.labels.app}"]);
    assert_eq!(label(&rns), label(&hns));
}

/// `--disable-openapi-validation` lets the unknown field through to the
/// server (client-side apply on 1.20 drops it), install and upgrade; an
/// upgrade that validates fails with the unwrapped error of Helm's
/// `prepareUpgrade` and records no revision.
#[test]
fn disabling_validation_and_failing_upgrades() {
    let env = Env::new();
    let chart = release_chart(CHART);
    let (hns, rns) = (env.namespace("oav-off-h"), env.namespace("oav-off-r"));
    let off = ["--disable-openapi-validation", "--server-side=false"];
    install_case(&env, &hns, &rns, "unknown", &off);
    let (h, _) = same(&env, &hns, &rns, &["upgrade", "rel", &chart, "-n", "{ns}", "--set", "case=several"]);
    assert!(
        h.stderr().starts_with("Error: UPGRADE FAILED: error validating \"\": error validating data: ["),
        "{}",
        h.stderr()
    );
    assert_same_history(&env, &hns, &rns);
    same(
        &env,
        &hns,
        &rns,
        &[&["upgrade", "rel", &chart, "-n", "{ns}", "--set", "case=none", "--set", "v=2"][..], &off[..]].concat(),
    );
    assert_same_history(&env, &hns, &rns);
    // With validation off and server-side apply, the server itself refuses
    // the field.
    let (hns2, rns2) = (env.namespace("oav-ssa-h"), env.namespace("oav-ssa-r"));
    let h = install_case(&env, &hns2, &rns2, "unknown", &["--disable-openapi-validation"]);
    assert!(h.contains("field not declared in schema"), "helm said {h}");
}

const WIDGET_CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.oav.rhelm.test
spec:
  group: oav.rhelm.test
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer}
                labels:
                  type: array
                  items: {type: string}
"#;

/// A custom resource is checked against the schema its CRD publishes
/// (inline objects report their field path as their name).
#[test]
fn a_custom_resource_against_its_crd_schema() {
    let env = Env::new();
    env.create_crd("widgets.oav.rhelm.test", WIDGET_CRD);
    // The API server publishes a new CRD's schema a few seconds later.
    let published = (0..60).any(|_| {
        let doc = env.kubectl(&["get", "--raw", "/openapi/v2"]);
        let found = text(&doc.stdout).contains("\"test.rhelm.oav.v1.Widget\"");
        if !found {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
        found
    });
    assert!(published, "Widget schema never published");
    let (hns, rns) = (env.namespace("oav-widget-h"), env.namespace("oav-widget-r"));
    let stderr = install_case(&env, &hns, &rns, "widget", &[]);
    assert!(
        stderr.contains("[ValidationError(Widget.spec): unknown field \"colour\" in test.rhelm.oav.v1.Widget.spec, ValidationError(Widget.spec.size): invalid type for test.rhelm.oav.v1.Widget.spec.size: got \"string\", expected \"integer\"]"),
        "helm said {stderr}"
    );

    // Documents whose kind the server does not know do not stop the build
    // (kubectl's ContinueOnError); the first that fails validation does,
    // and the errors come together: here Aardvark's and the Widget's, and
    // Zebra is never reached. With validation off, both mapping errors.
    let kinds = "apiVersion: nope.test/v1\nkind: Aardvark\nmetadata: {name: a}\n---\n\
         apiVersion: oav.rhelm.test/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: \"x\"}\n---\n\
         apiVersion: nope.test/v1\nkind: Zebra\nmetadata: {name: z}\n";
    let chart = write_chart(&env.home, "unknown-kinds", "", &[("a.yaml", kinds)]).display().to_string();
    let (hns, rns) = (env.namespace("oav-kinds-h"), env.namespace("oav-kinds-r"));
    let install = ["install", "rel", &chart, "-n", "{ns}", "--create-namespace"];
    let (h, _) = same(&env, &hns, &rns, &install);
    assert!(h.stderr().contains("ensure CRDs are installed first, error validating \"\""), "{}", h.stderr());
    let (h, _) = same(&env, &hns, &rns, &[&install[..], &["--disable-openapi-validation"]].concat());
    assert!(h.stderr().contains("\"Zebra\""), "{}", h.stderr());
    assert_same_history(&env, &hns, &rns);
}
