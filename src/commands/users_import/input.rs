//! Reading an import file as a stream of rows: CSV (the `csv` crate), JSON Lines (line by
//! line), or Auth0's bulk-import users JSON (one user object of the array at a time, see
//! [`JsonArray`]). Memory stays flat however long the file is: one row is held at a time.
//! No secret is registered with [`crate::scrub`] here: no message about a row quotes its
//! secret, and a real run registers each row's secret only while the row is in flight
//! ([`crate::api::import`]).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use crate::cli::users::ImportFormat;
use crate::error::CommandError;
use crate::users::import::{
    COLUMNS, ImportRow, bulk_factor_cells, bulk_user, check_columns, check_row,
};

/// One row of the file, checked.
#[derive(Debug)]
pub struct Row {
    /// The row's number, 1-based, in file order.
    pub row: u64,
    /// The line it starts on.
    pub line: u64,
    /// Where in the line's object, for Auth0's format (`mfa_factors[1]`).
    pub within: Option<String>,
    pub checked: Result<ImportRow, Vec<String>>,
}

impl Row {
    /// `users.csv:12` or `users.json:12: mfa_factors[1]`.
    pub fn place(&self, file: &str) -> String {
        match &self.within {
            Some(within) => format!("{file}:{}: {within}", self.line),
            None => format!("{file}:{}", self.line),
        }
    }
}

/// A problem of the file that is no row's (a CSV header's unknown column), with its line.
pub type FileProblem = (u64, String);

/// The rows of an import file, and the problems of its header.
pub struct Input {
    pub header: Vec<FileProblem>,
    pub rows: Box<dyn Iterator<Item = Result<Row, String>>>,
}

/// The format `path` holds: `format` if given, else from the name and, for `.json`, the first
/// character.
pub fn format_of(path: &Path, format: Option<ImportFormat>) -> Result<ImportFormat, CommandError> {
    if let Some(format) = format {
        return Ok(format);
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => Ok(ImportFormat::Csv),
        "jsonl" | "ndjson" => Ok(ImportFormat::Jsonl),
        "json" => {
            let mut reader =
                BufReader::new(File::open(path).map_err(|e| CommandError::read(path, e))?);
            skip_bom(&mut reader).map_err(|e| CommandError::read(path, e))?;
            let first = first_non_space(&mut reader).map_err(|e| CommandError::read(path, e))?;
            Ok(if first == Some(b'[') {
                ImportFormat::Auth0
            } else {
                ImportFormat::Jsonl
            })
        }
        _ => Err(CommandError::Other(format!(
            "cannot tell the format of {} from its name: use --format csv, jsonl or auth0",
            path.display()
        ))),
    }
}

/// Consumes a UTF-8 byte order mark at the start of `reader` (Windows tools write one, e.g.
/// PowerShell 5's `Out-File -Encoding utf8`); the `csv` crate skips it itself.
fn skip_bom(reader: &mut impl BufRead) -> std::io::Result<()> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if reader.fill_buf()?.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    Ok(())
}

fn first_non_space(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(None);
        }
        if let Some(position) = buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            return Ok(buffer.get(position).copied());
        }
        let length = buffer.len();
        reader.consume(length);
    }
}

/// Opens `path` as a stream of rows in `format`.
pub fn open(path: &Path, format: ImportFormat) -> Result<Input, CommandError> {
    let file = File::open(path).map_err(|e| CommandError::read(path, e))?;
    let mut reader = BufReader::new(file);
    if format != ImportFormat::Csv {
        skip_bom(&mut reader).map_err(|e| CommandError::read(path, e))?;
    }
    match format {
        ImportFormat::Csv => {
            let lines =
                LineCounter::new(File::open(path).map_err(|e| CommandError::read(path, e))?);
            csv_rows(reader, lines, path)
        }
        ImportFormat::Jsonl => Ok(Input {
            header: Vec::new(),
            rows: Box::new(jsonl_rows(reader)),
        }),
        ImportFormat::Auth0 => Ok(Input {
            header: Vec::new(),
            rows: Box::new(auth0_rows(reader)),
        }),
    }
}

