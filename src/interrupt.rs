//! Ctrl-C at any point leaves nothing behind: during the questionnaire nothing is written yet
//! (the cursor dialoguer hid is shown again), and during writing the staging directory is
//! removed before exiting with 130.

use std::path::PathBuf;
use std::sync::Mutex;

/// The staging directory of a project being written, if any.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Installs the Ctrl-C / SIGTERM handler (once per process).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(staging) = STAGING.lock()
            && let Some(path) = staging.as_ref()
        {
            let _ = std::fs::remove_dir_all(path);
        }
        report();
        std::process::exit(130);
    });
}

/// Marks `path` as the directory to remove on interrupt (`None` once it is in place).
pub fn set_staging(path: Option<PathBuf>) {
    if let Ok(mut staging) = STAGING.lock() {
        *staging = path;
    }
}

/// Shows the cursor again and says nothing was written, once: in raw mode a Ctrl-C reaches
/// both the signal handler and the prompt's error path, and either may get there first. The
/// lock makes the second caller wait until the message is out, so neither exits mid-write.
pub fn report() {
    static REPORTED: Mutex<bool> = Mutex::new(false);
    let mut reported = REPORTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !*reported {
        let term = console::Term::stderr();
        let _ = term.show_cursor();
        let _ = term.write_line("\ninterrupted; nothing was written");
        *reported = true;
    }
}
