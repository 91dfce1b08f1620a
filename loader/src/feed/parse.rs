//! Reading a feed file record by record (NDJSON lines or CSV rows), so only one record's text is
//! held at a time. Bytes that are not UTF-8 stop the reading with their line (and, for NDJSON, the
//! byte offset in the file).
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::node::{Loc, Problem};
use crate::read::utf8_problem;

/// Fields whose CSV cells hold JSON (lists, tables, numbers, booleans).
const JSON_FIELDS: &[&str] = &[
    "aliases",
    "sectors",
    "projects",
    "parties",
    "organizations",
    "milestones",
    "citations",
    "value",
    "value_max",
    "area_km2",
    "year",
    "is_target",
    "descriptive_name",
];

/// One record of a feed: the line it starts on, its type and its other fields.
pub struct Record {
    pub line: usize,
    pub kind: String,
    pub fields: Map<String, Value>,
}

fn at(name: &str, line: usize) -> Loc {
    Loc {
        file: name.into(),
        line,
    }
}

/// Calls `each` with every record of an NDJSON feed on a line `keep` accepts (by 1-based line
/// number; the other lines are only checked to be UTF-8); problems with single lines go to
/// `problems`. Returns the file-level problem that stopped the reading (unreadable, not UTF-8).
pub fn ndjson_lines(
    mut input: impl BufRead,
    name: &str,
    mut keep: impl FnMut(usize) -> bool,
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(Record, &mut Vec<Problem>),
) -> Result<(), Problem> {
    let mut buf = Vec::new();
    let (mut line_no, mut offset) = (0, 0);
    loop {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| Problem::file(&at(name, line_no + 1), format!("cannot read: {e}")))?;
        if read == 0 {
            return Ok(());
        }
        line_no += 1;
        let line = std::str::from_utf8(&buf).map_err(|e| {
            let bad = e.valid_up_to();
            utf8_problem(name, line_no, offset + bad, buf[bad])
        })?;
        offset += read;
        if !keep(line_no) || line.trim().is_empty() || problems.len() > super::MAX_PROBLEMS {
            continue;
        }
        let here = at(name, line_no);
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(mut fields)) => match fields.remove("type") {
                Some(Value::String(kind)) => each(
                    Record {
                        line: line_no,
                        kind,
                        fields,
                    },
                    problems,
                ),
                _ => problems.push(Problem::new(&here, "a record needs a string \"type\"")),
            },
            Ok(_) => problems.push(Problem::new(&here, "each line must be one JSON object")),
            Err(e) => problems.push(Problem::new(&here, format!("not JSON: {e}"))),
        }
    }
}

/// The newlines a reader has passed, so a byte offset can be turned into a line number. Offsets
/// are asked for in increasing order, so those behind the last one asked are dropped: memory stays
/// at what the CSV reader has read ahead.
#[derive(Default)]
struct Newlines {
    ahead: VecDeque<u64>,
    behind: usize,
    read: u64,
}

impl Newlines {
    /// The 1-based line of byte `offset`. The csv crate reports a record that follows a CRLF at
    /// the LF's offset; counting newlines at or before the offset puts it on its own line.
    fn line_at(&mut self, offset: u64) -> usize {
        while self.ahead.front().is_some_and(|&nl| nl <= offset) {
            self.ahead.pop_front();
            self.behind += 1;
        }
        self.behind + 1
    }
}

/// A reader that notes where its newlines are.
struct Counting<R> {
    inner: R,
    newlines: Rc<RefCell<Newlines>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.newlines.borrow_mut();
        let start = lines.read;
        let found = memchr::memchr_iter(b'\n', &buf[..n]).map(|i| start + i as u64);
        lines.ahead.extend(found);
        lines.read += n as u64;
        Ok(n)
    }
}

