//! Tokens and sentences: German-aware splitting with byte spans.
//!
//! Input: a document's text and the span of its body. Output: its
//! [`Sentences`], which never cross a line break, each [`Sentence`] a stretch
//! of one list of [`Token`]s (Unicode words,
//! numbers and punctuation; white space and invisible format characters are
//! dropped). A hyphenated compound is split into its parts and the hyphen
//! ("Bergkarabach-Konflikt" → `Bergkarabach`, `-`, `Konflikt`), so that a
//! name inside a compound is visible to the matcher. An ordinal ("am
//! 29. Dezember"), an abbreviation ("z. B.", "Dr.") or an initial does not end
//! a sentence; closing quotes stay with the sentence they close.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Contains a letter ("Putin", "G20", "z.B").
    Word,
    /// Digits, possibly with inner separators ("29", "29.12.2020", "100.000").
    Number,
    /// Anything else: punctuation, symbols, quotes.
    Punct,
}

/// One token of a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Where the token stands in the document text.
    pub span: Span,
    /// What it is made of.
    pub kind: TokenKind,
}

/// One sentence: its extent and its tokens, in text order, borrowed from
/// the [`Sentences`] of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence<'t> {
    /// From the first token's start to the last token's end.
    pub span: Span,
    /// The tokens, never empty.
    pub tokens: &'t [Token],
}

/// The sentences of a text, their tokens one list after another: one
/// buffer per text instead of a vector per sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentences {
    tokens: Vec<Token>,
    /// Per sentence: its span and where its tokens end (they start where
    /// the sentence before ends).
    bounds: Vec<(Span, usize)>,
}

