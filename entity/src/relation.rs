//! Every relation between records, declared once: its name, its ends, where it is stored, the
//! seed field (and `citations.relation`) that states it, the GraphQL fields that follow it both
//! ways and the edge kind graph queries draw it as. The API's read model, the graph queries and
//! the explorer's labels read this table instead of naming relations themselves.
use crate::ids::Kind;
use crate::vocab::EdgeKind;

/// Where a relation is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A nullable column of the `from` record's table naming the target's slug.
    Column(&'static str),
    /// A junction table: `(table, owner column, target column, role column)`; the role, when
    /// the table has one, is a value of the relation's role vocabulary.
    Junction(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    ),
    /// `partnership_parties`: one row per party, with a role, an order and exactly one of
    /// `zone`, `platform`, `organization` set.
    Parties,
    /// `metrics`: exactly one of `zone`, `platform`, `project`, `partnership` set.
    Subject,
}

/// One relation: `from` → one of `to`.
#[derive(Clone, Copy, Debug)]
pub struct RelationDef {
    pub relation: Relation,
    pub from: Kind,
    pub to: &'static [Kind],
    pub storage: Storage,
    /// The seed field stating it, also `citations.relation` of its evidence (`zone`, `party` …).
    pub field: &'static str,
    /// The GraphQL field following it from `from` (`Platform.zone`).
    pub forward: &'static str,
    /// The GraphQL field following it back from each of `to` (`Zone.platforms`), if any, as
    /// its Rust name. Declared `inverse (linked name "description")`, the API derives the field
    /// (a connection of the `from` records, in every `to` type); `inverse (by_hand name)` is a
    /// field the `to` types write themselves (it takes arguments of its own or shows more).
    pub inverse: Option<&'static str>,
    /// How graph queries draw it; `None` for relations they do not walk (a metric's subject).
    pub edge: Option<EdgeKind>,
}

