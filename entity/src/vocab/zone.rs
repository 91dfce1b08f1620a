//! `ZoneKind`: what sort of zone a zone is.
use super::vocabulary;

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
