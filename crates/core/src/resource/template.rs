//! Message templates: whether a template shows the user the one-time code.
//!
//! Both kinds of phone template are Liquid: the legacy Guardian templates
//! (`/guardian/factors/phone/templates`, whose defaults write `{{code}}`) and the Tenant Phone
//! Settings templates (`/branding/phone/templates`, whose defaults write `{{ code }}`). Liquid
//! allows spaces inside an output tag and a `-` on either side to trim whitespace, so
//! `{{code}}`, `{{ code }}` and `{{- code -}}` all print the code.

/// The variable the one-time code is in.
const CODE: &str = "code";

/// Whether `text` holds a Liquid output tag of the one-time code: `{{`, an optional `-`,
/// optional whitespace, `code`, optional whitespace, an optional `-`, `}}`.
pub fn mentions_code(text: &str) -> bool {
    text.match_indices("{{").any(|(start, open)| {
        let inner = &text[start + open.len()..];
        let Some(end) = inner.find("}}") else {
            return false;
        };
        let tag = &inner[..end];
        let tag = tag.strip_prefix('-').unwrap_or(tag);
        let tag = tag.strip_suffix('-').unwrap_or(tag);
        tag.trim() == CODE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_liquid_spelling_of_the_code_counts() {
        for text in [
            "{{code}} is your code",
            "Your code: {{ code }}",
            "{{- code -}}",
            "{{  code\t}}",
            "a {{ other }} then {{code}}",
        ] {
            assert!(mentions_code(text), "{text}");
        }
        for text in [
            "no code here",
            "{{ codes }}",
            "{{ co de }}",
            "{ { code } }",
            "{{ code",
            "{{ tenant.code }}",
        ] {
            assert!(!mentions_code(text), "{text}");
        }
    }
}
