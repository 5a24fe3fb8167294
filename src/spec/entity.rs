//! Entities: the domain modules a project asks for. They arrive as `[[entities]]` tables in
//! presets, answers files and `bek.toml`, or as `--field name:type[:modifier…]` arguments,
//! and leave this module validated: every name is a safe identifier in Rust and SQL, every
//! modifier fits its type, and every reference points at an entity declared before it.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::name::RUST_KEYWORDS;
use crate::naming;

/// Longest entity or field name, in characters (PostgreSQL cuts identifiers at 63 bytes, and
/// index names are built from table and column names).
const MAX_NAME_LEN: usize = 40;

/// Longest `string` when no `max` is given: `string` is for short values; use `text` for
/// prose.
pub const DEFAULT_STRING_MAX: i64 = 255;

/// Columns every entity table has, set by the server and never by a request body, plus the
/// list endpoint's own query parameters (a field of that name could not be filtered).
const SERVER_SET_FIELDS: &[&str] = &[
    "id",
    "owner_id",
    "created_at",
    "updated_at",
    "version",
    "limit",
    "cursor",
    "sort",
];

/// Names the platform already uses for its tables, modules and routes (singular and plural
/// forms): an entity named so would collide with them.
const PLATFORM_NAMES: &[&str] = &[
    "user",
    "users",
    "refresh_token",
    "refresh_tokens",
    "idempotency_key",
    "idempotency_keys",
    "sqlx_migration",
    "sqlx_migrations",
    "auth",
    "session",
    "sessions",
    "me",
    "health",
    "metric",
    "metrics",
    "openapi",
    "page",
    "pages",
    "pagination",
    "principal",
    "error",
    "errors",
    "ops",
    "problem",
    "problems",
    "extract",
    "middleware",
    "cors",
    "config",
    "telemetry",
    "db",
    "state",
    "app",
    "fakes",
    "ports",
    // Modules of the generated crate an entity's module would sit beside.
    "listing",
    "keyset",
    "preconditions",
    "idempotency",
    "healthcheck",
    "security",
    "request_id",
    "request_metrics",
    "observe",
    "timeout",
    "dto",
    "domain",
    "application",
    "adapters",
    "models",
    "services",
    "repositories",
    "handlers",
    "crypto",
    "sqlite",
    "postgres",
];

/// Words PostgreSQL or SQLite reserve (they would need quoting in every statement).
const SQL_RESERVED: &[&str] = &[
    "add",
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "commit",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "escape",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "glob",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "index",
    "initially",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "regexp",
    "returning",
    "right",
    "rollback",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "transaction",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// An entity as written in TOML (`[[entities]]`): the shape presets, answers files and
/// `bek.toml` share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitySpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plural: Option<String>,
    pub fields: Vec<FieldSpec>,
    /// The version of the migration that creates the table (`YYYYMMDDhhmmss`). Written by
    /// `bek-new add`, whose tables come after every earlier migration; entities declared when
    /// the project was created leave it out and take the creation day's sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<String>,
}

/// A field as written in TOML, e.g. `{ name = "amount", type = "money", min = 0 }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub index: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<String>,
    /// The version of the migration that adds the column to an existing table. Written by
    /// `bek-new add` when it adds fields to an entity; fields present when the table was
    /// created leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// A TOML value of a modifier: `max = 32`, `default = true`, `min = "0.01"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(value) => write!(f, "{value}"),
            Scalar::Int(value) => write!(f, "{value}"),
            Scalar::Text(value) => f.write_str(value),
        }
    }
}

/// What a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Short text, at most `max` characters (255 unless given).
    String,
    /// Long text.
    Text,
    /// 32-bit integer.
    Int,
    /// 64-bit integer.
    Bigint,
    /// Exact decimal number; a string in JSON so no client rounds it through a float.
    Decimal,
    /// An amount of money in integer minor units (cents): never a float.
    Money,
    /// An ISO 4217 currency code (`EUR`).
    Currency,
    Bool,
    Uuid,
    /// A calendar day (`2026-01-31`).
    Date,
    /// An instant (RFC 3339).
    Datetime,
    /// One of the listed lowercase values.
    Enum(Vec<String>),
    /// Any JSON document.
    Json,
    /// The id of a row of another (or the same) entity.
    Ref {
        target: String,
        on_delete: OnDelete,
    },
}

