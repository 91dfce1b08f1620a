//! The initial graph schema: records (sources, zones, platforms, projects, organizations, documents,
//! partnerships, sectors, metrics), their relation rows, provenance (aliases, citations, mentions) and
//! the change log that feeds read (changes, tombstones).
//!
//! Records are keyed by their seed slug, so reloads upsert in place and public IDs stay stable.
//! Relation and provenance rows are keyed by a hash of their content, so a reload only inserts the
//! rows that are new and deletes the rows that are gone.
use sea_orm_migration::prelude::*;

use crate::ddl::index;

crate::ddl::migration!();

/// Column types used by this schema.
#[derive(Clone, Copy)]
enum Ty {
    Text,
    Int,
    BigInt,
    Float,
    Bool,
    Time,
}

/// One column: name, type, and whether it may be NULL.
type Col = (&'static str, Ty, bool);

const REQ: bool = false;
const OPT: bool = true;

/// Columns every record table carries after its own.
const RECORD_TAIL: [Col; 3] = [
    ("origin", Ty::Text, REQ),
    ("content_hash", Ty::Text, REQ),
    ("updated_at", Ty::Time, REQ),
];

/// A foreign key: column, referenced table, whether deleting the parent cascades (else SET NULL).
type Fk = (&'static str, &'static str, bool);

struct TableDef {
    name: &'static str,
    /// The primary key column; `slug` for records, `key` for relation/provenance rows.
    pk: &'static str,
    cols: Vec<Col>,
    fks: Vec<Fk>,
    /// Extra non-unique indexes (columns).
    indexes: Vec<Vec<&'static str>>,
    /// CHECK constraints as SQL that is valid on every supported backend.
    checks: Vec<&'static str>,
}

fn record(name: &'static str, cols: Vec<Col>, fks: Vec<Fk>) -> TableDef {
    let mut all = vec![("slug", Ty::Text, REQ)];
    all.extend(cols);
    all.extend(RECORD_TAIL);
    let indexes = fks.iter().map(|(c, _, _)| vec![*c]).collect();
    TableDef {
        name,
        pk: "slug",
        cols: all,
        fks,
        indexes,
        checks: vec![],
    }
}

fn rows(name: &'static str, cols: Vec<Col>, fks: Vec<Fk>) -> TableDef {
    let mut all = vec![("key", Ty::Text, REQ)];
    all.extend(cols);
    // Rows belong to the origin of the record that owns them (curated seeds or one partner feed).
    all.push(("origin", Ty::Text, REQ));
    let mut indexes: Vec<Vec<&'static str>> = fks.iter().map(|(c, _, _)| vec![*c]).collect();
    indexes.push(vec!["origin"]);
    TableDef {
        name,
        pk: "key",
        cols: all,
        fks,
        indexes,
        checks: vec![],
    }
}

/// Names and bilingual labels shared by most records.
fn named(extra: Vec<Col>) -> Vec<Col> {
    let mut cols = vec![
        ("name_zh", Ty::Text, REQ),
        ("name_en", Ty::Text, OPT),
        ("kind", Ty::Text, REQ),
    ];
    cols.extend(extra);
    cols
}

/// The whole schema, parents before children (the order tables are created in).
fn tables() -> Vec<TableDef> {
    let exactly_one_party = "(CASE WHEN zone IS NULL THEN 0 ELSE 1 END) + (CASE WHEN platform IS NULL THEN 0 ELSE 1 END) + (CASE WHEN organization IS NULL THEN 0 ELSE 1 END) = 1";
    let exactly_one_subject = "(CASE WHEN zone IS NULL THEN 0 ELSE 1 END) + (CASE WHEN platform IS NULL THEN 0 ELSE 1 END) + (CASE WHEN project IS NULL THEN 0 ELSE 1 END) + (CASE WHEN partnership IS NULL THEN 0 ELSE 1 END) = 1";
    let mut parties = rows(
        "partnership_parties",
        vec![
            ("partnership", Ty::Text, REQ),
            ("ordinal", Ty::Int, REQ),
            ("role", Ty::Text, REQ),
            ("zone", Ty::Text, OPT),
            ("platform", Ty::Text, OPT),
            ("organization", Ty::Text, OPT),
        ],
        vec![
            ("partnership", "partnerships", true),
            ("zone", "zones", true),
            ("platform", "platforms", true),
            ("organization", "organizations", true),
        ],
    );
    parties.checks.push(exactly_one_party);
    let mut metrics = record(
        "metrics",
        vec![
            ("zone", Ty::Text, OPT),
            ("platform", Ty::Text, OPT),
            ("project", Ty::Text, OPT),
            ("partnership", Ty::Text, OPT),
            ("name_zh", Ty::Text, REQ),
            ("name_en", Ty::Text, OPT),
            ("value", Ty::Float, REQ),
            ("value_text", Ty::Text, REQ),
            ("unit", Ty::Text, REQ),
            ("year", Ty::Int, OPT),
            ("is_target", Ty::Bool, REQ),
        ],
        vec![
            ("zone", "zones", true),
            ("platform", "platforms", true),
            ("project", "projects", true),
            ("partnership", "partnerships", true),
        ],
    );
    metrics.checks.push(exactly_one_subject);
    let junction = |name, owner: &'static str, owner_table, other: &'static str, other_table| {
        rows(
            name,
            vec![(owner, Ty::Text, REQ), (other, Ty::Text, REQ)],
            vec![(owner, owner_table, true), (other, other_table, true)],
        )
    };
    let mut aliases = rows(
        "aliases",
        vec![
            ("entity_kind", Ty::Text, REQ),
            ("entity_slug", Ty::Text, REQ),
            ("alias", Ty::Text, REQ),
        ],
        vec![],
    );
    aliases.indexes = vec![vec!["entity_kind", "entity_slug"], vec!["alias"]];
    let mut citations = rows(
        "citations",
        vec![
            ("owner_kind", Ty::Text, REQ),
            ("owner_slug", Ty::Text, REQ),
            ("relation", Ty::Text, OPT),
            ("target", Ty::Text, OPT),
            ("ordinal", Ty::Int, REQ),
            ("source", Ty::Text, OPT),
            ("source_url", Ty::Text, OPT),
            ("quote", Ty::Text, OPT),
            ("start_offset", Ty::Int, OPT),
            ("end_offset", Ty::Int, OPT),
            ("note", Ty::Text, OPT),
        ],
        vec![("source", "sources", true)],
    );
    citations.indexes.push(vec!["owner_kind", "owner_slug"]);
    let mut mentions = rows(
        "mentions",
        vec![
            ("entity_kind", Ty::Text, REQ),
            ("entity_slug", Ty::Text, REQ),
            ("source", Ty::Text, REQ),
            ("start_offset", Ty::Int, REQ),
            ("end_offset", Ty::Int, REQ),
            ("surface", Ty::Text, REQ),
        ],
        vec![("source", "sources", true)],
    );
    mentions.indexes.push(vec!["entity_kind", "entity_slug"]);
    let mut tombstones = rows(
        "tombstones",
        vec![
            ("kind", Ty::Text, REQ),
            ("slug", Ty::Text, REQ),
            ("deleted_at", Ty::Time, REQ),
        ],
        vec![],
    );
    tombstones.indexes.push(vec!["deleted_at"]);
    vec![
        record(
            "sources",
            vec![
                ("title", Ty::Text, REQ),
                ("publisher", Ty::Text, REQ),
                ("reporter", Ty::Text, OPT),
                ("date", Ty::Text, OPT),
                ("date_note", Ty::Text, OPT),
                ("original_file", Ty::Text, REQ),
                ("body", Ty::Text, REQ),
                ("sha256", Ty::Text, REQ),
            ],
            vec![],
        ),
        record(
            "zones",
            named(vec![("parent", Ty::Text, OPT)]),
            vec![("parent", "zones", false)],
        ),
        record(
            "platforms",
            named(vec![
                ("level", Ty::Text, OPT),
                ("zone", Ty::Text, OPT),
                ("parent", Ty::Text, OPT),
                ("area_km2", Ty::Float, OPT),
            ]),
            vec![("zone", "zones", false), ("parent", "platforms", false)],
        ),
        record(
            "projects",
            named(vec![
                ("status", Ty::Text, OPT),
                ("platform", Ty::Text, OPT),
                ("zone", Ty::Text, OPT),
            ]),
            vec![("platform", "platforms", false), ("zone", "zones", false)],
        ),
        rows(
            "milestones",
            vec![
                ("project", Ty::Text, REQ),
                ("ordinal", Ty::Int, REQ),
                ("date", Ty::Text, REQ),
                ("event_zh", Ty::Text, REQ),
                ("event_en", Ty::Text, OPT),
                ("date_note", Ty::Text, OPT),
            ],
            vec![("project", "projects", true)],
        ),
        record(
            "organizations",
            named(vec![("zone", Ty::Text, OPT)]),
            vec![("zone", "zones", false)],
        ),
        record(
            "documents",
            vec![
                ("title_zh", Ty::Text, REQ),
                ("title_en", Ty::Text, OPT),
                ("kind", Ty::Text, REQ),
                ("date", Ty::Text, OPT),
                ("date_note", Ty::Text, OPT),
                ("issuer_zone", Ty::Text, OPT),
                ("issuer_organization", Ty::Text, OPT),
            ],
            vec![
                ("issuer_zone", "zones", false),
                ("issuer_organization", "organizations", false),
            ],
        ),
        record(
            "sectors",
            vec![("name_zh", Ty::Text, REQ), ("name_en", Ty::Text, OPT)],
            vec![],
        ),
        record(
            "partnerships",
            named(vec![
                ("descriptive_name", Ty::Bool, REQ),
                ("date", Ty::Text, OPT),
                ("date_note", Ty::Text, OPT),
                ("document", Ty::Text, OPT),
            ]),
            vec![("document", "documents", false)],
        ),
        parties,
        junction(
            "partnership_projects",
            "partnership",
            "partnerships",
            "project",
            "projects",
        ),
        junction(
            "platform_sectors",
            "platform",
            "platforms",
            "sector",
            "sectors",
        ),
        junction(
            "project_sectors",
            "project",
            "projects",
            "sector",
            "sectors",
        ),
        junction(
            "partnership_sectors",
            "partnership",
            "partnerships",
            "sector",
            "sectors",
        ),
        metrics,
        aliases,
        citations,
        mentions,
        tombstones,
    ]
}

fn column(name: &'static str, ty: Ty, nullable: bool) -> ColumnDef {
    let mut def = ColumnDef::new(name);
    match ty {
        Ty::Text => def.text(),
        Ty::Int => def.integer(),
        Ty::BigInt => def.big_integer(),
        Ty::Float => def.double(),
        Ty::Bool => def.boolean(),
        Ty::Time => def.timestamp_with_time_zone(),
    };
    if nullable {
        def.null();
    } else {
        def.not_null();
    }
    def
}

fn create(t: &TableDef) -> TableCreateStatement {
    let mut stmt = Table::create();
    stmt.table(t.name).if_not_exists();
    for &(name, ty, nullable) in &t.cols {
        let mut col = column(name, ty, nullable);
        if name == t.pk {
            col.primary_key();
        }
        stmt.col(col);
    }
    for &(col, parent, cascade) in &t.fks {
        let action = if cascade {
            ForeignKeyAction::Cascade
        } else {
            ForeignKeyAction::SetNull
        };
        stmt.foreign_key(
            ForeignKey::create()
                .name(format!("fk_{}_{}", t.name, col))
                .from(t.name, col)
                .to(parent, "slug")
                .on_delete(action),
        );
    }
    for check in &t.checks {
        stmt.check(Expr::cust(*check));
    }
    stmt
}

/// The change log feeds read: one row per record insert, update or delete, in commit order.
fn changes() -> TableCreateStatement {
    let mut seq = column("seq", Ty::BigInt, false);
    seq.primary_key().auto_increment();
    Table::create()
        .table("changes")
        .if_not_exists()
        .col(seq)
        .col(column("kind", Ty::Text, false))
        .col(column("slug", Ty::Text, false))
        .col(column("op", Ty::Text, false))
        .col(column("at", Ty::Time, false))
        .to_owned()
}

async fn up(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    for t in tables() {
        manager.create_table(create(&t)).await?;
        for cols in &t.indexes {
            let name = format!("idx_{}_{}", t.name, cols.join("_"));
            manager
                .create_index(index(name, t.name, cols).if_not_exists().to_owned())
                .await?;
        }
    }
    manager.create_table(changes()).await?;
    manager
        .create_index(
            index("idx_changes_kind_slug", "changes", &["kind", "slug"])
                .if_not_exists()
                .to_owned(),
        )
        .await
}

async fn down(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .drop_table(Table::drop().table("changes").if_exists().to_owned())
        .await?;
    for t in tables().iter().rev() {
        manager
            .drop_table(Table::drop().table(t.name).if_exists().to_owned())
            .await?;
    }
    Ok(())
}
