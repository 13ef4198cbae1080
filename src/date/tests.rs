//! Table-driven tests of [`DateNormalizer`]: each row is a sentence, a
//! document date, and the expressions expected in it with their values.

use std::sync::OnceLock;

use quickcheck::{QuickCheck, TestResult};

use super::*;

/// A row: name, sentence, document date, and the expected (text, value)
/// pairs in order; a value of `None` means "found, but no calendar date".
type Row = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, Option<&'static str>)],
);

/// 2020-10-16 is a Friday.
const FRIDAY: Option<&str> = Some("2020-10-16");

const ROWS: &[Row] = &[
    // Explicit dates.
    (
        "day_month_year",
        "Das Abkommen wurde am 29. Dezember 2020 unterzeichnet.",
        Some("2021-01-05"),
        &[("am 29. Dezember 2020", Some("2020-12-29"))],
    ),
    (
        "numeric_date",
        "Am 29.12.2020 trafen sie sich.",
        None,
        &[("Am 29.12.2020", Some("2020-12-29"))],
    ),
    (
        "numeric_day_month_takes_the_document_year",
        "Das Treffen war am 29.12. in Sotschi.",
        Some("2021-01-05"),
        &[("am 29.12.", Some("2020-12-29"))],
    ),
    (
        "two_digit_year",
        "Die Frist endete am 3.3.21.",
        None,
        &[("am 3.3.21", Some("2021-03-03"))],
    ),
    (
        "weekday_before_date",
        "Er kam am Montag, den 15. Januar, nach Berlin.",
        Some("2018-03-01"),
        &[("am Montag, den 15. Januar", Some("2018-01-15"))],
    ),
    (
        "ordinal_day",
        "Am ersten Januar trat das Gesetz in Kraft.",
        FRIDAY,
        &[("Am ersten Januar", Some("2020-01-01"))],
    ),
    (
        "month_after_im",
        "Im März besuchten sie Indien.",
        FRIDAY,
        &[("Im März", Some("2020-03"))],
    ),
    (
        "month_and_year",
        "Die Krise begann im März 2008.",
        FRIDAY,
        &[("im März 2008", Some("2008-03"))],
    ),
    (
        "parts_of_a_month",
        "Anfang März, Mitte März und Ende März gab es Gespräche.",
        FRIDAY,
        &[
            ("Anfang März", Some("2020-03")),
            ("Mitte März", Some("2020-03")),
            ("Ende März", Some("2020-03")),
        ],
    ),
    (
        "years_in_date_context",
        "Im Jahr 2020 wuchs die Wirtschaft, seit 2019 sinkt die Zahl, bis 2022 soll sie steigen.",
        FRIDAY,
        &[
            ("Im Jahr 2020", Some("2020")),
            ("seit 2019", Some("2019")),
            ("bis 2022", Some("2022")),
        ],
    ),
    (
        "month_abbreviations",
        "Zwischen dem 3. Jan. 2020, dem 4. Febr. 2020 und dem 1. Sept. 2020 gab es Kontakte.",
        None,
        &[
            ("3. Jan. 2020", Some("2020-01-03")),
            ("4. Febr. 2020", Some("2020-02-04")),
            ("1. Sept. 2020", Some("2020-09-01")),
        ],
    ),
    (
        "austrian_jaenner",
        "Im Jänner wurde gewählt.",
        FRIDAY,
        &[("Im Jänner", Some("2020-01"))],
    ),
    (
        "lowercase_month_after_a_day",
        "Geburtstag ist der 28.oktober",
        Some("2019-12-02"),
        &[("28.oktober", Some("2019-10-28"))],
    ),
    (
        "slash_dash_and_iso_dates",
        "Am 21/04/2016, am 3-7-2017, am 2015/08/12 und am 2020-10-16.",
        None,
        &[
            ("Am 21/04/2016", Some("2016-04-21")),
            ("am 3-7-2017", Some("2017-07-03")),
            ("am 2015/08/12", Some("2015-08-12")),
            ("am 2020-10-16", Some("2020-10-16")),
        ],
    ),
    (
        "day_of_month_alone",
        "Ich komme am 15. zurück.",
        Some("2016-01-07"),
        &[("am 15.", Some("2015-12-15"))],
    ),
    (
        "day_of_month_in_a_range_is_left_out",
        "Am 15. und 16. Oktober wurde verhandelt.",
        FRIDAY,
        &[("16. Oktober", Some("2020-10-16"))],
    ),
    // Weekdays and the sentence's tense.
    (
        "weekday_in_past_tense",
        "Putin hat am Mittwoch mit Erdoğan telefoniert.",
        FRIDAY,
        &[("am Mittwoch", Some("2020-10-14"))],
    ),
    (
        "weekday_in_future_tense",
        "Putin wird am Mittwoch nach Ankara reisen.",
        FRIDAY,
        &[("am Mittwoch", Some("2020-10-21"))],
    ),
    (
        "weekday_of_the_document_day_in_past_tense",
        "Das Treffen hat am Freitag stattgefunden.",
        FRIDAY,
        &[("am Freitag", Some("2020-10-16"))],
    ),
    (
        "weekday_of_the_document_day_in_future_tense",
        "Das Treffen soll am Freitag stattfinden.",
        FRIDAY,
        &[("am Freitag", Some("2020-10-16"))],
    ),
    (
        "vergangenen_is_strictly_before",
        "Am vergangenen Freitag wurde er festgenommen.",
        FRIDAY,
        &[("Am vergangenen Freitag", Some("2020-10-09"))],
    ),
    (
        "vergangenen_weekday",
        "Am vergangenen Mittwoch wurde er festgenommen.",
        FRIDAY,
        &[("Am vergangenen Mittwoch", Some("2020-10-14"))],
    ),
    (
        "kommenden_is_strictly_after",
        "Am kommenden Montag beginnt der Prozess.",
        FRIDAY,
        &[("Am kommenden Montag", Some("2020-10-19"))],
    ),
    (
        "weekday_with_part_of_day",
        "Am Donnerstagabend waren 33 türkische Soldaten getötet worden.",
        FRIDAY,
        &[("Am Donnerstagabend", Some("2020-10-15"))],
    ),
    (
        "weekday_with_part_of_day_without_am",
        "Donnerstagabend kam es zu Explosionen.",
        FRIDAY,
        &[("Donnerstagabend", Some("2020-10-15"))],
    ),
    (
        "night_before_a_weekday",
        "In der Nacht zu Mittwoch erklärte das Ministerium den Rückzug.",
        FRIDAY,
        &[("In der Nacht zu Mittwoch", Some("2020-10-14"))],
    ),
    (
        "seit_weekday_looks_back",
        "Seit Mittwoch gilt eine Waffenruhe, die bis 2022 halten soll.",
        FRIDAY,
        &[
            ("Seit Mittwoch", Some("2020-10-14")),
            ("bis 2022", Some("2022")),
        ],
    ),
    (
        "alleged_past_is_past",
        "Er soll am Mittwoch drei Menschen getötet haben.",
        FRIDAY,
        &[("am Mittwoch", Some("2020-10-14"))],
    ),
    (
        "weekday_in_a_counted_week",
        "Übernächste Woche am Freitag ist er wieder da.",
        Some("2020-07-27"),
        &[("Übernächste Woche am Freitag", Some("2020-08-14"))],
    ),
    (
        "weekday_of_last_week",
        "Am Dienstag vergangener Woche wurde verhandelt.",
        FRIDAY,
        &[("Am Dienstag vergangener Woche", Some("2020-10-06"))],
    ),
    (
        "weekend",
        "Am Wochenende wurde gekämpft.",
        FRIDAY,
        &[("Am Wochenende", Some("2020-10"))],
    ),
    // Relative to the document date.
    (
        "day_words",
        "Vorgestern, gestern, heute, morgen und übermorgen.",
        FRIDAY,
        &[
            ("Vorgestern", Some("2020-10-14")),
            ("gestern", Some("2020-10-15")),
            ("heute", Some("2020-10-16")),
            ("morgen", Some("2020-10-17")),
            ("übermorgen", Some("2020-10-18")),
        ],
    ),
    (
        "day_word_with_part_of_day",
        "Gestern Abend und heute früh gab es Angriffe.",
        FRIDAY,
        &[
            ("Gestern Abend", Some("2020-10-15")),
            ("heute früh", Some("2020-10-16")),
        ],
    ),
    (
        "adjacent_expressions",
        "gestern,heute",
        FRIDAY,
        &[
            ("gestern", Some("2020-10-15")),
            ("heute", Some("2020-10-16")),
        ],
    ),
    (
        "days_and_weeks_ago",
        "Vor drei Tagen, vor einer Woche und vor zwei Wochen kam es zu Kämpfen.",
        FRIDAY,
        &[
            ("Vor drei Tagen", Some("2020-10-13")),
            ("vor einer Woche", Some("2020-10-09")),
            ("vor zwei Wochen", Some("2020-10-02")),
        ],
    ),
    (
        "last_and_next_week_are_their_month",
        "Letzte Woche und nächste Woche.",
        FRIDAY,
        &[
            ("Letzte Woche", Some("2020-10")),
            ("nächste Woche", Some("2020-10")),
        ],
    ),
    (
        "last_week_in_the_previous_month",
        "Letzte Woche wurde gewählt.",
        Some("2020-10-03"),
        &[("Letzte Woche", Some("2020-09"))],
    ),
    (
        "week_across_two_months_is_its_year",
        "Diese Woche wurde gewählt.",
        Some("2020-10-01"),
        &[("Diese Woche", Some("2020"))],
    ),
    (
        "end_of_the_week",
        "Bis Ende der Woche soll eine Einigung stehen.",
        FRIDAY,
        &[("Ende der Woche", Some("2020-10"))],
    ),
    (
        "months_and_years",
        "Im vergangenen Monat, vergangenes Jahr, dieses Jahr und in diesem Jahr.",
        FRIDAY,
        &[
            ("Im vergangenen Monat", Some("2020-09")),
            ("vergangenes Jahr", Some("2019")),
            ("dieses Jahr", Some("2020")),
            ("in diesem Jahr", Some("2020")),
        ],
    ),
    (
        "parts_of_relative_years",
        "Ende vergangenen Jahres und Anfang des Jahres, im Vorjahr.",
        FRIDAY,
        &[
            ("Ende vergangenen Jahres", Some("2019")),
            ("Anfang des Jahres", Some("2020")),
            ("im Vorjahr", Some("2019")),
        ],
    ),
    (
        "offset_ahead_in_future_tense",
        "Die Wahl soll in zwei Wochen stattfinden.",
        FRIDAY,
        &[("in zwei Wochen", Some("2020-10-30"))],
    ),
    (
        "offset_ahead_in_a_report_is_a_duration",
        "In zwei Wochen wurden 100 Menschen getötet.",
        FRIDAY,
        &[],
    ),
    // Year of a day and month without one.
    (
        "year_rollover_in_past_tense",
        "Der Waffenstillstand wurde am 29. Dezember vereinbart.",
        Some("2021-01-05"),
        &[("am 29. Dezember", Some("2020-12-29"))],
    ),
    (
        "future_date_before_the_document_date_is_next_year",
        "Am 3. Februar wird gewählt.",
        FRIDAY,
        &[("Am 3. Februar", Some("2021-02-03"))],
    ),
    // A document date of reduced precision.
    (
        "weekday_with_document_month",
        "Der russische Präsident Wladimir Putin hat sich mit seinem türkischen Amtskollegen \
         Recep Tayyip Erdoğan am Mittwoch per Telefon zum Konflikt in der umstrittenen Region \
         Bergkarabach ausgetauscht",
        Some("2020-10"),
        &[("am Mittwoch", Some("2020-10"))],
    ),
    (
        "day_month_with_document_month",
        "der am 10. Oktober durch russische Vermittlung erreicht wurde",
        Some("2020-10"),
        &[("am 10. Oktober", Some("2020-10-10"))],
    ),
    (
        "day_word_with_document_month",
        "Gestern kam es zu Gefechten, vor zwei Wochen auch.",
        Some("2020-10"),
        &[
            ("Gestern", Some("2020-10")),
            ("vor zwei Wochen", Some("2020-10")),
        ],
    ),
    (
        "later_day_month_in_past_tense_with_document_month",
        "Am 29. Dezember wurde verhandelt.",
        Some("2020-10"),
        &[("Am 29. Dezember", Some("2019-12-29"))],
    ),
    (
        "later_day_month_in_future_tense_with_document_month",
        "Am 1. Dezember soll Latschin folgen.",
        Some("2020-10"),
        &[("Am 1. Dezember", Some("2020-12-01"))],
    ),
    (
        "relative_month_with_document_month",
        "Im vergangenen Monat und vor drei Monaten.",
        Some("2020-10"),
        &[
            ("Im vergangenen Monat", Some("2020-09")),
            ("vor drei Monaten", Some("2020-07")),
        ],
    ),
    (
        "weekday_with_document_year",
        "Am Mittwoch wurde gewählt, am 29. Dezember auch.",
        Some("2020"),
        &[
            ("Am Mittwoch", Some("2020")),
            ("am 29. Dezember", Some("2020-12-29")),
        ],
    ),
    // No document date.
    (
        "day_month_without_document_date",
        "Am 29. Dezember traf sich Russlands Außenminister Sergej Lawrow mit seinem türkischen \
         Amtskollegen Mevlut Cavusoglu in Sotschi",
        None,
        &[("Am 29. Dezember", Some("XXXX-12-29"))],
    ),
    (
        "weekday_without_document_date",
        "Das teilte der Kreml am Freitag nach einem Telefonat der beiden Staatschefs mit.",
        None,
        &[("am Freitag", None)],
    ),
    (
        "day_month_in_reported_speech_without_document_date",
        "dass das Treffen am 17. September in Istanbul stattgefunden habe",
        None,
        &[("am 17. September", Some("XXXX-09-17"))],
    ),
    (
        "month_without_document_date",
        "Im März besuchten US-Außenminister Antony Blinken und der russische Außenminister \
         Sergej Lawrow Angesicht zu Angesicht am Rande des G20-Treffens in Indien",
        None,
        &[("Im März", Some("XXXX-03"))],
    ),
    (
        "month_and_year_without_document_date",
        "nachdem der Einmarsch des russischen Präsidenten Wladimir Putin in die Ukraine im \
         Februar 2022 die reguläre Diplomatie auf den Kopf gestellt hatte",
        None,
        &[("im Februar 2022", Some("2022-02"))],
    ),
    (
        "relative_dates_without_document_date",
        "Gestern und vor zwei Wochen, am 15. wieder.",
        None,
        &[
            ("Gestern", None),
            ("vor zwei Wochen", None),
            ("am 15.", None),
        ],
    ),
    // Not dates.
    (
        "numbers_are_not_dates",
        "Rund 100.000 Einwohner, 33 türkische Soldaten, 24 Stunden lang, am Rande des \
         G20-Treffens, 1.200 Menschen, um 14.30 Uhr, 5.12 Prozent.",
        FRIDAY,
        &[],
    ),
    (
        "bare_year_is_not_a_date",
        "Die Stadt hat 2020 Einwohner.",
        FRIDAY,
        &[],
    ),
    (
        "month_names_as_names",
        "Mai Thi Nguyen-Kim sprach, Juli Zeh schrieb, August Diehl spielte.",
        FRIDAY,
        &[],
    ),
    (
        "habitual_weekday_and_compounds",
        "Mittwochs tagt der Rat, die Montagsdemo zieht durch die Stadt.",
        FRIDAY,
        &[],
    ),
    (
        "day_of_month_before_a_noun",
        "Am 15. Spieltag verlor der Verein.",
        FRIDAY,
        &[],
    ),
    (
        "section_numbers_and_impossible_dates",
        "Artikel 3.2. gilt, am 31.02.2020 nicht, Nummer 12-11-1234 auch nicht.",
        FRIDAY,
        &[],
    ),
];

