//! The grammar of German temporal expressions: a table of rules, each a
//! regex with named groups and a [`Form`] that says how to read them.
//!
//! All rules are one automaton, so a sentence is scanned once (after a
//! cheaper keyword prefilter, compiled ahead of time too: `prefilter.dfa`
//! and `prefilter-reverse.dfa`, see [`PREFILTER_FORWARD`]): a DFA with a
//! pattern per rule, compiled ahead of time (`grammar.dfa`, see
//! [`COMPILED`]), which tells where a match ends
//! and which rule it is. Only a match is read again, by the rule's own
//! pattern (compiled when the rule first matches), for its named groups.
//! Rules are ordered: at one position the first rule that matches wins, so
//! longer and more specific rules come first. A match the reading rejects
//! ("Mai" without context) is skipped, and the search goes on from its next
//! character.

use chrono::{NaiveDate, Weekday};

use std::sync::OnceLock;

use regex::Regex;
use regex_automata::dfa::{Automaton, dense, sparse};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{NFA, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, HalfMatch, Input, PatternID, Span, hybrid};
use rustc_hash::FxHashMap;

use super::words;
use super::{Maker, Tense};
use crate::ahead::Aligned;

/// What an expression says, before it is resolved against a document date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Expression {
    /// Calendar fields as written: "29. Dezember 2020", "im März", "im Jahr
    /// 2020", or only a day ("am 15."). A day with a known year and month is
    /// a real calendar day.
    Calendar {
        day: Option<u32>,
        month: Option<u32>,
        year: Option<Year>,
        shift: Shift,
    },
    /// "am Mittwoch", "vergangenen Mittwoch", "Donnerstagabend"; with
    /// `night_before`, "in der Nacht zu Mittwoch" (dated to the Wednesday).
    Weekday {
        weekday: Weekday,
        shift: Shift,
        night_before: bool,
    },
    /// A weekday in a week counted from the document's week:
    /// "nächste Woche Freitag" (1), "Dienstag vergangener Woche" (-1).
    WeekdayOfWeek { weekday: Weekday, weeks: i64 },
    /// "am Wochenende", "am vergangenen Wochenende": Saturday and Sunday.
    Weekend { shift: Shift },
    /// A distance from the document date: "gestern" (-1 day), "vor zwei
    /// Wochen" (-2 weeks), "in einem Monat" (1 month).
    Offset { amount: i64, unit: Unit },
    /// A whole week, month or year counted from the document's:
    /// "letzte Woche" (-1), "in diesem Monat" (0), "nächstes Jahr" (1).
    Period { unit: Unit, shift: i64 },
}

/// An explicit year, and whether it was written with two digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Year {
    pub(super) value: i32,
    pub(super) two_digit: bool,
}

/// A calendar unit for offsets and periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// Which occurrence of a weekday (or year of a month) is meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shift {
    /// As the sentence's tense says (the default).
    ByTense,
    /// On or before the document date ("seit Mittwoch").
    OnOrBefore,
    /// Strictly before ("vergangenen Mittwoch", "am gestrigen Dienstag").
    Before,
    /// Strictly after ("kommenden Mittwoch", "nächsten Mittwoch").
    After,
}

impl Shift {
    /// The shift a modifier word asks for (`ByTense` without one); `None`
    /// for a word that is no modifier.
    fn from_modifier(modifier: Option<&str>) -> Option<Shift> {
        let Some(word) = modifier else {
            return Some(Shift::ByTense);
        };
        Some(match words::shift(word, true)? {
            ..0 => Shift::Before,
            0 => Shift::ByTense,
            1.. => Shift::After,
        })
    }
}

/// How to read a rule's named groups.
#[derive(Clone, Copy, Debug)]
enum Form {
    /// Groups `day` or `ordinal`; `month` or `month_number`; optional
    /// `year` or `year2`, `lead` and `weekday`.
    Date,
    /// Group `day`; the next word must not start a noun phrase ("am 15.
    /// Spieltag") or continue a range ("am 15. und 16. Oktober").
    DayOfMonth,
    /// Group `month`; needs `lead`, `part`, `modifier` or `year` as context.
    Month,
    /// Group `year` after a required context word.
    Year,
    /// Groups `weekday`, optional `modifier` and `lead`.
    Weekday,
    /// Groups `weekday` and optional `modifier`: the night before that weekday.
    NightBefore,
    /// Groups `weekday` and `modifier` (a week shift) or `count` (weeks ahead).
    WeekdayOfWeek,
    /// Optional `modifier`, needs it or `lead`.
    Weekend,
    /// Group `day_word`.
    DayWord,
    /// Groups `count` and `unit`, counted back.
    Ago,
    /// Groups `count` and `unit`, counted ahead; only in future-tense sentences,
    /// since "in zwei Wochen" is a duration in a report.
    Ahead,
    /// Optional `modifier` (shift) or `previous` ("Vorjahr").
    Period(Unit),
}

