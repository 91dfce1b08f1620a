//! Applies pending migrations to the database named by the first argument or `DATABASE_URL`.
use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() -> Result<(), DbErr> {
    let url = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .unwrap_or_else(|| "sqlite://data/baygraph.db?mode=rwc".to_owned());
    let db = sea_orm_migration::sea_orm::Database::connect(&url).await?;
    migration::Migrator::up(&db, None).await?;
    println!("migrations applied to {url}");
    Ok(())
}
