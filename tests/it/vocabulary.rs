//! Vocabularies and relations are declared once (`entity::vocab`, `entity::relation`); what
//! repeats them elsewhere is generated from there and checked here: the database refuses values
//! outside them, `seeds/README.md` lists them, the explorer's labels are made from them.
use entity::ids::Kind;
use entity::vocab::{self, EdgeKind, Vocabulary};
use sea_orm::ConnectionTrait;

use crate::helpers::{repo_root, test_db};

/// Writes `expected` to `path` when `BAYGRAPH_UPDATE_DOCS` is set (outside CI), else compares.
fn generated(path: &str, expected: &str) {
    let path = repo_root().join(path);
    if std::env::var("BAYGRAPH_UPDATE_DOCS").is_ok() && std::env::var("CI").is_err() {
        std::fs::write(&path, expected).expect("write");
    }
    let found = std::fs::read_to_string(&path).expect("read");
    assert!(
        found == expected,
        "{} is not what entity::vocab generates; run BAYGRAPH_UPDATE_DOCS=1 cargo test -p tests vocabular",
        path.display()
    );
}

fn table<V: Vocabulary>(out: &mut String) {
    out.push_str(&format!(
        "\n`{}`:\n\n| value | 中文 | meaning |\n|---|---|---|\n",
        V::NAME
    ));
    for v in V::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            v.as_str(),
            v.label_zh(),
            v.description()
        ));
    }
}