macro_rules! relations {
    (@inverse (None)) => { None };
    (@inverse ($how:ident $inverse:ident $($doc:literal)?)) => { Some(stringify!($inverse)) };
    ($d:tt $( $(#[doc = $doc:literal])* $name:ident: $from:ident -> [$($to:ident),+] $storage:expr,
        field $field:literal, forward $fwd:literal, inverse $inv:tt, edge $edge:expr; )*) => {
        /// A relation between records (see [`RelationDef`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Relation {
            $( $(#[doc = $doc])* $name, )*
        }

        /// Every relation, in `Relation` order.
        pub const RELATIONS: &[RelationDef] = &[$(
            RelationDef {
                relation: Relation::$name,
                from: Kind::$from,
                to: &[$(Kind::$to),+],
                storage: $storage,
                field: $field,
                forward: $fwd,
                inverse: relations!(@inverse $inv),
                edge: $edge,
            },
        )*];

        /// `for_each_relation_end!(path::to::callback! { args })`: `callback! { args From Relation To
        /// (inverse); … }`, one row per relation and target kind, `(inverse)` as the table
        /// declares it — for code that derives the fields following relations back.
        #[macro_export]
        macro_rules! for_each_relation_end {
            ($d($d callback:ident)::+! { $d($d args:tt)* }) => {
                $d($d callback)::+! { $d($d args)* $($( $from $name $to $inv; )+)* }
            };
        }
    };
}

relations! { $
    /// A zone lies in its parent zone.
    ZoneParent: Zone -> [Zone] Storage::Column("parent"),
        field "parent", forward "parent", inverse (linked children "Zones directly below this one."), edge Some(EdgeKind::Parent);
    /// A platform lies in a zone.
    PlatformZone: Platform -> [Zone] Storage::Column("zone"),
        field "zone", forward "zone", inverse (by_hand platforms), edge Some(EdgeKind::LocatedIn);
    /// A platform is part of a larger platform.
    PlatformParent: Platform -> [Platform] Storage::Column("parent"),
        field "parent", forward "parent", inverse (linked children "The platform's parts (sub-areas, parks inside it)."), edge Some(EdgeKind::PartOf);
    /// A project is hosted by a platform.
    ProjectPlatform: Project -> [Platform] Storage::Column("platform"),
        field "platform", forward "platform", inverse (linked projects "Projects the platform hosts."), edge Some(EdgeKind::HostedBy);
    /// A project lies in a zone.
    ProjectZone: Project -> [Zone] Storage::Column("zone"),
        field "zone", forward "zone", inverse (by_hand projects), edge Some(EdgeKind::LocatedIn);
    /// An organization lies in a zone.
    OrganizationZone: Organization -> [Zone] Storage::Column("zone"),
        field "zone", forward "zone", inverse (None), edge Some(EdgeKind::LocatedIn);
    /// A document is issued by a zone.
    DocumentIssuerZone: Document -> [Zone] Storage::Column("issuer_zone"),
        field "issuer_zone", forward "issuerZone", inverse (None), edge Some(EdgeKind::IssuedBy);
    /// A document is issued by an organization.
    DocumentIssuerOrganization: Document -> [Organization] Storage::Column("issuer_organization"),
        field "issuer_organization", forward "issuerOrganization", inverse (None), edge Some(EdgeKind::IssuedBy);
    /// A partnership is established by a policy document.
    PartnershipDocument: Partnership -> [Document] Storage::Column("document"),
        field "document", forward "document", inverse (linked partnerships "Partnerships this document establishes."), edge Some(EdgeKind::EstablishedBy);
    /// A zone, platform or organization is a party to a partnership (with a role).
    PartnershipParty: Partnership -> [Zone, Platform, Organization] Storage::Parties,
        field "party", forward "parties", inverse (linked partnerships "Partnerships this record is a party to."), edge Some(EdgeKind::Party);
    /// A partnership covers a project.
    PartnershipProject: Partnership -> [Project] Storage::Junction("partnership_projects", "partnership", "project", None),
        field "project", forward "projects", inverse (linked partnerships "Partnerships that cover this project."), edge Some(EdgeKind::Covers);
    /// A platform works in a sector.
    PlatformSector: Platform -> [Sector] Storage::Junction("platform_sectors", "platform", "sector", None),
        field "sector", forward "sectors", inverse (linked platforms "Platforms working in this sector."), edge Some(EdgeKind::InSector);
    /// A project works in a sector.
    ProjectSector: Project -> [Sector] Storage::Junction("project_sectors", "project", "sector", None),
        field "sector", forward "sectors", inverse (linked projects "Projects working in this sector."), edge Some(EdgeKind::InSector);
    /// A partnership covers a sector.
    PartnershipSector: Partnership -> [Sector] Storage::Junction("partnership_sectors", "partnership", "sector", None),
        field "sector", forward "sectors", inverse (linked partnerships "Partnerships covering this sector."), edge Some(EdgeKind::InSector);
    /// An organization owns, builds or runs a project (with its role: `ProjectRole`).
    ProjectOrganization: Project -> [Organization] Storage::Junction("project_organizations", "project", "organization", Some("role")),
        field "organization", forward "organizations", inverse (by_hand projects), edge Some(EdgeKind::Involves);
    /// A sector is a branch of a broader sector (生物制药 of 生物医药); a sector filter includes
    /// the sectors below it.
    SectorBroader: Sector -> [Sector] Storage::Column("broader"),
        field "broader", forward "broader", inverse (linked narrower "The sectors that are branches of this one (生物医药: 生物制药, 医药健康)."), edge Some(EdgeKind::Broader);
    /// A figure is about a zone, platform, project or partnership.
    MetricSubject: Metric -> [Zone, Platform, Project, Partnership] Storage::Subject,
        field "subject", forward "subject", inverse (by_hand metrics), edge None;
}

impl Relation {
    /// The relation's declaration.
    pub fn def(self) -> &'static RelationDef {
        &RELATIONS[self as usize]
    }

    /// Every relation.
    pub fn all() -> impl Iterator<Item = Relation> {
        RELATIONS.iter().map(|d| d.relation)
    }

    /// The relations stated by records of `kind`.
    pub fn from_kind(kind: Kind) -> impl Iterator<Item = &'static RelationDef> {
        RELATIONS.iter().filter(move |d| d.from == kind)
    }
}

/// A junction's table and columns (`Storage::Junction`).
#[derive(Clone, Copy, Debug)]
pub struct Junction {
    pub table: &'static str,
    /// The column naming the `from` record.
    pub owner: &'static str,
    /// The column naming the target.
    pub target: &'static str,
    /// The role column, where the junction has one.
    pub role: Option<&'static str>,
}

/// Every junction relation with its table and columns, in `Relation` order.
pub fn junctions() -> impl Iterator<Item = (&'static RelationDef, Junction)> {
    RELATIONS.iter().filter_map(|d| match d.storage {
        Storage::Junction(table, owner, target, role) => Some((
            d,
            Junction {
                table,
                owner,
                target,
                role,
            },
        )),
        _ => None,
    })
}

/// The names citations give the relation they evidence (`citations.relation`): every relation's
/// seed field, and `milestone` for a project's dated events (a test keeps it equal to the table).
pub const EVIDENCE: [&str; 13] = [
    "organization",
    "broader",
    "parent",
    "zone",
    "platform",
    "issuer_zone",
    "issuer_organization",
    "document",
    "party",
    "project",
    "sector",
    "subject",
    "milestone",
];

