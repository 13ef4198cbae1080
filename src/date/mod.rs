//! German temporal expressions: recognition and normalization.
//!
//! Input: a document's text and the span of one sentence, plus a
//! [`DateContext`] (the document date, when known). Output: [`DateMention`]s
//! in text order, never overlapping, each with a normalized [`DateValue`] of
//! the precision the text gives, or `None` when no calendar date follows
//! (and `basis` says why). The normalizer never reads the clock.
//!
//! A mention's span covers the expression with the preposition that
//! introduces it ("am Mittwoch", "im März", "seit 2019", "vor zwei Wochen").
//! How relative expressions are resolved is described in the `resolve`
//! module; in short, the sentence's [`Tense`] decides whether a weekday
//! points back or ahead, and a document date of reduced precision ("2020-10")
//! caps the precision of what is resolved against it.

mod grammar;
mod resolve;
mod value;
mod words;

#[cfg(test)]
mod tests;

use std::cell::OnceCell;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::{Arc, OnceLock};

use regex_automata::dfa::{Automaton, sparse};
use regex_automata::nfa::thompson::pikevm::PikeVM;
use regex_automata::nfa::thompson::{NFA, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternID, PatternSet, hybrid};

pub use value::DateValue;

use crate::span::Span;

/// The grammatical tense of the sentence a date occurs in; it decides whether
/// a weekday points back ("am Mittwoch" in a past-tense report) or ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// A report of what happened.
    Past,
    /// Present tense, or no marker found. Counts as past for resolution: a
    /// news report in the preterite often has no marker to find.
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

/// Finds German temporal expressions in a sentence and normalizes them.
///
/// Built once, in [`DateNormalizer::new`] (or, with
/// [`DateNormalizer::in_background`], on a thread of its own while the
/// caller goes on): the grammar's and the tense markers' automata come
/// compiled in the binary and are read in place (the keyword prefilter's
/// too), and each rule's own pattern is compiled when the rule first
/// matches. A sentence is scanned by one automaton of all rules. Clones
/// share all of it.
///
/// ```
/// use newsgraph::date::{DateContext, DateNormalizer};
/// use newsgraph::span::Span;
///
/// let text = "Der Waffenstillstand wurde am 10. Oktober erreicht.";
/// let context = DateContext { reference: Some("2020-10".parse().unwrap()) };
/// let mentions = DateNormalizer::new().find(text, Span::new(0, text.len()), &context);
/// assert_eq!(mentions[0].span.slice(text), "am 10. Oktober");
/// assert_eq!(mentions[0].value.unwrap().to_string(), "2020-10-10");
/// ```
#[derive(Clone, Debug)]
pub struct DateNormalizer {
    compiled: Arc<OnceLock<Compiled>>,
}

/// The compiled grammar and tense markers.
#[derive(Debug)]
struct Compiled {
    grammar: grammar::Grammar,
    markers: TenseMarkers,
}

impl Compiled {
    fn new() -> Compiled {
        Compiled {
            grammar: grammar::Grammar::new(),
            markers: TenseMarkers::new(),
        }
    }
}

/// Words that mark a sentence's tense, as one set so a sentence is scanned
/// once: a forward DFA that reports every pattern matching anywhere (all a
/// set needs, so no reverse automaton or other engine is built), compiled
/// ahead of time (see [`crate::ahead`]; the test
/// `the_tense_markers_compiled_ahead_are_current` checks it, and writes it
/// anew after a change to the patterns). Where it does not load, a lazy DFA
/// compiled here, with a Pike VM over the same NFA for a search the lazy DFA
/// gives up on.
struct TenseMarkers {
    compiled: Option<sparse::DFA<&'static [u8]>>,
    built: OnceLock<BuiltMarkers>,
}

/// The tense markers' DFA compiled ahead of time.
static MARKERS_COMPILED: &[u8] = include_bytes!("markers.dfa");

/// The tense markers compiled here.
struct BuiltMarkers {
    dfa: hybrid::dfa::DFA,
    pikevm: PikeVM,
    caches: Pool<hybrid::dfa::Cache, Maker<hybrid::dfa::Cache>>,
}

/// Makes a thread's working memory for a search, in a [`Pool`].
type Maker<T> = Box<dyn Fn() -> T + Send + Sync + UnwindSafe + RefUnwindSafe>;