/// What happens to a referencing row when the row it points at is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnDelete {
    /// The delete is refused while references exist.
    Restrict,
    /// The referencing rows are deleted too.
    Cascade,
    /// The reference is cleared (the field must be optional).
    SetNull,
}

impl OnDelete {
    pub fn id(self) -> &'static str {
        match self {
            OnDelete::Restrict => "restrict",
            OnDelete::Cascade => "cascade",
            OnDelete::SetNull => "set_null",
        }
    }

    fn parse(raw: &str) -> Option<OnDelete> {
        match raw {
            "restrict" => Some(OnDelete::Restrict),
            "cascade" => Some(OnDelete::Cascade),
            "set_null" | "set-null" => Some(OnDelete::SetNull),
            _ => None,
        }
    }
}

/// The type names accepted in `type = "…"` and `name:type`.
pub const TYPE_NAMES: &str = "string, text, int, bigint, decimal, money, currency, bool, uuid, date, datetime, enum(a|b|…), json, ref(entity)";

impl FieldType {
    /// The type's own name, as written in TOML.
    pub fn id(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Int => "int",
            FieldType::Bigint => "bigint",
            FieldType::Decimal => "decimal",
            FieldType::Money => "money",
            FieldType::Currency => "currency",
            FieldType::Bool => "bool",
            FieldType::Uuid => "uuid",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Enum(_) => "enum",
            FieldType::Json => "json",
            FieldType::Ref { .. } => "ref",
        }
    }

    /// Integers whose `min`/`max` bound the value.
    pub fn is_integer(&self) -> bool {
        matches!(self, FieldType::Int | FieldType::Bigint | FieldType::Money)
    }

    /// Text whose `min`/`max` bound the length in characters.
    pub fn is_text(&self) -> bool {
        matches!(self, FieldType::String | FieldType::Text)
    }
}

/// A validated field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub optional: bool,
    pub unique: bool,
    pub index: bool,
    /// Lower bound: length for text, value for numbers (a decimal literal for `decimal`).
    pub min: Option<String>,
    /// Upper bound, as `min`. Always set for `string`.
    pub max: Option<String>,
    /// The value a create request gets when it leaves the field out, in canonical text.
    pub default: Option<String>,
    /// See [`FieldSpec::migration`].
    pub migration: Option<String>,
}

/// A validated entity: names are snake_case, `plural` is derived unless given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EntitySpec", into = "EntitySpec")]
pub struct Entity {
    pub name: String,
    pub plural: String,
    /// Whether `plural` was given rather than derived (kept so `bek.toml` round-trips).
    plural_given: bool,
    pub fields: Vec<Field>,
    /// See [`EntitySpec::migration`].
    pub migration: Option<String>,
}

impl TryFrom<EntitySpec> for Entity {
    type Error = String;

    fn try_from(spec: EntitySpec) -> Result<Self, Self::Error> {
        let name = identifier(&spec.name, "entity name")?;
        check_entity_name(&name, &name)?;
        let plural = match &spec.plural {
            Some(plural) => {
                let plural = identifier(plural, &format!("plural of entity `{name}`"))?;
                check_entity_name(&plural, &name)?;
                plural
            }
            None => {
                let plural = naming::plural(&name);
                check_entity_name(&plural, &name)?;
                plural
            }
        };
        let migration = migration_version(spec.migration, &format!("entity `{name}`"))?;
        if spec.fields.is_empty() {
            return Err(format!(
                "entity `{name}` has no fields; give it at least one, e.g. `--field title:string`"
            ));
        }
        let mut fields = Vec::with_capacity(spec.fields.len());
        let mut seen = BTreeSet::new();
        for field in spec.fields {
            let field = Field::parse(&name, field)?;
            if !seen.insert(field.name.clone()) {
                return Err(format!(
                    "entity `{name}` declares field `{}` twice; keep one",
                    field.name
                ));
            }
            fields.push(field);
        }
        Ok(Entity {
            name,
            plural,
            plural_given: spec.plural.is_some(),
            fields,
            migration,
        })
    }
}