/// The rule table: forms and patterns, in priority order. `{name}` is
/// replaced by a snippet from [`snippets`]; the named groups are what
/// [`interpret`] reads.
const RULES: &[(Form, &str)] = &[
    // Explicit dates. A weekday before the date ("Montag, den 15. Januar")
    // belongs to the expression but does not change its value.
    (
        Form::Date,
        r"(?:(?P<lead>{date_lead})\s+)?(?:{weekday},?\s+(?:(?i:den)\s+)?)?(?P<day>{day})\.\s*(?P<month>{month_any_case})(?:\s+(?P<year>{year}))?",
    ),
    (
        Form::Date,
        r"(?:(?P<lead>{date_lead})\s+)?(?:{weekday},?\s+(?:(?i:den)\s+)?)?(?P<ordinal>{ordinal})\s+(?P<month>{month})(?:\s+(?P<year>{year}))?",
    ),
    (
        Form::Date,
        r"(?:(?P<lead>{date_lead})\s+)?(?:(?P<weekday>{weekday}),?\s+(?:(?i:den)\s+)?)?(?P<day>{day})\.(?P<month_number>{month_number})\.(?:(?P<year>{numeric_year})|(?P<year2>[0-9]{2}))?",
    ),
    (
        Form::Date,
        r"(?:(?P<lead>{date_lead})\s+)?(?P<day>{day})/(?P<month_number>{month_number})/(?:(?P<year>{numeric_year})|(?P<year2>[0-9]{2}))",
    ),
    // "am 22/04": a slash date without a year only after a preposition.
    (
        Form::Date,
        r"(?P<lead>(?i:am|den|vom|bis|zum))\s+(?P<day>{day})/(?P<month_number>{month_number})",
    ),
    (
        Form::Date,
        r"(?:(?P<lead>{date_lead})\s+)?(?P<day>{day})-(?P<month_number>{month_number})-(?:(?P<year>{numeric_year})|(?P<year2>[0-9]{2}))",
    ),
    (
        Form::Date,
        r"(?:(?P<lead>{date_lead})\s+)?(?P<year>{numeric_year})[-./](?P<month_number>{month_number})[-./](?P<day>{day})",
    ),
    (
        Form::DayOfMonth,
        r"(?P<lead>(?i:am|bis\s+zum|zum|vom|ab\s+dem|seit\s+dem))\s+(?P<day>{day})\.",
    ),
    // A weekday in a counted week, before the plain weekday and week rules.
    (
        Form::WeekdayOfWeek,
        r"(?P<modifier>{shift})\s+Woche\s+(?:(?i:am)\s+)?(?P<weekday>{weekday}){daypart_suffix}",
    ),
    (
        Form::WeekdayOfWeek,
        r"(?:(?P<lead>{weekday_lead})\s+)?(?P<weekday>{weekday}){daypart_suffix}(?:\s+{daypart_word})?\s+(?P<modifier>{shift})\s+Woche",
    ),
    (
        Form::WeekdayOfWeek,
        r"(?:(?P<lead>{weekday_lead})\s+)?(?P<weekday>{weekday})\s+(?i:in)\s+(?P<count>{count})\s+Wochen?",
    ),
    (
        Form::NightBefore,
        r"(?:(?i:in)\s+der\s+)?Nacht\s+(?:von\s+{weekday}\s+)?(?:zum|zu|auf(?:\s+den)?)\s+(?:(?P<modifier>{day_shift})\s+)?(?P<weekday>{weekday})",
    ),
    (
        Form::Weekend,
        r"(?:(?P<lead>(?i:am|an\s+diesem|übers))\s+)?(?:(?P<modifier>{day_shift})\s+)?Wochenende",
    ),
    (
        Form::Weekday,
        r"(?:(?P<lead>{weekday_lead})\s+)?(?:(?P<modifier>{day_shift})\s+)?(?P<weekday>{weekday}){daypart_suffix}(?:\s+{daypart_word})?",
    ),
    (
        Form::DayWord,
        r"(?P<day_word>(?i:vorgestern|gestern|heute|übermorgen)|morgen|^Morgen)(?:\s+{daypart_word})?",
    ),
    (
        Form::Ago,
        r"(?i:vor)\s+(?:{approximately}\s+)?(?P<count>{count})\s+(?P<unit>{unit})",
    ),
    (
        Form::Ahead,
        r"(?i:in)\s+(?:{approximately}\s+)?(?P<count>{count})\s+(?P<unit>{unit})",
    ),
    (
        Form::Period(Unit::Week),
        r"(?:(?i:in)\s+(?:der\s+)?)?(?P<modifier>{shift})\s+Woche",
    ),
    (
        Form::Period(Unit::Week),
        r"(?P<part>{part})\s+(?:der\s+)?(?:(?P<modifier>{shift})\s+)?Woche",
    ),
    (
        Form::Period(Unit::Month),
        r"(?:(?i:im|in)\s+)?(?P<modifier>{shift})\s+Monat",
    ),
    (
        Form::Period(Unit::Month),
        r"(?P<part>{part})\s+(?:des\s+)?(?:(?P<modifier>{shift})\s+)?Monats",
    ),
    (
        Form::Period(Unit::Month),
        r"(?i:im)\s+(?P<previous>Vormonat)",
    ),
    (
        Form::Period(Unit::Year),
        r"(?:(?i:im|in)\s+)?(?P<modifier>{shift})\s+Jahr(?:\s+(?i:im)\s+{season})?",
    ),
    (
        Form::Period(Unit::Year),
        r"(?P<part>{part})\s+(?:des\s+)?(?:(?P<modifier>{shift})\s+)?Jahres",
    ),
    (Form::Period(Unit::Year), r"(?i:im)\s+(?P<previous>Vorjahr)"),
    (
        Form::Month,
        r"(?:(?P<lead>{month_lead})\s+)?(?:(?P<part>{part})\s+)?(?:(?P<modifier>{shift})\s+)?(?P<month>{month})(?:\s+(?P<year>{year}))?",
    ),
    (
        Form::Year,
        r"(?P<lead>{year_lead})\s+(?P<year>{context_year})",
    ),
];

/// [`snippets`], made once.
fn shared_snippets() -> &'static [(&'static str, String)] {
    static SNIPPETS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    SNIPPETS.get_or_init(snippets)
}

/// The snippets that `{name}` stands for in [`RULES`].
fn snippets() -> Vec<(&'static str, String)> {
    let months: Vec<&str> = words::MONTHS.iter().map(|&(name, _)| name).collect();
    let weekdays: Vec<&str> = words::WEEKDAYS.iter().map(|&(name, _)| name).collect();
    let numbers: Vec<&str> = words::NUMBERS.iter().map(|&(name, _)| name).collect();
    let ordinals: Vec<&str> = words::ORDINALS.iter().map(|&(stem, _)| stem).collect();
    let shifts: Vec<&str> = words::SHIFTS.iter().map(|&(stem, _)| stem).collect();
    let day_shifts: Vec<&str> = words::SHIFTS
        .iter()
        .chain(words::DAY_SHIFTS)
        .map(|&(stem, _)| stem)
        .collect();
    let endings = alternation(words::INFLECTIONS);
    vec![
        ("day", r"(?:0?[1-9]|[12][0-9]|3[01])".to_string()),
        ("month_number", r"(?:0?[1-9]|1[0-2])".to_string()),
        ("year", r"(?:1[0-9]{3}|20[0-9]{2})".to_string()),
        // Numbers with dots, slashes or dashes are dates only with a recent
        // year ("Nummer 12-11-1234" is not).
        ("numeric_year", r"(?:19|20)[0-9]{2}".to_string()),
        // A bare year only in a plausible range, and only after a context word.
        ("context_year", r"(?:1[5-9][0-9]{2}|20[0-9]{2})".to_string()),
        ("month", alternation(&months)),
        ("month_any_case", format!("(?i:{})", alternation(&months))),
        ("weekday", alternation(&weekdays)),
        (
            "daypart_suffix",
            format!("(?:{})?", alternation(words::DAYPARTS)),
        ),
        (
            "daypart_word",
            format!("(?i:{})", alternation(words::DAYPARTS)),
        ),
        (
            "count",
            format!("(?:[0-9]{{1,4}}|(?i:{}))", alternation(&numbers)),
        ),
        (
            "ordinal",
            format!("(?i:{}{endings})", alternation(&ordinals)),
        ),
        ("shift", format!("(?i:{}{endings})", alternation(&shifts))),
        (
            "day_shift",
            format!("(?i:{}{endings})", alternation(&day_shifts)),
        ),
        (
            "unit",
            "(?:Tagen|Tag|Wochen|Woche|Monaten|Monat|Jahren|Jahr)".to_string(),
        ),
        (
            "approximately",
            "(?i:knapp|rund|etwa|fast|gut|genau|beinahe|ungefähr|nahezu)".to_string(),
        ),
        ("part", "(?:Anfang|Mitte|Ende)".to_string()),
        ("season", "(?:Frühjahr|Frühling|Sommer|Herbst)".to_string()),
        (
            "date_lead",
            r"(?i:am|seit\s+dem|seit|bis\s+zum|bis|ab\s+dem|ab|vom|von|zum|den)".to_string(),
        ),
        (
            "weekday_lead",
            r"(?i:am|an|seit\s+dem|seit|bis\s+zum|bis|ab\s+dem|ab|vom|von|zum)".to_string(),
        ),
        (
            "month_lead",
            r"(?i:im\s+Monat|im|seit\s+dem|seit|bis\s+zum|bis|ab|vom|von)".to_string(),
        ),
        (
            "year_lead",
            r"(?i:im\s+Jahre?|das\s+Jahr|des\s+Jahres|seit\s+dem\s+Jahre?|seit|bis\s+zum\s+Jahre?|bis\s+ins\s+Jahr|bis|ab\s+dem\s+Jahre?|ab|von|Anfang|Mitte|Ende|(?:im\s+)?(?:Frühjahr|Frühling|Sommer|Herbst|Winter))"
                .to_string(),
        ),
    ]
}

/// A regex alternation of literal words, longest first.
fn alternation(words: &[&str]) -> String {
    let mut sorted = words.to_vec();
    sorted.sort_by_key(|word| std::cmp::Reverse(word.chars().count()));
    let escaped: Vec<String> = sorted.iter().map(|word| regex::escape(word)).collect();
    format!("(?:{})", escaped.join("|"))
}

/// Characters that may stand next to an expression: anything but a letter or digit.
const BEFORE: &str = r"(?:^|[^\p{L}\p{N}])";
const AFTER: &str = r"(?:$|[^\p{L}\p{N}])";

