//! Which cue-word stems a sentence holds, found by looking up a few bytes
//! at every other position of the sentence.
//!
//! Every byte of every sentence passes through this scan. Every stem is at
//! least `shortest` bytes long, so an occurrence starting at `s` covers
//! the windows of `width` bytes starting at `s`, `s + 1`, …,
//! `s + shortest - width`: with those windows of every stem in a small
//! table, looking at every `step`-th position (`step = shortest - width +
//! 1`) meets each occurrence once. The lookups do not depend on each other,
//! as an automaton's transitions do, so the processor runs several at once;
//! and only the positions whose window is in the table (about 4 % of those
//! looked at in German news) are compared with the stems.

/// The stems found, as a bit per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Found {
    /// A stem of the first list.
    pub(super) first: bool,
    /// A stem of the second list.
    pub(super) second: bool,
}

/// The longest window looked up, in bytes.
const MAX_WIDTH: usize = 3;

/// Each ASCII letter's case bit: a byte or-ed with it is a lowercase
/// letter exactly when the byte is a letter, in either case.
const CASE_BITS: u32 = 0x2020_2020;

/// A stem, with its first eight bytes as a masked word, to compare it with
/// the text in one step.
#[derive(Clone, Debug)]
struct Stem {
    bytes: Box<[u8]>,
    first: bool,
    /// The case bit at each of the first eight bytes that is a letter.
    case: u64,
    /// All bits of the first eight bytes (fewer for a shorter stem).
    mask: u64,
    /// The first eight bytes, lowercase, little-endian.
    head: u64,
}

impl Stem {
    fn new(stem: &str, first: bool) -> Stem {
        let bytes: Box<[u8]> = stem.as_bytes().into();
        let (mut case, mut mask, mut head) = (0, 0, 0);
        for (index, &byte) in bytes.iter().take(8).enumerate() {
            let shift = 8 * index;
            if byte.is_ascii_alphabetic() {
                case |= 0x20 << shift;
            }
            mask |= 0xFF << shift;
            head |= u64::from(byte.to_ascii_lowercase()) << shift;
        }
        Stem {
            bytes,
            first,
            case,
            mask,
            head,
        }
    }

    /// True when the stem stands in `bytes` at `start`, in any ASCII case.
    #[inline]
    fn is_at(&self, bytes: &[u8], start: usize) -> bool {
        let Some(here) = bytes.get(start..start + self.bytes.len()) else {
            return false;
        };
        match bytes.get(start..start + 8) {
            Some(&[a, b, c, d, e, f, g, h]) => {
                let word = u64::from_le_bytes([a, b, c, d, e, f, g, h]);
                (word | self.case) & self.mask == self.head
                    && here[8.min(here.len())..]
                        .eq_ignore_ascii_case(&self.bytes[8.min(here.len())..])
            }
            _ => here.eq_ignore_ascii_case(&self.bytes),
        }
    }
}

/// A window of some stem: the stems it is the window of, and where.
#[derive(Clone, Debug)]
struct Entry {
    /// (stem, offset of the window in it), into [`CueScanner::stems`].
    candidates: Vec<(usize, usize)>,
}

/// Finds which of two lists of stems occur in a text, ASCII letters in any
/// case, anywhere (inside words too).
#[derive(Clone, Debug)]
pub(super) struct CueScanner {
    stems: Vec<Stem>,
    entries: Vec<Entry>,
    table: Table,
    /// Bytes in a window, 1 to [`MAX_WIDTH`].
    width: usize,
    /// The keys' bits: `width` bytes.
    mask: u32,
    /// Positions looked at: every `step`-th.
    step: usize,
}

