//! Root lists with filters. Each filter argument that names records (a zone, a party, a
//! sector, a name) narrows the list to a candidate set read from links or the name index, so
//! the list costs what its candidates cost; the rest (kinds, levels, dates) is a test on each
//! candidate. Without any narrowing argument the list walks the kind's order and stops when the
//! page is full.
use async_graphql::{Context, ID, OutputType};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::Vocabulary;

use super::common::{OrderBy, dated_within, find_id, snap};
use super::page::{Conn, PageArgs, paginate, walk};
use crate::error::Res;
use crate::snapshot::{Dir, Id, RecRef, Snapshot};

/// The records a filter allows so far: every record of the kind, or a candidate set.
pub struct Candidates(Option<Vec<Id>>);

impl Candidates {
    pub fn all() -> Candidates {
        Candidates(None)
    }

    /// Keeps only `ids` (sorted and deduplicated here).
    pub fn and(&mut self, ids: impl IntoIterator<Item = Id>) {
        let mut ids: Vec<Id> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        self.0 = Some(match self.0.take() {
            None => ids,
            Some(had) => had
                .into_iter()
                .filter(|id| ids.binary_search(id).is_ok())
                .collect(),
        });
    }

    /// Keeps the records whose name contains `name` (when given and not blank).
    pub fn named(&mut self, snap: &Snapshot, kind: Kind, name: &Option<String>) {
        if let Some(needle) = name
            .as_deref()
            .filter(|n| !crate::snapshot::fold(n).is_empty())
        {
            self.and(snap.containing(kind, needle));
        }
    }

    /// Keeps the records linked to the record `id` names (of `kinds`) by any of `relations`, read
    /// from that record's side in `dir`. An ID naming no record keeps nothing.
    pub fn linked(
        &mut self,
        snap: &Snapshot,
        id: &Option<ID>,
        kinds: &[Kind],
        relations: &[Relation],
        dir: Dir,
    ) -> Res<()> {
        if let Some(id) = id {
            let found = find_id(snap, id, kinds)?;
            self.and(found.into_iter().flat_map(|r| {
                let r = snap.rec(r);
                relations.iter().flat_map(move |rel| r.targets(*rel, dir))
            }));
        }
        Ok(())
    }

    /// Keeps the records `relation` places in the zone `id` names or in any zone below it.
    pub fn in_zone(&mut self, snap: &Snapshot, id: &Option<ID>, relation: Relation) -> Res<()> {
        self.tied_below(snap, id, Relation::ZoneParent, relation)
    }

    /// Keeps the records in the sector `id` names or in any sector below it (a 生物医药 filter
    /// finds 生物制药), through `relation` (a kind's sector relation).
    pub fn in_sector(&mut self, snap: &Snapshot, id: &Option<ID>, relation: Relation) -> Res<()> {
        self.tied_below(snap, id, Relation::SectorBroader, relation)
    }

    /// Keeps the records `relation` ties to the record `id` names or to any record below it in
    /// the hierarchy `up`.
    fn tied_below(
        &mut self,
        snap: &Snapshot,
        id: &Option<ID>,
        up: Relation,
        relation: Relation,
    ) -> Res<()> {
        if let Some(id) = id {
            let roots = under(snap, id, up, true)?;
            self.and(
                roots
                    .iter()
                    .flat_map(|r| snap.rec(*r).targets(relation, Dir::In)),
            );
        }
        Ok(())
    }
}

/// The zone `id` names and every zone below it; empty when no zone has that ID.
pub fn zone_subtree(snap: &Snapshot, zone: Id) -> Vec<Id> {
    subtree(snap, zone, Relation::ZoneParent)
}

/// `root` and every record below it in the hierarchy `up` (a zone's parent, a sector's
/// broader sector), each once.
pub fn subtree(snap: &Snapshot, root: Id, up: Relation) -> Vec<Id> {
    let mut out = vec![];
    let mut todo = vec![root];
    while let Some(r) = todo.pop() {
        if !out.contains(&r) {
            out.push(r);
            todo.extend(snap.rec(r).targets(up, Dir::In));
        }
    }
    out
}

/// The zones below the zone `id` names (and it, with `include_self`).
pub fn zones_under(snap: &Snapshot, id: &ID, include_self: bool) -> Res<Vec<Id>> {
    under(snap, id, Relation::ZoneParent, include_self)
}

/// The records below the one `id` names in the hierarchy `up` (a zone's parent, a sector's
/// broader sector), and it with `include_self`; empty when no record of the hierarchy's kind
/// has that ID.
pub fn under(snap: &Snapshot, id: &ID, up: Relation, include_self: bool) -> Res<Vec<Id>> {
    let Some(root) = find_id(snap, id, &[up.def().from])? else {
        return Ok(vec![]);
    };
    let mut below = subtree(snap, root, up);
    if !include_self {
        below.retain(|r| *r != root);
    }
    Ok(below)
}

