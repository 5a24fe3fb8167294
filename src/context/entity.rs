//! What templates see of an entity: every name in every case, and, per field, the Rust type,
//! the SQL type and constraints of the chosen database, the JSON shape check, the list
//! filters and sorts it allows, and sample values for the generated tests. Deciding all of
//! this here keeps the templates free of type tables.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::naming::{kebab, pascal};
use crate::spec::{Database, Entity, Field, FieldType, OnDelete, Spec};

#[derive(Debug, Serialize)]
pub struct EntityView {
    /// snake_case singular, e.g. `line_item`.
    pub name: String,
    /// `LineItem`.
    pub pascal: String,
    /// snake_case plural, also the table name: `line_items`.
    pub plural: String,
    /// The URL segment: `line-items` (routes are `/v1/line-items`).
    pub path: String,
    /// Words for prose: `line item`.
    pub words: String,
    /// The migration version (`YYYYMMDD` of creation, then a sequence after the platform's).
    pub migration: String,
    pub fields: Vec<FieldView>,
    /// The other entities its references point at, each once, in field order: a hexagonal
    /// use case needs their repositories to check references.
    pub referenced: Vec<Referenced>,
    /// Which value types occur, so templates import only what they use.
    pub uses: Uses,
}

#[derive(Debug, Serialize)]
pub struct Referenced {
    pub name: String,
    pub pascal: String,
    pub plural: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Uses {
    pub decimal: bool,
    pub date: bool,
    pub datetime: bool,
    pub unique: bool,
}

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    pub pascal: String,
    /// The type's name as written in the spec (`money`, `enum`, …).
    pub ty: &'static str,
    pub optional: bool,
    pub unique: bool,
    /// Whether the column gets a plain index (asked for, or a reference).
    pub index: bool,
    /// The Rust type of a present value: `String`, `i64`, `Decimal`, `InvoiceStatus`, …
    pub rust: String,
    /// The Rust type a row column decodes into (enums and decimals are decoded from text).
    pub row_rust: String,
    /// How the row value becomes the model value: `plain`, `parse` (enum, decimal) or `json`.
    pub decode: &'static str,
    /// The `Kind` the JSON body check expects, as a Rust expression.
    pub body_kind: String,
    /// The `ValueKind` list filters and cursors parse with, as a Rust expression.
    pub value_kind: String,
    /// The `Value` variant a present value is wrapped in for filters and cursors.
    pub value_variant: &'static str,
    /// `eq`, `range` (eq, gte, lte) or empty (not filterable).
    pub filter: &'static str,
    pub sortable: bool,
    /// Length bounds (text) or value bounds (numbers), canonical text.
    pub min: Option<String>,
    pub max: Option<String>,
    /// Length bounds apply (string, text).
    pub is_text: bool,
    /// Value bounds apply to an integer (int, bigint, money).
    pub is_integer: bool,
    pub values: Vec<EnumValue>,
    /// The Rust expression of the default value.
    pub default_rust: Option<String>,
    pub sql: SqlView,
    pub target: Option<Target>,
    /// The migration that adds this column to an existing table (a field added by
    /// `bek-new add`); `None` when the table's create migration has it.
    pub migration: Option<String>,
    /// A Rust expression of a valid JSON value (a `serde_json::Value`) for test row `n: i64`,
    /// distinct for distinct `n`. References use the id of a row created beforehand.
    pub sample: String,
    /// A valid value different from every sample, for updates in tests.
    pub other_sample: String,
    /// JSON values of the right type that break a rule, with the rule's name.
    pub violations: Vec<Violation>,
    /// A JSON value of the wrong type.
    pub wrong_type: &'static str,
    /// OpenAPI schema hints: `value_type` overrides for types utoipa cannot infer.
    pub schema_type: Option<&'static str>,
    pub schema_format: Option<&'static str>,
    pub example: String,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct EnumValue {
    pub value: String,
    pub pascal: String,
}

#[derive(Debug, Serialize)]
pub struct Target {
    pub entity: String,
    pub plural: String,
    pub path: String,
    pub on_delete: &'static str,
    /// `RESTRICT`, `CASCADE` or `SET NULL`.
    pub on_delete_sql: &'static str,
    pub is_self: bool,
}

#[derive(Debug, Serialize)]
pub struct Violation {
    pub json: String,
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub struct SqlView {
    /// The column type on the chosen database.
    pub column_type: &'static str,
    /// CHECK expressions (without `CHECK`).
    pub checks: Vec<String>,
    pub default: Option<String>,
    /// The select-list item: the column, or a cast back to text (PostgreSQL decimals).
    pub select: String,
    /// A bind placeholder `$N` wrapped as the column needs it, with `{}` for the placeholder.
    pub param: &'static str,
}

pub fn views(spec: &Spec) -> Vec<EntityView> {
    spec.entities
        .iter()
        .enumerate()
        .map(|(index, entity)| {
            let migration = spec.table_migration(index);
            view(spec, entity, &migration)
        })
        .collect()
}

fn view(spec: &Spec, entity: &Entity, migration: &str) -> EntityView {
    let db = spec.decisions.database;
    let fields: Vec<FieldView> = entity
        .fields
        .iter()
        .map(|field| field_view(spec, entity, field, db))
        .collect();
    let mut uses = Uses::default();
    for field in &entity.fields {
        match &field.ty {
            FieldType::Decimal => uses.decimal = true,
            FieldType::Date => uses.date = true,
            FieldType::Datetime => uses.datetime = true,
            _ => {}
        }
        uses.unique |= field.unique;
    }
    let mut referenced: Vec<Referenced> = Vec::new();
    for target in fields.iter().filter_map(|field| field.target.as_ref()) {
        if !target.is_self && !referenced.iter().any(|r| r.name == target.entity) {
            referenced.push(Referenced {
                name: target.entity.clone(),
                pascal: pascal(&target.entity),
                plural: target.plural.clone(),
            });
        }
    }
    EntityView {
        name: entity.name.clone(),
        pascal: pascal(&entity.name),
        plural: entity.plural.clone(),
        path: kebab(&entity.plural),
        words: entity.name.replace('_', " "),
        migration: migration.to_string(),
        fields,
        referenced,
        uses,
    }
}

fn field_view(spec: &Spec, entity: &Entity, field: &Field, db: Database) -> FieldView {
    let postgres = db == Database::Postgres;
    let name = field.name.clone();
    let ty = &field.ty;
    let enum_type = format!("{}{}", pascal(&entity.name), pascal(&field.name));
    let rust = match ty {
        FieldType::String | FieldType::Text | FieldType::Currency => "String".to_string(),
        FieldType::Int => "i32".into(),
        FieldType::Bigint | FieldType::Money => "i64".into(),
        FieldType::Decimal => "Decimal".into(),
        FieldType::Bool => "bool".into(),
        FieldType::Uuid | FieldType::Ref { .. } => "Uuid".into(),
        FieldType::Date => "Date".into(),
        FieldType::Datetime => "OffsetDateTime".into(),
        FieldType::Enum(_) => enum_type.clone(),
        FieldType::Json => "serde_json::Value".into(),
    };
    let (row_rust, decode) = match ty {
        FieldType::Enum(_) | FieldType::Decimal => ("String".to_string(), "parse"),
        FieldType::Json => ("sqlx::types::Json<serde_json::Value>".to_string(), "json"),
        _ => (rust.clone(), "plain"),
    };
    let values: Vec<EnumValue> = match ty {
        FieldType::Enum(values) => values
            .iter()
            .map(|v| EnumValue {
                value: v.clone(),
                pascal: pascal(v),
            })
            .collect(),
        _ => Vec::new(),
    };
    let quoted_values = values
        .iter()
        .map(|v| format!("\"{}\"", v.value))
        .collect::<Vec<_>>()
        .join(", ");
    let body_kind = match ty {
        FieldType::String | FieldType::Text => "Kind::String".to_string(),
        FieldType::Int => "Kind::Int32".into(),
        FieldType::Bigint | FieldType::Money => "Kind::Integer".into(),
        FieldType::Decimal => "Kind::Decimal".into(),
        FieldType::Currency => "Kind::Currency".into(),
        FieldType::Bool => "Kind::Boolean".into(),
        FieldType::Uuid | FieldType::Ref { .. } => "Kind::Uuid".into(),
        FieldType::Date => "Kind::Date".into(),
        FieldType::Datetime => "Kind::DateTime".into(),
        FieldType::Enum(_) => format!("Kind::OneOf(&[{quoted_values}])"),
        FieldType::Json => "Kind::Any".into(),
    };
    let value_kind = match ty {
        FieldType::String | FieldType::Text | FieldType::Json => "ValueKind::Text".to_string(),
        FieldType::Int => "ValueKind::Int32".into(),
        FieldType::Bigint | FieldType::Money => "ValueKind::Int64".into(),
        FieldType::Decimal => "ValueKind::Decimal".into(),
        FieldType::Currency => "ValueKind::Currency".into(),
        FieldType::Bool => "ValueKind::Bool".into(),
        FieldType::Uuid | FieldType::Ref { .. } => "ValueKind::Uuid".into(),
        FieldType::Date => "ValueKind::Date".into(),
        FieldType::Datetime => "ValueKind::DateTime".into(),
        FieldType::Enum(_) => format!("ValueKind::OneOf(&[{quoted_values}])"),
    };
    let value_variant = match ty {
        FieldType::String | FieldType::Text | FieldType::Currency | FieldType::Enum(_) => "Text",
        FieldType::Json => "Text",
        FieldType::Int | FieldType::Bigint | FieldType::Money => "Int",
        FieldType::Decimal => "Decimal",
        FieldType::Bool => "Bool",
        FieldType::Uuid | FieldType::Ref { .. } => "Uuid",
        FieldType::Date => "Date",
        FieldType::Datetime => "DateTime",
    };
    let filter = match ty {
        FieldType::Json => "",
        FieldType::Int
        | FieldType::Bigint
        | FieldType::Money
        | FieldType::Decimal
        | FieldType::Date
        | FieldType::Datetime => "range",
        _ => "eq",
    };
    let sortable = !field.optional
        && matches!(
            ty,
            FieldType::String
                | FieldType::Currency
                | FieldType::Int
                | FieldType::Bigint
                | FieldType::Money
                | FieldType::Decimal
                | FieldType::Date
                | FieldType::Datetime
        );
    let default_rust = field.default.as_ref().map(|d| match ty {
        FieldType::String | FieldType::Text | FieldType::Currency => format!("{d:?}.to_string()"),
        FieldType::Enum(_) => format!("{enum_type}::{}", pascal(d)),
        FieldType::Decimal => {
            let (mantissa, scale) = decimal_parts(d);
            format!("Decimal::from_i128_with_scale({mantissa}, {scale})")
        }
        FieldType::Date => format!("time::macros::date!({d})"),
        _ => d.clone(),
    });
    let target = match ty {
        FieldType::Ref { target, on_delete } => {
            let plural = spec
                .entities
                .iter()
                .find(|e| e.name == *target)
                .map_or_else(|| crate::naming::plural(target), |e| e.plural.clone());
            Some(Target {
                entity: target.clone(),
                path: kebab(&plural),
                plural,
                on_delete: on_delete.id(),
                on_delete_sql: match on_delete {
                    OnDelete::Restrict => "RESTRICT",
                    OnDelete::Cascade => "CASCADE",
                    OnDelete::SetNull => "SET NULL",
                },
                is_self: *target == entity.name,
            })
        }
        _ => None,
    };
    let sql = sql_view(field, postgres);
    let (sample, other_sample) = samples(field);
    FieldView {
        migration: field.migration.clone(),
        pascal: pascal(&name),
        ty: ty.id(),
        optional: field.optional,
        unique: field.unique,
        index: field.index || matches!(ty, FieldType::Ref { .. }),
        rust,
        row_rust,
        decode,
        body_kind,
        value_kind,
        value_variant,
        filter,
        sortable,
        min: field.min.clone(),
        max: field.max.clone(),
        is_text: ty.is_text(),
        is_integer: ty.is_integer(),
        values,
        default_rust,
        sql,
        target,
        sample,
        other_sample,
        violations: violations(field),
        wrong_type: match ty {
            FieldType::String
            | FieldType::Text
            | FieldType::Decimal
            | FieldType::Currency
            | FieldType::Uuid
            | FieldType::Date
            | FieldType::Datetime
            | FieldType::Enum(_)
            | FieldType::Ref { .. } => "42",
            FieldType::Int | FieldType::Bigint | FieldType::Money | FieldType::Bool => {
                "\"not-a-number\""
            }
            // Any JSON is a valid `json` value; there is no wrong type.
            FieldType::Json => "",
        },
        schema_type: match ty {
            FieldType::Decimal | FieldType::Date | FieldType::Datetime => Some("String"),
            FieldType::Json => Some("Object"),
            _ => None,
        },
        schema_format: match ty {
            FieldType::Date => Some("Date"),
            FieldType::Datetime => Some("DateTime"),
            FieldType::Uuid | FieldType::Ref { .. } => Some("Uuid"),
            _ => None,
        },
        example: example(field),
        description: describe(field),
        name,
    }
}

fn sql_view(field: &Field, postgres: bool) -> SqlView {
    let name = &field.name;
    let ty = &field.ty;
    let column_type = match (ty, postgres) {
        (FieldType::Int, _) => "INTEGER",
        (FieldType::Bigint | FieldType::Money, true) => "BIGINT",
        (FieldType::Bigint | FieldType::Money | FieldType::Bool, false) => "INTEGER",
        (FieldType::Decimal, true) => "NUMERIC",
        (FieldType::Bool, true) => "BOOLEAN",
        (FieldType::Uuid | FieldType::Ref { .. }, true) => "UUID",
        (FieldType::Uuid | FieldType::Ref { .. }, false) => "BLOB",
        (FieldType::Date, true) => "DATE",
        (FieldType::Datetime, true) => "TIMESTAMPTZ",
        (FieldType::Json, true) => "JSONB",
        _ => "TEXT",
    };
    // SQLite keeps decimals as exact text; comparing them as numbers needs a cast.
    let compare = if *ty == FieldType::Decimal && !postgres {
        format!("CAST({name} AS REAL)")
    } else {
        name.clone()
    };
    let mut checks = Vec::new();
    let length = if postgres { "char_length" } else { "length" };
    if ty.is_text() {
        if let Some(min) = &field.min {
            checks.push(format!("{length}({name}) >= {min}"));
        }
        if let Some(max) = &field.max {
            checks.push(format!("{length}({name}) <= {max}"));
        }
    }
    if ty.is_integer() || *ty == FieldType::Decimal {
        if let Some(min) = &field.min {
            checks.push(format!("{compare} >= {min}"));
        }
        if let Some(max) = &field.max {
            checks.push(format!("{compare} <= {max}"));
        }
    }
    match ty {
        FieldType::Currency if postgres => checks.push(format!("{name} ~ '^[A-Z]{{3}}$'")),
        FieldType::Currency => checks.push(format!("{name} GLOB '[A-Z][A-Z][A-Z]'")),
        FieldType::Enum(values) => {
            let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
            checks.push(format!("{name} IN ({})", list.join(", ")));
        }
        FieldType::Bool if !postgres => checks.push(format!("{name} IN (0, 1)")),
        FieldType::Json if !postgres => checks.push(format!("json_valid({name})")),
        _ => {}
    }
    let default = field.default.as_ref().map(|d| match ty {
        FieldType::Bool if postgres => d.to_uppercase(),
        FieldType::Bool => (if d == "true" { "1" } else { "0" }).to_string(),
        FieldType::Int | FieldType::Bigint | FieldType::Money => d.clone(),
        FieldType::Decimal if postgres => d.clone(),
        _ => format!("'{d}'"),
    });
    let (select, param) = match ty {
        FieldType::Decimal if postgres => (
            format!("CAST({name} AS TEXT) AS {name}"),
            "CAST({} AS NUMERIC)",
        ),
        _ => (name.clone(), "{}"),
    };
    SqlView {
        column_type,
        checks,
        default,
        select,
        param,
    }
}

/// `-12.50` → (-1250, 2).
fn decimal_parts(text: &str) -> (i128, u32) {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = format!("{whole}{fraction}");
    (digits.parse().unwrap_or(0), fraction.len() as u32)
}

fn bound_i64(value: &Option<String>) -> Option<i64> {
    value
        .as_deref()
        .and_then(|v| v.split('.').next()?.parse().ok())
}

/// Test values: a Rust expression in `n` (the test row's number, from 1) giving valid, distinct
/// JSON values, and one more valid value no sample equals.
fn samples(field: &Field) -> (String, String) {
    let min = bound_i64(&field.min);
    let max = bound_i64(&field.max);
    match &field.ty {
        FieldType::String | FieldType::Text => {
            let min = min.unwrap_or(0).max(1);
            let max = max.unwrap_or(64).max(min);
            (
                format!("json!(support::text_sample(n, {min}, {max}))"),
                format!("json!(support::text_sample(9999, {min}, {max}))"),
            )
        }
        FieldType::Int | FieldType::Bigint | FieldType::Money => {
            let low = min.unwrap_or(0);
            let high = max.unwrap_or(low + 1_000_000);
            (
                format!("json!(support::int_sample(n, {low}, {high}))"),
                format!("json!(support::int_sample(9999, {low}, {high}))"),
            )
        }
        FieldType::Decimal => {
            // Whole numbers strictly inside the bounds, with two decimals.
            let low = min.map_or(0, |m| m + 1);
            let high = max.map_or(low + 1_000_000, |m| (m - 1).max(low));
            (
                format!("json!(format!(\"{{}}.25\", support::int_sample(n, {low}, {high})))"),
                format!("json!(format!(\"{{}}.75\", support::int_sample(9999, {low}, {high})))"),
            )
        }
        FieldType::Currency => (
            "json!(support::currency_sample(n))".into(),
            "json!(support::currency_sample(9999))".into(),
        ),
        FieldType::Bool => ("json!(n % 2 == 0)".into(), "json!(true)".into()),
        FieldType::Uuid => (
            "json!(uuid::Uuid::now_v7())".into(),
            "json!(uuid::Uuid::now_v7())".into(),
        ),
        FieldType::Date => (
            "json!(support::date_sample(n))".into(),
            "json!(support::date_sample(9999))".into(),
        ),
        FieldType::Datetime => (
            "json!(support::datetime_sample(n))".into(),
            "json!(support::datetime_sample(9999))".into(),
        ),
        FieldType::Enum(values) => {
            let list: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            let count = values.len();
            (
                format!("json!([{}][(n as usize) % {count}])", list.join(", ")),
                format!("json!({:?})", values[values.len() - 1]),
            )
        }
        FieldType::Json => (
            "json!({ \"n\": n, \"tags\": [\"a\", \"b\"] })".into(),
            "json!({ \"changed\": true })".into(),
        ),
        FieldType::Ref { target, .. } => (
            format!("refs[\"{target}\"].clone()"),
            format!("refs[\"{target}\"].clone()"),
        ),
    }
}

/// JSON values of the right type that break one of the field's rules.
fn violations(field: &Field) -> Vec<Violation> {
    let mut out = Vec::new();
    let min = bound_i64(&field.min);
    let max = bound_i64(&field.max);
    match &field.ty {
        FieldType::String | FieldType::Text => {
            if let Some(min) = min.filter(|m| *m > 0) {
                out.push(Violation {
                    json: format!("json!(\"{}\")", "x".repeat(min as usize - 1)),
                    rule: format!("at least {min} characters"),
                });
            }
            if let Some(max) = max {
                out.push(Violation {
                    json: format!("json!(\"x\".repeat({}))", max + 1),
                    rule: format!("at most {max} characters"),
                });
            }
        }
        FieldType::Int | FieldType::Bigint | FieldType::Money => {
            if let Some(min) = min.and_then(|m| m.checked_sub(1)) {
                out.push(Violation {
                    json: format!("json!({min}_i64)"),
                    rule: "below the minimum".into(),
                });
            }
            if let Some(max) = max.and_then(|m| m.checked_add(1)) {
                out.push(Violation {
                    json: format!("json!({max}_i64)"),
                    rule: "above the maximum".into(),
                });
            }
            if field.ty == FieldType::Int && max.is_none() {
                out.push(Violation {
                    json: "json!(3_000_000_000_i64)".into(),
                    rule: "outside the 32-bit range".into(),
                });
            }
        }
        FieldType::Decimal => {
            if let Some(min) = &field.min {
                out.push(Violation {
                    json: format!("json!(\"{}\")", below(min)),
                    rule: "below the minimum".into(),
                });
            }
            if let Some(max) = &field.max {
                out.push(Violation {
                    json: format!("json!(\"{}\")", above(max)),
                    rule: "above the maximum".into(),
                });
            }
            out.push(Violation {
                json: "json!(\"12.5e3\")".into(),
                rule: "not a decimal".into(),
            });
        }
        FieldType::Currency => out.push(Violation {
            json: "json!(\"eur\")".into(),
            rule: "not an ISO 4217 code".into(),
        }),
        FieldType::Enum(_) => out.push(Violation {
            json: "json!(\"not_a_listed_value\")".into(),
            rule: "not one of the values".into(),
        }),
        FieldType::Uuid | FieldType::Ref { .. } => out.push(Violation {
            json: "json!(\"not-a-uuid\")".into(),
            rule: "not a UUID".into(),
        }),
        FieldType::Date => out.push(Violation {
            json: "json!(\"2026-02-30\")".into(),
            rule: "not a calendar date".into(),
        }),
        FieldType::Datetime => out.push(Violation {
            json: "json!(\"2026-01-01 10:00\")".into(),
            rule: "not RFC 3339".into(),
        }),
        FieldType::Bool | FieldType::Json => {}
    }
    out
}

/// A decimal just below `min` (one unit of its last digit, or 1 for whole numbers).
fn below(min: &str) -> String {
    step(min, -1)
}

fn above(max: &str) -> String {
    step(max, 1)
}

fn step(value: &str, delta: i128) -> String {
    let (mantissa, scale) = decimal_parts(value);
    let moved = mantissa + delta;
    let negative = moved < 0;
    let digits = format!("{:0>width$}", moved.abs(), width = scale as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
    let sign = if negative { "-" } else { "" };
    if scale == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

fn example(field: &Field) -> String {
    match &field.ty {
        FieldType::String | FieldType::Text => format!("\"{} 1\"", field.name.replace('_', " ")),
        FieldType::Int | FieldType::Bigint => "1".into(),
        FieldType::Money => "1250".into(),
        FieldType::Decimal => "\"12.50\"".into(),
        FieldType::Currency => "\"EUR\"".into(),
        FieldType::Bool => "true".into(),
        FieldType::Uuid | FieldType::Ref { .. } => {
            "\"0190f6c4-5b1e-7cc2-a7a4-3b1f1d2c9e11\"".into()
        }
        FieldType::Date => "\"2026-01-31\"".into(),
        FieldType::Datetime => "\"2026-01-31T09:30:00Z\"".into(),
        FieldType::Enum(values) => format!("{:?}", values[0]),
        FieldType::Json => "{}".into(),
    }
}

/// One line for docs and OpenAPI.
fn describe(field: &Field) -> String {
    let mut parts = vec![match &field.ty {
        FieldType::String => "Short text".to_string(),
        FieldType::Text => "Text".into(),
        FieldType::Int => "Whole number (32-bit)".into(),
        FieldType::Bigint => "Whole number (64-bit)".into(),
        FieldType::Decimal => "Exact decimal number, as a string".into(),
        FieldType::Money => "Amount in minor units (e.g. cents)".into(),
        FieldType::Currency => "ISO 4217 currency code".into(),
        FieldType::Bool => "Yes or no".into(),
        FieldType::Uuid => "UUID".into(),
        FieldType::Date => "Calendar date (YYYY-MM-DD)".into(),
        FieldType::Datetime => "Instant (RFC 3339)".into(),
        FieldType::Enum(values) => format!("One of: {}", values.join(", ")),
        FieldType::Json => "Any JSON document".into(),
        FieldType::Ref { target, .. } => format!("Id of a {}", target.replace('_', " ")),
    }];
    let unit = if field.ty.is_text() {
        " characters"
    } else {
        ""
    };
    match (&field.min, &field.max) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max}{unit}")),
        (Some(min), None) => parts.push(format!("at least {min}{unit}")),
        (None, Some(max)) => parts.push(format!("at most {max}{unit}")),
        (None, None) => {}
    }
    if field.unique {
        parts.push("unique".into());
    }
    if let Some(default) = &field.default {
        parts.push(format!("default {default}"));
    }
    if field.optional {
        parts.push("optional".into());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_steps_cross_the_bound_by_one_unit() {
        assert_eq!(below("0.01"), "0.00");
        assert_eq!(below("0"), "-1");
        assert_eq!(above("99.99"), "100.00");
        assert_eq!(below("-1.5"), "-1.6");
        assert_eq!(decimal_parts("-12.50"), (-1250, 2));
    }
}

/// Columns added to an existing table by one `bek-new add`: one migration (up and down).
#[derive(Debug, Serialize)]
pub struct FieldAddition {
    /// The version of the migration.
    pub migration: String,
    /// The entity's index in `entities`.
    pub entity: usize,
    /// The table.
    pub plural: String,
}

/// Every field addition, in entity and then version order.
pub fn additions(spec: &Spec) -> Vec<FieldAddition> {
    let mut out = Vec::new();
    for (index, entity) in spec.entities.iter().enumerate() {
        let versions: BTreeSet<&String> = entity
            .fields
            .iter()
            .filter_map(|field| field.migration.as_ref())
            .collect();
        for version in versions {
            out.push(FieldAddition {
                migration: version.clone(),
                entity: index,
                plural: entity.plural.clone(),
            });
        }
    }
    out
}
