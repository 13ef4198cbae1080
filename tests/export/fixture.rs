//! A small synthetic graph that exercises every exporter feature: dates of
//! every precision (day, month, year, unknown year, none), every status,
//! places, two interactions of the same kind between the same pair, one with
//! three participants, and names with `&`, `<`, `"`, `'` and non-Latin
//! letters.

use std::path::PathBuf;

use newsgraph::date::DateValue;
use newsgraph::document::{expand_inputs, read_input};
use newsgraph::graph::{Analysis, DocumentRecord, MentionRecord, Node};
use newsgraph::interaction::{Interaction, InteractionKind, Status};
use newsgraph::{Extractor, Gazetteer, GraphBuilder, KnowledgeGraph};

pub const PUTIN: &str = "person:wladimir-putin";
pub const ERDOGAN: &str = "person:recep-tayyip-erdogan";
pub const SELENSKYJ: &str = "person:wolodymyr-selenskyj";
pub const CAVUSOGLU: &str = "person:mevluet-cavusoglu";
pub const OBRIEN: &str = "person:sean-obrien";
pub const HOLDING: &str = "organization:mueller-soehne";
pub const MOSKAU: &str = "place:moskau";
pub const SOTSCHI: &str = "place:sotschi";
pub const KIEW: &str = "place:kiew";

/// The label of each fixture node.
pub fn labels() -> Vec<(&'static str, &'static str)> {
    vec![
        (PUTIN, "Wladimir Putin"),
        (ERDOGAN, "Recep Tayyip Erdoğan"),
        (SELENSKYJ, "Зеленский"),
        (CAVUSOGLU, "Mevlüt Çavuşoğlu"),
        (OBRIEN, "Seán O'Brien"),
        (HOLDING, "Müller & Söhne <Holding> \"MSH\""),
        (MOSKAU, "Moskau"),
        (SOTSCHI, "Sotschi"),
        (KIEW, "Kiew"),
    ]
}

fn node(id: &str) -> Node {
    let label = labels()
        .into_iter()
        .find(|(key, _)| *key == id)
        .expect("a fixture id")
        .1;
    // Ids are `type:slug`.
    let kind = id.split(':').next().expect("a typed id");
    let (aliases, wikidata): (&[&str], Option<&str>) = match id {
        PUTIN => (&["Putin", "Владимир Путин"], Some("Q7747")),
        ERDOGAN => (&["Erdogan"], Some("Q39259")),
        SELENSKYJ => (&["Selenskyj", "Volodymyr Zelensky"], Some("Q3881")),
        CAVUSOGLU => (&["Cavusoglu"], None),
        HOLDING => (&["M&S", "<MSH>"], None),
        _ => (&[], None),
    };
    // Through serde, so fields added to `Node` with a default need no change here.
    let discovered = id == OBRIEN;
    serde_json::from_value(serde_json::json!({
        "id": id,
        "label": label,
        "type": kind,
        "aliases": aliases,
        "wikidata": wikidata,
        "source": if discovered { "discovered" } else { "gazetteer" },
        "confidence": if discovered { Some(0.6) } else { None },
    }))
    .expect("a node")
}

/// One document: its sentences (the entities each names) and interactions.
struct Article {
    id: &'static str,
    date: Option<&'static str>,
    sentences: Vec<Vec<&'static str>>,
    interactions: Vec<Interaction>,
}

fn analysis(article: Article) -> Analysis {
    let mut nodes: Vec<Node> = Vec::new();
    for (sentence, ids) in article.sentences.iter().enumerate() {
        for (position, id) in ids.iter().enumerate() {
            if !nodes.iter().any(|node| node.id == *id) {
                nodes.push(node(id));
            }
            let node = nodes
                .iter_mut()
                .find(|node| node.id == *id)
                .expect("just added");
            let number = u32::try_from(sentence).expect("a few sentences");
            let start = number * 100 + u32::try_from(position).expect("a few names") * 20;
            node.mentions.push(MentionRecord {
                document: article.id.into(),
                start,
                end: start + u32::try_from(node.label.len()).expect("a short label"),
                text: node.label.as_str().into(),
                sentence: number,
            });
        }
    }
    Analysis {
        document: DocumentRecord {
            id: article.id.into(),
            source: format!("fixture/{}.txt", article.id).into(),
            date: article
                .date
                .map(|date| date.parse().expect("a fixture date")),
        },
        nodes,
        interactions: article.interactions,
    }
}

#[allow(clippy::too_many_arguments)]
fn interaction(
    document: &str,
    sentence: usize,
    kind: InteractionKind,
    participants: &[&str],
    date: Option<&str>,
    place: Option<&str>,
    status: Status,
    evidence: &str,
) -> Interaction {
    let mut participants: Vec<String> = participants.iter().map(|id| id.to_string()).collect();
    participants.sort();
    let date: Option<DateValue> = date.map(|date| date.parse().expect("a fixture date"));
    Interaction {
        id: format!("{document}#{sentence}.0"),
        kind,
        participants,
        date,
        date_text: date.map(|date| format!("Text für {date}")),
        date_basis: if date.is_some() {
            "explicit".to_string()
        } else {
            "no date".to_string()
        },
        place: place.map(str::to_string),
        status,
        document: document.to_string(),
        sentence,
        start: sentence * 100,
        end: sentence * 100 + evidence.len(),
        evidence: evidence.to_string(),
        confidence: 0.75,
    }
}