#[test]
fn finds_and_normalizes_every_row() {
    let normalizer = DateNormalizer::new();
    let mut failures = Vec::new();
    for &(name, sentence, reference, expected) in ROWS {
        let context = DateContext {
            reference: reference.map(|text| text.parse().expect("row reference is a date")),
        };
        let found: Vec<(&str, Option<String>)> = normalizer
            .find(sentence, Span::new(0, sentence.len()), &context)
            .iter()
            .map(|mention| {
                (
                    mention.span.slice(sentence),
                    mention.value.map(|value| value.to_string()),
                )
            })
            .collect();
        let expected: Vec<(&str, Option<String>)> = expected
            .iter()
            .map(|&(text, value)| (text, value.map(str::to_string)))
            .collect();
        if found != expected {
            failures.push(format!("{name}: expected {expected:?}, found {found:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn finds_within_the_sentence_span_only() {
    let text = "Gestern kam er. Heute geht er.";
    let second = Span::new(16, text.len());
    let context = DateContext {
        reference: FRIDAY.map(|date| date.parse().expect("valid date")),
    };
    let mentions = DateNormalizer::new().find(text, second, &context);
    assert_eq!(mentions.len(), 1);
    assert_eq!(mentions[0].span, Span::new(16, 21));
    assert_eq!(
        mentions[0].value.map(|v| v.to_string()).as_deref(),
        Some("2020-10-16")
    );
}

#[test]
fn capitalized_morgen_is_tomorrow_only_at_the_start() {
    let normalizer = DateNormalizer::new();
    let context = DateContext {
        reference: FRIDAY.map(|date| date.parse().expect("valid date")),
    };
    let starts = normalizer.find("Morgen kommt er.", Span::new(0, 16), &context);
    assert_eq!(starts.len(), 1);
    let inside = "Am Morgen kam er.";
    assert!(
        normalizer
            .find(inside, Span::new(0, inside.len()), &context)
            .is_empty()
    );
}

#[test]
fn bad_sentence_spans_yield_nothing() {
    let normalizer = DateNormalizer::new();
    let context = DateContext::default();
    let text = "Am 3. März ging es los.";
    assert!(
        normalizer
            .find(text, Span::new(0, 100), &context)
            .is_empty()
    );
    // Byte 6 is inside "ä".
    assert!(normalizer.find(text, Span::new(0, 8), &context).is_empty());
}

#[test]
fn basis_explains_the_value() {
    let normalizer = DateNormalizer::new();
    let rows: &[(&str, Option<&str>, &str)] = &[
        ("Das war am 29.12.2020.", None, "explicit date"),
        (
            "Am 29. Dezember traf er ihn.",
            None,
            "day and month; year unknown",
        ),
        (
            "Am 29. Dezember wurde verhandelt.",
            Some("2021-01-05"),
            "day and month; year 2020 from the document date 2021-01-05 (past tense)",
        ),
        (
            "Putin hat am Mittwoch telefoniert.",
            FRIDAY,
            "weekday resolved against the document date 2020-10-16 (past tense)",
        ),
        (
            "Putin hat am Mittwoch telefoniert.",
            Some("2020-10"),
            "weekday resolved against the document month 2020-10, kept at its precision \
             (past tense)",
        ),
        (
            "Das teilte der Kreml am Freitag mit.",
            None,
            "weekday without a document date: no calendar date",
        ),
        (
            "Letzte Woche wurde gewählt.",
            FRIDAY,
            "relative date resolved against the document date 2020-10-16: 2020-10-05 to \
             2020-10-11",
        ),
    ];
    for &(sentence, reference, basis) in rows {
        let context = DateContext {
            reference: reference.map(|text| text.parse().expect("valid date")),
        };
        let mentions = normalizer.find(sentence, Span::new(0, sentence.len()), &context);
        assert_eq!(mentions.len(), 1, "{sentence:?}");
        assert_eq!(mentions[0].basis, basis, "{sentence:?}");
    }
}

#[test]
fn detects_tense() {
    let normalizer = DateNormalizer::new();
    let rows = [
        (
            "Putin hat am Mittwoch mit Erdoğan telefoniert.",
            Tense::Past,
        ),
        (
            "Am Donnerstagabend waren 33 Soldaten getötet worden.",
            Tense::Past,
        ),
        ("Putin wird am Mittwoch nach Ankara reisen.", Tense::Future),
        (
            "Die Verhandlungen sollen am Freitag fortgesetzt werden.",
            Tense::Future,
        ),
        ("Das Treffen ist für Mittwoch geplant.", Tense::Future),
        (
            "Der Kreml hat angekündigt, dass Putin am Mittwoch reisen wird.",
            Tense::Future,
        ),
        (
            "Er soll am Mittwoch drei Menschen getötet haben.",
            Tense::Past,
        ),
        ("Die Bewohner mussten evakuiert werden.", Tense::Past),
        (
            "Am 29. Dezember traf sich Lawrow mit Cavusoglu.",
            Tense::Past,
        ),
        ("Am Mittwoch telefonierte Putin mit Erdoğan.", Tense::Past),
        ("Er sagte, er werde am Freitag kommen.", Tense::Future),
        ("Putin trifft am Mittwoch Erdoğan.", Tense::Present),
    ];
    for (sentence, tense) in rows {
        assert_eq!(normalizer.tense(sentence), tense, "{sentence:?}");
    }
}

/// One normalizer for all property checks: compiling it is the slow part.
fn shared() -> &'static DateNormalizer {
    static NORMALIZER: OnceLock<DateNormalizer> = OnceLock::new();
    NORMALIZER.get_or_init(DateNormalizer::default)
}

/// Checks the guarantees of `find` on one text and sentence span.
fn well_formed(text: &str, sentence: Span, context: &DateContext) -> bool {
    let mentions = shared().find(text, sentence, context);
    let inside = mentions.iter().all(|mention| {
        mention.span.start < mention.span.end
            && sentence.contains(mention.span)
            && text.is_char_boundary(mention.span.start)
            && text.is_char_boundary(mention.span.end)
    });
    let ordered = mentions
        .windows(2)
        .all(|pair| pair[0].span.end <= pair[1].span.start);
    // Every value prints as a date that parses back.
    let printable = mentions.iter().all(|mention| {
        mention
            .value
            .is_none_or(|value| value.to_string().parse::<DateValue>().ok() == Some(value))
    });
    inside && ordered && printable
}

/// The largest char boundary of `text` at or below `index`.
fn floor_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[test]
fn find_is_well_formed_on_arbitrary_text() {
    fn property(text: String, start: usize, end: usize) -> bool {
        let (start, end) = (start.min(end), start.max(end));
        let sentence = Span::new(floor_boundary(&text, start), floor_boundary(&text, end));
        let context = DateContext {
            reference: Some(DateValue::month(2020, 10)),
        };
        well_formed(&text, sentence, &context)
            && well_formed(&text, Span::new(0, text.len()), &DateContext::default())
    }
    QuickCheck::new()
        .tests(300)
        .quickcheck(property as fn(String, usize, usize) -> bool);
}

#[test]
fn find_is_well_formed_on_date_like_text() {
    const PIECES: &[&str] = &[
        "am",
        "Am",
        " ",
        " ",
        " ",
        ", ",
        ".",
        "den",
        "15.",
        "3.",
        "29.12.",
        "2020",
        "21",
        "/",
        "-",
        "März",
        "Mai",
        "Jan.",
        "Jänner",
        "oktober",
        "ersten",
        "Mittwoch",
        "Donnerstagabend",
        "vergangenen",
        "nächste",
        "Woche",
        "Monat",
        "Jahr",
        "Jahres",
        "Ende",
        "der",
        "des",
        "im",
        "in",
        "Nacht",
        "zu",
        "vor",
        "zwei",
        "Tagen",
        "Wochen",
        "gestern",
        "Morgen",
        "heute",
        "seit",
        "bis",
        "wird",
        "wurde",
        "ä",
        "ß",
        "😀",
        "Wochenende",
        "Vorjahr",
        "9999",
        "Jahren",
        "und",
    ];
    const REFERENCES: &[Option<&str>] = &[
        None,
        Some("2020"),
        Some("2020-10"),
        Some("2020-10-16"),
        Some("2020-12-31"),
        Some("0001-01-01"),
        Some("9999-12-31"),
    ];
    fn property(indices: Vec<u8>, reference: u8) -> TestResult {
        let text = crate::test_text::from_picks(&indices, PIECES);
        let reference = REFERENCES[usize::from(reference) % REFERENCES.len()];
        let context = DateContext {
            reference: reference.map(|text| text.parse().expect("valid date")),
        };
        TestResult::from_bool(well_formed(&text, Span::new(0, text.len()), &context))
    }
    QuickCheck::new()
        .tests(1000)
        .quickcheck(property as fn(Vec<u8>, u8) -> TestResult);
}

/// The grammar compiled in the background while every thread of the pool
/// waits for it: its compilation must not need the pool (it once did, and
/// runs hung).
#[test]
fn compiled_in_background_while_the_pool_waits_for_it() {
    use rayon::prelude::*;
    let text = "Putin traf ihn am 10. Oktober.";
    let context = DateContext {
        reference: Some("2020-10".parse().unwrap()),
    };
    for _ in 0..3 {
        let dates = DateNormalizer::in_background();
        let found: Vec<usize> = (0..rayon::current_num_threads() * 4)
            .into_par_iter()
            .map(|_| dates.find(text, Span::new(0, text.len()), &context).len())
            .collect();
        assert!(found.iter().all(|&n| n == 1), "{found:?}");
    }
}

/// The words the tense markers are made of, with some near misses, for
/// sentences built from them.
const MARKER_WORDS: &[&str] = &[
    "soll",
    "sollte",
    "haben",
    "sein",
    "hatte",
    "Hätten",
    "WAR",
    "wird",
    "werde",
    "geplant",
    "bevorstehende",
    "hat",
    "habt",
    "sagte",
    "Telefonierten",
    "traf",
    "trafen",
    "kam",
    "ging",
    "Erdoğan",
    "Mittwoch",
    "wäre",
    "warnte",
    "hatt",
    "sagt",
    "kamen",
    "ä",
    "Ünd",
];

proptest::proptest! {
    /// The lazy DFA and the Pike VM find the markers a regex set of the
    /// same patterns finds, in sentences of marker words, near misses and
    /// any characters between them.
    #[test]
    fn tense_markers_agree_with_a_regex_set(
        words in proptest::collection::vec(
            (proptest::sample::select(MARKER_WORDS), "[ ,.a-zß0-9ä\n-]{0,3}"),
            0..12,
        )
    ) {
        let text: String = words.iter().map(|(word, gap)| format!("{word}{gap}")).collect();
        static REFERENCE: OnceLock<regex::RegexSet> = OnceLock::new();
        let reference = REFERENCE.get_or_init(|| {
            regex::RegexSet::new(TenseMarkers::patterns()).expect("valid patterns")
        });
        let expected: Vec<usize> = reference.matches(&text).into_iter().collect();
        let markers = &shared().compiled().markers;
        let ids = |found: PatternSet| -> Vec<usize> { found.iter().map(|id| id.as_usize()).collect() };
        proptest::prop_assert_eq!(&ids(markers.matches(&text)), &expected, "{:?}", text);
        proptest::prop_assert_eq!(&ids(markers.built_matches(&text)), &expected, "{:?}", text);
        proptest::prop_assert_eq!(&ids(markers.pikevm_matches(&text)), &expected, "{:?}", text);
    }
}

/// The tense markers' DFA compiled ahead of time is what their patterns
/// compile to (`UPDATE_GOLDEN=1 cargo test --lib compiled_ahead` writes it
/// anew), and it is taken.
#[test]
fn the_tense_markers_compiled_ahead_are_current() {
    use regex_automata::MatchKind;
    use regex_automata::dfa::{StartKind, dense};
    let dense = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(StartKind::Unanchored),
        )
        .build_from_nfa(&TenseMarkers::nfa())
        .expect("the markers determinize");
    if !crate::ahead::check(&dense, MARKERS_COMPILED, "src/date/markers.dfa") {
        return;
    }
    if cfg!(target_endian = "little") {
        assert!(TenseMarkers::new().compiled.is_some());
    }
}
