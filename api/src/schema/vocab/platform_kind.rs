//! `PlatformKind`: what sort of platform a platform is.
use super::vocabulary;

vocabulary! {
    /// What sort of platform a platform is (平台类别).
    PlatformKind {
        /// An economic and technological development zone or high-tech zone (经济技术开发区, 高新区).
        DevelopmentZone = "development_zone",
        /// A free trade zone or one of its areas (自贸区, 片区).
        FreeTradeZone = "free_trade_zone",
        /// A pilot, demonstration or experimental zone (试验区, 示范区, 先行区, 实验区).
        PilotZone = "pilot_zone",
        /// A cooperation zone that is a platform rather than an administrative zone (合作区).
        CooperationZone = "cooperation_zone",
        /// A science city (科学城).
        ScienceCity = "science_city",
        /// A knowledge city (知识城), such as 中新广州知识城.
        KnowledgeCity = "knowledge_city",
        /// An innovation corridor (走廊).
        InnovationCorridor = "innovation_corridor",
        /// An industrial park (产业园).
        IndustrialPark = "industrial_park",
        /// A science or innovation park (科技园, 创新园).
        SciencePark = "science_park",
        /// A jointly run cooperation park (合作园).
        CooperationPark = "cooperation_park",
        /// A port or port area (港, 港区).
        Port = "port",
        /// A logistics hub (物流枢纽).
        LogisticsHub = "logistics_hub",
        /// An innovation hub, incubator or maker space (创新中心, 孵化器, 众创空间).
        InnovationHub = "innovation_hub",
        /// A base (基地).
        Base = "base",
        /// A talent zone (人才特区, 人才港).
        TalentZone = "talent_zone",
        /// An island developed as a platform (岛), such as 广州国际生物岛.
        Island = "island",
        /// A named part of a larger platform (片区, 园区).
        SubArea = "sub_area",
        /// Any other platform.
        Other = "other",
    }
}
