//! Hostile input: requests an attacker or a broken client sends. None may stall the server, cause
//! a 5xx or a panic, or leak internal text; each gets a coded refusal quickly. Connection-level
//! cases run against a real socket (`api::serve`).
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use api::config::Limits;

use crate::helpers::{TestApp, aliased, asked, graphql_request, test_app, test_app_with};

/// `{ zones { nodes { ...F0 } } }` where each of `levels` fragments spreads the next twice:
/// about 1 KB of text that expands to 2^levels fields.
fn fragment_bomb(levels: usize) -> String {
    let mut q = String::from("{ zones(first: 100) { nodes { ...F0 } } }\n");
    for i in 0..levels {
        q.push_str(&format!(
            "fragment F{i} on Zone {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    q.push_str(&format!("fragment F{levels} on Zone {{ slug }}\n"));
    q
}

#[test]
fn a_fragment_bomb_is_priced_at_its_expanded_size_without_expanding_it() {
    let started = Instant::now();
    let doc = async_graphql::parser::parse_query(fragment_bomb(25)).expect("valid syntax");
    let s = api::precheck::Shape::of(&doc).expect("measurable");
    assert_eq!(s.fields, 2 + (1 << 25));
    assert_eq!(s.depth, 3);
    assert!(started.elapsed() < Duration::from_millis(50));
    assert!(fragment_bomb(25).len() < 1200, "the bomb is about 1 KB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragment_bomb_is_refused_at_once_and_health_answers_meanwhile() {
    let app = test_app().await;
    let bomb = fragment_bomb(25);
    assert!(bomb.len() < 1200);
    let started = Instant::now();
    let r = app.ask(&bomb).await;
    let took = started.elapsed();
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"), "{}", r.json);
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("fields after fragment expansion")),
        "{}",
        r.json
    );
    assert!(took < Duration::from_millis(50), "refused in {took:?}");

    // Four bombs at once on a two-thread runtime, /health timed meanwhile.
    let bombs: Vec<_> = (0..4)
        .map(|_| {
            let router = app.router.clone();
            let body = json!({ "query": bomb }).to_string();
            tokio::spawn(async move {
                use tower::ServiceExt as _;
                router
                    .oneshot(graphql_request(body))
                    .await
                    .expect("answer")
                    .status()
            })
        })
        .collect();
    let started = Instant::now();
    assert_eq!(app.get("/health").await.status, 200);
    let health = started.elapsed();
    for b in bombs {
        assert_eq!(b.await.expect("bomb task").as_u16(), 200);
    }
    assert!(
        health < Duration::from_millis(50),
        "/health took {health:?}"
    );
    assert_eq!(app.statements(), 0, "refused queries run no SQL");
}

#[tokio::test]
async fn aliases_are_counted_as_the_parser_sees_them() {
    let app = test_app().await;
    // A BOM between an alias and its colon is an ignored token to the parser.
    let q = aliased(
        40,
        "\u{feff}:",
        "search(query: \"黄埔\", first: 1) { totalCount }",
    );
    let r = app.ask(&q).await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"), "{}", r.json);
    // Aliases inside a fragment count once per spread.
    let q = format!(
        "{{ zones(first: 1) {{ nodes {{ ...A ...A ...A }} }} }} fragment A on Zone {{ {} }}",
        (0..12).map(|i| format!("s{i}: slug ")).collect::<String>()
    );
    let r = app.ask(&q).await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"), "{}", r.json);
    // A comment ended by a lone `\r` hides nothing from the token count.
    let hidden = format!("#\r{{ {} }}", "zones { totalCount } ".repeat(700));
    let r = app.ask(&hidden).await;
    assert_eq!(r.code(), Some("QUERY_TOO_COMPLEX"), "{}", r.json);
}

#[tokio::test]
async fn fragment_cycles_are_validation_errors() {
    let r = asked(
        "{ zones { nodes { ...A } } } fragment A on Zone { slug ...B } fragment B on Zone { ...A }",
    )
    .await;
    assert_eq!(r.code(), Some("GRAPHQL_VALIDATION_FAILED"), "{}", r.json);
}

async fn post_raw(
    app: &TestApp,
    content_type: Option<&str>,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = axum::http::Request::post("/graphql");
    if let Some(t) = content_type {
        request = request.header("content-type", t);
    }
    for (k, v) in extra {
        request = request.header(*k, *v);
    }
    let body = json!({ "query": "{ zones(first: 1) { totalCount } }" }).to_string();
    let r = app
        .send(request.body(axum::body::Body::from(body)).expect("request"))
        .await;
    (r.status, r.json)
}

#[tokio::test]
async fn bodies_that_are_not_plain_json_are_refused_with_415() {
    let app = test_app().await;
    for (ct, extra) in [
        (None, vec![]),
        (Some("text/plain"), vec![]),
        (Some("application/x-www-form-urlencoded"), vec![]),
        (Some("multipart/form-data; boundary=x"), vec![]),
        (Some("application/json"), vec![("content-encoding", "gzip")]),
        (Some("application/json"), vec![("content-encoding", "br")]),
    ] {
        let (status, json) = post_raw(&app, ct, &extra).await;
        assert_eq!(status, 415, "{ct:?} {extra:?}");
        assert_eq!(
            json["errors"][0]["extensions"]["code"],
            "UNSUPPORTED_MEDIA_TYPE"
        );
    }
    for ct in [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
    ] {
        let (status, json) = post_raw(&app, Some(ct), &[("content-encoding", "identity")]).await;
        assert_eq!(status, 200, "{ct}");
        assert!(
            json["data"]["zones"]["totalCount"].as_u64().is_some(),
            "{json}"
        );
    }
}

/// The app on a real socket with `limits` and a first connection to it; returns the connection,
/// the address (for more connections) and the app, which must outlive them.
async fn connected(limits: Limits) -> (TcpStream, std::net::SocketAddr, TestApp) {
    let mut config = api::Config::for_database("sqlite::memory:");
    config.limits = limits.clone();
    let app = test_app_with(config).await;
    let addr = crate::helpers::on_socket(app.router.clone(), limits).await;
    let stream = TcpStream::connect(addr).await.expect("connect");
    (stream, addr, app)
}

/// Reads whatever the server sends until it closes or `wait` passes.
async fn read_for(stream: &mut TcpStream, wait: Duration) -> (String, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into(), true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&out).into(), false),
        }
    }
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_disconnected() {
    let (mut stream, addr, _app) = connected(Limits {
        header_read_secs: 1,
        ..Default::default()
    })
    .await;
    let started = Instant::now();
    let mut closed = false;
    for b in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa" {
        if stream.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        if started.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    if !closed {
        closed = read_for(&mut stream, Duration::from_secs(1)).await.1;
    }
    assert!(closed, "the connection is closed");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // A prompt client on the same server is served.
    let mut ok = TcpStream::connect(addr).await.expect("connect");
    ok.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let (text, _) = read_for(&mut ok, Duration::from_secs(5)).await;
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[tokio::test]
async fn a_body_trickled_past_its_deadline_gets_408() {
    let (mut stream, _, _app) = connected(Limits {
        body_read_secs: 1,
        ..Default::default()
    })
    .await;
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
        .await
        .expect("write");
    let started = Instant::now();
    // One byte every 300 ms keeps any per-read timeout happy; the total deadline is what cuts it.
    let writer = async {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if stream.write_all(b" ").await.is_err() {
                break;
            }
        }
        stream
    };
    let mut stream = writer.await;
    let (text, _) = read_for(&mut stream, Duration::from_secs(3)).await;
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("REQUEST_TIMEOUT"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[tokio::test]
async fn expect_continue_with_an_oversized_length_gets_413_before_any_body() {
    let (mut stream, _, _app) = connected(Limits::default()).await;
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n")
        .await
        .expect("write");
    let (text, _) = read_for(&mut stream, Duration::from_secs(2)).await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(!text.contains("100 Continue"), "{text}");
    assert!(text.contains("PAYLOAD_TOO_LARGE"), "{text}");
}

/// One hostile request and what it must get.
struct Case {
    name: String,
    body: String,
    /// Acceptable `extensions.code`s (any code at all when empty: the point is no 5xx).
    codes: &'static [&'static str],
}

fn case(name: impl Into<String>, body: impl Into<String>, codes: &'static [&'static str]) -> Case {
    Case {
        name: name.into(),
        body: body.into(),
        codes,
    }
}

