//! `ProjectKind`: what sort of project a project is.
use super::vocabulary;

vocabulary! {
    /// What sort of project a project is (项目类别).
    ProjectKind {
        /// A laboratory (实验室), such as 广州实验室.
        Laboratory = "laboratory",
        /// A large science facility (大科学装置).
        LargeFacility = "large_facility",
        /// An innovation centre (创新中心).
        InnovationCenter = "innovation_center",
        /// A research institute (研究院, 研究所).
        ResearchInstitute = "research_institute",
        /// A university (大学).
        University = "university",
        /// A school (学校).
        School = "school",
        /// A hospital (医院).
        Hospital = "hospital",
        /// A rail line: high-speed, intercity or metro (高铁, 城际, 地铁).
        RailLine = "rail_line",
        /// A road, bridge or passage (高速, 大桥, 通道).
        Road = "road",
        /// A station (站).
        Station = "station",
        /// A terminal (码头).
        Terminal = "terminal",
        /// An airport or airport works (机场).
        Airport = "airport",
        /// A fund (基金).
        Fund = "fund",
        /// A bank (银行).
        Bank = "bank",
        /// A financial service (金融服务).
        FinancialService = "financial_service",
        /// A programme, project or campaign (工程, 计划, 行动).
        Programme = "programme",
        /// A competition (大赛).
        Competition = "competition",
        /// An event: forum, fair or exhibition (论坛, 展会).
        Event = "event",
        /// An industrial project (产业项目).
        IndustrialProject = "industrial_project",
        /// An enterprise (企业).
        Enterprise = "enterprise",
        /// A public service: service centre or community (服务中心, 社区).
        PublicService = "public_service",
        /// A concrete policy measure, such as a tax policy (政策措施).
        PolicyMeasure = "policy_measure",
        /// Any other project.
        Other = "other",
    }
}
