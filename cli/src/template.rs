//! `rhelm template [NAME] CHART`: Helm's `helm template` flags, parsed here;
//! the work is `rhelm_chart::action::template`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use rhelm_chart::action::{self, TemplateRequest};
use rhelm_chart::manifest::{TemplateOptions, WriteMode};
use rhelm_chart::render::{Capabilities, KubeVersion, ReleaseOptions};
use rhelm_chart::values::{LocalReader, ValueOptions};
use rhelm_chart::Values;

#[derive(ClapArgs, Debug, Default)]
pub struct Args {
    /// [NAME] CHART
    pub args: Vec<String>,
    /// specify values in a YAML file or a URL (can specify multiple)
    /// (comma-separated names are split by the values options, as pflag's
    /// StringSlice splits them, quotes included)
    #[arg(short = 'f', long = "values")]
    pub values: Vec<String>,
    /// set values on the command line
    #[arg(long = "set")]
    pub set: Vec<String>,
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    #[arg(long = "set-file")]
    pub set_file: Vec<String>,
    #[arg(long = "set-json")]
    pub set_json: Vec<String>,
    #[arg(long = "set-literal")]
    pub set_literal: Vec<String>,
    #[arg(short = 'n', long = "namespace")]
    pub namespace: Option<String>,
    /// use release name in the output-dir path
    #[arg(long = "release-name")]
    pub release_name: bool,
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    #[arg(long = "name-template", default_value = "")]
    pub name_template: String,
    #[arg(long = "kube-version", default_value = "")]
    pub kube_version: String,
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    #[arg(long = "skip-crds")]
    pub skip_crds: bool,
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    #[arg(short = 's', long = "show-only")]
    pub show_only: Vec<String>,
    #[arg(long = "output-dir", default_value = "")]
    pub output_dir: String,
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    #[arg(long = "post-renderer", default_value = "")]
    pub post_renderer: String,
    #[arg(long = "post-renderer-args", allow_hyphen_values = true)]
    pub post_renderer_args: Vec<String>,
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    #[arg(long = "debug")]
    pub debug: bool,
    #[arg(long = "dependency-update")]
    pub dependency_update: bool,
    #[arg(long = "hide-notes", hide = true)]
    pub hide_notes: bool,
    #[arg(long = "render-subchart-notes", hide = true)]
    pub render_subchart_notes: bool,
    #[arg(long = "validate")]
    pub validate: bool,
    #[arg(long = "description", default_value = "")]
    pub description: String,
    // Accepted and without effect for a client-side render.
    #[command(flatten)]
    pub chart: crate::pull::ChartFlags,
    /// path to the file containing repository names and URLs
    #[arg(long = "repository-config")]
    pub repository_config: Option<String>,
    /// path to the directory containing cached repository indexes
    #[arg(long = "repository-cache")]
    pub repository_cache: Option<String>,
    /// path to the directory containing cached content (e.g. charts)
    #[arg(long = "content-cache")]
    pub content_cache: Option<String>,
    #[arg(long = "replace")]
    pub replace: bool,
    #[arg(long = "create-namespace")]
    pub create_namespace: bool,
    #[arg(long = "wait", num_args = 0..=1, default_missing_value = "watcher")]
    pub wait: Option<String>,
    #[arg(long = "wait-for-jobs")]
    pub wait_for_jobs: bool,
    #[arg(long = "timeout", default_value = "5m0s")]
    pub timeout: String,
    #[arg(long = "atomic")]
    pub atomic: bool,
    #[arg(long = "rollback-on-failure")]
    pub rollback_on_failure: bool,
    #[arg(long = "disable-openapi-validation")]
    pub disable_openapi_validation: bool,
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    #[arg(long = "take-ownership")]
    pub take_ownership: bool,
    #[arg(long = "force")]
    pub force: bool,
    #[arg(short = 'l', long = "labels", value_delimiter = ',')]
    pub labels: Vec<String>,
    #[arg(long = "dry-run", num_args = 0..=1, default_missing_value = "unset")]
    pub dry_run: Option<String>,
    #[arg(long = "kube-context", default_value = "")]
    pub kube_context: String,
    #[arg(long = "kubeconfig", default_value = "")]
    pub kubeconfig: String,
}

/// What the command prints; `main` writes it and exits 1 on error.
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub error: Option<String>,
}

/// Helm's `values.Options.MergeValues` over the values flags.
fn merge_user_values(a: &Args) -> Result<Values, String> {
    let opts = ValueOptions {
        value_files: a.values.clone(),
        string_values: a.set_string.clone(),
        values: a.set.clone(),
        file_values: a.set_file.clone(),
        json_values: a.set_json.clone(),
        literal_values: a.set_literal.clone(),
    };
    opts.merge_values(&LocalReader)
}

