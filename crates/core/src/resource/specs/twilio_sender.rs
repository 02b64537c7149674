//! Twilio sends from one number or one Messaging Service: a rule both phone providers share
//! (`phone.twilio` and `tenant_phone.provider` with `name: twilio`).

use crate::resource::SectionCheck;

/// Twilio sends text messages from one number or one Messaging Service: one of the two keys,
/// and a number in E.164 form. Voice calls (`voice`) always need the number, since a Messaging
/// Service sends text only; then both keys may be set (text through the service, calls from the
/// number). Source: Auth0's "Configure SMS and Voice Notifications for MFA" ("If you are using
/// Voice, you always need to configure 'From' even if you are using 'Messaging Services' for
/// SMS").
pub(crate) fn check(
    check: &mut SectionCheck<'_, '_>,
    number_key: &str,
    service_key: &str,
    voice: bool,
) {
    let section = check.path().to_string();
    match (check.is_present(number_key), check.is_present(service_key)) {
        (false, true) if voice => {
            let span = check.span_of(service_key);
            check
                .error(
                    format!(
                        "voice calls need `{section}.{number_key}`: a Twilio Messaging Service sends text messages only"
                    ),
                    span,
                )
                .help = Some(format!(
                "add `{number_key}: \"+15550001111\"` (a Twilio number that can place calls) beside `{service_key}`, or stop offering voice"
            ));
        }
        (true, true) if voice => {}
        (false, false) => {
            let span = check.span();
            check
                .error(
                    format!("`{section}` needs `{number_key}` or `{service_key}`"),
                    span,
                )
                .help = Some(format!(
                "Twilio needs a sender: a number (`{number_key}: \"+15550001111\"`) or a Messaging Service (`{service_key}: MG…`)"
            ));
        }
        (true, true) => {
            let span = check.span_of(service_key);
            check
                .error(
                    format!("`{section}` sets both `{number_key}` and `{service_key}`"),
                    span,
                )
                .help = Some("Twilio sends from one of them: keep one".into());
        }
        _ => {}
    }
    if let Some(number) = check.text(number_key).map(str::to_string)
        && !is_e164(&number)
    {
        let shown = check.shown_value(number_key, &number);
        let span = check.span_of(number_key);
        check
            .warning(
                format!("`{section}.{number_key}` {shown} is not an E.164 phone number"),
                span,
            )
            .help =
            Some("write it as `+` then country code and number, e.g. \"+15550001111\"".into());
    }
}

/// Whether `number` is `+`, then 2 to 15 digits not starting with 0.
pub fn is_e164(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+15550001111"));
        assert!(!is_e164("15550001111"));
        assert!(!is_e164("+0123"));
        assert!(!is_e164("+1555-000"));
    }
}
