//! Baygraph end-to-end tests, one binary. Every test runs on a fresh database: SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL` names a server (each test then gets its own database).
mod api_contract;
mod api_graph;
mod api_http;
mod api_limits;
mod entities;
mod feeds;
mod feeds_import;
mod feeds_integrity;
mod graphql_http;
mod helpers;
mod hostile;
mod load;
mod mirror;
mod read_model;
mod seeds;
mod snapshot;
mod validation;
mod vocabulary;