/// The columns of `metrics` naming a figure's subject, with the subject's kind.
pub const SUBJECT_COLUMNS: [(Kind, &str); 4] = [
    (Kind::Zone, "zone"),
    (Kind::Platform, "platform"),
    (Kind::Project, "project"),
    (Kind::Partnership, "partnership"),
];

/// The columns of `partnership_parties` naming a party, with the party's kind.
pub const PARTY_COLUMNS: [(Kind, &str); 3] = [
    (Kind::Zone, "zone"),
    (Kind::Platform, "platform"),
    (Kind::Organization, "organization"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_names_are_the_relations_fields_and_milestone() {
        let mut fields: Vec<&str> = RELATIONS.iter().map(|d| d.field).collect();
        fields.push("milestone");
        fields.sort_unstable();
        fields.dedup();
        let mut names = EVIDENCE.to_vec();
        names.sort_unstable();
        assert_eq!(fields, names);
    }

    #[test]
    fn the_table_is_in_relation_order() {
        for (i, d) in RELATIONS.iter().enumerate() {
            assert_eq!(d.relation as usize, i);
            assert_eq!(d.relation.def().from, d.from);
        }
    }

    /// Every join the entities' sea-orm relations (`belongs_to!`) make, as `(table, condition)`:
    /// the table the relation is declared on and its `ON` condition as SQLite writes it.
    fn sea_orm_joins() -> Vec<(&'static str, String)> {
        use sea_orm::sea_query::{JoinType, SqliteQueryBuilder};
        use sea_orm::{EntityTrait, Iterable, QuerySelect, QueryTrait, RelationTrait};
        fn of<E: EntityTrait + Default>(joins: &mut Vec<(&'static str, String)>) {
            for relation in E::Relation::iter() {
                let sql = E::find()
                    .join(JoinType::InnerJoin, relation.def())
                    .into_query()
                    .to_string(SqliteQueryBuilder);
                let (_, on) = sql.split_once(" ON ").expect("a join has a condition");
                joins.push((E::default().table_name(), on.to_owned()));
            }
        }
        let mut joins = Vec::new();
        for kind in Kind::ALL {
            with_entity!(kind, E => of::<E>(&mut joins));
        }
        macro_rules! of_row_tables {
            ($($module:ident,)*) => { $(of::<crate::$module::Entity>(&mut joins);)* };
        }
        for_each_row_table!(of_row_tables! {});
        joins
    }

    /// The joins the table's storage implies, as `(table, condition)` (see [`sea_orm_joins`]).
    fn joins_of(d: &RelationDef) -> Vec<(&'static str, String)> {
        let on = |table: &'static str, column: &str, to: Kind| {
            (
                table,
                format!(r#""{table}"."{column}" = "{}"."slug""#, to.table()),
            )
        };
        match d.storage {
            Storage::Column(column) => {
                d.to.iter()
                    .map(|to| on(d.from.table(), column, *to))
                    .collect()
            }
            Storage::Junction(table, owner, target, _) => {
                vec![on(table, owner, d.from), on(table, target, d.to[0])]
            }
            Storage::Parties => std::iter::once(on("partnership_parties", "partnership", d.from))
                .chain(
                    PARTY_COLUMNS
                        .iter()
                        .map(|(kind, column)| on("partnership_parties", column, *kind)),
                )
                .collect(),
            Storage::Subject => SUBJECT_COLUMNS
                .iter()
                .map(|(kind, column)| on(d.from.table(), column, *kind))
                .collect(),
        }
    }

    /// The entities declare, through sea-orm, exactly the joins the table says: a relation row
    /// the entities lack, or an entity's `belongs_to!` between records that has no row, fails
    /// here. (Joins from the tables of rows a record owns — aliases, citations, mentions,
    /// milestones — are not relations between records and have no row.)
    #[test]
    fn the_entities_sea_orm_relations_are_the_tables() {
        let declared = sea_orm_joins();
        let mut expected: Vec<(&str, String)> = RELATIONS.iter().flat_map(joins_of).collect();
        expected.sort();
        expected.dedup();
        for join in &expected {
            assert!(declared.contains(join), "no entity declares {join:?}");
        }
        let between_records = |table: &str| {
            Kind::ALL.iter().any(|k| k.table() == table)
                || RELATIONS.iter().any(|d| match d.storage {
                    Storage::Junction(junction, ..) => junction == table,
                    Storage::Parties => table == "partnership_parties",
                    _ => false,
                })
        };
        let mut unlisted: Vec<_> = declared
            .iter()
            .filter(|(table, _)| between_records(table))
            .filter(|join| !expected.contains(join))
            .collect();
        unlisted.dedup();
        assert!(
            unlisted.is_empty(),
            "relations no row of the table declares: {unlisted:?}"
        );
    }
}
