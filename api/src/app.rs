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
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::config::{Config, Limits};
use crate::endpoint::persisted::{ManifestError, PersistedQueries};
use crate::feeds::changelog::cursor as change_cursor;
use crate::index::Index;
use crate::schema::{self, BaygraphSchema, SharedIndex};
use crate::{endpoint, explore, feeds, playground, telemetry};

const X_REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

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
    /// Persisted queries (APQ cache, allow-list).
    pub persisted: Arc<PersistedQueries>,
    /// Argument types, for the checks async-graphql does not make (see `literals`).
    pub types: Arc<crate::literals::SchemaTypes>,
}

/// Why the app cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("persisted queries: {0}")]
    Manifest(#[from] ManifestError),
}

/// Builds the router over a connected, migrated database, and starts the task that keeps the
/// read model in step with the database's change log.
pub async fn app(db: DatabaseConnection, config: &Config) -> Result<Router, AppError> {
    telemetry::init_metrics();
    let persisted =
        PersistedQueries::configured(config.persisted_queries.as_deref(), config.persisted_only)?;
    let built = Index::build_consistent(&db).await?;
    telemetry::cursors(built.cursor, built.cursor);
    let index: SharedIndex = Arc::new(arc_swap::ArcSwap::from_pointee(built));
    tokio::spawn(refresh(
        db.clone(),
        index.clone(),
        Duration::from_millis(config.refresh_ms.max(50)),
    ));
    let limits = config.limits.clone();
    let built_schema = schema::build(&db, index.clone(), &limits);
    // The argument types come from the schema just built, not from a second one.
    let types = crate::literals::SchemaTypes::from_sdl(&built_schema.sdl());
    let state = AppState {
        schema: built_schema,
        db,
        index,
        in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
        feed_slots: Arc::new(Semaphore::new(limits.max_feeds.max(1))),
        persisted: Arc::new(persisted),
        types: Arc::new(types),
        limits: Arc::new(limits),
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
    Ok(Router::new()
        .route("/graphql", get(endpoint::get).post(endpoint::post))
        .route_service("/graphql/ws", GraphQLSubscription::new(checked))
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

/// Rebuilds the read model whenever the change log has moved on.
async fn refresh(db: DatabaseConnection, index: SharedIndex, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let current = index.load().cursor;
        let latest = change_cursor(&db).await;
        if let Ok(latest) = latest {
            telemetry::cursors(current, latest);
        }
        match latest {
            Ok(latest) if latest != current => match Index::build_consistent(&db).await {
                Ok(fresh) => {
                    telemetry::cursors(fresh.cursor, latest);
                    index.store(Arc::new(fresh));
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
    let pending = loader::pending_migrations(&state.db).await;
    let cursor = state.index.load().cursor;
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
