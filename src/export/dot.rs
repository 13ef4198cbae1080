//! Graphviz DOT: an undirected `graph`, one line per node and per edge.
//! Nodes are shaped and filled by entity type (outlined dashed when the
//! gazetteer does not know them); co-mentions are thin grey
//! lines that thicken with their weight; interactions are coloured by kind,
//! labelled with kind and date, dashed when planned and dotted when called
//! off or refused. Evidence and documents go into tooltips (SVG output).
//!
//! Besides Graphviz's own attributes, nodes carry `type` and edges `kind`
//! and `interaction`, which Graphviz ignores and [`super::diff`](fn@super::diff) reads.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::palette;
use super::{edge_id, interaction_of, interactions_by_id, mention_count};
use crate::graph::{CO_MENTION, KnowledgeGraph, NodeSource};

pub(super) fn write(graph: &KnowledgeGraph, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "// newsgraph: {} entities, {} edges. Render with: dot -Tsvg graph.dot -o graph.svg",
        graph.node_count(),
        graph.edge_count()
    );
    text.push_str("graph newsgraph {\n");
    text.push_str("  graph [overlap=false, splines=true, fontname=\"Helvetica\"];\n");
    text.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=11];\n");
    text.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for node in graph.nodes() {
        let mentions = mention_count(node);
        let mut tooltip = format!(
            "{} ({}, {mentions} mention{}",
            node.id,
            node.kind.as_str(),
            if mentions == 1 { "" } else { "s" }
        );
        // A name the gazetteer does not know: a dashed outline.
        let mut style = "";
        if node.source == NodeSource::Discovered {
            style = ", style=\"filled,dashed\"";
            let _ = write!(tooltip, ", discovered");
            if let Some(confidence) = node.confidence {
                let _ = write!(tooltip, " with confidence {confidence}");
            }
        }
        tooltip.push(')');
        let _ = writeln!(
            text,
            "  {} [label={}, type={}, shape={}, fillcolor=\"{}\"{style}, tooltip={}];",
            quote(&node.id),
            quote(&node.label),
            quote(node.kind.as_str()),
            palette::node_shape(node.kind),
            palette::node_colour(node.kind).hex(),
            quote(&tooltip),
        );
    }
    let interactions = interactions_by_id(graph);
    for (index, edge) in graph.edges().enumerate() {
        let mut attributes = vec![
            ("id", quote(&edge_id(index))),
            ("kind", quote(&edge.kind)),
            ("weight", edge.weight.to_string()),
        ];
        if let Some(id) = &edge.interaction {
            attributes.push(("interaction", quote(id)));
        }
        let colour = format!("\"{}\"", palette::edge_colour(&edge.kind).hex());
        if edge.kind == CO_MENTION {
            let width = palette::co_mention_width(edge.weight);
            attributes.push(("color", colour));
            attributes.push(("penwidth", format!("{width:.1}")));
            attributes.push(("tooltip", quote(&edge.documents.join(", "))));
        } else {
            let mut label = edge.kind.replace('_', " ");
            if let Some(date) = &edge.date {
                let _ = write!(label, "\n{date}");
            }
            if let Some(status) = &edge.status {
                let _ = write!(label, "\n({status})");
            }
            attributes.push(("label", quote(&label)));
            attributes.push(("color", colour.clone()));
            attributes.push(("fontcolor", colour));
            attributes.push(("penwidth", format!("{:.1}", palette::INTERACTION_WIDTH)));
            attributes.push(("style", palette::edge_style(edge.status).to_string()));
            if let Some(interaction) = interaction_of(edge, &interactions) {
                attributes.push(("tooltip", quote(&interaction.evidence)));
            }
        }
        let list: Vec<String> = attributes
            .into_iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        let _ = writeln!(
            text,
            "  {} -- {} [{}];",
            quote(&edge.source),
            quote(&edge.target),
            list.join(", ")
        );
    }
    text.push_str("}\n");
    out.write_all(text.as_bytes())
}

/// A DOT double-quoted string: `"` and `\` escaped with a backslash, line
/// breaks as `\n` (Graphviz's own line break in labels), other control
/// characters dropped.
pub(super) fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => {}
            '\t' => quoted.push(' '),
            c if c.is_control() => {}
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A node or edge statement as read back: the node id (one) or the two
/// ends (two), and the attributes with quotes and escapes undone.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Statement {
    pub ids: Vec<String>,
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// Parses one line holding a node statement (`"id" [k=v, …];`) or an edge
/// statement (`"a" -- "b" [k=v, …];`); `None` for any other line.
pub(super) fn parse_statement(line: &str) -> Option<Statement> {
    let tokens = tokens(line);
    let mut tokens = tokens.into_iter().peekable();
    let mut statement = Statement::default();
    let Some(Token::Quoted(first)) = tokens.next() else {
        return None;
    };
    statement.ids.push(first);
    match tokens.next()? {
        Token::Word(arrow) if arrow == "--" => {
            let Some(Token::Quoted(second)) = tokens.next() else {
                return None;
            };
            statement.ids.push(second);
            if tokens.next()? != Token::Punct('[') {
                return None;
            }
        }
        Token::Punct('[') => {}
        _ => return None,
    }
    loop {
        match tokens.next()? {
            Token::Punct(']') => return Some(statement),
            Token::Punct(',') => {}
            Token::Word(key) => {
                if tokens.next()? != Token::Punct('=') {
                    return None;
                }
                let value = match tokens.next()? {
                    Token::Word(value) | Token::Quoted(value) => value,
                    Token::Punct(_) => return None,
                };
                statement.attributes.insert(key, value);
            }
            _ => return None,
        }
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    /// A double-quoted string, escapes of `"` and `\` undone.
    Quoted(String),
    /// An unquoted word (`--`, `box`, `1.5`).
    Word(String),
    /// One of `[ ] = , ; { }`.
    Punct(char),
}

fn tokens(line: &str) -> Vec<Token> {
    let is_punct = |c: char| matches!(c, '[' | ']' | '=' | ',' | ';' | '{' | '}');
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if is_punct(c) {
            tokens.push(Token::Punct(c));
        } else if c == '"' {
            let mut string = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some(escaped @ ('"' | '\\')) => string.push(escaped),
                        Some(other) => {
                            string.push('\\');
                            string.push(other);
                        }
                        None => string.push('\\'),
                    },
                    c => string.push(c),
                }
            }
            tokens.push(Token::Quoted(string));
        } else {
            let mut word = String::from(c);
            while let Some(&next) = chars.peek() {
                if next.is_whitespace() || is_punct(next) || next == '"' {
                    break;
                }
                word.push(next);
                chars.next();
            }
            tokens.push(Token::Word(word));
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_reads_back() {
        let tricky = "Müller & \"Söhne\" \\ <GmbH> kind=\"x\", ]";
        let line = format!(
            "  {} -- {} [id=\"e0\", kind={}, weight=2];",
            quote("a"),
            quote(tricky),
            quote("co_mention")
        );
        let statement = parse_statement(&line).unwrap();
        assert_eq!(statement.ids, ["a", tricky]);
        assert_eq!(statement.attributes["kind"], "co_mention");
        assert_eq!(statement.attributes["weight"], "2");
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(parse_statement("graph newsgraph {"), None);
        assert_eq!(parse_statement("  node [style=filled];"), None);
        assert_eq!(parse_statement("// comment"), None);
    }
}
