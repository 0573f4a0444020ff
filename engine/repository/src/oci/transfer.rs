//! Pushing and pulling charts, and resolving `--version` against tags.

use super::*;

/// `helm push CHART.tgz oci://host/path`: pushes to `host/path/NAME:VERSION`.
pub(super) fn push_inner(archive: &Path, remote: &str, opts: &OciOptions) -> Result<PushResult, String> {
    if !is_oci(remote) {
        return Err(format!("scheme prefix missing from remote (e.g. \"oci://\"): {remote}"));
    }
    let data = std::fs::read(archive).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{}: no such file", archive.display()),
        _ => format!("{}: {}", archive.display(), crate::go_io_error(&e)),
    })?;
    let chart = rhelm_chart::load::load_archive(&data).map_err(|e| e.to_string())?;
    let meta = &chart.metadata;
    let tag = meta.version.replace('+', "_");
    let reference = format!("{}/{}:{tag}", remote.trim_start_matches("oci://").trim_end_matches('/'), meta.name);
    let config = J::Obj(crate::json_out::metadata_fields(meta)).compact().into_bytes();
    // Helm dates the artifact by the archive's modification time, so pushing
    // the same file twice (with either tool) gives the same manifest.
    let created = created_at(archive);
    let prov_path = PathBuf::from(format!("{}.prov", archive.display()));
    let prov = match std::fs::read(&prov_path) {
        Ok(p) => Some(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: {}", prov_path.display(), crate::go_io_error(&e))),
    };
    let manifest = manifest_json(&config, &data, prov.as_deref(), &annotations(meta, &created));
    let manifest_digest = format!("sha256:{}", digest(manifest.as_bytes()));
    let parsed = parse_reference(&reference)?;
    let client = client(opts)?;
    let auth = auth(host_of(remote), opts);
    if matches!(auth, RegistryAuth::Anonymous) {
        check_anonymous_push(&reference, &manifest_digest, opts)?;
    }
    runtime()?.block_on(async {
        client.store_auth_if_needed(parsed.resolve_registry(), &auth).await;
        client
            .auth(&parsed, &auth, oci_client::RegistryOperation::Push)
            .await
            .map_err(|e| registry_error(&reference, &e))?;
        for blob in [Some(&config), Some(&data), prov.as_ref()].into_iter().flatten() {
            let d = format!("sha256:{}", digest(blob));
            client.push_blob(&parsed, blob, &d).await.map_err(|e| registry_error(&reference, &e))?;
        }
        client
            .push_manifest_raw(
                &parsed,
                manifest.clone().into_bytes(),
                MANIFEST_MEDIA_TYPE.parse().expect("a valid header value"),
            )
            .await
            .map_err(|e| registry_error(&reference, &e))?;
        Ok::<(), String>(())
    })?;
    Ok(PushResult { reference, digest: manifest_digest })
}

