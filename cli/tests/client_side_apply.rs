//! Client-side apply (`--server-side=false`, and `auto` after such a
//! release): objects are created with POSTs and updated with three-way
//! patches, as Helm 4.3.1 does. Each test runs the same steps with helm in
//! one namespace and with rhelm in another, and compares the live objects,
//! managed fields included: which manager owns which fields with which
//! operation is what the next client-side or server-side apply works from.

mod common;

use common::{normalize, release_chart, Env, Tool};
use serde_json::Value;

const CRD: &str = r#"
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.csa.rhelm.test
spec:
  group: csa.rhelm.test
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
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
              x-kubernetes-preserve-unknown-fields: true
"#;

/// The chart's objects, by `kubectl get` name.
const OBJECTS: [&str; 4] = ["configmap/rel-config", "deployment/rel-web", "service/rel-svc", "gadget/rel-gadget"];

/// Creates the Gadget CRD (once per cluster; the tests share it) and waits
/// until it is served.
fn gadget_crd(env: &Env) {
    env.create_crd("gadgets.csa.rhelm.test", CRD);
}

/// What someone does to the live objects between two releases: a label
/// and a key on the ConfigMap, an env var in one container (strategic
/// merge, as `kubectl patch` does by default), a field in the custom
/// resource.
fn user_edits(env: &Env, ns: &str) {
    let patch = |what: &str, kind: &str, body: &str| {
        env.kubectl_ok(&["-n", ns, "patch", what, "--type", kind, "-p", body]);
    };
    patch("configmap/rel-config", "merge", r#"{"metadata":{"labels":{"user":"edit"}},"data":{"mine":"kept"}}"#);
    patch(
        "deployment/rel-web",
        "strategic",
        r#"{"metadata":{"annotations":{"user":"edit"}},"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"USERVAR","value":"u"}]}]}}}}"#,
    );
    patch("service/rel-svc", "merge", r#"{"metadata":{"labels":{"user":"edit"}}}"#);
    patch("gadget/rel-gadget", "merge", r#"{"spec":{"userField":"kept"}}"#);
}

/// A live object with what differs between two namespaces by design
/// removed: identity, times, server-assigned addresses, controller
/// output, and the namespace name itself.
fn comparable(env: &Env, ns: &str, what: &str) -> Value {
    let json = env.kubectl_ok(&["-n", ns, "get", what, "-o", "json", "--show-managed-fields"]);
    let mut v: Value = serde_json::from_str(&json.replace(ns, "NS")).unwrap();
    let meta = v["metadata"].as_object_mut().unwrap();
    for k in ["uid", "resourceVersion", "creationTimestamp", "generation", "selfLink"] {
        meta.remove(k);
    }
    if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
        a.remove("deployment.kubernetes.io/revision");
    }
    if let Some(fields) = meta.get_mut("managedFields").and_then(Value::as_array_mut) {
        // Controllers write status under their own names, whenever they run.
        fields.retain(|f| f["manager"] == "helm" || f["manager"] == "kubectl-patch");
        for f in fields.iter_mut() {
            f.as_object_mut().unwrap().remove("time");
        }
        fields.sort_by_key(|f| format!("{}{}", f["manager"], f["operation"]));
    }
    let obj = v.as_object_mut().unwrap();
    obj.remove("status");
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("clusterIP");
        spec.remove("clusterIPs");
    }
    v
}

fn assert_same_objects(env: &Env, hns: &str, rns: &str, step: &str) {
    assert_same(env, hns, rns, &OBJECTS, step)
}

fn assert_same(env: &Env, hns: &str, rns: &str, objects: &[&str], step: &str) {
    for &what in objects {
        let (h, r) = (comparable(env, hns, what), comparable(env, rns, what));
        assert_eq!(
            r,
            h,
            "{what} after {step}: rhelm's (left) differs from helm's (right):\nrhelm: {}\nhelm:  {}",
            serde_json::to_string_pretty(&r).unwrap(),
            serde_json::to_string_pretty(&h).unwrap()
        );
    }
}

fn managers(env: &Env, ns: &str, what: &str) -> Vec<(String, String)> {
    let v = comparable(env, ns, what);
    v["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["manager"].as_str().unwrap().to_string(), f["operation"].as_str().unwrap().to_string()))
        .collect()
}

/// Helm installs client-side; someone edits the objects; the upgrade (with
/// `--server-side` left at `auto`) and a rollback by rhelm leave the
/// cluster exactly as helm's do: the edits kept where a three-way merge
/// keeps them, lists merged by key in the chart's order, removed fields
/// and list elements gone, the custom resource merge-patched.
#[test]
fn rhelm_updates_a_client_side_release_as_helm_does() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("csa-h"), env.namespace("csa-r"));
    for ns in [&hns, &rns] {
        env.run(Tool::Helm, &["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"]).ok();
        user_edits(&env, ns);
    }
    let upgrade = ["upgrade", "rel", &chart, "--set", "v2=true,msg=bye"];
    env.run(Tool::Helm, &[&upgrade[..], &["-n", &hns]].concat()).ok();
    env.run(Tool::Rhelm, &[&upgrade[..], &["-n", &rns]].concat()).ok();
    assert_same_objects(&env, &hns, &rns, "the upgrade");
    let rec = env.release_record(&rns, "rel", 2);
    assert_eq!(rec["apply_method"], "csa", "auto follows the csa release");

    // What the merge kept and dropped, as helm did it (the comparison
    // above is the test; this says what it covers).
    let web = comparable(&env, &rns, "deployment/rel-web");
    let env_names: Vec<&str> = web["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(env_names, ["USERVAR", "MSG", "EXTRA"]);
    assert_eq!(
        managers(&env, &rns, "configmap/rel-config"),
        [("helm".into(), "Update".into()), ("kubectl-patch".into(), "Update".into())]
    );

    env.run(Tool::Helm, &["rollback", "rel", "1", "-n", &hns]).ok();
    env.run(Tool::Rhelm, &["rollback", "rel", "1", "-n", &rns]).ok();
    assert_same_objects(&env, &hns, &rns, "the rollback");
    assert_eq!(env.release_record(&rns, "rel", 3)["apply_method"], "csa");
}

/// `rhelm install --server-side=false` creates what helm creates (POSTs
/// under the manager `helm`, operation Update), records the release as
/// client-side, and helm carries it on client-side.
#[test]
fn rhelm_client_side_install_is_helms() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("csi-h"), env.namespace("csi-r"));
    let install = ["install", "rel", &chart, "--create-namespace", "--server-side=false"];
    env.run(Tool::Helm, &[&install[..], &["-n", &hns]].concat()).ok();
    env.run(Tool::Rhelm, &[&install[..], &["-n", &rns]].concat()).ok();
    assert_same_objects(&env, &hns, &rns, "the install");
    assert_eq!(managers(&env, &rns, "deployment/rel-web"), [("helm".into(), "Update".into())]);
    let meta = env.run(Tool::Helm, &["get", "metadata", "rel", "-n", &rns, "-o", "json"]).ok().stdout();
    let meta: Value = serde_json::from_str(&meta).unwrap();
    assert_eq!(meta["applyMethod"], "csa");

    for ns in [&hns, &rns] {
        user_edits(&env, ns);
        env.run(Tool::Helm, &["upgrade", "rel", &chart, "-n", ns, "--set", "v2=true"]).ok();
    }
    assert_same_objects(&env, &hns, &rns, "helm's upgrade");
}