impl std::fmt::Debug for TenseMarkers {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TenseMarkers")
            .field("compiled", &self.compiled.is_some())
            .finish_non_exhaustive()
    }
}

impl TenseMarkers {
    /// "soll ... getötet haben": an alleged past event, not a plan.
    const ALLEGED: usize = 0;
    /// Past forms that rule out a future reading: preterite auxiliaries and
    /// modals, the passive perfect, the past subjunctive.
    const PAST: usize = 1;
    /// Forms of "werden", modal verbs of intent, planning words.
    const FUTURE: usize = 2;
    /// Present perfect auxiliaries ("hat angekündigt") and the preterite of
    /// common reporting verbs ("telefonierte", "traf"): past, unless a future
    /// marker is present ("sagte, er werde am Freitag kommen").
    const REPORTED: usize = 3;

    /// How many markers there are.
    const COUNT: usize = 4;

    fn new() -> TenseMarkers {
        TenseMarkers {
            compiled: crate::ahead::load(MARKERS_COMPILED),
            built: OnceLock::new(),
        }
    }

    /// The markers' NFA, without groups.
    fn nfa() -> NFA {
        NFA::compiler()
            .configure(NFA::config().which_captures(WhichCaptures::None))
            .build_many(&TenseMarkers::patterns())
            .expect("tense marker patterns are valid")
    }

    /// The markers compiled here, when first needed.
    fn built(&self) -> &BuiltMarkers {
        self.built.get_or_init(|| {
            let nfa = TenseMarkers::nfa();
            let dfa = hybrid::dfa::DFA::builder()
                .configure(hybrid::dfa::DFA::config().match_kind(MatchKind::All))
                .build_from_nfa(nfa.clone())
                .expect("tense markers fit the lazy DFA");
            let pikevm = PikeVM::builder()
                .configure(PikeVM::config().match_kind(MatchKind::All))
                .build_from_nfa(nfa)
                .expect("tense markers fit the Pike VM");
            let make_cache: Maker<hybrid::dfa::Cache> = {
                let dfa = dfa.clone();
                Box::new(move || dfa.create_cache())
            };
            BuiltMarkers {
                dfa,
                pikevm,
                caches: Pool::new(make_cache),
            }
        })
    }

    /// The markers' patterns, in the order of their numbers.
    fn patterns() -> [String; 4] {
        // ASCII word boundaries: the lazy DFA cannot handle Unicode ones on
        // non-ASCII text, and every marker begins and ends with an ASCII letter.
        let words = |alternatives: &str| format!(r"(?i)(?-u:\b)(?:{alternatives})(?-u:\b)");
        [
            r"(?i)(?-u:\b)soll(?:en|te|ten)?(?-u:\b).*(?-u:\b)(?:haben|sein)(?-u:\b)".to_string(),
            words(
                "hatte|hatten|war|waren|wurde|wurden|worden|hätte|hätten|musste|mussten|\
                 konnte|konnten|durfte|durften|wollte|wollten",
            ),
            words(
                "wird|werden|werde|wirst|werdet|soll|sollen|will|wollen|plant|planen|geplant|\
                 vorgesehen|kommenden|bevorstehenden?|anstehenden?",
            ),
            words(
                "hat|haben|habe|hast|habt|\
                 (?:sagte|erklärte|teilte|betonte|telefonierte|besuchte|forderte|warnte|\
                 kündigte|berichtete|meldete|unterzeichnete|vereinbarte|tötete|startete|\
                 führte|reiste|einigte|erreichte|bestätigte|drohte|diskutierte|verhandelte|\
                 lehnte)n?|\
                 (?:traf|kam|gab|ging|sprach|fand|beschloss|begann|starb|griff|empfing|\
                 schrieb|stand|lag|zog|verlor|gewann|nahm|beriet)(?:en)?",
            ),
        ]
    }

    /// The markers found anywhere in `text`.
    fn matches(&self, text: &str) -> PatternSet {
        let input = Input::new(text);
        let mut found = PatternSet::new(TenseMarkers::COUNT);
        // No quit byte and only ASCII word boundaries: the compiled DFA's
        // search cannot fail.
        if let Some(dfa) = &self.compiled
            && dfa
                .try_which_overlapping_matches(&input, &mut found)
                .is_ok()
        {
            return found;
        }
        found.clear();
        self.built_matches(text)
    }

