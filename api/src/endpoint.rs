//! `/graphql`: GraphQL over HTTP. POST with a JSON body, or GET with `?query=` (queries only;
//! anything else is 405, so GET answers can be cached by browsers and CDNs, with `ETag` and
//! `Cache-Control`). Answers are `application/graphql-response+json` when the client accepts it
//! (request errors then get 400) and `application/json` otherwise (errors in a 200, the legacy
//! behaviour clients expect). Automatic persisted queries (Apollo's `persistedQuery` extension)
//! work over both; see `persisted`.
//!
//! Hand-rolled rather than `async_graphql_axum::GraphQL`: every limit here (body size before the
//! body is read, a total body deadline, document cost before validation, persisted-only mode) must
//! run before async-graphql sees the request, which that service does not allow.
use std::time::{Duration, Instant};

use async_graphql::Pos;
use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::app::AppState;
use crate::config::Limits;
use crate::{playground, precheck, telemetry};

pub mod persisted;

/// How long browsers and CDNs may reuse a GET answer; the read model refreshes every few seconds.
const GET_MAX_AGE_SECS: u32 = 5;

/// The media type an answer is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    /// `application/graphql-response+json`: request errors get 4xx.
    GraphqlResponse,
    /// `application/json`: every well-formed request gets 200.
    Json,
}

impl Media {
    /// The media the `Accept` header asks for; `None` when it accepts neither JSON type.
    fn negotiate(headers: &HeaderMap) -> Option<Media> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Some(Media::Json);
        };
        let mut best: Option<(Media, f32)> = None;
        for part in accept.split(',') {
            let mut pieces = part.split(';');
            let range = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let media = match range.as_str() {
                "application/graphql-response+json" => Media::GraphqlResponse,
                "application/json" | "application/*" | "*/*" => Media::Json,
                _ => continue,
            };
            // The spec's own type wins a tie.
            let better = match best {
                None => true,
                Some((m, bq)) => {
                    q > bq || (q == bq && media == Media::GraphqlResponse && m != media)
                }
            };
            if q > 0.0 && better {
                best = Some((media, q));
            }
        }
        best.map(|(m, _)| m)
    }

    fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// A request refused before it reached execution.
pub struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    locations: Vec<Pos>,
    /// A GraphQL request error (parse, validation, cost): 400 as `graphql-response+json`, but 200
    /// as `application/json`, per GraphQL over HTTP.
    request_error: bool,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
            locations: Vec::new(),
            request_error: false,
        }
    }

    /// A GraphQL request error with `code` (see `request_error`).
    pub fn request(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            request_error: true,
            ..Refusal::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    fn respond(self, media: Media) -> Response {
        telemetry::count_request(self.code);
        let mut error = json!({ "message": self.message, "extensions": { "code": self.code } });
        if !self.locations.is_empty() {
            error["locations"] = self
                .locations
                .iter()
                .map(|p| json!({ "line": p.line, "column": p.column }))
                .collect();
        }
        let status = if self.request_error && media == Media::Json {
            StatusCode::OK
        } else {
            self.status
        };
        let mut response = (status, json!({ "errors": [error] }).to_string()).into_response();
        set_content_type(&mut response, media);
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}

fn set_content_type(response: &mut Response, media: Media) {
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
}

/// A GraphQL request as it arrived, before persisted queries are resolved.
#[derive(Default)]
struct Incoming {
    query: Option<String>,
    variables: Option<Value>,
    operation_name: Option<String>,
    extensions: Option<Value>,
}

impl Incoming {
    /// From a POST body: one JSON object (batches are refused).
    fn from_body(body: &[u8]) -> Result<Incoming, Refusal> {
        let bad = |m: &str| Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", m);
        let value: Value = serde_json::from_slice(body).map_err(|_| {
            bad("the body is not JSON; send {\"query\": \"…\", \"variables\": {…}}")
        })?;
        if value.is_array() {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "BATCHING_NOT_SUPPORTED",
                "batched requests are not supported; send one operation per request",
            ));
        }
        let Value::Object(mut fields) = value else {
            return Err(bad("the body must be an object with a string \"query\""));
        };
        let incoming = Incoming {
            query: take(&mut fields, "query", "a string", string).map_err(|m| bad(&m))?,
            operation_name: take(&mut fields, "operationName", "a string", string)
                .map_err(|m| bad(&m))?,
            variables: take(&mut fields, "variables", "an object", object).map_err(|m| bad(&m))?,
            extensions: take(&mut fields, "extensions", "an object", object)
                .map_err(|m| bad(&m))?,
        };
        if incoming.query.is_none() && incoming.extensions.is_none() {
            return Err(bad("the body must be an object with a string \"query\""));
        }
        Ok(incoming)
    }

    /// From a GET query string: `query`, and `variables` / `extensions` as JSON text.
    fn from_query_string(raw: &str) -> Result<Incoming, Refusal> {
        let bad = |m: String| Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", m);
        let mut incoming = Incoming::default();
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let json = |what: &str| {
                serde_json::from_str::<Value>(&value)
                    .ok()
                    .filter(|v| v.is_object() || v.is_null())
                    .ok_or_else(|| bad(format!("{what} must be a JSON object")))
            };
            match key.as_ref() {
                "query" => incoming.query = Some(value.clone().into_owned()),
                "operationName" => incoming.operation_name = Some(value.clone().into_owned()),
                "variables" => incoming.variables = Some(json("variables")?),
                "extensions" => incoming.extensions = Some(json("extensions")?),
                _ => {}
            }
        }
        Ok(incoming)
    }
}