impl From<Entity> for EntitySpec {
    fn from(entity: Entity) -> Self {
        EntitySpec {
            name: entity.name,
            plural: entity.plural_given.then_some(entity.plural),
            fields: entity.fields.into_iter().map(FieldSpec::from).collect(),
            migration: entity.migration,
        }
    }
}

impl From<Field> for FieldSpec {
    fn from(field: Field) -> Self {
        let numeric = |text: String| match text.parse::<i64>() {
            Ok(int) => Scalar::Int(int),
            Err(_) => Scalar::Text(text),
        };
        let default = field.default.map(|text| match &field.ty {
            FieldType::Bool => Scalar::Bool(text == "true"),
            ty if ty.is_integer() => numeric(text),
            _ => Scalar::Text(text),
        });
        let (values, target, on_delete) = match field.ty.clone() {
            FieldType::Enum(values) => (Some(values), None, None),
            FieldType::Ref { target, on_delete } => (
                None,
                Some(target),
                (on_delete != OnDelete::Restrict).then(|| on_delete.id().to_string()),
            ),
            _ => (None, None, None),
        };
        FieldSpec {
            name: field.name,
            ty: field.ty.id().to_string(),
            optional: field.optional,
            unique: field.unique,
            index: field.index,
            min: field.min.map(numeric),
            max: field.max.map(numeric),
            default,
            values,
            target,
            on_delete,
            migration: field.migration,
        }
    }
}

/// A migration version as `bek.toml` records it: 14 digits, `YYYYMMDDhhmmss`.
fn migration_version(version: Option<String>, at: &str) -> Result<Option<String>, String> {
    match version {
        Some(v) if v.len() != 14 || !v.bytes().all(|b| b.is_ascii_digit()) => Err(format!(
            "{at}: migration `{v}` is not a migration version; it must be 14 digits (YYYYMMDDhhmmss), or left out"
        )),
        version => Ok(version),
    }
}

impl Field {
    fn parse(entity: &str, spec: FieldSpec) -> Result<Field, String> {
        let name = identifier(&spec.name, &format!("field name in entity `{entity}`"))?;
        let at = format!("field `{entity}.{name}`");
        if SERVER_SET_FIELDS.contains(&name.as_str()) {
            return Err(format!(
                "{at}: `{name}` is set by the server (or is a list query parameter) on every entity; rename the field"
            ));
        }
        check_word(&name, &at)?;
        let ty = parse_type(&spec, &at)?;
        let mut field = Field {
            name,
            ty,
            optional: spec.optional,
            unique: spec.unique,
            index: spec.index,
            min: None,
            max: None,
            default: None,
            migration: migration_version(spec.migration, &at)?,
        };
        if field.unique && matches!(field.ty, FieldType::Json | FieldType::Bool) {
            return Err(format!(
                "{at}: `unique` does not fit type `{}`; remove it",
                field.ty.id()
            ));
        }
        if field.index && field.ty == FieldType::Json {
            return Err(format!("{at}: `index` does not fit type `json`; remove it"));
        }
        field.min = spec
            .min
            .map(|b| bound(&field.ty, b, "min", &at))
            .transpose()?;
        field.max = spec
            .max
            .map(|b| bound(&field.ty, b, "max", &at))
            .transpose()?;
        if field.ty == FieldType::String && field.max.is_none() {
            field.max = Some(DEFAULT_STRING_MAX.to_string());
        }
        if let (Some(min), Some(max)) = (&field.min, &field.max)
            && compare_numbers(min, max) == std::cmp::Ordering::Greater
        {
            return Err(format!(
                "{at}: `min={min}` is greater than `max={max}`; swap them"
            ));
        }
        if let FieldType::Ref { on_delete, .. } = &field.ty
            && *on_delete == OnDelete::SetNull
            && !field.optional
        {
            return Err(format!(
                "{at}: `on_delete=set_null` needs an optional field; write the type as `ref(…)?` or choose `on_delete=cascade|restrict`"
            ));
        }
        field.default = spec
            .default
            .map(|value| default_value(&field, value, &at))
            .transpose()?;
        Ok(field)
    }
}

