//! Colours and shapes shared by the formats that carry styling (DOT, GEXF),
//! so a graph looks the same in Graphviz and in Gephi. Colours are from the
//! Tableau 10 palette: distinct, and readable under black text.

use crate::gazetteer::EntityKind;
use crate::graph::CO_MENTION;
use crate::interaction::Status;

/// An RGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The fill colour of an entity type.
pub(super) fn node_colour(kind: EntityKind) -> Rgb {
    match kind {
        EntityKind::Person => Rgb(0xa0, 0xcb, 0xe8),
        EntityKind::Place => Rgb(0x8c, 0xd1, 0x7d),
        EntityKind::Organization => Rgb(0xff, 0xbe, 0x7d),
    }
}

/// The Graphviz shape of an entity type.
pub(super) fn node_shape(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "ellipse",
        EntityKind::Place => "house",
        EntityKind::Organization => "box",
    }
}

/// The colour of an edge kind: grey for co-mention, a hue per interaction
/// kind, dark grey for kinds this version does not know.
pub(super) fn edge_colour(kind: &str) -> Rgb {
    match kind {
        CO_MENTION => Rgb(0xba, 0xb0, 0xac),
        "phone_call" => Rgb(0xe1, 0x57, 0x59),
        "video_conference" => Rgb(0x4e, 0x79, 0xa7),
        "meeting" => Rgb(0xb0, 0x7a, 0xa1),
        "negotiation" => Rgb(0xf2, 0x8e, 0x2b),
        _ => Rgb(0x55, 0x55, 0x55),
    }
}

/// The line style of an interaction: solid when it took place, dashed when
/// planned, dotted when called off or refused.
pub(super) fn edge_style(status: Option<Status>) -> &'static str {
    match status {
        None | Some(Status::Held) => "solid",
        Some(Status::Planned) => "dashed",
        Some(Status::Cancelled) | Some(Status::Refused) => "dotted",
    }
}

/// Line width of a co-mention: grows with the number of sentences, capped
/// so a frequent pair does not hide the rest.
pub(super) fn co_mention_width(weight: u64) -> f64 {
    (0.5 + 0.5 * weight as f64).min(6.0)
}

/// Line width of an interaction.
pub(super) const INTERACTION_WIDTH: f64 = 2.0;
