//! Which cue-word stems a sentence holds, found by one automaton run over
//! the sentence in two interleaved halves.
//!
//! Every byte of every sentence passes through this scan, and a DFA scan is
//! bound by its chain of transitions: each state depends on the one before.
//! Two halves of the sentence scanned side by side are two independent
//! chains, which the processor runs in parallel (about 1.5 times the speed
//! of one). The first half runs on past the middle by the longest stem less
//! one byte, so a stem that straddles the middle is still found whole.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, dfa::DFA};

/// The stems found, as a bit per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Found {
    /// A stem of the first list.
    pub(super) first: bool,
    /// A stem of the second list.
    pub(super) second: bool,
}

/// Finds which of two lists of stems occur in a text, ASCII letters in any
/// case, anywhere (inside words too).
#[derive(Clone, Debug)]
pub(super) struct CueScanner {
    dfa: DFA,
    start: StateID,
    /// The patterns of the first list are numbered below this.
    first: usize,
    /// The longest stem, in bytes.
    longest: usize,
}

impl CueScanner {
    /// A scanner for the stems of `first` and `second`.
    pub(super) fn new(first: &[&str], second: &[&str]) -> CueScanner {
        let stems: Vec<&str> = first.iter().chain(second).copied().collect();
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&stems)
            .expect("cue stems build an automaton");
        let start = dfa
            .start_state(Anchored::No)
            .expect("the automaton searches unanchored");
        CueScanner {
            dfa,
            start,
            first: first.len(),
            longest: stems.iter().map(|stem| stem.len()).max().unwrap_or(1),
        }
    }

    /// The kinds of stem in `text`.
    pub(super) fn scan(&self, text: &str) -> Found {
        let bytes = text.as_bytes();
        let mut found = Found::default();
        // Too short to split: one run.
        if bytes.len() < 4 * self.longest {
            self.run(self.start, bytes, &mut found);
            return found;
        }
        let middle = bytes.len() / 2;
        let head = &bytes[..middle + self.longest - 1];
        let tail = &bytes[middle..];
        let (mut a, mut b) = (self.start, self.start);
        let common = head.len().min(tail.len());
        for (&x, &y) in head[..common].iter().zip(&tail[..common]) {
            a = self.dfa.next_state(Anchored::No, a, x);
            b = self.dfa.next_state(Anchored::No, b, y);
            self.note(a, &mut found);
            self.note(b, &mut found);
        }
        self.run(a, &head[common..], &mut found);
        self.run(b, &tail[common..], &mut found);
        found
    }

    /// Calls `each(end)` with the end (a byte offset into `text`) of every
    /// occurrence of a stem of the first list, in order. One plain run:
    /// for the few sentences [`CueScanner::scan`] finds a first-list stem in.
    pub(super) fn first_ends(&self, text: &str, mut each: impl FnMut(usize)) {
        let mut state = self.start;
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            state = self.dfa.next_state(Anchored::No, state, byte);
            let mut found = Found::default();
            self.note(state, &mut found);
            if found.first {
                each(at + 1);
            }
        }
    }

    /// Runs on from state `state` over `bytes`.
    fn run(&self, mut state: StateID, bytes: &[u8], found: &mut Found) {
        for &byte in bytes {
            state = self.dfa.next_state(Anchored::No, state, byte);
            self.note(state, found);
        }
    }

    /// Notes the stems that end at state `state`.
    #[inline]
    fn note(&self, state: StateID, found: &mut Found) {
        if self.dfa.is_special(state) && self.dfa.is_match(state) {
            for index in 0..self.dfa.match_len(state) {
                if self.dfa.match_pattern(state, index).as_usize() < self.first {
                    found.first = true;
                } else {
                    found.second = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let lower = text.to_ascii_lowercase();
        let expected = Found {
            first: FIRST.iter().any(|stem| lower.contains(stem)),
            second: SECOND.iter().any(|stem| lower.contains(stem)),
        };
        scanner.scan(&text) == expected
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
        let mut ends = Vec::new();
        scanner.first_ends(&text, |end| ends.push(end));
        let lower = text.to_ascii_lowercase();
        let expected: Vec<usize> = (1..=lower.len())
            .filter(|&end| {
                FIRST
                    .iter()
                    .any(|stem| lower.as_bytes()[..end].ends_with(stem.as_bytes()))
            })
            .collect();
        ends == expected
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
