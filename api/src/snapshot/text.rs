//! Text helpers of the read model: name folding for matching, and character offsets (what the
//! API publishes) turned into byte offsets (what slicing needs) without walking whole texts.
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// NFKC, lowercase, and only letters and digits: "Knowledge-City" and "ｋｎｏｗｌｅｄｇｅ city"
/// fold alike.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] into a reused buffer.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() && !b.is_ascii_uppercase())
    {
        out.push_str(s);
        return;
    }
    // Text already in NFKC (ASCII, and nearly every Chinese name: the quick check is a table
    // lookup per character) folds without being normalised again, which is the same text:
    // normalising every name was half the time spent building a chunk's name index.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        out.extend(
            s.chars()
                .flat_map(char::to_lowercase)
                .filter(|c| c.is_alphanumeric()),
        );
        return;
    }
    out.extend(
        s.nfkc()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric()),
    );
}

/// Lowercase words of a name (for English word and word-prefix matching).
pub fn words(s: &str) -> Vec<String> {
    s.nfkc()
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Byte offsets of every 64th character of a text, so a character offset becomes a byte offset
/// after at most 63 steps.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CharIndex(Vec<u32>);

const EVERY: usize = 64;

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut at: Vec<u32> = text
            .char_indices()
            .step_by(EVERY)
            .map(|(b, _)| b as u32)
            .collect();
        // The end of a text whose length is a multiple of EVERY needs an entry of its own.
        if text.chars().count().is_multiple_of(EVERY) {
            at.push(text.len() as u32);
        }
        CharIndex(at)
    }

    /// The byte offset of character `char` of `text` (the text this index was built from);
    /// the text's length for the offset just past its end, `None` beyond.
    pub fn byte(&self, text: &str, char: u32) -> Option<usize> {
        let char = char as usize;
        let from = *self.0.get(char / EVERY)? as usize;
        advance(text, from, char % EVERY)
    }
}

impl CharIndex {
    pub fn footprint(&self) -> usize {
        self.0.capacity() * 4
    }

    /// Characters `start..end` of `text`.
    pub fn slice<'t>(&self, text: &'t str, start: u32, end: u32) -> Option<&'t str> {
        let from = self.byte(text, start)?;
        let to = advance(text, from, end.checked_sub(start)? as usize)?;
        text.get(from..to)
    }
}

/// The byte offset just past `chars` characters of `text` from byte `from` (a character
/// boundary). Counts the bytes that start a character instead of decoding each one: a cold
/// build turns every citation's and mention's offsets into bytes this way (5 % of its CPU at
/// 462k records when it decoded them).
pub fn advance(text: &str, from: usize, chars: usize) -> Option<usize> {
    if !text.is_char_boundary(from) {
        return None;
    }
    let mut seen = 0;
    for (i, b) in text.as_bytes()[from..].iter().enumerate() {
        // Continuation bytes are 0b10xx_xxxx; every other byte starts a character.
        if b & 0xC0 != 0x80 {
            if seen == chars {
                return Some(from + i);
            }
            seen += 1;
        }
    }
    (seen == chars).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_width_case_and_punctuation() {
        assert_eq!(fold("Knowledge-City"), "knowledgecity");
        assert_eq!(fold("ＫＮＯＷＬＥＤＧＥ city"), "knowledgecity");
        assert_eq!(fold("中新广州知识城"), "中新广州知识城");
        assert_eq!(fold("abc123"), "abc123");
    }

    #[test]
    fn advancing_counts_characters_of_any_width() {
        let text = "a广州𝔸b\u{301}é南沙";
        // What `advance` must give: the byte offset of the `chars`-th character from `from`,
        // the text's length just past its end, nothing beyond.
        let reference = |from: usize, chars: usize| {
            let tail = text.get(from..)?;
            match tail.char_indices().nth(chars) {
                Some((b, _)) => Some(from + b),
                None if tail.chars().count() == chars => Some(text.len()),
                None => None,
            }
        };
        for from in 0..=text.len() + 1 {
            for chars in 0..12 {
                assert_eq!(
                    advance(text, from, chars),
                    reference(from, chars),
                    "{from} {chars}"
                );
            }
        }
    }

    #[test]
    fn character_offsets_become_byte_offsets() {
        let text: String = "广州a".repeat(100);
        let index = CharIndex::new(&text);
        for c in [0u32, 1, 2, 63, 64, 65, 200, 299] {
            let expect = text.char_indices().nth(c as usize).map(|(b, _)| b);
            assert_eq!(index.byte(&text, c), expect, "char {c}");
        }
        assert_eq!(index.byte(&text, 300), Some(text.len()));
        assert_eq!(index.byte(&text, 301), None);
        let even: String = "港".repeat(128);
        assert_eq!(CharIndex::new(&even).byte(&even, 128), Some(even.len()));
    }
}
