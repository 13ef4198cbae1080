//! Page furniture: the lines of a web page that are not the article ("Mehr
//! zum Thema", "Bildquelle", cookie notices, share buttons, comment forms).
//! Their names are not mentions: a related-article teaser names places the
//! article never speaks of.

use regex::Regex;

/// Recognizes sentences that are page furniture.
#[derive(Clone, Debug)]
pub struct BoilerplateFilter {
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
        let pattern = format!(r"(?i)^\W*(?:{})", FURNITURE.join("|"));
        BoilerplateFilter {
            starts: Regex::new(&pattern).expect("furniture pattern is valid"),
        }
    }

    /// True when the sentence is page furniture.
    pub fn is_boilerplate(&self, sentence: &str) -> bool {
        self.starts.is_match(sentence)
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
}
