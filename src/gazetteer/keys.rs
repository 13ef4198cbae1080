//! The folded tokens of the gazetteer's names, numbered, and looked up
//! straight from the text.
//!
//! A folded token is keyed by three integers: its length, its first eight
//! bytes and its last eight bytes (the same eight when it is shorter). Up to
//! sixteen bytes, which is nearly every German word, the key *is* the token:
//! equal keys, equal tokens, so a lookup compares integers instead of
//! strings. Longer tokens are also compared byte for byte.
//!
//! Most tokens of a text are ASCII, and folding an ASCII token only
//! lowercases it: its key is read from the text with two unaligned loads and
//! lowercased eight bytes at a time, without copying the token (and only
//! when the answer for those bytes as written was not kept). Other tokens
//! are folded into a buffer first ([`fold_into`]). The stems a name's last
//! token may carry an ending on ("Putin" in "Putins") are keyed from the same
//! bytes, so the matcher hashes no string. A bit per hash value in front of
//! the table answers most lookups (most words are no token of any name)
//! without probing it, and a second filter, of the tokens with and without
//! their endings, answers most words that are neither a token nor a token
//! with an ending without keying their stems. An answer also tells
//! whether the token, or a stem of it, is marked as the first token of a
//! name, so that the matcher passes over the tokens that start none on the
//! answer alone.

use hashbrown::HashTable;

use crate::bits::Positions;
use crate::span::Span;
use crate::token::fold_into;

/// Bytes up to which a key identifies its token.
const EXACT: usize = 16;

/// The high bit of every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// A folded token: its length and its first and last eight bytes, zero
/// beyond the token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Key {
    len: usize,
    head: u64,
    tail: u64,
}

impl Key {
    /// The key of `bytes[..len]`; `bytes` may go on past `len`. With `lower`,
    /// ASCII capitals are read as lowercase (the bytes must be ASCII).
    fn of(bytes: &[u8], len: usize, lower: bool) -> Key {
        let head = load(bytes, 0, len.min(8));
        let tail = if len > 8 {
            load(bytes, len - 8, 8)
        } else {
            head
        };
        if lower {
            Key {
                len,
                head: lowercase(head),
                tail: lowercase(tail),
            }
        } else {
            Key { len, head, tail }
        }
    }

    fn hash(&self) -> u64 {
        // A folded multiply of the three words: cheap, and every input bit
        // reaches the top bits hashbrown uses.
        let product = u128::from(self.mixed() ^ 0x243f_6a88_85a3_08d3) * 0x9e37_79b9_7f4a_7c15;
        (product as u64) ^ ((product >> 64) as u64)
    }

    /// The slot of [`LookUp`]'s recent answers this key's answer is kept
    /// in: the top bits of one multiply, cheaper than [`Key::hash`] (which
    /// a kept answer does not need).
    fn recent_slot(&self) -> usize {
        (self.mixed().wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - RECENT.trailing_zeros()))
            as usize
    }

    /// The key's three words in one.
    #[inline]
    fn mixed(&self) -> u64 {
        self.head ^ self.tail.rotate_left(29) ^ ((self.len as u64) << 58)
    }

    /// The last byte of the token, and the one before it (0 when none).
    fn last_two(&self) -> (u8, u8) {
        let bytes = self.tail.to_le_bytes();
        let end = self.len.min(8);
        let last = bytes[end - 1];
        let before = if end >= 2 { bytes[end - 2] } else { 0 };
        (last, before)
    }
}

/// `n <= 8` bytes of `bytes` from `at`, little-endian, zero above them.
#[inline]
fn load(bytes: &[u8], at: usize, n: usize) -> u64 {
    let word = match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
        None => bytes[at..at + n]
            .iter()
            .rev()
            .fold(0, |word, &byte| word << 8 | u64::from(byte)),
    };
    if n == 8 {
        word
    } else {
        word & ((1u64 << (8 * n)) - 1)
    }
}

/// Lowercases the ASCII capitals of a word of ASCII bytes.
#[inline]
fn lowercase(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // High bit of each byte: at least 'A', and above 'Z'.
    let from_a = word + ONES * u64::from(0x80 - b'A');
    let past_z = word + ONES * u64::from(0x80 - b'Z' - 1);
    let capital = from_a & !past_z & HIGH;
    word | capital >> 2
}

/// How an ending is written after a name's last token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ending {
    /// Nothing: the token is the name's last token as it is.
    Bare,
    /// A genitive: `s`, `es`, `'s` or `'` ("Putins", "Paris'").
    Genitive,
    /// A dative plural `n` ("Niederlanden").
    DativeN,
}

/// A token of the gazetteer that a text token is, less its ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stem {
    /// The stem's number.
    pub(super) number: u32,
    pub(super) ending: Ending,
    /// How many bytes of the folded token the ending takes.
    pub(super) cut: u8,
}

