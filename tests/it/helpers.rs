//! Shared test helpers: paths, seed directories and a fresh database per test.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use tempfile::TempDir;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
        .to_path_buf()
}

pub fn real_seeds() -> PathBuf {
    repo_root().join("seeds")
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Copies `from` (recursively) into a new temporary directory.
pub fn copy_to_temp(from: &Path) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(from, dir.path());
    dir
}

/// Replaces the first `from` in `file` of the graph in `dir` with `to`, as a curator's edit
/// (failing if `from` is not there, so an edit never silently does nothing).
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Appends `text` to `file` of the graph in `dir`, as a curator adding records.
pub fn append(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    let before = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, before + text).expect("write");
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A database for one test, removed when dropped.
pub struct TestDb {
    pub db: DatabaseConnection,
    /// Where `db` connects (for a second pool over the same database).
    pub url: String,
    _dir: Option<TempDir>,
    postgres: Option<(String, String)>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, migrated database: PostgreSQL if `TEST_DATABASE_URL` is set, else a temporary SQLite file.
pub async fn test_db() -> TestDb {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!(
                "baygraph_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or_default()
            );
            let server = sea_orm::Database::connect(&admin)
                .await
                .expect("connect to TEST_DATABASE_URL");
            server
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            server.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            let url = format!("{base}/{name}");
            let db = loader::connect(&url, 4)
                .await
                .expect("connect to the test database");
            TestDb {
                db,
                url,
                _dir: None,
                postgres: Some((admin, name)),
            }
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            let db = loader::connect(&url, 4).await.expect("connect to sqlite");
            TestDb {
                db,
                url,
                _dir: Some(dir),
                postgres: None,
            }
        }
    }
}

/// The graph in `dir` as validation leaves it (failing the test with every problem if invalid).
pub fn valid(dir: &Path) -> loader::Graph {
    loader::check(dir).unwrap_or_else(|e| panic!("{e}"))
}

/// The record `kind` `slug` of a validated graph (failing the test if there is none).
pub fn node<'g>(
    graph: &'g loader::Graph,
    kind: entity::ids::Kind,
    slug: &str,
) -> &'g loader::node::Node {
    graph
        .nodes
        .iter()
        .find(|n| n.kind == kind && n.slug == slug)
        .unwrap_or_else(|| panic!("no {kind} {slug}"))
}

/// A fresh database with the graph in `dir` loaded: the start of most loader and feed tests.
pub async fn loaded_db(dir: &Path) -> TestDb {
    let t = test_db().await;
    loader::load(&t.db, dir).await.expect("load");
    t
}

/// A fresh database loaded from a temporary copy of `dir`, returned with the copy so the test
/// can edit it and load again.
pub async fn loaded_copy(dir: &Path) -> (TestDb, TempDir) {
    let t = test_db().await;
    let copy = copy_to_temp(dir);
    loader::load(&t.db, copy.path()).await.expect("load");
    (t, copy)
}

/// No progress bar: the loader's progress would only clutter test output.
pub fn hidden() -> indicatif::ProgressBar {
    indicatif::ProgressBar::hidden()
}

/// Load options that let the files of `allow_empty` be missing or empty and, with
/// `allow_deletions`, let a load delete more than the deletion guard allows.
pub fn load_options(allow_empty: &[&str], allow_deletions: bool) -> loader::LoadOptions {
    loader::LoadOptions {
        allow_empty: allow_empty.iter().map(|k| (*k).to_owned()).collect(),
        allow_deletions,
    }
}

/// A feed file holding `bytes` in a temporary directory (kept alive by the returned guard).
pub fn feed_file(name: &str, bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write feed");
    (dir, path)
}

/// The good partner feed cut to its first record: a later feed that no longer carries the rest,
/// so importing it retracts them.
pub fn smaller_good_feed() -> (TempDir, PathBuf) {
    let first_line: String = std::fs::read_to_string(fixture("feeds/good.ndjson"))
        .expect("read the good feed")
        .lines()
        .take(1)
        .map(|l| format!("{l}\n"))
        .collect();
    feed_file("smaller.ndjson", first_line.as_bytes())
}

