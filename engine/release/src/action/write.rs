//! How an action writes objects: Helm's `ClientCreateOption`s and
//! `ClientUpdateOption`s (pkg/kube/client.go), turned into one
//! [`Write`] per object.

use rhelm_kube::{ApplyOptions, Resource, Write};

use super::ActionError;

/// The apply method of one operation.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteMode {
    /// Server-side apply (the release's `apply_method` "ssa"); otherwise
    /// POST to create and a client-computed patch to update.
    pub server_side: bool,
    /// `--force-conflicts` (server-side only).
    pub force_conflicts: bool,
    /// `--force-replace`: updates are PUTs of the whole object.
    pub force_replace: bool,
    /// Three-way JSON merge for kinds without strategic metadata: only an
    /// install taking ownership client-side asks for it.
    pub three_way_unstructured: bool,
    /// Before a server-side update, move the fields `helm` owns from
    /// client-side applies to its server-side entry (csaupgrade).
    pub upgrade_csa_fields: bool,
}

impl WriteMode {
    pub fn new(server_side: bool, force_conflicts: bool, force_replace: bool) -> WriteMode {
        WriteMode {
            server_side,
            force_conflicts,
            force_replace,
            three_way_unstructured: false,
            upgrade_csa_fields: false,
        }
    }

    /// `KubeClient.Update`'s option checks, worded as Helm's.
    pub fn check_update(&self) -> Result<(), ActionError> {
        if !self.server_side && self.force_conflicts {
            return Err("invalid client update option(s): forceConflicts enabled when serverSideApply disabled".into());
        }
        if self.force_conflicts && self.force_replace {
            return Err("invalid operation: cannot use force conflicts and force replace together".into());
        }
        if self.server_side && self.force_replace {
            return Err("invalid operation: cannot use server-side apply and force replace together".into());
        }
        Ok(())
    }

    pub fn apply_options(&self) -> ApplyOptions {
        ApplyOptions { force: self.force_conflicts, ..ApplyOptions::default() }
    }

    /// A write creating `r` (it does not exist).
    pub fn create<'a>(&self, r: &'a Resource, apply: &'a ApplyOptions) -> Write<'a> {
        if self.server_side {
            Write::Apply(r, apply)
        } else {
            Write::Create(r)
        }
    }

    /// A write updating the live `target`, whose previous release object
    /// is `original`.
    pub fn update<'a>(
        &self,
        original: Option<&'a Resource>,
        target: &'a Resource,
        apply: &'a ApplyOptions,
    ) -> Write<'a> {
        if self.force_replace {
            Write::Replace(target)
        } else if self.server_side && self.upgrade_csa_fields {
            Write::UpgradeAndApply(target, apply)
        } else if self.server_side {
            Write::Apply(target, apply)
        } else {
            Write::Patch { original, target, three_way_unstructured: self.three_way_unstructured }
        }
    }
}

/// The method a release records: "ssa" or "csa".
pub(crate) fn apply_method(server_side: bool) -> String {
    if server_side { "ssa" } else { "csa" }.to_string()
}
