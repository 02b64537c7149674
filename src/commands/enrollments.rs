//! `mfactl enrollments …`: Guardian enrollments by id, and enrollment tickets.

use crate::cli::users::{
    DeleteEnrollmentArgs, EnrollmentOutputArgs, EnrollmentsArgs, EnrollmentsCommand, OutputFormat,
    TicketArgs,
};
use crate::commands::user_session::{
    Session, Subject, block_on, checked_email, json_text, open_user, print,
};
use crate::error::CommandResult;
use crate::resource::UserEndpoint as Endpoint;
use crate::scrub;
use crate::terminal::Colors;
use crate::users::masking::mask_email;
use crate::users::method::TicketRequest;
use crate::users::render::details;

/// Exit 0 on success, 1 on any error. Nothing here prints a table, so colour does not matter.
pub fn run(args: &EnrollmentsArgs, _colors: Colors) -> CommandResult {
    match &args.command {
        EnrollmentsCommand::Get(a) => get(a),
        EnrollmentsCommand::Delete(a) => delete(a),
        EnrollmentsCommand::Ticket(a) => ticket(a),
    }
}

fn get(args: &EnrollmentOutputArgs) -> CommandResult {
    block_on(async {
        let session = Session::open(
            &args.target,
            "enrollments get",
            &[Endpoint::GetEnrollment],
            None,
        )
        .await?;
        let enrollment = session
            .client()
            .get_guardian_enrollment(&args.id)
            .await
            .map_err(|e| session.explain(e, &Subject::enrollment(&args.id)))?;
        print(args.format, &details(&enrollment), &enrollment)
    })
}

fn delete(args: &DeleteEnrollmentArgs) -> CommandResult {
    block_on(async {
        let session = Session::open(
            &args.target,
            "enrollments delete",
            &[Endpoint::GetEnrollment, Endpoint::DeleteEnrollment],
            None,
        )
        .await?;
        let subject = Subject::enrollment(&args.id);
        let enrollment = session
            .client()
            .get_guardian_enrollment(&args.id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        scrub::eprint(&details(&enrollment));
        session.confirm(
            &format!(
                "Delete Guardian enrollment {}? The user can no longer sign in with it.",
                args.id
            ),
            args.confirmation.yes,
        )?;
        session
            .client()
            .delete_guardian_enrollment(&args.id)
            .await
            .map_err(|e| session.explain(e, &subject))?;
        scrub::print(&format!("Deleted Guardian enrollment {}.\n", args.id));
        Ok(())
    })
}

fn ticket(args: &TicketArgs) -> CommandResult {
    let email = args.email.as_deref().map(checked_email).transpose()?;
    block_on(async {
        let (session, user) = open_user(
            &args.user,
            "enrollments ticket",
            &[Endpoint::CreateEnrollmentTicket],
        )
        .await?;
        let request = TicketRequest {
            user_id: user.user_id.clone(),
            email,
            send_mail: args.sends_mail(),
            email_locale: args.email_locale.clone(),
            factor: args.factor.clone(),
            allow_multiple_enrollments: args.allow_multiple_enrollments,
        };
        let ticket = session
            .client()
            .create_enrollment_ticket(&request)
            .await
            .map_err(|e| session.explain(e, &Subject::user(&user)))?;
        match args.format {
            OutputFormat::Json => scrub::print(&json_text(&ticket)?),
            OutputFormat::Human => {
                let url = ticket
                    .get("ticket_url")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                scrub::print(&format!("{url}\n"));
            }
        }
        let sent = if !args.sends_mail() {
            "Send this link to the user; it works once".to_owned()
        } else if let Some(email) = &args.email {
            format!(
                "Auth0 emails the link to {}; it works once",
                mask_email(email)
            )
        } else {
            "Auth0 emails the link to the user's address; it works once".to_owned()
        };
        scrub::eprint(&format!(
            "Enrollment ticket for user {}. {sent}.\n",
            user.shown
        ));
        Ok(())
    })
}
