//! Pages built into the binary with the files they load, served by name: the playground with its
//! vendored GraphiQL, the explorer with its bundle.
use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// Embedded files: name, bytes.
pub type Files = [(&'static str, &'static [u8])];

/// Embeds the files named, from `dir` (relative to `api/src/`), each under its own name.
macro_rules! files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!($dir, $name)))),*]
    };
}
pub(crate) use files;

/// `page` at `path`, and each of `files` at `files_path` (a route with `{name}`) with
/// `cache_control`.
pub fn routes<S: Clone + Send + Sync + 'static>(
    path: &str,
    page: &'static str,
    files_path: &str,
    files: &'static Files,
    cache_control: &'static str,
) -> Router<S> {
    Router::new()
        .route(path, get(move || async move { Html(page) }))
        .route(
            files_path,
            get(move |Path(name): Path<String>| async move { serve(files, &name, cache_control) }),
        )
}

/// The file `name` of `files`, with its content type and `cache_control`; 404 when none has it.
fn serve(files: &Files, name: &str, cache_control: &'static str) -> Response {
    match files.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type(name)),
                (header::CACHE_CONTROL, cache_control),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A file's content type, from its name's extension (the pages load scripts and style sheets).
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    }
}