impl CueScanner {
    /// A scanner for the stems of `first` and `second`; stems are not
    /// empty.
    pub(super) fn new(first: &[&str], second: &[&str]) -> CueScanner {
        let stems: Vec<Stem> = first
            .iter()
            .map(|stem| Stem::new(stem, true))
            .chain(second.iter().map(|stem| Stem::new(stem, false)))
            .collect();
        let shortest = stems.iter().map(|stem| stem.bytes.len()).min().unwrap_or(1);
        assert!(shortest > 0, "cue stems are not empty");
        let width = shortest.min(MAX_WIDTH);
        let step = shortest - width + 1;
        let mask = u32::MAX >> (32 - 8 * width);
        let mut keys: Vec<u32> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        for (index, stem) in stems.iter().enumerate() {
            for offset in 0..step {
                let key = (window(&stem.bytes, offset) | CASE_BITS) & mask;
                match keys.iter().position(|&known| known == key) {
                    Some(entry) => entries[entry].candidates.push((index, offset)),
                    None => {
                        keys.push(key);
                        entries.push(Entry {
                            candidates: vec![(index, offset)],
                        });
                    }
                }
            }
        }
        CueScanner {
            stems,
            entries,
            table: Table::new(&keys, width),
            width,
            mask,
            step,
        }
    }

    /// The kinds of stem in `text`.
    pub(super) fn scan(&self, text: &str) -> Found {
        let mut found = Found::default();
        self.each(text.as_bytes(), |stem, _| {
            if stem.first {
                found.first = true;
            } else {
                found.second = true;
            }
            found.first && found.second
        });
        found
    }

    /// The ends (byte offsets into `text`) of the occurrences of the stems
    /// of the first list, in order, each end once.
    pub(super) fn first_ends(&self, text: &str) -> Vec<usize> {
        let mut ends = Vec::new();
        self.each(text.as_bytes(), |stem, start| {
            if stem.first {
                ends.push(start + stem.bytes.len());
            }
            false
        });
        ends.sort_unstable();
        ends.dedup();
        ends
    }

    /// Calls `found(stem, start)` for each occurrence of a stem in `bytes`
    /// (in no particular order) until it returns true.
    fn each(&self, bytes: &[u8], mut found: impl FnMut(&Stem, usize) -> bool) {
        let mut at = 0;
        while let Some((here, entry)) = self.next_window(bytes, at) {
            for &(stem, offset) in &self.entries[entry].candidates {
                let stem = &self.stems[stem];
                if let Some(start) = here.checked_sub(offset)
                    && stem.is_at(bytes, start)
                    && found(stem, start)
                {
                    return;
                }
            }
            at = here + self.step;
        }
    }

    /// The first position from `at` on, in steps of `step`, whose window
    /// some stem has, and the window's entry.
    #[inline]
    fn next_window(&self, bytes: &[u8], at: usize) -> Option<(usize, usize)> {
        match self.step {
            1 => self.next_window_by::<1>(bytes, at),
            2 => self.next_window_by::<2>(bytes, at),
            3 => self.next_window_by::<3>(bytes, at),
            4 => self.next_window_by::<4>(bytes, at),
            _ => self.next_window_one_by_one(bytes, at),
        }
    }

    /// [`CueScanner::next_window`] for a step of `STEP`: every window
    /// that starts in the first five bytes of an eight-byte read is taken
    /// from that read.
    #[inline]
    fn next_window_by<const STEP: usize>(
        &self,
        bytes: &[u8],
        mut at: usize,
    ) -> Option<(usize, usize)> {
        let per_read = 4 / STEP + 1;
        while let Some(&[a, b, c, d, e, f, g, h]) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes([a, b, c, d, e, f, g, h]) | 0x2020_2020_2020_2020;
            for k in 0..per_read {
                let key = (word >> (8 * STEP * k)) as u32 & self.mask;
                if let Some(entry) = self.table.entry(key) {
                    return Some((at + STEP * k, entry));
                }
            }
            at += STEP * per_read;
        }
        self.next_window_one_by_one(bytes, at)
    }

    /// [`CueScanner::next_window`], one window at a time.
    fn next_window_one_by_one(&self, bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
        while at + self.width <= bytes.len() {
            let key = (window(bytes, at) | CASE_BITS) & self.mask;
            if let Some(entry) = self.table.entry(key) {
                return Some((at, entry));
            }
            at += self.step;
        }
        None
    }
}

