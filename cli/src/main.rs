//! The `rhelm` command line: argument parsing and output only.

// On Linux the C `main` is ours (see `main` below).
#![cfg_attr(all(target_os = "linux", not(test)), no_main)]

use std::process::ExitCode;

// Linked for its memcpy, memmove, memset and memcmp, which replace musl's.
#[cfg(all(target_env = "musl", target_arch = "x86_64"))]
use rhelm_mem as _;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc: rendering is allocation-heavy
/// (values, template trees, YAML documents) and glibc's malloc/free were a
/// quarter of the instructions of a small chart's whole run.
#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc through its plain entry points. The `mimalloc` crate's
/// allocator calls the aligned ones for every request, about 60
/// instructions an allocation instead of 25 (7% of rendering a bitnami
/// chart); every mimalloc block is at least word aligned, so only larger
/// alignments need them.
struct Mimalloc;

const WORD: usize = std::mem::size_of::<usize>();

// mimalloc's `mi_option_set` and its `mi_option_arena_reserve` (the 24th
// entry of `mi_option_e` in mimalloc v3's header; libmimalloc-sys names no
// constant for it).
extern "C" {
    fn mi_option_set(option: libc::c_int, value: libc::c_long);
    #[cfg(test)]
    fn mi_option_get(option: libc::c_int) -> libc::c_long;
}
const MI_OPTION_ARENA_RESERVE: libc::c_int = 23;

/// The address space mimalloc reserves at its first allocation, in KiB:
/// 32 MiB (its smallest arena) instead of 1 GiB. A render uses a few MiB,
/// and setting up the bookkeeping of a 1 GiB arena (its bitmaps, zeroed
/// page by page) cost about 40 page faults, 2-4% of a small chart's run.
/// Larger needs get more arenas.
#[cfg_attr(test, allow(dead_code))]
const ARENA_RESERVE_KIB: libc::c_long = 32 * 1024;

unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        if layout.align() <= WORD {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        if layout.align() <= WORD {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys as mi;
        if layout.align() <= WORD {
            mi::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

mod create;
mod dependency;
mod get;
mod history;
mod install;
mod lifecycle;
mod lint;
mod list;
mod package;
mod progress;
mod pull;
mod push;
mod registry;
mod release_charts;
mod releases;
mod render_template;
mod repo;
mod resource_table;
mod search;
mod session;
mod show;
mod status;
mod template;
mod template_argv;
mod verify;

#[derive(Parser)]
#[command(name = "rhelm", about = "A Helm-compatible chart templating and release engine", disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the client version information
    Version {
        /// print the version number only
        #[arg(long)]
        short: bool,
    },
    /// create a new chart with the given name
    Create(create::Args),
    /// examine a chart for possible issues
    Lint(Box<lint::Args>),
    /// show information of a chart
    Show(show::Args),
    /// locally render templates
    Template(Box<template::Args>),
    /// install a chart
    Install(Box<install::InstallArgs>),
    /// upgrade a release
    Upgrade(Box<install::UpgradeArgs>),
    /// roll back a release to a previous revision
    Rollback(Box<lifecycle::RollbackArgs>),
    /// uninstall a release
    #[command(visible_aliases = ["un", "del", "delete", "remove"])]
    Uninstall(Box<lifecycle::UninstallArgs>),
    /// run tests for a release
    Test(Box<lifecycle::TestArgs>),
    /// list releases
    #[command(visible_alias = "ls")]
    List(Box<list::Args>),
    /// fetch release history
    #[command(visible_alias = "hist")]
    History(Box<history::Args>),
    /// display the status of the named release
    Status(Box<status::Args>),
    /// download extended information of a named release
    Get(Box<get::Args>),
    /// package a chart directory into a chart archive
    Package(Box<package::Args>),
    /// add, list, remove, update, and index chart repositories
    Repo(Box<repo::Args>),
    /// download a chart from a repository and (optionally) unpack it in local directory
    Pull(Box<pull::Args>),
    /// manage a chart's dependencies
    #[command(visible_aliases = ["dep", "dependencies"])]
    Dependency(Box<dependency::Args>),
    /// push a chart to remote
    Push(Box<push::PushArgs>),
    /// login to or logout from a registry
    Registry(Box<registry::RegistryArgs>),
    /// verify that a chart at the given path has been signed and is valid
    Verify(Box<verify::Args>),
    /// search for a keyword in charts
    Search(Box<search::Args>),
    /// publish changed charts: GitHub releases, the pages index, OCI (chart-releaser in one command)
    Release(Box<release_charts::Args>),
    /// Render one template file with a values file (a developer tool)
    #[command(hide = true, name = "render-template")]
    RenderTemplate(render_template::Args),
}

/// `rhelm template` alone. Building the whole command tree (every
/// subcommand and its flags) cost 1.3 M instructions, about 15% of rendering
/// a small chart; the `template` subcommand is parsed the same way either
/// way, since its siblings do not take part in parsing its arguments.
#[derive(Parser)]
#[command(name = "rhelm", disable_version_flag = true)]
struct TemplateCli {
    #[command(subcommand)]
    command: TemplateOnly,
}

#[derive(Subcommand)]
enum TemplateOnly {
    Template(Box<template::Args>),
}

/// Argument errors in cobra's words (`Error: unknown flag: --x`), which is
/// what Helm prints; clap's own wording for anything else.
fn parse_args() -> Result<Cli, ExitCode> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let argv = args_os();
    if argv.get(1).is_some_and(|a| a == "template") {
        // `template` renders on two threads: the helper starts before the
        // arguments are read (see `Worker::start_early`).
        rhelm_template::worker::Worker::start_early();
        let words = &argv[2..];
        if let Some(args) = template_argv::parse(words) {
            // Every debug run (the whole test suite) checks it against clap.
            #[cfg(debug_assertions)]
            match TemplateCli::try_parse_from(&argv) {
                Ok(TemplateCli { command: TemplateOnly::Template(theirs) }) => {
                    assert_eq!(format!("{args:?}"), format!("{theirs:?}"), "template flags read unlike clap")
                }
                Err(e) => panic!("template flags read where clap fails: {e}"),
            }
            return Ok(Cli { command: Command::Template(Box::new(args)) });
        }
        // Any error (and --help) goes through the full parser below, so its
        // text stays the full command's.
        if let Ok(TemplateCli { command: TemplateOnly::Template(args) }) = TemplateCli::try_parse_from(&argv) {
            return Ok(Cli { command: Command::Template(args) });
        }
    }
    let e = match Cli::try_parse_from(&argv) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.split_whitespace().next().unwrap_or("").to_string(),
        _ => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::UnknownArgument if arg.starts_with("--") => format!("unknown flag: {arg}"),
        ErrorKind::UnknownArgument if arg.starts_with('-') && arg.len() > 1 => {
            // pflag names the whole shorthand group (`-bad-`), clap only its letter.
            let c = &arg[1..2];
            let group = argv
                .iter()
                .skip(1)
                .filter_map(|t| t.to_str())
                .find(|t| t.starts_with('-') && !t.starts_with("--") && t[1..].contains(c))
                .map(str::to_string)
                .unwrap_or_else(|| arg.clone());
            format!("unknown shorthand flag: '{c}' in {group}")
        }
        ErrorKind::InvalidValue | ErrorKind::NoEquals if arg.starts_with('-') => {
            let long = arg.trim_start_matches('-').split('=').next().unwrap_or("").to_string();
            format!("flag needs an argument: --{long}")
        }
        _ => e.exit(),
    };
    eprintln!("Error: {msg}");
    Err(ExitCode::FAILURE)
}