/// The error text of a partner feed import that must be refused, for the test to check what it
/// names.
pub async fn import_refused(db: &DatabaseConnection, path: &Path, origin: &str) -> String {
    loader::feed::import(db, path, origin, &hidden())
        .await
        .expect_err("the import is refused")
        .to_string()
}

impl TestDb {
    /// Runs a query returning one integer (`scalar` on this database).
    pub async fn scalar(&self, sql: &str) -> i64 {
        scalar(&self.db, sql).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread removes the database.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let server = sea_orm::Database::connect(&admin).await.ok()?;
                server
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// Runs a query and returns its rows.
pub async fn rows(db: &DatabaseConnection, sql: String) -> Vec<sea_orm::QueryResult> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
}

/// Runs a query returning one integer.
pub async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .expect("one row");
    row.try_get_by_index::<i64>(0).expect("integer")
}

/// The record tables, one per kind.
pub fn record_tables() -> Vec<&'static str> {
    entity::ids::Kind::ALL
        .map(entity::ids::Kind::table)
        .to_vec()
}

/// The tables of rows that records own: milestones, parties, every junction of the relation
/// table, aliases and citations (mentions, tombstones and the change log apart).
pub fn relation_tables() -> Vec<&'static str> {
    let junctions = entity::relation::junctions().map(|(_, j)| j.table);
    ["milestones", "partnership_parties"]
        .into_iter()
        .chain(junctions)
        .chain(["aliases", "citations"])
        .collect()
}

/// Every row of every graph table, as text, so two states of a database can be compared exactly.
pub async fn snapshot(db: &DatabaseConnection) -> Vec<String> {
    let records = record_tables();
    let mut tables = records.clone();
    tables.extend(relation_tables());
    tables.extend(["mentions", "tombstones", "changes"]);
    let mut out = vec![];
    for t in tables {
        let key = match t {
            "changes" => "seq",
            _ if records.contains(&t) => "slug",
            _ => "key",
        };
        let hash = if key == "slug" {
            ", content_hash, CAST(updated_at AS TEXT)"
        } else {
            ""
        };
        let sql = format!("SELECT CAST({key} AS TEXT){hash} FROM {t} ORDER BY 1");
        for r in rows(db, sql).await {
            let k: String = r.try_get_by_index(0).expect("key");
            let h: Option<String> = if key == "slug" {
                r.try_get_by_index(1).ok()
            } else {
                None
            };
            let u: Option<String> = if key == "slug" {
                r.try_get_by_index(2).ok()
            } else {
                None
            };
            out.push(format!(
                "{t}|{k}|{}|{}",
                h.unwrap_or_default(),
                u.unwrap_or_default()
            ));
        }
    }
    out
}

/// The API over a fresh database holding the real seed graph, called in-process.
pub struct TestApp {
    pub router: axum::Router,
    /// The app's database (removed when the app is dropped).
    pub db: TestDb,
    /// SQL statements run since the app was built (see `statements`).
    pub statements: std::sync::Arc<AtomicUsize>,
}

/// A JSON response: status and body.
pub struct Reply {
    pub status: u16,
    pub json: serde_json::Value,
    pub text: String,
    pub headers: axum::http::HeaderMap,
}

impl Reply {
    /// The `extensions.code` of the first error, if any.
    pub fn code(&self) -> Option<&str> {
        self.json["errors"][0]["extensions"]["code"].as_str()
    }
    pub fn data(&self) -> &serde_json::Value {
        assert!(
            self.json.get("errors").is_none(),
            "unexpected errors: {}",
            self.json
        );
        &self.json["data"]
    }

    /// The `data.{root}.nodes` list (failing the test if there is none).
    pub fn nodes(&self, root: &str) -> &[serde_json::Value] {
        self.data()[root]["nodes"].as_array().expect("nodes")
    }

    /// The slugs of `data.{root}.nodes`, in order.
    pub fn slugs(&self, root: &str) -> Vec<&str> {
        slugs(&self.data()[root])
    }
}