/// The four bytes of `bytes` from `at`, little-endian, zeros past its end.
#[inline]
fn window(bytes: &[u8], at: usize) -> u32 {
    match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => bytes[at..]
            .iter()
            .rev()
            .fold(0, |word, &byte| (word << 8) | u32::from(byte)),
    }
}

/// A perfect multiplicative hash of the windows' keys (each at most
/// [`MAX_WIDTH`] bytes, so never [`Table::EMPTY`]).
#[derive(Clone, Debug)]
struct Table {
    /// The key in each slot, [`Table::EMPTY`] where none is.
    keys: Box<[u32]>,
    /// The entry of the key in each slot.
    entries: Box<[usize]>,
    multiplier: u32,
    shift: u32,
}

impl Table {
    const EMPTY: u32 = u32::MAX;

    /// The smallest table of at least 8 slots a key, for the first
    /// multiplier of a fixed sequence that makes no two keys share a slot.
    /// At `8 * width` bits the hash can be the key itself, so a table is
    /// always found.
    fn new(keys: &[u32], width: usize) -> Table {
        let key_bits = 8 * width as u32;
        let start = (keys.len() * 8).next_power_of_two().trailing_zeros().max(6);
        for bits in start.min(key_bits)..=key_bits {
            let mut multiplier: u32 = 0x9E37_79B1;
            for _ in 0..64 {
                if let Some(table) = Table::fill(keys, bits, multiplier) {
                    return table;
                }
                multiplier = multiplier
                    .wrapping_mul(0x2C1B_3C6D)
                    .wrapping_add(0x297A_2D3A)
                    | 1;
            }
        }
        // The key itself, shifted up and back.
        Table::fill(keys, key_bits, 1 << (32 - key_bits)).expect("keys of distinct bits")
    }

    /// The table of `keys` in `1 << bits` slots with `multiplier`, if no
    /// two keys share a slot.
    fn fill(keys: &[u32], bits: u32, multiplier: u32) -> Option<Table> {
        let mut table = Table {
            keys: vec![Table::EMPTY; 1 << bits].into(),
            entries: vec![0; 1 << bits].into(),
            multiplier,
            shift: 32 - bits,
        };
        for (entry, &key) in keys.iter().enumerate() {
            let slot = table.slot(key);
            if table.keys[slot] != Table::EMPTY {
                return None;
            }
            table.keys[slot] = key;
            table.entries[slot] = entry;
        }
        Some(table)
    }

