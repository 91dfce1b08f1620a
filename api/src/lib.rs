#![doc = include_str!("../README.md")]

pub mod app;
pub mod config;
mod embedded;
pub mod endpoint;
pub mod error;
pub mod explore;
pub mod feeds;
pub mod literals;
pub mod playground;
pub mod precheck;
pub mod records;
pub mod refresh;
pub mod schema;
pub mod serve;
pub mod snapshot;
pub mod telemetry;

pub use app::app;
pub use config::Config;
pub use serve::serve;
