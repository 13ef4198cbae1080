//! Page furniture: the lines of a web page that are not the article ("Mehr
//! zum Thema", "Bildquelle", cookie notices, share buttons, comment forms).
//! Their names are not mentions: a related-article teaser names places the
//! article never speaks of.

use regex::Regex;
use regex_automata::dfa::{Automaton, sparse};
use regex_automata::{Anchored, Input};

/// The openings' DFA compiled ahead of time (see [`crate::ahead`]), for
/// anchored searches; the test `the_openings_compiled_ahead_are_current`
/// checks it, and writes it anew after a change to [`FURNITURE`].
static COMPILED: &[u8] = include_bytes!("boilerplate.dfa");

/// Recognizes sentences that are page furniture.
#[derive(Clone, Debug)]
pub struct BoilerplateFilter {
    /// The openings, anchored at the start of what it is asked about.
    starts: Openings,
    /// The openings' first four bytes (sorted), when every opening starts
    /// with four lowercase ASCII letters or spaces or has a non-ASCII
    /// character among its first four bytes: then text that starts with
    /// four other ASCII bytes opens no furniture, and the regex need not be
    /// asked. `None` when some opening is neither.
    heads: Option<Vec<[u8; HEAD]>>,
}

/// The openings' pattern compiled: the DFA compiled ahead of time, or,
/// where it does not load, a regex compiled here.
#[derive(Clone, Debug)]
enum Openings {
    Compiled(Box<sparse::DFA<&'static [u8]>>),
    Built(Regex),
}

impl Openings {
    fn new() -> Openings {
        match crate::ahead::load(COMPILED) {
            Some(dfa) => Openings::Compiled(Box::new(dfa)),
            None => Openings::Built(Regex::new(&pattern()).expect("furniture pattern is valid")),
        }
    }

    /// True when an opening starts `text`.
    fn is_match(&self, text: &str) -> bool {
        match self {
            // No quit byte and no Unicode word boundary: a search cannot fail.
            Openings::Compiled(dfa) => {
                let input = Input::new(text).anchored(Anchored::Yes).earliest(true);
                dfa.try_search_fwd(&input)
                    .is_ok_and(|found| found.is_some())
            }
            Openings::Built(regex) => regex.is_match(text),
        }
    }
}

/// All openings in one pattern, anchored at the start.
fn pattern() -> String {
    format!(r"(?i)^(?:{})", FURNITURE.join("|"))
}

/// How many bytes [`BoilerplateFilter::heads`] holds of an opening.
const HEAD: usize = 4;

/// Openings of furniture lines, matched case-insensitively at the start of
/// a sentence.
const FURNITURE: &[&str] = &[
    r"mehr zum thema",
    r"mehr dazu",
    r"lesen sie auch",
    r"lesen sie mehr",
    r"siehe auch",
    r"bildquelle",
    r"bild ?:",
    r"fotos? ?:",
    r"quelle ?:",
    r"lesezeit",
    r"schreibe einen kommentar",
    r"kommentar schreiben",
    r"deine e-mail-adresse",
    r"ihre e-mail-adresse",
    r"erforderliche felder",
    r"wir verwenden cookies",
    r"diese website verwendet cookies",
    r"cookie",
    r"datenschutz",
    r"drücken sie play",
    r"gesprochen von künstlicher intelligenz",
    r"benachrichtigung über neue artikel",
    r"teilen auf",
    r"jetzt teilen",
    r"anzeige$",
    r"werbung$",
    r"newsletter",
    r"abonnieren",
    r"zum artikel",
    r"copyright",
    r"©",
    r"alle rechte vorbehalten",
];

impl BoilerplateFilter {
    /// The built-in list of furniture openings.
    pub fn new() -> BoilerplateFilter {
        BoilerplateFilter {
            starts: Openings::new(),
            heads: heads(FURNITURE),
        }
    }

    /// False when `text` cannot start with an opening: its first four bytes
    /// are ASCII and, lowercased, the head of no opening. A letter of an
    /// opening matches only itself in either case or a non-ASCII character
    /// (the Kelvin sign for "k", the long s for "s"), so four ASCII bytes
    /// can start an opening only as its head.
    fn may_open(&self, text: &str) -> bool {
        let Some(heads) = &self.heads else {
            return true;
        };
        let Some(head) = text.as_bytes().get(..HEAD) else {
            return true;
        };
        if !head.is_ascii() {
            return true;
        }
        let mut lower = [0; HEAD];
        for (to, from) in lower.iter_mut().zip(head) {
            *to = from.to_ascii_lowercase();
        }
        heads.binary_search(&lower).is_ok()
    }