/// The slugs of a connection's `nodes`, in order (failing the test if it has no `nodes` or a
/// node has no slug).
pub fn slugs(connection: &serde_json::Value) -> Vec<&str> {
    connection["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["slug"].as_str().expect("slug"))
        .collect()
}

pub async fn test_app() -> TestApp {
    test_app_with(api::Config::for_database("sqlite::memory:")).await
}

pub async fn test_app_with(config: api::Config) -> TestApp {
    app_on(loaded_db(&real_seeds()).await, config).await
}

/// The answer of a fresh app over the real seeds to `query`, for tests that ask only once.
pub async fn asked(query: &str) -> Reply {
    test_app().await.ask(query).await
}

/// The API over a database the test prepared itself.
pub async fn app_on(mut t: TestDb, config: api::Config) -> TestApp {
    let statements = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    t.db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let router = api::app(t.db.clone(), &config)
        .await
        .expect("build the app");
    statements.store(0, Ordering::SeqCst);
    TestApp {
        router,
        db: t,
        statements,
    }
}

/// Serves `router` on a real socket with `limits`; returns its address.
pub async fn on_socket(router: axum::Router, limits: api::config::Limits) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(
        async move { api::serve(listener, router, &limits, std::future::pending()).await },
    );
    addr
}

/// A query selecting `selection` under `count` aliases, `a0{colon} {selection} a1{colon} …`
/// (`colon` is the colon and whatever stands before it).
pub fn aliased(count: usize, colon: &str, selection: &str) -> String {
    let aliases: String = (0..count)
        .map(|i| format!("a{i}{colon} {selection} "))
        .collect();
    format!("{{ {aliases} }}")
}

/// A POST of `body` to /graphql as JSON, as a client sends a GraphQL request.
pub fn graphql_request(body: impl Into<axum::body::Body>) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .body(body.into())
        .expect("request")
}

/// POSTs a GraphQL request `body` to `router` (an app other than a `TestApp`'s) and parses the
/// answer.
pub async fn graphql_json(router: axum::Router, body: String) -> serde_json::Value {
    use tower::ServiceExt as _;
    let response = router.oneshot(graphql_request(body)).await.expect("answer");
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("json")
}