fn parse_type(spec: &FieldSpec, at: &str) -> Result<FieldType, String> {
    let raw = spec.ty.trim();
    let ty = match raw {
        "string" => FieldType::String,
        "text" => FieldType::Text,
        "int" => FieldType::Int,
        "bigint" => FieldType::Bigint,
        "decimal" => FieldType::Decimal,
        "money" => FieldType::Money,
        "currency" => FieldType::Currency,
        "bool" => FieldType::Bool,
        "uuid" => FieldType::Uuid,
        "date" => FieldType::Date,
        "datetime" => FieldType::Datetime,
        "json" => FieldType::Json,
        "enum" => {
            let values = spec.values.clone().unwrap_or_default();
            FieldType::Enum(enum_values(values, at)?)
        }
        "ref" => {
            let target = spec.target.as_deref().ok_or_else(|| {
                format!("{at}: type `ref` needs `target = \"<entity>\"` (or `ref(entity)` on the command line)")
            })?;
            let target = identifier(target, &format!("{at}: target"))?;
            let on_delete = match spec.on_delete.as_deref() {
                None => OnDelete::Restrict,
                Some(raw) => OnDelete::parse(raw).ok_or_else(|| {
                    format!(
                        "{at}: unknown `on_delete` value `{raw}`; use restrict, cascade or set_null"
                    )
                })?,
            };
            FieldType::Ref { target, on_delete }
        }
        other => {
            return Err(format!(
                "{at}: unknown type `{other}`; use one of {TYPE_NAMES}"
            ));
        }
    };
    if spec.values.is_some() && !matches!(ty, FieldType::Enum(_)) {
        return Err(format!(
            "{at}: `values` only fits type `enum`; remove it or change the type"
        ));
    }
    if (spec.target.is_some() || spec.on_delete.is_some()) && !matches!(ty, FieldType::Ref { .. }) {
        return Err(format!(
            "{at}: `target` and `on_delete` only fit type `ref`; remove them or change the type"
        ));
    }
    Ok(ty)
}

fn enum_values(values: Vec<String>, at: &str) -> Result<Vec<String>, String> {
    if values.is_empty() {
        return Err(format!(
            "{at}: an enum needs its values, e.g. `enum(draft|sent|paid)` or `values = [\"draft\", \"sent\"]`"
        ));
    }
    let mut seen = BTreeSet::new();
    for value in &values {
        let ok = value.starts_with(|c: char| c.is_ascii_lowercase())
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !value.ends_with('_')
            && !value.contains("__");
        if !ok {
            return Err(format!(
                "{at}: enum value `{value}` must be lowercase letters, digits and single `_`, starting with a letter (e.g. `past_due`)"
            ));
        }
        if !seen.insert(value.as_str()) {
            return Err(format!("{at}: enum value `{value}` is listed twice"));
        }
    }
    Ok(values)
}

/// A `min`/`max` modifier, checked against the type, in canonical text.
fn bound(ty: &FieldType, value: Scalar, which: &str, at: &str) -> Result<String, String> {
    let bad = |why: &str| format!("{at}: `{which}={value}` {why}");
    match ty {
        t if t.is_text() => match value {
            Scalar::Int(n) if n >= 0 => Ok(n.to_string()),
            _ => Err(bad(
                "must be a length: a whole number of characters, 0 or more",
            )),
        },
        FieldType::Int => match value {
            Scalar::Int(n) if i32::try_from(n).is_ok() => Ok(n.to_string()),
            _ => Err(bad("must be a whole number that fits `int` (32 bits)")),
        },
        t if t.is_integer() => match value {
            Scalar::Int(n) => Ok(n.to_string()),
            _ => Err(bad("must be a whole number")),
        },
        FieldType::Decimal => {
            let text = value.to_string();
            canonical_decimal(&text).ok_or_else(|| bad("must be a decimal number like `0.01`"))
        }
        other => Err(format!(
            "{at}: `{which}` does not fit type `{}`; only text lengths and numbers have bounds",
            other.id()
        )),
    }
}

