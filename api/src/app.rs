//! The one function that builds the HTTP application, used by `main` and by the tests.
use std::sync::Arc;
use std::time::Duration;

use async_graphql_axum::GraphQLSubscription;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use serde_json::json;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::{CompressionLevel, LatencyUnit};

use crate::config::{Config, Limits};
use crate::endpoint::persisted::{ManifestError, PersistedQueries};
use crate::schema::{self, BaygraphSchema, SharedSnapshot};
use crate::snapshot::BuildError;
use crate::{endpoint, explore, feeds, playground, refresh, telemetry};

const X_REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub schema: BaygraphSchema,
    pub db: DatabaseConnection,
    pub current: SharedSnapshot,
    pub limits: Arc<Limits>,
    pub in_flight: Arc<Semaphore>,
    /// Exports and change streams running at once (each holds a database connection).
    pub feed_slots: Arc<Semaphore>,
    /// Persisted queries (APQ cache, allow-list).
    pub persisted: Arc<PersistedQueries>,
    /// Argument types, for the checks async-graphql does not make (see `literals`).
    pub types: Arc<crate::literals::SchemaTypes>,
    /// Where the first read model came from (`/ready`'s `readModel`).
    pub origin: refresh::Origin,
}

/// Why the app cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("read model: {0}")]
    Snapshot(#[from] BuildError),
    #[error("persisted queries: {0}")]
    Manifest(#[from] ManifestError),
}

/// Builds the router over a connected, migrated database, and starts the task that keeps the
/// read model in step with the database's change log.
pub async fn app(db: DatabaseConnection, config: &Config) -> Result<Router, AppError> {
    telemetry::init_metrics();
    let persisted =
        PersistedQueries::configured(config.persisted_queries.as_deref(), config.persisted_only)?;
    let cache = refresh::Cache::open(&db, config).await;
    let (built, origin) = refresh::start(&db, cache.as_ref()).await?;
    telemetry::cursors(built.cursor, built.cursor);
    telemetry::read_model(&built);
    let current: SharedSnapshot = Arc::new(arc_swap::ArcSwap::from_pointee(built));
    tokio::spawn(refresh::follow(
        db.clone(),
        current.clone(),
        Duration::from_millis(config.refresh_ms.max(50)),
        cache,
        origin,
    ));
    let limits = config.limits.clone();
    let built_schema = schema::build(&db, current.clone(), &limits);
    // The argument types come from the schema just built, not from a second one.
    let types = crate::literals::SchemaTypes::from_sdl(&built_schema.sdl());
    let state = AppState {
        schema: built_schema,
        db,
        current,
        in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
        feed_slots: Arc::new(Semaphore::new(limits.max_feeds.max(1))),
        persisted: Arc::new(persisted),
        types: Arc::new(types),
        limits: Arc::new(limits),
        origin,
    };
    let checked = endpoint::Checked {
        schema: state.schema.clone(),
        limits: state.limits.clone(),
        types: state.types.clone(),
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
    .allow_headers([header::CONTENT_TYPE, header::ACCEPT, X_REQUEST_ID])
    .expose_headers([X_REQUEST_ID, header::ETAG]);
    // GraphQL answers are compressed at the fastest level: for a few kilobytes the default level
    // cost a sixth of a list's CPU (measured with perf) for a few per cent of size. Feeds, large
    // and downloaded once, keep the default level.
    let graphql = Router::new()
        .route("/graphql", get(endpoint::get).post(endpoint::post))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest));
    let rest = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/metrics", get(|| async { telemetry::render_metrics() }))
        .route("/export/{file}", get(feeds::export))
        .route("/changes", get(feeds::changes))
        .merge(playground::routes())
        .merge(explore::routes())
        .layer(CompressionLayer::new());
    Ok(Router::new()
        .merge(graphql)
        .merge(rest)
        .route_service("/graphql/ws", GraphQLSubscription::new(checked))
        .with_state(state)
        .layer(cors)
        .layer(axum::middleware::from_fn(telemetry::track))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(CatchPanicLayer::new()))
}

/// Ready when the database answers and no migration is pending.
async fn ready(State(state): State<AppState>) -> Response {
    let pending = loader::pending_migrations(&state.db).await;
    let cursor = state.current.load().cursor;
    match (state.db.ping().await, pending) {
        (Ok(()), Ok(p)) if p.is_empty() => axum::Json(json!({
            "status": "ready",
            "cursor": cursor,
            "readModel": state.origin.as_str(),
        }))
        .into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}
