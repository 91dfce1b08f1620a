//! `PlatformLevel`: which level of government a platform was established at.
use super::vocabulary;

vocabulary! {
    /// Which level of government a platform was established at (级别), where a source states it.
    PlatformLevel {
        /// National (国家级).
        National = "national",
        /// Provincial (省级).
        Provincial = "provincial",
        /// Municipal (市级).
        Municipal = "municipal",
        /// District (区级).
        District = "district",
    }
}
