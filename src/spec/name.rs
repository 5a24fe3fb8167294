//! The project name: it becomes a directory, a Cargo package, a binary and a crate name, so it
//! must be valid as all four.

use std::fmt;

use heck::ToSnakeCase;
use serde::{Deserialize, Serialize};

/// Longest accepted project name, in characters.
pub const MAX_LEN: usize = 64;

/// Rust keywords of every edition, reserved ones included: no identifier may be one.
pub const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names of built-in crates and of Cargo's own build directories.
const CRATE_NAMES: &[&str] = &[
    "alloc",
    "build",
    "core",
    "deps",
    "examples",
    "incremental",
    "proc_macro",
    "std",
    "test",
];

/// A validated project name: lowercase ASCII letters, digits, `-` and `_`, starting with a
/// letter, at most 64 characters, not a Rust keyword or reserved crate name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectName(String);

impl ProjectName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let fix = "pick a name like `my-service` (lowercase letters, digits, `-` or `_`, starting with a letter)";
        if raw.is_empty() {
            return Err(format!("the project name is empty; {fix}"));
        }
        if raw.contains('/') || raw.contains('\\') {
            return Err(format!(
                "the project name `{raw}` contains a path separator; give a bare name and choose the parent directory with `--output DIR`"
            ));
        }
        if raw.contains("..") {
            return Err(format!("the project name `{raw}` contains `..`; {fix}"));
        }
        if raw.chars().count() > MAX_LEN {
            return Err(format!(
                "the project name is {} characters long; the limit is {MAX_LEN}; choose a shorter name",
                raw.chars().count()
            ));
        }
        if !raw.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(format!(
                "the project name `{raw}` does not start with a letter; {fix}"
            ));
        }
        if let Some(bad) = raw
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            let shown = if bad.is_whitespace() {
                "a space".to_string()
            } else {
                format!("`{bad}`")
            };
            return Err(format!("the project name `{raw}` contains {shown}; {fix}"));
        }
        if raw.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "the project name `{raw}` has uppercase letters, which Rust warns about in crate names; use `{}`",
                raw.to_ascii_lowercase()
            ));
        }
        let crate_name = raw.to_snake_case();
        if RUST_KEYWORDS.contains(&crate_name.as_str())
            || CRATE_NAMES.contains(&crate_name.as_str())
        {
            return Err(format!(
                "the project name `{raw}` is a Rust keyword or reserved crate name; choose another, e.g. `{raw}-service`"
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ProjectName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ProjectName> for String {
    fn from(value: ProjectName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in ["svc", "my-service", "pay_v2", "a", &"a".repeat(64)] {
            assert!(ProjectName::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_bad_names_with_the_reason() {
        let cases = [
            ("", "empty"),
            ("a/b", "path separator"),
            ("..", "`..`"),
            ("my service", "a space"),
            ("svc!", "`!`"),
            ("1svc", "start with a letter"),
            ("-svc", "start with a letter"),
            ("Svc", "uppercase"),
            ("self", "keyword"),
            ("std", "keyword"),
            ("test", "keyword"),
            ("proc-macro", "keyword"),
        ];
        for (name, reason) in cases {
            let message = ProjectName::parse(name).unwrap_err();
            assert!(message.contains(reason), "{name}: {message}");
        }
        let long = "a".repeat(65);
        assert!(
            ProjectName::parse(&long)
                .unwrap_err()
                .contains("limit is 64")
        );
    }
}
