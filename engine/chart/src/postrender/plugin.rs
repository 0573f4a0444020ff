//! Finding and running a `postrenderer/v1` subprocess plugin
//! (internal/plugin: `FindPlugin`, `PrepareCommands`, `runPostrenderer`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use rhelm_template::Value;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformCommand {
    pub os: String,
    pub arch: String,
    pub command: String,
    pub args: Vec<String>,
}

/// A found `postrenderer/v1` plugin and the arguments to pass it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostRenderer {
    pub name: String,
    pub dir: PathBuf,
    pub commands: Vec<PlatformCommand>,
    /// `--post-renderer-args`.
    pub args: Vec<String>,
    /// Extra environment (Helm's settings variables).
    pub env: Vec<(String, String)>,
    /// `--debug`: log the command as Helm's slog debug lines.
    pub debug: bool,
}

fn str_field(m: &Value, k: &str) -> String {
    match m {
        Value::Map(m) => m.entries.get(k).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        _ => String::new(),
    }
}

fn field<'a>(m: &'a Value, k: &str) -> Option<&'a Value> {
    match m {
        Value::Map(m) => m.entries.get(k),
        _ => None,
    }
}

/// The `postrenderer/v1` plugin named `name` in the plugin directories
/// (`$HELM_PLUGINS` split at `:`), one plugin per subdirectory.
pub fn find_plugin(dirs: &str, name: &str) -> Option<PostRenderer> {
    for dir in dirs.split(':').filter(|d| !d.is_empty()) {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let Ok(text) = std::fs::read_to_string(p.join("plugin.yaml")) else { continue };
            let Ok(meta) = rhelm_functions::yaml::from_str(&text) else { continue };
            if str_field(&meta, "name") != name || str_field(&meta, "type") != "postrenderer/v1" {
                continue;
            }
            let mut commands = Vec::new();
            if let Some(Value::List(l)) = field(&meta, "runtimeConfig").and_then(|rc| field(rc, "platformCommand")) {
                for c in l.items.iter() {
                    let args = match field(c, "args") {
                        Some(Value::List(a)) => {
                            a.items.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
                        }
                        _ => Vec::new(),
                    };
                    commands.push(PlatformCommand {
                        os: str_field(c, "os"),
                        arch: str_field(c, "arch"),
                        command: str_field(c, "command"),
                        args,
                    });
                }
            }
            return Some(PostRenderer { name: name.to_string(), dir: p, commands, ..PostRenderer::default() });
        }
    }
    None
}

fn go_os() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        o => o,
    }
}

fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        a => a,
    }
}

/// `getPlatformCommand`.
fn platform_command(cmds: &[PlatformCommand]) -> (Vec<String>, Vec<String>) {
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let (os, arch) = (go_os(), go_arch());
    let mut command = Vec::new();
    let mut args = Vec::new();
    let mut found = false;
    let mut found_os = false;
    for c in cmds {
        let split = || c.command.split(' ').map(str::to_string).collect::<Vec<_>>();
        if eq(&c.os, os) && eq(&c.arch, arch) {
            return (split(), c.args.clone());
        }
        if (!c.os.is_empty() && !eq(&c.os, os)) || !c.arch.is_empty() {
            continue;
        }
        if !found_os && !c.os.is_empty() && eq(&c.os, os) {
            command = split();
            args = c.args.clone();
            found = true;
            found_os = true;
        } else if !found {
            command = split();
            args = c.args.clone();
            found = true;
        }
    }
    (command, args)
}

/// Go's `os.Expand` with a map.
fn expand(s: &str, env: &BTreeMap<String, String>) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            out.push_str(&s[last..i]);
            let (name, w) = if b[i + 1] == b'{' {
                match s[i + 2..].find('}') {
                    Some(end) if end > 0 => (&s[i + 2..i + 2 + end], end + 3),
                    Some(_) => ("", 3),
                    None => ("", 2),
                }
            } else if matches!(b[i + 1], b'*' | b'#' | b'$' | b'@' | b'!' | b'?' | b'-' | b'0'..=b'9') {
                (&s[i + 1..i + 2], 2)
            } else {
                let n = b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
                if n == 0 {
                    ("", 1)
                } else {
                    (&s[i + 1..i + 1 + n], n + 1)
                }
            };
            if name.is_empty() && w == 1 {
                out.push('$');
            } else {
                out.push_str(env.get(name).map(String::as_str).unwrap_or(""));
            }
            i += w;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