impl Sentences {
    /// How many sentences there are.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// True when there is no sentence.
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Sentence `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<Sentence<'_>> {
        let &(span, end) = self.bounds.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.bounds[index - 1].1,
        };
        Some(Sentence {
            span,
            tokens: &self.tokens[start..end],
        })
    }

    /// The sentences, in order.
    pub fn iter(&self) -> SentenceIter<'_> {
        SentenceIter {
            sentences: self,
            next: 0,
        }
    }

    /// Every token, sentence after sentence.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }
}

impl<'s> IntoIterator for &'s Sentences {
    type Item = Sentence<'s>;
    type IntoIter = SentenceIter<'s>;

    fn into_iter(self) -> SentenceIter<'s> {
        self.iter()
    }
}

/// The sentences of [`Sentences`], in order.
#[derive(Clone, Debug)]
pub struct SentenceIter<'s> {
    sentences: &'s Sentences,
    next: usize,
}

impl<'s> Iterator for SentenceIter<'s> {
    type Item = Sentence<'s>;

    fn next(&mut self) -> Option<Sentence<'s>> {
        let sentence = self.sentences.get(self.next)?;
        self.next += 1;
        Some(sentence)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.sentences.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for SentenceIter<'_> {}

/// Abbreviations (without their period) after which a period does not end a
/// sentence. Single lowercase letters ("z. B.", "u. a.") and single capitals
/// (initials) are handled by rule.
const ABBREVIATIONS: &[&str] = &[
    "Abb", "Abg", "Abs", "Abt", "Apr", "Art", "Aug", "Bd", "Bzw", "Chr", "Dez", "Di", "Dipl", "Do",
    "Dr", "Fa", "Feb", "Febr", "Fr", "Gen", "Hr", "Hrsg", "Ing", "Jan", "Jh", "Jhd", "Jr", "Jul",
    "Jun", "Kap", "Kfz", "Mag", "Mi", "Mio", "Mo", "Mr", "Mrd", "Mrs", "Ms", "Nov", "Nr", "Okt",
    "Pkt", "Prof", "Sa", "Sen", "Sept", "Sep", "So", "St", "Str", "Tel", "Univ", "Vors", "abzgl",
    "allg", "bspw", "bzgl", "bzw", "ca", "d.h", "dgl", "eigtl", "einschl", "entspr", "evtl",
    "gegr", "geb", "gem", "ggf", "gest", "inkl", "insb", "jew", "lt", "max", "min", "mind", "o.ä",
    "rd", "s.o", "s.u", "sog", "u.a", "u.ä", "usw", "u.v.m", "vgl", "v.a", "z.B", "z.T", "zit",
    "zzgl", "zB", "Zi",
];

/// The longest of [`ABBREVIATIONS`], in bytes: a longer word is none of
/// them, without a lookup.
const LONGEST_ABBREVIATION: usize = {
    let mut longest = 0;
    let mut index = 0;
    while index < ABBREVIATIONS.len() {
        if ABBREVIATIONS[index].len() > longest {
            longest = ABBREVIATIONS[index].len();
        }
        index += 1;
    }
    longest
};

/// German month names, after which a number and period are an ordinal day.
const MONTHS: &[&str] = &[
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "jan",
    "feb",
    "febr",
    "mär",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dez",
];

/// Splits text into sentences and tokens.
#[derive(Clone, Debug, Default)]
pub struct Tokenizer {}

impl Tokenizer {
    /// A tokenizer with the built-in German rules.
    pub fn new() -> Tokenizer {
        Tokenizer {}
    }

    /// Splits `text[body]` into sentences. Every span lies inside `body`;
    /// sentences are ordered and never overlap.
    pub fn tokenize(&self, text: &str, body: Span) -> Sentences {
        let mut sentences = Sentences::default();
        // About a token per five bytes of German news: grown once, if at all.
        sentences.tokens.reserve(body.len() / 5 + 8);
        // And a sentence per hundred bytes or so.
        sentences.bounds.reserve(body.len() / 96 + 2);
        for line in lines(text, body) {
            for piece in pieces(text, line) {
                let start = sentences.tokens.len();
                self.tokens_into(text, piece, &mut sentences.tokens);
                split_sentences(text, &mut sentences, start);
            }
        }
        sentences
    }

    /// The tokens of `text[span]`, without sentence splitting.
    pub fn tokens(&self, text: &str, span: Span) -> Vec<Token> {
        let mut tokens = Vec::new();
        self.tokens_into(text, span, &mut tokens);
        tokens
    }

    /// Appends the tokens of `text[span]` to `tokens`, without sentence
    /// splitting.
    pub(crate) fn tokens_into(&self, text: &str, span: Span, tokens: &mut Vec<Token>) {
        let line = &text[span.start..span.end];
        // Most lines are taken in one pass; the others segment by segment.
        if !latin::tokens(line, span.start, tokens) {
            segment_tokens(line, span.start, tokens);
        }
    }
}

/// Appends the tokens of `line`, which starts at byte `base` of the text:
/// its word-boundary segments without white space and invisible characters.
fn segment_tokens(line: &str, base: usize, tokens: &mut Vec<Token>) {
    let mut each = |offset: usize, piece: &str| {
        // A visible ASCII character first (most pieces) is a token.
        let visible = piece.as_bytes().first().is_some_and(u8::is_ascii_graphic)
            || !piece.chars().all(is_invisible_or_space);
        if visible {
            push_token(tokens, base + offset, piece);
        }
    };
    if !latin::segment(line, &mut each) {
        for (offset, piece) in line.split_word_bound_indices() {
            each(offset, piece);
        }
    }
}

/// Word boundaries for text in Latin script, faster than the general
/// Unicode tables: the rules of Unicode's word segmentation (UAX #29) that
/// apply to Latin letters, digits, combining marks, format characters and
/// the common punctuation. Text with any other character is left to
/// unicode-segmentation. Two deliberate differences: a narrow no-break space
/// (U+202F) separates words here (UAX #29 joins them, which would hide
/// "Wladimir\u{202F}Putin" from the gazetteer), and a zero-width space
/// (U+200B) inside a word does not break it.
mod latin {
    use super::{Span, Token, TokenKind};

    /// Word-break categories of the characters handled here.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Category {
        Letter,
        Numeric,
        MidLetter,
        MidNumLet,
        SingleQuote,
        MidNum,
        ExtendNumLet,
        Extend,
        Space,
        Other,
    }

    /// Categories of the ASCII characters, looked up by byte.
    const ASCII: [Category; 128] = {
        let mut table = [Category::Other; 128];
        let mut byte = 0;
        while byte < 128 {
            table[byte] = match slow_category(byte as u8 as char) {
                Some(category) => category,
                None => Category::Other,
            };
            byte += 1;
        }
        table
    };

    /// The category of `c`, or `None` when `c` is outside what this
    /// segmenter handles.
    #[inline]
    fn category(c: char) -> Option<Category> {
        if c.is_ascii() {
            Some(ASCII[c as usize])
        } else {
            slow_category(c)
        }
    }

    const fn slow_category(c: char) -> Option<Category> {
        use Category::*;
        Some(match c {
            'a'..='z' | 'A'..='Z' => Letter,
            '0'..='9' => Numeric,
            ' ' => Space,
            '.' => MidNumLet,
            '\'' => SingleQuote,
            ':' | '\u{B7}' | '\u{2027}' => MidLetter,
            ',' | ';' | '\u{2044}' => MidNum,
            '\u{2018}' | '\u{2019}' | '\u{2024}' => MidNumLet,
            '_' | '\u{203F}' | '\u{2040}' | '\u{2054}' => ExtendNumLet,
            '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' | '\u{205F}' | '\u{202F}' => Space,
            '\u{300}'..='\u{36F}'
            | '\u{AD}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}' => Extend,
            '\u{AA}' | '\u{B5}' | '\u{BA}' => Letter,
            // A zero-width space inside a word is an invisible trap, not a
            // word break ("Erdo\u{200B}ğan"): joined, unlike UAX #29.
            '\u{200B}' => Extend,
            '\u{2007}' => Other,
            '\u{C0}'..='\u{24F}' if c != '\u{D7}' && c != '\u{F7}' => Letter,
            '\u{1E00}'..='\u{1EFF}' => Letter,
            '\u{00}'..='\u{7F}' | '\u{A0}'..='\u{BF}' | '\u{D7}' | '\u{F7}' => Other,
            '\u{2010}'..='\u{2026}' | '\u{2030}'..='\u{205E}' | '\u{20A0}'..='\u{20C0}' => Other,
            _ => return None,
        })
    }

    /// Calls `each(offset, segment)` for the word-boundary segments of
    /// `line` and returns true, or returns false (having called nothing)
    /// when `line` holds a character this segmenter does not handle. A
    /// single ASCII space between two segments that are not spaces, before
    /// an ASCII character, is left out: it is a segment of its own, which
    /// the tokenizer would drop (most segments of a text are such spaces).
    pub(super) fn segment(line: &str, each: &mut impl FnMut(usize, &str)) -> bool {
        thread_local! {
            static UNITS: std::cell::RefCell<(Vec<Unit>, Vec<usize>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        UNITS.with_borrow_mut(|(units, extended)| segment_with(line, units, extended, each))
    }

    /// Letters, digits and connectors: any two of them join.
    const fn alphanumeric(category: Category) -> bool {
        matches!(
            category,
            Category::Letter | Category::Numeric | Category::ExtendNumLet
        )
    }

    /// Units: a character with the combining and format characters after
    /// it, or a whole run of letters, digits and connectors (which all
    /// join): its start and the categories of its first and last
    /// characters.
    #[derive(Clone, Copy)]
    struct Unit {
        offset: usize,
        first: Category,
        last: Category,
        /// A single space was passed over right before it.
        gap: bool,
    }

    /// ASCII letters, digits and `_` (the ASCII characters that join a word),
    /// looked up by byte; no byte above ASCII is one.
    const ASCII_WORD: [bool; 256] = {
        let mut table = [false; 256];
        let mut byte = 0;
        while byte < 128 {
            table[byte] = alphanumeric(ASCII[byte]);
            byte += 1;
        }
        table
    };

    /// Each byte of `word` (eight bytes of text, little-endian) as 0xff
    /// when it is an ASCII letter, digit or `_` and 0 otherwise, so that
    /// the trailing ones count the word's bytes from the first.
    #[inline]
    fn word_bytes(word: u64) -> u64 {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let within = super::bytes_within;
        let low = word & !HIGH;
        let letter = within(low | (ONES * 0x20), b'a', b'z');
        let digit = within(low, b'0', b'9');
        let connector = within(low, b'_', b'_');
        let ascii = !word & HIGH;
        // Each byte's high bit spread over the byte: 0x80 -> 0xff.
        let high = (letter | digit | connector) & ascii;
        high | (high - (high >> 7))
    }

    /// How many of `eight` bytes, from the first, are ASCII letters, digits
    /// or `_`.
    #[inline]
    pub(super) fn word_run(eight: [u8; 8]) -> usize {
        word_bytes(u64::from_le_bytes(eight)).trailing_ones() as usize / 8
    }

    /// True for the ASCII letters, digits and `_`.
    #[cfg(test)]
    pub(super) fn is_word_byte(byte: u8) -> bool {
        ASCII_WORD[usize::from(byte)]
    }

    /// Moves `offset` past the ASCII letters, digits and `_` there, and
    /// returns the category of the last one, or `None` when there is none.
    #[inline(always)]
    fn ascii_word_end(bytes: &[u8], offset: &mut usize) -> Option<Category> {
        let start = *offset;
        skip_ascii_word(bytes, offset);
        let end = *offset;
        (end > start).then(|| ASCII[usize::from(bytes[end - 1])])
    }

    /// Moves `offset` past the ASCII letters, digits and `_` there.
    #[inline(always)]
    fn skip_ascii_word(bytes: &[u8], offset: &mut usize) {
        let mut end = *offset;
        // Eight bytes at a time while there are eight: most words end
        // within the first eight, found without a branch per byte.
        while let Some(eight) = bytes.get(end..end + 8) {
            let run = word_run(eight.try_into().expect("eight bytes"));
            end += run;
            if run < 8 {
                *offset = end;
                return;
            }
        }
        while end < bytes.len() && ASCII_WORD[usize::from(bytes[end])] {
            end += 1;
        }
        *offset = end;
    }

    /// [`segment`] with its work lists, reused from line to line.
    fn segment_with(
        line: &str,
        units: &mut Vec<Unit>,
        extended: &mut Vec<usize>,
        each: &mut impl FnMut(usize, &str),
    ) -> bool {
        use Category::*;
        units.clear();
        // Spaces join only when nothing is attached to the first (the rule
        // for spaces comes before the one that attaches format characters).
        extended.clear();
        let bytes = line.as_bytes();
        let mut offset = 0;
        // A single ASCII space was passed over right before `offset`.
        let mut gap = false;
        while offset < bytes.len() {
            let byte = bytes[offset];
            // A single ASCII space between two units that are no spaces,
            // before an ASCII character (never a combining or format one),
            // is a segment of its own, which the tokenizer drops: it is
            // passed over, and the unit after it marked.
            if byte == b' '
                && units.last().is_some_and(|unit| unit.last != Space)
                && bytes
                    .get(offset + 1)
                    .is_some_and(|next| next.is_ascii() && *next != b' ')
            {
                gap = true;
                offset += 1;
                continue;
            }
            let (category, width) = if byte.is_ascii() {
                (ASCII[usize::from(byte)], 1)
            } else {
                match wide_category(line, offset) {
                    Some(found) => found,
                    None => return false,
                }
            };
            if let Some(unit) = units.last_mut() {
                if category == Extend {
                    if extended.last() != Some(&(units.len() - 1)) {
                        extended.push(units.len() - 1);
                    }
                    offset += width;
                    continue;
                }
                if alphanumeric(category) && alphanumeric(unit.last) && !gap {
                    offset += width;
                    unit.last = ascii_word_end(bytes, &mut offset).unwrap_or(category);
                    continue;
                }
            }
            let start = offset;
            offset += width;
            // The rest of an ASCII word in one go.
            let last = if alphanumeric(category) {
                ascii_word_end(bytes, &mut offset).unwrap_or(category)
            } else {
                category
            };
            units.push(Unit {
                offset: start,
                first: category,
                last,
                gap,
            });
            gap = false;
        }
        // The first category of unit `i` when nothing was passed over
        // before it (a unit after a space joins nothing before it).
        let first = |i: usize| units.get(i).filter(|u| !u.gap).map(|u| u.first);
        let mut start = 0;
        let mut i = 0;
        while i < units.len() {
            let a = units[i].last;
            let joined = match (a, first(i + 1)) {
                (_, None) => false,
                (Space, Some(Space)) => extended.binary_search(&i).is_err(),
                (Letter | Numeric | ExtendNumLet, Some(Letter | Numeric | ExtendNumLet)) => true,
                (Letter, Some(MidLetter | MidNumLet | SingleQuote))
                    if first(i + 2) == Some(Letter) =>
                {
                    i += 1; // the middle character joins both sides
                    true
                }
                (Numeric, Some(MidNum | MidNumLet | SingleQuote))
                    if first(i + 2) == Some(Numeric) =>
                {
                    i += 1;
                    true
                }
                _ => false,
            };
            i += 1;
            if !joined {
                let end = units
                    .get(i)
                    .map_or(line.len(), |u| u.offset - usize::from(u.gap));
                each(units[start].offset, &line[units[start].offset..end]);
                start = i;
            }
        }
        true
    }

    /// The kind of the token that a character beyond ASCII which is
    /// neither a letter nor a joiner makes on its own (a quote, a dash, a
    /// currency sign; `²` is a number), or `None` for a space.
    fn symbol_kind(c: char) -> Option<TokenKind> {
        if c.is_whitespace() {
            None
        } else if matches!(c, '\u{B2}' | '\u{B3}' | '\u{B9}' | '\u{BC}'..='\u{BE}') {
            Some(TokenKind::Number)
        } else {
            Some(TokenKind::Punct)
        }
    }

    /// [`symbol_kind`] for every character it is asked about, against the
    /// tokenizer's general rule.
    #[cfg(test)]
    pub(super) fn symbol_kinds_agree() -> bool {
        (0x80..=0x2FFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| {
                !matches!(
                    category(c),
                    None | Some(Category::Letter | Category::Extend | Category::ExtendNumLet)
                )
            })
            .all(|c| {
                let mut tokens = Vec::new();
                let piece = c.to_string();
                if !piece.chars().all(super::is_invisible_or_space) {
                    super::push_token(&mut tokens, 0, &piece);
                }
                symbol_kind(c) == tokens.first().map(|token| token.kind)
            })
    }

    /// The category and width of the character (not ASCII) at `at`.
    #[inline(never)]
    fn wide_category(line: &str, at: usize) -> Option<(Category, usize)> {
        let c = line[at..].chars().next()?;
        Some((category(c)?, c.len_utf8()))
    }

    /// Appends the tokens of `line` (which starts at byte `base` of the
    /// text) in one pass, and returns true; or, when `line` holds a
    /// character whose rules this pass does not take (a combining or format
    /// character, a control character, a connector other than `_`, a
    /// character outside the segmenter's tables), appends nothing and
    /// returns false, for [`segment`] to take over.
    ///
    /// The same segments as [`segment`], white space dropped, each turned
    /// into a token as the tokenizer would: no character of a line taken
    /// here is invisible, so no token needs trimming, and the kind follows
    /// from the first character (and, for a word starting with a digit or
    /// `_`, whether a letter follows).
    pub(super) fn tokens(line: &str, base: usize, tokens: &mut Vec<Token>) -> bool {
        use Category::*;
        let mark = tokens.len();
        let bytes = line.as_bytes();
        // A character's category and width at `at`, or `None` for one not
        // taken here (the whole line is then left to `segment`).
        let category_at = |at: usize| -> Option<(Category, usize)> {
            match bytes.get(at) {
                Some(&byte) if byte.is_ascii() => Some((ASCII[usize::from(byte)], 1)),
                Some(_) => wide_category(line, at),
                None => None,
            }
        };
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte == b' ' {
                at += 1;
                continue;
            }
            let start = at;
            let (first, width) = if byte.is_ascii() {
                if !byte.is_ascii_graphic() {
                    // Tabs and control characters: `segment` knows them.
                    tokens.truncate(mark);
                    return false;
                }
                (ASCII[usize::from(byte)], 1)
            } else {
                match category_at(at) {
                    Some((Extend | ExtendNumLet, _)) | None => {
                        tokens.truncate(mark);
                        return false;
                    }
                    Some(found) => found,
                }
            };
            at += width;
            if !alphanumeric(first) {
                if first == Space {
                    continue;
                }
                let kind = if byte.is_ascii() {
                    TokenKind::Punct
                } else {
                    // A no-break space is left out; quotes, dashes and
                    // the like are tokens.
                    match symbol_kind(line[start..at].chars().next().unwrap_or(' ')) {
                        Some(kind) => kind,
                        None => continue,
                    }
                };
                tokens.push(Token {
                    span: Span::new(base + start, base + at),
                    kind,
                });
                continue;
            }
            // A word: runs of letters, digits and `_`, and a middle
            // character between two letters ("z.B", "Putin's") or two
            // digits ("29.12.2020", "100.000").
            skip_ascii_word(bytes, &mut at);
            while let Some(&byte) = bytes.get(at) {
                // Most words end at a space.
                if byte == b' ' {
                    break;
                }
                let Some((category, width)) = category_at(at) else {
                    tokens.truncate(mark);
                    return false;
                };
                match category {
                    // A letter beyond ASCII (the ASCII ones were taken).
                    Letter | Numeric => at += width,
                    MidLetter | MidNumLet | SingleQuote | MidNum => {
                        // The word so far ends in a letter or a digit: no
                        // other character beyond ASCII joins a word here.
                        let last = match bytes[at - 1] {
                            byte if byte.is_ascii() => ASCII[usize::from(byte)],
                            _ => Letter,
                        };
                        let fits = |after: Category| match category {
                            MidLetter => last == Letter && after == Letter,
                            MidNum => last == Numeric && after == Numeric,
                            _ => {
                                (last == Letter && after == Letter)
                                    || (last == Numeric && after == Numeric)
                            }
                        };
                        match category_at(at + width) {
                            Some((Extend, _)) => {
                                tokens.truncate(mark);
                                return false;
                            }
                            Some((after, after_width)) if fits(after) => {
                                at += width + after_width;
                            }
                            _ => break,
                        }
                    }
                    Extend | ExtendNumLet => {
                        tokens.truncate(mark);
                        return false;
                    }
                    Space | Other => break,
                }
                skip_ascii_word(bytes, &mut at);
            }
            let piece = &line[start..at];
            let kind = if first == Letter || piece.chars().any(char::is_alphabetic) {
                TokenKind::Word
            } else if first == Numeric {
                TokenKind::Number
            } else {
                TokenKind::Punct
            };
            tokens.push(Token {
                span: Span::new(base + start, base + at),
                kind,
            });
        }
        true
    }
}

/// Adds the token(s) for one word-boundary segment, splitting off leading and
/// trailing invisible characters so spans hug the visible text.
fn push_token(tokens: &mut Vec<Token>, start: usize, piece: &str) {
    // Most segments have nothing to trim.
    let clean = |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic());
    if clean(piece.chars().next()) && clean(piece.chars().next_back()) {
        let kind = if piece.as_bytes()[0].is_ascii_alphabetic()
            || piece.chars().any(char::is_alphabetic)
        {
            TokenKind::Word
        } else if piece.as_bytes()[0].is_ascii_digit() {
            TokenKind::Number
        } else {
            TokenKind::Punct
        };
        tokens.push(Token {
            span: Span::new(start, start + piece.len()),
            kind,
        });
        return;
    }
    let trimmed_start = piece.len() - piece.trim_start_matches(is_invisible_or_space).len();
    let trimmed = piece.trim_matches(is_invisible_or_space);
    let start = start + trimmed_start;
    let span = Span::new(start, start + trimmed.len());
    let first = trimmed.chars().next();
    let kind = if first.is_some_and(char::is_alphabetic) || trimmed.chars().any(char::is_alphabetic)
    {
        TokenKind::Word
    } else if first.is_some_and(char::is_numeric) {
        TokenKind::Number
    } else {
        TokenKind::Punct
    };
    tokens.push(Token { span, kind });
}

/// True for white space and for characters that have no visible form inside a
/// word: zero-width spaces and joiners, soft hyphen, direction marks, BOM.
pub fn is_invisible_or_space(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// True for invisible format characters that may sit inside a word.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// The longest stretch of a line analysed at once. A longer line (a whole
/// article without line breaks, or garbage) is cut at white space into
/// stretches of about this size, which end sentences there: memory and the
/// work per sentence stay bounded whatever the input.
const MAX_PIECE: usize = 64 << 10;

/// `line` cut into stretches of at most [`MAX_PIECE`] bytes, at the last
/// white space before the limit (or, in one enormous word, at a character
/// boundary).
fn pieces(text: &str, line: Span) -> impl Iterator<Item = Span> + '_ {
    let mut start = line.start;
    std::iter::from_fn(move || {
        if start >= line.end {
            return (start == line.start && line.is_empty()).then(|| {
                start += 1;
                line
            });
        }
        let mut end = line.end;
        if end - start > MAX_PIECE {
            let mut limit = start + MAX_PIECE;
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            end = text[start..limit]
                .rfind(char::is_whitespace)
                .map(|at| start + at)
                .filter(|&at| at > start)
                .unwrap_or(limit);
        }
        let piece = Span::new(start, end);
        start = end;
        Some(piece)
    })
}

/// The lines of `text[body]` (split at `\n`, `\r\n` or a lone `\r`), without
/// their line ends.
fn lines(text: &str, body: Span) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut start = body.start;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match memchr::memchr2(b'\n', b'\r', &bytes[start..body.end]) {
            Some(at) => {
                let i = start + at;
                let line = Span::new(start, i);
                let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                start = next.min(body.end);
                Some(line)
            }
            None => {
                done = true;
                Some(Span::new(start, body.end))
            }
        }
    })
}

fn is_terminator(piece: &str) -> bool {
    matches!(piece, "." | "!" | "?" | "…" | "‼" | "⁇" | "⁈" | "⁉")
}

fn is_closing(piece: &str) -> bool {
    matches!(
        piece,
        "“" | "”" | "\"" | "’" | "'" | "»" | "«" | "›" | "‹" | ")" | "]" | "}"
    )
}

/// Groups the tokens of one piece of a line, those of `sentences` from
/// `first` on, into sentences.
fn split_sentences(text: &str, sentences: &mut Sentences, first: usize) {
    let Sentences { tokens, bounds } = sentences;
    let tokens = &tokens[first..];
    let mut finish = |start: usize, end: usize| {
        let sentence = &tokens[start..end];
        if let (Some(first_token), Some(last)) = (sentence.first(), sentence.last()) {
            bounds.push((
                Span::new(first_token.span.start, last.span.end),
                first + end,
            ));
        }
    };
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        i += 1;
        if token.kind != TokenKind::Punct || !is_terminator(token.span.slice(text)) {
            continue;
        }
        // Take the whole run of terminators and closing quotes.
        while i < tokens.len() {
            let piece = tokens[i].span.slice(text);
            if (is_terminator(piece) || is_closing(piece)) && tokens[i].kind == TokenKind::Punct {
                i += 1;
            } else {
                break;
            }
        }
        if ends_sentence(text, &tokens[start..i], tokens.get(i)) {
            finish(start, i);
            start = i;
        }
    }
    finish(start, tokens.len());
}

/// Decides whether the terminator run ending `current` closes the sentence,
/// given the next token of the line.
fn ends_sentence(text: &str, current: &[Token], next: Option<&Token>) -> bool {
    let Some(next) = next else { return true };
    let next_text = next.span.slice(text);
    // A lowercase word, a comma or a dash after the period continues the sentence
    // ("… hat“, sagte er", "Präsident… hat wiederholt").
    let next_first = next_text.chars().next().unwrap_or(' ');
    if next_first.is_lowercase() || matches!(next_text, "," | ";" | ":" | "–" | "-") {
        return false;
    }
    // Find the terminator that started the run and the token before it.
    let run_start = current
        .iter()
        .rposition(|t| {
            let piece = t.span.slice(text);
            !(t.kind == TokenKind::Punct && (is_terminator(piece) || is_closing(piece)))
        })
        .map(|index| index + 1)
        .unwrap_or(0);
    let first_terminator = current[run_start];
    if first_terminator.span.slice(text) != "." || run_start == 0 {
        return true;
    }
    let before = current[run_start - 1];
    if before.span.end != first_terminator.span.start {
        return true; // "Ende . Neu": a free-standing period ends the sentence
    }
    let word = before.span.slice(text);
    match before.kind {
        TokenKind::Number => {
            // An ordinal: "am 29. Dezember", "der 3. Platz"; a date "29.12." too.
            let next_lower = next_text.to_lowercase();
            let next_is_month = MONTHS.contains(&next_lower.trim_end_matches('.'));
            !(next_is_month || next.kind == TokenKind::Number || word.ends_with('.'))
        }
        TokenKind::Word => {
            static KNOWN: std::sync::LazyLock<rustc_hash::FxHashSet<&str>> =
                std::sync::LazyLock::new(|| ABBREVIATIONS.iter().copied().collect());
            // One character, without counting a long word's.
            let mut chars = word.chars();
            let single = chars.next().is_some() && chars.next().is_none();
            !(single || (word.len() <= LONGEST_ABBREVIATION && KNOWN.contains(word)))
        }
        TokenKind::Punct => true,
    }
}

/// The high bit of each byte of `word` (eight bytes, each below 0x80)
/// that lies in `lo..=hi`, and no other bit: eight range tests at once.
#[inline]
pub(crate) fn bytes_within(word: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    (word + ONES * u64::from(0x80 - lo)) & !(word + ONES * u64::from(0x7f - hi)) & HIGH
}

/// Folds a token for matching: canonical decomposition, diacritics and
/// invisible characters removed, lowercase, `ß` → `ss`, dotless `ı` → `i`,
/// typographic apostrophes → `'`. NFC and NFD input fold alike, so
/// "Erdoğan", "Erdogan" and a decomposed "Erdoğan" are one key.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    fold_into(text, &mut folded);
    folded
}

