//! A CSV reader for the identity map, in the dialect Excel writes (RFC 4180): comma
//! separated, fields optionally in double quotes, a doubled quote for a quote inside one,
//! line breaks CRLF, LF or CR, line breaks allowed inside quoted fields. Each record keeps
//! the line it starts on, so every complaint can name it. Empty lines are skipped.
//!
//! (No CSV crate is among the vendored crates; this dialect is small enough to read here.)

/// One record of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: usize,
    pub fields: Vec<String>,
    /// What is wrong with the record's CSV syntax, if anything.
    pub problem: Option<SyntaxProblem>,
}

/// CSV syntax that Excel never writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxProblem {
    /// A field opened with `"` was never closed: the rest of the file went into it.
    UnclosedQuote,
    /// Text between a closing quote and the next comma, e.g. `"abc"def`.
    TextAfterClosingQuote,
}

/// Every non-empty record of `text`, in order.
pub fn records(text: &str) -> Vec<Record> {
    let bytes = text.as_bytes();
    let mut records = Vec::with_capacity(text.len() / 64 + 1);
    let mut at = 0;
    let mut line = 1;
    while at < bytes.len() {
        let start_line = line;
        let mut fields = Vec::with_capacity(6);
        let mut problem = None;
        loop {
            let mut field = String::new();
            if bytes.get(at) == Some(&b'"') {
                at += 1;
                loop {
                    let Some(quote) = find(bytes, at, |b| b == b'"') else {
                        field.push_str(&text[at..]);
                        line += count_line_breaks(&bytes[at..]);
                        at = bytes.len();
                        problem = Some(SyntaxProblem::UnclosedQuote);
                        break;
                    };
                    field.push_str(&text[at..quote]);
                    line += count_line_breaks(&bytes[at..quote]);
                    at = quote + 1;
                    if bytes.get(at) == Some(&b'"') {
                        field.push('"');
                        at += 1;
                    } else {
                        break;
                    }
                }
                let end = find(bytes, at, is_delimiter).unwrap_or(bytes.len());
                if end > at {
                    problem.get_or_insert(SyntaxProblem::TextAfterClosingQuote);
                    at = end;
                }
            } else {
                let end = find(bytes, at, is_delimiter).unwrap_or(bytes.len());
                field.push_str(&text[at..end]);
                at = end;
            }
            fields.push(field);
            match bytes.get(at) {
                Some(b',') => at += 1,
                Some(b'\r') => {
                    at += if bytes.get(at + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    line += 1;
                    break;
                }
                Some(b'\n') => {
                    at += 1;
                    line += 1;
                    break;
                }
                _ => break,
            }
        }
        let blank = fields.len() == 1 && fields[0].is_empty() && problem.is_none();
        if !blank {
            records.push(Record {
                line: start_line,
                fields,
                problem,
            });
        }
    }
    records
}

fn is_delimiter(byte: u8) -> bool {
    matches!(byte, b',' | b'\r' | b'\n')
}

fn find(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|b| wanted(*b))
        .map(|offset| from + offset)
}

/// Line breaks inside a quoted field: CRLF and LF count once, a lone CR once.
fn count_line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record as its line and its fields joined with '|'.
    fn fields(text: &str) -> Vec<(usize, String)> {
        records(text)
            .into_iter()
            .map(|r| (r.line, r.fields.join("|")))
            .collect()
    }

    #[test]
    fn reads_plain_and_quoted_fields_with_any_line_break() {
        assert_eq!(
            fields("a,b,c\r\nd,\"e,f\",\"g\"\"h\"\ni,,\rj"),
            vec![
                (1, "a|b|c".to_owned()),
                (2, "d|e,f|g\"h".to_owned()),
                (3, "i||".to_owned()),
                (4, "j".to_owned()),
            ]
        );
    }

    #[test]
    fn empty_lines_are_skipped_and_line_numbers_count_them() {
        assert_eq!(
            fields("\r\na,b\r\n\r\n\nc,d\r\n\r\n\r\n"),
            vec![(2, "a|b".to_owned()), (5, "c|d".to_owned())]
        );
        assert_eq!(fields(""), vec![]);
        assert_eq!(fields("a,"), vec![(1, "a|".to_owned())]);
        assert_eq!(fields(",\n"), vec![(1, "|".to_owned())]);
    }

    #[test]
    fn line_breaks_inside_quotes_belong_to_the_field_and_move_the_line_count() {
        assert_eq!(
            fields("\"a\r\nb\",c\n\"x\ny\nz\"\nlast"),
            vec![
                (1, "a\r\nb|c".to_owned()),
                (3, "x\ny\nz".to_owned()),
                (6, "last".to_owned())
            ]
        );
    }

    #[test]
    fn syntax_excel_never_writes_is_marked_on_its_record() {
        let records = records("ok\n\"abc\"def,x\nok\n\"open,y\nz");
        assert_eq!(records[0].problem, None);
        assert_eq!(
            records[1].problem,
            Some(SyntaxProblem::TextAfterClosingQuote)
        );
        assert_eq!(records[1].fields, vec!["abc", "x"]);
        assert_eq!(records[2].problem, None);
        assert_eq!(records[3].line, 4);
        assert_eq!(records[3].problem, Some(SyntaxProblem::UnclosedQuote));
        assert_eq!(records[3].fields, vec!["open,y\nz"]);
        // A quote inside an unquoted field is taken as text.
        assert_eq!(super::records("a\"b,c")[0].fields, vec!["a\"b", "c"]);
    }
}
