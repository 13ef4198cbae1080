//! Scores a graph JSON against the gold annotation of the seeds, with the
//! rules of the reference scorer: entities matched to gold keys through
//! label and aliases (ignoring case, diacritics and hyphens), required and
//! optional entities per document, forbidden names, and person-pair
//! interactions with kind, date and place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The figures of one scoring run.
#[derive(Debug, Default)]
pub struct Score {
    pub entity_recall: f64,
    pub entity_precision: f64,
    pub forbidden_entities: usize,
    pub type_errors: usize,
    pub pair_recall: f64,
    pub pair_precision: f64,
    pub forbidden_pairs: usize,
    pub not_held_as_held: usize,
    pub kind_acc: f64,
    pub date_acc: f64,
    pub date_wrong: usize,
    pub place_acc: f64,
    /// What went wrong, one line per finding.
    pub findings: Vec<String>,
}

fn norm(name: &str) -> String {
    let stripped: String = name.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let stripped = stripped.replace('ı', "i").replace('ß', "ss");
    stripped
        .to_lowercase()
        .replace('-', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().map_or_else(Vec::new, |items| {
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
}

fn div(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

fn pairs(keys: &[String]) -> BTreeSet<(String, String)> {
    let keys: BTreeSet<&String> = keys.iter().collect();
    let keys: Vec<&String> = keys.into_iter().collect();
    let mut pairs = BTreeSet::new();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            pairs.insert(((*a).clone(), (*b).clone()));
        }
    }
    pairs
}

/// Scores `graph` against `gold` (seeds.json) and `registry` (entities.json).
pub fn score(gold: &Value, registry: &Value, graph: &Value) -> Score {
    let mut entries: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for (key, entry) in registry.as_object().unwrap() {
        if key.starts_with('_') {
            continue;
        }
        let names = strings(&entry["names"]).iter().map(|n| norm(n)).collect();
        entries.insert(
            key.clone(),
            (entry["type"].as_str().unwrap().to_string(), names),
        );
    }
    let registry_order: Vec<String> = registry
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !k.starts_with('_'))
        .cloned()
        .collect();
    let nodes: BTreeMap<String, &Value> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_string(), n))
        .collect();
    let key_of: BTreeMap<String, Option<String>> = nodes
        .iter()
        .map(|(id, node)| {
            let mut names = vec![node["label"].as_str().unwrap_or("").to_string()];
            names.extend(strings(&node["aliases"]));
            let key = names.iter().find_map(|name| {
                registry_order
                    .iter()
                    .find(|k| entries[*k].1.contains(&norm(name)))
                    .cloned()
            });
            (id.clone(), key)
        })
        .collect();
    let mut s = Score::default();
    for (id, key) in &key_of {
        if let Some(key) = key
            && nodes[id]["type"].as_str() != Some(entries[key].0.as_str())
        {
            s.type_errors += 1;
            s.findings
                .push(format!("type of {id}: gold {}", entries[key].0));
        }
    }
    let (mut req, mut req_found, mut found_n, mut found_ok) = (0.0, 0.0, 0.0, 0.0);
    let (mut pairs_req, mut pairs_hit, mut pairs_tool, mut pairs_ok) = (0.0, 0.0, 0.0, 0.0);
    let (mut kind_ok, mut kind_n, mut date_score, mut date_n) = (0.0, 0.0, 0.0, 0.0);
    let (mut place_ok, mut place_n) = (0.0, 0.0);
    for (doc, g) in gold["documents"].as_object().unwrap() {
        let found: Vec<(&String, Option<&String>)> = nodes
            .iter()
            .filter(|(_, n)| {
                n["mentions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["document"] == doc.as_str())
            })
            .map(|(id, _)| (id, key_of[id].as_ref()))
            .collect();
        let found_keys: BTreeSet<&String> = found.iter().filter_map(|(_, k)| *k).collect();
        let required = strings(&g["required"]);
        let allowed: BTreeSet<String> = required
            .iter()
            .cloned()
            .chain(strings(&g["optional"]))
            .collect();
        req += required.len() as f64;
        for key in &required {
            if found_keys.contains(key) {
                req_found += 1.0;
            } else {
                s.findings.push(format!("{doc}: missed entity {key}"));
            }
        }
        found_n += found.len() as f64;
        for (id, key) in &found {
            if key.is_some_and(|k| allowed.contains(k)) {
                found_ok += 1.0;
            } else {
                s.findings.push(format!("{doc}: unexpected entity {id}"));
            }
        }
        let forbidden: BTreeSet<String> =
            strings(&g["forbidden"]).iter().map(|f| norm(f)).collect();
        for (id, _) in &found {
            if forbidden.contains(&norm(nodes[*id]["label"].as_str().unwrap_or(""))) {
                s.forbidden_entities += 1;
                s.findings.push(format!("{doc}: FORBIDDEN entity {id}"));
            }
        }
        // Interactions: person pairs per document.
        let mut tool: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
        let mut held_meetings = BTreeSet::new();
        for it in graph["interactions"].as_array().unwrap() {
            if it["document"] != doc.as_str() {
                continue;
            }
            let keys: Vec<String> = strings(&it["participants"])
                .iter()
                .filter_map(|p| key_of.get(p).cloned().flatten())
                .filter(|k| entries[k].0 == "person")
                .collect();
            let status = it["status"].as_str().unwrap_or("held");
            for pair in pairs(&keys) {
                if status == "held" {
                    if it["kind"] == "meeting" {
                        held_meetings.insert(pair.clone());
                    }
                    tool.entry(pair).or_default().push(it);
                }
            }
        }
        let mut required_pairs: BTreeMap<(String, String), &Value> = BTreeMap::new();
        for gi in g["interactions"].as_array().into_iter().flatten() {
            for pair in pairs(&strings(&gi["participants"])) {
                required_pairs.insert(pair, gi);
            }
        }
        let optional: BTreeSet<(String, String)> = g["optional_interactions"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|gi| pairs(&strings(&gi["participants"])))
            .collect();
        let forbidden_pairs: BTreeSet<(String, String)> = g["forbidden_pairs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let mut p = strings(p);
                p.sort();
                (p[0].clone(), p[1].clone())
            })
            .collect();
        for nh in g["not_held"].as_array().into_iter().flatten() {
            for pair in pairs(&strings(&nh["participants"])) {
                if nh["kind"] == "meeting" && held_meetings.contains(&pair) {
                    s.not_held_as_held += 1;
                    s.findings
                        .push(format!("{doc}: NOT HELD reported as held: {pair:?}"));
                }
            }
        }
        pairs_req += required_pairs.len() as f64;
        pairs_tool += tool.len() as f64;
        for pair in tool.keys() {
            if required_pairs.contains_key(pair) {
                pairs_hit += 1.0;
            }
            if required_pairs.contains_key(pair) || optional.contains(pair) {
                pairs_ok += 1.0;
            } else if forbidden_pairs.contains(pair) {
                s.forbidden_pairs += 1;
                s.findings.push(format!("{doc}: FORBIDDEN pair {pair:?}"));
            } else {
                s.findings.push(format!("{doc}: unexpected pair {pair:?}"));
            }
        }
        for (pair, gi) in &required_pairs {
            let Some(its) = tool.get(pair) else {
                s.findings.push(format!("{doc}: missed pair {pair:?}"));
                continue;
            };
            kind_n += 1.0;
            if its.iter().any(|i| i["kind"] == gi["kind"]) {
                kind_ok += 1.0;
            } else {
                s.findings.push(format!("{doc}: kind of {pair:?}"));
            }
            if let Some(place) = gi["place"].as_str() {
                place_n += 1.0;
                let hit = its.iter().any(|i| {
                    i["place"]
                        .as_str()
                        .and_then(|p| key_of.get(p).cloned().flatten())
                        .as_deref()
                        == Some(place)
                });
                if hit {
                    place_ok += 1.0;
                } else {
                    s.findings.push(format!("{doc}: place of {pair:?}"));
                }
            }
            if gi["dates_accepted"] == "ungraded" {
                continue;
            }
            date_n += 1.0;
            let accepted = gi["dates_accepted"].as_array().unwrap();
            let partial = gi["dates_partial"].as_array().cloned().unwrap_or_default();
            let dates: Vec<&Value> = its.iter().map(|i| &i["date"]).collect();
            if dates.iter().any(|d| accepted.contains(d)) {
                date_score += 1.0;
            } else if dates.iter().any(|d| partial.contains(d)) {
                date_score += 0.5;
            } else if dates.iter().all(|d| d.is_null()) {
                s.findings.push(format!("{doc}: no date for {pair:?}"));
            } else {
                s.date_wrong += 1;
                s.findings
                    .push(format!("{doc}: WRONG date for {pair:?}: {dates:?}"));
            }
        }
    }
    s.entity_recall = div(req_found, req);
    s.entity_precision = div(found_ok, found_n);
    s.pair_recall = div(pairs_hit, pairs_req);
    s.pair_precision = div(pairs_ok, pairs_tool);
    s.kind_acc = div(kind_ok, kind_n);
    s.date_acc = div(date_score, date_n);
    s.place_acc = div(place_ok, place_n);
    s
}
