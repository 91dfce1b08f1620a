//! Runs the API: reads config, opens and migrates the database, fills it from the seeds when it is
//! empty, and serves until SIGTERM or Ctrl-C.
use anyhow::Context;
use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = api::Config::parse();
    // Held until the end of `main`: dropping it flushes the spans still queued for export.
    let _otlp = api::telemetry::init_logs(config.log_format, config.otlp_endpoint.as_deref())?;
    let db = if config.read_only {
        loader::connect_read_only(&config.database_url, config.db_connections)
            .await
            .with_context(|| {
                format!("cannot open the database {} read-only", config.database_url)
            })?
    } else {
        // Before the database: a wrong seeds path must not leave an empty database behind.
        let seeds = config.seeds_dir()?;
        let db = loader::connect(&config.database_url, config.db_connections)
            .await
            .with_context(|| format!("cannot open the database {}", config.database_url))?;
        if let Some(summary) = loader::load_if_empty(&db, &seeds)
            .await
            .with_context(|| format!("cannot load seeds from {}", seeds.display()))?
        {
            tracing::info!(
                "filled the empty database from {}:\n{summary}",
                seeds.display()
            );
        }
        db
    };
    let app = api::app(db, &config)
        .await
        .context("cannot build the app")?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(
        "Baygraph API on http://{}/ (playground), POST /graphql",
        config.listen
    );
    api::serve(listener, app, &config.limits, shutdown()).await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
