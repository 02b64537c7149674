//! Plain-text tables with aligned columns, for terminals and CI logs.

/// How a column lines up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// The header and rows as lines, each column as wide as its widest cell, two spaces between
/// columns, no trailing spaces.
pub(crate) fn table(headers: &[(&str, Align)], rows: &[Vec<String>]) -> Vec<String> {
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, (header, _))| {
            rows.iter()
                .filter_map(|row| row.get(i))
                .map(|cell| cell.chars().count())
                .chain([header.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(headers)
            .zip(&widths)
            .map(|((cell, (_, align)), width)| match align {
                Align::Left => format!("{cell:<width$}"),
                Align::Right => format!("{cell:>width$}"),
            })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut lines = vec![line(headers.iter().map(|(h, _)| *h).collect())];
    for row in rows {
        lines.push(line(row.iter().map(String::as_str).collect()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_without_trailing_spaces() {
        let rows = vec![
            vec!["dev".to_string(), "12".to_string(), String::new()],
            vec![
                "production".to_string(),
                "3".to_string(),
                "down".to_string(),
            ],
        ];
        let lines = table(
            &[
                ("Tenant", Align::Left),
                ("Changes", Align::Right),
                ("Error", Align::Left),
            ],
            &rows,
        );
        assert_eq!(
            lines,
            [
                "Tenant      Changes  Error",
                "dev              12",
                "production        3  down",
            ]
        );
    }
}
