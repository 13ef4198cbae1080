//! Page furniture: the lines of a web page that are not the article ("Mehr
//! zum Thema", "Bildquelle", cookie notices, share buttons, comment forms).
//! Their names are not mentions: a related-article teaser names places the
//! article never speaks of.

use regex::Regex;

/// Recognizes sentences that are page furniture.
#[derive(Clone, Debug)]
pub struct BoilerplateFilter {
    /// The openings, anchored at the start of what it is asked about.
    starts: Regex,
}

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
        let pattern = format!(r"(?i)^(?:{})", FURNITURE.join("|"));
        BoilerplateFilter {
            starts: Regex::new(&pattern).expect("furniture pattern is valid"),
        }
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
            if self.starts.is_match(rest) {
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
}
