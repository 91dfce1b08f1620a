//! `OrganizationKind`: what sort of body an organization is.
use super::vocabulary;

vocabulary! {
    /// What sort of body an organization is (机构类别).
    OrganizationKind {
        /// A government (政府).
        Government = "government",
        /// A government agency or committee (部门, 委员会).
        Agency = "agency",
        /// A university (大学).
        University = "university",
        /// An enterprise (企业).
        Enterprise = "enterprise",
        /// An association or alliance (协会, 联盟).
        Association = "association",
        /// A research institute (研究院).
        ResearchInstitute = "research_institute",
        /// Any other body.
        Other = "other",
    }
}
