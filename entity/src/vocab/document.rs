//! `DocumentKind`: what sort of policy document a document is.
use super::vocabulary;

vocabulary! {
    /// What sort of policy document a document is (文件类别).
    DocumentKind {
        /// A master plan (总体方案).
        MasterPlan = "master_plan" / "总体方案",
        /// A development plan or outline (规划, 纲要).
        DevelopmentPlan = "development_plan" / "规划",
        /// An action plan (行动方案, 行动计划).
        ActionPlan = "action_plan" / "行动方案",
        /// An implementation plan (实施方案).
        ImplementationPlan = "implementation_plan" / "实施方案",
        /// An agreement (协议).
        Agreement = "agreement" / "协议",
        /// Policy measures (措施, 若干措施).
        Measures = "measures" / "措施",
        /// A guideline or guide (指引, 导则).
        Guideline = "guideline" / "指引",
        /// A notice (通知).
        Notice = "notice" / "通知",
        /// Any other document.
        Other = "other" / "其他",
    }
}
