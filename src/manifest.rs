//! `bek.toml`: the project's record of its Spec and of the generator that rendered it. It has
//! the same `[requirements]` and `[decisions]` tables as presets and answers files, so a
//! project's manifest can seed another project with `--answers bek.toml`-like files.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::context::{GENERATOR_NAME, GENERATOR_VERSION};
use crate::spec::{
    Capability, CapabilityModule, Choice, Decisions, Entity, ProjectName, Requirements, Spec,
};

pub const FILE_NAME: &str = "bek.toml";

const HEADER: &str = "\
# Written by bek-new. It records the decisions this project was generated from (see
# docs/adr/) so that later runs of bek-new inside the project know them. No secrets here.

";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    generator: Generator,
    project: Project,
    requirements: Requirements,
    decisions: Decisions,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    entities: Vec<Entity>,
    /// Capability names in Spec order (a plain list keeps the file easy to read and edit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    capabilities: Vec<Capability>,
    /// Migration versions of capabilities added after the project was created, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    capability_migrations: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generator {
    name: String,
    version: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Project {
    name: ProjectName,
    created: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preset: Option<String>,
}

/// The text of `bek.toml` for a Spec.
pub fn render(spec: &Spec) -> anyhow::Result<String> {
    let manifest = Manifest {
        generator: Generator {
            name: GENERATOR_NAME.to_string(),
            version: GENERATOR_VERSION.to_string(),
        },
        project: Project {
            name: spec.name.clone(),
            created: spec.created.clone(),
            preset: spec.preset.clone(),
        },
        requirements: spec.requirements.clone(),
        decisions: spec.decisions,
        entities: spec.entities.clone(),
        capabilities: spec.capabilities.iter().map(|c| c.name).collect(),
        capability_migrations: spec
            .capabilities
            .iter()
            .filter_map(|c| Some((c.name.id().to_string(), c.migration.clone()?)))
            .collect(),
    };
    Ok(format!("{HEADER}{}", toml::to_string(&manifest)?))
}

/// Reads a `bek.toml` back into the Spec it records and the generator version that wrote it.
pub fn parse(text: &str) -> Result<(Spec, String), String> {
    let manifest: Manifest = toml::from_str(text)
        .map_err(|err| format!("{FILE_NAME} is not valid: {}", err.to_string().trim_end()))?;
    let spec = Spec {
        name: manifest.project.name,
        created: manifest.project.created,
        preset: manifest.project.preset,
        requirements: manifest.requirements,
        decisions: manifest.decisions,
        entities: manifest.entities,
        capabilities: manifest
            .capabilities
            .into_iter()
            .map(|name| CapabilityModule {
                name,
                migration: manifest.capability_migrations.get(name.id()).cloned(),
            })
            .collect(),
    };
    Ok((spec, manifest.generator.version))
}
