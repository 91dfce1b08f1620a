//! Each chunk's name index: its records' names (Chinese, English, aliases) folded, each distinct
//! folded name stored once with the records carrying it, and a bucketed 1–2-gram table over the
//! distinct names. A query hashes its rarest gram to one bucket per chunk and tests only the
//! names listed there whose gram mark (8 more bits of the gram's hash) is the query gram's, so
//! its cost follows the matches (plus one probe of a few marks per chunk), and a 2-character
//! Chinese query (南沙) hits, which trigram indexes miss. Characters outside ASCII are
//! indexed alone as well (a 1-character Chinese query); ASCII letters only in pairs.
use std::collections::HashMap;

use super::chunk::Chunk;
use super::text::fold_into;

/// Which name of a record: 0 the Chinese name, 1 the English name, 2 + i its i-th alias.
pub type Field = u8;
pub const ZH: Field = 0;
pub const EN: Field = 1;

/// A gram: one character or a pair of adjacent characters of a folded name.
pub type Gram = u64;

fn pair(a: char, b: char) -> Gram {
    (u64::from(a as u32) << 21) | u64::from(b as u32)
}

fn single(c: char) -> Gram {
    (1 << 63) | u64::from(c as u32)
}

/// The grams of a folded name, each once.
fn grams_of(folded: &str, out: &mut Vec<Gram>) {
    out.clear();
    let mut prev: Option<char> = None;
    for c in folded.chars() {
        if !c.is_ascii() {
            out.push(single(c));
        }
        if let Some(p) = prev {
            out.push(pair(p, c));
        }
        prev = Some(c);
    }
    out.sort_unstable();
    out.dedup();
}

/// The grams a folded needle must contain: its pairs, or its only character.
pub fn needle_grams(folded: &str) -> Vec<Gram> {
    let chars: Vec<char> = folded.chars().collect();
    match chars.as_slice() {
        [] => vec![],
        [c] if c.is_ascii() => vec![],
        [c] => vec![single(*c)],
        _ => {
            let mut g: Vec<Gram> = chars.windows(2).map(|w| pair(w[0], w[1])).collect();
            g.sort_unstable();
            g.dedup();
            g
        }
    }
}

