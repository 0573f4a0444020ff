//! The release record: Helm 4's `release.Release` (pkg/release/v1) with
//! its exact JSON shape. `to_json` is `json.Marshal` byte for byte;
//! `from_json` is `json.Unmarshal`, accepting Helm 3 records too.

use std::collections::BTreeMap;
use std::fmt;

use rhelm_chart::{Chart, Values};
use rhelm_template::Value;

use crate::chart_json;
use crate::gojson::{write_map, write_value, Fields, Obj};
use crate::time::{self, Time};

/// `common.Status`. Go's type is a string, so unknown texts survive a round trip.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Unknown,
    Deployed,
    Uninstalled,
    Superseded,
    Failed,
    Uninstalling,
    PendingInstall,
    PendingUpgrade,
    PendingRollback,
    /// Any other text, including the empty status of a hand-written record.
    Other(String),
}

impl Status {
    pub fn as_str(&self) -> &str {
        match self {
            Status::Unknown => "unknown",
            Status::Deployed => "deployed",
            Status::Uninstalled => "uninstalled",
            Status::Superseded => "superseded",
            Status::Failed => "failed",
            Status::Uninstalling => "uninstalling",
            Status::PendingInstall => "pending-install",
            Status::PendingUpgrade => "pending-upgrade",
            Status::PendingRollback => "pending-rollback",
            Status::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Status {
        match s {
            "unknown" => Status::Unknown,
            "deployed" => Status::Deployed,
            "uninstalled" => Status::Uninstalled,
            "superseded" => Status::Superseded,
            "failed" => Status::Failed,
            "uninstalling" => Status::Uninstalling,
            "pending-install" => Status::PendingInstall,
            "pending-upgrade" => Status::PendingUpgrade,
            "pending-rollback" => Status::PendingRollback,
            other => Status::Other(other.to_string()),
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Status::PendingInstall | Status::PendingUpgrade | Status::PendingRollback)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Info {
    pub first_deployed: Option<Time>,
    pub last_deployed: Option<Time>,
    pub deleted: Option<Time>,
    pub description: String,
    pub status: Status,
    /// The revision a rollback restored (Helm 4.3); 0 otherwise.
    pub rollback_revision: i64,
    pub notes: String,
    /// Live objects by kind, filled only for `status --show-resources`.
    pub resources: Option<Value>,
}

/// `release.HookEvent`; kept as text since unknown events are carried along.
pub type HookEvent = String;

pub const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
];

/// `release.HookPhase`: "", Unknown, Running, Succeeded, Failed.
pub type HookPhase = String;

pub mod delete_policy {
    pub const SUCCEEDED: &str = "hook-succeeded";
    pub const FAILED: &str = "hook-failed";
    pub const BEFORE_HOOK_CREATION: &str = "before-hook-creation";
}

pub mod output_log_policy {
    pub const SUCCEEDED: &str = "hook-succeeded";
    pub const FAILED: &str = "hook-failed";
}

#[derive(Clone, Debug, Default)]
pub struct HookExecution {
    pub started_at: Option<Time>,
    pub completed_at: Option<Time>,
    pub phase: HookPhase,
}

#[derive(Clone, Debug, Default)]
pub struct Hook {
    pub name: String,
    pub kind: String,
    pub path: String,
    pub manifest: String,
    pub events: Vec<HookEvent>,
    pub last_run: HookExecution,
    pub weight: i64,
    pub delete_policies: Vec<String>,
    pub output_log_policies: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Release {
    pub name: String,
    pub info: Option<Info>,
    pub chart: Option<Chart>,
    /// User-supplied values only (not coalesced).
    pub config: Values,
    /// The record had no `config` (Go's nil map, which prints as `null`
    /// where an empty one prints `{}`).
    pub config_nil: bool,
    pub manifest: String,
    pub hooks: Vec<Hook>,
    pub version: i64,
    pub namespace: String,
    /// "ssa", "csa" or empty (meaning csa).
    pub apply_method: String,
    /// Storage-object labels; never part of the JSON.
    pub labels: BTreeMap<String, String>,
}

impl Release {
    pub fn status(&self) -> Status {
        self.info.as_ref().map(|i| i.status.clone()).unwrap_or(Status::Other(String::new()))
    }

    pub fn info_mut(&mut self) -> &mut Info {
        self.info.get_or_insert_with(Info::default)
    }

    /// `json.Marshal(release)`.
    pub fn to_json(&self) -> Result<String, String> {
        let mut out = String::new();
        self.write_json(&mut out, true)?;
        Ok(out)
    }

    /// `include_chart` false writes the record as `helm status -o json`
    /// shows it (Helm sets `Chart = nil` there).
    pub fn write_json(&self, out: &mut String, include_chart: bool) -> Result<(), String> {
        let mut o = Obj::new(out);
        o.str_omitempty("name", &self.name);
        if let Some(info) = &self.info {
            info.write_json(o.key("info"))?;
        }
        if include_chart {
            if let Some(c) = &self.chart {
                chart_json::write_chart(o.key("chart"), c)?;
            }
        }
        if !self.config.is_empty() {
            write_map(o.key("config"), &self.config)?;
        }
        o.str_omitempty("manifest", &self.manifest);
        if !self.hooks.is_empty() {
            let out = o.key("hooks");
            out.push('[');
            for (i, h) in self.hooks.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                h.write_json(out);
            }
            out.push(']');
        }
        o.int_omitempty("version", self.version);
        o.str_omitempty("namespace", &self.namespace);
        o.str_omitempty("apply_method", &self.apply_method);
        o.end();
        Ok(())
    }

    /// `json.Unmarshal` into a `release.Release`.
    pub fn from_json(s: &str) -> Result<Release, String> {
        let v = rhelm_functions::json::from_str(s).map_err(|e| e.to_string())?;
        Release::from_value(&v)
    }

    /// From a decoded JSON document (also what a YAML list item becomes).
    pub fn from_value(v: &Value) -> Result<Release, String> {
        let f = Fields::of(v, "release.Release")?;
        let mut hooks = Vec::new();
        for h in f.list("hooks")? {
            if !h.is_nil() {
                hooks.push(Hook::from_value(&h)?);
            }
        }
        Ok(Release {
            name: f.str("name")?,
            info: match f.get("info") {
                Some(i) => Some(Info::from_value(i)?),
                None => None,
            },
            chart: match f.get("chart") {
                Some(c) => Some(chart_json::read_chart(c)?),
                None => None,
            },
            config_nil: f.get("config").is_none(),
            config: f.map("config")?.unwrap_or_default(),
            manifest: f.str("manifest")?,
            hooks,
            version: f.int("version")?,
            namespace: f.str("namespace")?,
            apply_method: f.str("apply_method")?,
            labels: BTreeMap::new(),
        })
    }
}

fn time_field(o: &mut Obj, k: &str, t: &Option<Time>) {
    if let Some(t) = t {
        o.str(k, &time::to_rfc3339(t));
    }
}

impl Info {
    pub fn write_json(&self, out: &mut String) -> Result<(), String> {
        let mut o = Obj::new(out);
        time_field(&mut o, "first_deployed", &self.first_deployed);
        time_field(&mut o, "last_deployed", &self.last_deployed);
        time_field(&mut o, "deleted", &self.deleted);
        o.str_omitempty("description", &self.description);
        o.str_omitempty("status", self.status.as_str());
        o.int_omitempty("rollback_revision", self.rollback_revision);
        o.str_omitempty("notes", &self.notes);
        if let Some(r) = &self.resources {
            if r.len().unwrap_or(0) > 0 {
                write_value(o.key("resources"), r)?;
            }
        }
        o.end();
        Ok(())
    }

    pub fn from_value(v: &Value) -> Result<Info, String> {
        let f = Fields::of(v, "release.Info")?;
        Ok(Info {
            first_deployed: f.time("first_deployed")?,
            last_deployed: f.time("last_deployed")?,
            deleted: f.time("deleted")?,
            description: f.str("description")?,
            status: Status::parse(&f.str("status")?),
            rollback_revision: f.int("rollback_revision")?,
            notes: f.str("notes")?,
            resources: f.get("resources").cloned(),
        })
    }
}

impl HookExecution {
    pub fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        time_field(&mut o, "started_at", &self.started_at);
        time_field(&mut o, "completed_at", &self.completed_at);
        o.str("phase", &self.phase);
        o.end();
    }
}

impl Hook {
    pub fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        o.str_omitempty("name", &self.name);
        o.str_omitempty("kind", &self.kind);
        o.str_omitempty("path", &self.path);
        o.str_omitempty("manifest", &self.manifest);
        o.strs_omitempty("events", &self.events);
        self.last_run.write_json(o.key("last_run"));
        o.int_omitempty("weight", self.weight);
        o.strs_omitempty("delete_policies", &self.delete_policies);
        o.strs_omitempty("output_log_policies", &self.output_log_policies);
        o.end();
    }

    pub fn from_value(v: &Value) -> Result<Hook, String> {
        let f = Fields::of(v, "release.Hook")?;
        let last_run = match f.get("last_run") {
            Some(lr) => {
                let lf = Fields::of(lr, "release.HookExecution")?;
                HookExecution {
                    started_at: lf.time("started_at")?,
                    completed_at: lf.time("completed_at")?,
                    phase: lf.str("phase")?,
                }
            }
            None => HookExecution::default(),
        };
        Ok(Hook {
            name: f.str("name")?,
            kind: f.str("kind")?,
            path: f.str("path")?,
            manifest: f.str("manifest")?,
            events: f.strs("events")?,
            last_run,
            weight: f.int("weight")?,
            delete_policies: f.strs("delete_policies")?,
            output_log_policies: f.strs("output_log_policies")?,
        })
    }
}
