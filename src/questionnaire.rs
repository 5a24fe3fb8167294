//! The interactive architecture review: requirements first, then each open decision
//! pre-selected with the recommendation and its reason, then a summary and a confirmation.
//! Questions already answered by flags are not asked again.

use std::io::IsTerminal;

use console::{Term, style};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::answers::Answers;
use crate::recommend::{Recommendation, recommend};
use crate::spec::{
    Choice, Consistency, Decision, Deployment, Integration, Load, Requirements, Sensitivity,
    Support, Team,
};

/// Why the questionnaire stopped without answers.
#[derive(Debug)]
pub enum Stopped {
    /// The user answered "no" to "generate?".
    Declined,
    /// Ctrl-C or Esc.
    Interrupted,
    /// The terminal failed.
    Io(std::io::Error),
}

impl From<dialoguer::Error> for Stopped {
    fn from(err: dialoguer::Error) -> Self {
        let dialoguer::Error::IO(io) = err;
        if io.kind() == std::io::ErrorKind::Interrupted {
            Stopped::Interrupted
        } else {
            Stopped::Io(io)
        }
    }
}

/// dialoguer only checks that stderr is a terminal and would otherwise read keys from
/// /dev/tty, so a piped stdin must be refused here.
pub fn can_prompt() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks every question `given` leaves open and returns the completed answers.
pub fn run(name: &str, given: Answers, support: &Support) -> Result<Answers, Stopped> {
    let term = Term::stderr();
    let theme = ColorfulTheme::default();
    let out = |line: String| {
        let _ = term.write_line(&line);
    };
    out(format!(
        "{} {}\n",
        style("Architecture review for").bold(),
        style(name).cyan().bold()
    ));
    out(style("Requirements (Enter keeps the highlighted answer)")
        .bold()
        .to_string());

    let req = given.requirements.clone();
    let requirements = Requirements {
        domain: match req.domain {
            Some(domain) => Some(domain),
            None => {
                let text: String = Input::with_theme(&theme)
                    .with_prompt("Domain, in one sentence (e.g. \"invoices for freelancers\")")
                    .allow_empty(true)
                    .interact_text_on(&term)?;
                (!text.trim().is_empty()).then(|| text.trim().to_string())
            }
        },
        load: ask_requirement::<Load>(&theme, &term, "Expected load at peak", req.load)?,
        consistency: ask_requirement::<Consistency>(
            &theme,
            &term,
            "Consistency needs",
            req.consistency,
        )?,
        team: ask_requirement::<Team>(&theme, &term, "Team", req.team)?,
        integrations: match req.integrations {
            Some(list) => Some(list),
            None => {
                let items: Vec<String> = Integration::ALL
                    .iter()
                    .map(|i| format!("{} - {}", i.label(), i.describe()))
                    .collect();
                let picked = MultiSelect::with_theme(&theme)
                    .with_prompt("Integrations (Space toggles, Enter confirms)")
                    .items(&items)
                    .interact_on(&term)?;
                Some(picked.into_iter().map(|i| Integration::ALL[i]).collect())
            }
        },
        data_sensitivity: ask_requirement::<Sensitivity>(
            &theme,
            &term,
            "Most sensitive data stored",
            req.data_sensitivity,
        )?,
        deployment: ask_requirement::<Deployment>(
            &theme,
            &term,
            "Deployment target",
            req.deployment,
        )?,
    };

    out(format!(
        "\n{}",
        style("Decisions (pre-selected: the recommendation for these answers)").bold()
    ));
    let rec = recommend(&requirements, support);
    let d = given.decisions.clone();
    let decisions = crate::spec::DecisionAnswers {
        stack: Some(ask_decision(&theme, &term, support, d.stack, rec.stack)?),
        topology: Some(ask_decision(
            &theme,
            &term,
            support,
            d.topology,
            rec.topology,
        )?),
        architecture: Some(ask_decision(
            &theme,
            &term,
            support,
            d.architecture,
            rec.architecture,
        )?),
        database: Some(ask_decision(
            &theme,
            &term,
            support,
            d.database,
            rec.database,
        )?),
        auth: Some(ask_decision(&theme, &term, support, d.auth, rec.auth)?),
        errors: Some(ask_decision(&theme, &term, support, d.errors, rec.errors)?),
    };

    out(format!("\n{}", style("Summary").bold()));
    for line in requirements.statements() {
        out(format!("  {line}"));
    }
    for (title, value) in summary_lines(&decisions) {
        out(format!("  {title:<24} {}", style(value).green()));
    }
    let go = Confirm::with_theme(&theme)
        .with_prompt(format!("Generate {name}?"))
        .default(true)
        .interact_on(&term)?;
    if !go {
        return Err(Stopped::Declined);
    }
    Ok(Answers {
        description: given.description,
        requirements,
        decisions,
        entities: given.entities,
        capabilities: given.capabilities,
    })
}

