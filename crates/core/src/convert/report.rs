//! What a conversion tells its user on stderr: the variables the converted file reads, what was
//! not carried over and why, and what validation says of the result.

use crate::config::Severity;
use crate::convert::Conversion;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// A secret was written in clear in the input: the file refers to a variable instead.
    SecretInClear,
    /// A value became a `${VAR}` reference (a keyword marker, a Terraform variable, an
    /// expression the converter cannot evaluate).
    Reference,
    /// Something that is not carried over.
    NotCarriedOver,
    /// How the converter read something the input leaves implicit.
    Assumed,
}

/// One thing the user should know about the conversion. Never holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    /// Where in the input: `file:line`, or the file alone.
    pub place: String,
    /// What it is about: an mfactl config path (`phone.twilio.auth_token`) or the input's own
    /// name for it (`guardianFactors[].trial_expired`).
    pub subject: String,
    pub message: String,
}

impl Note {
    pub fn new(
        kind: NoteKind,
        place: impl Into<String>,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Note {
            kind,
            place: place.into(),
            subject: subject.into(),
            message: message.into(),
        }
    }
}

const HEADINGS: [(NoteKind, &str); 4] = [
    (
        NoteKind::SecretInClear,
        "Secrets found in clear (not copied: the file reads each from a variable):",
    ),
    (NoteKind::Reference, "Values that became references:"),
    (NoteKind::NotCarriedOver, "Not carried over:"),
    (NoteKind::Assumed, "Notes:"),
];

pub(crate) fn render(conversion: &Conversion, output: &str) -> String {
    let mut out = format!("Converted {} into {output}.\n", conversion.source);
    if !conversion.variables.is_empty() {
        out.push_str("\nSet these variables before `mfactl plan` or `mfactl apply`:\n");
        let width = conversion
            .variables
            .iter()
            .map(|v| v.name.len())
            .max()
            .unwrap_or(0);
        for variable in &conversion.variables {
            let secret = if variable.secret { " (secret)" } else { "" };
            out.push_str(&format!(
                "  {:width$}  {}{secret}\n",
                variable.name, variable.used_at
            ));
        }
    }
    for (kind, heading) in HEADINGS {
        let lines = merged(conversion.notes.iter().filter(|n| n.kind == kind));
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}\n"));
        for line in lines {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push('\n');
    let problems: Vec<_> = conversion.diagnostics.iter().collect();
    if problems.is_empty() {
        out.push_str(&format!(
            "{output} passes `mfactl validate --strict` (with its variables set).\n"
        ));
    } else {
        let (noun, them) = if problems.len() == 1 {
            ("problem", "it")
        } else {
            ("problems", "them")
        };
        out.push_str(&format!(
            "`mfactl validate --strict` finds {} {noun} in {output}; fix {them} before `mfactl plan`:\n",
            problems.len()
        ));
        for d in problems {
            let place = d
                .span
                .filter(|s| s.line > 0)
                .map(|s| format!("{output}:{}:{}: ", s.line, s.column))
                .unwrap_or_default();
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let help = d
                .help
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            out.push_str(&format!("  {place}{severity}: {}{help}\n", d.message));
        }
    }
    out
}

/// One line per distinct subject and message, with every place it occurs (`tenant.yaml:6, 9`).
fn merged<'a>(notes: impl Iterator<Item = &'a Note>) -> Vec<String> {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for note in notes {
        match groups
            .iter_mut()
            .find(|(s, m, _)| *s == note.subject && *m == note.message)
        {
            Some((_, _, places)) => places.push(&note.place),
            None => groups.push((&note.subject, &note.message, vec![&note.place])),
        }
    }
    groups
        .into_iter()
        .map(|(subject, message, places)| format!("{}: {subject}: {message}", places_text(&places)))
        .collect()
}

/// `a.yaml:3, a.yaml:7, b.json` → `a.yaml:3, 7, b.json`.
pub(crate) fn places_text(places: &[&str]) -> String {
    let mut out = String::new();
    let mut last_file: Option<&str> = None;
    for place in places {
        let (file, line) = match place.rsplit_once(':') {
            Some((file, line)) if line.chars().all(|c| c.is_ascii_digit()) => (file, Some(line)),
            _ => (*place, None),
        };
        if !out.is_empty() {
            out.push_str(", ");
        }
        match (line, last_file == Some(file)) {
            (Some(line), true) => out.push_str(line),
            _ => out.push_str(place),
        }
        last_file = Some(file);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_of_one_file_are_shortened() {
        assert_eq!(
            places_text(&["a.yaml:3", "a.yaml:7", "b.json", "a.yaml:9"]),
            "a.yaml:3, 7, b.json, a.yaml:9"
        );
    }

    #[test]
    fn identical_notes_are_merged() {
        let note = |place: &str| {
            Note::new(
                NoteKind::NotCarriedOver,
                place,
                "guardianFactors[].trial_expired",
                "read-only",
            )
        };
        let notes = [note("t.yaml:4"), note("t.yaml:6")];
        assert_eq!(
            merged(notes.iter()),
            ["t.yaml:4, 6: guardianFactors[].trial_expired: read-only"]
        );
    }
}