/// The records `relation` places in any of `zones`.
pub fn in_zones(snap: &Snapshot, zones: &[Id], relation: Relation) -> Vec<Id> {
    zones
        .iter()
        .flat_map(|z| snap.rec(*z).targets(relation, Dir::In))
        .collect()
}

/// True when no values are given, or the record's value is one of them.
pub fn any_of<V: Vocabulary>(allowed: &Option<Vec<V>>, value: Option<V>) -> bool {
    match allowed {
        None => true,
        Some(a) => value.is_some_and(|v| a.contains(&v)),
    }
}

/// A test every record of a root list passes (its own kind, level, status or date).
pub type Test<'f> = Box<dyn Fn(RecRef<'_>) -> bool + 'f>;

/// `keep` when the filter `asked` for a test; with none the list needs not read each record.
pub fn test<'f>(asked: bool, keep: impl Fn(RecRef<'_>) -> bool + 'f) -> Option<Test<'f>> {
    asked.then(|| Box::new(keep) as Test<'f>)
}

/// The test of a list filtered by its records' `kinds` only (zones, organizations).
pub fn of_kinds<'f, V: Vocabulary + 'f>(kinds: &'f Option<Vec<V>>) -> Option<Test<'f>> {
    test(kinds.is_some(), move |r: RecRef<'_>| any_of(kinds, r.sub()))
}

/// The test of a dated kind's list (documents, partnerships): its `kinds` and its date range.
pub fn kind_and_date<'f, V: Vocabulary + 'f>(
    kinds: &'f Option<Vec<V>>,
    from: Option<&'f str>,
    to: Option<&'f str>,
) -> Option<Test<'f>> {
    let keep = move |r: RecRef<'_>| any_of(kinds, r.sub()) && dated_within(r.date(), from, to);
    test(kinds.is_some() || from.is_some() || to.is_some(), keep)
}

/// The test of a list whose records have a tag (platforms, projects): its `kinds` and its `tags`
/// (a platform's levels, a project's statuses).
pub fn kind_and_tag<'f, K: Vocabulary + 'f, T: Vocabulary + 'f>(
    kinds: &'f Option<Vec<K>>,
    tags: &'f Option<Vec<T>>,
) -> Option<Test<'f>> {
    let keep = move |r: RecRef<'_>| any_of(kinds, r.sub()) && any_of(tags, r.tag());
    test(kinds.is_some() || tags.is_some(), keep)
}

/// A root list's `filter` argument, declared with its list by `list_query!`.
pub trait ListFilter: Default {
    /// The kind the list holds.
    const KIND: Kind;

    /// Narrows `candidates` by the arguments that name records (a zone, a party, a name), and
    /// gives the test the other arguments make of each record.
    fn select(&self, s: &Snapshot, candidates: &mut Candidates) -> Res<Option<Test<'_>>>;
}

/// A root list's body (see `object_fields!`): the records `filter` selects (without a filter,
/// every record of its kind), one page in the requested order.
pub fn filtered<S, F: ListFilter, T: OutputType>(
    filter: Option<F>,
    wrap: fn(Id) -> T,
) -> impl FnOnce(&Context<'_>, &S, Option<OrderBy>, PageArgs<'_>) -> Res<Conn<T>> {
    move |ctx, _, order_by, page| {
        let f = filter.unwrap_or_default(); // no filter: no condition
        let mut candidates = Candidates::all();
        let keep = f.select(&*snap(ctx)?, &mut candidates)?;
        list_kind(
            ctx,
            F::KIND,
            candidates,
            keep.as_deref(),
            order_by,
            page,
            wrap,
        )
    }
}

/// One page of a root list: the candidates (or the whole kind) that pass `keep`.
pub fn list_kind<T: OutputType>(
    ctx: &Context<'_>,
    kind: Kind,
    candidates: Candidates,
    keep: Option<&dyn Fn(RecRef<'_>) -> bool>,
    order_by: Option<OrderBy>,
    args: PageArgs<'_>,
    wrap: fn(Id) -> T,
) -> Res<Conn<T>> {
    let s = snap(ctx)?;
    let order = order_by.unwrap_or_default(); // by Chinese name, as documented
    let page = match candidates.0 {
        Some(ids) => {
            let passing = ids
                .into_iter()
                .filter(|id| {
                    let r = s.rec(*id);
                    r.is_live() && r.kind() == kind && keep.is_none_or(|k| k(r))
                })
                .collect();
            paginate(&s, passing, order, args)?
        }
        None => {
            let want_total = ctx.look_ahead().field("totalCount").exists();
            walk(&s, kind, keep, order, args, want_total)?
        }
    };
    Conn::of_page(ctx, &s, page, &order, wrap)
}
