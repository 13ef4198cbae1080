//! German word tables for dates: month and weekday names, number and ordinal
//! words, and the modifiers that shift a weekday, week, month or year.
//!
//! Each table feeds both the grammar (as a regex alternation) and the
//! interpretation of what the grammar matched (as a lookup), so the two
//! cannot disagree.

use chrono::Weekday;

/// Month names, the Austrian "Jänner" and "Feber", and abbreviations (with their dot).
pub(super) const MONTHS: &[(&str, u32)] = &[
    ("Januar", 1),
    ("Jänner", 1),
    ("Jan.", 1),
    ("Februar", 2),
    ("Feber", 2),
    ("Febr.", 2),
    ("Feb.", 2),
    ("März", 3),
    ("Mrz.", 3),
    ("April", 4),
    ("Apr.", 4),
    ("Mai", 5),
    ("Juni", 6),
    ("Jun.", 6),
    ("Juli", 7),
    ("Jul.", 7),
    ("August", 8),
    ("Aug.", 8),
    ("September", 9),
    ("Sept.", 9),
    ("Sep.", 9),
    ("Oktober", 10),
    ("Okt.", 10),
    ("November", 11),
    ("Nov.", 11),
    ("Dezember", 12),
    ("Dez.", 12),
];

/// Weekday names; "Sonnabend" is the northern German Saturday.
pub(super) const WEEKDAYS: &[(&str, Weekday)] = &[
    ("Montag", Weekday::Mon),
    ("Dienstag", Weekday::Tue),
    ("Mittwoch", Weekday::Wed),
    ("Donnerstag", Weekday::Thu),
    ("Freitag", Weekday::Fri),
    ("Samstag", Weekday::Sat),
    ("Sonnabend", Weekday::Sat),
    ("Sonntag", Weekday::Sun),
];

/// Parts of a day, as written after a weekday ("Donnerstagabend", "Freitag früh")
/// or a day word ("gestern Abend"). They narrow the time, not the date.
pub(super) const DAYPARTS: &[&str] = &[
    "vormittag",
    "nachmittag",
    "mittag",
    "abend",
    "morgen",
    "nacht",
    "früh",
];

/// Day words and their distance in days from the document date.
pub(super) const DAY_WORDS: &[(&str, i64)] = &[
    ("vorgestern", -2),
    ("gestern", -1),
    ("heute", 0),
    ("morgen", 1),
    ("übermorgen", 2),
];

/// Cardinal number words, as used in "vor zwei Wochen" or "vor einem Jahr".
pub(super) const NUMBERS: &[(&str, i64)] = &[
    ("ein", 1),
    ("eine", 1),
    ("einem", 1),
    ("einen", 1),
    ("einer", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
    ("zehn", 10),
    ("elf", 11),
    ("zwölf", 12),
    ("zwanzig", 20),
    ("dreißig", 30),
    ("hundert", 100),
];

/// Ordinal stems for the days of a month ("am ersten Januar"); the grammar
/// adds the inflection endings in [`INFLECTIONS`].
pub(super) const ORDINALS: &[(&str, u32)] = &[
    ("erst", 1),
    ("zweit", 2),
    ("dritt", 3),
    ("viert", 4),
    ("fünft", 5),
    ("sechst", 6),
    ("siebent", 7),
    ("siebt", 7),
    ("acht", 8),
    ("neunt", 9),
    ("zehnt", 10),
    ("elft", 11),
    ("zwölft", 12),
    ("dreizehnt", 13),
    ("vierzehnt", 14),
    ("fünfzehnt", 15),
    ("sechzehnt", 16),
    ("siebzehnt", 17),
    ("achtzehnt", 18),
    ("neunzehnt", 19),
    ("zwanzigst", 20),
    ("einundzwanzigst", 21),
    ("zweiundzwanzigst", 22),
    ("dreiundzwanzigst", 23),
    ("vierundzwanzigst", 24),
    ("fünfundzwanzigst", 25),
    ("sechsundzwanzigst", 26),
    ("siebenundzwanzigst", 27),
    ("achtundzwanzigst", 28),
    ("neunundzwanzigst", 29),
    ("dreißigst", 30),
    ("einunddreißigst", 31),
];

/// Stems of the words that shift a week, month or year ("vergangenen",
/// "nächstes", "diese"), with the shift in units.
pub(super) const SHIFTS: &[(&str, i64)] = &[
    ("vorletzt", -2),
    ("vergangen", -1),
    ("letzt", -1),
    ("vorig", -1),
    ("dies", 0),
    ("nächst", 1),
    ("kommend", 1),
    ("übernächst", 2),
];

/// Stems that shift only a weekday: "am gestrigen Dienstag".
pub(super) const DAY_SHIFTS: &[(&str, i64)] = &[("gestrig", -1), ("heutig", 0), ("morgig", 1)];

/// Adjective endings that follow the stems in [`ORDINALS`], [`SHIFTS`] and
/// [`DAY_SHIFTS`].
pub(super) const INFLECTIONS: &[&str] = &["e", "em", "en", "er", "es"];

/// True when two words are equal ignoring case.
pub(super) fn same_word(left: &str, right: &str) -> bool {
    left.chars()
        .flat_map(char::to_lowercase)
        .eq(right.chars().flat_map(char::to_lowercase))
}

/// The number (1–12) of a month name or abbreviation, in any case.
pub(super) fn month_number(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .find(|(name, _)| same_word(name, word))
        .map(|&(_, number)| number)
}

/// The weekday a name denotes.
pub(super) fn weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(name, _)| same_word(name, word))
        .map(|&(_, day)| day)
}

