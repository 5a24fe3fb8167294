//! The TOML schema shared by presets and answers files, and how layers of answers combine.
//!
//! Precedence, highest first: command-line flags > answers file > preset > recommendation.
//! Every layer is an [`Answers`] with open (`None`) entries; [`Answers::over`] stacks them.

use std::path::Path;

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};

use crate::spec::{Capability, DecisionAnswers, EntitySpec, Requirements};

/// The presets shipped inside the binary.
static PRESETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/presets");

/// A preset or answers file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// One line shown by `bek-new presets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub requirements: Requirements,
    #[serde(default)]
    pub decisions: DecisionAnswers,
    /// Domain modules (`[[entities]]`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntitySpec>,
    /// Catalog modules (`capabilities = ["transfers"]`); what they require comes along.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
}

impl Answers {
    /// These answers, with every open entry filled from `lower`.
    pub fn over(self, lower: Answers) -> Answers {
        Answers {
            description: self.description.or(lower.description),
            requirements: self.requirements.or(lower.requirements),
            decisions: self.decisions.or(lower.decisions),
            entities: merge_entities(self.entities, lower.entities),
            capabilities: merge_capabilities(self.capabilities, lower.capabilities),
        }
    }

    /// Parses TOML text; `origin` names the file in the error.
    pub fn parse(text: &str, origin: &str) -> Result<Answers, String> {
        toml::from_str(text).map_err(|err| {
            format!(
                "{origin} is not a valid answers file: {}\nfix the key or value it points at; `bek-new presets show minimal` prints a valid example",
                err.to_string().trim_end()
            )
        })
    }

    /// Reads and parses an answers file from disk.
    pub fn read(path: &Path, kind: &str) -> Result<Answers, String> {
        let origin = format!("{kind} file `{}`", path.display());
        let text = std::fs::read_to_string(path).map_err(|err| {
            format!("cannot read {origin}: {err}; check the path and its permissions")
        })?;
        Answers::parse(&text, &origin)
    }
}

/// The lower layer's entities, each replaced by the higher layer's entity of the same name,
/// followed by the higher layer's new ones (order matters: references point backwards).
fn merge_entities(higher: Vec<EntitySpec>, lower: Vec<EntitySpec>) -> Vec<EntitySpec> {
    let mut higher = higher;
    let mut merged: Vec<EntitySpec> = lower
        .into_iter()
        .map(
            |entity| match higher.iter().position(|h| h.name == entity.name) {
                Some(index) => higher.remove(index),
                None => entity,
            },
        )
        .collect();
    merged.extend(higher);
    merged
}

/// Every capability either layer asks for, the lower layer's first (a higher layer adds
/// capabilities; leaving one out of a preset is not possible by design, since the preset's
/// other modules may need it).
fn merge_capabilities(higher: Vec<Capability>, lower: Vec<Capability>) -> Vec<Capability> {
    let mut merged = lower;
    for capability in higher {
        if !merged.contains(&capability) {
            merged.push(capability);
        }
    }
    merged
}

/// A preset chosen by name (shipped) or by path (a user's own TOML file).
pub struct Preset {
    /// The name recorded in `bek.toml`: the shipped name, or the file stem of a path.
    pub name: String,
    pub answers: Answers,
}

/// Finds a preset by shipped name, or reads it from a path (anything with a path separator or
/// a `.toml` ending).
pub fn load_preset(name_or_path: &str) -> Result<Preset, String> {
    let looks_like_path = name_or_path.contains(['/', '\\']) || name_or_path.ends_with(".toml");
    if looks_like_path {
        let path = Path::new(name_or_path);
        let answers = Answers::read(path, "preset")?;
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| name_or_path.to_string());
        return Ok(Preset { name, answers });
    }
    let text = shipped_preset_text(name_or_path).ok_or_else(|| {
        format!(
            "unknown preset `{name_or_path}`; shipped presets: {}; or pass the path of a TOML file",
            shipped_presets()
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let answers = Answers::parse(text, &format!("shipped preset `{name_or_path}`"))?;
    Ok(Preset {
        name: name_or_path.to_string(),
        answers,
    })
}

/// The TOML text of a shipped preset.
pub fn shipped_preset_text(name: &str) -> Option<&'static str> {
    PRESETS
        .get_file(format!("{name}.toml"))
        .and_then(|file| file.contents_utf8())
}

/// Every shipped preset, sorted by name.
pub fn shipped_presets() -> Vec<Preset> {
    let mut presets: Vec<Preset> = PRESETS
        .files()
        .filter_map(|file| {
            let name = file.path().file_stem()?.to_str()?.to_string();
            let text = file.contents_utf8()?;
            // Shipped presets are checked by a test; one that does not parse is skipped here
            // rather than breaking `bek-new presets` for the others.
            let answers = Answers::parse(text, &name).ok()?;
            Some(Preset { name, answers })
        })
        .collect();
    presets.sort_by(|a, b| a.name.cmp(&b.name));
    presets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Database, Load};

    #[test]
    fn every_shipped_preset_parses() {
        for file in PRESETS.files() {
            let text = file.contents_utf8().expect("utf-8");
            Answers::parse(text, &file.path().display().to_string()).unwrap();
        }
        assert!(shipped_presets().len() >= 2);
    }

    #[test]
    fn higher_layer_wins_and_gaps_fall_through() {
        let preset = Answers::parse(
            "[requirements]\nload = \"low\"\n[decisions]\ndatabase = \"postgres\"\narchitecture = \"hexagonal\"\n",
            "preset",
        )
        .unwrap();
        let answers = Answers::parse("[decisions]\ndatabase = \"sqlite\"\n", "answers").unwrap();
        let merged = answers.over(preset);
        assert_eq!(merged.decisions.database, Some(Database::Sqlite));
        assert_eq!(merged.requirements.load, Some(Load::Low));
        assert!(merged.decisions.architecture.is_some());
    }

    #[test]
    fn errors_name_the_file_the_key_and_the_line() {
        let err = Answers::parse(
            "[decisions]\ndatabse = \"sqlite\"\n",
            "answers file `a.toml`",
        )
        .unwrap_err();
        assert!(err.contains("a.toml"), "{err}");
        assert!(err.contains("databse"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        let err = Answers::parse("[decisions]\ndatabase = \"oracle\"\n", "x").unwrap_err();
        assert!(
            err.contains("oracle") && err.contains("sqlite, postgres, mysql"),
            "{err}"
        );
        let err = Answers::parse("[requirements]\nintegrations = \"email\"\n", "x").unwrap_err();
        assert!(err.contains("integrations"), "{err}");
    }
}
