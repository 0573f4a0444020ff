//! What `--wait` shows while it waits, on stderr so stdout stays Helm's:
//! a spinner with the current reason on a terminal, plain lines otherwise.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Mutex<Option<ProgressBar>>,
    terminal: bool,
}

impl Progress {
    pub fn new() -> Progress {
        Progress { bar: Mutex::new(None), terminal: std::io::stderr().is_terminal() }
    }

    /// Shows `line` (what is awaited); an empty line ends the display.
    pub fn show(&self, line: &str) {
        let mut bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if line.is_empty() {
            if let Some(b) = bar.take() {
                b.finish_and_clear();
            }
            return;
        }
        if !self.terminal {
            eprintln!("waiting: {line}");
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = ProgressBar::new_spinner();
            b.set_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        b.set_message(line.to_string());
    }
}
