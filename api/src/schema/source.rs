//! `Source`: a source document every fact is quoted from (来源).
use entity::ids::Kind;

use super::field;
use super::provenance::{Mention, mentions_of};
use super::record::{list_query, record_type};

record_type! {
    /// A source document: a news article or policy notice, kept byte for byte.
    Source = SourceFields {
        fields {
            /// The title as published (标题).
            title_zh -> String = field::name_zh;
            /// The publisher or outlet.
            publisher -> String = field::text("publisher");
            /// The reporter, where named.
            reporter -> Option<String> = field::extra("reporter");
            /// The original publication's address, where the received text states it; null otherwise,
            /// with the reason in `urlNote`.
            url -> Option<String> = field::extra("url");
            /// Why `url` is null (e.g. the received text states no address).
            url_note -> Option<String> = field::extra("url_note");
            /// The publication date as stated (YYYY, YYYY-MM or YYYY-MM-DD).
            date -> Option<String> = field::date;
            /// How the date was established when it is inferred, with the sentence that implies it.
            date_note -> Option<String> = field::extra("date_note");
            /// The file name the document was received under.
            original_file -> String = field::text("original_file");
            /// SHA-256 of the text, hex.
            sha256 -> String = field::text("sha256");
            /// The full text, byte for byte; citation and mention offsets count its characters.
            text -> String = field::text("body");
            /// Every occurrence of a record's name in this source, in text order.
            mentions -> Vec<Mention> = mentions_of;
        }
    }
}

list_query! {
    /// Which sources to list.
    SourceFilter of Kind::Source {
        /// Only sources whose title contains this text.
        title: String,
    }
    select(f, s, candidates) {
        candidates.named(s, Self::KIND, &f.title);
        Ok(None)
    }
    SourceQuery {
        /// Source documents; at most 100 per page.
        sources("Which records to include.") -> Source;
        /// One source by slug.
        source;
    }
}
