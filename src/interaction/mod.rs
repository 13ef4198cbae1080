//! Interactions: who met or phoned whom, when, where, with the sentence that
//! proves it. The records are defined here; [`InteractionDetector`] finds them.

mod cues;
mod detector;
mod roles;

pub use detector::{Cues, Dates, Detection, InteractionDetector, SentenceInput};
pub(crate) use roles::role_word_forms;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::date::DateValue;
use crate::error::{Error, ErrorKind};

/// The kind of contact (after the CAMEO 04x "consult" codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    /// A telephone call (CAMEO 041).
    PhoneCall,
    /// A video conference or video call.
    VideoConference,
    /// An in-person meeting (CAMEO 042–044).
    Meeting,
    /// Negotiations or talks (CAMEO 046).
    Negotiation,
}

impl InteractionKind {
    /// All kinds, in output order.
    pub const ALL: [InteractionKind; 4] = [
        InteractionKind::PhoneCall,
        InteractionKind::VideoConference,
        InteractionKind::Meeting,
        InteractionKind::Negotiation,
    ];

    /// The name used in output: `phone_call`, `meeting`, …
    pub fn as_str(&self) -> &'static str {
        match self {
            InteractionKind::PhoneCall => "phone_call",
            InteractionKind::VideoConference => "video_conference",
            InteractionKind::Meeting => "meeting",
            InteractionKind::Negotiation => "negotiation",
        }
    }
}

impl fmt::Display for InteractionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InteractionKind {
    type Err = Error;

    fn from_str(text: &str) -> Result<InteractionKind, Error> {
        InteractionKind::ALL.into_iter().find(|kind| kind.as_str() == text).ok_or_else(|| {
            Error::new(ErrorKind::Invalid(format!(
                "unknown interaction kind {text:?} (expected phone_call, video_conference, meeting or negotiation)"
            )))
        })
    }
}

/// Whether a contact took place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It took place.
    Held,
    /// Agreed or announced for the future.
    Planned,
    /// Called off.
    Cancelled,
    /// Declined by a participant.
    Refused,
}

impl Status {
    /// All statuses, in output order.
    pub const ALL: [Status; 4] = [
        Status::Held,
        Status::Planned,
        Status::Cancelled,
        Status::Refused,
    ];

    /// The name used in output: `held`, `planned`, `cancelled`, `refused`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Planned => "planned",
            Status::Cancelled => "cancelled",
            Status::Refused => "refused",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;

    fn from_str(text: &str) -> Result<Status, Error> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| {
                Error::new(ErrorKind::Invalid(format!(
                    "unknown status {text:?} (expected held, planned, cancelled or refused)"
                )))
            })
    }
}

/// One reported contact between entities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Stable id: `document#sentence.n`.
    pub id: String,
    /// What kind of contact.
    pub kind: InteractionKind,
    /// Node ids of those in contact, sorted.
    pub participants: Vec<String>,
    /// When, with the precision the text gives; `None` when no calendar date follows.
    pub date: Option<DateValue>,
    /// The words that gave the date.
    pub date_text: Option<String>,
    /// How the date was obtained, or why there is none.
    pub date_basis: String,
    /// Where, as a node id.
    pub place: Option<String>,
    /// Whether it took place.
    pub status: Status,
    /// The document id.
    pub document: String,
    /// The sentence number within the document, from 0.
    pub sentence: usize,
    /// Byte offset of the evidence sentence.
    pub start: usize,
    /// Byte offset one past the evidence sentence.
    pub end: usize,
    /// The sentence that reports the contact.
    pub evidence: String,
    /// How sure the detector is, from 0 to 1.
    pub confidence: f64,
}
