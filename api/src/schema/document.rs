//! `Document`: a policy document (政策文件, a 《…》 title) and the partnerships it establishes.
use async_graphql::{ID, InputObject};
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::DocumentKind;

use super::common::find_id;
use super::field;
use super::filter::{Candidates, ListFilter, Test, kind_and_date};
use super::organization::Organization;
use super::partnership::Partnership;
use super::record::{linked, list_query, one, record_type};
use super::zone::Zone;
use crate::error::Res;
use crate::snapshot::{Dir, Snapshot};

record_type! {
    /// A policy document: plan, action plan, agreement, measures, notice (政策文件).
    Document = Named + DocumentFields {
        connections {
            /// Partnerships this document establishes.
            partnerships() -> Partnership = linked(Relation::PartnershipDocument, Dir::In, Partnership::new);
        }
        fields {
            /// What sort of document it is.
            kind -> DocumentKind = field::kind;
            /// When it was issued (YYYY, YYYY-MM or YYYY-MM-DD), where stated.
            date -> Option<String> = field::date;
            /// How the date was established when it is inferred rather than stated.
            date_note -> Option<String> = field::extra("date_note");
            /// The zone that issued it, where stated.
            issuer_zone -> Option<Zone> = one(Relation::DocumentIssuerZone, Zone::new);
            /// The organization that issued it, where stated.
            issuer_organization -> Option<Organization> = one(Relation::DocumentIssuerOrganization, Organization::new);
        }
    }
}

/// Which documents to list.
#[derive(InputObject, Default)]
pub struct DocumentFilter {
    /// Only these kinds.
    pub kinds: Option<Vec<DocumentKind>>,
    /// Only documents issued by this zone or organization.
    pub issuer: Option<ID>,
    /// Only documents dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD; undated ones are excluded).
    pub date_from: Option<String>,
    /// Only documents dated on or before this (undated ones are excluded).
    pub date_to: Option<String>,
    /// Only documents whose title contains this text (Chinese, English or an alias).
    pub name: Option<String>,
}

impl ListFilter for DocumentFilter {
    const KIND: Kind = Kind::Document;

    fn select(&self, s: &Snapshot, candidates: &mut Candidates) -> Res<Option<Test<'_>>> {
        if let Some(issuer) = &self.issuer {
            // Documents issued by the zone or organization: either issuer relation.
            let found = find_id(s, issuer, &[Kind::Zone, Kind::Organization])?;
            candidates.and(found.into_iter().flat_map(|i| {
                let r = s.rec(i);
                r.targets(Relation::DocumentIssuerZone, Dir::In)
                    .chain(r.targets(Relation::DocumentIssuerOrganization, Dir::In))
            }));
        }
        candidates.named(s, Self::KIND, &self.name);
        let (from, to) = (self.date_from.as_deref(), self.date_to.as_deref());
        Ok(kind_and_date(&self.kinds, from, to))
    }
}

list_query! {
    DocumentQuery {
        /// Policy documents (政策文件); at most 100 per page.
        documents(DocumentFilter; "Which documents to include.") -> Document;
    }
}