/// Takes the field `name` when `kind` reads it (absent or null: none); otherwise says it must be
/// `what`.
fn take<T>(
    fields: &mut serde_json::Map<String, Value>,
    name: &str,
    what: &str,
    kind: fn(Value) -> Option<T>,
) -> Result<Option<T>, String> {
    match fields.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => kind(v)
            .map(Some)
            .ok_or_else(|| format!("\"{name}\" must be {what}")),
    }
}

fn string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn object(v: Value) -> Option<Value> {
    v.is_object().then_some(v)
}

/// `POST /graphql`.
pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let Some(media) = Media::negotiate(request.headers()) else {
        return not_acceptable();
    };
    let body = match read_body(request, &state.limits).await {
        Ok(b) => b,
        Err(refusal) => return refusal.respond(media),
    };
    match Incoming::from_body(&body) {
        Ok(incoming) => run(&state, incoming, media, Method::POST, &HeaderMap::new()).await,
        Err(refusal) => refusal.respond(media),
    }
}

/// `GET /graphql`: a query in the URL; without one, a browser gets the playground.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default(); // no query string: no parameters
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let Some(media) = Media::negotiate(&headers) else {
        return if wants_html {
            playground::page().await.into_response()
        } else {
            not_acceptable()
        };
    };
    let incoming = match Incoming::from_query_string(&raw) {
        Ok(i) => i,
        Err(refusal) => return refusal.respond(media),
    };
    if incoming.query.is_none() && incoming.extensions.is_none() {
        if wants_html {
            return playground::page().await.into_response();
        }
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "GET /graphql needs ?query=… (and optionally variables, operationName)",
        )
        .respond(media);
    }
    run(&state, incoming, media, Method::GET, &headers).await
}

fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        "accepts application/graphql-response+json or application/json",
    )
        .into_response()
}

/// Resolves persisted queries, checks the document, executes it and answers in `media`.
async fn run(
    state: &AppState,
    incoming: Incoming,
    media: Media,
    method: Method,
    headers: &HeaderMap,
) -> Response {
    let started = Instant::now();
    let limits = &state.limits;
    let query = match state
        .persisted
        .resolve(incoming.query, incoming.extensions.as_ref())
    {
        Ok(q) => q,
        Err(refusal) => return refusal.respond(media),
    };
    let mut request = async_graphql::Request::new(query);
    if let Some(v) = incoming.variables {
        request = request.variables(async_graphql::Variables::from_json(v));
    }
    if let Some(name) = &incoming.operation_name {
        request = request.operation_name(name);
    }
    let operation = match precheck(&mut request, limits, &state.types) {
        Ok(op) => op,
        Err(refusal) => return refusal.respond(media),
    };
    if let Some(name) = &operation.name {
        tracing::Span::current().record("operation", name.as_str());
    }
    if method == Method::GET && operation.ty != OperationType::Query {
        return Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "GET runs queries only; send other operations with POST",
        )
        .respond(media);
    }
    let Ok(_permit) = state.in_flight.try_acquire() else {
        return Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_BUSY",
            "too many requests in flight; retry shortly",
        )
        .respond(media);
    };
    // One read-model version for the whole request, named in `extensions.cursor`.
    let snapshot = state.current.load_full();
    let cursor = snapshot.cursor;
    let request = request.data(crate::schema::common::Version(snapshot));
    let timeout = Duration::from_millis(limits.request_timeout_ms);
    let mut response = match tokio::time::timeout(timeout, state.schema.execute(request)).await {
        Ok(r) => r,
        Err(_) => {
            return Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "TIMEOUT",
                format!(
                    "the request took longer than {} ms",
                    limits.request_timeout_ms
                ),
            )
            .respond(media);
        }
    };
    let outcome = classify(&mut response);
    telemetry::observe(outcome, operation.name.as_deref(), started.elapsed());
    response.extensions.insert(
        "cursor".to_owned(),
        async_graphql::Value::String(cursor.to_string()),
    );
    answer(response, media, method, headers)
}

