//! Other tools' MFA configurations → an mfactl config file, mapped through the resource table.
//!
//! Two sources: an auth0-deploy-cli export ([`deploy_cli`]: its `tenant.yaml`, or a directory
//! export with `guardian/` and `prompts/custom-text.json`) and Terraform files with an
//! `auth0_guardian` resource ([`terraform`]). Each reads its input into a generic tree
//! ([`input::Input`]), then puts every value it understands into a [`draft::Draft`] by resource
//! address and field, where the field's spec decides its type, whether it is a secret and which
//! environment variable stands for it. Anything that cannot be carried over becomes a
//! [`Note`]: the caller prints them all (see [`Conversion::report`]).
//!
//! Pure: the command reads the files and passes their text in. Secret values read from the
//! input are never written to the config file or to a note: each becomes a `${VAR}` reference
//! named by its field's spec (`${TWILIO_AUTH_TOKEN}`); the values themselves are handed back in
//! [`Conversion::secrets_in_clear`] only so that the caller can scrub them from every output.

mod bound;
pub mod deploy_cli;
mod draft;
mod input;
mod report;
pub mod terraform;

pub use report::{Note, NoteKind};

use crate::config::Diagnostic;
use crate::secret::Secret;

/// One input file: the name notes call it (its path as given) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

impl InputFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        InputFile {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A variable the converted file reads: `${NAME}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    /// Where the file uses it first (`phone.twilio.auth_token`).
    pub used_at: String,
    /// Whether it stands for a secret.
    pub secret: bool,
}

/// The result of a conversion.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// What was converted, for the file's header and the report (`deploy-cli export
    /// tenant.yaml`).
    pub source: String,
    /// The config file's text.
    pub text: String,
    /// The variables the file reads, in the order the file uses them.
    pub variables: Vec<Variable>,
    /// What could not be carried over, and everything else worth knowing, in input order.
    pub notes: Vec<Note>,
    /// What `mfactl validate --strict --no-env` says of the converted file.
    pub diagnostics: Vec<Diagnostic>,
    /// Secret values the input held in clear (never written anywhere): for output scrubbing.
    pub secrets_in_clear: Vec<Secret>,
}

impl Conversion {
    /// The report for stderr: variables to set, what was not carried over and why, and what
    /// validation says of the converted file. `output` names the converted file.
    pub fn report(&self, output: &str) -> String {
        report::render(self, output)
    }
}

/// Why nothing could be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    /// An input file is not valid YAML, JSON or HCL; `place` is `file:line:col`.
    #[error("{place}: {message}")]
    Syntax { place: String, message: String },
    /// The input holds nothing the converter reads.
    #[error("{0}")]
    Nothing(String),
    /// The input sets settings twice, to different values.
    #[error("{}", conflicts_text(.0))]
    Conflicts(Vec<Conflict>),
    /// The converted file cannot be written as YAML.
    #[error("cannot write the converted file: {0}")]
    Render(String),
}

/// A setting the input gives two different values: its config path, and where each value is
/// (`file:line`). Never holds the values: they may be secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub path: String,
    pub first: String,
    pub second: String,
}

fn conflicts_text(conflicts: &[Conflict]) -> String {
    let (count, them) = match conflicts {
        [_] => ("a setting".to_string(), "it"),
        _ => (format!("{} settings", conflicts.len()), "each"),
    };
    let mut text = format!(
        "the input sets {count} twice, to different values, and mfactl does not choose for you:\n"
    );
    for c in conflicts {
        let places = report::places_text(&[&c.first, &c.second]);
        text.push_str(&format!("  {}: {places}\n", c.path));
    }
    text.push_str(&format!(
        "keep the value you mean for {them}, delete the other, and convert again"
    ));
    text
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Bits of real inputs, shuffled into files of every shape: the converters answer each with
    /// a conversion or an error, and never panic.
    const YAML_BITS: &[&str] = &[
        "guardianFactors:\n",
        "  - name: sms\n    enabled: true\n",
        "  - name: ##X##\n",
        "guardianPolicies:\n  policies: @@P@@\n",
        "guardianFactorProviders:\n  - name: sms\n    provider: twilio\n    auth_token: t0k3n\n",
        "prompts:\n  customText:\n    en:\n      mfa-sms: {a: {b: 1}}\n",
        "tenant: {flags: [1]}\n",
        "phoneTemplates: [{type: otp_verify, content: 3}]\n",
        "  - \"ü##\"\n",
        "{\"guardianPolicies\": null}\n",
    ];
    const HCL_BITS: &[&str] = &[
        "resource \"auth0_guardian\" \"g\" {\n",
        "}\n",
        "  policy = var.p\n",
        "  otp = \"yes\"\n",
        "  phone {\n    enabled = true\n    options { sid = 1 }\n  }\n",
        "  push { enabled = true\n direct_apns { p12 = file(\"x\") } }\n",
        "  duo { enabled = local.on\n secret_key = \"${var.a}${1}\" }\n",
        "locals { on = local.on }\n",
        "variable \"p\" { default = [\"never\"] }\n",
        "  dynamic \"x\" { content {} }\n",
    ];

    proptest! {
        #[test]
        fn converters_never_panic(
            yaml in proptest::collection::vec(0..YAML_BITS.len(), 0..8),
            hcl in proptest::collection::vec(0..HCL_BITS.len(), 0..10),
        ) {
            let text: String = yaml.iter().map(|i| YAML_BITS[*i]).collect();
            let source = deploy_cli::Source::Yaml(InputFile::new("t.yaml", text));
            let _ = deploy_cli::convert(&source, "0", "o.yaml");
            let text: String = hcl.iter().map(|i| HCL_BITS[*i]).collect();
            let _ = terraform::convert(&[InputFile::new("t.tf", text)], "0", "o.yaml");
        }
    }
}