/// The line each CSV record starts on, counted from the file's bytes: the `csv` crate's
/// position is taken before it skips the line break that ended the previous record (a `\n`
/// after a `\r`) and any blank lines, so its line is one too low in a CRLF file and after
/// blank lines. A second, forward-only reader of the same file counts line breaks (`\n`,
/// `\r\n` and a lone `\r` are one each) up to each record's first byte: memory stays flat.
struct LineCounter<R> {
    reader: BufReader<R>,
    /// Bytes read so far.
    offset: u64,
    /// The line of the byte at `offset`, 1-based.
    line: u64,
    /// The last byte read was a `\r` (a `\n` right after it ends the same line).
    after_cr: bool,
}

impl<R: Read> LineCounter<R> {
    fn new(reader: R) -> Self {
        LineCounter {
            reader: BufReader::new(reader),
            offset: 0,
            line: 1,
            after_cr: false,
        }
    }

    /// The line of the first byte at or after `byte` that is not a line break (where a record
    /// whose position is `byte` really starts). `None` when the file cannot be read again.
    fn line_of_record(&mut self, byte: u64) -> Option<u64> {
        loop {
            let buffer = self.reader.fill_buf().ok()?;
            if buffer.is_empty() {
                return Some(self.line);
            }
            let mut used = 0;
            let mut found = false;
            for &next in buffer {
                if self.offset >= byte && next != b'\n' && next != b'\r' {
                    found = true;
                    break;
                }
                match next {
                    b'\n' if self.after_cr => self.after_cr = false,
                    b'\n' => self.line += 1,
                    b'\r' => {
                        self.line += 1;
                        self.after_cr = true;
                    }
                    _ => self.after_cr = false,
                }
                used += 1;
                self.offset += 1;
            }
            self.reader.consume(used);
            if found {
                return Some(self.line);
            }
        }
    }
}

fn csv_rows(
    reader: impl Read + 'static,
    mut lines: LineCounter<File>,
    path: &Path,
) -> Result<Input, CommandError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| {
            CommandError::Other(format!("{}: cannot read the header: {e}", path.display()))
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let problems = check_columns(&names).into_iter().map(|p| (1, p)).collect();
    let width = header.len();
    let mut number = 0;
    let rows = csv.into_records().map(move |record| {
        let record = record.map_err(|e| format!("cannot read the CSV: {e}"))?;
        number += 1;
        let line = record
            .position()
            .and_then(|p| lines.line_of_record(p.byte()))
            .unwrap_or(number + 1);
        let mut cells: Vec<(&str, &str)> = header
            .iter()
            .zip(record.iter())
            .filter(|(name, _)| COLUMNS.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value))
            .collect();
        cells.retain(|(name, _)| !name.is_empty());
        let mut checked = check_row(&cells);
        if record.len() > width {
            let extra = format!(
                "has {} cells; the header names {width} columns",
                record.len()
            );
            match &mut checked {
                Err(problems) => problems.push(extra),
                Ok(_) => checked = Err(vec![extra]),
            }
        }
        Ok(Row {
            row: number,
            line,
            within: None,
            checked,
        })
    });
    Ok(Input {
        header: problems,
        rows: Box::new(rows),
    })
}

/// The text of a JSON value as a cell: a string as it is, `null` empty; anything else is not
/// a cell's value.
fn cell_text(key: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Null => Ok(String::new()),
        _ => Err(format!("`{key}` must be a JSON string")),
    }
}

