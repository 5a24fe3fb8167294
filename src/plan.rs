//! `render(&Spec) -> Plan`: the pure heart of the generator. Same Spec, same bytes; no disk,
//! no clock, no environment. Snapshot tests, `--dry-run` and (later) three-way merges all rest
//! on that.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use anyhow::{Context as _, anyhow, bail};
use minijinja::{Value, context};

use crate::manifest;
use crate::spec::Spec;
use crate::template::{self, COMMON_PACK, Pack};

/// One file of the generated project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    pub contents: String,
    pub executable: bool,
}

/// The whole generated project: relative path (with `/`) → file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub files: BTreeMap<String, PlannedFile>,
}

impl Plan {
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    fn insert(&mut self, path: String, file: PlannedFile, origin: &str) -> anyhow::Result<()> {
        check_relative(&path).with_context(|| format!("destination of {origin}"))?;
        if self.files.insert(path.clone(), file).is_some() {
            bail!("{origin} renders `{path}`, which another rule already renders");
        }
        Ok(())
    }
}

/// Renders every file of the project the Spec describes. An error here is a defect in a
/// template pack (user input was validated when the Spec was built); it names the template and
/// line.
pub fn render(spec: &Spec) -> anyhow::Result<Plan> {
    let support = template::support()?;
    let common = Pack::load(COMMON_PACK)?;
    let stack = template::stack_pack(spec.decisions.stack)?;
    let packs = [&common, &stack];
    let env = template::environment(&packs)?;
    let ctx = Value::from_serialize(crate::context::build(spec, &support));

    let mut plan = Plan::default();
    for pack in packs {
        for rule in &pack.manifest.files {
            let name = pack.template_name(rule);
            if let Some(expr) = &rule.when
                && !template::condition_holds(&env, expr, &ctx)
                    .with_context(|| format!("rule for templates/{name}"))?
            {
                continue;
            }
            let contexts = match (&rule.each, &rule.each_as) {
                (Some(list), Some(binding)) => {
                    let items = ctx
                        .get_attr(list)
                        .ok()
                        .filter(|v| !v.is_undefined())
                        .ok_or_else(|| anyhow!("rule for templates/{name}: `each = \"{list}\"` is not in the context"))?;
                    let mut contexts = Vec::new();
                    for item in items.try_iter().map_err(|err| {
                        anyhow!("rule for templates/{name}: `{list}` is not a list: {err}")
                    })? {
                        contexts.push(context! { ..ctx.clone(), ..Value::from_iter([(binding.as_str(), item)]) });
                    }
                    contexts
                }
                (None, None) => vec![ctx.clone()],
                _ => bail!("rule for templates/{name}: `each` and `as` go together"),
            };
            let template = env.get_template(&name)?;
            for item_ctx in contexts {
                let dest = env
                    .render_str(rule.dest_template(), &item_ctx)
                    .map_err(|err| anyhow!("destination of templates/{name}: {err:#}"))?;
                let contents = template
                    .render(&item_ctx)
                    .map_err(|err| anyhow!("{}", describe_template_error(&err)))?;
                let file = PlannedFile {
                    contents,
                    executable: rule.executable,
                };
                plan.insert(dest, file, &format!("templates/{name}"))?;
            }
        }
    }
    plan.insert(
        manifest::FILE_NAME.to_string(),
        PlannedFile {
            contents: manifest::render(spec)?,
            executable: false,
        },
        "the project manifest",
    )?;
    Ok(plan)
}

/// A template error with the template name, line and the chain of causes.
fn describe_template_error(err: &minijinja::Error) -> String {
    let mut text = format!("{err:#}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\ncaused by: {cause:#}"));
        source = cause.source();
    }
    text
}

/// Packs must only write inside the project.
fn check_relative(path: &str) -> anyhow::Result<()> {
    let ok = !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        bail!("`{path}` is not a plain relative path")
    }
}
