//! Client-side apply (`--server-side=false`, and every release Helm 3
//! made): objects are created with a POST and updated with a patch the
//! client computes from three versions of the object, or replaced with a
//! PUT (`--force-replace`). This is Helm's pkg/kube/client.go
//! `createResource`, `patchResourceClientSide`/`createPatch` and
//! `replaceResource`, all under the field manager `helm`, which the server
//! records with operation `Update`.

use std::sync::Arc;

use kube::api::{DynamicObject, Patch, PatchParams, PostParams};
use serde_json::Value;

use crate::apply::{apply_one, ApplyOptions};
use crate::connect::{in_order, Kube};
use crate::error::KubeError;
use crate::patch::{merge, strategic, Node, OpenApi};
use crate::resource::Resource;

/// The field manager Helm sets (cmd/helm sets `kube.ManagedFieldsManager`),
/// so that fields rhelm writes stay owned by the same name as Helm's.
const FIELD_MANAGER: &str = "helm";

/// One write of an object, in the way the action chose.
pub enum Write<'a> {
    /// Server-side apply.
    Apply(&'a Resource, &'a ApplyOptions),
    /// Server-side apply of an object the release may have applied
    /// client-side before: the field ownership of the client-side manager
    /// is moved to the server-side one first (csaupgrade).
    UpgradeAndApply(&'a Resource, &'a ApplyOptions),
    /// Create with a POST: an existing object is an `AlreadyExists` error.
    Create(&'a Resource),
    /// Client-side update: a patch from `original` (the object in the
    /// previous release; `None` when it had none, and then the live object
    /// stands in, as in Helm) to the target, against the live object.
    Patch {
        original: Option<&'a Resource>,
        target: &'a Resource,
        /// Three-way JSON merge for kinds without strategic metadata (an
        /// install taking ownership client-side); otherwise two-way.
        three_way_unstructured: bool,
    },
    /// `--force-replace`: a PUT of the target over the live object.
    Replace(&'a Resource),
}

impl Kube {
    /// Performs the writes concurrently, one result per write in order.
    pub fn write_all(&self, writes: &[Write]) -> Vec<Result<(), KubeError>> {
        let patches = writes.iter().any(|w| matches!(w, Write::Patch { .. }));
        // Patch metadata is read before the writes start; without it every
        // patch fails with the reason (the other writes still go ahead).
        let openapi = if patches { self.openapi().map(Some) } else { Ok(None) };
        self.block_on(in_order(writes.iter().map(|w| {
            let openapi = &openapi;
            async move {
                match w {
                    Write::Apply(r, o) => apply_one(self, r, o).await.map(|_| ()),
                    Write::UpgradeAndApply(r, o) => {
                        upgrade_managed_fields(self, r, o.dry_run).await?;
                        apply_one(self, r, o).await.map(|_| ())
                    }
                    Write::Create(r) => create_one(self, r).await.map(|_| ()),
                    Write::Patch { original, target, three_way_unstructured } => {
                        let api = match openapi {
                            Ok(Some(api)) => api.clone(),
                            // Not fetched means no patch was expected; an
                            // empty schema still patches, by default rules.
                            Ok(None) => Arc::new(OpenApi::parse(Value::Null)),
                            Err(e) => return Err(e.clone().context("failed to create patch")),
                        };
                        patch_one(self, &api, *original, target, *three_way_unstructured).await
                    }
                    Write::Replace(r) => replace_one(self, r).await,
                }
            }
        })))
    }

    /// The server's OpenAPI v2 document, fetched once.
    pub(crate) fn openapi(&self) -> Result<Arc<OpenApi>, KubeError> {
        if let Some(api) = self.openapi.lock().unwrap().as_ref() {
            return Ok(api.clone());
        }
        let request = http::Request::get("/openapi/v2")
            .header("Accept", "application/json")
            .body(Vec::new())
            .map_err(|e| KubeError::new(e.to_string()))?;
        let text = self
            .block_on(self.client.request_text(request))
            .map_err(|e| KubeError::from(e).context("cannot read the API server's OpenAPI schema"))?;
        let doc: Value = serde_json::from_str(&text)
            .map_err(|e| KubeError::new(format!("cannot read the API server's OpenAPI schema: {e}")))?;
        let api = Arc::new(OpenApi::parse(doc));
        *self.openapi.lock().unwrap() = Some(api.clone());
        Ok(api)
    }
}

fn to_dynamic(v: &Value) -> Result<DynamicObject, KubeError> {
    serde_json::from_value(v.clone()).map_err(|e| KubeError::new(e.to_string()))
}

fn to_value(o: DynamicObject) -> Result<Value, KubeError> {
    serde_json::to_value(o).map_err(|e| KubeError::new(e.to_string()))
}

pub(crate) async fn create_one(kube: &Kube, r: &Resource) -> Result<Value, KubeError> {
    let pp = PostParams { field_manager: Some(FIELD_MANAGER.into()), ..PostParams::default() };
    let live = r.api(kube).create(&pp, &to_dynamic(&r.object)?).await?;
    to_value(live)
}

async fn patch_one(
    kube: &Kube,
    api: &OpenApi,
    original: Option<&Resource>,
    target: &Resource,
    three_way_unstructured: bool,
) -> Result<(), KubeError> {
    let ns = target.namespace.as_deref().unwrap_or("");
    let current = match target.api(kube).get_opt(&target.name).await {
        Ok(live) => live.map(to_value).transpose()?.unwrap_or(Value::Null),
        Err(e) => {
            return Err(KubeError::from(e).context(format!(
                "failed to create patch: unable to get data for current object {ns}/{}",
                target.name
            )))
        }
    };
    let original = original.map(|o| &o.object).unwrap_or(&current);
    let strategic = api.is_strategic(&target.api.group, &target.api.version, &target.kind);
    let patch = if strategic {
        let schema =
            api.kind(&target.api.group, &target.api.version, &target.kind).unwrap_or_else(|| Node::unknown(api));
        strategic::three_way(original, &target.object, &current, schema)
            .map_err(|e| KubeError::new(format!("failed to create patch: {e}")))?
    } else if three_way_unstructured {
        json_three_way(original, &target.object, &current)?
    } else {
        merge::two_way(original, &target.object)
    };
    // Helm sends nothing for an empty patch.
    if patch.is_empty() {
        return Ok(());
    }
    let patch = Value::Object(patch);
    let body = if strategic { Patch::Strategic(&patch) } else { Patch::Merge(&patch) };
    let pp = PatchParams { field_manager: Some(FIELD_MANAGER.into()), ..PatchParams::default() };
    target
        .api(kube)
        .patch(&target.name, &pp, &body)
        .await
        .map_err(|e| KubeError::from(e).context(format!("cannot patch {:?} with kind {}", target.name, target.kind)))?;
    Ok(())
}

/// client-go's spelling of a kind: `apps/v1, Kind=Deployment`.
fn gvk(r: &Resource) -> String {
    format!("{}/{}, Kind={}", r.api.group, r.api.version, r.kind)
}

/// Helm's `upgradeClientSideFieldManager`: reads the live object, and if
/// `helm` owns fields with operation Update, moves them to its Apply entry
/// with a JSON patch that also checks the resourceVersion; a conflict (the
/// object changed meanwhile) starts over, as `RetryOnConflict` does.
async fn upgrade_managed_fields(kube: &Kube, r: &Resource, dry_run: bool) -> Result<(), KubeError> {
    let ns = r.namespace.as_deref().unwrap_or("");
    let mut attempts = 0;
    loop {
        attempts += 1;
        let live = match r.api(kube).get(&r.name).await {
            Ok(l) => to_value(l)?,
            Err(e) => {
                return Err(KubeError::from(e).context(format!("failed to get object {ns}/{} {}", r.name, gvk(r))));
            }
        };
        let Some(patch) = crate::managed_fields::upgrade_patch(&live, FIELD_MANAGER) else {
            return Ok(());
        };
        let url = format!(
            "{}/{}?fieldManager={FIELD_MANAGER}{}",
            <DynamicObject as kube::Resource>::url_path(&r.api, r.namespace.as_deref()),
            r.name,
            if dry_run { "&dryRun=All" } else { "" }
        );
        let request = http::Request::patch(url)
            .header(http::header::CONTENT_TYPE, "application/json-patch+json")
            .body(serde_json::to_vec(&patch).map_err(|e| KubeError::new(e.to_string()))?)
            .map_err(|e| KubeError::new(e.to_string()))?;
        match kube.client.request::<DynamicObject>(request).await {
            Ok(_) => return Ok(()),
            Err(e) => {
                let e = KubeError::from(e);
                if e.code == Some(409) && attempts < 5 {
                    continue;
                }
                return Err(e.context(format!(
                    "failed to patch object to upgrade CSA field manager {ns}/{} {}",
                    r.name,
                    gvk(r)
                )));
            }
        }
    }
}

/// The three-way JSON merge patch, with kubectl's preconditions: the patch
/// may not change the object's identity.
fn json_three_way(
    original: &Value,
    modified: &Value,
    current: &Value,
) -> Result<serde_json::Map<String, Value>, KubeError> {
    let patch = merge::three_way(original, modified, current);
    let changes_identity = patch.contains_key("apiVersion")
        || patch.contains_key("kind")
        || patch.get("metadata").and_then(|m| m.get("name")).is_some();
    if changes_identity {
        return Err(KubeError::new(format!(
            "failed to create patch: precondition failed for: {}: at least one field was changed: apiVersion, kind or name",
            Value::Object(patch)
        )));
    }
    Ok(patch)
}

/// `replaceResource`: the target with the live object's resourceVersion
/// (client-go's `Replace` with overwrite), PUT under Helm's field manager.
async fn replace_one(kube: &Kube, r: &Resource) -> Result<(), KubeError> {
    let wrap = |e: KubeError| e.context("failed to replace object");
    let api = r.api(kube);
    let mut object = r.object.clone();
    let has_version =
        object.pointer("/metadata/resourceVersion").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
    if !has_version {
        if let Some(live) = api.get_opt(&r.name).await.map_err(|e| wrap(e.into()))? {
            if let (Some(rv), Some(meta)) =
                (live.metadata.resource_version.clone(), object.get_mut("metadata").and_then(Value::as_object_mut))
            {
                meta.insert("resourceVersion".into(), Value::String(rv));
            }
        }
    }
    let pp = PostParams { field_manager: Some(FIELD_MANAGER.into()), ..PostParams::default() };
    api.replace(&r.name, &pp, &to_dynamic(&object)?).await.map_err(|e| wrap(e.into()))?;
    Ok(())
}