fn jsonl_rows(reader: impl BufRead + 'static) -> impl Iterator<Item = Result<Row, String>> {
    let mut number = 0;
    reader.lines().enumerate().filter_map(move |(index, line)| {
        let line_number = index as u64 + 1;
        let text = match line {
            Ok(text) => text,
            Err(e) => return Some(Err(format!("cannot read line {line_number}: {e}"))),
        };
        if text.trim().is_empty() {
            return None;
        }
        number += 1;
        let checked = match serde_json::from_str::<Members>(&text) {
            Ok(Members(map)) => {
                let mut problems = Vec::new();
                let mut owned: Vec<(String, String)> = Vec::new();
                for (index, (key, value)) in map.iter().enumerate() {
                    let before = map[..index].iter().filter(|(k, _)| k == key).count();
                    if before > 0 {
                        // Reported once, at its second appearance.
                        if before == 1 {
                            problems.push(format!("the key `{key}` is given twice; keep one"));
                        }
                        continue;
                    }
                    if !COLUMNS.contains(&key.as_str()) {
                        // Reported by `check_row` as an unknown column, whatever its value.
                        owned.push((key.clone(), String::new()));
                        continue;
                    }
                    match cell_text(key, value) {
                        Ok(text) => owned.push((key.clone(), text)),
                        Err(problem) => problems.push(problem),
                    }
                }
                let cells: Vec<(&str, &str)> = owned
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                match (check_row(&cells), problems.is_empty()) {
                    (Ok(row), true) => Ok(row),
                    (Ok(_), false) => Err(problems),
                    (Err(mut more), _) => {
                        problems.append(&mut more);
                        Err(problems)
                    }
                }
            }
            Err(e) if e.is_data() => Err(vec!["is not a JSON object".to_owned()]),
            Err(e) => Err(vec![format!(
                "is not JSON (column {}: {})",
                e.column(),
                classify(&e)
            )]),
        };
        Some(Ok(Row {
            row: number,
            line: line_number,
            within: None,
            checked,
        }))
    })
}

/// A JSON Lines row's members in the order written, a repeated key kept (a `Value` would keep
/// only the last, and a row naming `user` twice would go to the wrong user).
struct Members(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Value>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// A JSON syntax error in a few words, without quoting the text.
fn classify(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Eof => "it ends too early",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected value",
        serde_json::error::Category::Io => "cannot be read",
    }
}

fn auth0_rows(reader: impl BufRead + 'static) -> impl Iterator<Item = Result<Row, String>> {
    let mut number = 0;
    JsonArray::new(reader).flat_map(move |element| {
        let rows: Vec<Result<Row, String>> = match element {
            Err(e) => vec![Err(e)],
            Ok((line, bytes)) => {
                let user: Result<Value, _> = serde_json::from_slice(&bytes);
                let mut rows = Vec::new();
                match user {
                    Err(e) => {
                        number += 1;
                        rows.push(Ok(Row {
                            row: number,
                            line,
                            within: None,
                            checked: Err(vec![format!("the user is not JSON ({})", classify(&e))]),
                        }));
                    }
                    Ok(user) => {
                        let factors = match user.get("mfa_factors") {
                            None | Some(Value::Null) => &[][..],
                            Some(Value::Array(factors)) => factors.as_slice(),
                            Some(_) => {
                                number += 1;
                                rows.push(Ok(Row {
                                    row: number,
                                    line,
                                    within: Some("mfa_factors".to_owned()),
                                    checked: Err(vec![
                                        "must be an array of factors, e.g. [{\"phone\": {\"value\": \"+15551234567\"}}]".to_owned(),
                                    ]),
                                }));
                                &[][..]
                            }
                        };
                        let who = bulk_user(&user);
                        for (index, factor) in factors.iter().enumerate() {
                            number += 1;
                            let checked = match (&who, bulk_factor_cells(factor)) {
                                (Ok(who), Ok(cells)) => {
                                    let user_text = match who {
                                        crate::users::user_ref::UserRef::Id(id) => id.clone(),
                                        crate::users::user_ref::UserRef::Email(email) => {
                                            email.clone()
                                        }
                                    };
                                    let mut all: Vec<(&str, &str)> =
                                        vec![("user", user_text.as_str())];
                                    all.extend(cells.iter().map(|(k, v)| (*k, v.as_str())));
                                    check_row(&all)
                                }
                                (Err(problem), _) => Err(vec![problem.clone()]),
                                (_, Err(problem)) => Err(vec![problem]),
                            };
                            rows.push(Ok(Row {
                                row: number,
                                line,
                                within: Some(format!("mfa_factors[{index}]")),
                                checked,
                            }));
                        }
                    }
                }
                rows
            }
        };
        rows
    })
}

/// The elements of a top-level JSON array, one at a time, each with the line it starts on:
/// memory holds one element, never the array. Strings and escapes are skipped correctly;
/// the elements themselves are parsed by `serde_json`.
pub struct JsonArray<R> {
    reader: R,
    line: u64,
    started: bool,
    done: bool,
}

