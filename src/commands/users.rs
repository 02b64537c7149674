//! `mfactl users …`: one user's authentication methods, Guardian enrollments, recovery code,
//! remembered browsers and legacy MFA providers. Results go to stdout, notes to stderr; every
//! phone number and email prints masked; the new recovery code is the only secret mfactl ever
//! prints, once, on stdout.

use std::io::{BufRead, IsTerminal, Read};

use serde_json::Value;

use crate::cli::users::{
    AddMethodArgs, ConfirmedUserArgs, DeleteMethodArgs, MethodOutputArgs, MethodsCommand,
    OutputFormat, RemoveProviderArgs, UpdateMethodArgs, UserArgs, UserOutputArgs, UsersArgs,
    UsersCommand,
};
use crate::commands::user_session::{Subject, block_on, checked_email, open_user, plural, print};
use crate::error::{CommandError, CommandResult};
use crate::resource::UserEndpoint as Endpoint;
use crate::scrub;
use crate::secret::Secret;
use crate::terminal::Colors;
use crate::users::checks::{check_phone, check_totp_secret};
use crate::users::masking::mask_phone;
use crate::users::method::{MethodKind, MethodUpdate, NewMethod, PhonePreference};
use crate::users::render::{describe_method, details, enrollments_table, methods_table};

/// Exit 0 on success, 1 on any error.
pub fn run(args: &UsersArgs, colors: Colors) -> CommandResult {
    let color = colors.stdout;
    match &args.command {
        UsersCommand::Methods(MethodsCommand::List(a)) => list(a, color),
        UsersCommand::Methods(MethodsCommand::Get(a)) => get(a),
        UsersCommand::Methods(MethodsCommand::Add(a)) => add(a),
        UsersCommand::Methods(MethodsCommand::Update(a)) => update(a),
        UsersCommand::Methods(MethodsCommand::Delete(a)) => delete(a),
        UsersCommand::Reset(a) => reset(a, color),
        UsersCommand::Enrollments(a) => enrollments(a, color),
        UsersCommand::RecoveryCode(a) => recovery_code(a),
        UsersCommand::ForgetBrowsers(a) => forget_browsers(a),
        UsersCommand::RemoveProvider(a) => remove_provider(a),
        UsersCommand::Import(a) => crate::commands::users_import::run(a),
    }
}

fn list(args: &UserOutputArgs, color: bool) -> CommandResult {
    block_on(async {
        let (session, user) =
            open_user(&args.user, "users methods list", &[Endpoint::ListMethods]).await?;
        let methods = session
            .client()
            .list_authentication_methods(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &Subject::user(&user)))?;
        let human = if methods.is_empty() {
            format!("User {} has no authentication methods.\n", user.shown)
        } else {
            format!(
                "User {} has {}:\n\n{}",
                user.shown,
                plural(
                    methods.len(),
                    "authentication method",
                    "authentication methods"
                ),
                methods_table(&methods, color)
            )
        };
        print(args.format, &human, &Value::Array(methods))
    })
}

fn get(args: &MethodOutputArgs) -> CommandResult {
    block_on(async {
        let (session, user) =
            open_user(&args.user, "users methods get", &[Endpoint::GetMethod]).await?;
        let method = session
            .client()
            .get_authentication_method(&user.user_id, &args.method_id)
            .await
            .map_err(|e| session.explain(e, &Subject::method(&user, &args.method_id)))?;
        print(args.format, &details(&method), &method)
    })
}

/// The TOTP secret: from the named environment variable, or from stdin (without echo on a
/// terminal). Spaces are dropped and letters upper-cased, as authenticator apps show them. The
/// value is registered with [`scrub`] at once, so no output can show it, even quoted back by
/// the API.
/// The most bytes of stdin read for a TOTP secret.
const MAX_SECRET_BYTES: u64 = 1024;

