//! `rhelm template`'s flags read straight from the command line, for the
//! plain forms almost every invocation uses: `--flag value`, `--flag=value`,
//! `-f value`, switches, and positional arguments. Building clap's command
//! for `template` (some sixty flags) and parsing with it took about 0.3 ms,
//! 5% of rendering a bitnami chart. Anything else (help, errors, `--`,
//! grouped or attached short flags, a value that starts with `-`, a flag
//! given twice where clap keeps one) is left to clap, which gives the same
//! result or the error.
//!
//! The table below must say what the clap definition of [`Args`] says; a
//! test compares them flag by flag, and debug builds check every parse
//! against clap's.

use std::ffi::OsString;

use crate::template::Args;

/// How a flag takes its value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A switch (`ArgAction::SetTrue`).
    Switch,
    /// One value, kept (`ArgAction::Set`).
    One,
    /// Values appended at each use (`ArgAction::Append`).
    Many,
    /// Values appended at each use, each split at commas.
    ManyCommaSplit,
}

/// Every flag of `rhelm template`: long name, short name, kind.
const FLAGS: &[(&str, Option<char>, Kind)] = &[
    ("values", Some('f'), Kind::Many),
    ("set", None, Kind::Many),
    ("set-string", None, Kind::Many),
    ("set-file", None, Kind::Many),
    ("set-json", None, Kind::Many),
    ("set-literal", None, Kind::Many),
    ("namespace", Some('n'), Kind::One),
    ("release-name", None, Kind::Switch),
    ("generate-name", Some('g'), Kind::Switch),
    ("name-template", None, Kind::One),
    ("kube-version", None, Kind::One),
    ("api-versions", Some('a'), Kind::ManyCommaSplit),
    ("include-crds", None, Kind::Switch),
    ("skip-crds", None, Kind::Switch),
    ("skip-tests", None, Kind::Switch),
    ("no-hooks", None, Kind::Switch),
    ("show-only", Some('s'), Kind::Many),
    ("output-dir", None, Kind::One),
    ("is-upgrade", None, Kind::Switch),
    ("post-renderer", None, Kind::One),
    ("post-renderer-args", None, Kind::Many),
    ("skip-schema-validation", None, Kind::Switch),
    ("debug", None, Kind::Switch),
    ("dependency-update", None, Kind::Switch),
    ("hide-notes", None, Kind::Switch),
    ("render-subchart-notes", None, Kind::Switch),
    ("validate", None, Kind::Switch),
    ("description", None, Kind::One),
    ("version", None, Kind::One),
    ("devel", None, Kind::Switch),
    ("repo", None, Kind::One),
    ("username", None, Kind::One),
    ("password", None, Kind::One),
    ("pass-credentials", None, Kind::Switch),
    ("ca-file", None, Kind::One),
    ("cert-file", None, Kind::One),
    ("key-file", None, Kind::One),
    ("insecure-skip-tls-verify", None, Kind::Switch),
    ("plain-http", None, Kind::Switch),
    ("verify", None, Kind::Switch),
    ("keyring", None, Kind::One),
    ("repository-config", None, Kind::One),
    ("repository-cache", None, Kind::One),
    ("content-cache", None, Kind::One),
    ("replace", None, Kind::Switch),
    ("create-namespace", None, Kind::Switch),
    ("wait-for-jobs", None, Kind::Switch),
    ("timeout", None, Kind::One),
    ("atomic", None, Kind::Switch),
    ("rollback-on-failure", None, Kind::Switch),
    ("disable-openapi-validation", None, Kind::Switch),
    ("enable-dns", None, Kind::Switch),
    ("take-ownership", None, Kind::Switch),
    ("force", None, Kind::Switch),
    ("labels", Some('l'), Kind::ManyCommaSplit),
    ("kube-context", None, Kind::One),
    ("kubeconfig", None, Kind::One),
];

/// `args` are the words after `template`. `None` when clap must read them.
pub fn parse(args: &[OsString]) -> Option<Args> {
    let mut a = defaults();
    let mut seen = [false; FLAGS.len()];
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let word = word.to_str()?;
        let (index, inline) = if let Some(long) = word.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            (FLAGS.iter().position(|f| f.0 == name)?, value)
        } else if let Some(short) = word.strip_prefix('-') {
            let mut chars = short.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return None };
            (FLAGS.iter().position(|f| f.1 == Some(c))?, None)
        } else {
            a.args.push(word.to_string());
            continue;
        };
        let (name, _, kind) = FLAGS[index];
        if kind != Kind::Many && kind != Kind::ManyCommaSplit && std::mem::replace(&mut seen[index], true) {
            return None;
        }
        if kind == Kind::Switch {
            if inline.is_some() {
                return None;
            }
            *switch(&mut a, name)? = true;
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => {
                let v = words.next()?.to_str()?;
                if v.starts_with('-') {
                    return None;
                }
                v
            }
        };
        match kind {
            Kind::One => set_one(&mut a, name, value)?,
            Kind::Many => many(&mut a, name)?.push(value.to_string()),
            Kind::ManyCommaSplit => many(&mut a, name)?.extend(value.split(',').map(str::to_string)),
            Kind::Switch => unreachable!("handled above"),
        }
    }
    Some(a)
}

