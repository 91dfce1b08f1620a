//! Reads a seeds directory into `Node`s: the source documents and one TOML file per kind.
//! Every problem found while reading is collected, none stops the reading of the other files.
use std::path::Path;

use entity::ids::Kind;
use sha2::{Digest, Sha256};

use crate::chunks;
use crate::convert::{Converter, Lines};
use crate::feed::Hashing;
use crate::node::{Cell, Loc, Node, Problem, Quote, columns};
use crate::seed::{AbbreviationSeed, DefinedTermSeed, IgnoredSeed, SeedFile, SourceMeta};
use crate::validate::Graph;
use crate::vocab;

/// The seed files of a seeds directory and the one top-level key each may hold: a file per
/// record kind (named after its table; sources are a folder), then the lists that are not records.
pub fn kind_files() -> Vec<(String, &'static str)> {
    let records = Kind::ALL
        .into_iter()
        .filter(|&k| k != Kind::Source)
        .map(|k| (kind_file(k), k.as_str()));
    let lists = [
        ("ignored.toml", "ignored"),
        ("abbreviations.toml", "abbreviation"),
        ("defined_terms.toml", "defined_term"),
    ];
    records
        .chain(lists.map(|(file, key)| (file.to_owned(), key)))
        .collect()
}

/// The seed file of `kind`'s records, named after its table.
fn kind_file(kind: Kind) -> String {
    format!("{}.toml", kind.table())
}

/// A source document: its metadata and its text, byte for byte.
#[derive(Clone, Debug)]
pub struct SourceDoc {
    pub slug: String,
    pub body: String,
    pub meta: SourceMeta,
    pub at: Loc,
}

/// A name-like string deliberately not made an entity.
#[derive(Clone, Debug)]
pub struct Ignored {
    pub at: Loc,
    pub seed: IgnoredSeed,
}

/// A listed abbreviation (`abbreviations.toml`), its citations not yet located.
#[derive(Clone, Debug)]
pub struct Abbreviation {
    pub at: Loc,
    pub form: String,
    pub expands_to: Vec<String>,
    pub note: Option<String>,
    pub anaphor: bool,
    pub citations: Vec<Quote>,
}

impl Abbreviation {
    fn new(at: Loc, seed: &AbbreviationSeed, lines: &Lines) -> Self {
        Abbreviation {
            at,
            form: seed.form.clone(),
            expands_to: seed.expands_to.clone(),
            note: seed.note.clone(),
            anaphor: seed.anaphor,
            citations: seed
                .citations
                .iter()
                .map(|c| Quote::new(lines.at(c), c.get_ref()))
                .collect(),
        }
    }
}

/// A term a source defines for a record (`defined_terms.toml`), its definition not yet located.
#[derive(Clone, Debug)]
pub struct DefinedTerm {
    pub at: Loc,
    pub term: String,
    /// The record the term stands for, from `names = "<kind>:<slug>"` (None if the kind is not
    /// one of the record kinds; `validate` reports it).
    pub kind: Option<Kind>,
    pub slug: String,
    pub note: Option<String>,
    /// The defining sentence; its source is the one document where the term holds.
    pub definition: Quote,
}

impl DefinedTerm {
    fn new(at: Loc, seed: &DefinedTermSeed, lines: &Lines) -> Self {
        let (kind, slug) = match entity::ids::parse_record_key(&seed.names) {
            Some((kind, slug)) if !matches!(kind, Kind::Source | Kind::Metric) => {
                (Some(kind), slug.to_owned())
            }
            _ => (None, seed.names.clone()),
        };
        DefinedTerm {
            at,
            term: seed.term.clone(),
            kind,
            slug,
            note: seed.note.clone(),
            definition: Quote::new(lines.at(&seed.definition), seed.definition.get_ref()),
        }
    }
}

/// Everything read from a seeds directory, before cross-record validation.
#[derive(Clone, Debug, Default)]
pub struct SeedSet {
    /// The graph as read: no citation located yet, no relation's evidence found.
    pub graph: Graph,
    /// The SHA-256 of each kind file read, by file name: a load that reads the files again
    /// checks that they did not change meanwhile.
    pub digests: Vec<(String, [u8; 32])>,
}

