//! Baygraph API