/// A text token looked up: its number, and the stems under an ending that
/// are gazetteer tokens (in the order `s` after `'s` or `es`). Sixteen
/// bytes: one is kept for every token of a sentence and for every recent
/// token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Looked {
    /// The folded token's number, or [`NONE`].
    pub(super) number: u32,
    /// The stems' numbers ([`NONE`] past the last).
    stem_numbers: [u32; 2],
    /// The stems' endings and cuts ([`Stem::packed`]), 0 past the last.
    stem_forms: [u8; 2],
    /// The token or one of its stems is marked as a start
    /// ([`TokenTable::mark_start`]).
    starts: bool,
    /// The token itself is marked as a role word
    /// ([`TokenTable::mark_role`]).
    role: bool,
}

impl Stem {
    /// The ending and the cut in a byte, never 0: the cut in the low two
    /// bits (1 or 2), the ending above.
    fn packed(ending: Ending, cut: u8) -> u8 {
        debug_assert!(matches!(cut, 1 | 2), "a cut of {cut}");
        let ending = match ending {
            Ending::Bare => 0,
            Ending::Genitive => 1,
            Ending::DativeN => 2,
        };
        cut | ending << 2
    }

    /// The stem of number `number` and packed form `form`.
    fn unpacked(number: u32, form: u8) -> Stem {
        let ending = match form >> 2 {
            1 => Ending::Genitive,
            2 => Ending::DativeN,
            _ => Ending::Bare,
        };
        Stem {
            number,
            ending,
            cut: form & 3,
        }
    }
}

impl Looked {
    /// No token and no stem.
    const NOTHING: Looked = Looked {
        number: NONE,
        stem_numbers: [NONE; 2],
        stem_forms: [0; 2],
        starts: false,
        role: false,
    };

    /// The stems under an ending that are gazetteer tokens.
    pub(super) fn stems(&self) -> impl Iterator<Item = Stem> + '_ {
        self.stem_numbers
            .iter()
            .zip(self.stem_forms)
            .take_while(|&(_, form)| form != 0)
            .map(|(&number, form)| Stem::unpacked(number, form))
    }

    /// True when the token or one of its stems is marked as a start: the
    /// matcher marks the first tokens of names, so that a token that starts
    /// none (most of a text's) is passed over on this answer alone, kept
    /// with it, instead of by a step into the trie.
    pub(super) fn starts(&self) -> bool {
        self.starts
    }

    /// True when the token (as it is, not a stem) is marked as a role word.
    pub(super) fn role(&self) -> bool {
        self.role
    }
}

/// No token.
pub(super) const NONE: u32 = u32::MAX;

/// The folded tokens of the names, numbered from 0 in insertion order.
#[derive(Clone, Debug, Default)]
pub(super) struct TokenTable {
    slots: HashTable<(Key, u32)>,
    /// The tokens longer than [`EXACT`] bytes, by number (empty otherwise),
    /// to tell apart tokens whose keys agree.
    long: Vec<Box<[u8]>>,
    count: u32,
    /// A bit per hash value (some of its bits) of the tokens: most words of
    /// a text are no token of a name, and one bit tells so for all but a
    /// few of them without probing the table.
    filter: Filter,
    /// The same for the tokens and the words they are the stems of (the
    /// token with an ending: [`ENDINGS`]): a word that is neither is
    /// answered on this bit alone, without keying its stems.
    forms: Filter,
    /// The numbers of the tokens marked as a start.
    starts: Positions,
    /// The numbers of the tokens marked as role words.
    roles: Positions,
    /// Which table this is, for the answers a [`LookUp`] keeps: a new
    /// number whenever a token is added or marked.
    id: u64,
}

/// The next [`TokenTable::id`]; 0 is the empty table's.
static NEXT_TABLE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Filter bits per token: about one word in sixteen that is not a token
/// passes the filter.
const FILTER_BITS_PER_TOKEN: usize = 16;

/// Bits of [`TokenTable::forms`] per token: eight per form (a token and its
/// [`ENDINGS`]), about one word in eight that is none passing.
const FORM_BITS_PER_TOKEN: usize = 8 * (1 + ENDINGS.len());

/// The endings a word is looked up without ([`TokenTable::look_up_folded`]
/// cuts them): a word is a token with one of these after it, or its stems
/// are no tokens.
const ENDINGS: [&[u8]; 5] = [b"s", b"es", b"'s", b"'", b"n"];

/// A bit per hash value (some of its bits): a set that may say yes for
/// what it does not hold, never no for what it does.
#[derive(Clone, Debug, Default)]
struct Filter {
    words: Vec<u64>,
}

impl Filter {
    /// An empty filter of at least `bits` bits (4,096 or more, a power of two).
    fn with_bits(bits: usize) -> Filter {
        Filter {
            words: vec![0; bits.next_power_of_two().max(4096) / 64],
        }
    }