/// `--force-replace` on a client-side release replaces the objects (PUT):
/// edits made on the cluster are gone, as with helm. The Service cannot be
/// replaced by a manifest without its clusterIP (Helm's failure too): the
/// other objects are still replaced, and the upgrade fails with the same
/// message.
#[test]
fn force_replace_puts_the_objects() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("csf-h"), env.namespace("csf-r"));
    for ns in [&hns, &rns] {
        env.run(Tool::Helm, &["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"]).ok();
        user_edits(&env, ns);
    }
    let upgrade = ["upgrade", "rel", &chart, "--set", "msg=replaced", "--force-replace"];
    let h = env.run(Tool::Helm, &[&upgrade[..], &["-n", &hns]].concat());
    let r = env.run(Tool::Rhelm, &[&upgrade[..], &["-n", &rns]].concat());
    assert!(h.stderr().contains("failed to replace object: Service"), "helm: {}", h.stderr());
    assert_eq!(
        (r.code(), normalize(&r.stderr(), &[&rns])),
        (h.code(), normalize(&h.stderr(), &[&hns])),
        "rhelm's (left) failure differs from helm's"
    );
    assert_same_objects(&env, &hns, &rns, "the replacing upgrade");
    let cm = comparable(&env, &rns, "configmap/rel-config");
    assert!(cm["data"].get("mine").is_none(), "replaced, not merged: {cm}");
    assert_eq!(cm["data"]["msg"], "replaced");
}