/// Whether `name` (a kind file's stem such as `metrics`, or its key such as `metric`) is in
/// `allowed`.
fn allowed(allowed: &[String], file: &str, key: &str) -> bool {
    let stem = file.trim_end_matches(".toml");
    allowed.iter().any(|a| a == stem || a == key)
}

/// Reads `dir`; returns what could be read and every problem met. A kind file that is missing or
/// holds no record is a problem unless its kind is in `allow_empty` (a load would otherwise
/// delete every record of the kind); `ignored.toml`, `abbreviations.toml` and `defined_terms.toml`
/// are optional.
pub fn read_dir(dir: &Path, allow_empty: &[String]) -> (SeedSet, Vec<Problem>) {
    let mut nodes = vec![];
    let (mut set, problems) = read_dir_with(dir, allow_empty, &mut |found| nodes.extend(found));
    set.graph.nodes.extend(nodes);
    // The node list grew by doubling; give the slack back before validation builds its indexes.
    set.graph.nodes.shrink_to_fit();
    (set, problems)
}

/// [`read_dir`], handing the records of the kind files to `records` chunk by chunk instead of
/// keeping them: the set returned holds the sources (their records too) and the lists that are
/// not records. A load reads the kind files again and again this way, so its memory follows one
/// chunk of records, not the graph.
pub fn read_dir_with(
    dir: &Path,
    allow_empty: &[String],
    records: &mut dyn FnMut(Vec<Node>),
) -> (SeedSet, Vec<Problem>) {
    let mut set = SeedSet::default();
    let mut problems = vec![];
    read_sources(dir, &mut set.graph, &mut problems);
    for (file, key) in kind_files() {
        let path = dir.join(&file);
        let name = path.display().to_string();
        let at = Loc {
            file: name.clone().into(),
            line: 1,
        };
        let optional = matches!(key, "ignored" | "abbreviation" | "defined_term")
            || allowed(allow_empty, &file, key);
        let mut count = 0;
        let mut counted = |nodes: Vec<Node>| {
            count += nodes.len();
            records(nodes);
        };
        match std::fs::File::open(&path) {
            Ok(f) => {
                let digest =
                    read_hashed(&name, f, key, &mut set.graph, &mut problems, &mut counted);
                set.digests.push((name.clone(), digest));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !optional {
                    problems.push(Problem::file(
                        &at,
                        format!(
                            "missing; a load without it would delete every {key}. Restore it, \
                             or pass --allow-empty {} if that is what you mean",
                            file.trim_end_matches(".toml")
                        ),
                    ));
                }
                continue;
            }
            Err(e) => {
                problems.push(Problem::file(&at, format!("cannot read: {e}")));
                continue;
            }
        }
        let parsed = !problems
            .iter()
            .any(|p| p.file_level && p.at.file == at.file);
        if parsed && !optional && count == 0 {
            problems.push(Problem::file(
                &at,
                format!(
                    "holds no [[{key}]] record; a load would delete every {key}. Pass \
                     --allow-empty {} if that is what you mean",
                    file.trim_end_matches(".toml")
                ),
            ));
        }
    }
    (set, problems)
}

/// Reads the file of `kind` in `dir` again (see [`read_dir_with`]), handing its records to
/// `records`; returns the file's name and the SHA-256 of what was read (none for a missing file),
/// or the problem that stopped the reading. Problems of single records were reported by the
/// first reading.
pub fn reread_kind(
    dir: &Path,
    kind: Kind,
    records: &mut dyn FnMut(Vec<Node>),
) -> Result<(String, Option<[u8; 32]>), Problem> {
    let name = dir.join(kind_file(kind)).display().to_string();
    let file = match std::fs::File::open(&name) {
        Ok(f) => f,
        // A kind file allowed to be missing holds no record.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((name, None)),
        Err(e) => {
            let at = Loc {
                file: name.into(),
                line: 1,
            };
            return Err(Problem::file(&at, format!("cannot read: {e}")));
        }
    };
    let (mut lists, mut problems) = (Graph::default(), vec![]);
    let digest = read_hashed(
        &name,
        file,
        kind.as_str(),
        &mut lists,
        &mut problems,
        records,
    );
    match problems.into_iter().find(|p| p.file_level) {
        Some(stop) => Err(stop),
        None => Ok((name, Some(digest))),
    }
}

