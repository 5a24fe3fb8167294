//! `bek-new add <entity> --field …` inside a project: the same pipeline as `new`, run against
//! what is already there.
//!
//! inputs (the project's `bek.toml`, the command line) → the grown Spec → its Plan, formatted
//! as `new` writes it (theirs) → a three-way merge with bek-new's previous output (base, kept
//! at `refs/bek/pristine`) and the working tree (ours) → Apply: write, move the pristine ref,
//! commit. Conflicts are written with markers, listed, and nothing is committed (exit 3).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::AddArgs;
use crate::merge::{self, Change};
use crate::spec::entity::{self, EntitySpec};
use crate::spec::{Capability, Choice, Spec};
use crate::{Failure, apply, git, manifest, plan, questionnaire, report, template};

/// Runs `bek-new add` from the current directory.
pub fn run(args: AddArgs) -> Result<(), Failure> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = find_project(&cwd).ok_or_else(|| {
        Failure::Invalid(format!(
            "no {} in `{}` or any folder above it; run `bek-new add` inside a project bek-new created (or create one with `bek-new <NAME>`)",
            manifest::FILE_NAME,
            cwd.display()
        ))
    })?;
    let manifest_path = root.join(manifest::FILE_NAME);
    let text = fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read `{}`", manifest_path.display()))?;
    let (spec, _version) = manifest::parse(&text).map_err(|err| {
        Failure::Invalid(format!(
            "{err}\nfix `{}` (git shows what changed in it), then run the command again",
            manifest_path.display()
        ))
    })?;

    if let Ok(capability) = args.name.parse::<Capability>() {
        return Err(Failure::Invalid(format!(
            "`{}` is a catalog capability; adding capabilities to an existing project is not available yet, nothing was changed. Create the project with `--capability {}`, or give an entity another name",
            capability.id(),
            capability.id()
        )));
    }
    let repo = git::open(&root).ok_or_else(|| {
        Failure::Invalid(format!(
            "`{}` is not a git repository. `bek-new add` merges with bek-new's previous output, which it keeps in git; nothing was changed",
            root.display()
        ))
    })?;
    let base = git::pristine_files(&repo).map_err(|_| {
        Failure::Invalid(format!(
            "this repository has no `{}` (bek-new's previous output), so your edits could not be told apart from it; nothing was changed. Projects made by bek-new with git carry it; it is lost with clones that fetch only branches (`git fetch origin '{}:{}'` restores it)",
            git::PRISTINE_REF,
            git::PRISTINE_REF,
            git::PRISTINE_REF
        ))
    })?;
    if !args.force && !args.dry_run {
        let dirty = git::dirty_paths(&repo).context("cannot read the git status")?;
        if !dirty.is_empty() {
            return Err(Failure::Invalid(format!(
                "the working tree has uncommitted changes ({}); nothing was changed. Commit or stash them first, so this change stays one commit you can review and undo, or pass --force",
                summarize(&dirty)
            )));
        }
    }

    let fields = field_args(&args)?;
    let support = template::support()?;
    let grown = grow(&spec, &args, &fields, &support).map_err(Failure::Invalid)?;
    let theirs_plan = plan::render(&grown)?;
    let theirs = apply::formatted(&theirs_plan)?;
    let outcome = merge::merge(&base, |path| fs::read(root.join(path)).ok(), &theirs)
        .context("cannot merge")?;

    let name = &args.name;
    if args.dry_run {
        print!("{}", report::add_dry_run(name, &outcome));
        return Ok(());
    }
    if !args.yes && questionnaire::can_prompt() {
        eprint!("{}", report::add_dry_run(name, &outcome));
        if !questionnaire::confirm("Apply these changes?")? {
            println!("Nothing was written.");
            return Ok(());
        }
    }
    // The new base is stored first (nothing visible changes if that fails), the files are
    // written, and only then does the base move.
    let pristine: BTreeMap<String, (Vec<u8>, bool)> = theirs
        .into_iter()
        .map(|(path, contents)| {
            let executable = theirs_plan.files.get(&path).is_some_and(|f| f.executable);
            (path, (contents, executable))
        })
        .collect();
    let message = format!("bek-new: add {name} (bek-new's output)");
    let pristine = git::pristine_commit(&repo, &pristine, &message)
        .context("cannot record bek-new's output in git")?;
    apply::write_outcome(&root, &outcome, &theirs_plan)?;
    git::move_pristine(&repo, pristine, &message).context("cannot move the pristine ref")?;
    if merge::has_conflicts(&outcome) {
        print!("{}", report::add_conflicts(name, &outcome));
        return Err(Failure::Conflicts);
    }
    let touched: Vec<String> = outcome
        .iter()
        .filter(|(_, change)| !matches!(change, Change::KeptDeleted | Change::KeptEdited))
        .map(|(path, _)| path.clone())
        .collect();
    let commit = if touched.is_empty() {
        None
    } else {
        Some(
            git::commit_paths(&repo, &touched, &format!("bek-new: add {name}"))
                .context("cannot commit")?,
        )
    };
    print!(
        "{}",
        report::added(name, &outcome, commit.map(|c| c.to_string()))
    );
    Ok(())
}

/// The nearest folder, from `start` upwards, that holds a `bek.toml`.
fn find_project(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(manifest::FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

/// The `--field` arguments, or fields asked for on a terminal.
fn field_args(args: &AddArgs) -> Result<Vec<String>, Failure> {
    if !args.fields.is_empty() {
        return Ok(args.fields.clone());
    }
    if !questionnaire::can_prompt() {
        return Err(Failure::Invalid(format!(
            "no fields given for `{}`, and stdin is not a terminal to ask for them; pass them as `--field name:type[:modifier…]`, e.g. `--field amount:money:min=0`",
            args.name
        )));
    }
    let fields = questionnaire::ask_fields(&args.name)?;
    if fields.is_empty() {
        return Err(Failure::Invalid(format!(
            "no fields given for `{}`; nothing was changed",
            args.name
        )));
    }
    Ok(fields)
}

/// The project's Spec grown by the command: a new entity, or new fields on an existing one,
/// migrated by a version after every migration the project has already.
fn grow(
    spec: &Spec,
    args: &AddArgs,
    fields: &[String],
    support: &crate::spec::Support,
) -> Result<Spec, String> {
    let version = spec.next_migration(&crate::today());
    let fields = fields
        .iter()
        .map(|arg| entity::parse_field_arg(arg))
        .collect::<Result<Vec<_>, _>>()?;
    if spec.entities.iter().any(|e| e.name == args.name) {
        spec.with_added_fields(
            &args.name,
            args.plural.as_deref(),
            fields,
            &version,
            support,
        )
    } else {
        let entity = EntitySpec {
            name: args.name.clone(),
            plural: args.plural.clone(),
            fields,
            migration: Some(version),
        };
        spec.with_new_entity(entity, support)
    }
}

/// The first few paths of a list, for a one-line message.
fn summarize(paths: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = paths
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        text.push_str(&format!(" and {} more", paths.len() - SHOWN));
    }
    text
}
