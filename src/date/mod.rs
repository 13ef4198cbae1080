//! German temporal expressions: recognition and normalization.
//!
//! Input: a document's text and the span of one sentence, plus a
//! [`DateContext`] (the document date, when known). Output: [`DateMention`]s
//! in text order, never overlapping, each with a normalized [`DateValue`] of
//! the precision the text gives, or `None` when no calendar date follows
//! (and `basis` says why). The normalizer never reads the clock.

mod value;

pub use value::DateValue;

use crate::span::Span;

/// The grammatical tense of the sentence a date occurs in; it decides whether
/// a weekday points back ("am Mittwoch" in a past-tense report) or ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// A report of what happened.
    Past,
    /// Present tense (news present counts as past for resolution).
    Present,
    /// What is planned or announced.
    Future,
}

/// What relative dates are resolved against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateContext {
    /// The document's date (publication or crawl date), of any precision.
    pub reference: Option<DateValue>,
}

/// One temporal expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Where the expression stands in the document text.
    pub span: Span,
    /// The normalized value, or `None` when no calendar date follows.
    pub value: Option<DateValue>,
    /// How the value was obtained, in words (shown to users as `date_basis`).
    pub basis: String,
}