impl TestApp {
    /// Waits until the app's read model has caught up with every change committed so far (its
    /// refresh interval is 500 ms; at most 5 s).
    pub async fn caught_up(&self) {
        let latest = api::feeds::changelog::cursor(&self.db.db)
            .await
            .expect("change log cursor");
        let started = std::time::Instant::now();
        loop {
            let ready = self.get("/ready").await;
            let cursor: serde_json::Value = serde_json::from_str(&ready.text).expect("json");
            if cursor["cursor"].as_i64() >= Some(latest) {
                return;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "the read model is still at {cursor} after 5 s, the change log at {latest}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    /// Sends a raw request through the router; the response's body is left unread, for tests
    /// of how a body streams.
    pub async fn respond(
        &self,
        request: axum::http::Request<axum::body::Body>,
    ) -> axum::response::Response {
        use tower::ServiceExt;
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers")
    }

    /// GETs a path; the response's body is left unread, as with `respond`.
    pub async fn open(&self, path: &str) -> axum::response::Response {
        let request = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request");
        self.respond(request).await
    }

    /// Sends a raw request through the router.
    pub async fn send(&self, request: axum::http::Request<axum::body::Body>) -> Reply {
        let response = self.respond(request).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = body_bytes(response).await;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        Reply {
            status,
            json,
            text,
            headers,
        }
    }

    /// POSTs a raw body to /graphql.
    pub async fn post(&self, body: String) -> Reply {
        let reply = self.send(graphql_request(body.clone())).await;
        record_query(&body, &reply);
        reply
    }

    /// Runs a GraphQL query with variables.
    pub async fn query(&self, query: &str, variables: serde_json::Value) -> Reply {
        self.post(serde_json::json!({ "query": query, "variables": variables }).to_string())
            .await
    }

    /// Runs a GraphQL query without variables (most tests' queries carry their arguments inline).
    pub async fn ask(&self, query: &str) -> Reply {
        self.query(query, serde_json::json!({})).await
    }

    /// The connection at `path` in the answer to every page `query` walks, in the order fetched.
    /// The query takes the cursor as `$c`; forward it pages with `after: $c` and asks for
    /// `pageInfo { hasNextPage endCursor }`, backward with `before: $c` and `pageInfo {
    /// hasPreviousPage startCursor }` (the last page comes first then).
    pub async fn walk_pages(
        &self,
        query: &str,
        path: &[&str],
        forward: bool,
    ) -> Vec<serde_json::Value> {
        let (more, next) = if forward {
            ("hasNextPage", "endCursor")
        } else {
            ("hasPreviousPage", "startCursor")
        };
        let mut pages = vec![];
        let mut cursor = serde_json::Value::Null;
        loop {
            let r = self.query(query, serde_json::json!({ "c": cursor })).await;
            let connection = path.iter().fold(r.data(), |v, key| &v[*key]).clone();
            let last = !connection["pageInfo"][more]
                .as_bool()
                .expect("a pageInfo flag");
            cursor = connection["pageInfo"][next].clone();
            pages.push(connection);
            if last {
                return pages;
            }
        }
    }

    /// GETs a path.
    pub async fn get(&self, path: &str) -> Reply {
        let request = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// GETs a path that must answer 200 (failing the test with the path and the body if not).
    pub async fn get_ok(&self, path: &str) -> Reply {
        let reply = self.get(path).await;
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.text);
        reply
    }

    /// The public ID of a record.
    pub fn id(kind: entity::ids::Kind, slug: &str) -> String {
        entity::ids::public_id(kind, slug)
    }

    pub fn reset_statements(&self) {
        self.statements.store(0, Ordering::SeqCst);
    }

    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }
}

/// The whole body of `response`, failing the test if it ends in an error rather than complete.
pub async fn body_bytes(response: axum::response::Response) -> axum::body::Bytes {
    use http_body_util::BodyExt;
    response
        .into_body()
        .collect()
        .await
        .expect("a complete body")
        .to_bytes()
}

/// With `BAYGRAPH_RECORD_QUERIES=FILE`, every query the tests send is appended to FILE with the
/// server's verdict (`valid`: it passed validation; `invalid`: validation refused it), so CI can
/// check graphql-js reaches the same verdict on each (`tests/http/clients.test.mjs`). Queries the
/// server refused for other reasons (syntax, cost, bodies) are not recorded.
fn record_query(body: &str, reply: &Reply) {
    use std::io::Write as _;
    let Ok(path) = std::env::var("BAYGRAPH_RECORD_QUERIES") else {
        return;
    };
    let Ok(sent) = serde_json::from_str::<serde_json::Value>(body) else {
        return;
    };
    let Some(query) = sent["query"].as_str() else {
        return;
    };
    let codes: Vec<&str> = reply.json["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["extensions"]["code"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let refused_before_validation = codes.iter().any(|c| {
        [
            "GRAPHQL_PARSE_FAILED",
            "QUERY_TOO_COMPLEX",
            "BAD_REQUEST",
            "BATCHING_NOT_SUPPORTED",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
            "PERSISTED_QUERY_NOT_FOUND",
            "PERSISTED_QUERY_NOT_ALLOWED",
        ]
        .contains(c)
    });
    if refused_before_validation || reply.status >= 500 {
        return;
    }
    // A request error (validation, variable coercion) leaves no data and no error path; an
    // error from a resolver has a path.
    let errors = reply.json["errors"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let request_error = !errors.is_empty() && errors.iter().all(|e| e.get("path").is_none());
    let verdict = if request_error && reply.json["data"].is_null() {
        "invalid"
    } else {
        "valid"
    };
    let line = serde_json::json!({
        "query": query,
        "operationName": sent["operationName"],
        "variables": sent["variables"],
        "verdict": verdict,
    })
    .to_string()
        + "\n";
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        // One write per line: appends of this size do not interleave.
        let _ = file.write_all(line.as_bytes());
    }
}