fn spread(gram: Gram) -> u64 {
    // Fibonacci hashing: the high bits of a multiplication spread neighbouring code points.
    gram.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn bucket(gram: Gram, mask: u64) -> usize {
    ((spread(gram) >> 32) & mask) as usize
}

/// A gram's mark: the hash's top 8 bits, apart from the bucket's bits (a chunk has far fewer
/// than 2^24 buckets). About eight grams share a bucket; their marks tell them apart, so a
/// query reads the names of its own gram (and of one in 32 others), not of the bucket's other
/// seven. One byte a posting: 16 bits would add another 15 bytes a record for 3 % fewer reads.
fn mark(gram: Gram) -> u8 {
    (spread(gram) >> 56) as u8
}

/// Term numbers in a bucket: 16 bits where the chunk's distinct names allow.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
enum Postings {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Default for Postings {
    fn default() -> Self {
        Postings::Narrow(vec![])
    }
}

/// Where a term's folded text is: in the chunk's own text when folding leaves a name as written
/// (most Chinese names), else in the index's `folded`.
const IN_CHUNK: u32 = 1 << 31;

/// A chunk's names, deduplicated and indexed by gram.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ChunkNames {
    /// Folded names that differ from the name as written, concatenated.
    folded: String,
    /// Each term's text: `(start, len)` in `folded`, or in the chunk's text with `IN_CHUNK` set.
    #[serde(deserialize_with = "super::checkpoint::exact")]
    terms: Vec<(u32, u32)>,
    /// The records carrying each term: `owners[owner_at[t]..owner_at[t + 1]]`, each
    /// `position << 8 | field`.
    #[serde(deserialize_with = "super::checkpoint::exact")]
    owner_at: Vec<u32>,
    #[serde(deserialize_with = "super::checkpoint::exact")]
    owners: Vec<u32>,
    /// Bucket `b` lists terms `postings[bucket_at[b]..bucket_at[b + 1]]`.
    #[serde(deserialize_with = "super::checkpoint::exact")]
    bucket_at: Vec<u32>,
    postings: Postings,
    /// The mark of the gram each posting stands for (`marks[i]` goes with posting `i`).
    #[serde(deserialize_with = "super::checkpoint::exact")]
    marks: Vec<u8>,
    /// The record kinds present (bit per kind), so a query for one kind skips other chunks.
    pub kinds: u16,
}

impl ChunkNames {
    pub fn build(chunk: &Chunk) -> ChunkNames {
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut folded_names: Vec<String> = vec![];
        // Where each new term can be read in the chunk's text, when folding left it unchanged.
        let mut as_written: Vec<Option<super::chunk::Span>> = vec![];
        let mut carriers: Vec<(u32, u32)> = vec![];
        let mut kinds = 0u16;
        let mut buf = String::new();
        for (i, rec) in chunk.recs.iter().enumerate() {
            // Figures are not found by name: they are reached through what they are about.
            if rec.bits & super::chunk::DELETED != 0 || !rec.kind.is_graph_record() {
                continue;
            }
            kinds |= 1 << (rec.kind as u16);
            let mut names: Vec<(Field, super::chunk::Span)> = vec![(ZH, rec.zh)];
            if !rec.en.is_absent() {
                names.push((EN, rec.en));
            }
            for (a, span) in chunk.aliases.get(i).iter().enumerate().take(253) {
                names.push((2 + a as Field, *span));
            }
            for (field, span) in names {
                let name = chunk.text_of(span);
                fold_into(name, &mut buf);
                if buf.is_empty() {
                    continue;
                }
                let next = terms.len() as u32;
                let t = *terms.entry(buf.clone()).or_insert_with(|| {
                    as_written.push((buf == name).then_some(span));
                    folded_names.push(buf.clone());
                    next
                });
                carriers.push((t, ((i as u32) << 8) | u32::from(field)));
            }
        }
        let mut out = ChunkNames {
            kinds,
            ..ChunkNames::default()
        };
        for (name, written) in folded_names.iter().zip(&as_written) {
            out.terms.push(match written {
                Some(span) => (span.start | IN_CHUNK, span.len),
                None => {
                    let start = out.folded.len() as u32;
                    out.folded.push_str(name);
                    (start, name.len() as u32)
                }
            });
        }
        out.folded.shrink_to_fit();
        carriers.sort_unstable();
        out.owner_at = Vec::with_capacity(folded_names.len() + 1);
        out.owner_at.push(0);
        let mut next = carriers.iter().peekable();
        for t in 0..folded_names.len() as u32 {
            while next.next_if(|(term, _)| *term == t).is_some() {}
            out.owner_at.push((carriers.len() - next.len()) as u32);
        }
        out.owners = carriers.into_iter().map(|(_, o)| o).collect();
        let mut grams = vec![];
        let mut pairs: Vec<(Gram, u32)> = vec![];
        for (t, name) in folded_names.iter().enumerate() {
            grams_of(name, &mut grams);
            pairs.extend(grams.iter().map(|g| (*g, t as u32)));
        }
        // About eight grams per bucket: the bucket table costs half a byte per posting, and
        // a query tests a few more candidates, each one substring search.
        let buckets = (pairs.len() / 8).max(16).next_power_of_two();
        let mask = buckets as u64 - 1;
        let mut by_bucket: Vec<(u32, u8, u32)> = pairs
            .into_iter()
            .map(|(g, t)| (bucket(g, mask) as u32, mark(g), t))
            .collect();
        by_bucket.sort_unstable();
        by_bucket.dedup();
        out.bucket_at = vec![0; buckets + 1];
        for (b, ..) in &by_bucket {
            out.bucket_at[*b as usize + 1] += 1;
        }
        for b in 0..buckets {
            out.bucket_at[b + 1] += out.bucket_at[b];
        }
        out.postings = if folded_names.len() <= usize::from(u16::MAX) {
            Postings::Narrow(by_bucket.iter().map(|(.., t)| *t as u16).collect())
        } else {
            Postings::Wide(by_bucket.iter().map(|(.., t)| *t).collect())
        };
        out.marks = by_bucket.iter().map(|(_, m, _)| *m).collect();
        out
    }

    /// The folded text of term `t`; `text` is the chunk's text.
    pub fn term<'a>(&'a self, text: &'a str, t: usize) -> &'a str {
        let (start, len) = self.terms[t];
        let (from, start) = if start & IN_CHUNK != 0 {
            (text, start & !IN_CHUNK)
        } else {
            (self.folded.as_str(), start)
        };
        // Spans were cut from these very texts when the index was built.
        from.get(start as usize..(start + len) as usize)
            .unwrap_or_default()
    }

    /// The records (positions in the chunk) and fields carrying term `t`.
    pub fn owners(&self, t: usize) -> impl Iterator<Item = (usize, Field)> + '_ {
        self.owners[self.owner_at[t] as usize..self.owner_at[t + 1] as usize]
            .iter()
            .map(|o| ((o >> 8) as usize, (o & 0xff) as Field))
    }

    /// Calls `each` with the terms that may contain every gram of `grams` (a superset: those
    /// carrying the mark of the gram with the smallest bucket); with every term when `grams` is
    /// empty.
    pub fn candidates(&self, grams: &[Gram], mut each: impl FnMut(usize)) {
        if self.terms.is_empty() {
            return;
        }
        if grams.is_empty() {
            (0..self.terms.len()).for_each(each);
            return;
        }
        let mask = (self.bucket_at.len() - 2) as u64;
        let range = |g: &Gram| {
            let b = bucket(*g, mask);
            self.bucket_at[b] as usize..self.bucket_at[b + 1] as usize
        };
        let Some((gram, smallest)) = grams
            .iter()
            .map(|g| (*g, range(g)))
            .min_by_key(|(_, r)| r.len())
        else {
            return;
        };
        let want = mark(gram);
        let marked = self.marks[smallest.clone()]
            .iter()
            .enumerate()
            .filter(|(_, m)| **m == want)
            .map(|(i, _)| smallest.start + i);
        match &self.postings {
            Postings::Narrow(p) => marked.for_each(|i| each(usize::from(p[i]))),
            Postings::Wide(p) => marked.for_each(|i| each(p[i] as usize)),
        }
    }
}

impl ChunkNames {
    /// Gives back what its vectors hold beyond their length.
    pub fn shrink(&mut self) {
        self.folded.shrink_to_fit();
        self.terms.shrink_to_fit();
        self.owner_at.shrink_to_fit();
        self.owners.shrink_to_fit();
        self.bucket_at.shrink_to_fit();
        self.marks.shrink_to_fit();
        match &mut self.postings {
            Postings::Narrow(p) => p.shrink_to_fit(),
            Postings::Wide(p) => p.shrink_to_fit(),
        }
    }

    /// Bytes held: folded names, carriers, buckets, postings and their marks.
    pub fn footprint(&self) -> usize {
        let postings = match &self.postings {
            Postings::Narrow(p) => p.capacity() * 2,
            Postings::Wide(p) => p.capacity() * 4,
        };
        self.folded.capacity()
            + self.terms.capacity() * 8
            + (self.owner_at.capacity() + self.owners.capacity() + self.bucket_at.capacity()) * 4
            + self.marks.capacity()
            + postings
    }
}
