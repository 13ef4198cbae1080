//! Breadth of the date normalizer, measured on Microsoft Recognizers-Text's
//! German date specs (`tests/fixtures/recognizers-text-de/`, MIT, see SOURCE.md).
//!
//! Scoring:
//! - DateExtractor: a case passes when the found expressions' texts equal the
//!   expected `Text`s, in order and number.
//! - DateParser: the texts must match as above, and each value must equal the
//!   TIMEX when it has a concrete year, or else (year unknown: `XXXX-01-15`,
//!   `XXXX-WXX-5`) the spec's past or future resolution date.
//! - Texts are compared after trimming, ignoring case (the specs lowercase
//!   some), and ignoring leading prepositions and articles (am, den, von, vom,
//!   im): our spans include the preposition ("am 15. Januar"), the specs
//!   mostly do not ("15. Januar").
//! - A case's `Context.ReferenceDateTime` is the document date (a full day);
//!   cases without one have no document date.
//!
//! Out of scope (these cases are expected to fail):
//! - Day and month with a dot but no trailing dot ("am 22.04"): the spec
//!   itself notes it may be a time (22:04) or a decimal; news writes "22.04.".
//! - "in 2 Wochen" and similar offsets ahead in a sentence without a future
//!   marker: in news reports "in zwei Wochen" is usually a duration.
//! - Also not handled, and not in these two files: holidays (Ostern,
//!   Weihnachten), seasons without a year ("im Sommer"), times of day,
//!   date ranges as one expression ("vom 1. bis 3. Oktober"), decades
//!   ("in den 1990er Jahren"), dates relative to another event ("am Tag
//!   danach"), and bare day numbers without "am"/"zum"/"vom" ("der 15.").

use std::fs;
use std::path::Path;

use newsgraph::date::{DateContext, DateMention, DateNormalizer, DateValue};
use newsgraph::span::Span;
use serde::Deserialize;

/// The share of all cases that must pass.
const THRESHOLD: f64 = 0.85;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Case {
    input: String,
    #[serde(default)]
    context: Option<Context>,
    results: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Context {
    reference_date_time: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Expected {
    text: String,
    #[serde(default)]
    value: Option<ExpectedValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ExpectedValue {
    timex: String,
    past_resolution: Resolution,
    future_resolution: Resolution,
}

#[derive(Debug, Deserialize)]
struct Resolution {
    date: String,
}

/// Which part of the spec a file checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    Texts,
    TextsAndValues,
}

/// The outcome of one spec file.
struct Score {
    passed: usize,
    total: usize,
    failures: Vec<String>,
}

fn load(name: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/recognizers-text-de")
        .join(name);
    let text = fs::read_to_string(&path).expect("spec file is readable");
    // Some upstream spec files start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    serde_json::from_str(text).expect("spec file is valid JSON")
}

/// A text as compared: trimmed, lowercase, without leading prepositions.
fn normalized(text: &str) -> String {
    const IGNORED: &[&str] = &["am", "den", "von", "vom", "im"];
    let lower = text.trim().to_lowercase();
    let mut rest = lower.as_str();
    while let Some((first, tail)) = rest.split_once(' ') {
        if !IGNORED.contains(&first) {
            break;
        }
        rest = tail.trim_start();
    }
    rest.to_string()
}

fn value_matches(found: Option<&DateValue>, expected: &ExpectedValue) -> bool {
    let Some(found) = found.map(DateValue::to_string) else {
        return false;
    };
    let has_year = expected.timex.bytes().take(4).all(|b| b.is_ascii_digit());
    if has_year {
        found == expected.timex
    } else {
        found == expected.past_resolution.date || found == expected.future_resolution.date
    }
}

fn score(name: &str, check: Check) -> Score {
    let normalizer = DateNormalizer::new();
    let cases = load(name);
    let mut failures = Vec::new();
    for case in &cases {
        let reference = case.context.as_ref().map(|context| {
            let day = context.reference_date_time.get(..10).unwrap_or_default();
            day.parse::<DateValue>()
                .expect("reference date is YYYY-MM-DD")
        });
        let context = DateContext { reference };
        let text = &case.input;
        let mentions: Vec<DateMention> = normalizer.find(text, Span::new(0, text.len()), &context);
        let texts_match = mentions.len() == case.results.len()
            && mentions
                .iter()
                .zip(&case.results)
                .all(|(mention, expected)| {
                    normalized(mention.span.slice(text)) == normalized(&expected.text)
                });
        let values_match = check == Check::Texts
            || mentions
                .iter()
                .zip(&case.results)
                .all(|(mention, expected)| {
                    expected
                        .value
                        .as_ref()
                        .is_some_and(|value| value_matches(mention.value.as_ref(), value))
                });
        if !(texts_match && values_match) {
            let found: Vec<String> = mentions
                .iter()
                .map(|mention| {
                    let value = mention
                        .value
                        .map_or_else(|| "none".to_string(), |value| value.to_string());
                    format!("{:?} = {value}", mention.span.slice(text))
                })
                .collect();
            let expected: Vec<String> = case
                .results
                .iter()
                .map(|expected| match &expected.value {
                    Some(value) => format!(
                        "{:?} = {} ({} / {})",
                        expected.text,
                        value.timex,
                        value.past_resolution.date,
                        value.future_resolution.date
                    ),
                    None => format!("{:?}", expected.text),
                })
                .collect();
            failures.push(format!(
                "{text:?}: expected [{}], found [{}]",
                expected.join(", "),
                found.join(", ")
            ));
        }
    }
    Score {
        passed: cases.len() - failures.len(),
        total: cases.len(),
        failures,
    }
}

#[test]
fn normalization_ignores_case_and_leading_prepositions() {
    let rows = [
        ("am 15. Januar", "15. januar"),
        ("den 28.oktober", "28.oktober"),
        (
            "von Mittwoch, den 11. November",
            "mittwoch, den 11. november",
        ),
        (" heute ", "heute"),
        (
            "Übernächste Woche am Freitag",
            "übernächste woche am freitag",
        ),
    ];
    for (text, expected) in rows {
        assert_eq!(normalized(text), expected, "{text:?}");
    }
}

#[test]
fn passes_enough_recognizers_text_date_specs() {
    let scores = [
        (
            "DateExtractor.json",
            score("DateExtractor.json", Check::Texts),
        ),
        (
            "DateParser.json",
            score("DateParser.json", Check::TextsAndValues),
        ),
    ];
    let mut passed = 0;
    let mut total = 0;
    for (name, score) in &scores {
        println!(
            "{name}: {}/{} passed ({:.1}%)",
            score.passed,
            score.total,
            100.0 * score.passed as f64 / score.total as f64
        );
        for failure in &score.failures {
            println!("  failed: {failure}");
        }
        passed += score.passed;
        total += score.total;
    }
    let rate = passed as f64 / total as f64;
    println!("combined: {passed}/{total} passed ({:.1}%)", 100.0 * rate);
    assert!(
        rate >= THRESHOLD,
        "pass rate {:.1}% is below {:.0}%",
        100.0 * rate,
        100.0 * THRESHOLD
    );
}
