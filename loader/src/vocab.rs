//! The controlled vocabularies of the seed format (kinds, roles, levels, statuses), as documented in
//! `seeds/README.md`. A value outside these lists is a validation error, so typos cannot slip in.

pub const ZONE_KINDS: &[&str] = &[
    "country",
    "province",
    "city",
    "district",
    "town",
    "subdistrict",
    "sar",
    "cooperation_zone",
    "new_area",
    "region",
];

pub const PLATFORM_KINDS: &[&str] = &[
    "development_zone",
    "free_trade_zone",
    "pilot_zone",
    "cooperation_zone",
    "science_city",
    "knowledge_city",
    "innovation_corridor",
    "industrial_park",
    "science_park",
    "cooperation_park",
    "port",
    "logistics_hub",
    "innovation_hub",
    "base",
    "talent_zone",
    "island",
    "sub_area",
    "other",
];

pub const PLATFORM_LEVELS: &[&str] = &["national", "provincial", "municipal", "district"];

pub const PROJECT_KINDS: &[&str] = &[
    "laboratory",
    "large_facility",
    "innovation_center",
    "research_institute",
    "university",
    "school",
    "hospital",
    "rail_line",
    "road",
    "station",
    "terminal",
    "airport",
    "fund",
    "bank",
    "financial_service",
    "programme",
    "competition",
    "event",
    "industrial_project",
    "enterprise",
    "public_service",
    "policy_measure",
    "other",
];

pub const PROJECT_STATUSES: &[&str] = &[
    "proposed",
    "planned",
    "under_construction",
    "operating",
    "completed",
];

pub const ORGANIZATION_KINDS: &[&str] = &[
    "government",
    "agency",
    "university",
    "enterprise",
    "association",
    "research_institute",
    "other",
];

pub const DOCUMENT_KINDS: &[&str] = &[
    "master_plan",
    "development_plan",
    "action_plan",
    "implementation_plan",
    "agreement",
    "measures",
    "guideline",
    "notice",
    "other",
];

pub const PARTNERSHIP_KINDS: &[&str] = &[
    "framework_agreement",
    "strategic_agreement",
    "action_plan",
    "implementation_plan",
    "co_built_park",
    "linkage_mechanism",
    "co_construction",
    "joint_development",
    "sister_schools",
    "operating_model",
    "talent_exchange",
    "service_integration",
    "other",
];

pub const PARTY_ROLES: &[&str] = &[
    "initiator",
    "signatory",
    "partner",
    "supported",
    "host",
    "co_builder",
    "operator",
    "coordinator",
    "participant",
];

/// Kinds a metric's `subject` may name.
pub const METRIC_SUBJECTS: &[&str] = &["zone", "platform", "project", "partnership"];

/// Longest quote accepted: a sentence or clause, not a paragraph.
pub const MAX_QUOTE_CHARS: usize = 200;

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and a real calendar date.
pub fn is_valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => num(y, 4).is_some(),
        [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => match (num(y, 4), num(m, 2), num(d, 2)) {
            (Some(y), Some(m), Some(d)) => {
                chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
            }
            _ => false,
        },
        _ => false,
    }
}

/// Lowercase ASCII kebab-case: `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(is_valid_date("2022"));
        assert!(is_valid_date("2022-07"));
        assert!(is_valid_date("2022-07-28"));
        assert!(!is_valid_date("2022-02-30"));
        assert!(!is_valid_date("2022-13"));
        assert!(!is_valid_date("22-07-28"));
        assert!(!is_valid_date("2022/07/28"));
    }

    #[test]
    fn slugs_are_kebab_case() {
        assert!(is_valid_slug("nansha-port-phase-4"));
        assert!(!is_valid_slug("Nansha"));
        assert!(!is_valid_slug("nansha--port"));
        assert!(!is_valid_slug("-nansha"));
        assert!(!is_valid_slug("南沙"));
    }
}