/// The values clap gives flags that are not on the command line.
fn defaults() -> Args {
    let mut a = Args { timeout: "5m0s".into(), ..Args::default() };
    a.chart.keyring = crate::package::default_keyring();
    a
}

fn switch<'a>(a: &'a mut Args, name: &str) -> Option<&'a mut bool> {
    Some(match name {
        "release-name" => &mut a.release_name,
        "generate-name" => &mut a.generate_name,
        "include-crds" => &mut a.include_crds,
        "skip-crds" => &mut a.skip_crds,
        "skip-tests" => &mut a.skip_tests,
        "no-hooks" => &mut a.no_hooks,
        "is-upgrade" => &mut a.is_upgrade,
        "skip-schema-validation" => &mut a.skip_schema_validation,
        "debug" => &mut a.debug,
        "dependency-update" => &mut a.dependency_update,
        "hide-notes" => &mut a.hide_notes,
        "render-subchart-notes" => &mut a.render_subchart_notes,
        "validate" => &mut a.validate,
        "devel" => &mut a.chart.devel,
        "pass-credentials" => &mut a.chart.pass_credentials,
        "insecure-skip-tls-verify" => &mut a.chart.insecure_skip_tls_verify,
        "plain-http" => &mut a.chart.plain_http,
        "verify" => &mut a.chart.verify,
        "replace" => &mut a.replace,
        "create-namespace" => &mut a.create_namespace,
        "wait-for-jobs" => &mut a.wait_for_jobs,
        "atomic" => &mut a.atomic,
        "rollback-on-failure" => &mut a.rollback_on_failure,
        "disable-openapi-validation" => &mut a.disable_openapi_validation,
        "enable-dns" => &mut a.enable_dns,
        "take-ownership" => &mut a.take_ownership,
        "force" => &mut a.force,
        _ => return None,
    })
}

fn set_one(a: &mut Args, name: &str, value: &str) -> Option<()> {
    let v = value.to_string();
    match name {
        "namespace" => a.namespace = Some(v),
        "repository-config" => a.repository_config = Some(v),
        "repository-cache" => a.repository_cache = Some(v),
        "content-cache" => a.content_cache = Some(v),
        "name-template" => a.name_template = v,
        "kube-version" => a.kube_version = v,
        "output-dir" => a.output_dir = v,
        "post-renderer" => a.post_renderer = v,
        "description" => a.description = v,
        "timeout" => a.timeout = v,
        "kube-context" => a.kube_context = v,
        "kubeconfig" => a.kubeconfig = v,
        "version" => a.chart.version = v,
        "repo" => a.chart.repo = v,
        "username" => a.chart.username = v,
        "password" => a.chart.password = v,
        "ca-file" => a.chart.ca_file = v,
        "cert-file" => a.chart.cert_file = v,
        "key-file" => a.chart.key_file = v,
        "keyring" => a.chart.keyring = v,
        _ => return None,
    }
    Some(())
}

