//! The playground at `/`: GraphiQL with its assets served by the API itself (no CDN), preloaded
//! with example queries. Third-party files live in `api/assets/vendor/` (see its README).
use axum::Router;
use axum::response::Html;

use crate::embedded;

const PAGE: &str = include_str!("../assets/playground.html");

/// Vendored files, each served under its own name.
const ASSETS: &embedded::Files = embedded::files!(
    "../assets/vendor/": "graphiql.min.js",
    "graphiql.min.css",
    "react.production.min.js",
    "react-dom.production.min.js",
);

/// The playground page.
pub async fn page() -> Html<&'static str> {
    Html(PAGE)
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    // Versioned, vendored files: cache for a day.
    embedded::routes(
        "/",
        PAGE,
        "/playground/assets/{name}",
        ASSETS,
        "public, max-age=86400",
    )
}