fn totp_secret(args: &AddMethodArgs) -> Result<Secret, CommandError> {
    let raw = if let Some(var) = &args.totp_secret_env {
        std::env::var(var).map_err(|_| {
            CommandError::Other(format!(
                "--totp-secret-env: the environment variable {var} is not set; put the base32 secret in it"
            ))
        })?
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password("TOTP secret (base32, not shown): ")
            .map_err(|e| CommandError::Other(format!("cannot read the TOTP secret: {e}")))?
    } else {
        // A secret is a line of base32, well under 1 KiB: read no more than that.
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .take(MAX_SECRET_BYTES + 1)
            .read_line(&mut line)
            .map_err(|e| {
                CommandError::Other(format!("cannot read the TOTP secret from stdin: {e}"))
            })?;
        if line.len() as u64 > MAX_SECRET_BYTES {
            return Err(CommandError::Other(format!(
                "the TOTP secret on stdin is longer than {MAX_SECRET_BYTES} bytes; nothing was sent. Give the base32 secret on one line"
            )));
        }
        // A secret wrapped over lines would be cut at the first: refuse more lines.
        let mut rest = String::new();
        let _ = std::io::stdin()
            .lock()
            .take(MAX_SECRET_BYTES)
            .read_to_string(&mut rest);
        if !rest.trim().is_empty() {
            return Err(CommandError::Other(
                "stdin holds more than one line; nothing was sent. Give the base32 secret on one line".into(),
            ));
        }
        line
    };
    scrub::register(raw.trim());
    let cleaned: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if cleaned.is_empty() {
        return Err(CommandError::Other(
            "the TOTP secret is empty: give the base32 secret the authenticator app was set up with"
                .into(),
        ));
    }
    scrub::register(&cleaned);
    // Authenticator apps show secrets in lower-case groups; padding is the one thing to drop.
    let cleaned = cleaned.trim_end_matches('=').to_owned();
    check_totp_secret(&cleaned).map_err(|reason| {
        CommandError::Other(format!(
            "the TOTP secret {reason}; nothing was sent. Give the base32 secret the authenticator app was set up with"
        ))
    })?;
    Ok(Secret::new(cleaned))
}

fn new_method(args: &AddMethodArgs) -> Result<NewMethod, CommandError> {
    let kind = if let Some(phone) = &args.phone {
        // A number grouped as people write it (`+1 555-555 0199`) is sent in E.164 form.
        // Brackets are refused, not dropped: `+44 (0)20 …` would become another number.
        let phone: String = phone
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .collect();
        let phone = phone.as_str();
        check_phone(phone).map_err(|reason| {
            CommandError::Other(format!(
                "--phone {} {reason}; nothing was sent. Give it as + then the country code and the number, digits only (e.g. +15551234567)",
                mask_phone(phone)
            ))
        })?;
        MethodKind::Phone {
            phone_number: phone.to_owned(),
            preferred: if args.voice {
                PhonePreference::Voice
            } else {
                PhonePreference::Sms
            },
        }
    } else if let Some(email) = &args.email {
        MethodKind::Email {
            email: checked_email(email)?,
        }
    } else if let (Some(key_id), Some(public_key), Some(relying_party)) =
        (&args.webauthn_key_id, &args.public_key, &args.relying_party)
    {
        MethodKind::WebAuthnRoaming {
            key_id: key_id.clone(),
            public_key: public_key.clone(),
            relying_party_identifier: relying_party.clone(),
        }
    } else {
        MethodKind::Totp {
            secret: totp_secret(args)?,
        }
    };
    Ok(NewMethod {
        kind,
        name: args.name.clone(),
    })
}

fn add(args: &AddMethodArgs) -> CommandResult {
    // Read the secret before connecting, so a prompt never waits on a network call.
    let method = new_method(args)?;
    block_on(async {
        let (session, user) =
            open_user(&args.user, "users methods add", &[Endpoint::CreateMethod]).await?;
        let subject = Subject::user(&user);
        let created = session
            .client()
            .create_authentication_method(&user.user_id, &method)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        let human = format!(
            "Added {} to user {}.\n",
            describe_method(&created),
            user.shown
        );
        print(args.format, &human, &created)
    })
}

fn update(args: &UpdateMethodArgs) -> CommandResult {
    let change = MethodUpdate {
        name: args.name.clone(),
        preferred: args.preferred.as_deref().and_then(PhonePreference::parse),
    };
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "users methods update",
            &[Endpoint::UpdateMethod],
        )
        .await?;
        let updated = session
            .client()
            .update_authentication_method(&user.user_id, &args.method_id, &change)
            .await
            .map_err(|e| session.explain(e, &Subject::method(&user, &args.method_id)))?;
        let human = format!(
            "Updated {} of user {}.\n",
            describe_method(&updated),
            user.shown
        );
        print(args.format, &human, &updated)
    })
}

fn delete(args: &DeleteMethodArgs) -> CommandResult {
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "users methods delete",
            &[Endpoint::GetMethod, Endpoint::DeleteMethod],
        )
        .await?;
        let subject = Subject::method(&user, &args.method_id);
        let method = session
            .client()
            .get_authentication_method(&user.user_id, &args.method_id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        let described = describe_method(&method);
        session.confirm(
            &format!(
                "Delete {described} of user {}? The user can no longer sign in with it.",
                user.shown
            ),
            args.confirmation.yes,
        )?;
        session
            .client()
            .delete_authentication_method(&user.user_id, &args.method_id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        scrub::print(&format!("Deleted {described} of user {}.\n", user.shown));
        Ok(())
    })
}