    /// The bit of `hash` (bits the table's own probing does not use first:
    /// hashbrown takes the lowest for the slot and the top seven for its
    /// tags).
    #[inline]
    fn bit(&self, hash: u64) -> (usize, u64) {
        let bit = (hash >> 24) as usize & (self.words.len() * 64 - 1);
        (bit / 64, 1 << (bit % 64))
    }

    #[inline]
    fn may_hold(&self, hash: u64) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let (word, mask) = self.bit(hash);
        self.words[word] & mask != 0
    }

    fn set(&mut self, hash: u64) {
        let (word, mask) = self.bit(hash);
        self.words[word] |= mask;
    }

    /// The bits there are.
    fn bits(&self) -> usize {
        self.words.len() * 64
    }
}

/// Calls `each` with the hash of every form of the folded token `bytes`:
/// itself and with each of [`ENDINGS`] after it. The forms are made on the
/// stack (on the heap only for a token of more than 38 bytes).
fn form_hashes(bytes: &[u8], mut each: impl FnMut(u64)) {
    each(Key::of(bytes, bytes.len(), false).hash());
    let longest = bytes.len() + 2;
    let mut short = [0u8; 40];
    let mut long = Vec::new();
    let form: &mut [u8] = if longest <= short.len() {
        &mut short[..longest]
    } else {
        long.resize(longest, 0);
        &mut long
    };
    form[..bytes.len()].copy_from_slice(bytes);
    for ending in ENDINGS {
        let len = bytes.len() + ending.len();
        form[bytes.len()..len].copy_from_slice(ending);
        each(Key::of(&form[..len], len, false).hash());
    }
}

impl TokenTable {
    /// An empty table with room for `tokens` tokens, its filters sized for
    /// them.
    pub(super) fn with_capacity(tokens: usize) -> TokenTable {
        TokenTable {
            slots: HashTable::with_capacity(tokens),
            filter: Filter::with_bits(tokens * FILTER_BITS_PER_TOKEN),
            forms: Filter::with_bits(tokens * FORM_BITS_PER_TOKEN),
            ..TokenTable::default()
        }
    }

