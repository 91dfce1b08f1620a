//! Reads a kind file record by record: the text is cut before every top-level array-of-tables
//! header (`[[zone]]`), so each piece is one record (with its `[[zone.citations]]` …) and is parsed
//! alone. A synthetic seed set of a million records is then parsed in pieces of a few hundred
//! bytes instead of one TOML document of hundreds of megabytes. Lines are checked for UTF-8 as
//! they come, so a bad byte is reported with its line and byte offset.
use std::io::BufRead;

/// One piece of a file: its text and the line it starts on.
pub struct Chunk<'t> {
    pub text: &'t str,
    pub first_line: usize,
}

/// Why a file could not be read to its end.
pub enum Stop {
    /// A read failed (`line` is the line being read).
    Io { line: usize, error: std::io::Error },
    /// A line is not UTF-8: its number, the file's byte offset and the first bad byte.
    Utf8 {
        line: usize,
        offset: usize,
        byte: u8,
    },
}

/// Whether `line` opens a new top-level record: `[[name]]` with no dot in the name.
fn opens_record(line: &str) -> bool {
    let t = line.trim_start();
    let Some(rest) = t.strip_prefix("[[") else {
        return false;
    };
    rest.split_once("]]")
        .is_some_and(|(name, _)| !name.contains('.') && !name.trim().is_empty())
}

/// Whether a multi-line string (`"""` or `'''`) is open after `line`, given whether one was open
/// before it (each delimiter toggles; TOML allows no nesting).
fn in_multiline(open: Option<&'static str>, line: &str) -> Option<&'static str> {
    let mut open = open;
    let mut rest = line;
    loop {
        match open {
            Some(delim) => match rest.find(delim) {
                Some(i) => {
                    rest = &rest[i + 3..];
                    open = None;
                }
                None => return open,
            },
            None => {
                let basic = rest.find("\"\"\"");
                let literal = rest.find("'''");
                let (i, delim) = match (basic, literal) {
                    (Some(b), Some(l)) if l < b => (l, "'''"),
                    (Some(b), _) => (b, "\"\"\""),
                    (None, Some(l)) => (l, "'''"),
                    (None, None) => return None,
                };
                // A delimiter after a comment sign is part of the comment.
                if rest[..i].contains('#') {
                    return None;
                }
                rest = &rest[i + 3..];
                open = Some(delim);
            }
        }
    }
}

/// Calls `each` with every record-sized piece of `input`, in order; stops at the first line that
/// cannot be read or is not UTF-8.
pub fn for_each(mut input: impl BufRead, mut each: impl FnMut(Chunk<'_>)) -> Result<(), Stop> {
    let mut chunk = String::new();
    let mut first_line = 1;
    let (mut line_no, mut offset) = (0, 0);
    let mut buf = Vec::new();
    let mut open = None;
    loop {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|error| Stop::Io {
                line: line_no + 1,
                error,
            })?;
        if read == 0 {
            break;
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf).map_err(|e| Stop::Utf8 {
            line: line_no,
            offset: offset + e.valid_up_to(),
            byte: buf[e.valid_up_to()],
        })?;
        if open.is_none() && opens_record(line) && !chunk.is_empty() {
            each(Chunk {
                text: &chunk,
                first_line,
            });
            chunk.clear();
            first_line = line_no;
        }
        open = in_multiline(open, line);
        chunk.push_str(line);
        offset += read;
    }
    if !chunk.is_empty() {
        each(Chunk {
            text: &chunk,
            first_line,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(usize, String)> {
        let mut out = vec![];
        let done = for_each(text.as_bytes(), |c| {
            out.push((c.first_line, c.text.to_owned()))
        });
        assert!(done.is_ok());
        out
    }

    #[test]
    fn records_are_cut_before_top_level_headers_only() {
        let text = "# head\n[[zone]]\nslug = \"a\"\n[[zone.citations]]\nquote = \"q\"\n[[zone]]\nslug = \"b\"\n";
        let got = pieces(text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], (1, "# head\n".to_owned()));
        assert_eq!(got[1].0, 2);
        assert!(got[1].1.contains("[[zone.citations]]"));
        assert_eq!(got[2], (6, "[[zone]]\nslug = \"b\"\n".to_owned()));
    }

    #[test]
    fn a_header_inside_a_multi_line_string_is_text() {
        let text = "[[zone]]\nnote = \"\"\"\n[[zone]]\n\"\"\"\n[[zone]]\n";
        let got = pieces(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, 5);
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let bytes = b"[[zone]]\nslug = \"a\"\nname_zh = \"\xff\"\n";
        match for_each(&bytes[..], |_| {}) {
            Err(Stop::Utf8 { line, offset, byte }) => {
                assert_eq!((line, offset, byte), (3, 31, 0xff));
            }
            _ => panic!("invalid UTF-8 was not reported"),
        }
    }
}
