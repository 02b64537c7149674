//! What every `mfactl users …` and `mfactl enrollments …` command shares: connecting (with
//! `--emulator`, to a built-in emulator holding a demo user), checking the token's scopes up
//! front, naming the user, asking before deleting, printing, and turning API errors into
//! messages that name the user, method, scope or field, with personal data masked.
//!
//! Two rules hold for every output: secrets are scrubbed ([`crate::scrub`]: a TOTP secret is
//! registered there as soon as it is read, so the API cannot quote it back into a message), and
//! phone numbers and emails are masked the way the API masks them
//! ([`crate::users::masking`]), in results, notes and error messages alike.

use std::collections::BTreeSet;
use std::future::Future;
use std::process::ExitCode;

use serde_json::Value;

use crate::api::users::UserLookup;
use crate::api::{ApiError, Client};
use crate::cli::TargetArgs;
use crate::cli::users::OutputFormat;
use crate::commands::confirm::ask_yes;
use crate::commands::target::{Target, connect_with, runtime};
use crate::emulator::EmulatorConfig;
use crate::emulator::users_state::{demo_user, with_demo_user};
use crate::error::{CommandError, CommandResult};
use crate::resource::UserEndpoint;
use crate::scrub;
use crate::users::masking::{for_display, mask_email, mask_text};
use crate::users::user_ref::{ResolvedUser, UserRef};

/// Runs a command's work on a runtime of its own; exit 0 when it succeeds.
pub fn block_on(work: impl Future<Output = Result<(), CommandError>>) -> CommandResult {
    runtime()?.block_on(work)?;
    Ok(ExitCode::SUCCESS)
}

/// A message for the user, already worded, with every phone number and email in it masked.
pub fn masked(message: impl AsRef<str>) -> CommandError {
    CommandError::Other(mask_text(message.as_ref()))
}

/// A connected command: the client, what it is doing, and the scopes it needs.
pub struct Session {
    pub target: Target,
    /// `users methods list`, for messages.
    pub command: &'static str,
    /// Every scope the command needs, for messages.
    pub needed: BTreeSet<String>,
}

impl Session {
    pub fn client(&self) -> &Client {
        &self.target.client
    }

    /// Connects and checks, before any other call, that the token has the scopes of
    /// `endpoints` (and `read:users` when the user is named by email).
    pub async fn open(
        args: &TargetArgs,
        command: &'static str,
        endpoints: &[UserEndpoint],
        user: Option<&UserRef>,
    ) -> Result<Session, CommandError> {
        let mut needed: BTreeSet<String> = endpoints.iter().map(|e| e.scope().to_owned()).collect();
        if matches!(user, Some(UserRef::Email(_))) {
            needed.insert(UserEndpoint::UsersByEmail.scope().to_owned());
        }
        let demo = demo_user();
        let what = format!(
            "a new tenant with one demo user, {} ({}); nothing is kept after this command",
            demo.user_id.as_deref().unwrap_or(""),
            mask_email(demo.email.as_deref().unwrap_or(""))
        );
        let config = EmulatorConfig::default();
        let emulator = EmulatorConfig {
            state: Some(with_demo_user(config.new_tenant())),
            ..config
        };
        let target = connect_with(args, emulator, &what).await?;
        let session = Session {
            target,
            command,
            needed,
        };
        session
            .client()
            .check_scopes(&session.needed)
            .await
            .map_err(|e| session.explain(e, &Subject::default()))?;
        Ok(session)
    }

    /// The user `USER` names: an id as given, an email looked up (exactly one match).
    pub async fn resolve(&self, user: &UserRef) -> Result<ResolvedUser, CommandError> {
        match user {
            UserRef::Id(id) => Ok(ResolvedUser::by_id(id)),
            UserRef::Email(email) => {
                tracing::info!(email = %mask_email(email), "looking the user up by email");
                let resolved = self
                    .client()
                    .user_by_email(email)
                    .await
                    .map_err(|e| match e {
                        UserLookup::Api(e) => self.explain(e, &Subject::default()),
                        UserLookup::Pick(why) => masked(why),
                    })?;
                tracing::info!(user_id = %resolved.user_id, "found the user");
                Ok(resolved)
            }
        }
    }

    /// An API error as a message naming what the command was about.
    pub fn explain(&self, error: ApiError, subject: &Subject<'_>) -> CommandError {
        let domain = self.client().domain();
        let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(", ");
        let user = subject.user.map_or("(unknown)", |u| u.shown.as_str());
        let message = match error {
            ApiError::MissingScopes { missing, .. } => format!(
                "the access token lacks scope(s): {}. `mfactl {}` needs: {}. Grant them to the application (Dashboard > Applications > APIs > Auth0 Management API > Machine To Machine Applications) or use a token that has them",
                list(&missing),
                self.command,
                list(&self.needed)
            ),
            ApiError::NotFound { message, .. } => {
                if let Some(id) = subject.enrollment_id {
                    format!(
                        "Guardian enrollment {id} not found on {domain} (404: {message}). A user's enrollments are listed by `mfactl users enrollments USER`"
                    )
                } else if let (Some(method), false) = (
                    subject.method_id,
                    message.to_ascii_lowercase().contains("user"),
                ) {
                    let user_id = subject.user.map_or("USER", |u| u.user_id.as_str());
                    format!(
                        "user {user} has no authentication method {method} (404: {message}). List them with `mfactl users methods list {user_id}`"
                    )
                } else {
                    format!("user {user} not found on {domain} (404: {message})")
                }
            }
            ApiError::BadRequest { message, .. } => match refused_field(&message) {
                Some(field) => format!(
                    "the API refused field `{field}` for user {user} (400: {message}).{}",
                    field_hint(&field)
                ),
                None => format!("the API refused the request for user {user} (400: {message})"),
            },
            ApiError::UnexpectedStatus {
                status: 409,
                message,
                ..
            } => {
                let user_id = subject.user.map_or("USER", |u| u.user_id.as_str());
                format!(
                    "user {user} already has this authentication method (409: {message}). See them with `mfactl users methods list {user_id}`"
                )
            }
            other => other.to_string(),
        };
        masked(message)
    }