fn many<'a>(a: &'a mut Args, name: &str) -> Option<&'a mut Vec<String>> {
    Some(match name {
        "values" => &mut a.values,
        "set" => &mut a.set,
        "set-string" => &mut a.set_string,
        "set-file" => &mut a.set_file,
        "set-json" => &mut a.set_json,
        "set-literal" => &mut a.set_literal,
        "api-versions" => &mut a.api_versions,
        "show-only" => &mut a.show_only,
        "post-renderer-args" => &mut a.post_renderer_args,
        "labels" => &mut a.labels,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{ArgAction, Args as _, Command};

    /// The flags whose value is optional (`--wait`, `--dry-run`): not
    /// listed, so left to clap.
    const OPTIONAL_VALUE: &[&str] = &["wait", "dry-run"];

    /// clap's reading of `words` (after `template`).
    fn by_clap(words: &[&str]) -> Result<Args, String> {
        use clap::FromArgMatches;
        let cmd = Args::augment_args(Command::new("template").no_binary_name(true));
        let m = cmd.try_get_matches_from(words).map_err(|e| e.to_string())?;
        Args::from_arg_matches(&m).map_err(|e| e.to_string())
    }

    fn by_table(words: &[&str]) -> Option<Args> {
        parse(&words.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn the_table_is_claps_definition() {
        let cmd = Args::augment_args(Command::new("template"));
        let mut listed = 0;
        for arg in cmd.get_arguments() {
            let Some(long) = arg.get_long() else {
                assert_eq!(arg.get_id(), "args", "only the positional arguments have no long name");
                continue;
            };
            if OPTIONAL_VALUE.contains(&long) {
                continue;
            }
            let (_, short, kind) =
                FLAGS.iter().find(|f| f.0 == long).unwrap_or_else(|| panic!("--{long} is not listed"));
            assert_eq!(arg.get_short(), *short, "--{long}");
            let expected = match arg.get_action() {
                ArgAction::SetTrue => Kind::Switch,
                ArgAction::Set => Kind::One,
                ArgAction::Append if arg.get_value_delimiter() == Some(',') => Kind::ManyCommaSplit,
                ArgAction::Append => Kind::Many,
                other => panic!("--{long}: {other:?}"),
            };
            assert_eq!(*kind, expected, "--{long}");
            listed += 1;
        }
        assert_eq!(listed, FLAGS.len(), "every listed flag is one of clap's");
    }

    #[test]
    fn plain_command_lines_read_as_clap_reads_them() {
        let lines: &[&[&str]] = &[
            &["hello", "./hello"],
            &["./hello"],
            &[],
            &["hello", "./hello", "-f", "a.yaml", "--values", "b.yaml", "--values=c.yaml", "-n", "dev"],
            &["hello", "./hello", "--set", "a=1,b=2", "--set=c=3", "--set-string", "d=4", "--set-json", "e=[1]"],
            &["x", "c", "--set-file", "k=f", "--set-literal", "l=,x", "--namespace=ns", "--release-name"],
            &["x", "c", "-a", "v1,apps/v1", "--api-versions", "x/v1", "--api-versions=", "--kube-version", "1.30"],
            &["x", "c", "-s", "templates/a.yaml", "--show-only=templates/b.yaml", "--include-crds", "--skip-tests"],
            &["x", "c", "--output-dir", "out", "--is-upgrade", "--no-hooks", "--skip-crds", "--debug", "-g"],
            &["c", "--post-renderer", "./pr.sh", "--post-renderer-args", "a", "--post-renderer-args=-b"],
            &["x", "c", "--version", "1.2.3", "--repo", "https://r", "--devel", "--keyring", "k", "--verify"],
            &["x", "c", "--username", "u", "--password", "p", "--ca-file", "ca", "--cert-file", "c", "--key-file", "k"],
            &["x", "c", "--timeout", "1m", "--kube-context", "k", "--kubeconfig", "kc", "-l", "a=b,c=d", "--force"],
            &["x", "c", "--set", "", "--description", "d", "--name-template", "{{ x }}", "--validate", "--plain-http"],
            &["x", "c", "--repository-config", "r", "--repository-cache", "rc", "--content-cache", "cc"],
            &["x", "c", "--skip-schema-validation", "--dependency-update", "--hide-notes", "--render-subchart-notes"],
            &["x", "c", "--replace", "--create-namespace", "--wait-for-jobs", "--atomic", "--rollback-on-failure"],
            &["x", "c", "--disable-openapi-validation", "--enable-dns", "--take-ownership", "--pass-credentials"],
            &["x", "c", "--insecure-skip-tls-verify", "--set", "a=é", "--set=-1"],
        ];
        for words in lines {
            let ours = by_table(words).unwrap_or_else(|| panic!("{words:?} left to clap"));
            let theirs = by_clap(words).unwrap();
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{words:?}");
        }
    }

    #[test]
    fn anything_else_is_left_to_clap() {
        let lines: &[&[&str]] = &[
            &["c", "--help"],
            &["c", "-h"],
            &["c", "--nope"],
            &["c", "-x"],
            &["c", "--", "-f"],
            &["c", "-fa.yaml"],
            &["c", "-f=a.yaml"],
            &["c", "-gn", "ns"],
            &["c", "--set"],
            &["c", "--set", "-x"],
            &["c", "--debug=true"],
            &["c", "-n", "a", "-n", "b"],
            &["c", "--debug", "--debug"],
            &["c", "--wait"],
            &["c", "--dry-run=server"],
            &["c", "-"],
            &["c", "-n", "--x"],
        ];
        for words in lines {
            assert!(by_table(words).is_none(), "{words:?}");
        }
    }
}