fn query(q: &str) -> String {
    json!({ "query": q }).to_string()
}

const REFUSED: &[&str] = &[
    "BAD_REQUEST",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
    "QUERY_TOO_COMPLEX",
    "BATCHING_NOT_SUPPORTED",
    "PAYLOAD_TOO_LARGE",
];
const PARSE: &[&str] = &["GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX"];
const VALIDATION: &[&str] = &["GRAPHQL_VALIDATION_FAILED"];
const INPUT: &[&str] = &["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"];
const COMPLEX: &[&str] = &["QUERY_TOO_COMPLEX"];
/// async-graphql's parser rejects these; the reference implementation calls them validation errors.
const DEFINITION: &[&str] = &["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"];
const BODY: &[&str] = &["BAD_REQUEST", "BATCHING_NOT_SUPPORTED"];

/// The hostile cases: malformed bodies, malformed documents, wrong types, bad IDs and cursors,
/// out-of-range pages, oversized and odd strings, and shapes that price as too costly.
fn cases() -> Vec<Case> {
    let mut c = vec![
        case("empty body", "", BODY),
        case("not json", "not json", BODY),
        case("json null", "null", BODY),
        case("json number", "42", BODY),
        case("json string", "\"{ zones { totalCount } }\"", BODY),
        case("empty object", "{}", BODY),
        case("query null", r#"{"query": null}"#, BODY),
        case("query number", r#"{"query": 1}"#, BODY),
        case("query object", r#"{"query": {}}"#, BODY),
        case(
            "variables string",
            r#"{"query": "{ zones { totalCount } }", "variables": "x"}"#,
            BODY,
        ),
        case("batch", r#"[{"query": "{ zones { totalCount } }"}]"#, BODY),
        case("empty batch", "[]", BODY),
        case("truncated json", r#"{"query": "{ zones"#, BODY),
        case("invalid utf-8 escape", r#"{"query": "\ud800"}"#, REFUSED),
        case(
            "nul in query",
            "{\"query\": \"{ zones\\u0000 { totalCount } }\"}",
            PARSE,
        ),
        case(
            "deep json",
            format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
            BODY,
        ),
        case(
            "deep json object",
            format!("{}1{}", "{\"a\":".repeat(3000), "}".repeat(3000)),
            BODY,
        ),
        case("empty query", query(""), PARSE),
        case("whitespace query", query("   \n\t "), PARSE),
        case("only a comment", query("# nothing"), PARSE),
        case("unclosed brace", query("{ zones { totalCount }"), PARSE),
        case("unopened brace", query("zones { totalCount } }"), PARSE),
        case(
            "unclosed string",
            query("{ search(query: \"abc) { totalCount } }"),
            PARSE,
        ),
        case(
            "unclosed block string",
            query("{ search(query: \"\"\"abc) { totalCount } }"),
            PARSE,
        ),
        case(
            "bad escape",
            query(r#"{ search(query: "\q") { totalCount } }"#),
            PARSE,
        ),
        case(
            "bad unicode escape",
            query(r#"{ search(query: "\u12") { totalCount } }"#),
            PARSE,
        ),
        case("number as name", query("{ 1zones { totalCount } }"), PARSE),
        case(
            "mutation",
            query("mutation { zones { totalCount } }"),
            VALIDATION,
        ),
        case(
            "subscription",
            query("subscription { changes { totalCount } }"),
            VALIDATION,
        ),
        case(
            "unknown field",
            query("{ zonez { totalCount } }"),
            VALIDATION,
        ),
        case(
            "unknown argument",
            query("{ zones(frist: 1) { totalCount } }"),
            VALIDATION,
        ),
        case(
            "unknown type condition",
            query("{ zones { nodes { ... on Spaceport { slug } } } }"),
            VALIDATION,
        ),
        case(
            "unknown fragment",
            query("{ zones { nodes { ...Nope } } }"),
            VALIDATION,
        ),
        case(
            "unused fragment",
            query("{ zones { totalCount } } fragment F on Zone { slug }"),
            VALIDATION,
        ),
        case(
            "duplicate fragment",
            query(
                "{ zones { nodes { ...F } } } fragment F on Zone { slug } fragment F on Zone { slug }",
            ),
            DEFINITION,
        ),
        case(
            "duplicate operation",
            query("query A { zones { totalCount } } query A { zones { totalCount } }"),
            DEFINITION,
        ),
        case(
            "anonymous with named",
            query("{ zones { totalCount } } query B { zones { totalCount } }"),
            DEFINITION,
        ),
        case(
            "two operations no name",
            r#"{"query": "query A { zones { totalCount } } query B { zones { totalCount } }"}"#,
            VALIDATION,
        ),
        case(
            "unknown operation name",
            r#"{"query": "query A { zones { totalCount } }", "operationName": "B"}"#,
            VALIDATION,
        ),
        case("missing selection", query("{ zones }"), VALIDATION),
        case(
            "selection on scalar",
            query("{ zones { totalCount { x } } }"),
            VALIDATION,
        ),
        case(
            "undefined variable",
            query("{ zones(first: $n) { totalCount } }"),
            VALIDATION,
        ),
        case(
            "unused variable",
            query("query($n: Int) { zones { totalCount } }"),
            VALIDATION,
        ),
        case(
            "variable of unknown type",
            query("query($n: Spaceport) { zones(first: $n) { totalCount } }"),
            VALIDATION,
        ),
        case(
            "variable wrong type",
            r#"{"query": "query($n: Int) { zones(first: $n) { totalCount } }", "variables": {"n": "ten"}}"#,
            INPUT,
        ),
        case(
            "variable missing",
            r#"{"query": "query($n: Int!) { zones(first: $n) { totalCount } }"}"#,
            INPUT,
        ),
        case(
            // async-graphql would use the argument's default; the endpoint refuses it as GraphQL's
            // coercion rules say.
            "variable null for non-null",
            r#"{"query": "query($n: Int!) { zones(first: $n) { totalCount } }", "variables": {"n": null}}"#,
            INPUT,
        ),
        case(
            "variable huge int",
            r#"{"query": "query($n: Int) { zones(first: $n) { totalCount } }", "variables": {"n": 1e30}}"#,
            INPUT,
        ),
        case(
            "int overflow literal",
            query("{ zones(first: 99999999999999999999) { totalCount } }"),
            INPUT,
        ),
        case(
            "float for int",
            query("{ zones(first: 1.5) { totalCount } }"),
            INPUT,
        ),
        case(
            "string for int",
            query("{ zones(first: \"1\") { totalCount } }"),
            INPUT,
        ),
        case(
            "negative first",
            query("{ zones(first: -1) { totalCount } }"),
            INPUT,
        ),
        case(
            "first too large",
            query("{ zones(first: 101) { totalCount } }"),
            INPUT,
        ),
        case(
            "first and last",
            query("{ zones(first: 1, last: 1) { totalCount } }"),
            &[],
        ),
        case(
            "string for enum",
            query("{ zones(filter: {kinds: [\"DISTRICT\"]}) { totalCount } }"),
            INPUT,
        ),
        case(
            "string variable for enum",
            r#"{"query": "query($k: [ZoneKind!]) { zones(filter: {kinds: $k}) { totalCount } }", "variables": {"k": ["district"]}}"#,
            INPUT,
        ),
        case(
            "list for scalar",
            query("{ zones(first: [1]) { totalCount } }"),
            INPUT,
        ),
        case(
            "object for scalar",
            query("{ zones(first: {a: 1}) { totalCount } }"),
            INPUT,
        ),
        case(
            "null for required",
            query("{ node(id: null) { id } }"),
            INPUT,
        ),
        case("missing required", query("{ node { id } }"), INPUT),
        case(
            "duplicate argument",
            query("{ zones(first: 1, first: 2) { totalCount } }"),
            VALIDATION,
        ),
        case(
            "unknown directive",
            query("{ zones @nope { totalCount } }"),
            VALIDATION,
        ),
        case(
            "directive bad arg",
            query("{ zones @include(if: \"yes\") { totalCount } }"),
            INPUT,
        ),
        case(
            "directive twice",
            query("{ zones @skip(if: false) @skip(if: false) { totalCount } }"),
            VALIDATION,
        ),
        case(
            "too many directives",
            query(&format!(
                "{{ zones {} {{ totalCount }} }}",
                "@skip(if: false) ".repeat(20)
            )),
            &["GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_COMPLEX"],
        ),
        case(
            "conflicting aliases",
            query("{ a: zones(first: 1) { totalCount } a: zones(first: 2) { totalCount } }"),
            VALIDATION,
        ),
        case(
            "alias clash with field",
            query("{ zones: search(query: \"a\") { totalCount } zones { totalCount } }"),
            VALIDATION,
        ),
        case(
            "introspection deep",
            query(&format!(
                "{{ __schema {{ types {} name {} }} }}",
                "{ ofType ".repeat(20),
                "}".repeat(20)
            )),
            &["GRAPHQL_VALIDATION_FAILED", "QUERY_TOO_COMPLEX"],
        ),
        case("typename only", query("{ __typename }"), &[]),
        case(
            "fragment cycle",
            query("{ zones { nodes { ...A } } } fragment A on Zone { ...A }"),
            VALIDATION,
        ),
        case(
            "fragment on scalar",
            query("{ zones { nodes { ...F } } } fragment F on String { length }"),
            VALIDATION,
        ),
        case(
            "fragment chain",
            query(&{
                let mut q = String::from("{ zones { nodes { ...F0 } } }");
                for i in 0..80 {
                    q.push_str(&format!(" fragment F{i} on Zone {{ ...F{} }}", i + 1));
                }
                q.push_str(" fragment F80 on Zone { slug }");
                q
            }),
            COMPLEX,
        ),
        case("fragment bomb 25", query(&fragment_bomb(25)), COMPLEX),
        case("fragment bomb 12", query(&fragment_bomb(12)), COMPLEX),
        case(
            "wide bomb",
            query(&{
                let mut q = String::from("{ zones { nodes { ...F0 } } }");
                for i in 0..6 {
                    q.push_str(&format!(
                        " fragment F{i} on Zone {{ {} }}",
                        format!("...F{} ", i + 1).repeat(8)
                    ));
                }
                q.push_str(" fragment F6 on Zone { slug }");
                q
            }),
            COMPLEX,
        ),
        case(
            "inline fragment bomb",
            query(&format!(
                "{{ zones {{ nodes {}slug{} }} }}",
                "{ ... on Zone ".repeat(30).replace("{ ", ""),
                " }".repeat(30)
            )),
            &[
                "GRAPHQL_PARSE_FAILED",
                "QUERY_TOO_COMPLEX",
                "GRAPHQL_VALIDATION_FAILED",
            ],
        ),
        case(
            "deep nesting",
            query(&format!(
                "{{ zone(slug: \"huangpu\") {} slug {} }}",
                "{ parent ".repeat(40),
                "}".repeat(40)
            )),
            &["GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX"],
        ),
        case(
            "very deep nesting",
            query(&format!("{}{}", "{ a ".repeat(900), "}".repeat(900))),
            &["GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX"],
        ),
        // Just under the token limit: the parser's own recursion must hold, not the stack.
        case(
            "nesting at the token limit",
            query(&format!("{}{}", "{".repeat(999), "}".repeat(999))),
            &["GRAPHQL_PARSE_FAILED", "QUERY_TOO_COMPLEX"],
        ),
        case(
            "list nesting at the token limit",
            query(&format!(
                "{{ search(query: {}\"a\"{}) {{ totalCount }} }}",
                "[".repeat(990),
                "]".repeat(990)
            )),
            &[
                "GRAPHQL_PARSE_FAILED",
                "QUERY_TOO_COMPLEX",
                "BAD_USER_INPUT",
                "GRAPHQL_VALIDATION_FAILED",
            ],
        ),
        case(
            "deep list literal",
            query(&format!(
                "{{ search(query: {}\"a\"{}) {{ totalCount }} }}",
                "[".repeat(900),
                "]".repeat(900)
            )),
            &[
                "GRAPHQL_PARSE_FAILED",
                "QUERY_TOO_COMPLEX",
                "BAD_USER_INPUT",
                "GRAPHQL_VALIDATION_FAILED",
            ],
        ),
        case(
            "deep object literal",
            query(&format!(
                "{{ zones(filter: {}1{}) {{ totalCount }} }}",
                "{a: ".repeat(900),
                "}".repeat(900)
            )),
            &[
                "GRAPHQL_PARSE_FAILED",
                "QUERY_TOO_COMPLEX",
                "BAD_USER_INPUT",
                "GRAPHQL_VALIDATION_FAILED",
            ],
        ),
        case(
            "fan-out",
            query(
                "{ zones(first: 100) { nodes { platforms(first: 100) { nodes { projects(first: 100) { nodes { slug } } } } } } }",
            ),
            COMPLEX,
        ),
        case(
            "many fields",
            query(&format!("{{ {} }}", "zones { totalCount } ".repeat(600))),
            COMPLEX,
        ),
        case(
            "many aliases",
            query(&aliased(40, ":", "zones(first: 1) { totalCount }")),
            COMPLEX,
        ),
        case(
            "many tokens",
            query(&"{ __typename } ".repeat(800)),
            COMPLEX,
        ),
        case(
            "long name",
            query(&format!("{{ {} }}", "z".repeat(60_000))),
            &[
                "GRAPHQL_VALIDATION_FAILED",
                "GRAPHQL_PARSE_FAILED",
                "QUERY_TOO_COMPLEX",
            ],
        ),
        case(
            "over the body limit",
            query(&format!(
                "{{ search(query: \"{}\") {{ totalCount }} }}",
                "x".repeat(70_000)
            )),
            &["PAYLOAD_TOO_LARGE"],
        ),
        case(
            "search empty",
            query("{ search(query: \"\") { totalCount } }"),
            &[],
        ),
        case(
            "search long",
            query(&format!(
                "{{ search(query: \"{}\") {{ totalCount }} }}",
                "黄".repeat(5000)
            )),
            &[],
        ),
        case(
            "search control chars",
            query("{ search(query: \"\\u0001\\u0002\\u001b[31m\") { totalCount } }"),
            &[],
        ),
        case(
            "search rtl override",
            query("{ search(query: \"\\u202e黄埔\") { totalCount } }"),
            &[],
        ),
        case(
            "search regex",
            query("{ search(query: \".*(a+)+$\") { totalCount } }"),
            &[],
        ),
        case(
            "search sql",
            query("{ search(query: \"'; DROP TABLE zones; --\") { totalCount } }"),
            &[],
        ),
        case(
            "search percent",
            query("{ search(query: \"%_%\") { totalCount } }"),
            &[],
        ),
        case(
            "search surrogates",
            query("{ search(query: \"\\ud83d\\ude00\") { totalCount } }"),
            &[],
        ),
        case(
            "name filter sql",
            query("{ platforms(filter: {nameContains: \"' OR 1=1 --\"}) { totalCount } }"),
            &["GRAPHQL_VALIDATION_FAILED"],
        ),
    ];
    // Bad IDs and cursors, in every argument that takes one.
    let ids = [
        "garbage",
        "",
        "=",
        "!!!!",
        "em9uZTo",
        "bm9wZTpub3Bl",
        "\u{0}",
        "黄埔",
        "emmm9uZTpodWFuZ3B1===",
        "../../etc/passwd",
        "%00",
    ];
    for id in ids {
        c.push(case(format!("node id {id:?}"), json!({ "query": "query($id: ID!) { node(id: $id) { id } }", "variables": { "id": id } }).to_string(), &["BAD_USER_INPUT"]));
        c.push(case(format!("zones after {id:?}"), json!({ "query": "query($c: String) { zones(after: $c) { totalCount } }", "variables": { "c": id } }).to_string(), &["BAD_USER_INPUT"]));
        c.push(case(format!("neighborhood {id:?}"), json!({ "query": "query($id: ID!) { neighborhood(id: $id, depth: 1) { nodes { id } } }", "variables": { "id": id } }).to_string(), &["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]));
        c.push(case(format!("changes since {id:?}"), json!({ "query": "query($s: String) { changes(since: $s) { totalCount } }", "variables": { "s": id } }).to_string(), &["BAD_USER_INPUT"]));
    }
    let long = "A".repeat(60_000);
    c.push(case(
        "60 KB id",
        json!({ "query": "query($id: ID!) { node(id: $id) { id } }", "variables": { "id": long } })
            .to_string(),
        &["BAD_USER_INPUT"],
    ));
    c.push(case("60 KB cursor", json!({ "query": "query($c: String) { zones(after: $c) { totalCount } }", "variables": { "c": long } }).to_string(), &["BAD_USER_INPUT"]));
    // Pages out of range on every connection the schema has at the root.
    for field in ["zones", "platforms", "projects", "partnerships", "sources"] {
        for first in ["-5", "0x10", "1e3", "1000", "2147483648", "\"5\"", "true"] {
            c.push(case(
                format!("{field}(first: {first})"),
                query(&format!("{{ {field}(first: {first}) {{ totalCount }} }}")),
                &[
                    "BAD_USER_INPUT",
                    "GRAPHQL_VALIDATION_FAILED",
                    "GRAPHQL_PARSE_FAILED",
                    "USER_ERROR",
                ],
            ));
        }
    }
    c
}

#[tokio::test]
async fn a_hostile_suite_gets_coded_refusals_never_a_5xx_or_leaked_internals() {
    let app = test_app().await;
    let cases = cases();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for c in &cases {
        let started = Instant::now();
        let r = app.post(c.body.clone()).await;
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, c.name.clone());
        }
        let code = r.code().map(str::to_owned);
        let problem = if r.status >= 500 {
            Some(format!("status {}", r.status))
        } else if r.text.contains("internal error")
            || r.text.contains("panicked")
            || r.text.contains("Sqlx")
        {
            Some("internal text".to_owned())
        } else if !c.codes.is_empty() && !code.as_deref().is_some_and(|k| c.codes.contains(&k)) {
            Some(format!("code {code:?}, expected one of {:?}", c.codes))
        } else if took > Duration::from_secs(2) {
            Some(format!("took {took:?}"))
        } else {
            None
        };
        if let Some(p) = problem {
            failures.push(format!(
                "{}: {p}: {}",
                c.name,
                &r.text[..r.text.len().min(200)]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} hostile cases; slowest {:?} ({})",
        cases.len(),
        slowest.0,
        slowest.1
    );
    assert_eq!(app.get("/health").await.status, 200);
}

#[tokio::test]
async fn a_keep_alive_connection_serves_a_bounded_number_of_requests() {
    let (mut stream, _, _app) = connected(Limits {
        max_requests_per_connection: 3,
        ..Default::default()
    })
    .await;
    stream
        .write_all(&b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n".repeat(5))
        .await
        .expect("write");
    let (text, closed) = read_for(&mut stream, Duration::from_secs(3)).await;
    assert!(closed, "the server closed the connection:\n{text}");
    assert_eq!(text.matches("HTTP/1.1 200").count(), 3, "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection: close"),
        "{text}"
    );
}

/// Fuzzed request bodies through the whole app: raw bytes, and JSON whose query is raw text.
/// Every answer is coded and below 500. (A plain `#[test]`: bolero drives the inputs and each one
/// runs on a runtime of the test's own.)
#[test]
fn fuzzed_request_bodies_never_get_a_5xx() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let app = runtime.block_on(test_app());
    let checked = std::sync::atomic::AtomicUsize::new(0);
    // A failing input fails the test; nothing is reused after a panic, so unwind safety holds.
    let context = std::panic::AssertUnwindSafe((&runtime, &app, &checked));
    bolero::check!()
        .with_type::<(bool, Vec<u8>)>()
        .with_iterations(600)
        .for_each(move |(as_query, bytes): &(bool, Vec<u8>)| {
            let whole = &context;
            let (runtime, app, checked) = whole.0;
            let body = if *as_query {
                json!({ "query": String::from_utf8_lossy(bytes) })
                    .to_string()
                    .into_bytes()
            } else {
                bytes.clone()
            };
            let r = runtime.block_on(app.send(graphql_request(body)));
            assert!(r.status < 500, "{}: {}", r.status, r.text);
            if r.json.get("errors").is_some() {
                assert!(r.code().is_some(), "uncoded error: {}", r.text);
                assert_ne!(r.code(), Some("INTERNAL_SERVER_ERROR"), "{}", r.text);
            }
            checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
    assert!(checked.into_inner() >= 600);
}
