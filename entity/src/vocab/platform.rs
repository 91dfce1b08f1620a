//! `PlatformKind` and `PlatformLevel`: what sort of platform a platform is, and at which level.
use super::vocabulary;

vocabulary! {
    /// What sort of platform a platform is (平台类别).
    PlatformKind {
        /// An economic and technological development zone or high-tech zone (经济技术开发区, 高新区).
        DevelopmentZone = "development_zone" / "开发区",
        /// A free trade zone or one of its areas (自贸区, 片区).
        FreeTradeZone = "free_trade_zone" / "自贸区",
        /// A pilot, demonstration or experimental zone (试验区, 示范区, 先行区, 实验区).
        PilotZone = "pilot_zone" / "试验区",
        /// A cooperation zone that is a platform rather than an administrative zone (合作区).
        CooperationZone = "cooperation_zone" / "合作区",
        /// A science city (科学城).
        ScienceCity = "science_city" / "科学城",
        /// A knowledge city (知识城), such as 中新广州知识城.
        KnowledgeCity = "knowledge_city" / "知识城",
        /// An innovation corridor (走廊).
        InnovationCorridor = "innovation_corridor" / "走廊",
        /// An industrial park (产业园).
        IndustrialPark = "industrial_park" / "产业园",
        /// A science or innovation park (科技园, 创新园).
        SciencePark = "science_park" / "科技园",
        /// A jointly run cooperation park (合作园).
        CooperationPark = "cooperation_park" / "合作园",
        /// A port or port area (港, 港区).
        Port = "port" / "港区",
        /// A logistics hub (物流枢纽).
        LogisticsHub = "logistics_hub" / "物流枢纽",
        /// An innovation hub, incubator or maker space (创新中心, 孵化器, 众创空间).
        InnovationHub = "innovation_hub" / "创新中心",
        /// A base (基地).
        Base = "base" / "基地",
        /// A talent zone (人才特区, 人才港).
        TalentZone = "talent_zone" / "人才特区",
        /// An island developed as a platform (岛), such as 广州国际生物岛.
        Island = "island" / "岛",
        /// A named part of a larger platform (片区, 园区).
        SubArea = "sub_area" / "片区",
        /// Any other platform.
        Other = "other" / "其他",
    }
}

vocabulary! {
    /// Which level of government a platform was established at (级别), where a source states it.
    PlatformLevel {
        /// National (国家级).
        National = "national" / "国家级",
        /// Provincial (省级).
        Provincial = "provincial" / "省级",
        /// Municipal (市级).
        Municipal = "municipal" / "市级",
        /// District (区级).
        District = "district" / "区级",
    }
}
