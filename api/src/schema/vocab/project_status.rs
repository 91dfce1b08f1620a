//! `ProjectStatus`: how far along a project is.
use super::vocabulary;

vocabulary! {
    /// How far along a project is (项目状态), where a source states it.
    ProjectStatus {
        /// Proposed (提出, 谋划).
        Proposed = "proposed",
        /// Planned (规划).
        Planned = "planned",
        /// Under construction (在建).
        UnderConstruction = "under_construction",
        /// In operation (运营, 投入使用).
        Operating = "operating",
        /// Completed (建成, 完成).
        Completed = "completed",
    }
}