/// The characters [`BEFORE`] and [`AFTER`] leave out, as regex-syntax
/// reads their class (the same Unicode tables the automaton was made from).
#[derive(Clone, Debug)]
struct WordChars {
    /// Sorted, disjoint, inclusive.
    ranges: Vec<(char, char)>,
}

impl WordChars {
    fn new() -> WordChars {
        let hir = regex_syntax::Parser::new()
            .parse(r"[\p{L}\p{N}]")
            .expect("the class is valid");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) =
            hir.kind()
        else {
            unreachable!("a Unicode class parses to one")
        };
        WordChars {
            ranges: class
                .ranges()
                .iter()
                .map(|range| (range.start(), range.end()))
                .collect(),
        }
    }

    fn contains(&self, c: char) -> bool {
        let after = self.ranges.partition_point(|&(start, _)| start <= c);
        after > 0 && c <= self.ranges[after - 1].1
    }
}

/// An expression found in a sentence: a byte range into it and its meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) expression: Expression,
}

/// What a search needs for itself, one set per thread: the lazy DFA's
/// states (when the automaton is built here), the readers' working memory
/// and the readings remembered.
#[derive(Clone, Debug, Default)]
struct Caches {
    dfa: Option<hybrid::dfa::Cache>,
    /// Per rule, made when the rule is first read on this thread.
    readers: Vec<Option<ReaderSlot>>,
    /// Readings of matches already read, by [`Grammar::read`]'s key: a byte
    /// for where the match stands, then its text.
    readings: FxHashMap<Box<[u8]>, Option<Reading>>,
    /// The key being looked up.
    key: Vec<u8>,
}

/// A reader's working memory: its loose pattern's, and its exact
/// pattern's once used.
#[derive(Clone, Debug)]
struct ReaderSlot {
    loose: ReaderCaches,
    exact: Option<ReaderCaches>,
}

/// The working memory of a rule's compiled pattern.
#[derive(Clone, Debug)]
struct ReaderCaches {
    backtrack: backtrack::Cache,
    /// Made when first needed: its tables hold every group of every NFA
    /// state, and the backtracker almost always does.
    pikevm: Option<pikevm::Cache>,
    captures: Captures,
}

/// The rules' forward automaton compiled ahead of time (see
/// [`crate::ahead`]): a sparse DFA with a pattern per rule (each rule
/// between non-word characters), for anchored searches. Read in place it
/// costs a few microseconds; compiling the rules cost several milliseconds
/// at every start. The test `the_grammar_compiled_ahead_is_current` checks
/// it, and writes it anew after a change to the rules.
static COMPILED: &[u8] = include_bytes!("grammar.dfa");

/// Finds where an expression that starts at a given place ends, and by
/// which rule.
enum Finder {
    /// The automaton compiled ahead of time, read in place.
    Compiled(sparse::DFA<&'static [u8]>),
    /// The same automaton, built here as a lazy DFA: for a build where the
    /// compiled one does not load (another byte order, another version of
    /// regex-automata's format, a damaged file).
    Built(hybrid::dfa::DFA),
}

impl Finder {
    fn load() -> Finder {
        Finder::load_from(COMPILED)
    }

    /// The automaton `file` holds (as [`COMPILED`] does), or the one built
    /// here when `file` is not whole.
    fn load_from(file: &'static [u8]) -> Finder {
        match crate::ahead::load(file) {
            Some(dfa) => Finder::Compiled(dfa),
            None => Finder::build(),
        }
    }

    fn build() -> Finder {
        // A large lazy-DFA cache: the grammar is one big alternation, and a
        // cache that fills up is cleared and rebuilt, state by state.
        let dfa = hybrid::dfa::DFA::builder()
            .configure(hybrid::dfa::DFA::config().cache_capacity(64 << 20))
            .build_from_nfa(finder_nfa())
            .expect("date grammar fits the lazy DFA");
        Finder::Built(dfa)
    }

    /// The end and the rule of the match anchored at `input`'s start.
    fn find(&self, cache: &mut Option<hybrid::dfa::Cache>, input: &Input<'_>) -> Option<HalfMatch> {
        // The grammar has no Unicode word boundary (which would make a DFA
        // quit) and the lazy DFA's cache may be rebuilt as often as
        // needed, so a search cannot fail.
        match self {
            Finder::Compiled(dfa) => dfa.try_search_fwd(input).ok()?,
            Finder::Built(dfa) => {
                let cache = cache.get_or_insert_with(|| dfa.create_cache());
                dfa.try_search_fwd(cache, input).ok()?
            }
        }
    }
}

/// The NFA the forward automaton is made from: the rules' patterns, without
/// groups.
fn finder_nfa() -> NFA {
    NFA::compiler()
        .configure(NFA::config().which_captures(WhichCaptures::None))
        .build_many(&rule_patterns())
        .expect("date grammar is valid")
}

/// Reads one rule's groups out of its match.
///
/// The rule's pattern between [`BEFORE`] and [`AFTER`] costs a large
/// Unicode class twice over, compiled for every rule; so the rule is first
/// read between any two characters ([`LOOSE_BEFORE`], [`LOOSE_AFTER`]), in
/// groups of their own. Both patterns order their ways of matching alike
/// and every way the exact one has the loose one has too, so when the
/// first way the loose pattern finds has characters around it that the
/// exact classes take, it is the first way the exact pattern has: the
/// reading is the same. Only when it does not (an earlier way that ends
/// before a letter) is the exact pattern compiled and read.
struct Reader {
    index: usize,
    loose: Engines,
    exact: OnceLock<Engines>,
}

/// A rule's pattern compiled: a bounded backtracker over it, and a Pike VM
/// for a match too long for the backtracker.
struct Engines {
    backtracker: BoundedBacktracker,
    pikevm: PikeVM,
    /// The groups around the expression, before it and after it.
    before: usize,
    expression: usize,
    after: usize,
    /// The rule's named groups ("day", "month") and their indices.
    names: Vec<(&'static str, usize)>,
}

impl Engines {
    fn new(index: usize, before: &str, after: &str) -> Engines {
        let template = RULES[index].1;
        let pattern = format!(
            "(?P<{BEFORE_GROUP}>{before})(?P<{EXPRESSION}>{})(?P<{AFTER_GROUP}>{after})",
            expand(template, shared_snippets())
        );
        let nfa = NFA::new(&pattern).expect("date rule is valid");
        let backtracker =
            BoundedBacktracker::new_from_nfa(nfa.clone()).expect("date rule fits the backtracker");
        let pikevm = PikeVM::new_from_nfa(nfa.clone()).expect("date rule fits the Pike VM");
        let group_info = nfa.group_info();
        let index_of = |name: &str| {
            group_info
                .to_index(PatternID::ZERO, name)
                .expect("the group is in the rule")
        };
        Engines {
            before: index_of(BEFORE_GROUP),
            expression: index_of(EXPRESSION),
            after: index_of(AFTER_GROUP),
            names: group_names(template)
                .into_iter()
                .map(|name| (name, index_of(name)))
                .collect(),
            backtracker,
            pikevm,
        }
    }

    fn create_caches(&self) -> ReaderCaches {
        ReaderCaches {
            backtrack: self.backtracker.create_cache(),
            pikevm: None,
            captures: self.backtracker.create_captures(),
        }
    }

    /// Reads `input` into `caches.captures`.
    fn read(&self, caches: &mut ReaderCaches, input: &Input<'_>) {
        let ReaderCaches {
            backtrack,
            pikevm,
            captures,
        } = caches;
        if self
            .backtracker
            .try_search(backtrack, input, captures)
            .is_err()
        {
            let pikevm = pikevm.get_or_insert_with(|| self.pikevm.create_cache());
            self.pikevm.search(pikevm, input, captures);
        }
    }
}

impl Reader {
    /// Rule `index`'s reader, whose loose pattern takes `loose` (before,
    /// after) for [`BEFORE`] and [`AFTER`]: classes that hold theirs.
    fn new(index: usize, loose: (&str, &str)) -> Reader {
        Reader {
            index,
            loose: Engines::new(index, loose.0, loose.1),
            exact: OnceLock::new(),
        }
    }

