//! "Did you mean" suggestions for misspelt keys and values.

/// The candidate closest to `input`, when it is close enough to be a likely typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let normalized = input_lower.replace(['_', '-'], "");
            let candidate = c.replace(['_', '-'], "");
            let similarity = strsim::jaro_winkler(&input_lower, c)
                .max(strsim::jaro_winkler(&normalized, &candidate));
            // Transpositions and single slips in short words score low on Jaro-Winkler.
            let edits = strsim::damerau_levenshtein(&normalized, &candidate);
            let close_edit = edits <= (candidate.chars().count() / 4).max(1);
            let score = if close_edit {
                similarity.max(0.9)
            } else {
                similarity
            };
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_separator_mixups() {
        let factors = ["otp", "sms", "recovery-code", "webauthn-roaming"];
        assert_eq!(closest("opt", factors), Some("otp"));
        assert_eq!(closest("recovery_code", factors), Some("recovery-code"));
        assert_eq!(
            closest("webauthn-roamnig", factors),
            Some("webauthn-roaming")
        );
        assert_eq!(closest("banana", factors), None);
    }
}
