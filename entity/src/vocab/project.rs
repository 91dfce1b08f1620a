//! `ProjectKind` and `ProjectStatus`: what sort of project a project is, and how far along.
use super::vocabulary;

vocabulary! {
    /// What sort of project a project is (项目类别).
    ProjectKind {
        /// A laboratory (实验室), such as 广州实验室.
        Laboratory = "laboratory" / "实验室",
        /// A large science facility (大科学装置).
        LargeFacility = "large_facility" / "大科学装置",
        /// An innovation centre (创新中心).
        InnovationCenter = "innovation_center" / "创新中心",
        /// A research institute (研究院, 研究所).
        ResearchInstitute = "research_institute" / "研究院",
        /// A university (大学).
        University = "university" / "大学",
        /// A school (学校).
        School = "school" / "学校",
        /// A hospital (医院).
        Hospital = "hospital" / "医院",
        /// A rail line: high-speed, intercity or metro (高铁, 城际, 地铁).
        RailLine = "rail_line" / "轨道交通",
        /// A road, bridge or passage (高速, 大桥, 通道).
        Road = "road" / "道路",
        /// A station (站).
        Station = "station" / "站",
        /// A terminal (码头).
        Terminal = "terminal" / "码头",
        /// An airport or airport works (机场).
        Airport = "airport" / "机场",
        /// A fund (基金).
        Fund = "fund" / "基金",
        /// A bank (银行).
        Bank = "bank" / "银行",
        /// A financial service (金融服务).
        FinancialService = "financial_service" / "金融服务",
        /// A programme, project or campaign (工程, 计划, 行动).
        Programme = "programme" / "工程",
        /// A competition (大赛).
        Competition = "competition" / "大赛",
        /// An event: forum, fair or exhibition (论坛, 展会).
        Event = "event" / "活动",
        /// An industrial project (产业项目).
        IndustrialProject = "industrial_project" / "产业项目",
        /// An enterprise (企业).
        Enterprise = "enterprise" / "企业",
        /// A public service: service centre or community (服务中心, 社区).
        PublicService = "public_service" / "公共服务",
        /// A concrete policy measure, such as a tax policy (政策措施).
        PolicyMeasure = "policy_measure" / "政策措施",
        /// Any other project.
        Other = "other" / "其他",
    }
}

vocabulary! {
    /// How far along a project is (项目状态), where a source states it.
    ProjectStatus {
        /// Proposed (提出, 谋划).
        Proposed = "proposed" / "谋划",
        /// Planned (规划).
        Planned = "planned" / "规划",
        /// Under construction (在建).
        UnderConstruction = "under_construction" / "在建",
        /// In operation (运营, 投入使用).
        Operating = "operating" / "运营",
        /// Completed (建成, 完成).
        Completed = "completed" / "建成",
    }
}

vocabulary! {
    /// What an organization does for a project (机构角色), as a source states it.
    ProjectRole {
        /// It owns the project or the project is its own (广药集团 → 澳门青洲工厂).
        Owner = "owner" / "业主",
        /// It builds the project (建设).
        Builder = "builder" / "建设方",
        /// It runs the project (运营).
        Operator = "operator" / "运营方",
    }
}
