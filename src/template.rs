//! Template packs embedded in the binary, and the minijinja environment that renders them.
//!
//! A pack is a folder `templates/<pack>/` with a `pack.toml` that lists every file rule:
//! which template renders to which destination, under which condition (`when`), repeated over
//! which list (`each`). The manifest is the map of the generated project. The `common` pack
//! (ADRs and stack-neutral docs) renders for every project; one stack pack renders beside it.

use std::collections::HashMap;

use include_dir::{Dir, include_dir};
use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Deserialize;

use crate::naming;
use crate::spec::{Stack, Support, SupportTable};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The pack every project renders, whatever its stack.
pub const COMMON_PACK: &str = "common";

/// Delimiters chosen to never occur in Rust, TypeScript, YAML, TOML or GitHub Actions
/// (`${{ }}`), so templates need no escaping.
pub const VARIABLE: (&str, &str) = ("[[", "]]");
pub const BLOCK: (&str, &str) = ("[%", "%]");
pub const COMMENT: (&str, &str) = ("[#", "#]");

/// A parsed `pack.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackManifest {
    pub pack: PackInfo,
    /// Which option of each decision the pack can render (stack packs only).
    pub supports: Option<SupportTable>,
    #[serde(rename = "file", default)]
    pub files: Vec<FileRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackInfo {
    pub name: String,
    pub description: String,
}

/// One file rule of a pack.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRule {
    /// The template, relative to the pack folder.
    pub source: String,
    /// The destination path, itself a template; defaults to `source` without its `.jinja`
    /// suffix (every template carries it, so no template is mistaken for a real `Cargo.toml`).
    pub dest: Option<String>,
    /// An expression over the context; the file exists only where it is true.
    pub when: Option<String>,
    /// A list in the context; the rule renders once per item, bound to the name in `as`.
    pub each: Option<String>,
    #[serde(rename = "as")]
    pub each_as: Option<String>,
    /// Sets the executable bit (include_dir does not keep file modes).
    #[serde(default)]
    pub executable: bool,
}

impl FileRule {
    pub fn dest_template(&self) -> &str {
        self.dest
            .as_deref()
            .unwrap_or_else(|| self.source.strip_suffix(".jinja").unwrap_or(&self.source))
    }
}

/// An embedded pack: its manifest and its folder.
pub struct Pack {
    pub manifest: PackManifest,
    pub dir: &'static Dir<'static>,
}

impl Pack {
    /// Loads an embedded pack. Packs ship inside the binary and are checked by tests, so an
    /// error here is a defect of this build, reported with the pack's name.
    pub fn load(name: &str) -> anyhow::Result<Pack> {
        let dir = TEMPLATES.get_dir(name).ok_or_else(|| {
            anyhow::anyhow!("template pack `{name}` is not embedded in this build")
        })?;
        let manifest_text = dir
            .get_file(format!("{name}/pack.toml"))
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| anyhow::anyhow!("template pack `{name}` has no pack.toml"))?;
        let manifest: PackManifest = toml::from_str(manifest_text)
            .map_err(|err| anyhow::anyhow!("templates/{name}/pack.toml: {err}"))?;
        Ok(Pack { manifest, dir })
    }

    /// The pack folder's name, e.g. `rust-axum`.
    pub fn name(&self) -> &str {
        &self.manifest.pack.name
    }

    /// The template name under which a rule's source is registered in the environment.
    pub fn template_name(&self, rule: &FileRule) -> String {
        format!("{}/{}", self.name(), rule.source)
    }
}

/// The pack that renders a stack.
pub fn stack_pack(stack: Stack) -> anyhow::Result<Pack> {
    Pack::load(crate::spec::Choice::id(stack))
}

/// What every stack pack taken together can render: the union of their `[supports]` tables.
/// Today there is one stack pack, so this is its table.
pub fn support() -> anyhow::Result<Support> {
    let pack = stack_pack(Stack::RustAxum)?;
    let table = pack
        .manifest
        .supports
        .ok_or_else(|| anyhow::anyhow!("templates/rust-axum/pack.toml has no [supports] table"))?;
    Ok(table.into())
}