/// The flag rules Helm's cobra command enforces, before anything is sent.
#[test]
fn force_replace_and_force_conflicts_exclude_each_other() {
    let env = Env::new();
    let chart = release_chart("client-side");
    for args in [
        &["upgrade", "rel", &chart, "--force-replace", "--force-conflicts"][..],
        &["upgrade", "rel", &chart, "--force", "--force-conflicts"][..],
        &["rollback", "rel", "--force", "--force-conflicts"][..],
    ] {
        let h = env.run(Tool::Helm, args);
        let r = env.run(Tool::Rhelm, args);
        assert_eq!((r.code(), r.stderr()), (h.code(), h.stderr().replace("helm", "rhelm")), "{args:?}");
    }
}

/// Moving a client-side release to server-side apply
/// (`upgrade --server-side=true`): the fields `helm` owned client-side
/// become its server-side fields before the apply (csaupgrade), so a field
/// the chart drops is removed, and no conflict arises with helm's own
/// client-side entry. The managed fields end as helm leaves them.
#[test]
fn moving_a_client_side_release_to_server_side_apply() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("cts-h"), env.namespace("cts-r"));
    for ns in [&hns, &rns] {
        env.run(Tool::Helm, &["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"]).ok();
        user_edits(&env, ns);
    }
    let upgrade = ["upgrade", "rel", &chart, "--set", "v2=true", "--server-side=true", "--force-conflicts"];
    env.run(Tool::Helm, &[&upgrade[..], &["-n", &hns]].concat()).ok();
    env.run(Tool::Rhelm, &[&upgrade[..], &["-n", &rns]].concat()).ok();
    assert_same_objects(&env, &hns, &rns, "the move to server-side apply");
    assert_eq!(env.release_record(&rns, "rel", 2)["apply_method"], "ssa");
    let cm = comparable(&env, &rns, "configmap/rel-config");
    assert!(cm["data"].get("old").is_none(), "dropped by the chart: {cm}");
    assert_eq!(
        managers(&env, &rns, "configmap/rel-config"),
        [("helm".into(), "Apply".into()), ("kubectl-patch".into(), "Update".into())]
    );
}

/// `install --server-side=false --take-ownership` over objects someone
/// created with kubectl: Helm updates them from the rendered objects,
/// three-way against the live ones, the custom resource included (a
/// three-way JSON merge patch keeps the fields only the live one has).
#[test]
fn taking_ownership_client_side() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("cto-h"), env.namespace("cto-r"));
    let existing = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: rel-config, labels: {mine: "yes"}}
data: {msg: before, extra: kept}
---
apiVersion: csa.rhelm.test/v1
kind: Gadget
metadata: {name: rel-gadget}
spec: {msg: before, userField: kept, tags: [z]}
"#;
    let path = env.home.join("existing.yaml");
    std::fs::write(&path, existing).unwrap();
    for ns in [&hns, &rns] {
        env.kubectl_ok(&["create", "namespace", ns]);
        env.kubectl_ok(&["-n", ns, "create", "-f", &path.display().to_string()]);
    }
    let install = ["install", "rel", &chart, "--server-side=false", "--take-ownership"];
    env.run(Tool::Helm, &[&install[..], &["-n", &hns]].concat()).ok();
    env.run(Tool::Rhelm, &[&install[..], &["-n", &rns]].concat()).ok();
    assert_same_objects(&env, &hns, &rns, "the install taking ownership");
    let gadget = comparable(&env, &rns, "gadget/rel-gadget");
    assert_eq!(gadget["spec"]["userField"], "kept", "{gadget}");
}