/// Helm's `NameAndChart` with `helm template`'s fixed release name.
fn name_and_chart(a: &Args) -> Result<(String, String), String> {
    let args = &a.args;
    if args.len() > 2 {
        return Err(format!("expected at most two arguments, unexpected arguments: {}", args[2..].join(", ")));
    }
    if args.len() == 2 {
        if a.generate_name {
            return Err("cannot set --generate-name and also specify a name".into());
        }
        if !a.name_template.is_empty() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        return Ok((args[0].clone(), args[1].clone()));
    }
    if !a.name_template.is_empty() {
        let mut set = rhelm_template::TemplateSet::new("name-template", rhelm_functions::sprig_funcs());
        set.parse("name-template", &a.name_template).map_err(|e| e.to_string())?;
        let name = set.render("name-template", &rhelm_template::Value::Nil).map_err(|e| e.to_string())?;
        return Ok((name, args[0].clone()));
    }
    Ok(("release-name".into(), args[0].clone()))
}

pub fn run(a: &Args) -> Outcome {
    let mut stderr = String::new();
    let mut out = Outcome { stdout: String::new(), stderr: String::new(), error: None };
    if a.hide_notes {
        stderr.push_str("Flag --hide-notes has been deprecated, this flag has no effect for 'helm template' and will be removed in Helm 5\n");
    }
    if a.render_subchart_notes {
        stderr.push_str("Flag --render-subchart-notes has been deprecated, this flag has no effect for 'helm template' and will be removed in Helm 5\n");
    }
    if a.validate {
        stderr.push_str("Flag --validate has been deprecated, use '--dry-run=server' instead\n");
    }
    let result = run_inner(a, &mut stderr);
    out.stderr = stderr;
    match result {
        Ok(stdout) => out.stdout = stdout,
        Err(e) => out.error = Some(e),
    }
    out
}

fn run_inner(a: &Args, stderr: &mut String) -> Result<String, String> {
    if a.args.is_empty() {
        return Err(
            "\"helm template\" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]".into()
        );
    }
    let kube_version = if a.kube_version.is_empty() {
        None
    } else {
        Some(
            KubeVersion::parse(&a.kube_version)
                .map_err(|e| format!("invalid kube version '{}': {e}", a.kube_version))?,
        )
    };
    let post_renderer = if a.post_renderer.is_empty() {
        None
    } else {
        match find_post_renderer(&a.post_renderer) {
            None => {
                return Err(format!(
                "invalid argument {} for \"--post-renderer\" flag: plugin: {{Name:{} Type:postrenderer/v1}} not found",
                rhelm_template::fmt::quote(&a.post_renderer),
                a.post_renderer
            ))
            }
            Some(mut pr) => {
                pr.args = a.post_renderer_args.clone();
                pr.env = vec![("HELM_NAMESPACE".into(), namespace(a))];
                pr.debug = a.debug;
                Some(pr)
            }
        }
    };
    let server_dry_run = dry_run_is_server(a.dry_run.as_deref(), stderr)? || a.validate;
    let debug = |stderr: &mut String, msg: &str, attrs: &[(&str, &str)]| {
        if a.debug {
            let line = rhelm_chart::manifest::slog_info(msg, attrs).replacen("level=INFO", "level=DEBUG", 1);
            stderr.push_str(&line);
            stderr.push('\n');
        }
    };
    debug(stderr, "Original chart version", &[("version", &a.chart.version)]);
    let (name, chart) = name_and_chart(a)?;
    let global = crate::releases::Global {
        repository_config: a.repository_config.clone(),
        repository_cache: a.repository_cache.clone(),
        content_cache: a.content_cache.clone(),
        ..Default::default()
    };
    let chart = crate::pull::locate(&chart, &a.chart, &global)?;
    if let Ok(abs) = std::path::absolute(&chart) {
        if abs.exists() {
            let clean = rhelm_chart::manifest::go_clean(&abs.to_string_lossy());
            debug(stderr, "Chart path", &[("path", &clean)]);
        }
    }
    let user_values = merge_user_values(a)?;
    let output_dir = (!a.output_dir.is_empty()).then(|| a.output_dir.clone());
    let mut opts = TemplateOptions {
        no_hooks: a.no_hooks,
        skip_tests: a.skip_tests,
        show_only: a.show_only.clone(),
        ..Default::default()
    };
    opts.render.include_crds = a.include_crds;
    opts.render.output_dir = output_dir;
    opts.render.use_release_name = a.release_name;
    opts.render.release_name = name.clone();
    let req = TemplateRequest {
        chart_path: PathBuf::from(&chart),
        user_values,
        release: ReleaseOptions {
            name,
            namespace: namespace(a),
            revision: 1,
            is_install: !a.is_upgrade,
            is_upgrade: a.is_upgrade,
        },
        capabilities: Capabilities::for_template(kube_version, &a.api_versions),
        skip_schema_validation: a.skip_schema_validation,
        debug: a.debug,
        server_dry_run,
        output: opts,
        post_renderer,
    };
    let mut stdout = String::new();
    if a.dependency_update {
        // A chart that does not load is reported by the action below.
        if let Ok(loaded) = rhelm_chart::load::load(&req.chart_path) {
            let updated = crate::install::update_missing_dependencies(&loaded, &req.chart_path, &global)?;
            stdout.push_str(&updated.unwrap_or_default());
        }
    }
    let result = action::template(&req);
    for n in &result.notices {
        stderr.push_str(n);
        stderr.push('\n');
    }
    for w in &result.writes {
        write_file(&w.path, &w.content, w.mode)?;
        stdout.push_str(&w.wrote_line());
    }
    if let Some(e) = result.error {
        // Print what precedes the error (the --debug dump) before failing.
        if !result.stdout.is_empty() {
            print!("{stdout}{}", result.stdout);
            let _ = std::io::stdout().flush();
            stdout.clear();
        }
        return Err(e);
    }
    stdout.push_str(&result.stdout);
    Ok(stdout)
}