/// The HTTP answer for an executed request; GET answers without errors are cacheable.
fn answer(
    response: async_graphql::Response,
    media: Media,
    method: Method,
    headers: &HeaderMap,
) -> Response {
    // Errors before execution (validation) leave no data: a request error.
    let request_error = !response.errors.is_empty() && response.data == async_graphql::Value::Null;
    let cacheable = method == Method::GET && response.errors.is_empty();
    let body = match serde_json::to_string(&response) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a response");
            return Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal error",
            )
            .respond(media);
        }
    };
    let status = if request_error && media == Media::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let etag = cacheable.then(|| {
        let digest = hex::encode(Sha256::digest(body.as_bytes()));
        format!("\"{}\"", &digest[..32])
    });
    let not_modified = etag.as_ref().is_some_and(|etag| {
        headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    });
    let mut r = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, body).into_response()
    };
    set_content_type(&mut r, media);
    let h = r.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    match etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        Some(etag) => {
            h.insert(header::ETAG, etag);
            let cache = format!("public, max-age={GET_MAX_AGE_SECS}");
            if let Ok(v) = HeaderValue::from_str(&cache) {
                h.insert(header::CACHE_CONTROL, v);
            }
        }
        None => {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    r
}

/// The request body, refused before a byte of it is read when its headers already disqualify it
/// (compressed, not JSON, or a `Content-Length` over the limit, so `Expect: 100-continue` gets 413
/// rather than `100 Continue`), and read under a total deadline.
async fn read_body(request: Request, limits: &Limits) -> Result<Bytes, Refusal> {
    let headers = request.headers();
    let unsupported = |m: &str| {
        Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            m,
        )
    };
    if headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"))
    {
        return Err(unsupported(
            "compressed request bodies are not accepted; send the JSON uncompressed",
        ));
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(unsupported(
            "send the request as Content-Type: application/json",
        ));
    }
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!(
                "request body is larger than {} bytes",
                limits.max_body_bytes
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return Err(too_large());
    }
    let body = http_body_util::Limited::new(request.into_body(), limits.max_body_bytes);
    let deadline = Duration::from_secs(limits.body_read_secs.max(1));
    match tokio::time::timeout(deadline, http_body_util::BodyExt::collect(body)).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(_)) => Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "could not read the request body",
        )),
        Err(_) => Err(Refusal::new(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            format!(
                "the request body took longer than {} s to arrive",
                limits.body_read_secs
            ),
        )),
    }
}

/// Bounds a query's cost before async-graphql validates it: tokens before parsing, then fields,
/// aliases and depth after fragment expansion (see `precheck`). The parsed document is kept in
/// the request, so it is parsed once. Returns the operation that will run; an operation name that
/// matches none, or several operations and no name, is refused here.
fn precheck(
    request: &mut async_graphql::Request,
    limits: &Limits,
    types: &crate::literals::SchemaTypes,
) -> Result<Operation, Refusal> {
    let too_complex = |message: String| Refusal::request(crate::error::QUERY_TOO_COMPLEX, message);
    let tokens = precheck::tokens(&request.query, limits.max_tokens);
    if tokens > limits.max_tokens {
        return Err(too_complex(format!(
            "query has {tokens} tokens; the limit is {}",
            limits.max_tokens
        )));
    }
    let name = request.operation_name.clone();
    let variables = request.variables.clone();
    let doc = match request.parsed_query() {
        Ok(doc) => doc,
        Err(e) => {
            let first = e.message.lines().next().unwrap_or("cannot parse the query");
            let mut refusal =
                Refusal::request("GRAPHQL_PARSE_FAILED", format!("syntax error: {first}"));
            refusal.locations = e.locations;
            return Err(refusal);
        }
    };
    let shape = match precheck::Shape::of(doc) {
        Ok(shape) => shape,
        Err(e @ precheck::ShapeError::Cycle(_)) => {
            return Err(Refusal::request("GRAPHQL_VALIDATION_FAILED", e.to_string()));
        }
        Err(e) => return Err(too_complex(e.to_string())),
    };
    let checks = [
        (
            "fields after fragment expansion",
            shape.fields,
            limits.max_fields,
        ),
        ("aliases", shape.aliases, limits.max_aliases),
        ("levels of nesting", shape.depth, limits.max_depth),
    ];
    for (what, found, limit) in checks {
        if found > limit as u64 {
            return Err(too_complex(format!(
                "query has {found} {what}; the limit is {limit}"
            )));
        }
    }
    // The operation to run, chosen here as GraphQL's rules say, so that the only validation
    // errors async-graphql reports without a location are its cost limits.
    let operation = match &name {
        Some(name) => doc
            .operations
            .iter()
            .find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None if doc.operations.iter().nth(1).is_some() => {
            return Err(Refusal::request(
                "GRAPHQL_VALIDATION_FAILED",
                "the document has several operations; name the one to run in operationName",
            ));
        }
        None => doc.operations.iter().next(),
    };
    let Some((op_name, op)) = operation else {
        let message = match &name {
            Some(name) => format!(
                "the document has no operation named \"{}\"",
                crate::schema::common::preview(name)
            ),
            None => "the document has no operation".to_owned(),
        };
        return Err(Refusal::request("GRAPHQL_VALIDATION_FAILED", message));
    };
    if let Some(message) = types.string_for_enum(doc, &op.node) {
        return Err(Refusal::request("GRAPHQL_VALIDATION_FAILED", message));
    }
    // A non-null variable sent as null is a request error (GraphQL's coercion rules); async-graphql
    // would use the argument's default instead.
    for def in &op.node.variable_definitions {
        let def = &def.node;
        let sent_null = variables
            .get(def.name.node.as_str())
            .is_some_and(|v| *v == async_graphql::Value::Null);
        if !def.var_type.node.nullable && sent_null {
            return Err(Refusal::request(
                "BAD_USER_INPUT",
                format!(
                    "variable ${} of type {} must not be null",
                    def.name.node, def.var_type.node
                ),
            ));
        }
    }
    Ok(Operation {
        ty: op.node.ty,
        name: op_name.map(|n| n.to_string()),
    })
}

