//! The graph explorer at `/explore`: a small front-end (source in `explorer/`) that uses only the
//! public GraphQL API. Its built bundle is committed in `api/assets/explorer/` (generated; rebuild
//! with `npm run build` in `explorer/`), so the API serves it with no Node and no internet.
use std::sync::LazyLock;

use axum::Router;
use sha2::{Digest, Sha256};

use crate::embedded;

/// Bundle files, each served under its own name.
const ASSETS: &embedded::Files =
    embedded::files!("../assets/explorer/": "explore.js", "explore.css");

/// The page, from its source in `explorer/`: each asset's URL there ends in `{{VERSION}}`, which
/// becomes the asset's content hash, so a rebuilt API never serves a new page with a cached old
/// bundle.
static PAGE: LazyLock<String> = LazyLock::new(|| {
    let mut page = include_str!("../../explorer/index.html").to_owned();
    for (name, bytes) in ASSETS {
        let url = format!("/explore/assets/{name}");
        let hash = hex::encode(Sha256::digest(bytes));
        page = page.replace(
            &format!("{url}{{{{VERSION}}}}"),
            &format!("{url}?v={}", &hash[..12]),
        );
    }
    page
});

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    embedded::routes(
        "/explore",
        PAGE.as_str(),
        "/explore/assets/{name}",
        ASSETS,
        "public, max-age=300",
    )
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    #[test]
    fn the_page_names_each_asset_with_its_content_hash() {
        let page = super::PAGE.as_str();
        assert!(!page.contains("{{"), "a placeholder is left in the page");
        for (name, bytes) in super::ASSETS {
            let hash = hex::encode(Sha256::digest(bytes));
            let url = format!("/explore/assets/{name}?v={}", &hash[..12]);
            assert!(page.contains(&url), "the page does not load {url}");
        }
    }
}
