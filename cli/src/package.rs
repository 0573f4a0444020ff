//! `rhelm package`: chart directories into versioned archives.

use std::path::PathBuf;

use rhelm_chart::package::{self, PackageOptions};

#[derive(clap::Args)]
pub struct Args {
    /// chart directories to package
    #[arg(value_name = "CHART_PATH")]
    paths: Vec<PathBuf>,
    /// set the version on the chart to this semver version
    #[arg(long)]
    version: Option<String>,
    /// set the appVersion on the chart to this version
    #[arg(long)]
    app_version: Option<String>,
    /// location to write the chart.
    #[arg(short = 'd', long, default_value = ".")]
    destination: PathBuf,
    /// update dependencies from "Chart.yaml" to dir "charts/" before packaging
    #[arg(short = 'u', long)]
    dependency_update: bool,
    /// use a PGP private key to sign this package
    #[arg(long)]
    sign: bool,
    /// name of the key to use when signing. Used if --sign is true
    #[arg(long, default_value = "")]
    key: String,
    /// location of a public keyring
    #[arg(long, default_value_t = default_keyring())]
    keyring: String,
    /// location of a file which contains the passphrase for the signing key. Use "-" in order to read from stdin.
    #[arg(long, default_value = "")]
    passphrase_file: String,
    #[command(flatten)]
    global: crate::releases::Global,
}

/// Packages each chart in turn, printing where it went, as helm does.
pub fn run(args: &Args) -> Result<String, String> {
    if args.paths.is_empty() {
        return Err("need at least one argument, the path to the chart".into());
    }
    let epoch = package::source_date_epoch()?;
    if args.sign {
        if args.key.is_empty() {
            return Err("--key is required for signing a package".into());
        }
        if args.keyring.is_empty() {
            return Err("--keyring is required for signing a package".into());
        }
    }
    let mut out = String::new();
    for path in &args.paths {
        if let Err(e) = std::fs::metadata(path) {
            return Err(format!("stat {}: {}", path.display(), go_io_error(&e)));
        }
        if args.dependency_update {
            // Helm discards the manager's output here.
            let mut m = rhelm_repository::dependency::Manager::new(path, crate::releases::repo_settings(&args.global));
            m.source_date_epoch = epoch;
            m.update()?;
        }
        let opts = PackageOptions {
            version: args.version.clone(),
            app_version: args.app_version.clone(),
            destination: args.destination.clone(),
            source_date_epoch: epoch,
        };
        let written = package::package(path, &opts).map_err(|e| e.to_string())?;
        if args.sign {
            let passphrase = passphrase(&args.passphrase_file)?;
            let prov = rhelm_provenance::sign(&written, std::path::Path::new(&args.keyring), &args.key, &passphrase).map_err(|e| e.to_string())?;
            let prov_path = PathBuf::from(format!("{}.prov", written.display()));
            std::fs::write(&prov_path, prov).map_err(|e| format!("{}: {e}", prov_path.display()))?;
        }
        out.push_str(&format!("Successfully packaged chart and saved it to: {}\n", written.display()));
    }
    Ok(out)
}

/// `$GNUPGHOME/pubring.gpg`, else `~/.gnupg/pubring.gpg`, as Helm defaults it.
pub fn default_keyring() -> String {
    let home = std::env::var("GNUPGHOME").ok().filter(|h| !h.is_empty()).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".gnupg")
    });
    home.join("pubring.gpg").to_string_lossy().into_owned()
}

/// The passphrase from `--passphrase-file` (`-` is stdin); empty without one.
fn passphrase(file: &str) -> Result<String, String> {
    use std::io::Read;
    let text = match file {
        "" => return Ok(String::new()),
        "-" => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| e.to_string())?;
            s
        }
        path => std::fs::read_to_string(path).map_err(|e| format!("open {path}: {}", go_io_error(&e)))?,
    };
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// Go's wording of the common file errors.
fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