/// The operation a request runs, as the precheck found it in the document.
struct Operation {
    /// Query, mutation or subscription.
    ty: OperationType,
    /// The operation's name in the document (`None` when anonymous).
    name: Option<String>,
}

/// The schema behind the same checks as the HTTP endpoint, for the WebSocket transport
/// (`/graphql/ws`, `graphql-transport-ws`): a subscription document is priced, and refused, exactly
/// like a query sent over HTTP.
#[derive(Clone)]
pub struct Checked {
    pub schema: crate::schema::BaygraphSchema,
    pub limits: std::sync::Arc<Limits>,
    pub types: std::sync::Arc<crate::literals::SchemaTypes>,
}

impl Refusal {
    /// The refusal as a GraphQL response (for transports without HTTP status codes).
    fn into_graphql(self) -> async_graphql::Response {
        telemetry::count_request(self.code);
        let mut error =
            async_graphql::ServerError::new(self.message, self.locations.first().copied());
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", self.code);
        error.extensions = Some(extensions);
        async_graphql::Response::from_errors(vec![error])
    }
}

impl async_graphql::Executor for Checked {
    async fn execute(&self, mut request: async_graphql::Request) -> async_graphql::Response {
        if let Err(refusal) = precheck(&mut request, &self.limits, &self.types) {
            return refusal.into_graphql();
        }
        let mut response = self.schema.execute(request).await;
        classify(&mut response);
        response
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session_data: Option<std::sync::Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        use futures_util::StreamExt as _;
        if let Err(refusal) = precheck(&mut request, &self.limits, &self.types) {
            return futures_util::stream::once(std::future::ready(refusal.into_graphql())).boxed();
        }
        async_graphql::Executor::execute_stream(&self.schema, request, session_data)
            .map(|mut response| {
                classify(&mut response);
                response
            })
            .boxed()
    }
}

/// Gives every error an `extensions.code`; hides the text of unexpected ones (logged instead).
fn classify(response: &mut async_graphql::Response) -> &'static str {
    let mut outcome = "ok";
    for e in &mut response.errors {
        let set = e.extensions.as_ref().and_then(|x| match x.get("code") {
            Some(async_graphql::Value::String(code)) => Some(code.clone()),
            _ => None,
        });
        // Every error Baygraph raises carries its code (resolvers' `ApiError`s). An uncoded error
        // is async-graphql's: a document-wide limit (complexity, depth: no path, no location —
        // the operation-selection errors that also lack one are refused by the precheck), a
        // validation rule (no path, a location), or an unexpected failure in a resolver (a
        // path), whose text is not for clients.
        outcome = match set {
            Some(code) => crate::error::ApiError::CODES
                .iter()
                .find(|c| **c == code)
                .copied()
                .unwrap_or("USER_ERROR"),
            None => {
                let code = if !e.path.is_empty() {
                    tracing::error!(message = %e.message, path = ?e.path, "resolver error");
                    e.message = "internal error".to_owned();
                    "INTERNAL_SERVER_ERROR"
                } else if e.locations.is_empty() {
                    crate::error::QUERY_TOO_COMPLEX
                } else {
                    "GRAPHQL_VALIDATION_FAILED"
                };
                e.extensions
                    .get_or_insert_with(Default::default)
                    .set("code", code);
                code
            }
        };
    }
    outcome
}
