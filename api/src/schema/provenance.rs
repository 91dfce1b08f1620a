//! Provenance: citations (a verbatim quote with its offsets, or a curator's note) and mentions
//! (where a name occurs in a source).
use async_graphql::{Context, ID, Object};
use entity::ids::{Kind, public_id};
use entity::{citation, mention};

use super::common::{index, loaders};
use super::source::Source;
use crate::error::{Res, db};

/// Evidence for a record or one of its relations: a verbatim quote from a source with its
/// character offsets (引文), or, for plain administrative hierarchy, a curator's note.
pub struct Citation(pub citation::Model);

/// Evidence for a record or one of its relations: a verbatim quote from a source with its
/// character offsets (引文), or, for plain administrative hierarchy, a curator's note.
#[Object]
impl Citation {
    /// The quote, verbatim from the source; null for a note.
    async fn quote(&self) -> Option<&str> {
        self.0.quote.as_deref()
    }
    /// Offset of the quote's first character in the source text (Unicode code points).
    async fn start(&self) -> Option<i32> {
        self.0.start_offset
    }
    /// Offset just past the quote's last character (Unicode code points).
    async fn end(&self) -> Option<i32> {
        self.0.end_offset
    }
    /// The source the quote comes from; null for a note.
    async fn source(&self, ctx: &Context<'_>) -> Res<Option<Source>> {
        let Some(slug) = &self.0.source else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .sources
            .load_one(slug.clone())
            .await
            .map_err(db)?
            .map(Source))
    }
    /// For records from a partner feed: the external page the quote comes from (not a Baygraph source).
    async fn source_url(&self) -> Option<&str> {
        self.0.source_url.as_deref()
    }
    /// A curator's note instead of a quote: the relation is administrative fact, not stated in the sources.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The relation this citation evidences (`parent`, `zone`, `party` …); null for the record itself.
    async fn relation(&self) -> Option<&str> {
        self.0.relation.as_deref()
    }
    /// The ID of the record at the other end of the relation, if any.
    async fn target_id(&self) -> Option<ID> {
        let (kind, slug) = entity::ids::parse_record_key(self.0.target.as_deref()?)?;
        Some(ID(public_id(kind, slug)))
    }
}

/// An occurrence of a record's name or alias in a source (提及).
pub struct Mention(pub mention::Model);

/// An occurrence of a record's name or alias in a source (提及).
#[Object]
impl Mention {
    /// The source text the name occurs in.
    async fn source(&self, ctx: &Context<'_>) -> Res<Option<Source>> {
        Ok(loaders(ctx)?
            .sources
            .load_one(self.0.source.clone())
            .await
            .map_err(db)?
            .map(Source))
    }
    /// Offset of the first character (Unicode code points).
    async fn start(&self) -> i32 {
        self.0.start_offset
    }
    /// Offset just past the last character.
    async fn end(&self) -> i32 {
        self.0.end_offset
    }
    /// The surface form found (the name or one of its aliases).
    async fn surface(&self) -> &str {
        &self.0.surface
    }
    /// The ID of the record mentioned.
    async fn entity_id(&self) -> Option<ID> {
        Some(ID(public_id(
            Kind::parse(&self.0.entity_kind)?,
            &self.0.entity_slug,
        )))
    }
}

/// Citations of the record itself (not of its relations).
pub async fn own_citations(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Vec<Citation>> {
    relation_citations(ctx, kind, slug, |c| c.relation.is_none()).await
}

/// Citations of a record matching `pick` (for example those of one relation).
pub async fn relation_citations(
    ctx: &Context<'_>,
    kind: Kind,
    slug: &str,
    pick: impl Fn(&citation::Model) -> bool,
) -> Res<Vec<Citation>> {
    let rows = loaders(ctx)?
        .citations
        .load_one((kind.as_str().to_owned(), slug.to_owned()))
        .await
        .map_err(db)?
        .unwrap_or_default();
    Ok(rows.into_iter().filter(|c| pick(c)).map(Citation).collect())
}

/// Where a record's names occur in the sources.
pub async fn mentions(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Vec<Mention>> {
    Ok(loaders(ctx)?
        .mentions
        .load_one((kind.as_str().to_owned(), slug.to_owned()))
        .await
        .map_err(db)?
        .unwrap_or_default()
        .into_iter()
        .map(Mention)
        .collect())
}

/// Other surface forms of a record's name found in the sources.
pub fn aliases(ctx: &Context<'_>, kind: Kind, slug: &str) -> Res<Vec<String>> {
    Ok(index(ctx)?
        .entry(&(kind, slug.to_owned()))
        .map(|e| e.aliases.clone())
        .unwrap_or_default())
}
