//! The API's errors and the `extensions.code` each carries to the client.
use async_graphql::ErrorExtensions;

/// Page size cap for every connection.
pub const MAX_PAGE: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The client sent an argument that cannot be used (bad ID, bad cursor, page too large): `BAD_USER_INPUT`.
    #[error("{0}")]
    BadInput(String),
    /// A change cursor older than the change log's retention (deletions before it are purged):
    /// `CURSOR_EXPIRED`; take a fresh export and follow from its cursor.
    #[error("{0}")]
    CursorExpired(String),
    /// Something failed inside the server; the client sees a generic message, the log has the cause: `INTERNAL_SERVER_ERROR`.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    const BAD_INPUT: &str = "BAD_USER_INPUT";
    const CURSOR_EXPIRED: &str = "CURSOR_EXPIRED";
    const INTERNAL: &str = "INTERNAL_SERVER_ERROR";

    /// Every code a resolver sets: a fixed set, so a metric label never carries client text.
    pub const CODES: [&str; 3] = [Self::BAD_INPUT, Self::CURSOR_EXPIRED, Self::INTERNAL];

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadInput(_) => Self::BAD_INPUT,
            ApiError::CursorExpired(_) => Self::CURSOR_EXPIRED,
            ApiError::Internal => Self::INTERNAL,
        }
    }
}

/// The code of every cost refusal (tokens, fields, aliases, depth, complexity), before or during
/// validation.
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.to_string()).extend_with(|_, e| e.set("code", self.code()))
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        // The database's text never reaches the client.
        tracing::error!(error = %e, "database error");
        ApiError::Internal
    }
}

/// Result type of resolvers.
pub type Res<T> = Result<T, async_graphql::Error>;

/// Maps a database error to the generic internal error (logged).
pub fn db(e: sea_orm::DbErr) -> async_graphql::Error {
    ApiError::from(e).extend()
}

/// A `BAD_USER_INPUT` error with `message`.
pub fn bad_input(message: impl Into<String>) -> async_graphql::Error {
    ApiError::BadInput(message.into()).extend()
}

/// The generic internal error (the cause is logged where it happens).
pub fn internal() -> async_graphql::Error {
    ApiError::Internal.extend()
}