/// The distance in days of "gestern", "heute", "morgen" and the like.
pub(super) fn day_word(word: &str) -> Option<i64> {
    DAY_WORDS
        .iter()
        .find(|(name, _)| same_word(name, word))
        .map(|&(_, days)| days)
}

/// A count written in digits or as a word ("zwei", "einer").
pub(super) fn count(word: &str) -> Option<i64> {
    if word.bytes().all(|byte| byte.is_ascii_digit()) {
        return word.parse().ok();
    }
    NUMBERS
        .iter()
        .find(|(name, _)| same_word(name, word))
        .map(|&(_, number)| number)
}

/// The day an ordinal word names: "ersten" is 1, "einunddreißigsten" 31.
pub(super) fn ordinal(word: &str) -> Option<u32> {
    inflected(ORDINALS, word)
}

/// The shift a modifier word names: "vergangenen" is -1, "kommenden" 1,
/// "diese" 0; with `days`, also "gestrigen" (-1), "heutigen", "morgigen".
pub(super) fn shift(word: &str, days: bool) -> Option<i64> {
    inflected(SHIFTS, word).or_else(|| days.then(|| inflected(DAY_SHIFTS, word)).flatten())
}

/// Looks up an inflected adjective by its stem ("vergangenen" → "vergangen").
fn inflected<T: Copy>(stems: &[(&str, T)], word: &str) -> Option<T> {
    let lower = word.to_lowercase();
    stems.iter().find_map(|&(stem, value)| {
        let ending = lower.strip_prefix(stem)?;
        INFLECTIONS.contains(&ending).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_inflected_words() {
        assert_eq!(ordinal("ersten"), Some(1));
        assert_eq!(ordinal("Einunddreißigsten"), Some(31));
        assert_eq!(ordinal("achtzehnten"), Some(18));
        assert_eq!(ordinal("acht"), None);
        assert_eq!(shift("Vergangenen", false), Some(-1));
        assert_eq!(shift("übernächste", false), Some(2));
        assert_eq!(shift("vorletzten", false), Some(-2));
        assert_eq!(shift("gestrigen", false), None);
        assert_eq!(shift("gestrigen", true), Some(-1));
        assert_eq!(month_number("oktober"), Some(10));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(count("einer"), Some(1));
        assert_eq!(count("12"), Some(12));
    }

    #[test]
    fn stems_do_not_shadow_each_other() {
        // Every stem plus every ending must map back to that stem's value.
        for ending in INFLECTIONS {
            for &(stem, value) in ORDINALS {
                assert_eq!(ordinal(&format!("{stem}{ending}")), Some(value));
            }
            for &(stem, value) in SHIFTS.iter().chain(DAY_SHIFTS) {
                assert_eq!(shift(&format!("{stem}{ending}"), true), Some(value));
            }
        }
    }
}
