//! The graph explorer at `/explore`: a small front-end (source in `explorer/`) that uses only the
//! public GraphQL API. Its built bundle is committed in `api/assets/explorer/` (generated; rebuild
//! with `npm run build` in `explorer/`), so the API serves it with no Node and no internet.
use axum::Router;

use crate::embedded;

const PAGE: &str = include_str!("../assets/explorer/index.html");

/// Bundle files, each served under its own name.
const ASSETS: &embedded::Files =
    embedded::files!("../assets/explorer/": "explore.js", "explore.css");

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    embedded::routes(
        "/explore",
        PAGE,
        "/explore/assets/{name}",
        ASSETS,
        "public, max-age=300",
    )
}