    /// The exact pattern, compiled when first needed.
    fn exact(&self) -> &Engines {
        self.exact
            .get_or_init(|| Engines::new(self.index, BEFORE, AFTER))
    }
}

/// The names of the groups around a rule's expression in its own pattern
/// (no rule's group has them).
const BEFORE_GROUP: &str = "before";
const EXPRESSION: &str = "expression";
const AFTER_GROUP: &str = "after";

/// What a reader's loose pattern takes for [`BEFORE`] and [`AFTER`]: any
/// character but an ASCII letter or digit (a class of a few ranges, where
/// the exact one has hundreds), so that only a letter or digit beyond ASCII
/// after an earlier way of matching calls for the exact pattern.
const LOOSE_BEFORE: &str = "^|[^0-9A-Za-z]";
const LOOSE_AFTER: &str = "$|[^0-9A-Za-z]";

/// The compiled rule table.
///
/// Each rule is a pattern between non-word characters (which the match
/// includes). A forward DFA over all of them (compiled ahead of time, see
/// [`COMPILED`]) finds where an expression ends and which rule it is,
/// searched anchored at each place one may start (so no reverse automaton
/// is needed); that rule's own pattern, compiled when the rule first
/// matches, reads its groups out of the match.
pub(super) struct Grammar {
    /// A cheap test that a sentence may hold an expression: every rule
    /// needs a digit or one of these words, and most sentences have none.
    prefilter: Prefilter,
    finder: Finder,
    /// What [`BEFORE`] and [`AFTER`] do not take: letters and digits.
    word: WordChars,
    /// What the readers' loose patterns take for them.
    loose: (&'static str, &'static str),
    /// Per rule, made when first needed.
    readers: Box<[OnceLock<Reader>]>,
    caches: Pool<Caches, Maker<Caches>>,
}

impl std::fmt::Debug for Grammar {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Grammar")
            .field("prefilter", &self.prefilter)
            .field("rules", &RULES.len())
            .field("compiled", &matches!(self.finder, Finder::Compiled(_)))
            .finish_non_exhaustive()
    }
}

impl Grammar {
    /// The rule table, with the automaton compiled ahead of time (or, where
    /// it does not load, built here).
    pub(super) fn new() -> Grammar {
        Grammar::with_finder(Finder::load())
    }

    fn with_finder(finder: Finder) -> Grammar {
        let make_caches: Maker<Caches> = Box::new(Caches::default);
        Grammar {
            prefilter: Prefilter::load(),
            finder,
            word: WordChars::new(),
            loose: (LOOSE_BEFORE, LOOSE_AFTER),
            readers: RULES.iter().map(|_| OnceLock::new()).collect(),
            caches: Pool::new(make_caches),
        }
    }

    /// The expressions in `sentence`, in order, never overlapping. `tense`
    /// is asked (lazily) for rules that depend on it.
    pub(super) fn find(&self, sentence: &str, tense: &dyn Fn() -> Tense) -> Vec<Found> {
        let mut found = Vec::new();
        if !self.prefilter.is_match(sentence) {
            return found;
        }
        let mut caches = self.caches.get();
        let mut at = 0;
        while let Some(matched) = self.next_match(&mut caches, sentence, at) {
            match self.read(&mut caches, sentence, matched, tense) {
                Some(expression) => {
                    found.push(expression);
                    // The character after the expression may open the next one.
                    at = expression.end;
                }
                None => {
                    // Not a date after all: look again from the next character.
                    let start = matched.start;
                    let first = sentence[start..].chars().next().map_or(1, char::len_utf8);
                    at = start + first;
                }
            }
        }
        found
    }

    /// The first match at or after `at`: the leftmost match, as an
    /// unanchored search finds it, searched anchored where one may start
    /// (no reverse automaton is needed for its start, and an anchored
    /// search builds far fewer lazy-DFA states than an unanchored one).
    ///
    /// Every expression holds a digit or a keyword of the prefilter within
    /// its first [`LOOK_BEHIND`] bytes ("in der Nacht zu Mittwoch"), so a
    /// match is looked for only that far before each such hint. It starts
    /// at the start of the sentence or at a non-word character, so only
    /// those places are asked (and each non-ASCII character, which the DFA
    /// tells apart).
    fn next_match(&self, caches: &mut Caches, sentence: &str, at: usize) -> Option<Match> {
        let bytes = sentence.as_bytes();
        let mut from = at;
        loop {
            let hint = self.prefilter.find_start(sentence, from)?;
            let mut start = hint.saturating_sub(LOOK_BEHIND).max(from);
            while !sentence.is_char_boundary(start) {
                start -= 1;
            }
            let found = (start..=hint.min(bytes.len() - 1))
                .filter(|&start| {
                    start == 0 || {
                        let byte = bytes[start];
                        (byte < 0x80 && !byte.is_ascii_alphanumeric()) || byte >= 0xC0
                    }
                })
                .find_map(|start| {
                    let input = Input::new(sentence).range(start..).anchored(Anchored::Yes);
                    let end = self.finder.find(&mut caches.dfa, &input)?;
                    Some(Match {
                        start,
                        end: end.offset(),
                        rule: end.pattern().as_usize(),
                    })
                });
            if found.is_some() {
                return found;
            }
            // No expression starts at or before this hint: on from the next.
            from = hint + sentence[hint..].chars().next().map_or(1, char::len_utf8);
        }
    }

    /// Reads the match `matched`: the expression's bounds and its meaning.
    /// How a match reads depends only on its text and on whether it starts
    /// or ends the sentence (the pattern's only look-arounds), so readings
    /// are remembered by those: news repeat their dates ("am Mittwoch", "im
    /// Jahr 2020").
    fn read(
        &self,
        caches: &mut Caches,
        sentence: &str,
        matched: Match,
        tense: &dyn Fn() -> Tense,
    ) -> Option<Found> {
        let Match { start, end, rule } = matched;
        let mut key = std::mem::take(&mut caches.key);
        key.clear();
        key.push(u8::from(start == 0) | u8::from(end == sentence.len()) << 1);
        key.extend_from_slice(&sentence.as_bytes()[start..end]);
        if !caches.readings.contains_key(key.as_slice()) {
            let reading = self.reading(caches, sentence, matched);
            if caches.readings.len() >= READINGS_KEPT {
                caches.readings.clear();
            }
            caches.readings.insert(key.as_slice().into(), reading);
        }
        let reading = caches.readings.get(key.as_slice())?.as_ref();
        caches.key = key;
        let reading = reading?;
        let names = &self.reader(rule).loose.names;
        let group = |name: &str| {
            let position = names.iter().position(|&(known, _)| known == name)?;
            let (from, to) = reading.groups[position]?;
            Some(&sentence[start + from..start + to])
        };
        let (from, to) = (start + reading.start, start + reading.end);
        let expression = interpret(RULES[rule].0, &group, &sentence[to..], tense)?;
        Some(Found {
            start: from,
            end: to,
            expression,
        })
    }

    /// Rule `rule`'s reader, compiled when first asked for.
    fn reader(&self, rule: usize) -> &Reader {
        self.readers[rule].get_or_init(|| Reader::new(rule, self.loose))
    }

