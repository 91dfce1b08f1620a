//! `Qualifier`: how a figure's number relates to the quantity its text states.
use super::vocabulary;

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