/// The minijinja environment over the given packs. A template is compiled the first time it
/// is rendered, so the many that a project's decisions leave out (the other architecture,
/// the other database, absent capabilities) cost nothing; every one the manifests list is
/// checked to exist up front.
pub fn environment(packs: &[&Pack]) -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .variable_delimiters(VARIABLE.0, VARIABLE.1)
            .block_delimiters(BLOCK.0, BLOCK.1)
            .comment_delimiters(COMMENT.0, COMMENT.1)
            .build()?,
    );
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_debug(true);
    env.add_filter("snake", |s: &str| naming::snake(s));
    env.add_filter("kebab", |s: &str| naming::kebab(s));
    env.add_filter("pascal", |s: &str| naming::pascal(s));
    env.add_filter("camel", |s: &str| naming::camel(s));
    env.add_filter("shouty", |s: &str| naming::shouty(s));
    env.add_filter("plural", |s: &str| naming::plural(s));
    env.add_filter("upper_first", |s: &str| naming::upper_first(s));
    // Every template of the packs by name (`<pack>/<path>`): rule sources and the partials
    // (text several templates share, `[% include %]`d or `[% import %]`ed).
    let mut sources: HashMap<String, &'static str> = HashMap::new();
    for pack in packs {
        collect_sources(pack.dir, &mut sources);
        for rule in &pack.manifest.files {
            let path = format!("{}/{}", pack.name(), rule.source);
            if !sources.contains_key(&path) {
                anyhow::bail!("templates/{path} is listed in pack.toml but missing or not UTF-8");
            }
        }
    }
    env.set_loader(move |name| Ok(sources.get(name).map(|source| source.to_string())));
    Ok(env)
}

/// The UTF-8 files below `dir`, by their path from the templates folder.
fn collect_sources(dir: &'static Dir<'static>, into: &mut HashMap<String, &'static str>) {
    for file in dir.files() {
        if let Some(source) = file.contents_utf8() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            into.insert(path, source);
        }
    }
    for child in dir.dirs() {
        collect_sources(child, into);
    }
}

/// Evaluates a rule's `when` expression.
pub fn condition_holds(env: &Environment<'_>, expr: &str, ctx: &Value) -> anyhow::Result<bool> {
    let compiled = env
        .compile_expression(expr)
        .map_err(|err| anyhow::anyhow!("`when = \"{expr}\"`: {err:#}"))?;
    let value = compiled
        .eval(ctx)
        .map_err(|err| anyhow::anyhow!("`when = \"{expr}\"`: {err:#}"))?;
    Ok(value.is_true())
}

#[cfg(test)]
mod tests {
    use super::{COMMON_PACK, Pack, TEMPLATES, environment};

    /// Templates compile lazily, when a project first renders them; this compiles every one,
    /// so a syntax error cannot hide in a template no tested project uses.
    #[test]
    fn every_template_of_every_pack_compiles() {
        let packs: Vec<Pack> = TEMPLATES
            .dirs()
            .map(|dir| Pack::load(&dir.path().to_string_lossy()).expect("pack loads"))
            .collect();
        assert!(packs.iter().any(|pack| pack.name() == COMMON_PACK));
        let env = environment(&packs.iter().collect::<Vec<_>>()).expect("environment");
        let mut compiled = 0;
        for pack in &packs {
            for rule in &pack.manifest.files {
                env.get_template(&pack.template_name(rule))
                    .unwrap_or_else(|err| panic!("{}: {err:#}", rule.source));
                compiled += 1;
            }
            if let Some(partials) = pack.dir.get_dir(format!("{}/partials", pack.name())) {
                for file in partials.files() {
                    let name = file.path().to_string_lossy();
                    env.get_template(&name)
                        .unwrap_or_else(|err| panic!("{name}: {err:#}"));
                    compiled += 1;
                }
            }
        }
        assert!(compiled > 100, "only {compiled} templates found");
    }
}