/// Calls `each` with every record of a CSV feed (a header row names the fields; JSON_FIELDS
/// cells hold JSON, the others text) whose first line `keep` accepts. A record is located at the
/// line it starts on, even when a cell spans lines.
pub fn csv_lines(
    input: impl BufRead,
    name: &str,
    mut keep: impl FnMut(usize) -> bool,
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(Record, &mut Vec<Problem>),
) -> Result<(), Problem> {
    let newlines = Rc::new(RefCell::new(Newlines::default()));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Counting {
            inner: input,
            newlines: newlines.clone(),
        });
    let line_at =
        |p: Option<&csv::Position>| newlines.borrow_mut().line_at(p.map_or(0, |p| p.byte()));
    let mut header: Option<Vec<String>> = None;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                let line = line_at(e.position());
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { err, .. } => format!(
                        "not valid UTF-8: field {} of the record on this line, byte {} of the field",
                        err.field() + 1,
                        err.valid_up_to()
                    ),
                    _ => format!("cannot read: {e}"),
                };
                return Err(Problem::file(&at(name, line), message));
            }
        }
        let line = line_at(record.position());
        let Some(fields) = &header else {
            header = Some(record.iter().map(str::to_owned).collect());
            continue;
        };
        if !keep(line) || record.iter().all(str::is_empty) || problems.len() > super::MAX_PROBLEMS {
            continue;
        }
        let here = at(name, line);
        if record.len() != fields.len() {
            problems.push(Problem::new(
                &here,
                format!("{} cells, the header has {}", record.len(), fields.len()),
            ));
            continue;
        }
        let mut obj = Map::new();
        let mut kind = None;
        for (field, cell) in fields.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            if field == "type" {
                kind = Some(cell.to_owned());
            } else if JSON_FIELDS.contains(&field.as_str()) {
                match serde_json::from_str(cell) {
                    Ok(v) => {
                        obj.insert(field.clone(), v);
                    }
                    Err(e) => problems.push(Problem::new(&here, format!("{field}: not JSON: {e}"))),
                }
            } else {
                obj.insert(field.clone(), Value::String(cell.to_owned()));
            }
        }
        match kind {
            Some(kind) => each(
                Record {
                    line,
                    kind,
                    fields: obj,
                },
                problems,
            ),
            None => problems.push(Problem::new(&here, "a record needs a \"type\" cell")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of the records of `text`, read as CSV or NDJSON.
    fn record_lines(text: &[u8], as_csv: bool) -> Result<Vec<usize>, Problem> {
        let mut out = vec![];
        let each = |r: Record, _: &mut Vec<Problem>| out.push(r.line);
        if as_csv {
            csv_lines(text, "feed", |_| true, &mut vec![], each)?;
        } else {
            ndjson_lines(text, "feed", |_| true, &mut vec![], each)?;
        }
        Ok(out)
    }

    #[test]
    fn csv_cells_may_quote_commas_quotes_and_newlines() {
        let text = b"type,name_zh,note\r\nzone,\"x, \"\"y\"\"\",\"line\nbreak\"\nzone,b,c\n";
        let mut fields = vec![];
        let done = csv_lines(
            &text[..],
            "feed",
            |_| true,
            &mut vec![],
            |r, _| fields.push((r.line, r.fields)),
        );
        assert!(done.is_ok());
        assert_eq!(fields[0].1["name_zh"], "x, \"y\"");
        assert_eq!(fields[0].1["note"], "line\nbreak");
        assert_eq!((fields[0].0, fields[1].0), (2, 4));
    }

    /// Reads `text` (CSV with `csv`), which has invalid UTF-8 on its third line, and checks the
    /// problem names that line and says `says`.
    fn invalid_on_line_3(text: &[u8], csv: bool, says: &str) {
        let err = record_lines(text, csv).expect_err("invalid UTF-8");
        assert_eq!(err.at.line, 3);
        assert!(err.message.contains(says), "{}", err.message);
    }

    #[test]
    fn invalid_utf8_in_ndjson_names_the_line_and_byte() {
        let text = b"{\"type\":\"zone\"}\n\n{\"type\":\"zone\",\"name_zh\":\"\xe9\x87\"}\n";
        invalid_on_line_3(text, false, "byte 43");
    }

    #[test]
    fn invalid_utf8_in_csv_names_the_line() {
        invalid_on_line_3(b"type,slug\nzone,a\nzone,\xff\n", true, "not valid UTF-8");
    }
}
