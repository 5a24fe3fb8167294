//! The closed sets of values a user picks from: requirement answers and architecture decisions.
//!
//! Every value has one identifier (used on the command line, in TOML files and in `bek.toml`),
//! a human label, and a one-line description. clap, serde, the questionnaire and the ADRs all
//! read those from here, so a value is spelled the same way everywhere.

/// A value of one of the closed sets (a requirement answer or a decision option).
pub trait Choice: Copy + Eq + Ord + std::fmt::Debug + 'static {
    /// The key of the question or decision this value answers, e.g. `database`.
    const KEY: &'static str;
    /// Every value, in the order the questionnaire lists them.
    const ALL: &'static [Self];
    /// The identifier used on the command line, in TOML and in `bek.toml`, e.g. `api-key`.
    fn id(self) -> &'static str;
    /// A short human name, e.g. `API keys`.
    fn label(self) -> &'static str;
    /// One line on what the value means.
    fn describe(self) -> &'static str;
}

/// Declares a [`Choice`] enum together with its clap, serde and display glue.
///
/// Each variant is written as `Variant = "id", "Label", "one-line description"`.
macro_rules! choice_enum {
    (
        $(#[$meta:meta])*
        $name:ident, key = $key:literal,
        { $( $variant:ident = $id:literal, $label:literal, $describe:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $( $variant ),+ }

        impl $crate::spec::choice::Choice for $name {
            const KEY: &'static str = $key;
            const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];
            fn id(self) -> &'static str { match self { $( Self::$variant => $id ),+ } }
            fn label(self) -> &'static str { match self { $( Self::$variant => $label ),+ } }
            fn describe(self) -> &'static str { match self { $( Self::$variant => $describe ),+ } }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::spec::choice::Choice::id(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::spec::choice::parse::<Self>(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::spec::choice::Choice::id(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $crate::spec::choice::parse::<Self>(&text).map_err(serde::de::Error::custom)
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                <Self as $crate::spec::choice::Choice>::ALL
            }
            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                use $crate::spec::choice::Choice;
                Some(clap::builder::PossibleValue::new(self.id()).help(self.describe()))
            }
        }
    };
}
pub(crate) use choice_enum;

/// Parses an identifier, or explains which identifiers exist.
pub fn parse<T: Choice>(text: &str) -> Result<T, String> {
    T::ALL
        .iter()
        .copied()
        .find(|value| value.id() == text)
        .ok_or_else(|| {
            format!(
                "unknown {} `{}`; expected one of: {}",
                T::KEY,
                text,
                ids::<T>().join(", ")
            )
        })
}

/// Every identifier of a set, in order.
pub fn ids<T: Choice>() -> Vec<&'static str> {
    T::ALL.iter().map(|value| value.id()).collect()
}