/// Parses the open kind file `file` record by record (`read_kind_stream`); returns the SHA-256
/// of what was read.
fn read_hashed(
    name: &str,
    file: std::fs::File,
    key: &str,
    graph: &mut Graph,
    problems: &mut Vec<Problem>,
    records: &mut dyn FnMut(Vec<Node>),
) -> [u8; 32] {
    let mut input = std::io::BufReader::new(Hashing::new(file));
    read_kind_stream(name, &mut input, key, graph, problems, records);
    input.into_inner().digest()
}

/// The problem for a file that is not UTF-8: where the first bad byte is (line, and byte offset).
pub fn invalid_utf8(name: &str, bytes: &[u8], e: std::str::Utf8Error) -> Problem {
    let offset = e.valid_up_to();
    let line = 1 + bytes[..offset].iter().filter(|b| **b == b'\n').count();
    utf8_problem(
        name,
        line,
        offset,
        bytes.get(offset).copied().unwrap_or_default(),
    )
}

/// The problem for a bad byte at `offset` (on `line`) of file `name`.
pub fn utf8_problem(name: &str, line: usize, offset: usize, byte: u8) -> Problem {
    Problem::file(
        &Loc {
            file: name.to_owned().into(),
            line,
        },
        format!("not valid UTF-8: byte {offset} (0x{byte:02x}) starts no character"),
    )
}

/// Parses one kind file's text (public so tests and partner feeds can feed inline strings).
pub fn read_kind_file(
    name: &str,
    text: &str,
    key: &str,
    graph: &mut Graph,
    problems: &mut Vec<Problem>,
) {
    let mut nodes = vec![];
    read_kind_stream(name, text.as_bytes(), key, graph, problems, &mut |found| {
        nodes.extend(found)
    });
    graph.nodes.extend(nodes);
}

/// Parses a kind file record by record as it is read (see `chunks`), so its size does not
/// decide the memory a load needs.
fn read_kind_stream(
    name: &str,
    input: impl std::io::BufRead,
    key: &str,
    graph: &mut Graph,
    problems: &mut Vec<Problem>,
    records: &mut dyn FnMut(Vec<Node>),
) {
    let file: std::sync::Arc<str> = name.into();
    let mut found = vec![];
    let read = chunks::for_each(input, |c| {
        let lines = Lines::chunk(file.clone(), c.text, c.first_line);
        read_chunk(&lines, c.text, key, graph, &mut found, records);
    });
    problems.extend(found);
    match read {
        Ok(()) => {}
        Err(chunks::Stop::Utf8 { line, offset, byte }) => {
            problems.push(utf8_problem(name, line, offset, byte))
        }
        Err(chunks::Stop::Io { line, error }) => problems.push(Problem::file(
            &Loc {
                file: file.clone(),
                line,
            },
            format!("cannot read: {error}"),
        )),
    }
}

/// Parses one piece of a kind file (one record, or the comments before the first).
fn read_chunk(
    lines: &Lines,
    text: &str,
    key: &str,
    graph: &mut Graph,
    problems: &mut Vec<Problem>,
    records: &mut dyn FnMut(Vec<Node>),
) {
    let file: SeedFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let at = lines.loc(e.span().map_or(0, |s| s.start));
            problems.push(Problem::file(&at, e.message().trim().to_owned()));
            return;
        }
    };
    for (other, n) in file.counts() {
        if other != key && n > 0 {
            problems.push(Problem::new(
                &lines.loc(0),
                format!("[[{other}]] records belong in their own file, this one holds [[{key}]]"),
            ));
        }
    }
    let mut c = Converter { lines, problems };
    records(file.records(&mut c));
    graph.ignored.extend(file.ignored.iter().map(|s| Ignored {
        at: lines.at(s),
        seed: s.get_ref().clone(),
    }));
    graph.abbreviations.extend(
        file.abbreviation
            .iter()
            .map(|s| Abbreviation::new(lines.at(s), s.get_ref(), lines)),
    );
    graph.defined_terms.extend(
        file.defined_term
            .iter()
            .map(|s| DefinedTerm::new(lines.at(s), s.get_ref(), lines)),
    );
}

