//! Search and graph queries for analysts, against the real seed graph.
use entity::ids::Kind;
use serde_json::{Value, json};

use crate::helpers::{TestApp, asked, test_app};

async fn top_hit(app: &TestApp, query: &str) -> String {
    let r = app.query("query($q: String!) { search(query: $q, first: 3) { edges { node { score node { ... on Zone { slug } ... on Platform { slug } ... on Project { slug } } } } } }", json!({ "q": query })).await;
    r.data()["search"]["edges"][0]["node"]["node"]["slug"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn search_finds_partial_chinese_and_english_names() {
    let app = test_app().await;
    assert_eq!(top_hit(&app, "南沙").await, "nansha");
    assert_eq!(
        top_hit(&app, "知识城").await,
        "sino-singapore-guangzhou-knowledge-city"
    );
    assert_eq!(
        top_hit(&app, "knowledge city").await,
        "sino-singapore-guangzhou-knowledge-city"
    );
    assert_eq!(top_hit(&app, "Huangpu").await, "huangpu");
    // Word prefixes, in any order the name has them.
    assert_eq!(
        top_hit(&app, "knowl cit").await,
        "sino-singapore-guangzhou-knowledge-city"
    );
}

#[tokio::test]
async fn search_can_be_restricted_by_type_and_paged() {
    let r = asked("{ search(query: \"区\", types: [ZONE], first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { node { __typename } } } } }").await;
    let s = &r.data()["search"];
    assert!(s["totalCount"].as_u64().expect("total") > 2);
    assert_eq!(s["pageInfo"]["hasNextPage"], true);
    for e in s["edges"].as_array().expect("edges") {
        assert_eq!(e["node"]["node"]["__typename"], "Zone");
    }
}

#[tokio::test]
async fn a_neighborhood_is_a_deduplicated_subgraph() {
    let app = test_app().await;
    let r = app
        .query("query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id kind label distance } edges { source target kind label } truncated } }", json!({ "id": TestApp::id(Kind::Zone, "huangpu") }))
        .await;
    let g = &r.data()["neighborhood"];
    let nodes = g["nodes"].as_array().expect("nodes");
    let ids: std::collections::HashSet<&str> =
        nodes.iter().filter_map(|n| n["id"].as_str()).collect();
    assert_eq!(ids.len(), nodes.len(), "duplicate nodes");
    for e in g["edges"].as_array().expect("edges") {
        assert!(
            ids.contains(e["source"].as_str().expect("source"))
                && ids.contains(e["target"].as_str().expect("target"))
        );
    }
    assert!(
        nodes.iter().any(|n| n["label"] == "南沙区"),
        "nansha within two hops of huangpu"
    );
    assert!(
        nodes
            .iter()
            .all(|n| n["distance"].as_i64().expect("distance") <= 2)
    );
}

/// A graph node's `subKind` is its record's own kind as the record's `kind` field gives it (the
/// kind's name for kinds without one), for every kind a neighbourhood reaches.
#[tokio::test]
async fn graph_nodes_carry_the_records_own_kind() {
    let app = test_app().await;
    let q = "query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id kind subKind } } }";
    let r = app
        .query(q, json!({ "id": TestApp::id(Kind::Zone, "huangpu") }))
        .await;
    let nodes = r.data()["neighborhood"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    // The records themselves, a page of IDs at a time (`nodes` takes 100); each type's `kind` is an enum of its own, so each
    // is asked under its kind's name.
    let ids: Vec<&Value> = nodes.iter().map(|n| &n["id"]).collect();
    let mut records = vec![];
    for ids in ids.chunks(100) {
        let own = app
            .query(
                "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Zone { zone: kind } ... on Platform { platform: kind } ... on Project { project: kind } ... on Organization { organization: kind } ... on Document { document: kind } ... on Partnership { partnership: kind } } }",
                json!({ "ids": ids }),
            )
            .await;
        records.extend(
            own.data()["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .cloned(),
        );
    }
    assert_eq!(records.len(), nodes.len());
    let mut kinds_seen = std::collections::BTreeSet::new();
    for (n, record) in nodes.iter().zip(&records) {
        let kind = n["kind"].as_str().expect("kind");
        let expected = match record[kind].as_str() {
            Some(k) => k.to_lowercase(),
            None => kind.to_owned(),
        };
        assert_eq!(n["subKind"].as_str(), Some(expected.as_str()), "{n}");
        kinds_seen.insert(kind.to_owned());
    }
    assert!(kinds_seen.len() >= 4, "kinds reached: {kinds_seen:?}");
}

#[tokio::test]
async fn a_path_connects_xiangzhou_to_huangpu() {
    let app = test_app().await;
    let (from, to) = (
        TestApp::id(Kind::Zone, "xiangzhou"),
        TestApp::id(Kind::Zone, "huangpu"),
    );
    let r = app.query("query($a: ID!, $b: ID!) { path(from: $a, to: $b, maxDepth: 8) { nodes { id label } edges { source target kind } } }", json!({ "a": from, "b": to })).await;
    let p = &r.data()["path"];
    let nodes = p["nodes"].as_array().expect("a path exists");
    assert_eq!(nodes.first().expect("start")["id"], from);
    assert_eq!(nodes.last().expect("end")["id"], to);
    let edges = p["edges"].as_array().expect("edges");
    assert_eq!(edges.len() + 1, nodes.len());
    // Consecutive nodes are joined by the edge between them, in either direction.
    for (i, e) in edges.iter().enumerate() {
        let pair = [nodes[i]["id"].clone(), nodes[i + 1]["id"].clone()];
        assert!(
            pair.contains(&e["source"]) && pair.contains(&e["target"]),
            "edge {i} does not join its nodes"
        );
    }
}

#[tokio::test]
async fn no_path_within_the_bound_is_null() {
    let app = test_app().await;
    let r = app
        .query("query($a: ID!, $b: ID!) { path(from: $a, to: $b, maxDepth: 1) { nodes { id } } }", json!({ "a": TestApp::id(Kind::Zone, "xiangzhou"), "b": TestApp::id(Kind::Zone, "huangpu") }))
        .await;
    assert!(r.data()["path"].is_null());
}

#[tokio::test]
async fn stats_count_kinds_and_rank_the_most_connected() {
    let r = asked("{ stats { counts { kind count } zones { zone { slug } platforms projects partnerships } mostConnected(first: 5) { degree node { id } } } }").await;
    let s = &r.data()["stats"];
    let zones = s["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["kind"] == "zone")
        .expect("zone count");
    assert!(zones["count"].as_u64().expect("n") >= 20);
    let degrees: Vec<u64> = s["mostConnected"]
        .as_array()
        .expect("ranked")
        .iter()
        .map(|c| c["degree"].as_u64().expect("degree"))
        .collect();
    assert!(
        degrees.windows(2).all(|w| w[0] >= w[1]) && degrees[0] > 1,
        "{degrees:?}"
    );
}

/// Two API replicas over one database both serve a load's change within 2 s of its commit, and
/// every answer names the read-model version it was computed from.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_converge_on_a_load_within_two_seconds() {
    let t = crate::helpers::test_db().await;
    let dir = crate::helpers::copy_to_temp(&crate::helpers::fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("load");
    let config = api::Config::for_database("sqlite::memory:");
    let replicas = [
        api::app(t.db.clone(), &config).await.expect("replica 1"),
        api::app(t.db.clone(), &config).await.expect("replica 2"),
    ];
    let ask = |router: axum::Router| {
        let body =
            serde_json::json!({ "query": "{ zone(slug: \"huangpu\") { nameEn } }" }).to_string();
        crate::helpers::graphql_json(router, body)
    };
    let before = ask(replicas[0].clone()).await;
    let old_cursor = before["extensions"]["cursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    assert_eq!(before["data"]["zone"]["nameEn"], "Huangpu District");

    crate::helpers::edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    loader::load(&t.db, dir.path()).await.expect("reload");
    let committed = std::time::Instant::now();
    for (i, replica) in replicas.iter().enumerate() {
        loop {
            let answer = ask(replica.clone()).await;
            // The read model (lists, counts, search) has moved to the load's version.
            if answer["extensions"]["cursor"] != old_cursor.as_str() {
                assert_eq!(answer["data"]["zone"]["nameEn"], "Huangpu");
                break;
            }
            assert!(
                committed.elapsed() < std::time::Duration::from_secs(2),
                "replica {} still serves the old data after 2 s: {answer}",
                i + 1
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// `--read-only`: the API connects without migrating or seeding and with read-only sessions, so it
/// serves under a role that may only read (PostgreSQL) or a read-only file (SQLite), and still
/// follows loads made through a writable connection.
#[tokio::test]
async fn a_read_only_replica_serves_and_follows_loads_without_writing() {
    use sea_orm::ConnectionTrait as _;
    let t = crate::helpers::test_db().await;
    let dir = crate::helpers::copy_to_temp(&crate::helpers::fixture("mini"));
    loader::load(&t.db, dir.path()).await.expect("load");
    let backend = t.db.get_database_backend();
    let row = |sql: &str| {
        let db = t.db.clone();
        let sql = sql.to_owned();
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .expect("query")
            .expect("row")
        }
    };
    let (url, role) = if backend == sea_orm::DbBackend::Postgres {
        let name: String = row("SELECT current_database()")
            .await
            .try_get_by_index(0)
            .expect("name");
        let role = format!("{name}_reader");
        for sql in [
            format!("CREATE ROLE {role} LOGIN"),
            format!("GRANT CONNECT ON DATABASE {name} TO {role}"),
            format!("GRANT USAGE ON SCHEMA public TO {role}"),
            format!("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"),
        ] {
            t.db.execute_unprepared(&sql).await.expect("role");
        }
        let admin = std::env::var("TEST_DATABASE_URL").expect("PostgreSQL");
        let server = admin
            .split('@')
            .nth(1)
            .and_then(|h| h.split('/').next())
            .expect("host");
        (format!("postgres://{role}@{server}/{name}"), Some(role))
    } else {
        let path: String = row("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .await
            .try_get_by_index(0)
            .expect("file");
        (format!("sqlite://{path}"), None)
    };
    let reader = loader::connect_read_only(&url, 2)
        .await
        .expect("read-only connection");
    assert!(
        reader
            .execute_unprepared("CREATE TABLE written (i INTEGER)")
            .await
            .is_err(),
        "the read-only connection cannot write"
    );
    let mut config = api::Config::for_database(&url);
    config.read_only = true;
    let app = crate::helpers::TestApp {
        router: api::app(reader.clone(), &config)
            .await
            .expect("read-only app"),
        db: crate::helpers::test_db().await,
        statements: Default::default(),
    };
    assert_eq!(app.get("/ready").await.status, 200);
    let q = "{ zone(slug: \"huangpu\") { nameEn } }";
    assert_eq!(
        app.ask(q).await.data()["zone"]["nameEn"],
        "Huangpu District"
    );
    assert!(
        app.get("/export/zones.ndjson")
            .await
            .text
            .contains("\"type\":\"end\"")
    );

    crate::helpers::edit(dir.path(), "zones.toml", "Huangpu District", "Huangpu");
    loader::load(&t.db, dir.path())
        .await
        .expect("reload through the writable connection");
    let started = std::time::Instant::now();
    loop {
        let r = app.ask(q).await;
        if r.data()["zone"]["nameEn"] == "Huangpu" && r.json["extensions"]["cursor"] != "11" {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{}",
            r.json
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    reader.close().await.ok();
    if let Some(role) = role {
        t.db.execute_unprepared(&format!("DROP OWNED BY {role}"))
            .await
            .expect("drop owned");
        let admin = sea_orm::Database::connect(std::env::var("TEST_DATABASE_URL").expect("url"))
            .await
            .expect("admin");
        let _ = admin
            .execute_unprepared(&format!("DROP ROLE IF EXISTS {role}"))
            .await;
    }
}

#[tokio::test]
async fn documents_list_at_the_root_with_issuer_kind_and_date_filters() {
    let app = crate::helpers::test_app().await;
    let stored = app.db.scalar("SELECT COUNT(*) FROM documents").await;
    let q = "query($f: DocumentFilter) { documents(first: 100, filter: $f) { totalCount nodes { slug kind date issuerZone { slug } } } }";
    let all = app.query(q, json!({ "f": null })).await;
    assert_eq!(all.data()["documents"]["totalCount"], json!(stored));
    assert!(stored >= 5);
    let nodes = all.nodes("documents").to_vec();

    let (issuer, expected) = {
        let row = sea_orm::ConnectionTrait::query_one_raw(
            &app.db.db,
            sea_orm::Statement::from_string(
                app.db.db.get_database_backend(),
                "SELECT issuer_zone, COUNT(*) FROM documents WHERE issuer_zone IS NOT NULL GROUP BY issuer_zone ORDER BY 2 DESC, 1 LIMIT 1".to_owned(),
            ),
        )
        .await
        .expect("query")
        .expect("a zone issues documents");
        let zone: String = row.try_get_by_index(0).expect("zone");
        let n: i64 = row.try_get_by_index(1).expect("count");
        (zone, n)
    };
    let by_issuer = app
        .query(
            q,
            json!({ "f": { "issuer": TestApp::id(Kind::Zone, &issuer) } }),
        )
        .await;
    let got = by_issuer.nodes("documents").to_vec();
    assert_eq!(got.len() as i64, expected, "{issuer}");
    assert!(
        got.iter()
            .all(|d| d["issuerZone"]["slug"] == issuer.as_str())
    );

    let kind = nodes[0]["kind"].as_str().expect("kind").to_owned();
    let of_kind = app
        .query(
            &q.replace("$f: DocumentFilter", "$k: [DocumentKind!]")
                .replace("filter: $f", "filter: {kinds: $k}"),
            json!({ "k": [kind] }),
        )
        .await;
    let want = nodes.iter().filter(|d| d["kind"] == kind.as_str()).count();
    assert_eq!(of_kind.data()["documents"]["totalCount"], json!(want));

    let dated = app.query(q, json!({ "f": { "dateFrom": "2022" } })).await;
    let want = nodes
        .iter()
        .filter(|d| d["date"].as_str().is_some_and(|x| x >= "2022"))
        .count();
    assert_eq!(dated.data()["documents"]["totalCount"], json!(want));
    let r = app
        .query(
            q,
            json!({ "f": { "issuer": TestApp::id(Kind::Project, "x") } }),
        )
        .await;
    assert_eq!(r.code(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn figures_carry_the_qualifier_their_text_states() {
    let app = test_app().await;
    let q = "query($id: ID!) { node(id: $id) { ... on Metric { value valueMax qualifier reading asOf valueText } } }";
    let figure = |slug: &'static str| {
        let app = &app;
        async move {
            let r = app
                .query(q, json!({ "id": TestApp::id(Kind::Metric, slug) }))
                .await;
            r.data()["node"].clone()
        }
    };
    let teams = figure("tianhe-2-hk-macao-overseas-teams").await;
    assert_eq!(teams["valueText"], json!("超过200个"));
    assert_eq!(teams["qualifier"], json!("MORE_THAN"));
    assert_eq!(teams["reading"], json!("more than 200"));
    assert_eq!(teams["asOf"], json!("2022"));
    let years = figure("zhengyuan-cup-rent-free-years").await;
    assert_eq!(years["qualifier"], json!("RANGE"));
    assert_eq!(
        (years["value"].clone(), years["valueMax"].clone()),
        (json!(3.0), json!(5.0))
    );
    assert_eq!(years["reading"], json!("3–5"));
    let area = figure("suigang-zone-area").await;
    assert_eq!(area["qualifier"], json!("EXACT"));
    assert_eq!(area["valueMax"], json!(null));
    assert_eq!(area["reading"], json!("56.39"));
    // The twelve figures whose quotes qualify their number are stored qualified.
    let stored = app
        .db
        .scalar("SELECT COUNT(*) FROM metrics WHERE qualifier <> 'exact'")
        .await;
    assert_eq!(stored, 12);
}

#[tokio::test]
async fn a_sector_filter_includes_the_sectors_below_it() {
    let app = test_app().await;
    let biomedicine = TestApp::id(Kind::Sector, "biomedicine");
    let r = app
        .query(
            "query($s: ID!) { platforms(first: 100, filter: { sector: $s }) { totalCount nodes { slug } }
              node(id: $s) { ... on Sector { narrower(first: 20) { nodes { slug broader { slug } } } } } }",
            json!({ "s": biomedicine }),
        )
        .await;
    let found = r.slugs("platforms");
    // Filed under 生物制药 and 医药健康, branches of 生物医药.
    assert!(
        found.contains(&"sino-singapore-guangzhou-knowledge-city"),
        "{found:?}"
    );
    assert!(
        found.contains(&"liwan-gba-pharma-health-pilot-zone"),
        "{found:?}"
    );
    // Exactly the platforms linked to 生物医药 or a sector below it, as stored.
    let stored = app
        .db
        .scalar(
            "SELECT COUNT(DISTINCT platform) FROM platform_sectors WHERE sector IN \
         (SELECT slug FROM sectors WHERE slug = 'biomedicine' OR broader = 'biomedicine')",
        )
        .await;
    assert_eq!(r.data()["platforms"]["totalCount"], json!(stored));
    assert_eq!(found.len() as i64, stored);
    let narrower = r.data()["node"]["narrower"]["nodes"]
        .as_array()
        .expect("narrower");
    assert!(narrower.len() >= 2);
    assert!(
        narrower
            .iter()
            .all(|n| n["broader"]["slug"] == json!("biomedicine"))
    );
}

#[tokio::test]
async fn an_organization_owns_the_project_named_as_its_own() {
    let app = test_app().await;
    let r = app
        .query(
            "query($p: ID!, $o: ID!) {
               p: node(id: $p) { ... on Project { organizations { role organization { slug } citations { quote } } } }
               o: node(id: $o) { ... on Organization { projects { role project { slug } } } }
             }",
            json!({
                "p": TestApp::id(Kind::Project, "gph-macao-qingzhou-factory"),
                "o": TestApp::id(Kind::Organization, "guangzhou-pharmaceutical-holdings"),
            }),
        )
        .await;
    let orgs = &r.data()["p"]["organizations"];
    assert_eq!(orgs[0]["role"], json!("OWNER"));
    assert_eq!(
        orgs[0]["organization"]["slug"],
        json!("guangzhou-pharmaceutical-holdings")
    );
    let quote = orgs[0]["citations"][0]["quote"].as_str().expect("a quote");
    assert!(
        quote.contains("广药集团") && quote.contains("青洲工厂"),
        "{quote}"
    );
    assert_eq!(
        r.data()["o"]["projects"],
        json!([{ "role": "OWNER", "project": { "slug": "gph-macao-qingzhou-factory" } }])
    );
}

#[tokio::test]
async fn every_source_gives_its_address_or_why_there_is_none() {
    let r = asked("{ sources(first: 100) { totalCount nodes { slug url urlNote } } }").await;
    let nodes = r.nodes("sources").to_vec();
    assert_eq!(
        nodes.len() as u64,
        r.data()["sources"]["totalCount"].as_u64().expect("count")
    );
    assert!(nodes.len() >= 5);
    for n in nodes {
        let (url, note) = (n["url"].as_str(), n["urlNote"].as_str());
        assert!(
            url.is_some_and(|u| u.starts_with("http")) ^ note.is_some_and(|n| !n.is_empty()),
            "{n}"
        );
    }
}