/// Helm's `settings.Namespace()`: `-n`, else `$HELM_NAMESPACE`, else the
/// kubeconfig context's namespace (rhelm reads no kubeconfig), else `default`.
fn namespace(a: &Args) -> String {
    a.namespace
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| std::env::var("HELM_NAMESPACE").ok().filter(|n| !n.is_empty()))
        .unwrap_or_else(|| "default".into())
}

/// The directory of the `postrenderer/v1` plugin named `name`, searched as
/// Helm does: each directory of `$HELM_PLUGINS` (default
/// `$HELM_DATA_HOME/plugins`, `$XDG_DATA_HOME/helm/plugins` or
/// `~/.local/share/helm/plugins`), one plugin per subdirectory.
fn find_post_renderer(name: &str) -> Option<rhelm_chart::postrender::PostRenderer> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let dirs = env("HELM_PLUGINS").unwrap_or_else(|| {
        let data = env("HELM_DATA_HOME").map(PathBuf::from).unwrap_or_else(|| {
            env("XDG_DATA_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env("HOME").unwrap_or_default()).join(".local/share"))
                .join("helm")
        });
        data.join("plugins").to_string_lossy().into_owned()
    });
    rhelm_chart::postrender::find_plugin(&dirs, name)
}

fn warn(stderr: &mut String, msg: &str) {
    let line = rhelm_chart::manifest::slog_info(msg, &[]).replacen("level=INFO", "level=WARN", 1);
    stderr.push_str(&line);
    stderr.push('\n');
}

/// Helm's `cmdGetDryRunFlagStrategy` for `helm template`: whether the
/// render is a server-side dry run.
fn dry_run_is_server(v: Option<&str>, stderr: &mut String) -> Result<bool, String> {
    let v = match v {
        None | Some("client") => return Ok(false),
        Some("server") => return Ok(true),
        Some(v) => v,
    };
    let quoted = rhelm_template::fmt::quote(v);
    let template_only = || format!("invalid dry-run value ({quoted}). Must be \"server\" or \"client\"");
    match v {
        "unset" => {
            warn(stderr, "--dry-run is deprecated and should be replaced with '--dry-run=client'");
            Ok(false)
        }
        "none" => Err(template_only()),
        "1" | "t" | "T" | "TRUE" | "true" | "True" => {
            warn(
                stderr,
                &format!("boolean '--dry-run={v}' flag is deprecated and must be replaced with '--dry-run=client'"),
            );
            Ok(false)
        }
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Err(template_only()),
        _ => Err(format!("invalid dry-run value ({quoted}). Must be \"none\", \"server\", or \"client\"")),
    }
}

fn write_file(path: &str, content: &str, mode: WriteMode) -> Result<(), String> {
    let p = std::path::Path::new(path);
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
    }
    let append = match mode {
        WriteMode::Create => false,
        WriteMode::Append => true,
        WriteMode::AppendIfExists => p.exists(),
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(p)
        .map_err(|e| format!("open {path}: {e}"))?;
    f.write_all(content.as_bytes()).map_err(|e| format!("write {path}: {e}"))
}