/// One requirement question; the last item leaves it unstated.
fn ask_requirement<T: Choice>(
    theme: &ColorfulTheme,
    term: &Term,
    prompt: &str,
    given: Option<T>,
) -> Result<Option<T>, Stopped> {
    if given.is_some() {
        return Ok(given);
    }
    let mut items: Vec<String> = T::ALL
        .iter()
        .map(|v| format!("{} - {}", v.label(), v.describe()))
        .collect();
    items.push("not sure / skip".to_string());
    let picked = Select::with_theme(theme)
        .with_prompt(prompt)
        .items(&items)
        .default(items.len() - 1)
        .interact_on(term)?;
    Ok(T::ALL.get(picked).copied())
}

/// One decision, pre-selected with the recommendation. Options no pack renders yet are shown
/// but cannot be taken.
fn ask_decision<T: Decision>(
    theme: &ColorfulTheme,
    term: &Term,
    support: &Support,
    given: Option<T>,
    rec: Recommendation<T>,
) -> Result<T, Stopped> {
    if let Some(value) = given {
        let _ = term.write_line(&format!(
            "  {}: {} (from the command line)",
            T::QUESTION,
            value.label()
        ));
        return Ok(value);
    }
    let items: Vec<String> = T::ALL
        .iter()
        .map(|v| {
            let mut item = format!("{} - {}", v.label(), v.describe());
            if *v == rec.choice {
                item.push_str("  [recommended]");
            }
            if !support.allows(*v) {
                item.push_str("  (not available yet)");
            }
            item
        })
        .collect();
    let default = T::ALL.iter().position(|v| *v == rec.choice).unwrap_or(0);
    let _ = term.write_line(&format!(
        "  {} {}",
        style(format!(
            "{}: recommended {} -",
            T::QUESTION,
            rec.choice.label()
        ))
        .dim(),
        style(&rec.reason).dim()
    ));
    loop {
        // Without dialoguer's own echo, a refused option is never shown as accepted.
        let picked = Select::with_theme(theme)
            .with_prompt(T::QUESTION)
            .items(&items)
            .default(default)
            .report(false)
            .interact_on(term)?;
        let value = T::ALL[picked];
        if support.allows(value) {
            let _ = term.write_line(&format!(
                "{} {}: {}",
                style("✔").green(),
                T::QUESTION,
                style(value.label()).green()
            ));
            return Ok(value);
        }
        let _ = term.write_line(&format!(
            "  {} is not available yet; pick another option.",
            value.label()
        ));
    }
}

fn summary_lines(d: &crate::spec::DecisionAnswers) -> Vec<(&'static str, &'static str)> {
    fn line<T: Decision>(value: Option<T>) -> (&'static str, &'static str) {
        (T::TITLE, value.map(|v| v.label()).unwrap_or("-"))
    }
    vec![
        line(d.stack),
        line(d.topology),
        line(d.architecture),
        line(d.database),
        line(d.auth),
        line(d.errors),
    ]
}

/// A yes/no question (default yes) for `bek-new add`.
pub fn confirm(prompt: &str) -> Result<bool, crate::Failure> {
    Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .default(true)
        .interact_on(&Term::stderr())
        .map_err(|err| Stopped::from(err).into())
}

/// Asks for `entity`'s fields one at a time, each checked as `--field` checks it; an empty
/// answer ends the list.
pub fn ask_fields(entity: &str) -> Result<Vec<String>, crate::Failure> {
    let term = Term::stderr();
    let theme = ColorfulTheme::default();
    let _ = term.write_line(&format!(
        "Fields of {entity}, as name:type[?][:modifier…] (e.g. amount:money:min=0, due_on:date?, status:enum(draft|paid):default=draft). An empty line ends the list."
    ));
    let mut fields = Vec::new();
    loop {
        let answer: String = Input::with_theme(&theme)
            .with_prompt(format!("Field {}", fields.len() + 1))
            .allow_empty(true)
            .validate_with(|text: &String| -> Result<(), String> {
                if text.trim().is_empty() {
                    Ok(())
                } else {
                    crate::spec::entity::parse_field_arg(text.trim()).map(|_| ())
                }
            })
            .interact_text_on(&term)
            .map_err(Stopped::from)?;
        let answer = answer.trim().to_string();
        if answer.is_empty() {
            return Ok(fields);
        }
        fields.push(answer);
    }
}

impl From<Stopped> for crate::Failure {
    fn from(stopped: Stopped) -> Self {
        match stopped {
            Stopped::Declined => crate::Failure::Invalid("declined; nothing was written".into()),
            Stopped::Interrupted => crate::Failure::Interrupted,
            Stopped::Io(err) => crate::Failure::Runtime(err.into()),
        }
    }
}