    /// [`TenseMarkers::matches`] by the markers compiled here: the lazy
    /// DFA, or the Pike VM where it gives up.
    fn built_matches(&self, text: &str) -> PatternSet {
        let built = self.built();
        let input = Input::new(text);
        let mut found = PatternSet::new(TenseMarkers::COUNT);
        let mut cache = built.caches.get();
        if built
            .dfa
            .try_which_overlapping_matches(&mut cache, &input, &mut found)
            .is_err()
        {
            found = self.pikevm_matches(text);
        }
        found
    }

    /// [`TenseMarkers::matches`] by the Pike VM.
    fn pikevm_matches(&self, text: &str) -> PatternSet {
        let built = self.built();
        let mut found = PatternSet::new(TenseMarkers::COUNT);
        let mut cache = built.pikevm.create_cache();
        built
            .pikevm
            .which_overlapping_matches(&mut cache, &Input::new(text), &mut found);
        found
    }

    /// True when marker `marker` is in `found`.
    fn has(found: &PatternSet, marker: usize) -> bool {
        found.contains(PatternID::new_unchecked(marker))
    }
}

impl DateNormalizer {
    /// Compiles the date grammar and the tense markers.
    pub fn new() -> DateNormalizer {
        DateNormalizer {
            compiled: Arc::new(OnceLock::from(Compiled::new())),
        }
    }

    /// A normalizer whose regexes are compiled on a thread of its own,
    /// started now: the caller goes on (building the other stages, reading
    /// the first documents) instead of waiting, and the first use waits for
    /// what is not compiled yet. When no thread can be started, the first
    /// use compiles them.
    pub fn in_background() -> DateNormalizer {
        let compiled = Arc::new(OnceLock::new());
        let shared = Arc::clone(&compiled);
        // Without a thread the first use compiles: nothing to report.
        let _ = std::thread::Builder::new()
            .name("dates".to_string())
            .spawn(move || {
                shared.get_or_init(Compiled::new);
            });
        DateNormalizer { compiled }
    }

    /// The compiled regexes, waiting for (or doing) the compilation.
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(Compiled::new)
    }

    /// Temporal expressions in `text[sentence]`, in text order, never
    /// overlapping; spans are byte offsets into `text`. A `sentence` span
    /// that is out of bounds or not on char boundaries yields nothing.
    pub fn find(&self, text: &str, sentence: Span, context: &DateContext) -> Vec<DateMention> {
        let Some(sentence_text) = text.get(sentence.start..sentence.end) else {
            return Vec::new();
        };
        let tense = OnceCell::new();
        let tense = || *tense.get_or_init(|| self.tense(sentence_text));
        self.compiled()
            .grammar
            .find(sentence_text, &tense)
            .into_iter()
            .map(|found| {
                let resolution =
                    resolve::resolve(&found.expression, context.reference.as_ref(), &tense);
                DateMention {
                    span: Span::new(sentence.start + found.start, sentence.start + found.end),
                    value: resolution.value,
                    basis: resolution.basis,
                }
            })
            .collect()
    }

    /// The tense of a sentence, from German auxiliaries and markers:
    /// - `Past` for an alleged past ("soll ... getötet haben");
    /// - `Future` for a future marker (wird, werden, soll, will, geplant,
    ///   kommenden …) unless a preterite or passive-perfect form (war, wurde,
    ///   hatte, worden, musste …) shows the sentence reports the past;
    /// - `Past` for any past form, a present-perfect auxiliary (hat, haben)
    ///   or the preterite of a common reporting verb (sagte, traf);
    /// - otherwise `Present`.
    pub fn tense(&self, sentence_text: &str) -> Tense {
        let found = self.compiled().markers.matches(sentence_text);
        let has = |marker| TenseMarkers::has(&found, marker);
        if has(TenseMarkers::ALLEGED) || has(TenseMarkers::PAST) {
            Tense::Past
        } else if has(TenseMarkers::FUTURE) {
            Tense::Future
        } else if has(TenseMarkers::REPORTED) {
            Tense::Past
        } else {
            Tense::Present
        }
    }
}

impl Default for DateNormalizer {
    fn default() -> DateNormalizer {
        DateNormalizer::new()
    }
}