fn articles(with_kiew: bool) -> Vec<Article> {
    use InteractionKind::*;
    let mut articles = vec![
        Article {
            id: "2020-10-14_moskau",
            date: Some("2020-10-14"),
            sentences: vec![
                vec![PUTIN, ERDOGAN, MOSKAU],
                vec![PUTIN, HOLDING],
                vec![PUTIN, SOTSCHI],
            ],
            interactions: vec![
                interaction(
                    "2020-10-14_moskau",
                    0,
                    PhoneCall,
                    &[PUTIN, ERDOGAN],
                    Some("2020-10-14"),
                    None,
                    Status::Held,
                    "Putin telefonierte mit Erdoğan über \"Bergkarabach\" & <Syrien>.\nZweite Zeile\tmit Tab, 'Apostroph'.",
                ),
                interaction(
                    "2020-10-14_moskau",
                    2,
                    Meeting,
                    &[PUTIN, ERDOGAN],
                    Some("2020-11"),
                    Some(SOTSCHI),
                    Status::Planned,
                    "Ein Treffen mit Erdoğan in Sotschi ist für November geplant.",
                ),
            ],
        },
        Article {
            id: "2020-11_ankara",
            date: Some("2020-11"),
            sentences: vec![
                vec![ERDOGAN, CAVUSOGLU, OBRIEN],
                vec![SELENSKYJ, ERDOGAN, CAVUSOGLU, SOTSCHI],
                vec![SELENSKYJ, ERDOGAN],
            ],
            interactions: vec![
                interaction(
                    "2020-11_ankara",
                    1,
                    Meeting,
                    &[SELENSKYJ, ERDOGAN, CAVUSOGLU],
                    Some("XXXX-12-29"),
                    Some(SOTSCHI),
                    Status::Held,
                    "Am 29. Dezember trafen sich Зеленский, Erdoğan und Çavuşoğlu in Sotschi.",
                ),
                interaction(
                    "2020-11_ankara",
                    2,
                    Meeting,
                    &[SELENSKYJ, ERDOGAN],
                    None,
                    None,
                    Status::Held,
                    "Зеленский traf Erdoğan erneut.",
                ),
            ],
        },
        Article {
            id: "undatiert",
            date: None,
            sentences: vec![vec![OBRIEN, HOLDING]],
            interactions: vec![],
        },
    ];
    if with_kiew {
        articles.push(Article {
            id: "2021_kiew",
            date: Some("2021"),
            sentences: vec![vec![SELENSKYJ, PUTIN, KIEW], vec![SELENSKYJ, PUTIN]],
            interactions: vec![
                interaction(
                    "2021_kiew",
                    0,
                    Negotiation,
                    &[SELENSKYJ, PUTIN],
                    Some("2021"),
                    Some(KIEW),
                    Status::Refused,
                    "Зеленский lehnte Verhandlungen mit Putin in Kiew ab.",
                ),
                interaction(
                    "2021_kiew",
                    1,
                    VideoConference,
                    &[SELENSKYJ, PUTIN],
                    Some("2021-03"),
                    None,
                    Status::Cancelled,
                    "Die Videokonferenz im März wurde abgesagt.",
                ),
            ],
        });
    }
    articles
}

fn build(articles: Vec<Article>) -> KnowledgeGraph {
    let mut builder = GraphBuilder::new();
    for article in articles {
        builder
            .add(analysis(article))
            .expect("fixture documents are distinct");
    }
    builder.finish()
}

/// The fixture graph.
pub fn graph() -> KnowledgeGraph {
    build(articles(true))
}

/// The fixture graph, its documents added in reverse order.
pub fn graph_reversed() -> KnowledgeGraph {
    let mut articles = articles(true);
    articles.reverse();
    build(articles)
}

/// The fixture graph without the article from Kyiv: `place:kiew`, two
/// interactions and the co-mentions of that article are gone.
pub fn graph_without_kiew() -> KnowledgeGraph {
    build(articles(false))
}

/// The graph of `seeds/`, built as `newsgraph extract seeds` builds it.
pub fn seeds() -> KnowledgeGraph {
    let inputs = expand_inputs(&[PathBuf::from("seeds")]).expect("the seeds folder");
    let extractor = Extractor::new(Gazetteer::builtin());
    let mut builder = GraphBuilder::new();
    for input in &inputs {
        read_input(input, |document| {
            let document = document.expect("seed articles read");
            builder
                .add(extractor.analyze(&document))
                .expect("seed ids are distinct");
        });
    }
    builder.finish()
}