/// Like [`fold`], appending to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        if let Some(tail) = out.get_mut(start..) {
            tail.make_ascii_lowercase();
        }
        return;
    }
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if let Some(folded) = LATIN.get((c as usize).wrapping_sub(LATIN_FIRST)) {
            out.push_str(folded);
            continue;
        }
        fold_slow(c, out);
    }
}

/// Decomposes one character and keeps its base letters: the marks are
/// dropped, so their canonical order does not matter.
fn fold_slow(c: char, out: &mut String) {
    decompose_canonical(c, |part| fold_char(part, out));
}

/// The first character of [`LATIN`].
const LATIN_FIRST: usize = 0x80;

/// The folds of U+0080 to U+024F (Latin-1 and the Latin Extended blocks:
/// German umlauts, ß, Turkish and Slavic letters), worked out once, so that
/// the common letters skip the decomposition tables.
static LATIN: std::sync::LazyLock<Vec<Box<str>>> = std::sync::LazyLock::new(|| {
    (LATIN_FIRST as u32..0x250)
        .map(|code| {
            let mut folded = String::new();
            if let Some(c) = char::from_u32(code) {
                fold_slow(c, &mut folded);
            }
            folded.into_boxed_str()
        })
        .collect()
});

fn fold_char(c: char, out: &mut String) {
    if is_combining_mark(c) || is_invisible(c) {
        return;
    }
    match c {
        'ß' | 'ẞ' => out.push_str("ss"),
        'ı' => out.push('i'),
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' => out.push('d'),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        '’' | '‘' | 'ʼ' | '`' | '´' => out.push('\''),
        '‐' | '‑' | '‒' | '–' => out.push('-'),
        _ => out.extend(c.to_lowercase()),
    }
}

/// Folds a whole name (several tokens) to one key: token folds joined by a
/// single space. Used to compare user input with gazetteer names.
pub fn fold_name(text: &str) -> String {
    let tokens = Tokenizer::new().tokens(text, Span::new(0, text.len()));
    let mut key = String::new();
    for token in tokens {
        let piece = token.span.slice(text);
        if piece == "-" {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        fold_into(piece, &mut key);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use quickcheck_macros::quickcheck;

    fn sentences(text: &str) -> Vec<&str> {
        Tokenizer::new()
            .tokenize(text, Span::new(0, text.len()))
            .iter()
            .map(|s| s.span.slice(text))
            .collect()
    }

    fn tokens(text: &str) -> Vec<&str> {
        Tokenizer::new()
            .tokens(text, Span::new(0, text.len()))
            .iter()
            .map(|t| t.span.slice(text))
            .collect()
    }

    /// After every abbreviation, the longest too, and after one letter
    /// (ASCII or not) a period does not end the sentence; after a longer
    /// word that starts like one, or after two letters, it does.
    #[test]
    fn abbreviations_and_single_letters_keep_the_sentence() {
        for word in ABBREVIATIONS.iter().copied().chain(["Ö", "A", "ß"]) {
            let text = format!("Es kam {word}. Neu war es.");
            assert_eq!(sentences(&text), [text.as_str()], "{word}");
        }
        assert!(ABBREVIATIONS.contains(&"einschl") && LONGEST_ABBREVIATION == "einschl".len());
        for word in ["einschlX", "Drs", "Öl", "Mitte"] {
            let text = format!("Es kam {word}. Neu war es.");
            let expected = [format!("Es kam {word}."), "Neu war es.".to_string()];
            assert_eq!(sentences(&text), expected, "{word}");
        }
    }

    /// The token buffer a thread keeps from text to text holds nothing of
    /// the text before: a short text after a long one (and a text of one
    /// line after one of many) splits as it does on a fresh thread.
    #[test]
    fn a_text_after_a_longer_one_splits_as_on_a_fresh_thread() {
        let long = "Putin traf Erdoğan in Sotschi. Lawrow sprach mit Cavusoglu.\n\
                    Die Minsker Gruppe der OSZE tagte am 3. März in Wien. Danach reiste sie ab.";
        let short = "Er kam";
        let fresh = |text: &'static str| {
            std::thread::spawn(move || {
                Tokenizer::new()
                    .tokenize(text, Span::new(0, text.len()))
                    .iter()
                    .map(|s| (s.span, s.tokens.to_vec()))
                    .collect::<Vec<_>>()
            })
            .join()
            .unwrap()
        };
        let tokenizer = Tokenizer::new();
        let first = tokenizer.tokenize(long, Span::new(0, long.len()));
        assert_eq!(first.len(), 4);
        let after: Vec<_> = tokenizer
            .tokenize(short, Span::new(0, short.len()))
            .iter()
            .map(|s| (s.span, s.tokens.to_vec()))
            .collect();
        assert_eq!(after, fresh(short));
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].1.len(), 2);
    }

    #[test]
    fn sentence_table() {
        let rows: &[(&str, &str, &[&str])] = &[
            ("plain", "Er kam. Sie ging.", &["Er kam.", "Sie ging."]),
            (
                "ordinal_before_month",
                "Am 29. Dezember traf er ihn. Dann ging er.",
                &["Am 29. Dezember traf er ihn.", "Dann ging er."],
            ),
            (
                "ordinal_10_oktober",
                "der am 10. Oktober erreicht wurde.",
                &["der am 10. Oktober erreicht wurde."],
            ),
            (
                "year_ends_sentence",
                "Das war 2020. Die Lage blieb.",
                &["Das war 2020.", "Die Lage blieb."],
            ),
            (
                "keeps_z_b_together",
                "Viele, z. B. Ärzte, kamen.",
                &["Viele, z. B. Ärzte, kamen."],
            ),
            (
                "keeps_zb_joined",
                "Viele, z.B. Ärzte, kamen.",
                &["Viele, z.B. Ärzte, kamen."],
            ),
            (
                "doctor",
                "Dr. Müller sprach. Er ging.",
                &["Dr. Müller sprach.", "Er ging."],
            ),
            ("u_a", "Er traf u. a. Lawrow.", &["Er traf u. a. Lawrow."]),
            (
                "nr_st",
                "Haus Nr. 5 in St. Petersburg brannte.",
                &["Haus Nr. 5 in St. Petersburg brannte."],
            ),
            (
                "initial",
                "Franklin D. Roosevelt regierte.",
                &["Franklin D. Roosevelt regierte."],
            ),
            (
                "quote_stays",
                "„Wir kommen.“ Dann ging er.",
                &["„Wir kommen.“", "Dann ging er."],
            ),
            (
                "quote_continues",
                "„Wir kommen“, sagte er. Gut.",
                &["„Wir kommen“, sagte er.", "Gut."],
            ),
            (
                "ellipsis_lowercase",
                "Unser Präsident… hat gesagt.",
                &["Unser Präsident… hat gesagt."],
            ),
            ("question", "Wer kam? Niemand!", &["Wer kam?", "Niemand!"]),
            (
                "headline_line",
                "Lawrow trifft Cavusoglu\nAm Montag kam er.",
                &["Lawrow trifft Cavusoglu", "Am Montag kam er."],
            ),
            ("crlf", "Eins.\r\nZwei.", &["Eins.", "Zwei."]),
            ("lone_cr", "Eins\rZwei", &["Eins", "Zwei"]),
            ("blank_lines", "Eins.\n\n\nZwei.", &["Eins.", "Zwei."]),
            (
                "date_with_dots",
                "Am 29.12.2020 kam er. Dann ging er.",
                &["Am 29.12.2020 kam er.", "Dann ging er."],
            ),
        ];
        for (name, text, expected) in rows {
            assert_eq!(&sentences(text), expected, "{name}");
        }
    }

    #[test]
    fn splits_hyphenated_compounds() {
        assert_eq!(
            tokens("Bergkarabach-Konflikt"),
            ["Bergkarabach", "-", "Konflikt"]
        );
        assert_eq!(tokens("EU-Beamte"), ["EU", "-", "Beamte"]);
        assert_eq!(tokens("G20-Treffens"), ["G20", "-", "Treffens"]);
        assert_eq!(tokens("US-Außenminister"), ["US", "-", "Außenminister"]);
    }

    #[test]
    fn drops_no_break_and_zero_width_space() {
        assert_eq!(tokens("Wladimir\u{a0}Putin"), ["Wladimir", "Putin"]);
        assert_eq!(tokens("Wladimir \u{200b}Putin"), ["Wladimir", "Putin"]);
        assert_eq!(tokens("Erdo\u{200b}ğan"), ["Erdo\u{200b}ğan"]);
        assert_eq!(tokens("Pu\u{ad}tin kam"), ["Pu\u{ad}tin", "kam"]);
    }

    #[test]
    fn long_lines_are_cut_at_white_space() {
        let word = "Wort ".repeat(MAX_PIECE / 5 * 3);
        let text = format!("Putin {word}Ende.");
        let sentences = Tokenizer::new().tokenize(&text, Span::new(0, text.len()));
        assert!(sentences.len() >= 3, "{}", sentences.len());
        assert!(sentences.iter().all(|s| s.span.len() <= MAX_PIECE));
        let tokens: usize = sentences.iter().map(|s| s.tokens.len()).sum();
        assert_eq!(tokens, MAX_PIECE / 5 * 3 + 3);
        let giant = "x".repeat(3 * MAX_PIECE + 7);
        let sentences = Tokenizer::new().tokenize(&giant, Span::new(0, giant.len()));
        assert_eq!(
            sentences.iter().map(|s| s.span.len()).sum::<usize>(),
            giant.len()
        );
    }

    #[test]
    fn body_span_is_respected() {
        let text = " date 2020-10 Er kam. Sie ging.";
        let sentences = Tokenizer::new().tokenize(text, Span::new(14, text.len()));
        assert_eq!(sentences.get(0).unwrap().span.slice(text), "Er kam.");
    }

    /// Folding a text folds it character by character: ASCII lowercased,
    /// every other character by its decomposition.
    #[quickcheck]
    fn fold_is_folding_each_character(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "a", "B", "ä", "Ö", "ß", "ẞ", "ı", "İ", "ğ", "\u{301}", "\u{ad}", "’", "Æ", "Ω", "Ǆ",
            "Putin", " ", "-", "z",
        ];
        let text = crate::test_text::from_picks(&picks, PIECES);
        let mut expected = String::new();
        for c in text.chars() {
            if c.is_ascii() {
                expected.push(c.to_ascii_lowercase());
            } else {
                fold_slow(c, &mut expected);
            }
        }
        let mut folded = "x".to_string();
        fold_into(&text, &mut folded);
        folded[1..] == expected
    }

    /// Every character the kept table covers, and those just past it,
    /// folds as its decomposition does, alone and between ASCII letters.
    #[test]
    fn the_latin_table_folds_as_decomposition_does() {
        for code in LATIN_FIRST as u32..0x300 {
            let c = char::from_u32(code).expect("no surrogate here");
            let mut expected = "x".to_string();
            fold_slow(c, &mut expected);
            expected.push('y');
            let mut folded = "x".to_string();
            fold_into(&format!("{c}Y"), &mut folded);
            assert_eq!(folded, expected, "U+{code:04X}");
        }
    }

    #[test]
    fn folds_diacritics_case_and_nfd() {
        assert_eq!(fold("Erdoğan"), "erdogan");
        assert_eq!(fold("Erdog\u{306}an"), "erdogan");
        assert_eq!(fold("Çavuşoğlu"), "cavusoglu");
        assert_eq!(fold("Çavuşoğlı"), "cavusogli");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("NATO"), fold("Nato"));
        assert_eq!(fold("Weiße"), "weisse");
        assert_eq!(fold("Pu\u{ad}tin"), "putin");
        assert_eq!(
            fold_name("Recep  Tayyip\u{a0}Erdoğan"),
            "recep tayyip erdogan"
        );
    }

    /// The fast Latin segmenter agrees with unicode-segmentation wherever it
    /// applies (strings drawn from Latin letters, digits, the punctuation
    /// the word rules treat specially, combining and format characters).
    #[quickcheck]
    fn latin_segments_agree_with_unicode_segmentation(picks: Vec<u8>) -> bool {
        const ALPHABET: &[char] = &[
            'a', 'B', 'ä', 'ß', 'ı', 'Ç', 'ğ', 'z', '1', '0', '.', ',', ';', ':', '\'', '’', '‘',
            '-', '_', ' ', '\u{a0}', '\u{ad}', '\u{301}', '\u{200d}', '\u{200e}', '„', '“', '…',
            '–', '(', '/', '€', '§', '·', '\u{2009}', '?', '\u{1e9e}',
        ];
        let text: String = picks
            .iter()
            .map(|&p| ALPHABET[p as usize % ALPHABET.len()])
            .collect();
        segments_as_unicode_segmentation_does(&text)
    }

    /// True when the Latin segmenter handles `text` and cuts it where
    /// unicode-segmentation does, single spaces aside (the segmenter leaves
    /// some out, see `segment`).
    fn segments_as_unicode_segmentation_does(text: &str) -> bool {
        let mut fast = Vec::new();
        let handled = latin::segment(text, &mut |offset, piece: &str| {
            if piece != " " {
                fast.push((offset, piece.to_string()));
            }
        });
        let reference: Vec<(usize, String)> = text
            .split_word_bound_indices()
            .filter(|(_, piece)| *piece != " ")
            .map(|(o, p)| (o, p.to_string()))
            .collect();
        handled && fast == reference
    }

    /// The same with words of any length (the segmenter reads ASCII words
    /// eight bytes at a time) next to the characters that end or join them.
    #[quickcheck]
    fn long_words_segment_as_unicode_segmentation_does(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &[
            "Bundesregierung",
            "a",
            "Ab_9",
            "1234567",
            "x2",
            "ä",
            "\u{301}",
            ".",
            ",",
            "'",
            ":",
            " ",
            "-",
            "„",
            "\u{200d}",
        ];
        let text = crate::test_text::from_picks(&picks, PIECES);
        segments_as_unicode_segmentation_does(&text)
    }

    /// True when the one-pass tokenizer either declines `text` (adding
    /// nothing) or gives the tokens the segment-by-segment one gives.
    fn one_pass_agrees(text: &str) -> bool {
        let before = Token {
            span: Span::new(0, 1),
            kind: TokenKind::Punct,
        };
        let mut fast = vec![before];
        let handled = latin::tokens(text, 3, &mut fast);
        let mut general = vec![before];
        segment_tokens(text, 3, &mut general);
        if handled {
            fast == general
        } else {
            fast == [before]
        }
    }

    /// The one-pass tokenizer agrees with the segments wherever it applies.
    #[quickcheck]
    fn one_pass_tokens_agree_with_the_segments(picks: Vec<u8>, long: Vec<u8>) -> bool {
        const ALPHABET: &[&str] = &[
            "a",
            "B",
            "ä",
            "ß",
            "ı",
            "Ç",
            "z",
            "1",
            "0",
            ".",
            ",",
            ";",
            ":",
            "'",
            "’",
            "‘",
            "-",
            "_",
            " ",
            "  ",
            "\u{a0}",
            "\u{ad}",
            "\u{301}",
            "„",
            "“",
            "…",
            "–",
            "(",
            "/",
            "€",
            "§",
            "·",
            "\u{2009}",
            "?",
            "²",
            "½",
            "×",
            "\t",
            "Bundesregierung",
            "1234567",
            "x2",
            "_9",
            "\u{2028}",
            "ª",
            "\u{203f}",
            "•",
        ];
        let text = |picks: &[u8]| crate::test_text::from_picks(picks, ALPHABET);
        // Without the characters that make it decline, too, so that the
        // comparison is not only ever of declined lines.
        let plain: Vec<u8> = long
            .iter()
            .copied()
            .filter(|&p| {
                !matches!(
                    crate::test_text::piece(ALPHABET, p),
                    "\u{ad}" | "\u{301}" | "\t" | "\u{2028}" | "\u{203f}"
                )
            })
            .collect();
        one_pass_agrees(&text(&picks)) && one_pass_agrees(&text(&plain))
    }

    /// German news text is taken in one pass.
    #[test]
    fn news_lines_take_the_one_pass() {
        let line = "„Wir kommen“, sagte Erdoğan am 29.12.2020 in Sotschi – 100.000 \
                    Menschen… z.B. Putin's Ärzte (G20) für 5 € ² ×\u{a0}½ ’n «Ja».";
        let mut tokens = Vec::new();
        assert!(latin::tokens(line, 0, &mut tokens));
        assert!(one_pass_agrees(line));
        let words: Vec<&str> = tokens.iter().map(|t| t.span.slice(line)).collect();
        assert_eq!(
            words[..12],
            [
                "„",
                "Wir",
                "kommen",
                "“",
                ",",
                "sagte",
                "Erdoğan",
                "am",
                "29.12.2020",
                "in",
                "Sotschi",
                "–"
            ]
        );
        for declined in ["Pu\u{ad}tin", "a\tb", "Erdog\u{306}an", "a\u{2028}b"] {
            assert!(!latin::tokens(declined, 0, &mut tokens), "{declined:?}");
            assert!(one_pass_agrees(declined), "{declined:?}");
        }
    }

    /// A quote, dash or sign on its own is the token the general rule makes.
    #[test]
    fn symbols_are_the_tokens_the_general_rule_makes() {
        assert!(latin::symbol_kinds_agree());
    }

    /// Eight bytes at a time, a word's bytes are those the byte table
    /// calls letters, digits and `_`, in every position.
    #[test]
    fn word_bytes_agree_with_the_byte_table() {
        for byte in 0..=255u8 {
            for at in 0..8 {
                let mut eight = [b'a'; 8];
                eight[at] = byte;
                let run = latin::word_run(eight);
                let expected = if latin::is_word_byte(byte) { 8 } else { at };
                assert_eq!(run, expected, "byte {byte:#x} at {at}");
            }
        }
    }

    #[quickcheck]
    fn spans_are_ordered_on_char_boundaries_and_lose_nothing(text: String) -> bool {
        let body = Span::new(0, text.len());
        let sentences = Tokenizer::new().tokenize(&text, body);
        let tokens: Vec<Token> = sentences.iter().flat_map(|s| s.tokens.to_vec()).collect();
        // The sentences share one list of tokens, in order, each its own
        // non-empty stretch of it, from its first token to its last.
        let shared = sentences.tokens() == tokens.as_slice()
            && sentences.iter().len() == sentences.len()
            && sentences.get(sentences.len()).is_none()
            && sentences.iter().enumerate().all(|(i, s)| {
                sentences.get(i) == Some(s)
                    && !s.tokens.is_empty()
                    && s.span.start == s.tokens[0].span.start
                    && s.span.end == s.tokens[s.tokens.len() - 1].span.end
            });
        let sentences: Vec<Sentence<'_>> = sentences.iter().collect();
        let on_boundaries = tokens.iter().all(|t| {
            t.span.start < t.span.end
                && text.is_char_boundary(t.span.start)
                && text.is_char_boundary(t.span.end)
        });
        let ordered = tokens.windows(2).all(|w| w[0].span.end <= w[1].span.start);
        let sentences_ordered = sentences
            .windows(2)
            .all(|w| w[0].span.end <= w[1].span.start);
        let covered: usize = tokens
            .iter()
            .map(|t| {
                t.span
                    .slice(&text)
                    .chars()
                    .filter(|c| !is_invisible_or_space(*c))
                    .count()
            })
            .sum();
        let visible = text.chars().filter(|c| !is_invisible_or_space(*c)).count();
        shared && on_boundaries && ordered && sentences_ordered && covered == visible
    }
}
