//! `bek-new add <entity> --field …` inside a project: the same pipeline as `new`, run against
//! what is already there.
//!
//! inputs (the project's `bek.toml`, the command line) → the grown Spec → its Plan, formatted
//! as `new` writes it (theirs) → a three-way merge with bek-new's previous output (base, kept
//! at `refs/bek/pristine`, or in `.bek/pristine.toml` without git) and the working tree (ours)
//! → Apply: write, move the pristine ref, commit. Conflicts are written with markers, listed,
//! and nothing is committed (exit 3).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::AddArgs;
use crate::merge::{self, Change};
use crate::previous::Previous;
use crate::spec::entity::{self, EntitySpec};
use crate::spec::{Capability, Choice, Spec};
use crate::{Failure, apply, git, manifest, plan, pristine, questionnaire, report, template};

/// What `bek-new add <name>` adds.
enum Addition {
    /// A catalog capability, with what it needs.
    Capability(Capability),
    /// A new entity, or fields on an existing one.
    Entity(Vec<String>),
}

/// Runs `bek-new add` from the current directory.
pub fn run(args: AddArgs) -> Result<(), Failure> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    if args.list {
        return list(&cwd);
    }
    let name = args
        .name
        .clone()
        .ok_or_else(|| Failure::Invalid("name what to add, or pass --list".to_string()))?;
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

    let capability = match name.parse::<Capability>() {
        Ok(capability) if !args.fields.is_empty() || args.plural.is_some() => {
            return Err(Failure::Invalid(format!(
                "`{}` is a catalog capability: it brings its own tables and takes no --field or --plural; nothing was changed. Leave them out, or give an entity another name",
                capability.id()
            )));
        }
        Ok(capability) => Some(capability),
        Err(_) => None,
    };
    // bek-new's previous output: at the pristine ref in git, or in `.bek/pristine.toml` for
    // projects created with `--no-git`.
    let repo = git::open(&root);
    let previous = match &repo {
        Some(repo) => Previous::from_git(repo, git::PRISTINE_REF).map_err(|_| {
            Failure::Invalid(format!(
                "this repository has no `{}` (bek-new's previous output), so your edits could not be told apart from it; nothing was changed. Projects made by bek-new with git carry it; it is lost with clones that fetch only branches (`git fetch origin '{}:{}'` restores it)",
                git::PRISTINE_REF,
                git::PRISTINE_REF,
                git::PRISTINE_REF
            ))
        })?,
        None => pristine::read(&root)
            .map_err(|err| Failure::Invalid(format!("{err:#}; nothing was changed")))?
            .map(Previous::from_files)
            .ok_or_else(|| {
                Failure::Invalid(format!(
                    "`{}` is neither a git repository nor has it `{}`, so bek-new's previous output is unknown and your edits could not be told apart from it; nothing was changed",
                    root.display(),
                    pristine::FILE
                ))
            })?,
    };
    if let Some(repo) = repo.as_ref().filter(|_| !args.force && !args.dry_run) {
        let dirty = git::dirty_paths(repo).context("cannot read the git status")?;
        if !dirty.is_empty() {
            return Err(Failure::Invalid(format!(
                "the working tree has uncommitted changes ({}); nothing was changed. Commit or stash them first, so this change stays one commit you can review and undo, or pass --force",
                summarize(&dirty)
            )));
        }
    }

    // Fields are asked for only once the project is known to accept an add.
    let addition = match capability {
        Some(capability) => Addition::Capability(capability),
        None => Addition::Entity(field_args(&name, &args)?),
    };
    let support = template::support()?;
    let grown = grow(&spec, &name, &args, &addition, &support).map_err(Failure::Invalid)?;
    let theirs_plan = plan::render(&grown)?;
    let theirs = apply::format::formatted(&theirs_plan, |path, raw| !previous.same(path, raw))?;
    let (base, changed) = previous
        .differing(&theirs)
        .context("cannot read bek-new's previous output")?;
    let outcome = merge::merge(&base, |path| fs::read(root.join(path)).ok(), &changed)
        .context("cannot merge")?;

    let name = &name;
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
    let Some(repo) = repo.as_ref() else {
        // Without git: write, then store the new base; there is nothing to commit.
        apply::write_outcome(&root, &outcome, &theirs_plan)?;
        pristine::write(&root, &theirs).context("cannot store bek-new's output")?;
        if merge::has_conflicts(&outcome) {
            print!("{}", report::add_conflicts(name, &outcome));
            return Err(Failure::Conflicts);
        }
        print!("{}", report::added_without_git(name, &outcome));
        return Ok(());
    };
    // The new base is stored first (nothing visible changes if that fails), the files are
    // written, and only then does the base move.
    let new_base: BTreeMap<String, (Vec<u8>, bool)> = theirs
        .into_iter()
        .map(|(path, contents)| {
            let executable = theirs_plan.files.get(&path).is_some_and(|f| f.executable);
            (path, (contents, executable))
        })
        .collect();
    let message = format!("bek-new: add {name} (bek-new's output)");
    let new_base = git::pristine_commit(repo, &previous, &new_base, &message)
        .context("cannot record bek-new's output in git")?;
    apply::write_outcome(&root, &outcome, &theirs_plan)?;
    git::move_pristine(repo, new_base, &message).context("cannot move the pristine ref")?;
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
            git::commit_paths(repo, &touched, &format!("bek-new: add {name}"))
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

