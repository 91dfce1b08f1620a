//! `PartnershipKind`: what sort of cooperation a partnership is.
use super::vocabulary;

vocabulary! {
    /// What sort of cooperation a partnership is (合作类别).
    PartnershipKind {
        /// A framework agreement (框架协议).
        FrameworkAgreement = "framework_agreement",
        /// A strategic cooperation agreement (战略合作协议).
        StrategicAgreement = "strategic_agreement",
        /// An action plan (行动方案).
        ActionPlan = "action_plan",
        /// An implementation plan (实施方案).
        ImplementationPlan = "implementation_plan",
        /// A co-built park (共建园区).
        CoBuiltPark = "co_built_park",
        /// A linkage or coordination mechanism (联动, 协同).
        LinkageMechanism = "linkage_mechanism",
        /// Co-construction (共建).
        CoConstruction = "co_construction",
        /// Joint development (合作开发).
        JointDevelopment = "joint_development",
        /// Sister schools (姊妹学校).
        SisterSchools = "sister_schools",
        /// An operating model, such as 持股平台在横琴、运营实体在香洲.
        OperatingModel = "operating_model",
        /// Talent exchange (人才交流).
        TalentExchange = "talent_exchange",
        /// Integration of public services: livelihood, medical care, education (民生, 医疗, 教育).
        ServiceIntegration = "service_integration",
        /// Any other cooperation.
        Other = "other",
    }
}
