//! `Document`: a policy document (政策文件, a 《…》 title) and the partnerships it establishes.
use async_graphql::ID;
use entity::ids::Kind;
use entity::relation::Relation;
use entity::vocab::DocumentKind;

use super::field;
use super::filter::kind_and_date;
use super::organization::Organization;
use super::record::{list_query, one, record_type};
use super::zone::Zone;
use crate::snapshot::Dir;

record_type! {
    /// A policy document: plan, action plan, agreement, measures, notice (政策文件).
    Document = Named + DocumentFields {
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

list_query! {
    /// Which documents to list.
    DocumentFilter of Kind::Document {
        /// Only these kinds.
        kinds: Vec<DocumentKind>,
        /// Only documents issued by this zone or organization.
        issuer: ID,
        /// Only documents dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD; undated ones are excluded).
        date_from: String,
        /// Only documents dated on or before this (undated ones are excluded).
        date_to: String,
        /// Only documents whose title contains this text (Chinese, English or an alias).
        name: String,
    }
    select(f, s, candidates) {
        // Documents issued by the zone or organization: either issuer relation.
        let issuers = [Kind::Zone, Kind::Organization];
        let issued_by = [
            Relation::DocumentIssuerZone,
            Relation::DocumentIssuerOrganization,
        ];
        candidates.linked(s, &f.issuer, &issuers, &issued_by, Dir::In)?;
        candidates.named(s, Self::KIND, &f.name);
        let (from, to) = (f.date_from.as_deref(), f.date_to.as_deref());
        Ok(kind_and_date(&f.kinds, from, to))
    }
    DocumentQuery {
        /// Policy documents (政策文件); at most 100 per page.
        documents("Which documents to include.") -> Document;
        /// One policy document by slug.
        document;
    }
}
