//! Queries over a graph: "who met whom when" ([`WhoMet`]).
//!
//! Names are matched like the gazetteer matches them: folded (case,
//! diacritics, spelling variants), against every node's label and aliases,
//! and, failing that, against people's surnames. Rows come sorted by date,
//! with unknown dates last.

use std::cmp::Ordering;

use serde::Serialize;

use crate::date::DateValue;
use crate::error::{Error, ErrorKind, Result};
use crate::graph::{KnowledgeGraph, Node};
use crate::interaction::{Interaction, InteractionKind, Status};
use crate::token::fold_name;

/// The filters of a `who-met` query; every one that is set must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhoMet {
    /// A participant's name (any spelling the graph knows).
    pub person: Option<String>,
    /// Another participant's name.
    pub with: Option<String>,
    /// Only contacts on or after this date.
    pub since: Option<DateValue>,
    /// Only contacts on or before this date.
    pub until: Option<DateValue>,
    /// Only this kind of contact.
    pub kind: Option<InteractionKind>,
    /// Only contacts with this status.
    pub status: Option<Status>,
}

/// A participant or place: its node id and label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    /// The node id.
    pub id: String,
    /// The node's label.
    pub label: String,
}

/// One answer row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// When, or `None`.
    pub date: Option<DateValue>,
    /// The kind of contact.
    pub kind: InteractionKind,
    /// Whether it took place.
    pub status: Status,
    /// Who, sorted by label.
    pub participants: Vec<Named>,
    /// Where.
    pub place: Option<Named>,
    /// The document reporting it.
    pub document: String,
    /// The sentence that proves it.
    pub evidence: String,
    /// How the date was resolved.
    pub date_basis: String,
    /// The interaction's id.
    pub interaction: String,
}

impl WhoMet {
    /// Runs the query.
    ///
    /// # Errors
    /// A name that matches no entity of the graph.
    pub fn run(&self, graph: &KnowledgeGraph) -> Result<Vec<Row>> {
        let person = self
            .person
            .as_deref()
            .map(|name| resolve(graph, name))
            .transpose()?;
        let with = self
            .with
            .as_deref()
            .map(|name| resolve(graph, name))
            .transpose()?;
        let mut rows: Vec<(&Interaction, Row)> = graph
            .interactions()
            .iter()
            .filter(|i| {
                person
                    .as_ref()
                    .is_none_or(|ids| i.participants.iter().any(|p| ids.contains(p)))
            })
            .filter(|i| {
                with.as_ref()
                    .is_none_or(|ids| i.participants.iter().any(|p| ids.contains(p)))
            })
            .filter(|i| self.kind.is_none_or(|kind| i.kind == kind))
            .filter(|i| self.status.is_none_or(|status| i.status == status))
            .filter(|i| self.in_range(i.date))
            .map(|i| (i, row(graph, i)))
            .collect();
        rows.sort_by(|(a, _), (b, _)| {
            date_order(a.date, b.date)
                .then_with(|| (&a.document, a.start, &a.id).cmp(&(&b.document, b.start, &b.id)))
        });
        Ok(rows.into_iter().map(|(_, row)| row).collect())
    }

    fn in_range(&self, date: Option<DateValue>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        let Some((first, last)) = date.and_then(|d| d.bounds()) else {
            return false;
        };
        let after = self
            .since
            .and_then(|s| s.bounds())
            .is_none_or(|(since, _)| last >= since);
        let before = self
            .until
            .and_then(|u| u.bounds())
            .is_none_or(|(_, until)| first <= until);
        after && before
    }
}

/// Dates with a known year first, in calendar order; then unknown years by
/// month and day; then no date.
fn date_order(a: Option<DateValue>, b: Option<DateValue>) -> Ordering {
    let key = |d: Option<DateValue>| match d {
        Some(value) if value.year.is_some() => (0, value.bounds().map(|(first, _)| first), value),
        Some(value) => (1, None, value),
        None => (
            2,
            None,
            DateValue {
                year: None,
                month: None,
                day: None,
            },
        ),
    };
    key(a).cmp(&key(b))
}

fn named(graph: &KnowledgeGraph, id: &str) -> Named {
    Named {
        id: id.to_string(),
        label: graph
            .node(id)
            .map_or_else(|| id.to_string(), |n| n.label.to_string()),
    }
}

fn row(graph: &KnowledgeGraph, interaction: &Interaction) -> Row {
    let mut participants: Vec<Named> = interaction
        .participants
        .iter()
        .map(|p| named(graph, p))
        .collect();
    participants.sort_by(|a, b| a.label.cmp(&b.label));
    Row {
        date: interaction.date,
        kind: interaction.kind,
        status: interaction.status,
        participants,
        place: interaction.place.as_deref().map(|p| named(graph, p)),
        document: interaction.document.clone(),
        evidence: interaction.evidence.clone(),
        date_basis: interaction.date_basis.clone(),
        interaction: interaction.id.clone(),
    }
}

/// The node ids a name refers to: exact label or alias matches (folded), or
/// else people whose name ends in it (a surname).
///
/// # Errors
/// No node has the name.
pub fn resolve(graph: &KnowledgeGraph, name: &str) -> Result<Vec<String>> {
    let key = fold_name(name);
    let names = |node: &Node| -> Vec<String> {
        std::iter::once(&node.label)
            .chain(node.aliases.iter())
            .map(|n| fold_name(n))
            .collect()
    };
    let mut ids: Vec<String> = graph
        .nodes()
        .filter(|node| node.id == name || names(node).contains(&key))
        .map(|node| node.id.to_string())
        .collect();
    if ids.is_empty() {
        ids = graph
            .nodes()
            .filter(|node| node.kind == crate::gazetteer::EntityKind::Person)
            .filter(|node| {
                names(node)
                    .iter()
                    .any(|n| n.rsplit(' ').next() == Some(key.as_str()))
            })
            .map(|node| node.id.to_string())
            .collect();
    }
    if ids.is_empty() || key.is_empty() {
        return Err(Error::new(ErrorKind::Invalid(format!(
            "no entity named {name:?} in the graph"
        ))));
    }
    Ok(ids)
}