/// `helm pull oci://host/path/name --version V`: the tag named (or the
/// newest tag matching V), its chart layer checked against its digest.
pub(super) fn pull_inner(reference: &str, version: &str, opts: &OciOptions) -> Result<Pulled, String> {
    let bare = reference.trim_start_matches("oci://");
    let as_given = bare;
    // `name@sha256:...` (or `name:tag@sha256:...`) names one manifest: no tag to resolve.
    let (bare, pinned) = match bare.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (bare, None),
    };
    let (repo_part, tag_in_ref) = split_tag(bare);
    let tag = match (tag_in_ref, version.trim()) {
        _ if pinned.is_some() => String::new(),
        // Helm reads a tag in the reference as a version constraint.
        (Some(t), _) if Version::parse_strict(t).is_ok() => t.to_string(),
        (Some(t), _) => {
            Constraints::parse(t).map_err(|_| format!("improper constraint: {t:?}"))?;
            resolve_tag(repo_part, t, opts)?
        }
        (None, v) if !v.is_empty() && Version::parse_strict(v).is_ok() => v.replace('+', "_"),
        (None, v) => resolve_tag(repo_part, v, opts)?,
    };
    let full = match pinned {
        Some(d) => format!("{repo_part}@{d}"),
        None => format!("{repo_part}:{tag}"),
    };
    let parsed = parse_reference(&full)?;
    let client = client(opts)?;
    let auth = auth(host_of(bare), opts);
    let (manifest, manifest_digest, data) = runtime()?.block_on(async {
        let anonymous = matches!(auth, RegistryAuth::Anonymous);
        let (raw, d) = client
            .pull_manifest_raw(&parsed, &auth, &[MANIFEST_MEDIA_TYPE])
            .await
            .map_err(|e| fetch_error(&full, &e, anonymous))?;
        let manifest: serde_json::Value =
            serde_json::from_slice(&raw).map_err(|e| format!("{full}: the manifest is not JSON: {e}"))?;
        let layer = manifest["layers"]
            .as_array()
            .and_then(|ls| {
                ls.iter().find(|l| {
                    l["mediaType"] == CHART_LAYER_MEDIA_TYPE || l["mediaType"] == LEGACY_CHART_LAYER_MEDIA_TYPE
                })
            })
            .cloned()
            .ok_or_else(|| format!("manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}"))?;
        let fetch = |layer: serde_json::Value, what: &'static str| {
            let (client, parsed, full) = (&client, &parsed, &full);
            async move {
                let want = layer["digest"].as_str().unwrap_or_default().to_string();
                let descriptor = oci_client::manifest::OciDescriptor {
                    media_type: layer["mediaType"].as_str().unwrap_or_default().to_string(),
                    digest: want.clone(),
                    size: layer["size"].as_i64().unwrap_or(0),
                    ..Default::default()
                };
                let mut data = Vec::new();
                client.pull_blob(parsed, &descriptor, &mut data).await.map_err(|e| registry_error(full, &e))?;
                if format!("sha256:{}", digest(&data)) != want {
                    return Err(format!("{full}: the {what} layer does not match its digest {want}"));
                }
                Ok::<_, String>(data)
            }
        };
        let data = fetch(layer, "chart").await?;
        let prov_layer = manifest["layers"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["mediaType"] == PROV_LAYER_MEDIA_TYPE))
            .cloned();
        let prov = match prov_layer {
            Some(l) => Some(fetch(l, "provenance").await?),
            None => None,
        };
        Ok::<_, String>((manifest, d, (data, prov)))
    })?;
    let (data, prov) = data;
    if let Some(d) = pinned {
        if d != manifest_digest {
            return Err(format!("{full}: the registry sent a manifest with digest {manifest_digest}"));
        }
    }
    let _ = manifest;
    let name = repo_part.rsplit('/').next().unwrap_or(repo_part);
    let file_name = match pinned {
        // Helm names the file after the reference's last segment, its last
        // `:` made `-` (`web@sha256-HEX.tgz`), not after the chart.
        Some(_) => {
            let last = as_given.rsplit('/').next().unwrap_or(as_given);
            match last.rsplit_once(':') {
                Some((a, b)) => format!("{a}-{b}.tgz"),
                None => format!("{last}.tgz"),
            }
        }
        // The chart version: `_` back to `+`.
        None => format!("{name}-{}.tgz", tag.replace('_', "+")),
    };
    Ok(Pulled { reference: full.clone(), digest: manifest_digest, data, file_name, prov })
}

/// `name:tag` split off a reference whose last segment may hold a tag.
pub(super) fn split_tag(r: &str) -> (&str, Option<&str>) {
    let last_slash = r.rfind('/').unwrap_or(0);
    match r[last_slash..].find(':') {
        Some(i) => (&r[..last_slash + i], Some(&r[last_slash + i + 1..])),
        None => (r, None),
    }
}

/// The newest tag satisfying `constraint` (any version when empty).
pub(super) fn resolve_tag(repo: &str, constraint: &str, opts: &OciOptions) -> Result<String, String> {
    let tags = tags_inner(repo, opts)?;
    let c = Constraints::parse(if constraint.is_empty() { "*" } else { constraint })
        .map_err(|e| e.message().to_string())?;
    newest_tag(tags, &c)
        .map(|(_, t)| t)
        .ok_or_else(|| format!("could not locate a version matching provided version string {constraint}"))
}

/// The tag of the newest version satisfying `c` (tags write `+` as `_`),
/// with that version.
pub fn newest_tag(tags: Vec<String>, c: &Constraints) -> Option<(Version, String)> {
    let mut best: Option<(Version, String)> = None;
    for t in tags {
        let Ok(v) = Version::parse(&t.replace('_', "+")) else { continue };
        if c.check(&v) && best.as_ref().is_none_or(|(b, _)| v > *b) {
            best = Some((v, t));
        }
    }
    best
}

/// Every tag of a repository.
pub(super) fn tags_inner(repo: &str, opts: &OciOptions) -> Result<Vec<String>, String> {
    let bare = repo.trim_start_matches("oci://");
    let parsed = parse_reference(&format!("{bare}:latest"))?;
    let client = client(opts)?;
    let auth = auth(host_of(bare), opts);
    let resp =
        runtime()?.block_on(client.list_tags(&parsed, &auth, None, None)).map_err(|e| registry_error(bare, &e))?;
    Ok(resp.tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_from_the_last_segment() {
        assert_eq!(split_tag("127.0.0.1:5000/charts/web:0.3.1"), ("127.0.0.1:5000/charts/web", Some("0.3.1")));
        assert_eq!(split_tag("127.0.0.1:5000/charts/web"), ("127.0.0.1:5000/charts/web", None));
        assert_eq!(host_of("oci://127.0.0.1:5000/charts/web"), "127.0.0.1:5000");
    }
}
