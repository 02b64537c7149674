//! Text from the API (a method's or an enrollment's name, a device's name) made safe for a
//! terminal: anyone who can name a method chooses its text, and a newline or an escape sequence
//! in it would forge rows of a table or rewrite the screen. Pure.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1: newlines, tabs, `ESC` included) written
/// as its Rust escape (`\n`, `\u{1b}`), so each value stays on its line and shows what it
/// holds. Text without one is returned as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(printable("Work phone é"), "Work phone é");
        assert_eq!(
            printable("x\n\u{1b}[2Jfake\tcol\r\u{9b}"),
            "x\\n\\u{1b}[2Jfake\\tcol\\r\\u{9b}"
        );
    }
}
