//! Provenance: citations (a verbatim quote with its offsets, or a curator's note) and mentions
//! (where a name occurs in a source), read from the snapshot.
use async_graphql::{Context, ID, Object};

use super::common::snap;
use super::source::Source;
use crate::error::Res;
use crate::snapshot::{CiteRef, Id, Snapshot};

/// Evidence for a record or one of its relations: a verbatim quote from a source with its
/// character offsets (引文), or, for plain administrative hierarchy, a curator's note.
pub struct Citation {
    quote: Option<String>,
    start: Option<i32>,
    end: Option<i32>,
    source: Option<Id>,
    source_url: Option<String>,
    note: Option<String>,
    relation: Option<String>,
    target: Option<String>,
}

impl Citation {
    fn of(snap: &Snapshot, c: CiteRef<'_>) -> Citation {
        Citation {
            quote: c.quote().map(str::to_owned),
            start: c.start(),
            end: c.end(),
            source: c.source(),
            source_url: c.source_url().map(str::to_owned),
            note: c.note().map(str::to_owned),
            relation: c.relation().map(str::to_owned),
            target: c.target().map(|t| snap.rec(t).public_id()),
        }
    }
}

/// Evidence for a record or one of its relations: a verbatim quote from a source with its
/// character offsets (引文), or, for plain administrative hierarchy, a curator's note.
#[Object]
impl Citation {
    /// The quote, verbatim from the source; null for a note.
    async fn quote(&self) -> Option<&str> {
        self.quote.as_deref()
    }
    /// Offset of the quote's first character in the source text (Unicode code points).
    async fn start(&self) -> Option<i32> {
        self.start
    }
    /// Offset just past the quote's last character (Unicode code points).
    async fn end(&self) -> Option<i32> {
        self.end
    }
    /// The source the quote comes from; null for a note.
    async fn source(&self) -> Option<Source> {
        self.source.map(Source::new)
    }
    /// For records from a partner feed: the external page the quote comes from (not a Baygraph source).
    async fn source_url(&self) -> Option<&str> {
        self.source_url.as_deref()
    }
    /// A curator's note instead of a quote: the relation is administrative fact, not stated in the sources.
    async fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
    /// The relation this citation evidences (`parent`, `zone`, `party` …); null for the record itself.
    async fn relation(&self) -> Option<&str> {
        self.relation.as_deref()
    }
    /// The ID of the record at the other end of the relation, if any.
    async fn target_id(&self) -> Option<ID> {
        self.target.clone().map(ID)
    }
}

/// An occurrence of a record's name or alias in a source (提及).
pub struct Mention {
    source: Id,
    entity: Id,
    start: u32,
    end: u32,
    surface: String,
}

/// An occurrence of a record's name or alias in a source (提及).
#[Object]
impl Mention {
    /// The source text the name occurs in.
    async fn source(&self) -> Option<Source> {
        Some(Source::new(self.source))
    }
    /// Offset of the first character (Unicode code points).
    async fn start(&self) -> i32 {
        self.start as i32
    }
    /// Offset just past the last character.
    async fn end(&self) -> i32 {
        self.end as i32
    }
    /// The surface form found (the name or one of its aliases).
    async fn surface(&self) -> &str {
        &self.surface
    }
    /// The ID of the record mentioned.
    async fn entity_id(&self, ctx: &Context<'_>) -> Res<Option<ID>> {
        Ok(Some(ID(snap(ctx)?.rec(self.entity).public_id())))
    }
}

/// The citations of `id` that `pick` keeps, in stored order.
pub fn citations_where(
    snap: &Snapshot,
    id: Id,
    pick: impl Fn(&CiteRef<'_>) -> bool,
) -> Vec<Citation> {
    snap.rec(id)
        .cites()
        .filter(|c| pick(c))
        .map(|c| Citation::of(snap, c))
        .collect()
}

/// The quotes that state the record `id` itself (not one of its relations).
pub fn own_citations(ctx: &Context<'_>, id: Id) -> Res<Vec<Citation>> {
    Ok(citations_where(&*snap(ctx)?, id, |c| {
        c.relation().is_none()
    }))
}

/// The citations of one relation of `id` (`zone`, `parent` …).
pub fn relation_citations(ctx: &Context<'_>, id: Id, relations: &[&str]) -> Res<Vec<Citation>> {
    Ok(citations_where(&*snap(ctx)?, id, |c| {
        c.relation().is_some_and(|r| relations.contains(&r))
    }))
}

/// Where a record's names occur in the sources (for a source: every name in it), by source and
/// position.
pub fn mentions_of(ctx: &Context<'_>, id: Id) -> Res<Vec<Mention>> {
    let snap = snap(ctx)?;
    let is_source = snap.rec(id).kind() == entity::ids::Kind::Source;
    let mut out: Vec<Mention> = snap
        .rec(id)
        .mentions()
        .map(|m| Mention {
            source: m.source(),
            entity: if is_source { m.other() } else { id },
            start: m.start(),
            end: m.end(),
            surface: m.surface().to_owned(),
        })
        .collect();
    out.sort_by(|a, b| {
        (snap.rec(a.source).slug(), a.start, a.end).cmp(&(
            snap.rec(b.source).slug(),
            b.start,
            b.end,
        ))
    });
    Ok(out)
}