/// Helm's update option checks, which fail the new revision (after the
/// pre-upgrade hooks) rather than the command line: `--force-conflicts`
/// needs server-side apply, and `--force-replace` excludes it.
#[test]
fn update_option_errors_match_helm() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("cue-h"), env.namespace("cue-r"));
    for (tool, ns) in [(Tool::Helm, &hns), (Tool::Rhelm, &rns)] {
        env.run(tool, &["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"]).ok();
    }
    for args in [&["--force-conflicts"][..], &["--server-side=true", "--force-replace"][..]] {
        let upgrade = |tool, ns: &str| {
            let run = env.run(tool, &[&["upgrade", "rel", &chart, "-n", ns][..], args].concat());
            (run.code(), normalize(&run.stderr(), &[ns]))
        };
        assert_eq!(upgrade(Tool::Rhelm, &rns), upgrade(Tool::Helm, &hns), "upgrade {args:?}");
    }
    let statuses = |tool, ns: &str| env.run(tool, &["history", "rel", "-n", ns, "-o", "json"]).ok().stdout();
    let h: Value = serde_json::from_str(&statuses(Tool::Helm, &hns)).unwrap();
    let r: Value = serde_json::from_str(&statuses(Tool::Rhelm, &rns)).unwrap();
    let descriptions = |v: &Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|e| format!("{} {}", e["status"], e["description"])).collect()
    };
    assert_eq!(descriptions(&r), descriptions(&h));
}

/// An upgrade adopting an object that already exists (new in the chart,
/// created beforehand with Helm's ownership metadata): Helm patches it
/// from the rendered object as original, so the live object's own keys
/// stay.
#[test]
fn upgrade_adopting_an_existing_object_client_side() {
    let env = Env::new();
    gadget_crd(&env);
    let chart = release_chart("client-side");
    let (hns, rns) = (env.namespace("cua-h"), env.namespace("cua-r"));
    for ns in [&hns, &rns] {
        env.run(Tool::Helm, &["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"]).ok();
        env.kubectl_ok(&["-n", ns, "create", "configmap", "rel-extra", "--from-literal=theirs=kept"]);
        env.kubectl_ok(&["-n", ns, "label", "configmap", "rel-extra", "app.kubernetes.io/managed-by=Helm"]);
        let release_ns = format!("meta.helm.sh/release-namespace={ns}");
        env.kubectl_ok(&["-n", ns, "annotate", "configmap", "rel-extra", "meta.helm.sh/release-name=rel", &release_ns]);
    }
    let upgrade = ["upgrade", "rel", &chart, "--set", "v2=true"];
    env.run(Tool::Helm, &[&upgrade[..], &["-n", &hns]].concat()).ok();
    env.run(Tool::Rhelm, &[&upgrade[..], &["-n", &rns]].concat()).ok();
    assert_same_objects(&env, &hns, &rns, "the adopting upgrade");
    let (h, r) = (comparable(&env, &hns, "configmap/rel-extra"), comparable(&env, &rns, "configmap/rel-extra"));
    assert_eq!(r, h, "the adopted ConfigMap");
    assert_eq!(r["data"]["theirs"], "kept", "{r}");
}

/// The `status description` of each revision, oldest first.
fn history(env: &Env, tool: Tool, ns: &str) -> Vec<String> {
    let json = env.run(tool, &["history", "rel", "-n", ns, "-o", "json"]).ok().stdout();
    let v: Value = serde_json::from_str(&json).unwrap();
    v.as_array().unwrap().iter().map(|e| format!("{} {}", e["status"], e["description"])).collect()
}