impl PostRenderer {
    /// `postRendererPlugin.Run`: the plugin's stdout for `manifests`, or
    /// the error Helm reports (without its "error while running post
    /// render" prefix).
    pub fn run(&self, manifests: &str, notices: &mut Vec<String>) -> Result<Vec<u8>, super::Error> {
        let invoke = |e: String| {
            super::Error::Helm(format!("failed to invoke post-renderer plugin {}: {e}", go_quote(&self.name)))
        };
        let mut env: BTreeMap<String, String> = std::env::vars().collect();
        for (k, v) in &self.env {
            env.insert(k.clone(), v.clone());
        }
        env.insert("HELM_PLUGIN_NAME".into(), self.name.clone());
        env.insert("HELM_PLUGIN_DIR".into(), self.dir.to_string_lossy().into_owned());
        let (parts, args) = platform_command(&self.commands);
        if parts.is_empty() || parts[0].is_empty() {
            return Err(invoke("failed to prepare plugin command: no plugin command is applicable".into()));
        }
        let main = expand(&parts[0], &env);
        let mut argv: Vec<String> = parts[1..].iter().map(|p| expand(p, &env)).collect();
        argv.extend(args.iter().map(|a| expand(a, &env)));
        argv.extend(self.args.iter().cloned());
        if self.debug {
            let mut line = main.clone();
            for a in &argv {
                line.push(' ');
                line.push_str(a);
            }
            notices.push(crate::load::log_line(
                "DEBUG",
                "executing plugin command",
                &[("pluginName", &self.name), ("command", &line)],
            ));
        }
        let mut cmd = Command::new(&main);
        cmd.args(&argv).env_clear().envs(&env).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound if !main.contains('/') => {
                    return invoke(format!("exec: {}: executable file not found in $PATH", go_quote(&main)))
                }
                std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            invoke(format!("fork/exec {main}: {why}"))
        })?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = manifests.as_bytes().to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let mut stderr = child.stderr.take().expect("piped stderr");
        let drain = std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stderr.read_to_end(&mut sink);
        });
        let mut out = Vec::new();
        let _ = child.stdout.take().expect("piped stdout").read_to_end(&mut out);
        let status = child.wait().map_err(|e| invoke(e.to_string()))?;
        let _ = writer.join();
        let _ = drain.join();
        if !status.success() {
            if self.debug {
                use std::os::unix::process::ExitStatusExt;
                let (error, code) = match (status.code(), status.signal()) {
                    (Some(c), _) => (format!("exit status {c}"), c),
                    (None, Some(sig)) => (format!("signal: {}", signal_name(sig)), -1),
                    _ => ("exit status -1".to_string(), -1),
                };
                notices.push(crate::load::log_line(
                    "DEBUG",
                    "plugin execution failed",
                    &[("pluginName", &self.name), ("error", &error), ("exitCode", &code.to_string()), ("stderr", "")],
                ));
            }
            return Err(invoke(format!("plugin {} exited with error", go_quote(&self.name))));
        }
        // bytes.TrimSpace: an invalid octet is not space, so such output is not empty.
        if std::str::from_utf8(&out).is_ok_and(|s| s.trim().is_empty()) {
            return Err(super::Error::Helm(format!("post-renderer {} produced empty output", go_quote(&self.name))));
        }
        Ok(out)
    }
}

/// Go's `syscall.Signal.String()` for the common signals.
fn signal_name(sig: i32) -> String {
    match sig {
        1 => "hangup".into(),
        2 => "interrupt".into(),
        3 => "quit".into(),
        4 => "illegal instruction".into(),
        6 => "aborted".into(),
        7 => "bus error".into(),
        8 => "floating point exception".into(),
        9 => "killed".into(),
        11 => "segmentation fault".into(),
        13 => "broken pipe".into(),
        14 => "alarm clock".into(),
        15 => "terminated".into(),
        n => format!("signal {n}"),
    }
}

fn go_quote(s: &str) -> String {
    crate::manifest::go_quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_like_go() {
        let env: BTreeMap<String, String> = [("A".to_string(), "x".to_string())].into();
        assert_eq!(expand("${A}/b", &env), "x/b");
        assert_eq!(expand("$A/b$", &env), "x/b$");
        assert_eq!(expand("$B-$A", &env), "-x");
    }
}