/// `bek-new add --list`: the catalog, one line each, marking what the project (if the
/// current folder is inside one) has already and what the template pack cannot render yet.
fn list(cwd: &Path) -> Result<(), Failure> {
    let support = template::support()?;
    let present: Vec<Capability> = find_project(cwd)
        .and_then(|root| fs::read_to_string(root.join(manifest::FILE_NAME)).ok())
        .and_then(|text| manifest::parse(&text).ok())
        .map(|(spec, _)| spec.capabilities.iter().map(|c| c.name).collect())
        .unwrap_or_default();
    print!("{}", report::catalog(&present, &support));
    Ok(())
}

/// The `--field` arguments, or fields asked for on a terminal.
fn field_args(name: &str, args: &AddArgs) -> Result<Vec<String>, Failure> {
    if !args.fields.is_empty() {
        return Ok(args.fields.clone());
    }
    if !questionnaire::can_prompt() {
        return Err(Failure::Invalid(format!(
            "no fields given for `{name}`, and stdin is not a terminal to ask for them; pass them as `--field name:type[:modifier…]`, e.g. `--field amount:money:min=0` (or add a catalog capability: `bek-new add --list`)"
        )));
    }
    let fields = questionnaire::ask_fields(name)?;
    if fields.is_empty() {
        return Err(Failure::Invalid(format!(
            "no fields given for `{name}`; nothing was changed"
        )));
    }
    Ok(fields)
}

/// The project's Spec grown by the command: a capability with what it needs, a new entity,
/// or new fields on an existing one, migrated by versions after every migration the project
/// has already.
fn grow(
    spec: &Spec,
    name: &str,
    args: &AddArgs,
    addition: &Addition,
    support: &crate::spec::Support,
) -> Result<Spec, String> {
    let today = crate::today();
    let fields = match addition {
        Addition::Capability(capability) => {
            return spec
                .with_capability(*capability, &today, support)
                .map(|(grown, _)| grown);
        }
        Addition::Entity(fields) => fields,
    };
    let version = spec.next_migration(&today);
    let fields = fields
        .iter()
        .map(|arg| entity::parse_field_arg(arg))
        .collect::<Result<Vec<_>, _>>()?;
    if spec.entities.iter().any(|e| e.name == name) {
        spec.with_added_fields(name, args.plural.as_deref(), fields, &version, support)
    } else {
        let entity = EntitySpec {
            name: name.to_string(),
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