#[test]
fn seeds_readme_lists_every_vocabulary_as_declared() {
    let readme = std::fs::read_to_string(repo_root().join("seeds/README.md")).expect("readme");
    let (start, end) = (
        "<!-- vocabularies: generated",
        "<!-- end of vocabularies -->",
    );
    let from = readme
        .find(start)
        .expect("the README marks its vocabularies");
    let head = &readme[..from];
    let tail = &readme[readme.find(end).expect("end marker")..];
    let mut section = String::from(
        "<!-- vocabularies: generated from entity::vocab by `BAYGRAPH_UPDATE_DOCS=1 cargo test -p tests vocabular`; do not edit by hand -->\n",
    );
    // Every vocabulary a seed column holds (not the graph's edge kinds), in declaration order.
    let columns = vocab::columns();
    macro_rules! tables {
        ($($v:path,)*) => {$(
            if columns.iter().any(|c| c.vocabulary == <$v as Vocabulary>::NAME) {
                table::<$v>(&mut section);
            }
        )*};
    }
    entity::for_each_vocabulary!(tables! {});
    section.push('\n');
    generated("seeds/README.md", &format!("{head}{section}{tail}"));
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

#[test]
fn the_explorer_labels_are_generated_from_the_vocabularies() {
    let mut js = String::from(
        "// Generated from entity::vocab, entity::relation and entity::ids by\n\
         // `BAYGRAPH_UPDATE_DOCS=1 cargo test -p tests vocabular` (checked in CI); do not edit.\n\n",
    );
    js.push_str("/** Record kinds: `kind` as the API writes it, names in 中文 and English. */\nexport const RECORD_KINDS = {\n");
    for k in Kind::ALL.into_iter().filter(|k| k.is_graph_record()) {
        let en = format!("{}{}", k.as_str()[..1].to_uppercase(), &k.as_str()[1..]);
        js.push_str(&format!(
            "  {}: {{ zh: {}, en: {} }},\n",
            k.as_str(),
            js_string(k.label_zh()),
            js_string(&en)
        ));
    }
    js.push_str("};\n\n/** Relation kinds of graph queries (`GraphEdge.kind`), in the API's order. */\nexport const EDGE_KINDS = [\n");
    for e in EdgeKind::ALL {
        js.push_str(&format!(
            "  {{ kind: {}, zh: {}, en: {}, words: {} }},\n",
            js_string(e.as_str()),
            js_string(e.label_zh()),
            js_string(e.label_en()),
            js_string(e.words())
        ));
    }
    js.push_str(
        "];\n\n/** Every vocabulary: stored value → 中文 label. */\nexport const LABELS_ZH = {\n",
    );
    fn labels<V: Vocabulary>(out: &mut std::collections::BTreeMap<&'static str, &'static str>) {
        for v in V::ALL {
            out.entry(v.as_str()).or_insert(v.label_zh());
        }
    }
    let mut zh = std::collections::BTreeMap::new();
    // A value two vocabularies share gets the first one's label: a party's role and a relation
    // kind name what the explorer draws most, so theirs come first.
    labels::<vocab::PartyRole>(&mut zh);
    labels::<EdgeKind>(&mut zh);
    macro_rules! every_label {
        ($($v:path,)*) => {$(labels::<$v>(&mut zh);)*};
    }
    entity::for_each_vocabulary!(every_label! {});
    for (value, label) in zh {
        js.push_str(&format!("  {}: {},\n", value, js_string(label)));
    }
    js.push_str("};\n\n");
    js.push_str(&own_fields_js());
    generated("explorer/src/vocab.js", &js);
}

/// The schema's object types, each with its fields and their types, and the names of its leaf
/// types (scalars) and enums, read off the SDL the API serves.
struct SdlTypes {
    objects: std::collections::BTreeMap<String, Vec<(String, async_graphql::parser::types::Type)>>,
    leaves: Vec<String>,
    enums: Vec<String>,
}

impl SdlTypes {
    fn read() -> Self {
        use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
        let doc = async_graphql::parser::parse_schema(api::schema::sdl()).expect("the SDL parses");
        let mut types = SdlTypes {
            objects: std::collections::BTreeMap::new(),
            leaves: ["String", "Int", "Float", "Boolean", "ID"]
                .map(String::from)
                .into(),
            enums: vec![],
        };
        for def in &doc.definitions {
            if let TypeSystemDefinition::Type(t) = def {
                let name = t.node.name.node.to_string();
                match &t.node.kind {
                    TypeKind::Object(o) => {
                        let fields = o
                            .fields
                            .iter()
                            .map(|f| (f.node.name.node.to_string(), f.node.ty.node.clone()))
                            .collect();
                        types.objects.insert(name, fields);
                    }
                    TypeKind::Scalar => types.leaves.push(name),
                    TypeKind::Enum(_) => types.enums.push(name),
                    _ => {}
                }
            }
        }
        types
    }

    /// The fields of the object type of `kind`'s records (`zone` → `Zone`).
    fn fields_of(&self, kind: Kind) -> &[(String, async_graphql::parser::types::Type)] {
        let name = kind.as_str();
        let ty = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
        self.objects
            .get(&ty)
            .unwrap_or_else(|| panic!("no object type {ty} in the SDL"))
    }
}

/// `OWN_FIELDS`: for each record type, the fields its side panel asks for beyond those every
/// record type has, read off the schema: its scalar and enum fields (`scalars`; `enums` says which
/// are enums), whether it has
/// figures (`metrics`) and its relation evidence (`citations`, the `…Citations` fields).
fn own_fields_js() -> String {
    use async_graphql::parser::types::{BaseType, Type};
    let sdl = SdlTypes::read();
    fn named(ty: &Type) -> &str {
        match &ty.base {
            BaseType::Named(n) => n.as_str(),
            BaseType::List(inner) => named(inner),
        }
    }
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| k.is_graph_record() && *k != Kind::Source)
        .collect();
    // What every record type has: the panel's base fields.
    let shared: Vec<&String> = sdl
        .fields_of(kinds[0])
        .iter()
        .map(|(f, _)| f)
        .filter(|f| {
            kinds
                .iter()
                .all(|k| sdl.fields_of(*k).iter().any(|(g, _)| g == *f))
        })
        .collect();
    let mut js = String::from(
        "/** Each record type's own fields, from the schema: scalars and enums, figures, relation evidence. */\nexport const OWN_FIELDS = {\n",
    );
    for kind in &kinds {
        let own = sdl
            .fields_of(*kind)
            .iter()
            .filter(|(f, _)| !shared.contains(&f));
        let (mut scalars, mut enums, mut citations, mut metrics) = (vec![], vec![], vec![], false);
        for (field, t) in own {
            match named(t) {
                leaf if sdl.enums.iter().any(|l| l == leaf) => {
                    scalars.push(js_string(field));
                    enums.push(js_string(field));
                }
                leaf if sdl.leaves.iter().any(|l| l == leaf) => scalars.push(js_string(field)),
                "Metric" => metrics = true,
                "Citation" if field.ends_with("Citations") => citations.push(js_string(field)),
                _ => {}
            }
        }
        js.push_str(&format!(
            "  {}: {{ scalars: [{}], enums: [{}], metrics: {metrics}, citations: [{}] }},\n",
            kind.as_str(),
            scalars.join(", "),
            enums.join(", "),
            citations.join(", ")
        ));
    }
    js.push_str("};\n");
    js
}

