//! The command line, exactly as documented: `bek-new <NAME> [options]`, `bek-new presets`,
//! `bek-new completions <SHELL>`, and `bek-new add` inside a project.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

use crate::spec::{Architecture, Auth, Capability, Database, ErrorFormat, Stack, Topology};

#[derive(Debug, Parser)]
#[command(
    name = "bek-new",
    version,
    about = "Turns an architecture review into a complete, production-grade backend service",
    long_about = "Turns an architecture review into a complete, production-grade backend service.\n\n\
        Run `bek-new my-service` for the interactive review, or \
        `bek-new my-service --preset fintech --yes` in scripts.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub new: NewArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the shipped presets, or print one as TOML.
    Presets {
        #[command(subcommand)]
        action: Option<PresetsAction>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
    /// Add an entity module to the project you are in, merging with your edits.
    Add(AddArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  bek-new add invoice --field number:string:unique:max=32 --field amount:money:min=0
  bek-new add category --field 'parent:ref(category)?:on_delete=set_null' --field title:string
  bek-new add person --plural people --field name:string --dry-run

Exit status: 0 done (one commit `bek-new: add <name>`), 2 bad input or a dirty working tree
(nothing changed), 3 conflicts (files written with markers and listed, nothing committed).")]
pub struct AddArgs {
    /// An entity (snake_case, singular, e.g. `invoice`, `line_item`) or a catalog capability
    /// (e.g. `webhooks`; see `--list`).
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,

    /// Show the catalog of capabilities, one line each, and which ones the project has.
    #[arg(long, conflicts_with_all = ["fields", "plural", "dry_run", "force", "yes"])]
    pub list: bool,

    /// A field as `name:type[?][:modifier…]`; repeat for each field. Types: string, text, int,
    /// bigint, decimal, money, currency, bool, uuid, date, datetime, enum(a|b), json,
    /// ref(entity). `?` makes it optional. Modifiers: unique, index, min=N, max=N,
    /// default=V, on_delete=restrict|cascade|set_null.
    #[arg(long = "field", value_name = "NAME:TYPE[:MODIFIER…]")]
    pub fields: Vec<String>,

    /// The plural, when the English rule gets it wrong (person → people).
    #[arg(long)]
    pub plural: Option<String>,

    /// Apply without asking for confirmation on a terminal.
    #[arg(long)]
    pub yes: bool,

    /// Print what would happen to each file; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Run even when the git working tree has uncommitted changes.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum PresetsAction {
    /// Print a preset as TOML (usable as an `--answers` file).
    Show {
        /// The preset's name, as `bek-new presets` lists it.
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The project name: lowercase letters, digits, `-` and `_`, starting with a letter.
    #[arg(required = true, value_name = "NAME")]
    pub name: Option<String>,

    /// Start from a preset: a shipped name (see `bek-new presets`) or the path of a TOML file.
    #[arg(long, value_name = "NAME|PATH")]
    pub preset: Option<String>,

    /// A TOML answers file (same schema as a preset), applied over the preset.
    #[arg(long, value_name = "PATH")]
    pub answers: Option<PathBuf>,

    /// Implementation stack.
    #[arg(long, value_name = "STACK")]
    pub stack: Option<Stack>,

    /// One deployable or several.
    #[arg(long, value_name = "TOPOLOGY")]
    pub topology: Option<Topology>,

    /// Internal architecture of the service.
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<Architecture>,

    /// The database.
    #[arg(long, value_name = "DB")]
    pub db: Option<Database>,

    /// The authentication model.
    #[arg(long, value_name = "AUTH")]
    pub auth: Option<Auth>,

    /// The error response format.
    #[arg(long, value_name = "FORMAT")]
    pub errors: Option<ErrorFormat>,

    /// A catalog module to include (repeatable); the ones it needs come along. Adds to a
    /// preset's capabilities.
    #[arg(long = "capability", value_name = "NAME")]
    pub capabilities: Vec<Capability>,

    /// Never prompt: take the recommendation for everything not given by flags or files.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Print the decisions and the file list; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Do not create a git repository.
    #[arg(long)]
    pub no_git: bool,

    /// Create the project inside this directory instead of the current one.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}
