//! Every vocabulary's values, one `vocabulary!` table each, in one place: what a newcomer reads
//! to learn the words the graph uses (see the module above for what follows from them).
use super::vocabulary;

// `ZoneKind`: what sort of zone a zone is.

vocabulary! {
    /// What sort of zone a zone is (区域类别).
    ZoneKind {
        /// A country (国家).
        Country = "country" / "国家",
        /// A province (省).
        Province = "province" / "省",
        /// A prefecture-level or higher city (市).
        City = "city" / "市",
        /// A city district (区).
        District = "district" / "区",
        /// A town (镇).
        Town = "town" / "镇",
        /// A subdistrict (街道).
        Subdistrict = "subdistrict" / "街道",
        /// A special administrative region (特别行政区): Hong Kong, Macao.
        Sar = "sar" / "特别行政区",
        /// A cooperation zone with its own administration (合作区), such as 横琴粤澳深度合作区.
        CooperationZone = "cooperation_zone" / "合作区",
        /// A new area (新区), such as 南沙新区.
        NewArea = "new_area" / "新区",
        /// A region without an administration of its own (地区, 都市圈, 大湾区).
        Region = "region" / "地区",
    }
}

// `PlatformKind` and `PlatformLevel`: what sort of platform a platform is, and at which level.

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

// `ProjectKind` and `ProjectStatus`: what sort of project a project is, and how far along.

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

// `OrganizationKind`: what sort of body an organization is.

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

// `DocumentKind`: what sort of policy document a document is.

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

// `PartnershipKind` and `PartyRole`: what sort of cooperation a partnership is, and the part
// each party plays in it.

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

// `Qualifier`: how a figure's number relates to the quantity its text states.

vocabulary! {
    /// How a figure's number relates to what the text states (数量限定): 超过200个 is a figure
    /// of 200 qualified `MORE_THAN`, 3年至5年 a `RANGE` from 3 to 5.
    Qualifier {
        /// The number as stated, with no qualifier (56.39平方公里).
        Exact = "exact" / "确数",
        /// At least the number (…以上, 不少于, 至少).
        AtLeast = "at_least" / "以上",
        /// More than the number (超过, 超, 逾, 突破, …余, …多).
        MoreThan = "more_than" / "超过",
        /// About the number (约, 近, …左右).
        About = "about" / "约",
        /// At most the number (不超过, …以内).
        AtMost = "at_most" / "以内",
        /// A range: from the number to `valueMax` (3年至5年).
        Range = "range" / "区间",
    }
}

impl Qualifier {
    /// The qualifier in English words before the number (`more than`), empty for `Exact`.
    pub fn words_en(self) -> &'static str {
        match self {
            Qualifier::Exact | Qualifier::Range => "",
            Qualifier::AtLeast => "at least",
            Qualifier::MoreThan => "more than",
            Qualifier::About => "about",
            Qualifier::AtMost => "at most",
        }
    }
}

// `EdgeKind`: the relation kinds graph queries walk and draw (`GraphEdge.kind`, `edgeKinds`).

vocabulary! {
    /// A relation kind as graph queries name it (关系类别).
    EdgeKind {
        /// A zone lies in its parent zone (上级区域).
        Parent = "parent" / "上级区域",
        /// A platform, project or organization lies in a zone (位于).
        LocatedIn = "located_in" / "位于",
        /// A platform is part of a larger platform (属于).
        PartOf = "part_of" / "属于",
        /// A project is hosted by a platform (承载于).
        HostedBy = "hosted_by" / "承载于",
        /// A document is issued by a zone or organization (发布机关).
        IssuedBy = "issued_by" / "发布机关",
        /// A zone, platform or organization is a party to a partnership (合作方).
        Party = "party" / "合作方",
        /// A partnership covers a project (涵盖).
        Covers = "covers" / "涵盖",
        /// A partnership is established by a document (依据文件).
        EstablishedBy = "established_by" / "依据文件",
        /// A platform, project or partnership works in a sector (所属产业).
        InSector = "in_sector" / "所属产业",
        /// An organization owns, builds or runs a project (机构).
        Involves = "involves" / "相关机构",
        /// A sector is a branch of a broader sector (上位产业): 生物制药 of 生物医药.
        Broader = "broader" / "上位产业",
    }
}

impl EdgeKind {
    /// The relation kind's English name, as a legend shows it (`parent zone`, `located in`).
    pub fn label_en(self) -> &'static str {
        match self {
            EdgeKind::Parent => "parent zone",
            other => other.words(),
        }
    }

    /// The relation in English words, as a graph edge's label reads it (`located in`).
    pub fn words(self) -> &'static str {
        match self {
            EdgeKind::Parent | EdgeKind::PartOf => "part of",
            EdgeKind::LocatedIn => "located in",
            EdgeKind::HostedBy => "hosted by",
            EdgeKind::IssuedBy => "issued by",
            EdgeKind::Party => "party",
            EdgeKind::Covers => "covers",
            EdgeKind::EstablishedBy => "established by",
            EdgeKind::InSector => "in sector",
            EdgeKind::Broader => "branch of",
            EdgeKind::Involves => "involves",
        }
    }
}
