//! Sets of small numbers as bits: token positions, token numbers.
//!
//! The stages pass over every token of a sentence to find the few that
//! matter: the tokens that start a name, two capitalized words side by side.
//! Whether a token is one of them is as good as random to the processor,
//! so a test and a jump per token costs a mispredicted branch every few
//! tokens. A [`Positions`] is filled from a test per token without a jump
//! and then visits only the positions in it, in increasing order.

/// A set of positions (from 0), a bit each, reused from sentence to
/// sentence.
#[derive(Clone, Debug, Default)]
pub(crate) struct Positions {
    words: Vec<u64>,
}

impl Positions {
    /// Adds `at`, making room for it; false when it was in the set already.
    pub(crate) fn insert(&mut self, at: usize) -> bool {
        let (word, bit) = (at / 64, 1u64 << (at % 64));
        if self.words.len() <= word {
            self.words.resize(word + 1, 0);
        }
        let new = self.words[word] & bit == 0;
        self.words[word] |= bit;
        new
    }

    /// True when `at` is in the set.
    #[inline]
    pub(crate) fn contains(&self, at: usize) -> bool {
        self.words
            .get(at / 64)
            .is_some_and(|word| word & (1 << (at % 64)) != 0)
    }

    /// Makes the set the positions whose test in `members` (one per
    /// position, from 0) is true.
    #[inline]
    pub(crate) fn fill(&mut self, members: impl IntoIterator<Item = bool>) {
        self.words.clear();
        let (mut word, mut bit) = (0u64, 0);
        for member in members {
            word |= u64::from(member) << bit;
            bit += 1;
            if bit == 64 {
                self.words.push(word);
                (word, bit) = (0, 0);
            }
        }
        if bit > 0 {
            self.words.push(word);
        }
    }

    /// The first position in the set that is `from` or more.
    #[inline]
    pub(crate) fn from(&self, from: usize) -> Option<usize> {
        let mut index = from / 64;
        let mut word = self.words.get(index)? & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                return Some(index * 64 + word.trailing_zeros() as usize);
            }
            index += 1;
            word = *self.words.get(index)?;
        }
    }

    /// The positions in the set, in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(index, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    index * 64 + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The set holds exactly the positions whose test was true, however
        /// many there are and wherever the words of bits end, and asked
        /// from any position it finds the first one there or after.
        #[test]
        fn positions_are_the_true_tests(
            tests in proptest::collection::vec(proptest::bool::weighted(0.2), 0..300),
            from in 0usize..320,
        ) {
            let mut positions = Positions::default();
            // Filled over a longer set first: nothing of it may remain.
            positions.fill(std::iter::repeat_n(true, 400));
            positions.fill(tests.iter().copied());
            let expected: Vec<usize> = (0..tests.len()).filter(|&i| tests[i]).collect();
            proptest::prop_assert_eq!(positions.iter().collect::<Vec<_>>(), expected.clone());
            let first = expected.iter().copied().find(|&i| i >= from);
            proptest::prop_assert_eq!(positions.from(from), first);
            // The same set made one position at a time.
            let mut inserted = Positions::default();
            for &at in expected.iter().rev() {
                proptest::prop_assert!(inserted.insert(at));
                proptest::prop_assert!(!inserted.insert(at));
            }
            for at in 0..tests.len() + 70 {
                proptest::prop_assert_eq!(inserted.contains(at), tests.get(at) == Some(&true));
            }
            proptest::prop_assert_eq!(inserted.iter().collect::<Vec<_>>(), expected);
        }
    }
}
