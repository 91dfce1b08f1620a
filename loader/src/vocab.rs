//! The seed format's value rules besides the controlled vocabularies (those are declared once in
//! `entity::vocab`): slugs, dates and the longest quote.

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
