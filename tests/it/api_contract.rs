//! The schema contract: Relay nodes, connections, names, provenance, traversal and the committed SDL.
use entity::ids::Kind;
use serde_json::{Value, json};

use crate::helpers::{TestApp, asked, repo_root, slugs, test_app};

#[tokio::test]
async fn the_committed_sdl_matches_the_code() {
    let sdl = api::schema::sdl();
    let path = repo_root().join("api/schema.graphql");
    if std::env::var("BAYGRAPH_UPDATE_SCHEMA").is_ok() && std::env::var("CI").is_err() {
        std::fs::write(&path, &sdl).expect("write schema.graphql");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == sdl,
        "api/schema.graphql is out of date; review the change and run BAYGRAPH_UPDATE_SCHEMA=1 cargo test -p tests the_committed_sdl"
    );
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_is_described() {
    let r = asked("{ __schema { types { name description fields { name description args { name description } } inputFields { name description } enumValues { name description } } } }")
        .await;
    let mut missing = vec![];
    let blank = |v: &Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in r.data()["__schema"]["types"].as_array().expect("types") {
        let name = t["name"].as_str().unwrap_or_default();
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(t["inputFields"].as_array().into_iter().flatten())
        {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for v in t["enumValues"].as_array().into_iter().flatten() {
            if blank(&v["description"]) {
                missing.push(format!("{name}.{}", v["name"]));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} undocumented: {missing:?}",
        missing.len()
    );
}

#[tokio::test]
async fn zones_are_a_relay_connection_with_stable_cursors() {
    let app = test_app().await;
    let q = "query($after: String) { zones(first: 5, after: $after, orderBy: {field: NAME}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } } nodes { slug } } }";
    let first = app.ask(q).await;
    let page = &first.data()["zones"];
    assert!(page["totalCount"].as_u64().expect("total") >= 20);
    assert_eq!(page["edges"].as_array().expect("edges").len(), 5);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    let second = app
        .query(q, json!({ "after": page["pageInfo"]["endCursor"] }))
        .await;
    let next = &second.data()["zones"];
    assert_eq!(next["pageInfo"]["hasPreviousPage"], true);
    let (a, b) = (slugs(page), slugs(next));
    assert!(
        a.iter().all(|s| !b.contains(s)),
        "pages overlap: {a:?} {b:?}"
    );
    // Walking back from the second page's start returns the first page.
    let back = app
        .query("query($before: String) { zones(last: 5, before: $before, orderBy: {field: NAME}) { nodes { slug } } }", json!({ "before": next["pageInfo"]["startCursor"] }))
        .await;
    assert_eq!(slugs(&back.data()["zones"]), a);
}

#[tokio::test]
async fn every_entity_has_ids_names_and_provenance() {
    let app = test_app().await;
    let id = TestApp::id(Kind::Zone, "huangpu");
    let r = app
        .query(
            "query($id: ID!) { node(id: $id) { id ... on Zone { slug nameZh nameEn en: name(lang: EN) zh: name(lang: ZH) nameEnIsTranslation aliases kind citations { quote start end source { slug titleZh } } mentions { start end surface source { slug } } metrics { valueText } parent { slug } } } }",
            json!({ "id": id }),
        )
        .await;
    let z = &r.data()["node"];
    assert_eq!(z["id"], id);
    assert_eq!(z["nameZh"], "黄埔区");
    assert_eq!(z["en"], z["nameEn"]);
    assert_eq!(z["zh"], "黄埔区");
    assert_eq!(z["nameEnIsTranslation"], true);
    assert_eq!(z["parent"]["slug"], "guangzhou");
    let citation = &z["citations"][0];
    let (start, end) = (
        citation["start"].as_u64().expect("start"),
        citation["end"].as_u64().expect("end"),
    );
    let quote = citation["quote"].as_str().expect("quote");
    assert_eq!((end - start) as usize, quote.chars().count());
    // The offsets point at the quote in the source text.
    let source = app
        .query(
            "query($s: String!) { source(slug: $s) { text } }",
            json!({ "s": citation["source"]["slug"] }),
        )
        .await;
    let text: String = source.data()["source"]["text"]
        .as_str()
        .expect("text")
        .chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect();
    assert_eq!(text, quote);
    assert!(z["mentions"].as_array().expect("mentions").len() > 3);
}

#[tokio::test]
async fn nodes_resolves_many_ids_in_order_and_unknown_ones_to_null() {
    let app = test_app().await;
    let ids = [
        TestApp::id(Kind::Zone, "nansha"),
        TestApp::id(Kind::Zone, "no-such-zone"),
        TestApp::id(Kind::Platform, "sino-singapore-guangzhou-knowledge-city"),
    ];
    let r = app
        .query(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }",
            json!({ "ids": ids }),
        )
        .await;
    let nodes = r.data()["nodes"].as_array().expect("nodes").clone();
    assert_eq!(nodes[0]["id"], ids[0]);
    assert!(nodes[1].is_null());
    assert_eq!(nodes[2]["__typename"], "Platform");
}

#[tokio::test]
async fn huangpu_cooperates_with_nansha_hengqin_and_qianhai() {
    let app = test_app().await;
    let r = app
        .ask("{ zone(slug: \"huangpu\") { partners(first: 100) { totalCount nodes { sharedCount party { ... on Zone { slug } ... on Platform { slug } ... on Organization { slug } } via { slug parties { party { ... on Zone { slug } ... on Platform { slug } ... on Organization { slug } } } } } } } }")
        .await;
    let all = r.data()["zone"]["partners"]["nodes"]
        .as_array()
        .expect("partners")
        .clone();
    let partners: Vec<&str> = all
        .iter()
        .filter_map(|p| p["party"]["slug"].as_str())
        .collect();
    for expected in ["nansha", "hengqin", "qianhai"] {
        assert!(
            partners.contains(&expected),
            "huangpu's partners lack {expected}: {partners:?}"
        );
    }
    assert_eq!(r.data()["zone"]["partners"]["totalCount"], json!(all.len()));
    for p in &all {
        let via = p["via"].as_array().expect("via");
        assert_eq!(p["sharedCount"], json!(via.len()));
        assert!(!via.is_empty(), "{p}");
        for partnership in via {
            let parties: Vec<&str> = partnership["parties"]
                .as_array()
                .expect("parties")
                .iter()
                .filter_map(|x| x["party"]["slug"].as_str())
                .collect();
            assert!(
                parties.contains(&"huangpu")
                    && parties.contains(&p["party"]["slug"].as_str().expect("slug")),
                "{partnership} does not join huangpu and {}",
                p["party"]["slug"]
            );
        }
    }
    // Paging two at a time visits the same partners in the same order.
    let q = "query($c: String) { zone(slug: \"huangpu\") { partners(first: 2, after: $c) { pageInfo { hasNextPage endCursor } nodes { party { ... on Zone { slug } ... on Platform { slug } ... on Organization { slug } } } } } }";
    let pages = app.walk_pages(q, &["zone", "partners"], true).await;
    let paged: Vec<&str> = pages
        .iter()
        .flat_map(|c| c["nodes"].as_array().expect("nodes"))
        .map(|n| n["party"]["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(paged, partners);
}

#[tokio::test]
async fn traversal_works_in_both_directions() {
    let app = test_app().await;
    let r = app
        .ask("{ platform(slug: \"sino-singapore-guangzhou-knowledge-city\") { zone { slug platforms(first: 100) { nodes { slug } } } projects(first: 100) { nodes { slug platform { slug } } } } }")
        .await;
    let p = &r.data()["platform"];
    assert!(slugs(&p["zone"]["platforms"]).contains(&"sino-singapore-guangzhou-knowledge-city"));
    for project in p["projects"]["nodes"].as_array().expect("projects") {
        assert_eq!(
            project["platform"]["slug"],
            "sino-singapore-guangzhou-knowledge-city"
        );
    }
    let r = app
        .ask("{ partnerships(first: 100) { nodes { slug parties { role party { __typename } citations { quote } } document { slug } projects(first: 5) { nodes { slug } } sectors { slug } } } }")
        .await;
    let partnerships = r.nodes("partnerships").to_vec();
    assert!(partnerships.len() >= 20);
    for p in &partnerships {
        for party in p["parties"].as_array().expect("parties") {
            assert!(
                !party["citations"].as_array().expect("citations").is_empty(),
                "party without evidence in {}",
                p["slug"]
            );
        }
    }
}

#[tokio::test]
async fn filters_narrow_lists() {
    let app = test_app().await;
    let huangpu = TestApp::id(Kind::Zone, "huangpu");
    let r = app
        .query("query($z: ID!) { platforms(first: 100, filter: {zone: $z}) { totalCount nodes { slug zone { slug } } } all: platforms { totalCount } partnerships(first: 100, filter: {party: $z}) { nodes { slug } } }", json!({ "z": huangpu }))
        .await;
    let d = r.data();
    let n = d["platforms"]["totalCount"].as_u64().expect("count");
    assert!(n > 0 && n < d["all"]["totalCount"].as_u64().expect("all"));
    assert!(
        !d["partnerships"]["nodes"]
            .as_array()
            .expect("nodes")
            .is_empty()
    );
    let r = app
        .ask("{ zones(filter: {kinds: [SAR]}) { nodes { slug kind } } }")
        .await;
    let sars = r.slugs("zones");
    assert!(sars.contains(&"macao"), "{sars:?}");
    assert!(
        sars.iter().all(|s| ["hong-kong", "macao"].contains(s)),
        "{sars:?}"
    );
}

/// The sorted slugs of a list of records.
fn sorted<'v>(records: impl IntoIterator<Item = &'v Value>) -> Vec<&'v str> {
    let mut slugs: Vec<&str> = records
        .into_iter()
        .map(|n| n["slug"].as_str().expect("slug"))
        .collect();
    slugs.sort_unstable();
    slugs
}

#[tokio::test]
async fn every_kind_has_a_root_list_whose_filters_agree_with_the_records_and_a_by_slug_field() {
    let app = test_app().await;
    // Every record of the three kinds, read without a filter (each kind has fewer than 100 but
    // sectors), to compute what each filter must return.
    let all = app
        .ask(
            "{ organizations(first: 100) { totalCount nodes { slug kind \
                 zone { slug parent { slug parent { slug parent { slug } } } } } } \
               metrics(first: 100) { totalCount nodes { slug isTarget year subject { id } } } \
               sectors { totalCount } \
               gz: zone(slug: \"guangzhou\") { id } \
               it: sector(slug: \"new-generation-information-technology\") { id slug \
                 narrower(first: 10) { nodes { slug narrower(first: 10) { nodes { slug \
                 narrower(first: 10) { nodes { slug } } } } } } } }",
        )
        .await;
    let d = all.data();
    let orgs = d["organizations"]["nodes"]
        .as_array()
        .expect("organizations");
    let metrics = d["metrics"]["nodes"].as_array().expect("metrics");
    let db = &app.db.db;
    for (kind, table) in [
        ("organizations", "organizations"),
        ("metrics", "metrics"),
        ("sectors", "sectors"),
    ] {
        let stored = crate::helpers::scalar(db, &format!("SELECT count(*) FROM {table}")).await;
        assert_eq!(d[kind]["totalCount"].as_i64(), Some(stored), "{kind}");
    }
    assert_eq!(
        orgs.len(),
        d["organizations"]["totalCount"].as_u64().expect("n") as usize
    );
    assert_eq!(
        metrics.len(),
        d["metrics"]["totalCount"].as_u64().expect("n") as usize
    );

    // Organizations: by kind, and in Guangzhou or any zone below it.
    let in_guangzhou = |o: &&Value| {
        let mut z = &o["zone"];
        while z.is_object() {
            if z["slug"] == "guangzhou" {
                return true;
            }
            z = &z["parent"];
        }
        false
    };
    let want_government = sorted(orgs.iter().filter(|o| o["kind"] == "GOVERNMENT"));
    let want_guangzhou = sorted(orgs.iter().filter(in_guangzhou));
    // Figures: about the subject with the most of them, targets, and of one year.
    let subject = metrics
        .iter()
        .filter_map(|m| m["subject"]["id"].as_str())
        .max_by_key(|id| metrics.iter().filter(|m| m["subject"]["id"] == *id).count())
        .expect("a figure with a subject");
    let want_subject = sorted(metrics.iter().filter(|m| m["subject"]["id"] == subject));
    let want_targets = sorted(metrics.iter().filter(|m| m["isTarget"] == true));
    let want_2021 = sorted(metrics.iter().filter(|m| m["year"] == 2021));
    // Sectors below new-generation IT: its branches, theirs and theirs (three levels read).
    let below = |s: &Value| s["narrower"]["nodes"].as_array().cloned();
    let level1 = below(&d["it"]).expect("narrower");
    let level2: Vec<Value> = level1
        .iter()
        .flat_map(|s| below(s).expect("narrower"))
        .collect();
    let level3: Vec<Value> = level2
        .iter()
        .flat_map(|s| below(s).expect("narrower"))
        .collect();
    let mut want_below: Vec<&str> = sorted(level1.iter().chain(&level2).chain(&level3));
    want_below.dedup();
    for want in [
        &want_government,
        &want_guangzhou,
        &want_subject,
        &want_targets,
        &want_2021,
        &want_below,
    ] {
        assert!(
            !want.is_empty(),
            "every filter of this test selects something"
        );
    }
    assert!(want_guangzhou.len() < orgs.len() && want_targets.len() < metrics.len());

    let gz = d["gz"]["id"].as_str().expect("id");
    let it = d["it"]["id"].as_str().expect("id");
    let r = app
        .ask(&format!(
            "{{ government: organizations(first: 100, filter: {{kinds: [GOVERNMENT]}}) {{ nodes {{ slug }} }} \
               guangzhou: organizations(first: 100, filter: {{zone: \"{gz}\"}}) {{ nodes {{ slug }} }} \
               subject: metrics(first: 100, filter: {{subject: \"{subject}\"}}) {{ nodes {{ slug }} }} \
               targets: metrics(first: 100, filter: {{isTarget: true}}) {{ nodes {{ slug }} }} \
               y2021: metrics(first: 100, filter: {{year: 2021}}) {{ nodes {{ slug }} }} \
               below: sectors(first: 100, filter: {{within: \"{it}\"}}) {{ nodes {{ slug }} }} \
               named: sectors(filter: {{name: \"生物\"}}) {{ nodes {{ nameZh aliases }} }} \
               one: organization(slug: \"{org}\") {{ slug }} \
               figure: metric(slug: \"{metric}\") {{ slug }} \
               sector: sector(slug: \"{sector}\") {{ slug }} \
               document: document(slug: \"{document}\") {{ slug }} }}",
            org = want_guangzhou[0],
            metric = want_subject[0],
            sector = want_below[0],
            document = "foshan-sanlongwan-master-plan",
        ))
        .await;
    let d = r.data();
    let got = |root: &str| {
        let mut s = slugs(&d[root]);
        s.sort_unstable();
        s
    };
    assert_eq!(got("government"), want_government);
    assert_eq!(got("guangzhou"), want_guangzhou);
    assert_eq!(got("subject"), want_subject);
    assert_eq!(got("targets"), want_targets);
    assert_eq!(got("y2021"), want_2021);
    assert_eq!(got("below"), want_below);
    let named = d["named"]["nodes"].as_array().expect("named");
    assert!(!named.is_empty());
    assert!(named.iter().all(|s| {
        std::iter::once(&s["nameZh"])
            .chain(s["aliases"].as_array().expect("aliases"))
            .any(|n| n.as_str().expect("name").contains("生物"))
    }));
    assert_eq!(d["one"]["slug"], want_guangzhou[0]);
    assert_eq!(d["figure"]["slug"], want_subject[0]);
    assert_eq!(d["sector"]["slug"], want_below[0]);
    assert_eq!(d["document"]["slug"], "foshan-sanlongwan-master-plan");
}

#[tokio::test]
async fn kinds_levels_statuses_and_roles_are_typed_enums() {
    let app = test_app().await;
    let r = app
        .ask("{ platforms(first: 100, filter: {levels: [NATIONAL]}) { totalCount nodes { kind level } } \
               projects(first: 100, filter: {statuses: [OPERATING], kinds: [TERMINAL, RAIL_LINE, LABORATORY]}) { nodes { kind status } } \
               partnerships(first: 100, filter: {kinds: [ACTION_PLAN]}) { totalCount nodes { kind parties { role } } } \
               hengqin: zone(slug: \"hengqin\") { kind } }")
        .await;
    let d = r.data();
    let national = d["platforms"]["nodes"].as_array().expect("platforms");
    assert!(!national.is_empty());
    assert!(
        national.iter().all(|p| p["level"] == "NATIONAL"),
        "{national:?}"
    );
    let operating = d["projects"]["nodes"].as_array().expect("projects");
    assert!(
        !operating.is_empty(),
        "an operating terminal, line or lab is in the sources"
    );
    for p in operating {
        assert_eq!(p["status"], "OPERATING");
        assert!(
            ["TERMINAL", "RAIL_LINE", "LABORATORY"].contains(&p["kind"].as_str().expect("kind"))
        );
    }
    let plans = d["partnerships"]["nodes"].as_array().expect("partnerships");
    assert!(!plans.is_empty());
    for p in plans {
        assert_eq!(p["kind"], "ACTION_PLAN");
        for party in p["parties"].as_array().expect("parties") {
            let role = party["role"].as_str().expect("role");
            assert!(
                role.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{role}"
            );
        }
    }
    assert_eq!(d["hengqin"]["kind"], "COOPERATION_ZONE");
    // A misspelt or lower-case value is a validation error naming the problem, not an empty page.
    for bad in [
        "{ zones(filter: {kinds: [GALAXY]}) { totalCount } }",
        "{ zones(filter: {kinds: [\"sar\"]}) { totalCount } }",
    ] {
        let r = app.ask(bad).await;
        assert_eq!(r.status, 200, "{bad}");
        let message = r.json["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("ZoneKind"), "{bad}: {message}");
    }
}

#[tokio::test]
async fn ordering_by_degree_puts_the_best_connected_first() {
    let r = asked(
        "{ zones(first: 10, orderBy: {field: DEGREE, direction: DESC}) { nodes { degree } } }",
    )
    .await;
    let degrees: Vec<u64> = r
        .nodes("zones")
        .iter()
        .map(|n| n["degree"].as_u64().expect("degree"))
        .collect();
    assert!(degrees.windows(2).all(|w| w[0] >= w[1]), "{degrees:?}");
    assert!(degrees[0] > 0);
}

/// Pages through `root` (`first: 7` forward, then `last: 7` backward) and returns both sequences
/// of records, with the whole list fetched in one page.
async fn pages(
    app: &TestApp,
    root: &str,
    order: &str,
    fields: &str,
) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let all = app
        .ask(&format!(
            "{{ {root}(first: 100, orderBy: {order}) {{ totalCount nodes {{ {fields} }} }} }}"
        ))
        .await;
    let whole = all.nodes(root).to_vec();
    assert_eq!(all.data()[root]["totalCount"], json!(whole.len()));
    let nodes = |pages: Vec<Value>| -> Vec<Value> {
        pages
            .iter()
            .flat_map(|c| c["nodes"].as_array().expect("nodes").iter().cloned())
            .collect()
    };
    let forward_query = format!(
        "query($c: String) {{ {root}(first: 7, after: $c, orderBy: {order}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {fields} }} }} }}"
    );
    let forward = nodes(app.walk_pages(&forward_query, &[root], true).await);
    let backward_query = format!(
        "query($c: String) {{ {root}(last: 7, before: $c, orderBy: {order}) {{ pageInfo {{ hasPreviousPage startCursor }} nodes {{ {fields} }} }} }}"
    );
    let mut backward_pages = app.walk_pages(&backward_query, &[root], false).await;
    backward_pages.reverse();
    let backward = nodes(backward_pages);
    (whole, forward, backward)
}

#[tokio::test]
async fn every_order_is_sorted_and_pages_the_same_both_ways() {
    let app = test_app().await;
    type SortValue = fn(&Value) -> (String, i64);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let by_name: SortValue = |n| (n["nameZh"].as_str().unwrap_or_default().to_owned(), 0);
    let by_name_en: SortValue = |n| (n["nameEn"].as_str().unwrap_or_default().to_lowercase(), 0);
    let by_date: SortValue = |n| (n["date"].as_str().unwrap_or_default().to_owned(), 0);
    let by_degree: SortValue = |n| (String::new(), n["degree"].as_i64().unwrap_or_default());
    let by_slug: SortValue = |n| (n["slug"].as_str().unwrap_or_default().to_owned(), 0);
    let cases: [(&str, &str, SortValue); 5] = [
        ("platforms", "NAME", by_name),
        ("platforms", "NAME_EN", by_name_en),
        ("partnerships", "DATE", by_date),
        ("platforms", "DEGREE", by_degree),
        ("platforms", "SLUG", by_slug),
    ];
    for (root, field, key) in cases {
        for direction in ["ASC", "DESC"] {
            let order = format!("{{field: {field}, direction: {direction}}}");
            let fields = if root == "partnerships" {
                "slug nameZh nameEn degree date"
            } else {
                "slug nameZh nameEn degree"
            };
            let (whole, forward, backward) = pages(&app, root, &order, fields).await;
            assert!(whole.len() > 20, "{root}");
            let mut expected = whole.clone();
            // Ties are broken by slug, ascending in the chosen direction's sense.
            expected.sort_by_key(|n| (key(n), text(&n["slug"])));
            if direction == "DESC" {
                expected.reverse();
            }
            let slugs = |v: &[Value]| v.iter().map(|n| text(&n["slug"])).collect::<Vec<_>>();
            assert_eq!(slugs(&whole), slugs(&expected), "{root} by {order}");
            assert_eq!(
                slugs(&forward),
                slugs(&whole),
                "{root} by {order}, forward pages"
            );
            assert_eq!(
                slugs(&backward),
                slugs(&whole),
                "{root} by {order}, backward pages"
            );
        }
    }
}

#[tokio::test]
async fn name_filters_match_any_name_ignoring_case_width_and_punctuation() {
    let app = test_app().await;
    let city = "sino-singapore-guangzhou-knowledge-city";
    for needle in [
        "知识城",
        "广州知识",
        "knowledge-CITY",
        "ＫＮＯＷＬＥＤＧＥ city",
    ] {
        let r = app
            .query(
                "query($n: String) { platforms(first: 100, filter: {name: $n}) { nodes { slug } } }",
                json!({ "n": needle }),
            )
            .await;
        assert!(r.slugs("platforms").contains(&city), "{needle}");
    }
    let r = app
        .ask("{ zones(first: 100, filter: {name: \"Huangpu\"}) { nodes { slug } } none: zones(filter: {name: \"不存在的名字\"}) { totalCount } }")
        .await;
    assert!(r.slugs("zones").contains(&"huangpu"));
    assert_eq!(r.data()["none"]["totalCount"], 0);
    let r = app
        .ask("{ sources(first: 10, filter: {title: \"黄埔\"}) { nodes { slug titleZh } } }")
        .await;
    let titles = r.nodes("sources").to_vec();
    assert!(!titles.is_empty());
    assert!(
        titles
            .iter()
            .all(|s| s["titleZh"].as_str().unwrap_or_default().contains("黄埔"))
    );
}

/// Every `Type.field(argument)` and enum value an SDL declares, with the field's type.
fn schema_items(sdl: &str) -> std::collections::BTreeMap<String, String> {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let doc = async_graphql::parser::parse_schema(sdl).expect("valid SDL");
    let mut items = std::collections::BTreeMap::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let name = t.node.name.node.to_string();
        items.insert(name.clone(), "type".to_owned());
        match &t.node.kind {
            TypeKind::Object(o) => {
                for f in &o.fields {
                    let field = format!("{name}.{}", f.node.name.node);
                    items.insert(field.clone(), f.node.ty.node.to_string());
                    for a in &f.node.arguments {
                        items.insert(
                            format!("{field}({})", a.node.name.node),
                            a.node.ty.node.to_string(),
                        );
                    }
                }
            }
            TypeKind::Interface(i) => {
                for f in &i.fields {
                    items.insert(
                        format!("{name}.{}", f.node.name.node),
                        f.node.ty.node.to_string(),
                    );
                }
            }
            TypeKind::Enum(e) => {
                for v in &e.values {
                    items.insert(format!("{name}.{}", v.node.value.node), "value".to_owned());
                }
            }
            TypeKind::InputObject(i) => {
                for f in &i.fields {
                    items.insert(
                        format!("{name}.{}", f.node.name.node),
                        f.node.ty.node.to_string(),
                    );
                }
            }
            _ => {}
        }
    }
    items
}

/// `docs/schema-changelog.md` is generated from the difference between the released SDL
/// (`api/schema.v0.1.0.graphql`) and the current one; a removed or retyped item is a breaking
/// change and must be listed by hand under "Breaking changes accepted", or the test fails.
#[test]
fn the_schema_changelog_lists_every_change_and_breaking_ones_are_accepted_by_hand() {
    let root = repo_root();
    let released =
        std::fs::read_to_string(root.join("api/schema.v0.1.0.graphql")).expect("baseline");
    let (old, new) = (schema_items(&released), schema_items(&api::schema::sdl()));
    let added: Vec<String> = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .cloned()
        .collect();
    let breaking: Vec<String> = old
        .iter()
        .filter_map(|(k, ty)| match new.get(k) {
            None => Some(format!("removed `{k}`")),
            Some(t) if t != ty && !k.contains('(') => Some(format!("`{k}`: {ty} → {t}")),
            Some(t) if t != ty && t.ends_with('!') => Some(format!("`{k}`: {ty} → {t}")),
            _ => None,
        })
        .collect();
    // New required arguments of existing fields break existing queries too (a new field's
    // arguments break nothing: no query uses it yet).
    let breaking: Vec<String> = breaking
        .into_iter()
        .chain(
            added
                .iter()
                .filter(|k| {
                    k.split_once('(')
                        .is_some_and(|(field, _)| old.contains_key(field))
                        && new[*k].ends_with('!')
                })
                .map(|k| format!("new required argument `{k}`")),
        )
        .collect();
    let path = root.join("docs/schema-changelog.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let accepted: Vec<&str> = committed
        .split("## Breaking changes accepted")
        .nth(1)
        .unwrap_or("")
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .collect();
    let unaccepted: Vec<&String> = breaking
        .iter()
        .filter(|b| !accepted.iter().any(|a| a.starts_with(b.as_str())))
        .collect();
    assert!(
        unaccepted.is_empty(),
        "breaking schema changes need a line under \"Breaking changes accepted\" in docs/schema-changelog.md: {unaccepted:?}"
    );
    let mut generated = String::from(
        "# Schema changelog\n\nGenerated from the difference between the released schema \
         (`api/schema.v0.1.0.graphql`) and `api/schema.graphql` by\n\
         `BAYGRAPH_UPDATE_SCHEMA=1 cargo test -p tests the_schema_changelog`; a test fails when it is out of date or\n\
         when a breaking change is not accepted below by hand.\n\n## Added since 0.1.0\n\n",
    );
    for a in &added {
        generated.push_str(&format!("- `{a}`: {}\n", new[a]));
    }
    generated.push_str("\n## Breaking changes since 0.1.0\n\n");
    if breaking.is_empty() {
        generated.push_str("None.\n");
    }
    for b in &breaking {
        generated.push_str(&format!("- {b}\n"));
    }
    generated.push_str("\n## Breaking changes accepted\n");
    for a in &accepted {
        generated.push_str(&format!("- {a}\n"));
    }
    if std::env::var("BAYGRAPH_UPDATE_SCHEMA").is_ok() && std::env::var("CI").is_err() {
        std::fs::write(&path, &generated).expect("write the changelog");
    }
    assert!(
        committed == generated,
        "docs/schema-changelog.md is out of date; run BAYGRAPH_UPDATE_SCHEMA=1 cargo test -p tests the_schema_changelog"
    );
}

/// Forward pages walk the precomputed order and stop when full; with a filter they must still
/// hold `first` records whenever that many remain, report hasPreviousPage after a cursor, and
/// agree with the general path (`last`/`before`) and with `totalCount`.
#[tokio::test]
async fn filtered_forward_pages_agree_with_backward_pages_and_the_count() {
    let app = test_app().await;
    for (root, filter) in [
        ("platforms", "{name: \"广州\"}"),
        ("projects", "{name: \"实验室\"}"),
        ("zones", "{kinds: [DISTRICT]}"),
    ] {
        for direction in ["ASC", "DESC"] {
            let args =
                format!("filter: {filter}, orderBy: {{field: NAME, direction: {direction}}}");
            let all = app
                .ask(&format!(
                    "{{ {root}(first: 100, {args}) {{ totalCount nodes {{ slug }} }} }}"
                ))
                .await;
            let total = all.data()[root]["totalCount"].as_u64().expect("count") as usize;
            let whole: Vec<Value> = all.nodes(root).to_vec();
            assert!(
                whole.len() >= 5 && whole.len() == total,
                "{root} {filter}: {}",
                whole.len()
            );
            let mut forward = vec![];
            let q = format!(
                "query($c: String) {{ {root}(first: 3, after: $c, {args}) {{ totalCount pageInfo {{ hasNextPage hasPreviousPage endCursor }} nodes {{ slug }} }} }}"
            );
            let walked = app.walk_pages(&q, &[root], true).await;
            for (pages, c) in walked.iter().enumerate() {
                let nodes = c["nodes"].as_array().expect("nodes");
                assert_eq!(c["totalCount"], json!(total));
                assert_eq!(
                    c["pageInfo"]["hasPreviousPage"],
                    json!(pages > 0),
                    "{root} page {pages}"
                );
                let more = c["pageInfo"]["hasNextPage"] == json!(true);
                if more {
                    assert_eq!(
                        nodes.len(),
                        3,
                        "a page holds `first` records when more remain"
                    );
                }
                forward.extend(nodes.iter().cloned());
            }
            assert_eq!(forward, whole, "{root} {filter} {direction}: forward pages");
            let back = app
                .ask(&format!(
                    "{{ {root}(last: 100, {args}) {{ nodes {{ slug }} }} }}"
                ))
                .await;
            assert_eq!(back.nodes(root), &whole, "{root}: last");
        }
    }
}

/// The name filter reads the search index's character and pair postings; on the curated graph it
/// returns exactly what a scan of every platform's names and aliases finds, for one- and
/// two-character needles, English words and an empty needle (which filters nothing).
#[tokio::test]
async fn the_name_filter_finds_what_a_scan_of_every_name_finds() {
    let app = test_app().await;
    let all = app
        .ask("{ platforms(first: 100) { totalCount nodes { slug nameZh nameEn aliases } } }")
        .await;
    let fold = |s: &str| -> String {
        s.chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let nodes = all.nodes("platforms").to_vec();
    assert_eq!(
        all.data()["platforms"]["totalCount"].as_u64(),
        Some(nodes.len() as u64),
        "one page holds every curated platform"
    );
    for needle in ["州", "广州", "园", "city", "Science", "南沙", "", "·"] {
        let want: std::collections::BTreeSet<&str> = nodes
            .iter()
            .filter(|n| {
                let names = [&n["nameZh"], &n["nameEn"]]
                    .into_iter()
                    .chain(n["aliases"].as_array().into_iter().flatten())
                    .filter_map(|v| v.as_str())
                    .map(fold)
                    .collect::<Vec<_>>();
                names.iter().any(|name| name.contains(&fold(needle)))
            })
            .map(|n| n["slug"].as_str().expect("slug"))
            .collect();
        let r = app
            .query(
                "query($n: String) { platforms(first: 100, filter: {name: $n}) { totalCount nodes { slug } } }",
                json!({ "n": needle }),
            )
            .await;
        let got: std::collections::BTreeSet<&str> = r.slugs("platforms").into_iter().collect();
        assert_eq!(got, want, "needle {needle:?}");
        assert_eq!(
            r.data()["platforms"]["totalCount"].as_u64(),
            Some(want.len() as u64),
            "needle {needle:?}"
        );
    }
}