/// A decimal literal without a sign on zero, leading zeros or an exponent: `-12.50`.
fn canonical_decimal(text: &str) -> Option<String> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return None;
    }
    if digits.ends_with('.') || whole.len() + fraction.len() > 28 {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let is_zero = whole == "0" && fraction.chars().all(|c| c == '0');
    let sign = if negative && !is_zero { "-" } else { "" };
    Some(if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    })
}

/// Orders two canonical numbers (integers or decimals) by value.
fn compare_numbers(a: &str, b: &str) -> std::cmp::Ordering {
    // Bounds are at most 28 digits: compare sign, then integer part length, then digits.
    fn key(text: &str) -> (bool, String, String) {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        (
            negative,
            format!("{whole:0>30}"),
            format!("{:0<30}", fraction),
        )
    }
    let (a_neg, a_whole, a_frac) = key(a);
    let (b_neg, b_whole, b_frac) = key(b);
    match (a_neg, b_neg) {
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (false, false) => (a_whole, a_frac).cmp(&(b_whole, b_frac)),
        (true, true) => (b_whole, b_frac).cmp(&(a_whole, a_frac)),
    }
}

/// A `default` modifier, checked against the type and the field's other rules.
fn default_value(field: &Field, value: Scalar, at: &str) -> Result<String, String> {
    let bad = |why: String| format!("{at}: `default={value}` {why}");
    let text = match (&field.ty, &value) {
        (FieldType::Bool, Scalar::Bool(b)) => b.to_string(),
        (FieldType::Bool, Scalar::Text(t)) if t == "true" || t == "false" => t.clone(),
        (FieldType::Bool, _) => return Err(bad("must be `true` or `false`".into())),
        (ty, _) if ty.is_integer() || *ty == FieldType::Decimal => {
            let text = value.to_string();
            let canonical = if *ty == FieldType::Decimal {
                canonical_decimal(&text)
            } else {
                text.parse::<i64>().ok().map(|n| n.to_string())
            };
            let canonical =
                canonical.ok_or_else(|| bad(format!("is not a valid `{}`", ty.id())))?;
            if *ty == FieldType::Int && canonical.parse::<i32>().is_err() {
                return Err(bad("does not fit `int` (32 bits)".into()));
            }
            if let Some((bound, limit)) = broken_bound(field, &canonical) {
                let side = if bound == "min" { "below" } else { "above" };
                return Err(bad(format!("is {side} `{bound}={limit}`")));
            }
            canonical
        }
        (ty, Scalar::Text(text)) if ty.is_text() => {
            let length = text.chars().count().to_string();
            if let Some((bound, limit)) = broken_bound(field, &length) {
                let side = if bound == "min" { "shorter" } else { "longer" };
                return Err(bad(format!("is {side} than `{bound}={limit}`")));
            }
            if text.contains(['\'', '\\']) || text.chars().any(char::is_control) {
                return Err(bad(
                    "may not contain quotes, backslashes or control characters".into(),
                ));
            }
            text.clone()
        }
        (FieldType::Currency, Scalar::Text(code))
            if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) =>
        {
            code.clone()
        }
        (FieldType::Currency, _) => {
            return Err(bad(
                "must be an ISO 4217 code of three capital letters, e.g. `EUR`".into(),
            ));
        }
        (FieldType::Enum(values), Scalar::Text(choice)) if values.contains(choice) => {
            choice.clone()
        }
        (FieldType::Enum(values), _) => {
            return Err(bad(format!("is not one of {}", values.join(", "))));
        }
        (FieldType::Date, Scalar::Text(day)) if is_date(day) => day.clone(),
        (FieldType::Date, _) => return Err(bad("must be a date like `2026-01-31`".into())),
        (ty, _) => {
            return Err(format!(
                "{at}: type `{}` takes no `default`; remove it",
                ty.id()
            ));
        }
    };
    Ok(text)
}

