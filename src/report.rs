//! What the user reads after a run: the decisions, the files, and the next commands.

use std::fmt::Write as _;
use std::path::Path;

use crate::apply::Created;
use crate::merge::{Change, OURS_LABEL, Outcome, THEIRS_LABEL, has_conflicts};
use crate::plan::Plan;
use crate::spec::{Capability, Choice, Decision, Spec, Support};

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

/// `--dry-run`: the decisions and every file that would be written (with git, the repository;
/// without, the file that keeps bek-new's output for later merges).
pub fn dry_run(spec: &Spec, plan: &Plan, target: &Path, with_git: bool) -> String {
    let mut out = format!(
        "Dry run: would create `{}` in `{}`; nothing was written.\n\nDecisions\n",
        spec.name,
        target.display()
    );
    out.push_str(&decision_lines(spec));
    let kept = if with_git { 0 } else { 1 };
    let _ = writeln!(out, "\nFiles ({})", plan.files.len() + kept);
    for (path, file) in &plan.files {
        let mark = if file.executable {
            "  (executable)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {path}{mark}");
    }
    if with_git {
        out.push_str("and a git repository with one commit\n");
    } else {
        let _ = writeln!(out, "  {}", crate::pristine::FILE);
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

/// One line per file an add touches: what happens to it.
fn outcome_lines(outcome: &Outcome) -> String {
    let mut out = String::new();
    for (path, change) in outcome {
        let _ = writeln!(out, "  {:<12} {path}", change.label());
    }
    out
}

/// `bek-new add --dry-run`: what would happen to each file.
pub fn add_dry_run(name: &str, outcome: &Outcome) -> String {
    if outcome.is_empty() {
        return format!("Adding `{name}` changes no file.\n");
    }
    let mut out = format!("Adding `{name}` would change {} files:\n", outcome.len());
    out.push_str(&outcome_lines(outcome));
    if has_conflicts(outcome) {
        out.push_str(
            "Files marked CONFLICT would get conflict markers where your edits and bek-new's changes overlap.\n",
        );
    }
    out
}

/// `bek-new add` ended with conflicts (exit 3).
pub fn add_conflicts(name: &str, outcome: &Outcome) -> String {
    let mut out = format!("Added `{name}`, but some of your edits overlap bek-new's changes:\n");
    out.push_str(&outcome_lines(outcome));
    let conflicting: Vec<&str> = outcome
        .iter()
        .filter(|(_, change)| matches!(change, Change::Conflicting(_)))
        .map(|(path, _)| path.as_str())
        .collect();
    let _ = writeln!(
        out,
        "\n{} conflicting: {}\nResolve the blocks between `<<<<<<< {OURS_LABEL}` and `>>>>>>> {THEIRS_LABEL}` in each, then commit. Nothing was committed.",
        conflicting.len(),
        conflicting.join(", ")
    );
    out
}

/// `bek-new add --list`: every catalog capability in one line, what it needs, and whether
/// the project has it or the pack cannot render it yet.
pub fn catalog(present: &[Capability], support: &Support) -> String {
    let mut out =
        String::from("Capabilities (`bek-new add <name>` adds one with what it needs):\n");
    for capability in Capability::ALL {
        let mut notes: Vec<String> = Vec::new();
        if !capability.requires().is_empty() {
            let needs: Vec<&str> = capability.requires().iter().map(|c| c.id()).collect();
            notes.push(format!("needs {}", needs.join(", ")));
        }
        if present.contains(capability) {
            notes.push("in this project".to_string());
        } else if !support.renders(*capability) {
            notes.push("not available yet".to_string());
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", notes.join("; "))
        };
        let _ = writeln!(
            out,
            "  {:<10} {}: {}{notes}",
            capability.id(),
            capability.label(),
            capability.describe()
        );
    }
    out
}

/// `bek-new add` succeeded in a project without git.
pub fn added_without_git(name: &str, outcome: &Outcome) -> String {
    let mut out = format!("Added `{name}`:\n");
    out.push_str(&outcome_lines(outcome));
    if outcome.is_empty() {
        out.push_str("No file needed a change.\n");
    } else {
        out.push_str(
            "Not committed: the project has no git repository (bek-new's output is kept in .bek/pristine.toml).\n",
        );
    }
    out
}

/// `bek-new add` succeeded.
pub fn added(name: &str, outcome: &Outcome, commit: Option<String>) -> String {
    let mut out = format!("Added `{name}`:\n");
    out.push_str(&outcome_lines(outcome));
    match commit {
        Some(commit) => {
            let _ = writeln!(
                out,
                "Committed as {} (`bek-new: add {name}`); `git show` reviews it, `git revert HEAD` undoes it.",
                &commit[..10.min(commit.len())]
            );
        }
        None => out.push_str("No file needed a change.\n"),
    }
    out
}
