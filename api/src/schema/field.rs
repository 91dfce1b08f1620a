//! A field's body for each value a record holds itself (see `object_fields!`): every type that
//! shows a record's kind, date, names or texts reads them through these, so a row names the
//! value and its type, not the read.
use async_graphql::{Context, ID};
use entity::vocab::Vocabulary;

use super::common::{Lang, pick, required, snap};
use crate::error::Res;
use crate::snapshot::Id;

/// The record's stable, opaque ID.
pub fn id(ctx: &Context<'_>, id: Id) -> Res<ID> {
    Ok(ID(snap(ctx)?.rec(id).public_id()))
}

/// The record's seed slug.
pub fn slug(ctx: &Context<'_>, id: Id) -> Res<String> {
    Ok(snap(ctx)?.rec(id).slug().to_owned())
}

/// When the record last changed, RFC 3339 in UTC.
pub fn updated_at(ctx: &Context<'_>, id: Id) -> Res<String> {
    let nanos = snap(ctx)?.rec(id).updated_at();
    Ok(chrono::DateTime::from_timestamp_nanos(nanos).to_rfc3339())
}

/// The Chinese name (a source's or document's title, a figure's measure).
pub fn name_zh(ctx: &Context<'_>, id: Id) -> Res<String> {
    Ok(snap(ctx)?.rec(id).name_zh().to_owned())
}

/// The curated English name, where there is one.
pub fn name_en(ctx: &Context<'_>, id: Id) -> Res<Option<String>> {
    Ok(snap(ctx)?.rec(id).name_en().map(str::to_owned))
}

/// The name in `lang`, falling back to Chinese.
pub fn name(lang: Lang) -> impl FnOnce(&Context<'_>, Id) -> Res<String> {
    move |ctx, id| {
        let s = snap(ctx)?;
        let r = s.rec(id);
        Ok(pick(r.name_zh(), r.name_en(), lang))
    }
}

/// The record's own kind, which every record of a kind with kinds has.
pub fn kind<V: Vocabulary>(ctx: &Context<'_>, id: Id) -> Res<V> {
    required(snap(ctx)?.rec(id).sub())
}

/// A platform's level or a project's status, where stated.
pub fn tag<V: Vocabulary>(ctx: &Context<'_>, id: Id) -> Res<Option<V>> {
    Ok(snap(ctx)?.rec(id).tag())
}

/// A platform's area or a figure's value, where stated.
pub fn number(ctx: &Context<'_>, id: Id) -> Res<Option<f64>> {
    Ok(snap(ctx)?.rec(id).number())
}

/// A figure's year, where stated.
pub fn year(ctx: &Context<'_>, id: Id) -> Res<Option<i32>> {
    Ok(snap(ctx)?.rec(id).year())
}

/// A partnership's `descriptiveName`, a figure's `isTarget`.
pub fn flag(ctx: &Context<'_>, id: Id) -> Res<bool> {
    Ok(snap(ctx)?.rec(id).flag())
}

/// The stated date (YYYY, YYYY-MM or YYYY-MM-DD), where there is one.
pub fn date(ctx: &Context<'_>, id: Id) -> Res<Option<String>> {
    Ok(snap(ctx)?.rec(id).date().map(str::to_owned))
}

/// One of the record's kind-specific texts, where it has it.
pub fn extra(field: &'static str) -> impl FnOnce(&Context<'_>, Id) -> Res<Option<String>> {
    move |ctx, id| Ok(snap(ctx)?.rec(id).extra(field).map(str::to_owned))
}

/// A kind-specific text every record of the kind has (the migration makes its column NOT NULL),
/// so a record without it is a bug, logged and answered as an internal error.
pub fn text(field: &'static str) -> impl FnOnce(&Context<'_>, Id) -> Res<String> {
    move |ctx, id| {
        let s = snap(ctx)?;
        let r = s.rec(id);
        r.extra(field).map(str::to_owned).ok_or_else(|| {
            tracing::error!(kind = %r.kind(), field, "a record without a required text");
            crate::error::internal()
        })
    }
}