/// The bound (`min` or `max`, with its value) that `measure` — a number, or a text's length —
/// breaks, if any.
fn broken_bound<'f>(field: &'f Field, measure: &str) -> Option<(&'static str, &'f str)> {
    if let Some(min) = &field.min
        && compare_numbers(measure, min) == std::cmp::Ordering::Less
    {
        return Some(("min", min));
    }
    if let Some(max) = &field.max
        && compare_numbers(measure, max) == std::cmp::Ordering::Greater
    {
        return Some(("max", max));
    }
    None
}

/// `YYYY-MM-DD`, a day that exists.
fn is_date(text: &str) -> bool {
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse::<u8>(), day.parse()) else {
        return false;
    };
    time::Month::try_from(month)
        .and_then(|month| time::Date::from_calendar_date(year, month, day))
        .is_ok()
}

/// A name as a snake_case identifier: `line-item` and `line_item` both give `line_item`.
fn identifier(raw: &str, what: &str) -> Result<String, String> {
    let fix =
        "use lowercase letters, digits and `_` or `-`, starting with a letter, e.g. `line_item`";
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(format!("the {what} is empty; {fix}"));
    }
    let ok = trimmed.starts_with(|c: char| c.is_ascii_lowercase())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        return Err(format!("the {what} `{raw}` is not a valid name; {fix}"));
    }
    let snake = naming::snake(trimmed);
    if snake.chars().count() > MAX_NAME_LEN {
        return Err(format!(
            "the {what} `{raw}` is longer than {MAX_NAME_LEN} characters; choose a shorter one"
        ));
    }
    Ok(snake)
}

/// Refuses words that are keywords in Rust or SQL.
fn check_word(word: &str, what: &str) -> Result<(), String> {
    if RUST_KEYWORDS.contains(&word) {
        return Err(format!(
            "{what}: `{word}` is a Rust keyword; choose another name (e.g. `{word}_name` or `kind`)"
        ));
    }
    if SQL_RESERVED.contains(&word) {
        return Err(format!(
            "{what}: `{word}` is reserved in SQL; choose another name (e.g. `{word}_value`)"
        ));
    }
    Ok(())
}

fn check_entity_name(word: &str, entity: &str) -> Result<(), String> {
    let what = format!("entity `{entity}`");
    if PLATFORM_NAMES.contains(&word) {
        return Err(format!(
            "{what}: `{word}` is already used by the platform (accounts, sessions, probes); choose another name"
        ));
    }
    check_word(word, &what)
}

/// Checks what only the whole list can tell: unique names and references to entities that
/// exist and are declared earlier (their tables must exist before the foreign key).
pub fn check_all(entities: &[Entity]) -> Result<(), String> {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for entity in entities {
        for field in &entity.fields {
            if let FieldType::Ref { target, .. } = &field.ty
                && *target != entity.name
                && !names.contains(target.as_str())
            {
                let later = entities.iter().any(|e| e.name == *target);
                return Err(if later {
                    format!(
                        "field `{}.{}` refers to `{target}`, which is declared after `{}`; declare `{target}` first",
                        entity.name, field.name, entity.name
                    )
                } else {
                    format!(
                        "field `{}.{}` refers to `{target}`, which is not an entity of this project; add it or fix the name",
                        entity.name, field.name
                    )
                });
            }
        }
        for word in [&entity.name, &entity.plural] {
            if names.contains(word.as_str()) {
                return Err(format!(
                    "entity name `{word}` is used twice (as a name or a plural); rename one"
                ));
            }
        }
        names.insert(&entity.name);
        if entity.plural != entity.name {
            names.insert(&entity.plural);
        }
    }
    Ok(())
}

