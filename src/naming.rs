//! Case conversions (heck) and English plurals, exposed to templates as filters.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

pub fn snake(s: &str) -> String {
    s.to_snake_case()
}
pub fn kebab(s: &str) -> String {
    s.to_kebab_case()
}
pub fn pascal(s: &str) -> String {
    s.to_upper_camel_case()
}
pub fn camel(s: &str) -> String {
    s.to_lower_camel_case()
}
pub fn shouty(s: &str) -> String {
    s.to_shouty_snake_case()
}

/// The text with its first letter in upper case and the rest untouched (unlike minijinja's
/// `capitalize`, which lowercases the rest: "Litestream-style" must stay as written).
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Nouns whose plural no suffix rule gives.
const IRREGULAR: &[(&str, &str)] = &[
    ("person", "people"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("goose", "geese"),
    ("tooth", "teeth"),
    ("foot", "feet"),
    ("datum", "data"),
    ("criterion", "criteria"),
    ("analysis", "analyses"),
    ("index", "indices"),
    ("matrix", "matrices"),
    ("leaf", "leaves"),
    ("life", "lives"),
    ("knife", "knives"),
    ("wife", "wives"),
    ("half", "halves"),
];

/// Nouns that are the same in singular and plural.
const UNCOUNTABLE: &[&str] = &[
    "data",
    "equipment",
    "information",
    "money",
    "news",
    "series",
    "species",
    "sheep",
    "fish",
    "metadata",
    "feedback",
    "software",
    "staff",
];

/// The English plural of the last word of a snake_case or kebab-case name:
/// invoice → invoices, category → categories, status → statuses, box → boxes,
/// line_item → line_items, person → people.
pub fn plural(word: &str) -> String {
    let split = word.rfind(['_', '-']).map_or(0, |i| i + 1);
    let (head, last) = word.split_at(split);
    let lower = last.to_ascii_lowercase();
    if UNCOUNTABLE.contains(&lower.as_str()) {
        return word.to_string();
    }
    if let Some((_, plural)) = IRREGULAR.iter().find(|(singular, _)| *singular == lower) {
        return format!("{head}{plural}");
    }
    let vowel = |c: char| "aeiou".contains(c);
    let plural_last = if let Some(stem) = lower.strip_suffix('y')
        && stem.chars().last().is_some_and(|c| !vowel(c))
    {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    };
    format!("{head}{plural_last}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        for (one, many) in [
            ("invoice", "invoices"),
            ("category", "categories"),
            ("status", "statuses"),
            ("box", "boxes"),
            ("match", "matches"),
            ("wish", "wishes"),
            ("day", "days"),
            ("key", "keys"),
            ("person", "people"),
            ("line_item", "line_items"),
            ("audit-entry", "audit-entries"),
            ("sales_person", "sales_people"),
            ("news", "news"),
            ("address", "addresses"),
        ] {
            assert_eq!(plural(one), many, "{one}");
        }
    }

    #[test]
    fn cases() {
        assert_eq!(snake("my-service"), "my_service");
        assert_eq!(kebab("my_service"), "my-service");
        assert_eq!(pascal("my-service"), "MyService");
        assert_eq!(camel("my-service"), "myService");
        assert_eq!(shouty("my-service"), "MY_SERVICE");
    }
}
