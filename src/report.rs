//! What the user reads after a run: the decisions, the files, and the next commands.

use std::fmt::Write as _;
use std::path::Path;

use crate::apply::Created;
use crate::plan::Plan;
use crate::spec::{Decision, Spec};

fn decision_lines(spec: &Spec) -> String {
    fn line<T: Decision>(out: &mut String, value: T) {
        if value.label().eq_ignore_ascii_case(value.id()) {
            let _ = writeln!(out, "  {:<24} {}", T::TITLE, value.label());
        } else {
            let _ = writeln!(out, "  {:<24} {} ({})", T::TITLE, value.label(), value.id());
        }
    }
    let d = &spec.decisions;
    let mut out = String::new();
    line(&mut out, d.stack);
    line(&mut out, d.topology);
    line(&mut out, d.architecture);
    line(&mut out, d.database);
    line(&mut out, d.auth);
    line(&mut out, d.errors);
    out
}

/// `--dry-run`: the decisions and every file that would be written.
pub fn dry_run(spec: &Spec, plan: &Plan, target: &Path) -> String {
    let mut out = format!(
        "Dry run: would create `{}` in `{}`; nothing was written.\n\nDecisions\n",
        spec.name,
        target.display()
    );
    out.push_str(&decision_lines(spec));
    let _ = writeln!(out, "\nFiles ({})", plan.files.len());
    for (path, file) in &plan.files {
        let mark = if file.executable {
            "  (executable)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {path}{mark}");
    }
    out
}

/// A project was created.
pub fn created(spec: &Spec, created: &Created) -> String {
    let mut out = format!(
        "Created `{}` in `{}`: {} files",
        spec.name,
        created.path.display(),
        created.files
    );
    match &created.commit {
        Some(commit) => {
            let _ = writeln!(
                out,
                ", one git commit ({}) on main.",
                &commit[..commit.len().min(10)]
            );
        }
        None => out.push_str(", no git repository (--no-git).\n"),
    }
    out.push_str("\nDecisions (each explained in docs/adr/)\n");
    out.push_str(&decision_lines(spec));
    let _ = write!(
        out,
        "\nNext:\n  cd {}\n  cargo test\n  cargo run\n",
        created.path.display()
    );
    out
}
