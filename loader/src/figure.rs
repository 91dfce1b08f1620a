//! What a figure's quote says about its number: `超过200个` is more than 200, `3年至5年` a range.
//! The loader compares this with the qualifier a figure declares, so a qualified number cannot
//! be stored as exact (nor an exact one as qualified).
use entity::vocab::Qualifier;

/// Words just before the number, longest first where one ends another (不超过 before 超过).
const BEFORE: &[(&str, Qualifier)] = &[
    ("不超过", Qualifier::AtMost),
    ("不高于", Qualifier::AtMost),
    ("最高", Qualifier::AtMost),
    ("最多", Qualifier::AtMost),
    ("不少于", Qualifier::AtLeast),
    ("不低于", Qualifier::AtLeast),
    ("至少", Qualifier::AtLeast),
    ("超过", Qualifier::MoreThan),
    ("突破", Qualifier::MoreThan),
    ("高于", Qualifier::MoreThan),
    ("多于", Qualifier::MoreThan),
    ("超", Qualifier::MoreThan),
    ("逾", Qualifier::MoreThan),
    ("大约", Qualifier::About),
    ("将近", Qualifier::About),
    ("接近", Qualifier::About),
    ("约", Qualifier::About),
    ("近", Qualifier::About),
];

/// Words ending another word rather than qualifying a number (签约 is "to sign").
const NOT_BEFORE: &[&str] = &[
    "签约", "合约", "预约", "履约", "公约", "特约", "附近", "最近",
];

/// Words just after the number.
const AFTER: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::AtLeast),
    ("以内", Qualifier::AtMost),
    ("以下", Qualifier::AtMost),
    ("左右", Qualifier::About),
    ("余", Qualifier::MoreThan),
    ("多", Qualifier::MoreThan),
];

/// Words joining the two ends of a range.
const RANGE: &[char] = &['至', '到', '～', '~', '—'];

fn numeral(c: char) -> bool {
    c.is_ascii_digit() || "零一二两三四五六七八九十百千万亿.".contains(c)
}

/// The qualifier `quote` states around `value_text` (its first occurrence), if any.
pub fn stated(quote: &str, value_text: &str) -> Option<Qualifier> {
    let at = quote.find(value_text)?;
    let before = &quote[..at];
    let after = &quote[at + value_text.len()..];
    // Two numbers joined by 至/到/～ (3年至5年, 3至5年).
    if let Some((low, high)) = value_text.split_once(RANGE)
        && low.chars().any(numeral)
        && high.chars().any(numeral)
    {
        return Some(Qualifier::Range);
    }
    // A word leading the value text, or standing just before it in the quote.
    for (word, q) in BEFORE {
        if value_text.starts_with(word)
            || (before.ends_with(word) && !NOT_BEFORE.iter().any(|w| before.ends_with(w)))
        {
            return Some(*q);
        }
    }
    // A word right after the number, inside the value text (600余个) or after it (50个以上).
    for (word, q) in AFTER {
        let inside = value_text
            .match_indices(word)
            .any(|(i, _)| value_text[..i].chars().next_back().is_some_and(numeral));
        if inside || after.starts_with(word) {
            return Some(*q);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers_are_read_around_the_number() {
        for (quote, value_text, qualifier) in [
            ("超过200个港澳团队", "超过200个", Some(Qualifier::MoreThan)),
            ("企业超1.7万户", "超1.7万户", Some(Qualifier::MoreThan)),
            (
                "财税收入突破千亿元的开发区",
                "千亿元",
                Some(Qualifier::MoreThan),
            ),
            ("吸引港澳600余个团队", "600余个", Some(Qualifier::MoreThan)),
            ("3000多名港澳青年", "3000多名", Some(Qualifier::MoreThan)),
            ("提供3年至5年免租金", "3年至5年", Some(Qualifier::Range)),
            ("3至5年", "3至5年", Some(Qualifier::Range)),
            (
                "全区规上工业企业数量要突破1500家",
                "1500家",
                Some(Qualifier::MoreThan),
            ),
            ("原则上最高100万元。", "100万元", Some(Qualifier::AtMost)),
            ("服务约1500人次", "1500人次", Some(Qualifier::About)),
            ("建成50个以上", "50个", Some(Qualifier::AtLeast)),
            ("面积19.1平方公里", "19.1平方公里", None),
            ("签约10个项目", "10个", None),
            ("增至5家", "5家", None),
            ("打造七大新高地", "七大", None),
            ("为决赛前6名的创业项目", "前6名", None),
        ] {
            assert_eq!(
                stated(quote, value_text),
                qualifier,
                "{value_text} in {quote}"
            );
        }
    }
}