    /// True when the sentence is page furniture: an opening at its start or
    /// after non-word characters ("(Foto: dpa)", "– Mehr zum Thema").
    ///
    /// The same as `(?i)^\W*(?:…)` in one regex, whose `\W` (every
    /// character but the Unicode word characters) made it the slowest
    /// pattern of the start-up to compile; here the regex is asked at the
    /// start and after each leading non-word character (an opening may
    /// itself begin with one: "©").
    pub fn is_boilerplate(&self, sentence: &str) -> bool {
        let mut rest = sentence;
        loop {
            if self.may_open(rest) && self.starts.is_match(rest) {
                return true;
            }
            match rest.chars().next() {
                Some(first) if !regex_syntax::is_word_character(first) => {
                    rest = &rest[first.len_utf8()..];
                }
                _ => return false,
            }
        }
    }
}

impl Default for BoilerplateFilter {
    fn default() -> BoilerplateFilter {
        BoilerplateFilter::new()
    }
}

/// The openings' heads for [`BoilerplateFilter::heads`], or `None` when an
/// opening has neither a head of plain letters nor a non-ASCII character
/// among its first bytes (an operator there: "ab?c").
fn heads(openings: &[&str]) -> Option<Vec<[u8; HEAD]>> {
    let mut heads = Vec::with_capacity(openings.len());
    for opening in openings {
        let first = &opening.as_bytes()[..opening.len().min(HEAD)];
        let literal = |byte: &u8| byte.is_ascii_lowercase() || *byte == b' ';
        match first.iter().position(|byte| !literal(byte)) {
            None if first.len() == HEAD => heads.push(first.try_into().ok()?),
            // Text it opens has a non-ASCII byte among its first four.
            Some(at) if !first[at].is_ascii() => {}
            _ => return None,
        }
    }
    heads.sort_unstable();
    heads.dedup();
    Some(heads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_table() {
        let filter = BoilerplateFilter::new();
        let rows = [
            (
                "related",
                "Mehr zum Thema - Waffenruhe in Bergkarabach",
                true,
            ),
            ("image_credit", "Bildquelle: aa.com.tr", true),
            (
                "cookies",
                "Wir verwenden Cookies, um unser Angebot zu verbessern.",
                true,
            ),
            ("comment_form", "Schreibe einen Kommentar", true),
            ("photo", "(Foto: dpa)", true),
            (
                "article",
                "Putin und Erdogan wollen den Konflikt in Idlib lösen.",
                false,
            ),
            (
                "mention_of_photo_later",
                "Er zeigte ein Foto: es war alt.",
                false,
            ),
        ];
        for (name, text, expected) in rows {
            assert_eq!(filter.is_boilerplate(text), expected, "{name}");
        }
    }

    /// The filter says what the one regex with a leading `\W*` says, on
    /// sentences made of openings, look-alikes and non-word characters.
    #[test]
    fn same_as_one_regex_with_leading_non_word_characters() {
        use quickcheck::QuickCheck;
        const PIECES: &[&str] = &[
            " ",
            "(",
            "–",
            "„",
            "©",
            "_",
            "\u{301}",
            "²",
            "1",
            "x",
            "Foto",
            "Fotos",
            ":",
            " :",
            "Mehr",
            " zum Thema",
            "Bild",
            "Quelle",
            "cookie",
            "Anzeige",
            "werbung",
            "Putin",
            "Lesezeit",
            "ä",
            "😀",
            "\u{a0}",
            "MEHR",
            "mehR",
            "Meh",
            "Die",
            "Dies",
            "e website verwendet cookies",
            "\u{212a}ommentar schreiben",
            "\u{17f}iehe auch",
            "Siehe auch",
            "DRÜCKEN SIE PLAY",
            "Bild:",
        ];
        static FILTERS: std::sync::OnceLock<(BoilerplateFilter, Regex)> =
            std::sync::OnceLock::new();
        fn property(picks: Vec<u8>) -> bool {
            let (filter, reference) = FILTERS.get_or_init(|| {
                let pattern = format!(r"(?i)^\W*(?:{})", FURNITURE.join("|"));
                (BoilerplateFilter::new(), Regex::new(&pattern).unwrap())
            });
            let text = crate::test_text::from_picks(&picks, PIECES);
            filter.is_boilerplate(&text) == reference.is_match(&text)
        }
        QuickCheck::new()
            .tests(3000)
            .quickcheck(property as fn(Vec<u8>) -> bool);
    }

    /// The openings' DFA compiled ahead of time is what their pattern
    /// compiles to (`UPDATE_GOLDEN=1 cargo test --lib compiled_ahead`
    /// writes it anew), and the filter takes it; the one compiled here finds
    /// the same.
    #[test]
    fn the_openings_compiled_ahead_are_current() {
        let nfa =
            regex_automata::nfa::thompson::NFA::new(&pattern()).expect("the pattern compiles");
        let dense = crate::ahead::anchored(&nfa);
        if !crate::ahead::check(&dense, COMPILED, "src/boilerplate.dfa") {
            return;
        }
        if cfg!(target_endian = "little") {
            assert!(matches!(Openings::new(), Openings::Compiled(_)));
        }
        let built = Openings::Built(Regex::new(&pattern()).expect("the pattern compiles"));
        for text in [
            "Mehr zum Thema",
            "mehr",
            "© dpa",
            "Anzeige",
            "Anzeige x",
            "Bild :",
        ] {
            assert_eq!(
                Openings::new().is_match(text),
                built.is_match(text),
                "{text:?}"
            );
        }
    }

    /// The heads are kept only while every opening has one or starts
    /// with a non-ASCII character among its first bytes.
    #[test]
    fn heads_of_the_openings() {
        let built_in = heads(FURNITURE).expect("the built-in openings all qualify");
        assert!(built_in.contains(b"mehr") && built_in.contains(b"wir "));
        assert!(!built_in.iter().any(|head| head.starts_with(b"dr")));
        assert_eq!(
            heads(&["mehr zum thema", "©"]).map(|heads| heads.len()),
            Some(1)
        );
        assert_eq!(heads(&["ab?cd"]), None);
        assert_eq!(heads(&["zu"]), None);
    }
}
