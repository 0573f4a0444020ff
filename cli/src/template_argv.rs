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

/// How a flag takes its value, and where it goes.
#[derive(Clone, Copy)]
enum Kind {
    /// A switch (`ArgAction::SetTrue`).
    Switch(fn(&mut Args) -> &mut bool),
    /// One value, kept (`ArgAction::Set`).
    One(fn(&mut Args, String)),
    /// Values appended at each use (`ArgAction::Append`).
    Many(fn(&mut Args) -> &mut Vec<String>),
    /// Values appended at each use, each split at commas.
    ManyCommaSplit(fn(&mut Args) -> &mut Vec<String>),
}

/// Every flag of `rhelm template`: long name, short name, kind and field.
const FLAGS: &[(&str, Option<char>, Kind)] = &[
    ("values", Some('f'), Kind::Many(|a| &mut a.values)),
    ("set", None, Kind::Many(|a| &mut a.set)),
    ("set-string", None, Kind::Many(|a| &mut a.set_string)),
    ("set-file", None, Kind::Many(|a| &mut a.set_file)),
    ("set-json", None, Kind::Many(|a| &mut a.set_json)),
    ("set-literal", None, Kind::Many(|a| &mut a.set_literal)),
    ("namespace", Some('n'), Kind::One(|a, v| a.namespace = Some(v))),
    ("release-name", None, Kind::Switch(|a| &mut a.release_name)),
    ("generate-name", Some('g'), Kind::Switch(|a| &mut a.generate_name)),
    ("name-template", None, Kind::One(|a, v| a.name_template = v)),
    ("kube-version", None, Kind::One(|a, v| a.kube_version = v)),
    ("api-versions", Some('a'), Kind::ManyCommaSplit(|a| &mut a.api_versions)),
    ("include-crds", None, Kind::Switch(|a| &mut a.include_crds)),
    ("skip-crds", None, Kind::Switch(|a| &mut a.skip_crds)),
    ("skip-tests", None, Kind::Switch(|a| &mut a.skip_tests)),
    ("no-hooks", None, Kind::Switch(|a| &mut a.no_hooks)),
    ("show-only", Some('s'), Kind::Many(|a| &mut a.show_only)),
    ("output-dir", None, Kind::One(|a, v| a.output_dir = v)),
    ("is-upgrade", None, Kind::Switch(|a| &mut a.is_upgrade)),
    ("post-renderer", None, Kind::One(|a, v| a.post_renderer = v)),
    ("post-renderer-args", None, Kind::Many(|a| &mut a.post_renderer_args)),
    ("skip-schema-validation", None, Kind::Switch(|a| &mut a.skip_schema_validation)),
    ("debug", None, Kind::Switch(|a| &mut a.debug)),
    ("dependency-update", None, Kind::Switch(|a| &mut a.dependency_update)),
    ("hide-notes", None, Kind::Switch(|a| &mut a.hide_notes)),
    ("render-subchart-notes", None, Kind::Switch(|a| &mut a.render_subchart_notes)),
    ("validate", None, Kind::Switch(|a| &mut a.validate)),
    ("description", None, Kind::One(|a, v| a.description = v)),
    ("version", None, Kind::One(|a, v| a.chart.version = v)),
    ("devel", None, Kind::Switch(|a| &mut a.chart.devel)),
    ("repo", None, Kind::One(|a, v| a.chart.repo = v)),
    ("username", None, Kind::One(|a, v| a.chart.username = v)),
    ("password", None, Kind::One(|a, v| a.chart.password = v)),
    ("pass-credentials", None, Kind::Switch(|a| &mut a.chart.pass_credentials)),
    ("ca-file", None, Kind::One(|a, v| a.chart.ca_file = v)),
    ("cert-file", None, Kind::One(|a, v| a.chart.cert_file = v)),
    ("key-file", None, Kind::One(|a, v| a.chart.key_file = v)),
    ("insecure-skip-tls-verify", None, Kind::Switch(|a| &mut a.chart.insecure_skip_tls_verify)),
    ("plain-http", None, Kind::Switch(|a| &mut a.chart.plain_http)),
    ("verify", None, Kind::Switch(|a| &mut a.chart.verify)),
    ("keyring", None, Kind::One(|a, v| a.chart.keyring = v)),
    ("repository-config", None, Kind::One(|a, v| a.repository_config = Some(v))),
    ("repository-cache", None, Kind::One(|a, v| a.repository_cache = Some(v))),
    ("content-cache", None, Kind::One(|a, v| a.content_cache = Some(v))),
    ("replace", None, Kind::Switch(|a| &mut a.replace)),
    ("create-namespace", None, Kind::Switch(|a| &mut a.create_namespace)),
    ("wait-for-jobs", None, Kind::Switch(|a| &mut a.wait_for_jobs)),
    ("timeout", None, Kind::One(|a, v| a.timeout = v)),
    ("atomic", None, Kind::Switch(|a| &mut a.atomic)),
    ("rollback-on-failure", None, Kind::Switch(|a| &mut a.rollback_on_failure)),
    ("disable-openapi-validation", None, Kind::Switch(|a| &mut a.disable_openapi_validation)),
    ("enable-dns", None, Kind::Switch(|a| &mut a.enable_dns)),
    ("take-ownership", None, Kind::Switch(|a| &mut a.take_ownership)),
    ("force", None, Kind::Switch(|a| &mut a.force)),
    ("labels", Some('l'), Kind::ManyCommaSplit(|a| &mut a.labels)),
    ("kube-context", None, Kind::One(|a, v| a.kube_context = v)),
    ("kubeconfig", None, Kind::One(|a, v| a.kubeconfig = v)),
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
        let kind = FLAGS[index].2;
        if matches!(kind, Kind::Switch(_) | Kind::One(_)) && std::mem::replace(&mut seen[index], true) {
            return None;
        }
        if let Kind::Switch(field) = kind {
            if inline.is_some() {
                return None;
            }
            *field(&mut a) = true;
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
            Kind::One(set) => set(&mut a, value.to_string()),
            Kind::Many(field) => field(&mut a).push(value.to_string()),
            Kind::ManyCommaSplit(field) => field(&mut a).extend(value.split(',').map(str::to_string)),
            Kind::Switch(_) => unreachable!("handled above"),
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
            let same = match arg.get_action() {
                ArgAction::SetTrue => matches!(kind, Kind::Switch(_)),
                ArgAction::Set => matches!(kind, Kind::One(_)),
                ArgAction::Append if arg.get_value_delimiter() == Some(',') => matches!(kind, Kind::ManyCommaSplit(_)),
                ArgAction::Append => matches!(kind, Kind::Many(_)),
                other => panic!("--{long}: {other:?}"),
            };
            assert!(same, "--{long}: the table's kind is not clap's {:?}", arg.get_action());
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