impl<R: BufRead> JsonArray<R> {
    pub fn new(reader: R) -> Self {
        JsonArray {
            reader,
            line: 1,
            started: false,
            done: false,
        }
    }

    fn byte(&mut self) -> Result<Option<u8>, String> {
        let buffer = self
            .reader
            .fill_buf()
            .map_err(|e| format!("cannot read the file: {e}"))?;
        let Some(byte) = buffer.first().copied() else {
            return Ok(None);
        };
        self.reader.consume(1);
        if byte == b'\n' {
            self.line += 1;
        }
        Ok(Some(byte))
    }

    fn next_significant(&mut self) -> Result<Option<u8>, String> {
        loop {
            match self.byte()? {
                Some(b) if b.is_ascii_whitespace() => continue,
                other => return Ok(other),
            }
        }
    }

    /// The rest of an element that began with `first`, up to (not including) the `,` or `]`
    /// after it; returns the element's bytes and the byte that ended it.
    fn element(&mut self, first: u8) -> Result<(Vec<u8>, Option<u8>), String> {
        let mut bytes = vec![first];
        let mut depth: i64 = i64::from(matches!(first, b'{' | b'['));
        let mut in_string = first == b'"';
        let mut escaped = false;
        loop {
            let Some(byte) = self.byte()? else {
                return Ok((bytes, None));
            };
            if in_string {
                bytes.push(byte);
                match (escaped, byte) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' if depth == 0 => return Ok((bytes, Some(byte))),
                _ => {}
            }
            bytes.push(byte);
        }
    }
}

impl<R: BufRead> Iterator for JsonArray<R> {
    type Item = Result<(u64, Vec<u8>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut step = || -> Result<Option<(u64, Vec<u8>)>, String> {
            if !self.started {
                self.started = true;
                match self.next_significant()? {
                    Some(b'[') => {}
                    _ => return Err("the file is not a JSON array of users".into()),
                }
            }
            let Some(first) = self.next_significant()? else {
                return Err("the array of users is not closed with `]`".into());
            };
            if first == b']' {
                return Ok(None);
            }
            let line = self.line;
            let (bytes, end) = self.element(first)?;
            match end {
                Some(b',') => {}
                Some(_) => self.done = true,
                None => return Err("the array of users is not closed with `]`".into()),
            }
            Ok(Some((line, bytes)))
        };
        match step() {
            Ok(Some(element)) => Some(Ok(element)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first cell and line of each record of a CSV text, as `open` numbers them.
    fn csv_lines(text: &str) -> Vec<u64> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv");
        std::fs::write(&path, text).unwrap();
        let input = open(&path, ImportFormat::Csv).unwrap();
        input.rows.map(|row| row.unwrap().line).collect()
    }

    #[test]
    fn csv_line_numbers_do_not_depend_on_line_endings() {
        let lf = "user,type\na,phone\n\nb,phone\n\"c\nd\",phone\ne,phone\n";
        assert_eq!(csv_lines(lf), [2, 4, 5, 7]);
        assert_eq!(csv_lines(&lf.replace('\n', "\r\n")), [2, 4, 5, 7]);
        assert_eq!(
            csv_lines(&format!("\u{feff}{}", lf.replace('\n', "\r\n"))),
            [2, 4, 5, 7]
        );
        assert_eq!(csv_lines(&lf.replace('\n', "\r")), [2, 4, 5, 7]);
    }

    #[test]
    fn array_elements_stream_with_their_lines() {
        let text = "[\n {\"a\": \"x,]}\\\"\"},\n\n {\"b\": [1, {\"c\": 2}]}\n]\n";
        let elements: Vec<(u64, String)> = JsonArray::new(text.as_bytes())
            .map(|e| e.map(|(line, bytes)| (line, String::from_utf8(bytes).unwrap())))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            elements,
            [
                (2, "{\"a\": \"x,]}\\\"\"}".to_owned()),
                (4, "{\"b\": [1, {\"c\": 2}]}\n".to_owned())
            ]
        );
        assert_eq!(JsonArray::new("[]".as_bytes()).count(), 0);
        assert!(JsonArray::new("{}".as_bytes()).next().unwrap().is_err());
        assert!(JsonArray::new("[{}".as_bytes()).next().unwrap().is_err());
    }
}