/// The database refuses a value outside its column's vocabulary, on both backends.
#[tokio::test]
async fn the_database_refuses_values_outside_a_vocabulary() {
    let t = test_db().await;
    let insert = "INSERT INTO zones (slug, name_zh, kind, origin, content_hash, updated_at) \
                  VALUES ('x', '某区', '{kind}', 'seeds', 'h', CURRENT_TIMESTAMP)";
    let ok =
        t.db.execute_unprepared(&insert.replace("{kind}", "district"))
            .await;
    assert!(ok.is_ok(), "a listed kind is accepted: {ok:?}");
    let refused =
        t.db.execute_unprepared(&insert.replace("'x'", "'y'").replace("{kind}", "galaxy"))
            .await;
    assert!(refused.is_err(), "an unlisted kind is refused");
    let update =
        t.db.execute_unprepared("UPDATE zones SET kind = 'galaxy' WHERE slug = 'x'")
            .await;
    assert!(update.is_err(), "an update to an unlisted kind is refused");
    for c in vocab::columns() {
        assert!(!c.values.is_empty(), "{}.{}", c.table, c.column);
    }
}

#[test]
fn the_schema_describes_every_relation_kind_graph_queries_return() {
    let sdl = std::fs::read_to_string(crate::helpers::repo_root().join("api/schema.graphql"))
        .expect("api/schema.graphql");
    let start = sdl.find("type GraphEdge").expect("GraphEdge in the SDL");
    let edge = &sdl[start..start + sdl[start..].find('}').expect("end of GraphEdge")];
    for kind in EdgeKind::ALL {
        assert!(
            edge.contains(&format!("`{}`", kind.as_str())),
            "GraphEdge.kind's description does not name `{}`",
            kind.as_str()
        );
    }
}

/// Every field the relation table says follows a relation back (`inverse`) is on every type the
/// relation leads to, and each relation's forward field on the type it starts from: a kind's new
/// relation whose hand-written field back (`by_hand`) is missing fails here.
#[test]
fn every_relation_is_followed_both_ways_where_the_table_says() {
    use entity::relation::RELATIONS;
    let sdl = SdlTypes::read();
    let fields_of =
        |kind: Kind| -> Vec<&String> { sdl.fields_of(kind).iter().map(|(f, _)| f).collect() };
    let camel = |snake: &str| {
        let mut parts = snake.split('_');
        let first = parts
            .next()
            .expect("split yields at least one part")
            .to_owned();
        parts.fold(first, |acc, p| {
            format!("{acc}{}{}", p[..1].to_uppercase(), &p[1..])
        })
    };
    for d in RELATIONS {
        assert!(
            fields_of(d.from).contains(&&d.forward.to_owned()),
            "{:?}: no field {} on {:?}",
            d.relation,
            d.forward,
            d.from
        );
        let Some(inverse) = d.inverse else { continue };
        for to in d.to {
            assert!(
                fields_of(*to).contains(&&camel(inverse)),
                "{:?}: no field {inverse} back on {to:?}",
                d.relation
            );
        }
    }
}