/// Parses one `--field name:type[?][:modifier…]` argument, e.g.
/// `number:string:unique:max=32`, `'status:enum(draft|sent|paid):default=draft'`,
/// `'due_on:date?'` or `customer:ref(customer):on_delete=cascade`.
pub fn parse_field_arg(arg: &str) -> Result<FieldSpec, String> {
    let usage = "write fields as `name:type[?][:modifier…]`, e.g. `amount:money:min=0` or `status:enum(draft|paid):default=draft`";
    let mut parts = arg.split(':');
    let name = parts.next().unwrap_or_default().trim();
    let ty = parts
        .next()
        .ok_or_else(|| format!("`--field {arg}` has no type; {usage}"))?
        .trim();
    let mut spec = FieldSpec {
        name: name.to_string(),
        ..FieldSpec::default()
    };
    let ty = match ty.strip_suffix('?') {
        Some(ty) => {
            spec.optional = true;
            ty
        }
        None => ty,
    };
    if let Some(inner) = ty.strip_prefix("enum(").and_then(|t| t.strip_suffix(')')) {
        spec.ty = "enum".into();
        spec.values = Some(inner.split('|').map(|v| v.trim().to_string()).collect());
    } else if let Some(inner) = ty.strip_prefix("ref(").and_then(|t| t.strip_suffix(')')) {
        spec.ty = "ref".into();
        spec.target = Some(inner.trim().to_string());
    } else {
        spec.ty = ty.to_string();
    }
    for modifier in parts {
        let (key, value) = match modifier.split_once('=') {
            Some((key, value)) => (key.trim(), Some(value.trim())),
            None => (modifier.trim(), None),
        };
        let scalar = |value: &str| match value.parse::<i64>() {
            Ok(n) => Scalar::Int(n),
            Err(_) => Scalar::Text(value.to_string()),
        };
        match (key, value) {
            ("unique", None) => spec.unique = true,
            ("index", None) => spec.index = true,
            ("optional", None) => spec.optional = true,
            ("min", Some(v)) => spec.min = Some(scalar(v)),
            ("max", Some(v)) => spec.max = Some(scalar(v)),
            ("default", Some(v)) => spec.default = Some(scalar(v)),
            ("on_delete", Some(v)) => spec.on_delete = Some(v.to_string()),
            _ => {
                return Err(format!(
                    "`--field {arg}`: unknown modifier `{modifier}`; use unique, index, optional, min=N, max=N, default=V or on_delete=restrict|cascade|set_null"
                ));
            }
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(name: &str, fields: &[&str]) -> Result<Entity, String> {
        let fields = fields
            .iter()
            .map(|f| parse_field_arg(f))
            .collect::<Result<Vec<_>, _>>()?;
        Entity::try_from(EntitySpec {
            name: name.into(),
            plural: None,
            fields,
            migration: None,
        })
    }

    #[test]
    fn command_line_fields_cover_every_form() {
        let invoice = entity(
            "invoice",
            &[
                "number:string:unique:max=32",
                "amount:money:min=0",
                "status:enum(draft|sent|paid):default=draft",
                "due_on:date?",
                "rate:decimal:min=0.00:max=100",
            ],
        )
        .unwrap();
        assert_eq!(invoice.plural, "invoices");
        let number = &invoice.fields[0];
        assert!(number.unique);
        assert_eq!(number.max.as_deref(), Some("32"));
        assert_eq!(
            invoice.fields[2].ty,
            FieldType::Enum(vec!["draft".into(), "sent".into(), "paid".into()])
        );
        assert_eq!(invoice.fields[2].default.as_deref(), Some("draft"));
        assert!(invoice.fields[3].optional);
        assert_eq!(invoice.fields[4].min.as_deref(), Some("0.00"));
        let line = entity(
            "line-item",
            &["invoice:ref(invoice):on_delete=cascade", "note:text?"],
        )
        .unwrap();
        assert_eq!(line.name, "line_item");
        assert_eq!(line.plural, "line_items");
        assert_eq!(
            line.fields[0].ty,
            FieldType::Ref {
                target: "invoice".into(),
                on_delete: OnDelete::Cascade
            }
        );
    }

    #[test]
    fn strings_get_a_length_limit_unless_given() {
        let e = entity("customer", &["name:string"]).unwrap();
        assert_eq!(e.fields[0].max.as_deref(), Some("255"));
    }

    #[test]
    fn bad_input_is_refused_quoting_the_token() {
        for (fields, token) in [
            (&["amount:float"][..], "`float`"),
            (&["amount:money:precise"], "`precise`"),
            (&["id:uuid"], "`id`"),
            (&["owner_id:uuid"], "`owner_id`"),
            (&["type:string"], "`type`"),
            (&["select:string"], "`select`"),
            (&["Amount:int"], "`Amount`"),
            (&["n:int:min=10:max=1"], "`min=10`"),
            (&["n:int:max=3000000000"], "`max=3000000000`"),
            (&["s:enum(a|B)"], "`B`"),
            (&["s:enum(a|b):default=c"], "`default=c`"),
            (&["c:ref(customer):on_delete=set_null"], "set_null"),
            (&["c:ref(customer):on_delete=explode"], "`explode`"),
            (&["d:json:unique"], "`unique`"),
            (&["d:datetime:default=now"], "`datetime`"),
            (&["code:currency:default=eur"], "`default=eur`"),
            (&["name:string:max=3:default=toolong"], "`default=toolong`"),
            (&["flag:bool:min=1"], "`min`"),
            (&["amount"], "`--field amount`"),
        ] {
            let err = entity("invoice", fields).unwrap_err();
            assert!(err.contains(token), "{fields:?}: {err}");
        }
        for name in [
            "user",
            "users",
            "refresh_tokens",
            "order",
            "match",
            "Invoice",
        ] {
            let err = entity(name, &["n:int"]).unwrap_err();
            assert!(err.contains(&format!("`{name}`")), "{name}: {err}");
        }
        let err = entity("invoice", &["n:int", "n:bigint"]).unwrap_err();
        assert!(err.contains("twice"), "{err}");
        assert!(entity("invoice", &[]).unwrap_err().contains("no fields"));
    }

    #[test]
    fn references_must_point_back_to_declared_entities() {
        let customer = entity("customer", &["name:string"]).unwrap();
        let invoice = entity("invoice", &["customer:ref(customer)"]).unwrap();
        let category = entity("category", &["parent:ref(category)?:on_delete=set_null"]).unwrap();
        assert_eq!(category.plural, "categories");
        check_all(&[customer.clone(), invoice.clone(), category]).unwrap();
        let err = check_all(&[invoice.clone(), customer.clone()]).unwrap_err();
        assert!(err.contains("declare `customer` first"), "{err}");
        let err = check_all(std::slice::from_ref(&invoice)).unwrap_err();
        assert!(err.contains("`customer`"), "{err}");
        let err = check_all(&[customer.clone(), customer]).unwrap_err();
        assert!(err.contains("twice"), "{err}");
    }

    #[test]
    fn toml_round_trips_through_the_canonical_form() {
        let text = r#"
name = "person"
plural = "people"
fields = [
  { name = "name", type = "string", max = 80 },
  { name = "age", type = "int", optional = true, min = 0 },
  { name = "active", type = "bool", default = true },
  { name = "kind", type = "enum", values = ["a", "b"], default = "a" },
  { name = "balance", type = "decimal", default = "00.50" },
]
"#;
        let spec: EntitySpec = toml::from_str(text).unwrap();
        let entity = Entity::try_from(spec).unwrap();
        assert_eq!(entity.plural, "people");
        assert_eq!(entity.fields[4].default.as_deref(), Some("0.50"));
        let back = EntitySpec::from(entity.clone());
        assert_eq!(back.plural.as_deref(), Some("people"));
        assert_eq!(back.fields[2].default, Some(Scalar::Bool(true)));
        assert_eq!(Entity::try_from(back).unwrap(), entity);
    }

    #[test]
    fn decimals_are_canonical_and_compared_by_value() {
        assert_eq!(canonical_decimal("007.50").as_deref(), Some("7.50"));
        assert_eq!(canonical_decimal("-0.0").as_deref(), Some("0.0"));
        assert_eq!(canonical_decimal("1e5"), None);
        assert_eq!(canonical_decimal("1."), None);
        assert_eq!(compare_numbers("-2", "1.5"), std::cmp::Ordering::Less);
        assert_eq!(compare_numbers("10", "9.99"), std::cmp::Ordering::Greater);
        assert_eq!(compare_numbers("-10", "-9.99"), std::cmp::Ordering::Less);
        assert_eq!(compare_numbers("1.50", "1.5"), std::cmp::Ordering::Equal);
    }
}
