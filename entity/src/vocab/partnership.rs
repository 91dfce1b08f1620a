//! `PartnershipKind` and `PartyRole`: what sort of cooperation a partnership is, and the part
//! each party plays in it.
use super::vocabulary;

vocabulary! {
    /// What sort of cooperation a partnership is (合作类别).
    PartnershipKind {
        /// A framework agreement (框架协议).
        FrameworkAgreement = "framework_agreement" / "框架协议",
        /// A strategic cooperation agreement (战略合作协议).
        StrategicAgreement = "strategic_agreement" / "战略合作协议",
        /// An action plan (行动方案).
        ActionPlan = "action_plan" / "行动方案",
        /// An implementation plan (实施方案).
        ImplementationPlan = "implementation_plan" / "实施方案",
        /// A co-built park (共建园区).
        CoBuiltPark = "co_built_park" / "共建园区",
        /// A linkage or coordination mechanism (联动, 协同).
        LinkageMechanism = "linkage_mechanism" / "联动机制",
        /// Co-construction (共建).
        CoConstruction = "co_construction" / "共建",
        /// Joint development (合作开发).
        JointDevelopment = "joint_development" / "合作开发",
        /// Sister schools (姊妹学校).
        SisterSchools = "sister_schools" / "姊妹学校",
        /// An operating model, such as 持股平台在横琴、运营实体在香洲.
        OperatingModel = "operating_model" / "运营模式",
        /// Talent exchange (人才交流).
        TalentExchange = "talent_exchange" / "人才交流",
        /// Integration of public services: livelihood, medical care, education (民生, 医疗, 教育).
        ServiceIntegration = "service_integration" / "公共服务融合",
        /// Any other cooperation.
        Other = "other" / "其他",
    }
}

vocabulary! {
    /// The part a party plays in a partnership (合作方角色).
    PartyRole {
        /// Issues or leads it (发起方).
        Initiator = "initiator" / "发起方",
        /// Signs it (签署方).
        Signatory = "signatory" / "签署方",
        /// Cooperates in it (合作方).
        Partner = "partner" / "合作方",
        /// Benefits from the support it gives (受支持方).
        Supported = "supported" / "受支持方",
        /// Where it happens (承载方).
        Host = "host" / "承载方",
        /// Builds it together with others (共建方).
        CoBuilder = "co_builder" / "共建方",
        /// Operates it (运营方).
        Operator = "operator" / "运营方",
        /// Oversees or coordinates it (统筹方).
        Coordinator = "coordinator" / "统筹方",
        /// Takes part in it (参与方).
        Participant = "participant" / "参与方",
    }
}