fn read_sources(dir: &Path, graph: &mut Graph, problems: &mut Vec<Problem>) {
    let sources = dir.join("sources");
    let at_dir = Loc {
        file: sources.display().to_string().into(),
        line: 1,
    };
    let entries = match std::fs::read_dir(&sources) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::file(&at_dir, format!("cannot read: {e}")));
            return;
        }
    };
    let mut stems: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| {
            n.strip_suffix(".toml")
                .or_else(|| n.strip_suffix(".txt"))
                .map(str::to_owned)
        })
        .collect();
    stems.sort();
    stems.dedup();
    for slug in stems {
        let meta_path = sources.join(format!("{slug}.toml"));
        let body_path = sources.join(format!("{slug}.txt"));
        let meta_name = meta_path.display().to_string();
        let at = Loc {
            file: meta_name.clone().into(),
            line: 1,
        };
        let (meta, body) = match (
            std::fs::read_to_string(&meta_path),
            std::fs::read_to_string(&body_path),
        ) {
            (Ok(meta), Ok(body)) => (meta, body),
            (Err(_), _) => {
                problems.push(Problem::file(
                    &at,
                    format!("missing metadata for sources/{slug}.txt"),
                ));
                continue;
            }
            (_, Err(e)) => {
                problems.push(Problem::file(
                    &at,
                    format!("cannot read the text sources/{slug}.txt: {e}"),
                ));
                continue;
            }
        };
        let meta: SourceMeta = match toml::from_str(&meta) {
            Ok(m) => m,
            Err(e) => {
                let lines = Lines::new(&meta_name, &meta);
                problems.push(Problem::file(
                    &lines.loc(e.span().map_or(0, |s| s.start)),
                    e.message().trim().to_owned(),
                ));
                continue;
            }
        };
        if let Some(d) = &meta.date
            && !vocab::is_valid_date(d)
        {
            problems.push(Problem::new(
                &at,
                format!("date \"{d}\" is not a valid YYYY, YYYY-MM or YYYY-MM-DD date"),
            ));
        }
        if let Some(url) = &meta.url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            problems.push(Problem::new(
                &at,
                format!("url \"{url}\" is not an http(s) address"),
            ));
        }
        if meta.url.is_some() && meta.url_note.is_some() {
            problems.push(Problem::new(
                &at,
                "url_note says why there is no url; give one or the other",
            ));
        }
        graph
            .nodes
            .push(source_node(&slug, &meta, &body, at.clone()));
        graph.sources.push(SourceDoc {
            slug,
            body,
            meta,
            at,
        });
    }
}

/// A source's node, its content hash taken with the body, which is then left to `SourceDoc` (a
/// second copy of every text would double a large load's memory).
fn source_node(slug: &str, meta: &SourceMeta, body: &str, at: Loc) -> Node {
    let sha256 = hex::encode(Sha256::digest(body.as_bytes()));
    let mut columns =
        columns!(meta; title, publisher, reporter, date, date_note, original_file, url, url_note);
    columns.extend([
        ("body", Cell::Text(Some(body.to_owned()))),
        ("sha256", Cell::Text(Some(sha256))),
    ]);
    let mut node = Node {
        columns,
        ..Node::new(Kind::Source, slug.to_owned(), at, meta.title.clone())
    };
    node.content_hash = Some(crate::rows::content_hash(&node));
    if let Some((_, body)) = node.columns.iter_mut().find(|(c, _)| *c == "body") {
        *body = Cell::Text(None);
    }
    node
}