    /// How the match `matched` reads: the expression's span (the match
    /// without the non-word characters around it) and the rule's groups.
    fn reading(&self, caches: &mut Caches, sentence: &str, matched: Match) -> Option<Reading> {
        let Match { start, end, rule } = matched;
        let reader = self.reader(rule);
        if caches.readers.len() <= rule {
            caches.readers.resize(RULES.len(), None);
        }
        let ReaderSlot { loose, exact } = caches.readers[rule].get_or_insert_with(|| ReaderSlot {
            loose: reader.loose.create_caches(),
            exact: None,
        });
        let input = Input::new(sentence)
            .range(start..end)
            .anchored(Anchored::Yes);
        reader.loose.read(loose, &input);
        // Taken by the exact classes: nothing, or a character that is no
        // letter or digit.
        let taken = |group: usize| {
            loose.captures.get_group(group).is_some_and(|span| {
                sentence[span.start..span.end]
                    .chars()
                    .next()
                    .is_none_or(|c| !self.word.contains(c))
            })
        };
        let (engines, captures) = if taken(reader.loose.before) && taken(reader.loose.after) {
            (&reader.loose, &loose.captures)
        } else {
            let engines = reader.exact();
            let exact = exact.get_or_insert_with(|| engines.create_caches());
            engines.read(exact, &input);
            (engines, &exact.captures)
        };
        let relative = |span: Span| (span.start - start, span.end - start);
        let (from, to) = relative(captures.get_group(engines.expression)?);
        Some(Reading {
            start: from,
            end: to,
            groups: engines
                .names
                .iter()
                .map(|&(_, group)| captures.get_group(group).map(relative))
                .collect(),
        })
    }
}

/// A match of the forward automaton: where it starts and ends in the
/// sentence, and the rule (an index into [`RULES`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Match {
    start: usize,
    end: usize,
    rule: usize,
}

/// How many readings a thread remembers before it starts afresh.
const READINGS_KEPT: usize = 4096;

/// How a match reads, in offsets from the match's start: the expression's
/// bounds and the rule's named groups, in the order of [`Engines::names`].
#[derive(Clone, Debug)]
struct Reading {
    start: usize,
    end: usize,
    groups: Vec<Option<(usize, usize)>>,
}

/// Each rule's pattern, between non-word characters, in rule order.
fn rule_patterns() -> Vec<String> {
    let snippets = shared_snippets();
    RULES
        .iter()
        .map(|&(_, template)| format!("{BEFORE}(?:{}){AFTER}", expand(template, snippets)))
        .collect()
}

/// The named groups of `template`, in order of first appearance.
fn group_names(template: &'static str) -> Vec<&'static str> {
    const OPEN: &str = "(?P<";
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(close) = after.find('>') else {
            break;
        };
        let name = &after[..close];
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &after[close..];
    }
    names
}

/// How far before the prefilter's first hit an expression may start, in bytes.
const LOOK_BEHIND: usize = 64;

/// The prefilter: a digit or a word that every non-numeric rule needs (a
/// month, a weekday, a day word, or a unit: "Tag" also covers most weekdays).
fn prefilter_pattern() -> String {
    let months = words::MONTHS
        .iter()
        .map(|&(name, _)| name.trim_end_matches('.'));
    let weekdays = words::WEEKDAYS.iter().map(|&(name, _)| name);
    let day_words = words::DAY_WORDS.iter().map(|&(word, _)| word);
    let units = ["Tag", "Woche", "Monat", "Jahr"].into_iter();
    let keywords: Vec<&str> = months
        .chain(weekdays)
        .chain(day_words)
        .chain(units)
        .collect();
    format!("[0-9]|(?i:{})", alternation(&keywords))
}

/// The prefilter's forward automaton (unanchored: where the first hint
/// ends) and its reverse one (anchored: where that hint starts), compiled
/// ahead of time as [`COMPILED`] is, so that a start reads them in place
/// instead of compiling the pattern (3.6 M instructions, a millisecond, at
/// every start). The test `the_prefilter_compiled_ahead_is_current` checks
/// them, and writes them anew after a change to the keywords.
///
/// They are dense DFAs (a sparse one searches several times slower here,
/// where most bytes are in the start state, which has a transition for
/// every digit and every keyword's first letter in either case), read in
/// place from bytes aligned for their `u32` transitions.
static PREFILTER_FORWARD: &Aligned<[u8]> = &Aligned(*include_bytes!("prefilter.dfa"));
static PREFILTER_REVERSE: &Aligned<[u8]> = &Aligned(*include_bytes!("prefilter-reverse.dfa"));

/// The prefilter ([`prefilter_pattern`]): its automata compiled ahead of
/// time, or the pattern compiled here where they do not load (another byte
/// order, another version of regex-automata's format, a damaged file). Both
/// find the leftmost hint, as the pattern's own regex does.
enum Prefilter {
    /// Boxed: the two DFAs' headers (their start states, their classes of
    /// bytes) are over a kilobyte and a half.
    Compiled(Box<regex_automata::dfa::regex::Regex<dense::DFA<&'static [u32]>>>),
    Built(Regex),
}

/// Which prefilter it is, as [`Grammar`]'s `Debug` says which finder: not
/// the automata's states.
impl std::fmt::Debug for Prefilter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prefilter::Compiled(_) => formatter.write_str("Compiled"),
            Prefilter::Built(regex) => formatter.debug_tuple("Built").field(regex).finish(),
        }
    }
}

impl Prefilter {
    fn load() -> Prefilter {
        Prefilter::load_from(&PREFILTER_FORWARD.0, &PREFILTER_REVERSE.0)
    }

    /// The automata `forward` and `reverse` hold, or the pattern compiled
    /// here when either is not whole.
    fn load_from(forward: &'static [u8], reverse: &'static [u8]) -> Prefilter {
        match (
            crate::ahead::load_dense(forward),
            crate::ahead::load_dense(reverse),
        ) {
            (Some(forward), Some(reverse)) => Prefilter::Compiled(Box::new(
                regex_automata::dfa::regex::Regex::builder().build_from_dfas(forward, reverse),
            )),
            _ => Prefilter::Built(
                Regex::new(&prefilter_pattern()).expect("prefilter pattern is valid"),
            ),
        }
    }

    /// Whether `sentence` holds a hint anywhere.
    fn is_match(&self, sentence: &str) -> bool {
        match self {
            // Where a hint ends is enough, and the first end will do.
            Prefilter::Compiled(regex) => regex
                .forward()
                .try_search_fwd(&Input::new(sentence).earliest(true))
                .map_or(true, |found| found.is_some()),
            Prefilter::Built(regex) => regex.is_match(sentence),
        }
    }

    /// Where the first hint at or after `from` starts.
    fn find_start(&self, sentence: &str, from: usize) -> Option<usize> {
        match self {
            // The pattern has no Unicode word boundary, which would make a
            // DFA quit: a search cannot fail.
            Prefilter::Compiled(regex) => regex
                .try_search(&Input::new(sentence).range(from..))
                .ok()
                .flatten()
                .map(|found| found.start()),
            Prefilter::Built(regex) => regex.find_at(sentence, from).map(|found| found.start()),
        }
    }
}

/// Replaces each `{name}` in `template` by its snippet.
fn expand(template: &str, snippets: &[(&str, String)]) -> String {
    snippets
        .iter()
        .fold(template.to_string(), |pattern, (name, snippet)| {
            pattern.replace(&format!("{{{name}}}"), snippet)
        })
}

