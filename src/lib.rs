//! bek-new: inputs → Spec → pure Plan → Apply → Report.
//!
//! - inputs: [`cli`] flags, [`answers`] (presets and answers files), [`questionnaire`] prompts;
//! - [`spec`]: the validated model, with [`recommend`] filling open decisions;
//! - [`plan::render`]: the pure render through [`template`] packs, [`context`] and [`adr`];
//! - [`apply`] (with [`git`], and [`apply::format`] running rustfmt in scratch folders): the
//!   only code that writes or runs tools;
//! - [`add`]: the same pipeline inside a project, with [`merge`] between the previous and the
//!   new output;
//! - [`report`]: what the user reads.

pub mod add;
pub mod adr;
pub mod answers;
pub mod apply;
pub mod cli;
pub mod context;
pub mod git;
pub mod interrupt;
pub mod manifest;
pub mod merge;
pub mod naming;
pub mod plan;
pub mod previous;
pub mod pristine;
pub mod questionnaire;
pub mod recommend;
pub mod report;
pub mod spec;
pub mod template;

use std::path::PathBuf;

use clap::CommandFactory;

use answers::Answers;
use cli::{Cli, Command, NewArgs, PresetsAction};
use questionnaire::Stopped;
use spec::{DecisionAnswers, Modules, ProjectName, Spec};

/// How a run ends; each maps to one exit code.
#[derive(Debug)]
pub enum Failure {
    /// Bad input or usage (exit 2). The message names the problem and the fix.
    Invalid(String),
    /// Something failed at run time: I/O, git, a template defect (exit 1).
    Runtime(anyhow::Error),
    /// Ctrl-C during the questionnaire (exit 130); nothing was written.
    Interrupted,
    /// `bek-new add` wrote files with conflict markers (exit 3); they are listed, nothing
    /// was committed.
    Conflicts,
}

impl From<anyhow::Error> for Failure {
    fn from(err: anyhow::Error) -> Self {
        Failure::Runtime(err)
    }
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Invalid(_) => 2,
            Failure::Runtime(_) => 1,
            Failure::Interrupted => 130,
            Failure::Conflicts => 3,
        }
    }
}

/// Runs a parsed command line, printing results to stdout.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Some(Command::Presets { action: None }) => {
            let presets = answers::shipped_presets();
            let width = presets.iter().map(|p| p.name.len()).max().unwrap_or(0);
            for preset in presets {
                println!(
                    "{:<width$}  {}",
                    preset.name,
                    preset.answers.description.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        Some(Command::Presets {
            action: Some(PresetsAction::Show { name }),
        }) => {
            // The file as shipped, comments included, so it can seed an answers file.
            let text = answers::shipped_preset_text(&name).ok_or_else(|| {
                let names: Vec<_> = answers::shipped_presets()
                    .into_iter()
                    .map(|p| p.name)
                    .collect();
                Failure::Invalid(format!(
                    "unknown preset `{name}`; shipped presets: {}",
                    names.join(", ")
                ))
            })?;
            print!("{text}");
            Ok(())
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "bek-new",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Some(Command::Add(args)) => add::run(args),
        None => new_project(cli.new),
    }
}

fn new_project(args: NewArgs) -> Result<(), Failure> {
    let name = args.name.clone().unwrap_or_default();
    // Checked before any question is asked, so nobody answers a review for nothing.
    ProjectName::parse(&name).map_err(Failure::Invalid)?;
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(&name);
    apply::check_target(&target).map_err(Failure::Invalid)?;
    let support = template::support()?;

    let preset = args
        .preset
        .as_deref()
        .map(answers::load_preset)
        .transpose()
        .map_err(Failure::Invalid)?;
    let file = args
        .answers
        .as_deref()
        .map(|path| Answers::read(path, "answers"))
        .transpose()
        .map_err(Failure::Invalid)?;
    let flags = Answers {
        description: None,
        requirements: Default::default(),
        decisions: DecisionAnswers {
            stack: args.stack,
            topology: args.topology,
            architecture: args.arch,
            database: args.db,
            auth: args.auth,
            errors: args.errors,
        },
        entities: Vec::new(),
        capabilities: args.capabilities.clone(),
    };
    let preset_name = preset.as_ref().map(|p| p.name.clone());
    let lower = file
        .unwrap_or_default()
        .over(preset.map(|p| p.answers).unwrap_or_default());
    let mut merged = flags.over(lower);
    support.check(&merged.decisions).map_err(Failure::Invalid)?;

    interrupt::install();
    let interactive = !args.yes && args.preset.is_none() && args.answers.is_none();
    if interactive {
        if !questionnaire::can_prompt() {
            return Err(Failure::Invalid(
                "bek-new needs to ask the architecture questions, but stdin and stderr are not both terminals. \
                 Pass --yes to take the recommended architecture, or --preset NAME (see `bek-new presets`) \
                 or --answers FILE to answer in advance"
                    .to_string(),
            ));
        }
        merged = match questionnaire::run(&name, merged, &support) {
            Ok(answers) => answers,
            Err(Stopped::Declined) => {
                println!("Nothing was written.");
                return Ok(());
            }
            Err(Stopped::Interrupted) => return Err(Failure::Interrupted),
            Err(Stopped::Io(err)) => return Err(Failure::Runtime(err.into())),
        };
    }

    let spec = Spec::build(
        &name,
        preset_name,
        today(),
        merged.requirements,
        merged.decisions,
        Modules {
            entities: merged.entities,
            capabilities: merged.capabilities,
        },
        &support,
    )
    .map_err(Failure::Invalid)?;
    let plan = plan::render(&spec)?;
    if args.dry_run {
        print!("{}", report::dry_run(&spec, &plan, &target, !args.no_git));
        return Ok(());
    }
    let created = apply::create_project(&plan, &target, !args.no_git)?;
    print!("{}", report::created(&spec, &created));
    Ok(())
}

/// The date recorded as the project's creation day. `SOURCE_DATE_EPOCH` (the reproducible
/// builds convention) pins it, which keeps whole runs byte-for-byte repeatable.
pub(crate) fn today() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    now.date().to_string()
}