fn reset(args: &ConfirmedUserArgs, color: bool) -> CommandResult {
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "users reset",
            &[Endpoint::ListMethods, Endpoint::DeleteMethods],
        )
        .await?;
        let subject = Subject::user(&user);
        let methods = session
            .client()
            .list_authentication_methods(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        if methods.is_empty() {
            scrub::print(&format!(
                "User {} has no authentication methods; nothing to delete.\n",
                user.shown
            ));
            return Ok(());
        }
        let count = plural(
            methods.len(),
            "authentication method",
            "authentication methods",
        );
        scrub::print(&format!(
            "User {} has {count}:\n\n{}\n",
            user.shown,
            methods_table(&methods, color)
        ));
        session.confirm(
            &format!(
                "Delete {} of user {}? They enroll again at their next login that asks for MFA.",
                count, user.shown
            ),
            args.confirmation.yes,
        )?;
        session
            .client()
            .delete_authentication_methods(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        scrub::print(&format!(
            "Deleted {count} of user {}; they enroll again at their next login that asks for MFA.\n",
            user.shown
        ));
        Ok(())
    })
}

fn enrollments(args: &UserOutputArgs, color: bool) -> CommandResult {
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "users enrollments",
            &[Endpoint::ListUserEnrollments],
        )
        .await?;
        let list = session
            .client()
            .list_user_enrollments(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &Subject::user(&user)))?;
        let human = if list.is_empty() {
            format!("User {} has no Guardian enrollments.\n", user.shown)
        } else {
            format!(
                "User {} has {}:\n\n{}",
                user.shown,
                plural(list.len(), "Guardian enrollment", "Guardian enrollments"),
                enrollments_table(&list, color)
            )
        };
        print(args.format, &human, &Value::Array(list))
    })
}

fn recovery_code(args: &UserOutputArgs) -> CommandResult {
    // The new code exists only on stdout: refuse before it is made when it would be lost.
    if crate::stdout::is_dev_null() {
        return Err(CommandError::Refused(
            "stdout is /dev/null (or was closed), where the new recovery code would be lost; nothing was changed. Send stdout to a file (`> new-code.txt`) or a terminal".into(),
        ));
    }
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "users recovery-code",
            &[Endpoint::RegenerateRecoveryCode],
        )
        .await?;
        let code = session
            .client()
            .regenerate_recovery_code(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &Subject::user(&user)))?;
        // The one place a secret is printed: on purpose, once, on stdout only, before anything
        // else. It is never registered with `scrub` (that would redact it here); every log
        // redacts its key.
        let shown = match args.format {
            OutputFormat::Human => format!("{}\n", code.expose()),
            OutputFormat::Json => format!(
                "{{\n  \"recovery_code\": {}\n}}\n",
                Value::String(code.expose().to_owned())
            ),
        };
        // Any failure counts here, a closed pipe too: the code did not reach its reader.
        scrub::try_print(&shown).map_err(|e| {
            CommandError::Other(format!(
                "the new recovery code of user {} was NOT delivered: cannot write to stdout ({e}). The previous code no longer works either: run `mfactl users recovery-code` again with stdout going to a file or a terminal",
                user.shown
            ))
        })?;
        scrub::eprint(&format!(
            "New recovery code for user {}; the previous one no longer works. Give it to the user over a channel you trust: mfactl keeps no copy.\n",
            user.shown
        ));
        Ok(())
    })
}

fn forget_browsers(args: &UserArgs) -> CommandResult {
    block_on(async {
        let (session, user) = open_user(
            args,
            "users forget-browsers",
            &[Endpoint::InvalidateRememberBrowser],
        )
        .await?;
        session
            .client()
            .invalidate_remember_browser(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &Subject::user(&user)))?;
        scrub::print(&format!(
            "Forgot the remembered browsers of user {}: every browser asks for MFA at the next login.\n",
            user.shown
        ));
        Ok(())
    })
}

fn remove_provider(args: &RemoveProviderArgs) -> CommandResult {
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "users remove-provider",
            &[Endpoint::GetUser, Endpoint::DeleteMultifactorProvider],
        )
        .await?;
        let subject = Subject::user(&user);
        let provider = args.provider.as_str();
        // The API answers 204 even for a provider the user never had: look first.
        let providers = session
            .client()
            .multifactor_providers(&user.user_id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        if !providers.iter().any(|p| p == provider) {
            let has = if providers.is_empty() {
                "it has no MFA provider".to_owned()
            } else {
                format!("its MFA providers: {}", providers.join(", "))
            };
            scrub::print(&format!(
                "User {} does not have the {provider} MFA provider ({has}); nothing to remove.\n",
                user.shown
            ));
            return Ok(());
        }
        scrub::print(&format!(
            "User {} has the {provider} MFA provider; without it they set up MFA again at their next login that asks for it.\n",
            user.shown
        ));
        session.confirm(
            &format!(
                "Remove the {provider} MFA provider from user {}?",
                user.shown
            ),
            args.confirmation.yes,
        )?;
        session
            .client()
            .delete_multifactor_provider(&user.user_id, provider)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        scrub::print(&format!(
            "Removed the {} MFA provider from user {}.\n",
            args.provider, user.shown
        ));
        Ok(())
    })
}