/// A Deployment whose container carries a field `Container` does not have
/// (`--disable-openapi-validation` lets it through; the API server drops
/// it): Helm looks the field up in client-go's structs while computing
/// the strategic patch and fails that object with `unable to find api
/// field in struct Container`, while the ConfigMap is still updated. The
/// exit code, the message, the failed revision and the live objects are
/// helm's.
#[test]
fn a_field_the_schema_lacks_fails_the_patch_as_in_helm() {
    let env = Env::new();
    let chart = release_chart("client-side-unknown-field");
    let (hns, rns) = (env.namespace("csu-h"), env.namespace("csu-r"));
    for ns in [&hns, &rns] {
        let install = ["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"];
        env.run(Tool::Helm, &[&install[..], &["--disable-openapi-validation"]].concat()).ok();
    }
    let upgrade = ["upgrade", "rel", &chart, "--set", "v=2", "--disable-openapi-validation"];
    let h = env.run(Tool::Helm, &[&upgrade[..], &["-n", &hns]].concat());
    let r = env.run(Tool::Rhelm, &[&upgrade[..], &["-n", &rns]].concat());
    assert!(
        h.stderr().contains(
            "failed to create patch: unable to find api field in struct Container for the json field \"bogus\""
        ),
        "helm: {}",
        h.stderr()
    );
    assert_eq!(
        (r.code(), normalize(&r.stderr(), &[&rns])),
        (h.code(), normalize(&h.stderr(), &[&hns])),
        "rhelm's (left) failure differs from helm's"
    );
    assert_eq!(history(&env, Tool::Rhelm, &rns), history(&env, Tool::Helm, &hns));
    assert_same(&env, &hns, &rns, &["configmap/rel-config", "deployment/rel-web"], "the failed upgrade");
    let web = comparable(&env, &rns, "deployment/rel-web");
    assert_eq!(web["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.1", "not patched: {web}");
    assert_eq!(comparable(&env, &rns, "configmap/rel-config")["data"]["v"], "2");
}

/// A rollback to a revision with an object the current revision dropped
/// but the cluster kept (`helm.sh/resource-policy: keep`): the object is
/// not in the current release, so Helm warns on stderr that it patches
/// from the live object, and the patch from it removes what another
/// writer added. Output and live objects are helm's.
#[test]
fn rollback_over_a_kept_object_warns_and_patches_from_the_live_one() {
    let env = Env::new();
    let chart = release_chart("client-side-kept");
    let (hns, rns) = (env.namespace("csk-h"), env.namespace("csk-r"));
    for ns in [&hns, &rns] {
        env.run(Tool::Helm, &["install", "rel", &chart, "-n", ns, "--create-namespace", "--server-side=false"]).ok();
        env.run(Tool::Helm, &["upgrade", "rel", &chart, "-n", ns, "--set", "kept=false,msg=bye"]).ok();
        env.kubectl_ok(&[
            "-n",
            ns,
            "patch",
            "configmap/rel-kept",
            "--type",
            "merge",
            "-p",
            r#"{"metadata":{"labels":{"user":"edit"}},"data":{"mine":"added"}}"#,
        ]);
    }
    let h = env.run(Tool::Helm, &["rollback", "rel", "1", "-n", &hns]).ok();
    let r = env.run(Tool::Rhelm, &["rollback", "rel", "1", "-n", &rns]).ok();
    assert!(h.stderr().contains("level=WARN msg=\"resource exists on cluster but not in original release, using cluster state as baseline\""), "helm: {}", h.stderr());
    assert_eq!(
        (r.stdout(), normalize(&r.stderr(), &[&rns])),
        (h.stdout(), normalize(&h.stderr(), &[&hns])),
        "rhelm's (left) output differs from helm's"
    );
    assert_same(&env, &hns, &rns, &["configmap/rel-main", "configmap/rel-kept"], "the rollback");
    let kept = comparable(&env, &rns, "configmap/rel-kept");
    assert!(kept["data"].get("mine").is_none(), "the live object was the original: {kept}");
}

/// The Widget CRD for the client-side-hooks chart, in a group named after
/// the namespace: each tool installs its own CRD (they are cluster-wide),
/// and `comparable` masks the namespace in it.
fn widget_crd(group: &str) -> String {
    format!(
        r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.{group}
spec:
  group: {group}
  scope: Namespaced
  names: {{plural: widgets, singular: widget, kind: Widget}}
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
              x-kubernetes-preserve-unknown-fields: true
"#
    )
}

/// Deletes the CRDs a test made when it ends, passed or not.
struct CrdCleanup<'a>(&'a Env, Vec<String>);

