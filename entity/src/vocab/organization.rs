//! `OrganizationKind`: what sort of body an organization is.
use super::vocabulary;

vocabulary! {
    /// What sort of body an organization is (机构类别).
    OrganizationKind {
        /// A government (政府).
        Government = "government" / "政府",
        /// A government agency or committee (部门, 委员会).
        Agency = "agency" / "部门",
        /// A university (大学).
        University = "university" / "大学",
        /// An enterprise (企业).
        Enterprise = "enterprise" / "企业",
        /// An association or alliance (协会, 联盟).
        Association = "association" / "协会",
        /// A research institute (研究院).
        ResearchInstitute = "research_institute" / "研究院",
        /// Any other body.
        Other = "other" / "其他",
    }
}
