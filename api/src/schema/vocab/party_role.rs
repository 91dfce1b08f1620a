//! `PartyRole`: the part a party plays in a partnership.
use super::vocabulary;

vocabulary! {
    /// The part a party plays in a partnership (合作方角色).
    PartyRole {
        /// Issues or leads it (发起方).
        Initiator = "initiator",
        /// Signs it (签署方).
        Signatory = "signatory",
        /// Cooperates in it (合作方).
        Partner = "partner",
        /// Benefits from the support it gives (受支持方).
        Supported = "supported",
        /// Where it happens (承载方).
        Host = "host",
        /// Builds it together with others (共建方).
        CoBuilder = "co_builder",
        /// Operates it (运营方).
        Operator = "operator",
        /// Oversees or coordinates it (统筹方).
        Coordinator = "coordinator",
        /// Takes part in it (参与方).
        Participant = "participant",
    }
}
