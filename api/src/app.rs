//! The one function that builds the HTTP application, used by `main` and by the tests.
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::config::{Config, Limits};
use crate::feeds::changelog::cursor as change_cursor;
use crate::index::Index;
use crate::schema::{self, BaygraphSchema, SharedIndex};
use crate::{explore, feeds, playground, precheck, telemetry};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub schema: BaygraphSchema,
    pub db: DatabaseConnection,
    pub index: SharedIndex,
    pub limits: Arc<Limits>,
    pub in_flight: Arc<Semaphore>,
    /// Exports and change streams running at once (each holds a database connection).
    pub feed_slots: Arc<Semaphore>,
}

/// Builds the router over a connected, migrated database, and starts the task that keeps the
/// read model in step with the database's change log.
pub async fn app(db: DatabaseConnection, config: &Config) -> Result<Router, sea_orm::DbErr> {
    let index: SharedIndex = Arc::new(RwLock::new(Arc::new(Index::build(&db).await?)));
    tokio::spawn(refresh(
        db.clone(),
        index.clone(),
        Duration::from_secs(config.refresh_secs.max(1)),
    ));
    let limits = config.limits.clone();
    let state = AppState {
        schema: schema::build(&db, index.clone(), &limits),
        db,
        index,
        in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
        feed_slots: Arc::new(Semaphore::new(limits.max_feeds.max(1))),
        limits: Arc::new(limits),
    };
    let cors = if config.cors_origins.is_empty() {
        CorsLayer::new().allow_origin(AllowOrigin::any())
    } else {
        let origins: Vec<HeaderValue> = config
            .cors_origins
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect();
        CorsLayer::new().allow_origin(origins)
    }
    .allow_methods([Method::GET, Method::POST])
    .allow_headers([header::CONTENT_TYPE]);
    Ok(Router::new()
        .route("/graphql", get(playground::page).post(graphql))
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/metrics", get(|| async { telemetry::render_metrics() }))
        .route("/export/{file}", get(feeds::export))
        .route("/changes", get(feeds::changes))
        .merge(playground::routes())
        .merge(explore::routes())
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new()))
}

/// Rebuilds the read model whenever the change log has moved on.
async fn refresh(db: DatabaseConnection, index: SharedIndex, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let current = index.read().map(|i| i.cursor).unwrap_or_default();
        match change_cursor(&db).await {
            Ok(latest) if latest != current => match Index::build(&db).await {
                Ok(fresh) => {
                    if let Ok(mut slot) = index.write() {
                        *slot = Arc::new(fresh);
                    }
                    tracing::info!(cursor = latest, "graph read model refreshed");
                }
                Err(e) => tracing::error!(error = %e, "read model refresh failed"),
            },
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "change log unreachable"),
        }
    }
}

/// Ready when the database answers and no migration is pending.
async fn ready(State(state): State<AppState>) -> Response {
    let pending = Migrator::get_pending_migrations(&state.db).await;
    let cursor = state.index.read().map(|i| i.cursor).unwrap_or_default();
    match (state.db.ping().await, pending) {
        (Ok(()), Ok(p)) if p.is_empty() => {
            axum::Json(json!({ "status": "ready", "cursor": cursor })).into_response()
        }
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}

/// A GraphQL error response for a request that never reached execution.
fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    telemetry::count_request(code);
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })),
    )
        .into_response()
}

/// `POST /graphql`: one operation per request (batches are refused), limits checked before parsing.
async fn graphql(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let started = Instant::now();
    let limits = &state.limits;
    let body = match read_body(request, limits).await {
        Ok(b) => b,
        Err(refusal) => return refusal.into_response(),
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the body is not JSON; send {\"query\": \"…\", \"variables\": {…}}",
            );
        }
    };
    if value.is_array() {
        return refuse(
            StatusCode::BAD_REQUEST,
            "BATCHING_NOT_SUPPORTED",
            "batched requests are not supported; send one operation per request",
        );
    }
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the body must be an object with a string \"query\"",
        );
    }
    let request: async_graphql::Request = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the body must be an object with a string \"query\"",
            );
        }
    };
    let mut request = request;
    if let Err(refusal) = precheck(&mut request, limits) {
        return refusal.into_response();
    }
    let Ok(_permit) = state.in_flight.try_acquire() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_BUSY",
            "too many requests in flight; retry shortly",
        );
    };
    let timeout = Duration::from_millis(limits.request_timeout_ms);
    let mut response = match tokio::time::timeout(timeout, state.schema.execute(request)).await {
        Ok(r) => r,
        Err(_) => {
            return refuse(
                StatusCode::OK,
                "TIMEOUT",
                &format!(
                    "the request took longer than {} ms",
                    limits.request_timeout_ms
                ),
            );
        }
    };
    let outcome = classify(&mut response);
    telemetry::observe(outcome, started.elapsed());
    axum::Json(response).into_response()
}

/// The request body, refused before a byte of it is read when its headers already disqualify it
/// (compressed, not JSON, or a `Content-Length` over the limit, so `Expect: 100-continue` gets 413
/// rather than `100 Continue`), and read under a total deadline.
async fn read_body(request: axum::extract::Request, limits: &Limits) -> Result<Bytes, Refusal> {
    let headers = request.headers();
    if headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"))
    {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "compressed request bodies are not accepted; send the JSON uncompressed",
        ));
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
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
/// the request, so it is parsed once.
fn precheck(request: &mut async_graphql::Request, limits: &Limits) -> Result<(), Refusal> {
    let too_complex = |message: String| Refusal::new(StatusCode::OK, "QUERY_TOO_COMPLEX", message);
    let tokens = precheck::tokens(&request.query);
    if tokens > limits.max_tokens {
        return Err(too_complex(format!(
            "query has {tokens} tokens; the limit is {}",
            limits.max_tokens
        )));
    }
    let doc = match request.parsed_query() {
        Ok(doc) => doc,
        Err(e) => {
            let message = format!(
                "syntax error: {}",
                e.message.lines().next().unwrap_or("cannot parse the query")
            );
            return Err(Refusal::new(
                StatusCode::OK,
                "GRAPHQL_PARSE_FAILED",
                message,
            ));
        }
    };
    let shape = match precheck::Shape::of(doc) {
        Ok(shape) => shape,
        Err(e @ precheck::ShapeError::Cycle(_)) => {
            return Err(Refusal::new(
                StatusCode::OK,
                "GRAPHQL_VALIDATION_FAILED",
                e.to_string(),
            ));
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
    Ok(())
}

/// A request refused before it reached execution: its status, code and message.
struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refuse(self.status, self.code, &self.message)
    }
}

/// Gives every error an `extensions.code`; hides the text of unexpected ones (logged instead).
fn classify(response: &mut async_graphql::Response) -> &'static str {
    let mut outcome = "ok";
    for e in &mut response.errors {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        let code = if has_code {
            "USER_ERROR"
        } else if e.message.starts_with("Query is nested too deep")
            || e.message.starts_with("Query is too complex")
        {
            "QUERY_TOO_COMPLEX"
        } else if e.path.is_empty() {
            "GRAPHQL_VALIDATION_FAILED"
        } else {
            tracing::error!(message = %e.message, path = ?e.path, "resolver error");
            e.message = "internal error".to_owned();
            "INTERNAL_SERVER_ERROR"
        };
        if !has_code {
            e.extensions
                .get_or_insert_with(Default::default)
                .set("code", code);
        }
        outcome = code;
    }
    outcome
}
