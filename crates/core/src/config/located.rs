//! Values that remember where in the file they came from.

use serde_saphyr::Location;

/// Where a value stands in the config file: 1-based line and column (in characters) and the
/// length of the value's text in characters (0 when unknown), plus its byte range in the text
/// when the parser knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
    /// Byte offset and byte length in the file's text.
    pub bytes: Option<(usize, usize)>,
}

impl Span {
    pub fn from_location(location: Location) -> Self {
        let span = location.span();
        let bytes = match (span.byte_offset(), span.byte_len()) {
            (Some(offset), Some(len)) => {
                usize::try_from(offset).ok().zip(usize::try_from(len).ok())
            }
            _ => None,
        };
        Span {
            line: usize::try_from(location.line()).unwrap_or(0),
            column: usize::try_from(location.column()).unwrap_or(0),
            len: usize::try_from(span.len()).unwrap_or(0),
            bytes,
        }
    }

    /// A span at a line and column, `len` characters long.
    pub fn at(line: usize, column: usize, len: usize) -> Self {
        Span {
            line,
            column,
            len,
            bytes: None,
        }
    }

    /// The byte range of the spanned text, when known.
    pub fn byte_range(&self) -> Option<std::ops::Range<usize>> {
        self.bytes.map(|(offset, len)| offset..offset + len)
    }
}

/// A value with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}