    /// Asks `question` on the terminal and goes on only on `yes`; without a terminal, refuses
    /// unless `--yes` was given. Nothing has been changed when this fails.
    pub fn confirm(&self, question: &str, yes: bool) -> Result<(), CommandError> {
        if yes {
            return Ok(());
        }
        ask_yes(
            &format!("{question} Only 'yes' is accepted: "),
            format!(
                "no terminal to confirm on; nothing was changed. Rerun `mfactl {}` with --yes if you mean it",
                self.command
            ),
            "cancelled; nothing was changed",
        )
    }
}

/// What an API call was about, for its error message.
#[derive(Debug, Default)]
pub struct Subject<'a> {
    pub user: Option<&'a ResolvedUser>,
    pub method_id: Option<&'a str>,
    pub enrollment_id: Option<&'a str>,
}

impl<'a> Subject<'a> {
    pub fn user(user: &'a ResolvedUser) -> Self {
        Subject {
            user: Some(user),
            ..Subject::default()
        }
    }

    pub fn method(user: &'a ResolvedUser, method_id: &'a str) -> Self {
        Subject {
            user: Some(user),
            method_id: Some(method_id),
            ..Subject::default()
        }
    }

    pub fn enrollment(id: &'a str) -> Self {
        Subject {
            enrollment_id: Some(id),
            ..Subject::default()
        }
    }
}

/// The property a 400 names: `… on property phone_number.`, `Missing required property: x`,
/// `Additional properties not allowed: x`.
pub fn refused_field(message: &str) -> Option<String> {
    let tail = if let Some((_, rest)) = message.split_once("on property ") {
        rest
    } else if let Some((_, rest)) = message.split_once("required property: ") {
        rest
    } else if let Some((_, rest)) = message.split_once("properties not allowed: ") {
        rest
    } else {
        return None;
    };
    let field: String = tail
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
        .collect();
    let field = field.trim_end_matches('.');
    // `[0].phone_number` names an item of a list: the field is the last part.
    let field = field.rsplit('.').next().unwrap_or(field);
    (!field.is_empty()).then(|| field.to_owned())
}

/// What to change on the command line for a refused field.
fn field_hint(field: &str) -> &'static str {
    match field {
        "phone_number" => {
            " Give --phone in E.164 form: + then the country code and the number, digits only"
        }
        "email" => " Check the email address",
        "totp_secret" => " The TOTP secret must be base32 (letters A-Z and digits 2-7)",
        "name" => " Check --name",
        "preferred_authentication_method" => " --preferred applies to phone methods only",
        "factor" => " Check --factor",
        _ => "",
    }
}

/// `value` as `--format json` shows it: pretty JSON with secrets redacted and personal data
/// masked (what the API masks in its reads).
pub fn json_text(value: &Value) -> Result<String, CommandError> {
    serde_json::to_string_pretty(&for_display(value))
        .map(|text| format!("{text}\n"))
        .map_err(|e| CommandError::Other(format!("cannot encode the answer: {e}")))
}

/// Prints the human text or the JSON value on stdout (scrubbed).
pub fn print(format: OutputFormat, human: &str, json: &Value) -> Result<(), CommandError> {
    match format {
        OutputFormat::Human => scrub::print(human),
        OutputFormat::Json => scrub::print(&json_text(json)?),
    }
    Ok(())
}

/// `1 authentication method`, `2 authentication methods`.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Connects, checks scopes, and resolves `USER`.
pub async fn open_user(
    args: &crate::cli::users::UserArgs,
    command: &'static str,
    endpoints: &[UserEndpoint],
) -> Result<(Session, ResolvedUser), CommandError> {
    let user = UserRef::parse(&args.user).map_err(masked)?;
    let session = Session::open(&args.target, command, endpoints, Some(&user)).await?;
    let resolved = session.resolve(&user).await?;
    Ok((session, resolved))
}

/// An `--email` argument, trimmed, checked before anything is sent; the error masks it.
pub fn checked_email(email: &str) -> Result<String, CommandError> {
    let email = email.trim();
    crate::users::checks::check_email(email).map_err(|reason| {
        CommandError::Other(format!(
            "--email {} {reason}; nothing was sent",
            mask_email(email)
        ))
    })?;
    Ok(email.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_fields_come_from_the_api_message() {
        assert_eq!(
            refused_field("Payload validation error: 'Phone number must be in E.164 format' on property phone_number.").as_deref(),
            Some("phone_number")
        );
        assert_eq!(
            refused_field(
                "Payload validation error: 'Missing required property: email' for type email."
            )
            .as_deref(),
            Some("email")
        );
        assert_eq!(
            refused_field("Payload validation error: 'x' on property [1].totp_secret.").as_deref(),
            Some("totp_secret")
        );
        assert_eq!(
            refused_field("Payload validation error: 'Additional properties not allowed: foo'.")
                .as_deref(),
            Some("foo")
        );
        assert_eq!(refused_field("Bad Request"), None);
    }

    #[test]
    fn messages_mask_personal_data() {
        let error = masked("no user has the email chuck334@example.com (+44207183875044)");
        assert_eq!(
            error.to_string(),
            "no user has the email chuc****@exam******* (XXXXXXXXXXX5044)"
        );
    }
}
