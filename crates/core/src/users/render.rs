//! Human-readable tables of users' authentication methods and Guardian enrollments. Pure: each
//! function returns the text. Every value goes through [`for_display`] first, so a phone number
//! or email prints masked and a secret never prints, whatever the API answered; and every
//! string through [`printable`], so a name cannot carry a newline or an escape sequence.

use serde_json::Value;

use crate::render::paint::{BOLD, paint};
use crate::render::printable::printable;
use crate::render::table::Align;
use crate::users::masking::for_display;

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => printable(s).into_owned(),
        Some(Value::Bool(true)) => "yes".into(),
        Some(Value::Bool(false)) => "no".into(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Left-aligned columns two spaces apart; the header row bold when `color`.
fn table(header: &[&str], rows: &[Vec<String>], color: bool) -> String {
    let columns: Vec<(&str, Align)> = header.iter().map(|h| (*h, Align::Left)).collect();
    let mut out = String::new();
    for (index, line) in crate::render::table::table(&columns, rows)
        .iter()
        .enumerate()
    {
        if index == 0 {
            out.push_str(&paint(color, BOLD, line));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// What a method reaches: the masked phone (with its preferred delivery), the masked email, or
/// the security key's relying party.
fn detail(method: &Value) -> String {
    let phone = text(method, "phone_number");
    if !phone.is_empty() {
        let preferred = text(method, "preferred_authentication_method");
        return if preferred.is_empty() {
            phone
        } else {
            format!("{phone} ({preferred})")
        };
    }
    let email = text(method, "email");
    if !email.is_empty() {
        return email;
    }
    text(method, "relying_party_identifier")
}

/// The methods of `GET /users/{id}/authentication-methods` as a table.
pub fn methods_table(methods: &[Value], color: bool) -> String {
    let rows: Vec<Vec<String>> = methods
        .iter()
        .map(for_display)
        .map(|m| {
            vec![
                text(&m, "id"),
                text(&m, "type"),
                text(&m, "name"),
                detail(&m),
                text(&m, "confirmed"),
                text(&m, "created_at"),
            ]
        })
        .collect();
    table(
        &["ID", "TYPE", "NAME", "DETAIL", "CONFIRMED", "CREATED"],
        &rows,
        color,
    )
}

/// One method in a line: `phone|dev_… (phone XXXXXXXX4567, "Work phone")`.
pub fn describe_method(method: &Value) -> String {
    let m = for_display(method);
    let mut parts = vec![text(&m, "type")];
    let reach = detail(&m);
    if !reach.is_empty() {
        parts.push(reach);
    }
    let mut out = format!("{} ({}", text(&m, "id"), parts.join(" "));
    let name = text(&m, "name");
    if !name.is_empty() {
        out.push_str(&format!(", \"{name}\""));
    }
    out.push(')');
    out
}

/// Every field of one object, one `key: value` line each, aligned; nested values as JSON.
pub fn details(object: &Value) -> String {
    let shown = for_display(object);
    let Value::Object(map) = &shown else {
        return format!("{shown}\n");
    };
    let width = map.keys().map(|k| k.chars().count()).max().unwrap_or(0) + 1;
    let mut out = String::new();
    for (key, value) in map {
        let rendered = match value {
            Value::String(s) => printable(s).into_owned(),
            other => other.to_string(),
        };
        let label = format!("{}:", printable(key));
        out.push_str(&format!("{label:<width$} {rendered}\n"));
    }
    out
}

/// The Guardian enrollments of `GET /users/{id}/enrollments` as a table.
pub fn enrollments_table(enrollments: &[Value], color: bool) -> String {
    let rows: Vec<Vec<String>> = enrollments
        .iter()
        .map(for_display)
        .map(|e| {
            vec![
                text(&e, "id"),
                text(&e, "status"),
                text(&e, "type"),
                text(&e, "name"),
                text(&e, "phone_number"),
                text(&e, "enrolled_at"),
                text(&e, "last_auth"),
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "STATUS",
            "TYPE",
            "NAME",
            "PHONE",
            "ENROLLED",
            "LAST AUTH",
        ],
        &rows,
        color,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn recorded_list() -> Vec<Value> {
        // The list after the PUT in user-mfa-interactions.jsonl, with the phone in clear to show
        // that mfactl masks whatever it is given.
        vec![
            json!({"id":"email|dev_jFUpfLan83lYSMIF","type":"email","confirmed":true,"name":"MyEmail","email":"foo@example.com","created_at":"2023-03-10T16:25:52.098Z"}),
            json!({"id":"totp|dev_F9T7cy0hM0IgHjwP","type":"totp","confirmed":true,"name":"MyTotp","created_at":"2023-03-10T16:25:52.099Z"}),
            json!({"id":"phone|dev_kXVq4drj3Mw6uCF5","type":"phone","confirmed":true,"name":"MyPhone","phone_number":"+44207183875044","created_at":"2023-03-10T16:25:52.099Z","preferred_authentication_method":"sms","authentication_methods":[{"id":"sms|dev_kXVq4drj3Mw6uCF5","type":"sms"}]}),
        ]
    }

    #[test]
    fn methods_table_masks_and_aligns() {
        let text = methods_table(&recorded_list(), false);
        insta::assert_snapshot!(text, @r"
        ID                          TYPE   NAME     DETAIL                 CONFIRMED  CREATED
        email|dev_jFUpfLan83lYSMIF  email  MyEmail  ****@exam*******       yes        2023-03-10T16:25:52.098Z
        totp|dev_F9T7cy0hM0IgHjwP   totp   MyTotp                          yes        2023-03-10T16:25:52.099Z
        phone|dev_kXVq4drj3Mw6uCF5  phone  MyPhone  XXXXXXXXXXX5044 (sms)  yes        2023-03-10T16:25:52.099Z
        ");
        assert!(methods_table(&recorded_list(), true).starts_with(BOLD));
    }

    #[test]
    fn one_line_and_details() {
        let list = recorded_list();
        assert_eq!(
            describe_method(&list[2]),
            "phone|dev_kXVq4drj3Mw6uCF5 (phone XXXXXXXXXXX5044 (sms), \"MyPhone\")"
        );
        assert_eq!(
            describe_method(&list[1]),
            "totp|dev_F9T7cy0hM0IgHjwP (totp, \"MyTotp\")"
        );
        let shown = details(&list[2]);
        assert!(
            shown.contains("phone_number:                    XXXXXXXXXXX5044\n"),
            "{shown}"
        );
        assert!(!shown.contains("+44207183875044"));
    }

    #[test]
    fn enrollments_table_masks_phones() {
        let text = enrollments_table(
            &[
                json!({"id":"dev_1","status":"confirmed","type":"sms","name":"+15551234567","phone_number":"+15551234567","enrolled_at":"2024-01-01T00:00:00.000Z"}),
            ],
            false,
        );
        assert!(!text.contains("+15551234567"), "{text}");
        assert!(text.contains("XXXXXXXX4567"), "{text}");
    }
}
