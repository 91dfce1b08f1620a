//! `EdgeKind`: the relation kinds graph queries walk and draw (`GraphEdge.kind`, `edgeKinds`).
use super::vocabulary;

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