    /// How many tokens there are.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.count as usize
    }

    /// The number of the folded token `folded`, given one if it is new.
    pub(super) fn insert(&mut self, folded: &str) -> u32 {
        let bytes = folded.as_bytes();
        let key = Key::of(bytes, bytes.len(), false);
        let long = &self.long;
        let entry = self.slots.entry(
            key.hash(),
            |(other, number)| {
                *other == key && (key.len <= EXACT || *long[*number as usize] == *bytes)
            },
            |(key, _)| key.hash(),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => found.get().1,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                self.id = NEXT_TABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let number = self.count;
                self.count = number.checked_add(1).expect("fewer than 2^32 tokens");
                slot.insert((key, number));
                if key.len > EXACT {
                    self.long.resize(number as usize, Box::default());
                    self.long.push(bytes.into());
                }
                if self.count as usize * FILTER_BITS_PER_TOKEN > self.filter.bits() {
                    self.rebuild_filters();
                } else {
                    self.filter.set(key.hash());
                    let forms = &mut self.forms;
                    form_hashes(bytes, |hash| forms.set(hash));
                }
                number
            }
        }
    }

    /// The folded tokens, in number order (for a compiled gazetteer): a key
    /// of up to [`EXACT`] bytes is the token itself, its first eight bytes
    /// and its last eight.
    pub(super) fn folded_tokens(&self) -> Vec<Vec<u8>> {
        let mut tokens = vec![Vec::new(); self.count as usize];
        for (key, number) in self.slots.iter() {
            let bytes = if key.len > EXACT {
                self.long[*number as usize].to_vec()
            } else {
                let head = key.head.to_le_bytes();
                let tail = key.tail.to_le_bytes();
                let mut bytes = head[..key.len.min(8)].to_vec();
                if key.len > 8 {
                    bytes.extend_from_slice(&tail[16 - key.len..]);
                }
                bytes
            };
            tokens[*number as usize] = bytes;
        }
        tokens
    }

    /// Marks token `number` as a start: every answer for it or for a token
    /// it is the stem of says so ([`Looked::starts`]).
    pub(super) fn mark_start(&mut self, number: u32) {
        assert!(number < self.count, "token {number} is in the table");
        if self.starts.insert(number as usize) {
            self.id = NEXT_TABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Marks token `number` as a role word: every answer for it says so
    /// ([`Looked::role`]).
    pub(super) fn mark_role(&mut self, number: u32) {
        assert!(number < self.count, "token {number} is in the table");
        if self.roles.insert(number as usize) {
            self.id = NEXT_TABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The numbers of the tokens marked as role words, in order.
    pub(super) fn role_numbers(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.count).filter(|&number| self.roles.contains(number as usize))
    }

    /// True when token `number` (or [`NONE`]) is marked as a start.
    #[inline]
    fn is_start(&self, number: u32) -> bool {
        self.starts.contains(number as usize)
    }

    /// The number of the folded token `folded`, or [`NONE`].
    #[cfg(test)]
    pub(super) fn get(&self, folded: &str) -> u32 {
        let bytes = folded.as_bytes();
        self.find(&Key::of(bytes, bytes.len(), false), bytes)
    }

    /// The number of the token with key `key`, or [`NONE`]. `folded` starts
    /// with the token's bytes, which are compared only when the key is
    /// longer than [`EXACT`] bytes.
    #[inline]
    fn find(&self, key: &Key, folded: &[u8]) -> u32 {
        self.find_hashed(key.hash(), key, folded)
    }

    /// [`TokenTable::find`] with the key's hash.
    #[inline]
    fn find_hashed(&self, hash: u64, key: &Key, folded: &[u8]) -> u32 {
        if !self.may_hold(hash) {
            return NONE;
        }
        let long = &self.long;
        self.slots
            .find(hash, |(other, number)| {
                other == key && (key.len <= EXACT || *long[*number as usize] == folded[..key.len])
            })
            .map_or(NONE, |(_, number)| *number)
    }

    #[inline]
    fn may_hold(&self, hash: u64) -> bool {
        self.filter.may_hold(hash)
    }

    /// Sizes the filters for the tokens there are (doubling) and sets their
    /// bits.
    fn rebuild_filters(&mut self) {
        let count = self.count as usize;
        self.filter = Filter::with_bits(count * FILTER_BITS_PER_TOKEN);
        self.forms = Filter::with_bits(count * FORM_BITS_PER_TOKEN);
        for bytes in self.folded_tokens() {
            self.filter.set(Key::of(&bytes, bytes.len(), false).hash());
            let forms = &mut self.forms;
            form_hashes(&bytes, |hash| forms.set(hash));
        }
    }

    /// [`TokenTable::look_up_kept`] for one token, with any `scratch`.
    #[cfg(test)]
    pub(super) fn look_up(&self, text: &str, span: Span, scratch: &mut LookUp) -> Looked {
        self.keep_answers_in(scratch);
        self.look_up_kept(text, span, scratch)
    }

    /// Looks up the tokens at `spans` in `text`, each as
    /// [`TokenTable::look_up_kept`] does, into `out`; `scratch` is made this
    /// table's once for all of them.
    #[inline]
    pub(super) fn look_up_all(
        &self,
        text: &str,
        spans: impl Iterator<Item = Span>,
        scratch: &mut LookUp,
        out: &mut Vec<Looked>,
    ) {
        self.keep_answers_in(scratch);
        out.extend(spans.map(|span| self.look_up_kept(text, span, scratch)));
    }

    /// Drops the answers `scratch` keeps when they are not this table's.
    #[inline]
    fn keep_answers_in(&self, scratch: &mut LookUp) {
        if scratch.table != self.id {
            scratch.forget(self.id);
        }
    }

    /// Looks up the token `text[span]`, folded, and its stems: the token
    /// less a genitive `s`, `es`, `'s`, `'` or a dative `n`. `scratch` keeps
    /// recent answers (it must hold this table's: [`TokenTable::keep_answers_in`])
    /// and holds the folded token when it is not ASCII or is long.
    #[inline]
    fn look_up_kept(&self, text: &str, span: Span, scratch: &mut LookUp) -> Looked {
        let len = span.len();
        let raw = &text.as_bytes()[span.start..];
        if len > EXACT || len == 0 {
            // A long ASCII word folds to its lowercase, so its hash is that
            // of its key read lowercased from the text: most such words are
            // answered on the filter of forms without folding them.
            let token = &raw[..len];
            if len > EXACT
                && token.is_ascii()
                && !self.forms.may_hold(Key::of(token, len, true).hash())
            {
                return Looked::NOTHING;
            }
            return self.look_up_folding(span.slice(text), &mut scratch.folded);
        }
        // Up to EXACT bytes the key is the whole token as it is written: an
        // equal key is the same token, and the answer kept for it holds.
        // Only a token not kept is lowercased (an ASCII one, its folded
        // form) or folded.
        let key = Key::of(raw, len, false);
        let slot = key.recent_slot();
        if scratch.recent[slot].0 == key {
            return scratch.recent[slot].1;
        }
        let looked = if (key.head | key.tail) & HIGH == 0 {
            let lower = Key {
                len,
                head: lowercase(key.head),
                tail: lowercase(key.tail),
            };
            self.look_up_folded(lower, lower.hash(), raw, true)
        } else {
            self.look_up_folding(span.slice(text), &mut scratch.folded)
        };
        scratch.recent[slot] = (key, looked);
        looked
    }

    /// [`TokenTable::look_up_kept`] for a token that is folded first, into
    /// `folded`.
    fn look_up_folding(&self, token: &str, folded: &mut String) -> Looked {
        folded.clear();
        fold_into(token, folded);
        let bytes = folded.as_bytes();
        let key = Key::of(bytes, bytes.len(), false);
        self.look_up_folded(key, key.hash(), bytes, false)
    }

    /// [`TokenTable::look_up_kept`] for the token of key `key` (of hash `hash`),
    /// folded into `bytes[..key.len]` (or ASCII to be lowercased, with
    /// `lower`).
    #[inline(always)]
    fn look_up_folded(&self, key: Key, hash: u64, bytes: &[u8], lower: bool) -> Looked {
        let mut looked = Looked::NOTHING;
        let len = key.len;
        // Most words looked up here (not among the recent ones) are no
        // token and have no token for a stem.
        if len == 0 || !self.forms.may_hold(hash) {
            return looked;
        }
        looked.number = self.find_hashed(hash, &key, bytes);
        looked.starts = self.is_start(looked.number);
        looked.role = self.roles.contains(looked.number as usize);
        let (last, before) = key.last_two();
        let cuts: [Option<(u8, Ending)>; 2] = match last {
            b's' => [
                (len > 2 && (before == b'\'' || before == b'e')).then_some((2, Ending::Genitive)),
                Some((1, Ending::Genitive)),
            ],
            b'\'' => [Some((1, Ending::Genitive)), None],
            b'n' => [Some((1, Ending::DativeN)), None],
            _ => return looked,
        };
        let mut slot = 0;
        for (cut, ending) in cuts.into_iter().flatten() {
            if len <= usize::from(cut) {
                continue;
            }
            let stem = Key::of(bytes, len - usize::from(cut), lower);
            let number = self.find(&stem, bytes);
            if number != NONE {
                looked.stem_numbers[slot] = number;
                looked.stem_forms[slot] = Stem::packed(ending, cut);
                looked.starts |= self.is_start(number);
                slot += 1;
            }
        }
        looked
    }
}

/// How many answers a [`LookUp`] keeps, one per slot: most words of a text
/// are a few hundred common ones ("der", "und", ","), many of them tokens
/// of some name, each looked up again and again with its stems. At 40
/// bytes a slot the table is 80 KB a thread: larger than the first-level
/// cache, but a miss costs more than a slower hit (512 slots measured
/// slower than 1,024, and 1,024 slower than 2,048).
const RECENT: usize = 2048;
const _: () = assert!(
    RECENT.is_power_of_two(),
    "a slot is the top bits of a product"
);

/// What [`TokenTable::look_up_kept`] keeps from call to call (one per thread):
/// the answers for recent tokens of up to 16 bytes, keyed by their bytes as
/// written (so a kept answer is found before any lowercasing) in the slot
/// [`Key::recent_slot`] chooses, and a buffer for folding.
#[derive(Clone, Debug)]
pub(super) struct LookUp {
    /// The table the answers are from.
    table: u64,
    recent: Box<[(Key, Looked); RECENT]>,
    folded: String,
}

impl Default for LookUp {
    fn default() -> LookUp {
        LookUp {
            table: 0,
            recent: Box::new([(Key::default(), Looked::NOTHING); RECENT]),
            folded: String::new(),
        }
    }
}

impl LookUp {
    /// Drops the answers kept, which are not those of table `table`. An
    /// empty slot's key has length 0, which no looked-up key has.
    fn forget(&mut self, table: u64) {
        self.table = table;
        self.recent.fill((Key::default(), Looked::NOTHING));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::fold;

    #[test]
    fn lowercase_touches_only_capitals() {
        let all: Vec<u8> = (0..128).collect();
        for chunk in all.chunks(8) {
            let word = load(chunk, 0, chunk.len());
            let lowered = lowercase(word).to_le_bytes();
            for (index, &byte) in chunk.iter().enumerate() {
                assert_eq!(lowered[index], byte.to_ascii_lowercase(), "byte {byte}");
            }
        }
    }

    /// The size [`RECENT`]'s description gives.
    #[test]
    fn a_kept_answer_takes_40_bytes() {
        assert_eq!(std::mem::size_of::<Looked>(), 16);
        assert_eq!(std::mem::size_of::<(Key, Looked)>(), 40);
    }

    #[test]
    fn keys_tell_tokens_apart() {
        let mut table = TokenTable::default();
        let tokens = [
            "putin",
            "putins",
            "a",
            "ab",
            "bundesregierung",
            "bundesregierungen",
            "bundesregierungsx",
            "xbundesregierungs",
            "donaudampfschifffahrt",
            "donaudampfschiffahrt",
            "erdogan",
            "12345678",
            "123456789",
            "-",
            "'",
        ];
        let numbers: Vec<u32> = tokens.iter().map(|t| table.insert(t)).collect();
        for (token, number) in tokens.iter().zip(&numbers) {
            assert_eq!(table.get(token), *number, "{token}");
            assert_eq!(table.insert(token), *number, "{token} again");
        }
        assert_eq!(table.len(), tokens.len());
        for missing in [
            "",
            "b",
            "putinss",
            "bundesregierungsy",
            "donaudampfschifffahrts",
        ] {
            assert_eq!(table.get(missing), NONE, "{missing}");
        }
    }

    #[test]
    fn every_token_passes_the_filter_as_it_grows() {
        let mut table = TokenTable::default();
        let tokens: Vec<String> = (0..5000).map(|i| format!("token{i}")).collect();
        for (number, token) in tokens.iter().enumerate() {
            assert_eq!(table.insert(token) as usize, number);
        }
        for (number, token) in tokens.iter().enumerate() {
            assert_eq!(table.get(token) as usize, number, "{token}");
        }
        let missing = (5000..10_000)
            .filter(|i| table.get(&format!("token{i}")) == NONE)
            .count();
        assert_eq!(missing, 5000);
    }

    /// A word that is a token with an ending passes the filter of forms, as
    /// the table grows and in a table made at its size, so that its stem
    /// is found; the words that are neither are mostly answered on it.
    #[test]
    fn every_form_passes_the_filter_of_forms() {
        let tokens: Vec<String> = (0..3000).map(|i| format!("name{i}")).collect();
        let mut grown = TokenTable::default();
        let mut sized = TokenTable::with_capacity(tokens.len());
        for (number, token) in tokens.iter().enumerate() {
            assert_eq!(grown.insert(token) as usize, number);
            assert_eq!(sized.insert(token) as usize, number);
        }
        for table in [&grown, &sized] {
            assert!(table.forms.bits() >= tokens.len() * FORM_BITS_PER_TOKEN / 2);
            let mut scratch = LookUp::default();
            for (number, token) in tokens.iter().enumerate() {
                for ending in ENDINGS {
                    let word = format!("{token}{}", std::str::from_utf8(ending).unwrap());
                    let hash = Key::of(word.as_bytes(), word.len(), false).hash();
                    assert!(table.forms.may_hold(hash), "{word}");
                    let looked = table.look_up(&word, Span::new(0, word.len()), &mut scratch);
                    assert!(
                        looked.stems().any(|stem| stem.number as usize == number),
                        "{word}"
                    );
                }
            }
            let passing = (0..10_000)
                .map(|i| format!("wort{i}"))
                .filter(|word| {
                    table
                        .forms
                        .may_hold(Key::of(word.as_bytes(), word.len(), false).hash())
                })
                .count();
            assert!(passing < 2_000, "{passing} of 10,000 other words pass");
        }
    }

    /// A word longer than a key's exact bytes, ASCII or not, is found with
    /// its stems whatever its case, and a long word of no token is not.
    #[test]
    fn long_words_are_found_with_their_stems() {
        let mut table = TokenTable::default();
        let ministry = table.insert("bundesaussenministerium");
        let umlaut = table.insert(&fold("Außenministeriumsgebäude"));
        let mut scratch = LookUp::default();
        let mut look = |word: &str| table.look_up(word, Span::new(0, word.len()), &mut scratch);
        assert_eq!(look("Bundesaussenministerium").number, ministry);
        assert_eq!(look("BUNDESAUSSENMINISTERIUM").number, ministry);
        let genitive = look("Bundesaussenministeriums");
        assert_eq!(genitive.number, NONE);
        let stems: Vec<u32> = genitive.stems().map(|stem| stem.number).collect();
        assert_eq!(stems, [ministry]);
        let stems: Vec<u32> = look("Außenministeriumsgebäudes")
            .stems()
            .map(|stem| stem.number)
            .collect();
        assert_eq!(stems, [umlaut]);
        assert_eq!(look("Bundesaussenministerin"), Looked::NOTHING);
        assert_eq!(look("Landwirtschaftsministerium"), Looked::NOTHING);
    }

    /// The answers a scratch keeps are never those of another table, or of
    /// the same table before a token was added.
    #[test]
    fn kept_answers_belong_to_their_table() {
        let mut scratch = LookUp::default();
        let look = |table: &TokenTable, text: &str, scratch: &mut LookUp| {
            table
                .look_up(text, Span::new(0, text.len()), scratch)
                .number
        };
        let mut first = TokenTable::default();
        assert_eq!(look(&first, "Putin", &mut scratch), NONE);
        let putin = first.insert("putin");
        assert_eq!(look(&first, "Putin", &mut scratch), putin);
        let mut second = TokenTable::default();
        second.insert("erdogan");
        let putin_there = second.insert("putin");
        assert_ne!(putin, putin_there);
        assert_eq!(look(&second, "Putin", &mut scratch), putin_there);
        assert_eq!(look(&first, "Erdogan", &mut scratch), NONE);
        assert_eq!(look(&second, "Erdogan", &mut scratch), 0);
        assert_eq!(look(&first, "Putin", &mut scratch), putin);
        // A clone answers as its original until it grows.
        let mut grown = first.clone();
        assert_eq!(look(&grown, "Erdogan", &mut scratch), NONE);
        assert_eq!(look(&grown, "Erdoğan", &mut scratch), NONE);
        let erdogan = grown.insert("erdogan");
        assert_eq!(look(&grown, "Erdogan", &mut scratch), erdogan);
        assert_eq!(look(&grown, "Erdoğan", &mut scratch), erdogan);
        assert_eq!(look(&first, "Erdoğan", &mut scratch), NONE);
        assert_eq!(look(&first, "Erdogan", &mut scratch), NONE);
    }

    /// A token marked as a role word is answered so in any case and
    /// however it is looked up (kept, ASCII, folded, long); its stems and
    /// the words it is the stem of are not; an answer kept before the
    /// mark is not given again.
    #[test]
    fn role_marks_are_answered_for_the_token_itself() {
        let mut table = TokenTable::default();
        let putin = table.insert("putin");
        let minister = table.insert(&fold("Außenminister"));
        let long = table.insert(&fold("Bundesaußenministerinnen"));
        let mut scratch = LookUp::default();
        let role = |table: &TokenTable, text: &str, scratch: &mut LookUp| {
            table
                .look_up(text, Span::new(0, text.len()), scratch)
                .role()
        };
        assert!(!role(&table, "Außenminister", &mut scratch));
        table.mark_role(minister);
        table.mark_role(long);
        for word in [
            "Außenminister",
            "AUSSENMINISTER",
            "aussenminister",
            "Außenminister",
            "Bundesaußenministerinnen",
            "BUNDESAUSSENMINISTERINNEN",
        ] {
            assert!(role(&table, word, &mut scratch), "{word}");
        }
        for word in [
            "Außenministers",
            "Außenministe",
            "Putin",
            "Putins",
            "Bundesaußenministerin",
        ] {
            assert!(!role(&table, word, &mut scratch), "{word}");
        }
        assert_eq!(table.role_numbers().collect::<Vec<_>>(), [minister, long]);
        table.mark_role(putin);
        assert!(role(&table, "Putin", &mut scratch));
        assert_eq!(
            table.role_numbers().collect::<Vec<_>>(),
            [putin, minister, long]
        );
    }

    #[test]
    fn look_up_folds_and_finds_stems() {
        let mut table = TokenTable::default();
        let putin = table.insert("putin");
        let erdogan = table.insert("erdogan");
        let paris = table.insert("paris");
        let niederlande = table.insert("niederlande");
        let aussenministerium = table.insert("aussenministeriums");
        let mut scratch = LookUp::default();
        let look = |text: &str, scratch: &mut LookUp| {
            // The token is the text less a trailing word, so loads run on.
            let end = text.find(' ').unwrap_or(text.len());
            table.look_up(text, Span::new(0, end), scratch)
        };
        let stems = |looked: Looked| -> Vec<(u32, Ending, u8)> {
            looked
                .stems()
                .map(|s| (s.number, s.ending, s.cut))
                .collect()
        };
        let putins = look("Putins Rede", &mut scratch);
        assert_eq!(putins.number, NONE);
        assert_eq!(stems(putins), [(putin, Ending::Genitive, 1)]);
        assert!(!putins.starts());
        // Marked as a start, Putin's stem starts "Putins" too; the answer
        // kept before the mark is not given again.
        let mut marked = table.clone();
        marked.mark_start(putin);
        let putins = marked.look_up("Putins", Span::new(0, 6), &mut scratch);
        assert!(putins.starts());
        assert!(
            !marked
                .look_up("Erdogans", Span::new(0, 8), &mut scratch)
                .starts()
        );
        assert!(
            !marked
                .look_up("Putinx", Span::new(0, 6), &mut scratch)
                .starts()
        );
        assert_eq!(look("PUTIN", &mut scratch).number, putin);
        let erdogans = look("Erdoğans", &mut scratch);
        assert_eq!(stems(erdogans), [(erdogan, Ending::Genitive, 1)]);
        assert_eq!(
            stems(look("Paris'", &mut scratch)),
            [(paris, Ending::Genitive, 1)]
        );
        assert_eq!(
            stems(look("Niederlanden", &mut scratch)),
            [(niederlande, Ending::DativeN, 1)]
        );
        assert_eq!(
            look("Außenministeriums", &mut scratch).number,
            aussenministerium
        );
        assert_eq!(look("Putin's", &mut scratch).number, NONE);
        assert_eq!(
            stems(look("Putin's", &mut scratch)),
            [(putin, Ending::Genitive, 2)]
        );
        assert_eq!(stems(look("s", &mut scratch)), []);
    }

    /// Every way of writing a token finds what the folded string finds.
    #[test]
    fn look_up_agrees_with_folding() {
        let names = [
            "Zusammenarbeit",
            "Präsident",
            "Bundesaußenministerium",
            "Çavuşoğlu",
            "Lawrow",
            "Straße",
            "Konfliktparteien",
        ];
        let mut table = TokenTable::default();
        for name in names {
            table.insert(&fold(name));
        }
        let mut scratch = LookUp::default();
        for text in [
            "Zusammenarbeit",
            "ZUSAMMENARBEIT",
            "zusammenarbeit",
            "Lawrow",
            "LAWROW",
            "lawrow",
            "Präsidenten",
            "PRÄSIDENT",
            "Bundesaussenministerium",
            "Bundesaußenministeriums",
            "Cavusoglus",
            "Lawrows",
            "STRASSE",
            "Konfliktparteien",
            "Konfliktparteie",
            "x",
        ] {
            let looked = table.look_up(text, Span::new(0, text.len()), &mut scratch);
            let folded = fold(text);
            let expected = table.get(&folded);
            assert_eq!(looked.number, expected, "{text}");
            for stem in looked.stems() {
                assert_eq!(
                    table.get(&folded[..folded.len() - usize::from(stem.cut)]),
                    stem.number,
                    "{text}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Looking a token up straight from the text finds what folding it
        /// and looking the folded string up finds, stems included, for
        /// tokens of any length, case and script, at any place in the text.
        #[test]
        fn look_up_is_folding_then_lookup(
            names in proptest::collection::vec("[a-zA-ZäöüßÄÖÜçğşı'\u{ad}-]{1,24}", 1..20),
            token in "[a-zA-ZäöüßÄÖÜçğşı'\u{ad}-]{1,24}",
            before in "[ a-z]{0,3}",
            after in "[ a-z]{0,9}",
            marks in proptest::collection::vec(proptest::bool::ANY, 24),
        ) {
            let mut table = TokenTable::default();
            let mut reference = std::collections::HashMap::new();
            for name in &names {
                let folded = fold(name);
                if !folded.is_empty() {
                    let number = table.insert(&folded);
                    reference.entry(folded).or_insert(number);
                }
            }
            // The token as a name too, less an ending, so that stems are found.
            let folded = fold(&token);
            for cut in 0..3.min(folded.len()) {
                if let Some(stem) = folded.get(..folded.len() - cut).filter(|s| !s.is_empty()) {
                    let number = table.insert(stem);
                    reference.entry(stem.to_string()).or_insert(number);
                }
            }
            // Some tokens marked as starts, by number.
            let marked: Vec<u32> = (0..table.count)
                .filter(|&number| marks[number as usize % marks.len()])
                .collect();
            for &number in &marked {
                table.mark_start(number);
            }
            let text = format!("{before}{token}{after}");
            let span = Span::new(before.len(), before.len() + token.len());
            let mut scratch = LookUp::default();
            let looked = table.look_up(&text, span, &mut scratch);
            // Again, answered from what the scratch kept, alone and among
            // the text's other spans.
            proptest::prop_assert_eq!(table.look_up(&text, span, &mut scratch), looked);
            let mut all = Vec::new();
            let spans = [Span::new(0, span.start), span, Span::new(span.end, text.len()), span];
            table.look_up_all(&text, spans.into_iter(), &mut scratch, &mut all);
            proptest::prop_assert_eq!(all[1], looked);
            proptest::prop_assert_eq!(all[3], looked);
            let get = |key: &str| reference.get(key).copied().unwrap_or(NONE);
            proptest::prop_assert_eq!(looked.number, get(&folded));
            let mut expected = Vec::new();
            let bytes = folded.as_bytes();
            let n = bytes.len();
            let last = bytes.last().copied();
            let before_last = if n >= 2 { bytes[n - 2] } else { 0 };
            let mut cuts = Vec::new();
            if last == Some(b's') && n > 2 && (before_last == b'\'' || before_last == b'e') {
                cuts.push((2, Ending::Genitive));
            }
            if last == Some(b's') && n > 1 {
                cuts.push((1, Ending::Genitive));
            }
            if last == Some(b'\'') && n > 1 {
                cuts.push((1, Ending::Genitive));
            }
            if last == Some(b'n') && n > 1 {
                cuts.push((1, Ending::DativeN));
            }
            for (cut, ending) in cuts {
                let number = get(&folded[..n - cut]);
                if number != NONE {
                    expected.push((number, ending, cut as u8));
                }
            }
            let starts = std::iter::once(looked.number)
                .chain(expected.iter().map(|&(number, _, _)| number))
                .any(|number| marked.contains(&number));
            let found: Vec<(u32, Ending, u8)> =
                looked.stems().map(|s| (s.number, s.ending, s.cut)).collect();
            proptest::prop_assert_eq!(found, expected);
            proptest::prop_assert_eq!(looked.starts(), starts);
        }
    }
}
