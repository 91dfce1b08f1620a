//! The `loader` command line: validate, load, report, coverage and synth over a seeds directory.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use loader::LoadError;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Fills Baygraph's database from seeds/, all or nothing.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the seeds and report every problem as file:line; writes nothing.
    Validate {
        /// The seeds directory.
        #[arg(default_value = "seeds")]
        seeds: PathBuf,
        #[command(flatten)]
        care: Care,
    },
    /// Validate, then bring the database to exactly the seeds' content in one transaction.
    Load {
        /// The seeds directory.
        #[arg(default_value = "seeds")]
        seeds: PathBuf,
        /// `sqlite://…` or `postgres://…`; defaults to the API's embedded SQLite file.
        #[arg(long, env = "DATABASE_URL", default_value = loader::DEFAULT_DATABASE_URL)]
        database_url: String,
        #[command(flatten)]
        care: Care,
        /// Allow deleting more than 20 % of a kind's records in one load.
        #[arg(long)]
        allow_deletions: bool,
    },
    /// Import a partner feed (NDJSON or CSV, see docs/feeds.md) under origin `feed:NAME`, all or nothing.
    Import {
        /// The feed file (`.ndjson`/`.jsonl` or `.csv`).
        file: PathBuf,
        /// The partner's feed name (kebab-case); a later import with the same name replaces its records.
        #[arg(long)]
        feed: String,
        /// Allow the feed to retract more than 20 % of the records it sent before.
        #[arg(long)]
        allow_deletions: bool,
        /// `sqlite://…` or `postgres://…`; defaults to the API's embedded SQLite file.
        #[arg(long, env = "DATABASE_URL", default_value = loader::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Keep a Baygraph database of its own in sync with a Baygraph API (export, then changes),
    /// resuming from the cursor it stored; see docs/feeds.md.
    Mirror {
        /// The API to follow, e.g. `http://127.0.0.1:8000`.
        #[arg(long)]
        from: String,
        /// The mirror database, `sqlite://…` or `postgres://…`.
        #[arg(long, env = "DATABASE_URL", default_value = loader::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Counts per kind and per source, and records without relations, English names or citations.
    Report {
        #[arg(default_value = "seeds")]
        seeds: PathBuf,
    },
    /// Name-like strings in the sources that are neither entities, aliases nor ignored.
    Coverage {
        #[arg(default_value = "seeds")]
        seeds: PathBuf,
    },
    /// Write a valid synthetic seed set `scale` times the size of the real one.
    Synth {
        /// How many shifted copies of the graph to write.
        #[arg(long)]
        scale: usize,
        /// Where to write the synthetic seeds.
        #[arg(long)]
        out: PathBuf,
        /// The seeds to copy.
        #[arg(long, default_value = "seeds")]
        from: PathBuf,
    },
}

/// Which kind files may be missing or empty.
#[derive(clap::Args)]
struct Care {
    /// A kind whose file may be missing or hold no record (`metrics`, `zones` …; repeat or
    /// separate with commas); its stored records are then deleted. Without it such a file is an error.
    #[arg(long, value_delimiter = ',')]
    allow_empty: Vec<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate { seeds, care } => {
            let options = loader::LoadOptions {
                allow_empty: care.allow_empty,
                allow_deletions: false,
            };
            let graph = loader::check_with(&seeds, &options).map_err(describe)?;
            println!(
                "{}: {} records from {} sources are valid",
                seeds.display(),
                graph.nodes.len(),
                graph.sources.len()
            );
        }
        Command::Load {
            seeds,
            database_url,
            care,
            allow_deletions,
        } => {
            let options = loader::LoadOptions {
                allow_empty: care.allow_empty,
                allow_deletions,
            };
            let db = loader::connect(&database_url, 1)
                .await
                .with_context(|| format!("cannot open {database_url}"))?;
            let progress = ProgressBar::new(0).with_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} rows {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let summary = loader::load_with(&db, &seeds, &options, &progress).await;
            progress.finish_and_clear();
            let summary = summary.map_err(describe)?;
            println!("{summary}");
        }
        Command::Import {
            file,
            feed,
            database_url,
            allow_deletions,
        } => {
            let db = loader::connect(&database_url, 1)
                .await
                .with_context(|| format!("cannot open {database_url}"))?;
            let hidden = ProgressBar::hidden();
            let summary = loader::feed::import_with(&db, &file, &feed, allow_deletions, &hidden)
                .await
                .map_err(describe)?;
            println!("{summary}");
        }
        Command::Mirror { from, database_url } => {
            let db = loader::connect(&database_url, 1)
                .await
                .with_context(|| format!("cannot open {database_url}"))?;
            let summary = loader::mirror::mirror(&db, &from).await?;
            println!("{summary}");
        }
        Command::Report { seeds } => print!("{}", loader::report::render(&checked(&seeds)?)),
        Command::Coverage { seeds } => {
            let graph = checked(&seeds)?;
            let uncovered =
                loader::coverage::check(&graph, &seeds.join("sources").display().to_string());
            for u in &uncovered {
                println!("{u}");
            }
            if !uncovered.is_empty() {
                eprintln!("{} uncovered name-like string(s)", uncovered.len());
                return Ok(ExitCode::FAILURE);
            }
            println!("every name-like string is an entity, an alias or ignored");
        }
        Command::Synth { scale, out, from } => {
            loader::synth::synthesize(&from, &out, scale).map_err(describe)?;
            println!(
                "wrote {scale} copies of {} to {}",
                from.display(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn checked(seeds: &std::path::Path) -> anyhow::Result<loader::Graph> {
    loader::check(seeds).map_err(describe)
}

fn describe(e: LoadError) -> anyhow::Error {
    anyhow::anyhow!(e)
}
