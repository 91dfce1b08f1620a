//! `DocumentKind`: what sort of policy document a document is.
use super::vocabulary;

vocabulary! {
    /// What sort of policy document a document is (文件类别).
    DocumentKind {
        /// A master plan (总体方案).
        MasterPlan = "master_plan",
        /// A development plan or outline (规划, 纲要).
        DevelopmentPlan = "development_plan",
        /// An action plan (行动方案, 行动计划).
        ActionPlan = "action_plan",
        /// An implementation plan (实施方案).
        ImplementationPlan = "implementation_plan",
        /// An agreement (协议).
        Agreement = "agreement",
        /// Policy measures (措施, 若干措施).
        Measures = "measures",
        /// A guideline or guide (指引, 导则).
        Guideline = "guideline",
        /// A notice (通知).
        Notice = "notice",
        /// Any other document.
        Other = "other",
    }
}