/// Prints a command's output, or its error as helm does.
fn finish_text(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints what a command wrote and its error, as helm does.
fn finish_outcome(o: repo::Outcome) -> ExitCode {
    // Warnings are logged as they happen, before the command's output.
    eprint!("{}", o.stderr);
    print!("{}", o.stdout);
    match o.error {
        None => ExitCode::SUCCESS,
        Some(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The process entry. On glibc Linux it replaces the Rust runtime's,
/// whose set-up reads and parses all of /proc/self/maps to place a guard
/// for stack overflows on the main thread (40-100 µs, a few percent of
/// rendering a chart); deep recursion here grows its stack instead
/// (`rhelm_template::stack`). The rest of that set-up is done the same way:
/// standard descriptors that are closed are opened on /dev/null, so that no
/// file this run opens can take their place, and SIGPIPE is ignored, so a
/// closed pipe or socket is a write error. A panic ends the run with exit
/// status 101, as Rust's runtime does.
#[cfg(all(target_os = "linux", not(test)))]
#[no_mangle]
extern "C" fn main(argc: libc::c_int, argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: single-threaded here, before the first allocation; poll, open
    // and signal take valid arguments; argv holds argc C strings.
    unsafe {
        mi_option_set(MI_OPTION_ARENA_RESERVE, ARENA_RESERVE_KIB);
        let args = (0..usize::try_from(argc).unwrap_or(0)).map(|i| {
            use std::os::unix::ffi::OsStrExt;
            std::ffi::OsStr::from_bytes(std::ffi::CStr::from_ptr(*argv.add(i)).to_bytes()).to_owned()
        });
        let _ = ARGV.set(args.collect());
        let mut fds = [0, 1, 2].map(|fd| libc::pollfd { fd, events: 0, revents: 0 });
        if libc::poll(fds.as_mut_ptr(), 3, 0) != -1 {
            for fd in fds.iter().filter(|p| p.revents & libc::POLLNVAL != 0) {
                // The lowest free descriptor: this one.
                if libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) != fd.fd {
                    libc::abort();
                }
            }
        }
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    match std::panic::catch_unwind(run) {
        Ok(code) => exit_now(status(code)),
        Err(_) => exit_now(101),
    }
}

#[cfg(any(not(target_os = "linux"), test))]
fn main() {
    exit_now(status(run()))
}

/// The command line as `main` above received it. std reads it by itself
/// only where glibc hands it over before `main` (through `.init_array`);
/// under musl, std learns it from the `main` Rust writes, which is not this
/// program's.
static ARGV: std::sync::OnceLock<Vec<std::ffi::OsString>> = std::sync::OnceLock::new();

fn args_os() -> Vec<std::ffi::OsString> {
    match ARGV.get() {
        Some(args) => args.clone(),
        None => std::env::args_os().collect(),
    }
}

fn status(code: ExitCode) -> i32 {
    if code == ExitCode::SUCCESS {
        0
    } else {
        1
    }
}

/// Ends the process once the output is out, skipping the teardown an
/// ordinary exit does: freeing what is still allocated and mimalloc's
/// exit-time purge of its memory back to the OS, work the kernel does
/// anyway, and at once, when the process ends.
fn exit_now(status: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process; nothing after it runs.
    unsafe { libc::_exit(status) }
}

fn run() -> ExitCode {
    let cli = match parse_args() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match cli.command {
        Command::Version { short } => {
            let v = env!("CARGO_PKG_VERSION");
            if short {
                println!("v{v}");
            } else {
                println!("version.BuildInfo{{Version:\"v{v}\", Engine:\"rhelm\"}}");
            }
            ExitCode::SUCCESS
        }
        Command::Create(args) => match create::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("Error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Lint(args) => {
            let report = lint::run(&args);
            eprint!("{}", report.log);
            print!("{}", report.stdout);
            match report.error {
                None => ExitCode::SUCCESS,
                Some(e) => {
                    eprintln!("Error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Show(args) => finish_text(show::run(&args)),
        Command::Template(args) => {
            let out = template::run(&args);
            eprint!("{}", out.stderr);
            print!("{}", out.stdout);
            let code = match &out.error {
                None => ExitCode::SUCCESS,
                Some(e) => {
                    eprintln!("Error: {e}");
                    ExitCode::FAILURE
                }
            };
            // Freeing the rendered text is left to the end of the process.
            std::mem::forget(out);
            code
        }
        Command::Install(args) => releases::finish(install::run_install(&args)),
        Command::Upgrade(args) => releases::finish(install::run_upgrade(&args)),
        Command::Rollback(args) => releases::finish(lifecycle::run_rollback(&args)),
        Command::Uninstall(args) => releases::finish(lifecycle::run_uninstall(&args)),
        Command::Test(args) => releases::finish(lifecycle::run_test(&args)),
        Command::List(args) => releases::finish(list::run(&args)),
        Command::History(args) => releases::finish(history::run(&args)),
        Command::Status(args) => releases::finish(status::run(&args)),
        Command::Get(args) => releases::finish(get::run(&args)),
        Command::Package(args) => finish_text(package::run(&args)),
        Command::Repo(args) => finish_outcome(repo::run(&args)),
        Command::Search(args) => finish_outcome(search::run(&args)),
        Command::Dependency(args) => finish_outcome(dependency::run(&args)),
        Command::Push(args) => finish_outcome(push::push(&args)),
        Command::Verify(args) => finish_text(verify::run(&args)),
        Command::Registry(args) => finish_outcome(registry::registry(&args)),
        Command::Pull(args) => finish_text(pull::run(&args)),
        Command::Release(args) => release_charts::run(&args),
        Command::RenderTemplate(args) => finish_text(render_template::run(&args)),
    }
}

#[cfg(test)]
mod tests {
    /// The option number `main` sets is mimalloc's arena reserve, whose
    /// default is 1 GiB (in KiB): a mimalloc upgrade that renumbers its
    /// options fails here.
    #[test]
    fn sets_mimallocs_arena_reserve() {
        // SAFETY: reading an option.
        assert_eq!(unsafe { super::mi_option_get(super::MI_OPTION_ARENA_RESERVE) }, 1024 * 1024);
    }
}