/// Reads a rule's match; `None` when it turns out not to be a date.
fn interpret<'a>(
    form: Form,
    group: &dyn Fn(&str) -> Option<&'a str>,
    rest: &str,
    tense: &dyn Fn() -> Tense,
) -> Option<Expression> {
    let weekday = || group("weekday").and_then(words::weekday);
    let count = || group("count").and_then(words::count);
    match form {
        Form::Date => {
            let day = match group("day") {
                Some(digits) => digits.parse().ok()?,
                None => words::ordinal(group("ordinal")?)?,
            };
            let month = match group("month") {
                Some(name) => words::month_number(name)?,
                None => group("month_number")?.parse().ok()?,
            };
            let year = match (group("year"), group("year2")) {
                (Some(digits), _) => Some(Year {
                    value: digits.parse().ok()?,
                    two_digit: false,
                }),
                (None, Some(digits)) => {
                    let short: i32 = digits.parse().ok()?;
                    // A two-digit year: 00–49 is this century, 50–99 the last.
                    let century = if short < 50 { 2000 } else { 1900 };
                    Some(Year {
                        value: century + short,
                        two_digit: true,
                    })
                }
                (None, None) => None,
            };
            // "3.2." alone is more often a section number than a date.
            let short = |digits: Option<&str>| digits.is_some_and(|digits| digits.len() == 1);
            if year.is_none()
                && group("lead").is_none()
                && group("weekday").is_none()
                && short(group("day"))
                && short(group("month_number"))
            {
                return None;
            }
            // The day must exist; with no year, 29 February counts.
            NaiveDate::from_ymd_opt(year.map_or(2000, |year| year.value), month, day)?;
            Some(Expression::Calendar {
                day: Some(day),
                month: Some(month),
                year,
                shift: Shift::ByTense,
            })
        }
        Form::DayOfMonth => {
            let next = rest.trim_start();
            let word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
            let ends_clause = next.is_empty() || next.starts_with([',', ';', ':', '!', '?', ')']);
            let continues = !word.is_empty()
                && word.chars().all(char::is_lowercase)
                && !["und", "oder", "bis", "sowie"].contains(&word.as_str());
            (ends_clause || continues).then_some(())?;
            Some(Expression::Calendar {
                day: Some(group("day")?.parse().ok()?),
                month: None,
                year: None,
                shift: Shift::ByTense,
            })
        }
        Form::Month => {
            let year = group("year").and_then(|digits| digits.parse().ok());
            let has_context = group("lead").is_some()
                || group("part").is_some()
                || group("modifier").is_some()
                || year.is_some();
            has_context.then_some(())?;
            Some(Expression::Calendar {
                day: None,
                month: Some(words::month_number(group("month")?)?),
                year: year.map(|value| Year {
                    value,
                    two_digit: false,
                }),
                shift: Shift::from_modifier(group("modifier"))?,
            })
        }
        Form::Year => Some(Expression::Calendar {
            day: None,
            month: None,
            year: Some(Year {
                value: group("year")?.parse().ok()?,
                two_digit: false,
            }),
            shift: Shift::ByTense,
        }),
        Form::Weekday | Form::NightBefore => {
            let since = group("lead").is_some_and(|lead| lead.to_lowercase().starts_with("seit"));
            let shift = match Shift::from_modifier(group("modifier"))? {
                Shift::ByTense if since => Shift::OnOrBefore,
                shift => shift,
            };
            Some(Expression::Weekday {
                weekday: weekday()?,
                shift,
                night_before: matches!(form, Form::NightBefore),
            })
        }
        Form::WeekdayOfWeek => {
            let weeks = match group("modifier") {
                Some(modifier) => words::shift(modifier, false)?,
                None => count()?,
            };
            Some(Expression::WeekdayOfWeek {
                weekday: weekday()?,
                weeks,
            })
        }
        Form::Weekend => {
            (group("lead").is_some() || group("modifier").is_some()).then_some(())?;
            Some(Expression::Weekend {
                shift: Shift::from_modifier(group("modifier"))?,
            })
        }
        Form::DayWord => Some(Expression::Offset {
            amount: words::day_word(group("day_word")?)?,
            unit: Unit::Day,
        }),
        Form::Ago | Form::Ahead => {
            if matches!(form, Form::Ahead) && tense() != Tense::Future {
                return None;
            }
            let unit = match group("unit")? {
                "Tag" | "Tagen" => Unit::Day,
                "Woche" | "Wochen" => Unit::Week,
                "Monat" | "Monaten" => Unit::Month,
                _ => Unit::Year,
            };
            let amount = count()?;
            Some(Expression::Offset {
                amount: if matches!(form, Form::Ago) {
                    -amount
                } else {
                    amount
                },
                unit,
            })
        }
        Form::Period(unit) => {
            let shift = match (group("modifier"), group("previous")) {
                (Some(modifier), _) => words::shift(modifier, false)?,
                (None, Some(_)) => -1,
                (None, None) => 0,
            };
            Some(Expression::Period { unit, shift })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One example per rule in [`RULES`], in the same order.
    const EXAMPLES: &[&str] = &[
        "am Montag, den 15. Januar 2018",
        "am ersten Januar",
        "Montag, 15.01.2018",
        "am 21/04/2016",
        "am 22/04",
        "3-7-2017",
        "2015/08/12",
        "am 15.",
        "nächste Woche Freitag",
        "am Dienstag vergangener Woche",
        "Sonntag in 2 Wochen",
        "in der Nacht von Dienstag auf Mittwoch",
        "am kommenden Wochenende",
        "am vergangenen Donnerstagabend",
        "gestern Abend",
        "vor rund zwei Wochen",
        "in zwei Wochen",
        "in der vergangenen Woche",
        "Anfang nächster Woche",
        "im kommenden Monat",
        "Ende des Monats",
        "im Vormonat",
        "nächstes Jahr im Sommer",
        "Mitte des kommenden Jahres",
        "im Vorjahr",
        "seit Anfang März 2020",
        "im Jahr 2020",
    ];

    #[test]
    fn every_rule_matches_its_example_whole() {
        assert_eq!(EXAMPLES.len(), RULES.len());
        let grammar = Grammar::new();
        for (index, example) in EXAMPLES.iter().enumerate() {
            assert!(
                grammar.prefilter.is_match(example),
                "prefilter: {example:?}"
            );
            let mut caches = grammar.caches.get();
            let matched = grammar
                .next_match(&mut caches, example, 0)
                .expect("the example matches");
            assert_eq!(matched.rule, index, "rule for {example:?}");
            grammar
                .reading(&mut caches, example, matched)
                .expect("the rule reads its match");
            let found = grammar.find(example, &|| Tense::Future);
            assert_eq!(found.len(), 1, "{example:?}");
            assert_eq!(
                (found[0].start, found[0].end),
                (0, example.len()),
                "{example:?}"
            );
        }
    }

    /// The automaton compiled ahead of time is the one the rules compile
    /// to, and it loads. After a change to the rules, their snippets or
    /// regex-automata, `UPDATE_GOLDEN=1 cargo test --lib compiled_ahead`
    /// writes it anew.
    #[test]
    fn the_grammar_compiled_ahead_is_current() {
        let dense = crate::ahead::anchored(&finder_nfa());
        if !crate::ahead::check(&dense, COMPILED, "src/date/grammar.dfa") {
            return;
        }
        if cfg!(target_endian = "little") {
            assert!(matches!(Finder::load(), Finder::Compiled(_)));
        }
    }

    /// The prefilter's automata in `src/date/prefilter.dfa` and
    /// `src/date/prefilter-reverse.dfa` are what its pattern compiles to;
    /// after a change to the keywords or to regex-automata, `UPDATE_GOLDEN=1
    /// cargo test --lib compiled_ahead` writes them anew.
    #[test]
    fn the_prefilter_compiled_ahead_is_current() {
        let regex = regex_automata::dfa::regex::Regex::new(&prefilter_pattern())
            .expect("the prefilter determinizes");
        let forward = crate::ahead::check_dense(
            regex.forward(),
            &PREFILTER_FORWARD.0,
            "src/date/prefilter.dfa",
        );
        let reverse = crate::ahead::check_dense(
            regex.reverse(),
            &PREFILTER_REVERSE.0,
            "src/date/prefilter-reverse.dfa",
        );
        if forward && reverse && cfg!(target_endian = "little") {
            assert!(matches!(Prefilter::load(), Prefilter::Compiled(_)));
        }
    }

    /// A damaged or cut prefilter automaton is not taken: the pattern is
    /// compiled here, and finds the same hints.
    #[test]
    fn a_damaged_prefilter_is_built_anew() {
        let (forward, reverse) = (&PREFILTER_FORWARD.0, &PREFILTER_REVERSE.0);
        let flipped: &'static mut [u8] = Box::leak(forward.to_vec().into_boxed_slice());
        flipped[forward.len() / 2] ^= 0x40;
        assert!(matches!(
            Prefilter::load_from(flipped, reverse),
            Prefilter::Built(_)
        ));
        // Bytes at an address a `u32` may not be read from are not taken.
        let shifted: &'static mut [u8] = Box::leak(vec![0; forward.len() + 1].into_boxed_slice());
        let skip = usize::from((shifted.as_ptr() as usize).is_multiple_of(4));
        let shifted = &mut shifted[skip..];
        shifted[..forward.len()].copy_from_slice(forward);
        assert!(matches!(
            Prefilter::load_from(&shifted[..forward.len()], reverse),
            Prefilter::Built(_)
        ));
        let cut = &reverse[..reverse.len() - 1];
        let built = Prefilter::load_from(forward, cut);
        assert!(matches!(built, Prefilter::Built(_)));
        assert_eq!(built.find_start("Am Montag, dem 3. März", 0), Some(3));
        assert!(!built.is_match("Er kam nicht."));
    }

    /// The grammar's `Debug` names its prefilter and finder, without the
    /// automata's states (it goes into the quickchecks' failure messages).
    #[test]
    fn the_grammar_debugs_briefly() {
        let shown = format!("{:?}", Grammar::new());
        assert!(shown.contains("prefilter: Compiled"), "{shown}");
        assert!(
            shown.len() < 300,
            "{} bytes: {}",
            shown.len(),
            &shown[..300]
        );
    }

    /// The prefilter compiled ahead finds the hints its pattern compiled
    /// here finds, from every place of texts of keywords in any case,
    /// digits, other words and letters beyond ASCII.
    #[quickcheck_macros::quickcheck]
    fn the_compiled_prefilter_finds_what_the_pattern_finds(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "März", "MÄRZ", "märz", "Montag", "MONTAG", "montags", "Tag", "tAG", "Woche", "Jahr",
            "Jänner", "heute", "Heute", "gestern", "Abend", "3", "2020", " ", ".", ",", "am", "ſ",
            "K", "ä", "Ä", "é", "Mär", "Mo", "x", "Ma", "i",
        ];
        let text = crate::test_text::from_picks(&picks, PIECES);
        let compiled = Prefilter::load();
        let built = Prefilter::Built(Regex::new(&prefilter_pattern()).expect("valid"));
        compiled.is_match(&text) == built.is_match(&text)
            && (0..=text.len())
                .filter(|&from| text.is_char_boundary(from))
                .all(|from| compiled.find_start(&text, from) == built.find_start(&text, from))
    }

    /// A damaged or cut automaton is not taken: the one built here is.
    #[test]
    fn a_damaged_automaton_is_built_anew() {
        let flipped: &'static mut [u8] = Box::leak(COMPILED.to_vec().into_boxed_slice());
        flipped[COMPILED.len() / 2] ^= 0x40;
        assert!(matches!(Finder::load_from(flipped), Finder::Built(_)));
        let cut = &COMPILED[..COMPILED.len() - 1];
        assert!(matches!(Finder::load_from(cut), Finder::Built(_)));
        assert!(matches!(Finder::load_from(&[]), Finder::Built(_)));
        let grammar = Grammar::with_finder(Finder::load_from(cut));
        let found = grammar.find("Er kam am 3. Mai 2019.", &|| Tense::Past);
        assert_eq!(found.len(), 1, "{found:?}");
    }

    /// The anchored searches at the places a match may start find what one
    /// unanchored search of the same pattern finds (the regex crate's, as
    /// the reference), from any starting place, wherever that match has a
    /// hint within its first [`LOOK_BEHIND`] bytes (the grammar's promise;
    /// long runs of spaces make matches that break it, which are left out).
    #[test]
    fn anchored_searches_find_the_leftmost_match() {
        use quickcheck::{QuickCheck, TestResult};
        const PIECES: &[&str] = &[
            " ",
            "\u{a0}",
            "\u{2009}",
            "„",
            "“",
            "–",
            "(",
            ")",
            ".",
            ",",
            "/",
            "-",
            "ä",
            "Ü",
            "ß",
            "x",
            "1",
            "15",
            "2020",
            "12",
            "am",
            "Am",
            "den",
            "seit",
            "Montag",
            "Mai",
            "Januar",
            "März",
            "Woche",
            "vergangenen",
            "nächste",
            "Ende",
            "gestern",
            "Morgen",
            "morgen",
            "vor",
            "in",
            "zwei",
            "Tagen",
            "Jahr",
            "im",
            "Jahre",
            "Nacht",
            "zu",
            "😀",
            "          ",
        ];
        static COMPILED: std::sync::OnceLock<(Grammar, Grammar, Regex)> =
            std::sync::OnceLock::new();
        fn property(picks: Vec<u8>, at: u8) -> TestResult {
            let (compiled, built, reference) = COMPILED.get_or_init(|| {
                let reference = Regex::new(&combined_pattern().0).expect("the pattern is valid");
                (
                    Grammar::new(),
                    Grammar::with_finder(Finder::build()),
                    reference,
                )
            });
            let text = crate::test_text::from_picks(&picks, PIECES);
            let mut at = usize::from(at) % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            // The first rule (in the pattern's order) whose group took part.
            let expected = reference.captures_at(&text, at).map(|groups| {
                let whole = groups.get(0).expect("a match");
                let rule = (0..RULES.len())
                    .find(|&index| groups.name(&rule_group(index)).is_some())
                    .expect("a rule took part");
                Match {
                    start: whole.start(),
                    end: whole.end(),
                    rule,
                }
            });
            if let Some(Match { start, .. }) = expected {
                let hint = compiled.prefilter.find_start(&text, start);
                if hint.is_none_or(|hint| hint > start + LOOK_BEHIND) {
                    return TestResult::discard();
                }
            }
            for grammar in [compiled, built] {
                let found = grammar.next_match(&mut grammar.caches.get(), &text, at);
                if found != expected {
                    return TestResult::error(format!(
                        "{text:?} from {at}: {found:?}, not {expected:?} ({grammar:?})"
                    ));
                }
            }
            TestResult::passed()
        }
        QuickCheck::new()
            .tests(4000)
            .quickcheck(property as fn(Vec<u8>, u8) -> TestResult);
    }

    /// The groups a rule's reader reads out of a match are the ones all
    /// rules in one pattern read (each rule's groups renamed for it), as
    /// the backtracker over that pattern read them before.
    #[test]
    fn groups_read_by_the_rule_are_the_combined_patterns() {
        let grammar = Grammar::new();
        let reference = Regex::new(&combined_pattern().0).expect("the pattern is valid");
        let sentences = EXAMPLES.iter().copied().chain([
            "Er kam am 3. Mai 2019 und ging seit dem 4. Juni.",
            "„Am Montag“ traf er ihn, vor zwei Wochen (am 12.10.2020) nicht.",
            "Nächste Woche Freitag, im Jahr 1999 oder Ende des Jahres.",
        ]);
        let mut checked = 0;
        for sentence in sentences {
            let mut caches = grammar.caches.get();
            let mut at = 0;
            while let Some(matched) = grammar.next_match(&mut caches, sentence, at) {
                let Match { start, end, rule } = matched;
                let reading = grammar
                    .reading(&mut caches, sentence, matched)
                    .expect("the rule reads its match");
                let groups = reference
                    .captures_at(&sentence[..end], start)
                    .expect("the combined pattern matches");
                let own = groups.name(&rule_group(rule)).expect("the rule took part");
                assert_eq!(
                    (start + reading.start, start + reading.end),
                    (own.start(), own.end()),
                    "expression of rule {rule} in {sentence:?}"
                );
                for (position, &(name, _)) in grammar.reader(rule).loose.names.iter().enumerate() {
                    let read = reading.groups[position]
                        .map(|(from, to)| &sentence[start + from..start + to]);
                    let combined = groups
                        .name(&rule_name(rule, name))
                        .map(|found| found.as_str());
                    assert_eq!(
                        read, combined,
                        "group {name} of rule {rule} in {sentence:?}"
                    );
                }
                checked += 1;
                at = start + sentence[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        assert!(checked >= EXAMPLES.len() + 8, "{checked} matches");
    }

    /// A reading whose loose pattern first finds a way the exact classes
    /// do not take is read by the exact pattern. With any character taken
    /// around the expression, in "2015/08/12" the loose pattern's first way
    /// reads the day as "1" with "2" after it; with the grammar's own loose
    /// classes, only a letter or digit beyond ASCII would do that.
    #[test]
    fn a_loose_reading_the_exact_classes_refuse_is_read_exactly() {
        let loosest = Grammar {
            loose: ("^|(?s:.)", "$|(?s:.)"),
            ..Grammar::new()
        };
        let read = |grammar: &Grammar, sentence: &str| {
            let mut caches = grammar.caches.get();
            let matched = grammar
                .next_match(&mut caches, sentence, 0)
                .expect("the expression matches");
            let reading = grammar
                .reading(&mut caches, sentence, matched)
                .expect("the rule reads its match");
            let exact = caches.readers[matched.rule]
                .as_ref()
                .is_some_and(|slot| slot.exact.is_some());
            let names = &grammar.reader(matched.rule).loose.names;
            let day = names.iter().position(|&(name, _)| name == "day");
            (matched.rule, day.and_then(|day| reading.groups[day]), exact)
        };
        let sentence = "Seit 2015/08/12 gilt das.";
        assert_eq!(read(&loosest, sentence), (6, Some((13, 15)), true));
        assert_eq!(read(&Grammar::new(), sentence), (6, Some((13, 15)), false));
        let (_, day, exact) = read(&loosest, "Am 15. Oktober 2020 kam er.");
        assert_eq!((day, exact), (Some((3, 5)), false));
        // No rule's own group has the names of the groups around it.
        for &(_, template) in RULES {
            for name in [BEFORE_GROUP, EXPRESSION, AFTER_GROUP] {
                assert!(!group_names(template).contains(&name), "{template}");
            }
        }
    }

    /// An expression too long for the backtracker's memory (a run of
    /// spaces inside it) is read by the Pike VM.
    #[test]
    fn a_match_too_long_for_the_backtracker_is_read_all_the_same() {
        let grammar = Grammar::new();
        // Rule 0 reads "am Montag, den 15. Januar 2018".
        let gap = " ".repeat(grammar.reader(0).loose.backtracker.max_haystack_len());
        let sentence = format!("Er kam am Montag,{gap}15. Januar 2018 in Sotschi an.");
        let found = grammar.find(&sentence, &|| Tense::Past);
        assert_eq!(found.len(), 1, "{found:?}");
        let expression = &sentence[found[0].start..found[0].end];
        assert_eq!(expression, format!("am Montag,{gap}15. Januar 2018"));
        assert!(matches!(
            found[0].expression,
            Expression::Calendar {
                day: Some(15),
                month: Some(1),
                year: Some(Year { value: 2018, .. }),
                ..
            }
        ));
        let mut caches = grammar.caches.get();
        let matched = grammar
            .next_match(&mut caches, &sentence, 0)
            .expect("the expression matches");
        assert_eq!(matched.rule, 0);
        let reader = grammar.reader(matched.rule);
        assert!(matched.end - matched.start > reader.loose.backtracker.max_haystack_len());
        grammar.reading(&mut caches, &sentence, matched);
        let reader_caches = caches.readers[matched.rule].as_ref();
        assert!(
            reader_caches.is_some_and(|caches| caches.loose.pikevm.is_some()),
            "read by the Pike VM"
        );
    }

    /// A remembered reading is the reading: sentences read one after the
    /// other, remembering, find what each finds read afresh. The pieces put
    /// the same text at the start, in the middle and at the end of a
    /// sentence ("Morgen" is a day word only at the start; "am 15." reads
    /// differently at the end).
    #[test]
    fn remembered_readings_are_the_readings() {
        use quickcheck::{QuickCheck, TestResult};
        const PIECES: &[&str] = &[
            " ",
            ".",
            ",",
            "„",
            "Morgen",
            "morgen",
            "am 15.",
            "am 15",
            "Mai",
            "im Mai",
            "2020",
            "seit Montag",
            "Montag",
            "vor 2 Tagen",
            "in 2 Wochen",
            "x",
            "ä",
        ];
        static GRAMMAR: std::sync::OnceLock<Grammar> = std::sync::OnceLock::new();
        fn property(sentences: Vec<Vec<u8>>) -> TestResult {
            let grammar = GRAMMAR.get_or_init(Grammar::new);
            let sentences: Vec<String> = sentences
                .iter()
                .map(|picks| crate::test_text::from_picks(picks, PIECES))
                .collect();
            let future = || Tense::Future;
            let remembered: Vec<Vec<Found>> = sentences
                .iter()
                .map(|sentence| grammar.find(sentence, &future))
                .collect();
            for (sentence, remembered) in sentences.iter().zip(remembered) {
                grammar.caches.get().readings.clear();
                let afresh = grammar.find(sentence, &future);
                if afresh != remembered {
                    return TestResult::error(format!(
                        "{sentence:?}: {remembered:?}, afresh {afresh:?}"
                    ));
                }
            }
            TestResult::passed()
        }
        QuickCheck::new()
            .tests(500)
            .quickcheck(property as fn(Vec<Vec<u8>>) -> TestResult);
    }

    /// All rules as one pattern, each in a group of its own, between
    /// non-word characters (the alternation the forward automaton's
    /// patterns stand for); and each rule's group names.
    fn combined_pattern() -> (String, Vec<Vec<&'static str>>) {
        let snippets = snippets();
        let mut alternatives = Vec::with_capacity(RULES.len());
        let mut rule_names = Vec::with_capacity(RULES.len());
        for (index, &(_, template)) in RULES.iter().enumerate() {
            let (pattern, names) = rename_groups(template, index);
            alternatives.push(format!(
                "(?P<{}>{})",
                rule_group(index),
                expand(&pattern, &snippets)
            ));
            rule_names.push(names);
        }
        let pattern = format!("{BEFORE}(?:{}){AFTER}", alternatives.join("|"));
        (pattern, rule_names)
    }

    /// The name of the group around rule `index` in [`combined_pattern`].
    fn rule_group(index: usize) -> String {
        format!("rule{index}")
    }

    /// The name that rule `index`'s group `name` has in [`combined_pattern`].
    fn rule_name(index: usize, name: &str) -> String {
        format!("rule{index}_{name}")
    }

    /// `template` with each named group `(?P<name>` renamed for rule `index`
    /// (names repeat from rule to rule), and the names.
    fn rename_groups(template: &'static str, index: usize) -> (String, Vec<&'static str>) {
        const OPEN: &str = "(?P<";
        let mut pattern = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(at) = rest.find(OPEN) {
            let after = &rest[at + OPEN.len()..];
            let Some(close) = after.find('>') else {
                break;
            };
            pattern.push_str(&rest[..at]);
            pattern.push_str(OPEN);
            pattern.push_str(&rule_name(index, &after[..close]));
            rest = &after[close..];
        }
        pattern.push_str(rest);
        (pattern, group_names(template))
    }
}