impl Drop for CrdCleanup<'_> {
    fn drop(&mut self) {
        for crd in &self.1 {
            self.0.kubectl(&["delete", "crd", crd, "--wait=false", "--ignore-not-found"]);
        }
    }
}

/// `install --server-side=false --create-namespace` of a chart with a CRD
/// in crds/, hooks of every install and upgrade phase and a custom
/// resource, then an upgrade (client-side, as `auto` follows the
/// release): the namespace, the CRD, the hooks and the release objects
/// are created with POSTs and patched as helm does, so the live objects,
/// managed fields included, and the output are helm's.
#[test]
fn hooks_crds_and_created_namespace_client_side() {
    let env = Env::new();
    let (hns, rns) = (env.namespace("csh-h"), env.namespace("csh-r"));
    let group = |ns: &str| format!("{ns}.rhelm.test");
    let _cleanup = CrdCleanup(&env, vec![format!("widgets.{}", group(&hns)), format!("widgets.{}", group(&rns))]);
    let source = std::path::PathBuf::from(release_chart("client-side-hooks"));
    let chart = |ns: &str| {
        let dir = env.home.join(ns).join("client-side-hooks");
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        std::fs::create_dir_all(dir.join("crds")).unwrap();
        for f in ["Chart.yaml", "values.yaml", "templates/hooks.yaml", "templates/objects.yaml"] {
            std::fs::copy(source.join(f), dir.join(f)).unwrap();
        }
        std::fs::write(dir.join("crds/widget.yaml"), widget_crd(&group(ns))).unwrap();
        dir.display().to_string()
    };
    let (hchart, rchart) = (chart(&hns), chart(&rns));
    let step = |args: &[&str]| {
        let run = |tool, ns: &str, chart: &str| {
            let set = format!("group={}", group(ns));
            let full = [&args[..1], &["rel", chart, "-n", ns, "--set", &set], &args[1..]].concat();
            let r = env.run(tool, &full);
            (r.code(), normalize(&r.stdout(), &[ns]), normalize(&r.stderr(), &[ns]))
        };
        let h = run(Tool::Helm, &hns, &hchart);
        assert_eq!(h.0, 0, "helm {args:?}: {}", h.2);
        assert_eq!(run(Tool::Rhelm, &rns, &rchart), h, "rhelm's (left) {args:?} differs from helm's");
    };
    let compare = |objects: &[&str], step: &str| {
        for what in objects {
            let name = |ns: &str| what.replace("GROUP", &group(ns)).replace("NAMESPACE", ns);
            let (h, r) = (comparable(&env, &hns, &name(&hns)), comparable(&env, &rns, &name(&rns)));
            assert_eq!(
                r,
                h,
                "{what} after {step}: rhelm's (left) differs from helm's (right):\nrhelm: {}\nhelm:  {}",
                serde_json::to_string_pretty(&r).unwrap(),
                serde_json::to_string_pretty(&h).unwrap()
            );
        }
    };
    let objects = [
        "namespace/NAMESPACE",
        "crd/widgets.GROUP",
        "configmap/rel-config",
        "widgets.GROUP/rel-widget",
        "configmap/rel-pre-install",
        "configmap/rel-post-install",
        "configmap/rel-pre-both",
    ];

    step(&["install", "--create-namespace", "--server-side=false"]);
    compare(&objects, "the install");
    let cm = comparable(&env, &rns, "configmap/rel-pre-both");
    assert_eq!(cm["metadata"]["managedFields"][0]["operation"], "Update", "a POST: {cm}");

    for ns in [&hns, &rns] {
        env.kubectl_ok(&[
            "-n",
            ns,
            "patch",
            "configmap/rel-config",
            "--type",
            "merge",
            "-p",
            r#"{"data":{"mine":"kept"}}"#,
        ]);
    }
    step(&["upgrade", "--set", "msg=bye"]);
    compare(&[&objects[..], &["configmap/rel-pre-upgrade", "configmap/rel-post-upgrade"]].concat(), "the upgrade");
    assert_eq!(env.release_record(&rns, "rel", 2)["apply_method"], "csa");
}