    #[inline]
    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(self.multiplier) >> self.shift) as usize
    }

    /// The entry of `key`, when it is one of the keys.
    #[inline]
    fn entry(&self, key: u32) -> Option<usize> {
        let slot = self.slot(key);
        (self.keys.get(slot) == Some(&key)).then(|| self.entries[slot])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds of stem in `text`, by a plain search.
    fn plain_found(text: &str, first: &[&str], second: &[&str]) -> Found {
        let lower = text.to_ascii_lowercase();
        Found {
            first: first.iter().any(|stem| lower.contains(stem)),
            second: second.iter().any(|stem| lower.contains(stem)),
        }
    }

    /// The ends of the occurrences of `stems` in `lower`, by a plain search.
    fn plain_ends(lower: &str, stems: &[&str]) -> Vec<usize> {
        (1..=lower.len())
            .filter(|&end| {
                stems
                    .iter()
                    .any(|stem| lower.as_bytes()[..end].ends_with(stem.as_bytes()))
            })
            .collect()
    }

    /// The scan finds what a plain search finds, wherever the stems stand
    /// (across the middle too), in any ASCII case.
    #[quickcheck_macros::quickcheck]
    fn scan_agrees_with_a_plain_search(picks: Vec<u8>) -> bool {
        const FIRST: &[&str] = &["traf", "gespräch", "telefon"];
        const SECOND: &[&str] = &["teil", "vertret"];
        const PIECES: &[&str] = &[
            "traf",
            "TRAF",
            "Gespräch",
            "GESPRäCH",
            "telefon",
            "Teil",
            "vertret",
            "tei",
            "l",
            "tra",
            "f",
            " ",
            "x",
            "ä",
            "Ä",
            "gespr",
            "äch",
            "ver",
            "tret",
            "abcdefgh",
        ];
        let text = crate::test_text::from_picks(&picks, PIECES);
        let scanner = CueScanner::new(FIRST, SECOND);
        scanner.scan(&text) == plain_found(&text, FIRST, SECOND)
    }

    /// The ends reported are those of a plain search, overlapping ones too.
    #[quickcheck_macros::quickcheck]
    fn first_ends_agree_with_a_plain_search(picks: Vec<u8>) -> bool {
        const FIRST: &[&str] = &["traf", "raf", "gespräch", "telefon"];
        const PIECES: &[&str] = &[
            "traf",
            "TRAF",
            "Gespräch",
            "telefon",
            " ",
            "x",
            "ä",
            "tra",
            "f",
        ];
        let text = crate::test_text::from_picks(&picks, PIECES);
        let scanner = CueScanner::new(FIRST, &["teil"]);
        scanner.first_ends(&text) == plain_ends(&text.to_ascii_lowercase(), FIRST)
    }

    /// Whatever the shortest stem (and so the window and the step), the
    /// scan and the ends agree with a plain search, at the text's end too.
    #[quickcheck_macros::quickcheck]
    fn any_stem_lengths_agree_with_a_plain_search(picks: Vec<u8>, lists: u8) -> bool {
        const LISTS: &[(&[&str], &[&str])] = &[
            (&["a"], &["bc"]),
            (&["ab", "ba"], &["abc"]),
            (&["abc"], &["cab", "bcab"]),
            (&["abca"], &["bcaab"]),
            (&["abcab", "ä"], &["cabca"]),
            (&["abcab"], &["cabca", "bcabc"]),
            (&["abcabc"], &["bcabca"]),
            (&["abcabc"], &["bcabca", "äbc"]),
            (&["abcabcab"], &["cabcabca"]),
            (&["abcabcabcab"], &["bcabcabcabca"]),
        ];
        const PIECES: &[&str] = &["a", "B", "c", "ä", "Ä", " ", "abc", "CAB"];
        let (first, second) = LISTS[usize::from(lists) % LISTS.len()];
        let text = crate::test_text::from_picks(&picks, PIECES);
        let scanner = CueScanner::new(first, second);
        let lower = text.to_ascii_lowercase();
        let expected = plain_found(&text, first, second);
        scanner.scan(&text) == expected && scanner.first_ends(&text) == plain_ends(&lower, first)
    }

    #[test]
    fn the_contact_stems_hash_into_a_small_table() {
        let scanner = CueScanner::new(
            super::super::detector::CONTACT_STEMS,
            super::super::detector::JOIN_STEMS,
        );
        assert_eq!((scanner.width, scanner.step), (3, 2));
        assert!(
            scanner.table.keys.len() <= 1024,
            "{}",
            scanner.table.keys.len()
        );
    }

    #[test]
    fn a_stem_across_the_middle_is_found() {
        let scanner = CueScanner::new(&["telefonierte"], &["zz"]);
        for shift in 0..40 {
            let text = format!("{}telefonierte{}", "a".repeat(40 + shift), "b".repeat(60));
            assert!(scanner.scan(&text).first, "{shift}");
            assert!(!scanner.scan(&text).second, "{shift}");
        }
        assert_eq!(scanner.scan("nichts"), Found::default());
    }
}
