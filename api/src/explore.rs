//! The graph explorer at `/explore`: a small front-end (source in `explorer/`) that uses only the
//! public GraphQL API. Its built bundle is committed in `api/assets/explorer/` (generated; rebuild
//! with `npm run build` in `explorer/`), so the API serves it with no Node and no internet.
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

const PAGE: &str = include_str!("../assets/explorer/index.html");

/// Bundle files: name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "explore.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/explorer/explore.js"),
    ),
    (
        "explore.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/explorer/explore.css"),
    ),
];

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/explore", get(page))
        .route("/explore/assets/{name}", get(asset))
}
