//! Automata compiled ahead of time: a pattern's DFA, determinized by a test
//! and embedded in the binary, so that a start reads it in place instead of
//! compiling the pattern (milliseconds for the date grammar, the tense
//! markers and the page-furniture openings, at every start).
//!
//! A file holds a sparse DFA serialized little-endian, then the
//! [`checksum`] of those bytes (eight bytes, little-endian). It is taken
//! only when the checksum holds and regex-automata reads its header (its
//! byte order and format version); otherwise the caller compiles the
//! pattern as before. Each file has a test ([`check`]) that determinizes
//! the pattern and compares, and writes the file anew with
//! `UPDATE_GOLDEN=1`; the same test checks that every transition holds, so
//! the start need not (which would cost about as much as compiling).

use regex_automata::dfa::{dense, sparse};

use crate::checksum::checksum;

/// A file's bytes placed where a dense DFA's `u32` transitions can be read
/// from in place: `static FILE: &Aligned<[u8]> = &Aligned(*include_bytes!(…))`.
#[repr(C, align(8))]
pub(crate) struct Aligned<B: ?Sized>(pub(crate) B);

/// The DFA `file` holds, or `None` when it is damaged, cut or of another
/// byte order or format.
pub(crate) fn load(file: &'static [u8]) -> Option<sparse::DFA<&'static [u8]>> {
    let bytes = summed(file)?;
    // SAFETY: `bytes` are what `to_bytes_little_endian` wrote for a sparse
    // DFA: the file is embedded in the binary, its checksum holds, and its
    // test (`check`) compares it with that serialization of the pattern's
    // DFA and validates every transition with `from_bytes`. The header,
    // the byte order and the format version are still checked here.
    let (dfa, _) = unsafe { sparse::DFA::from_bytes_unchecked(bytes) }.ok()?;
    Some(dfa)
}

/// The dense DFA `file` holds (a file as [`load`] reads, of a dense DFA's
/// bytes), or `None` when it is damaged, cut, of another byte order or
/// format, or not at an address its transitions can be read from.
pub(crate) fn load_dense(file: &'static [u8]) -> Option<dense::DFA<&'static [u32]>> {
    let bytes = summed(file)?;
    // SAFETY: as in `load`: the bytes are what `to_bytes_little_endian`
    // wrote for a dense DFA, their checksum holds, and their test
    // (`check_dense`) validates them with `from_bytes`. The header, the
    // byte order, the format version and the alignment are still checked
    // here.
    let (dfa, _) = unsafe { dense::DFA::from_bytes_unchecked(bytes) }.ok()?;
    Some(dfa)
}

/// The bytes of `file` before its checksum, when the checksum holds.
fn summed(file: &[u8]) -> Option<&[u8]> {
    let (bytes, sum) = file.split_last_chunk::<8>()?;
    (checksum(bytes) == u64::from_le_bytes(*sum)).then_some(bytes)
}

/// Checks that `file` (embedded from `path`, relative to the crate) holds
/// `dfa`, and that it loads; with `UPDATE_GOLDEN` set, writes it instead
/// and returns false (what is embedded is then the old file).
#[cfg(test)]
#[must_use]
pub(crate) fn check(dfa: &dense::DFA<Vec<u32>>, file: &'static [u8], path: &str) -> bool {
    let sparse = dfa.to_sparse().expect("the DFA has a sparse form");
    check_file(
        &sparse.to_bytes_little_endian(),
        file,
        path,
        |bytes| sparse::DFA::from_bytes(bytes).is_ok(),
        || load(file).is_some(),
    )
}

/// [`check`] for a file that holds `dfa` dense, read by [`load_dense`]
/// (`file` must be [`Aligned`]).
#[cfg(test)]
#[must_use]
pub(crate) fn check_dense(dfa: &dense::DFA<Vec<u32>>, file: &'static [u8], path: &str) -> bool {
    let (bytes, padding) = dfa.to_bytes_little_endian();
    check_file(
        &bytes[padding..],
        file,
        path,
        |bytes| dense::DFA::from_bytes(bytes).is_ok(),
        || load_dense(file).is_some(),
    )
}

/// Checks that `file` (embedded from `path`) is `bytes` and their
/// checksum, that `valid` holds for them (every transition checked) and
/// that the file `loads`; with `UPDATE_GOLDEN` set, writes them instead and
/// returns false.
#[cfg(test)]
fn check_file(
    bytes: &[u8],
    file: &[u8],
    path: &str,
    valid: impl Fn(&[u8]) -> bool,
    loads: impl Fn() -> bool,
) -> bool {
    let expected = file_of(bytes);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::write(&full, &expected).expect("the automaton is written");
        return false;
    }
    assert!(
        expected == file,
        "{path} is not what its pattern compiles to: run \
         `UPDATE_GOLDEN=1 cargo test --lib compiled_ahead` and commit it"
    );
    assert!(
        valid(&file[..file.len() - 8]),
        "every transition of {path} holds"
    );
    if cfg!(target_endian = "little") {
        assert!(loads(), "{path} loads");
    }
    true
}

/// The DFA of `nfa` for anchored searches, as the files of anchored
/// patterns hold it.
#[cfg(test)]
pub(crate) fn anchored(nfa: &regex_automata::nfa::thompson::NFA) -> dense::DFA<Vec<u32>> {
    use regex_automata::dfa::StartKind;
    dense::Builder::new()
        .configure(dense::Config::new().start_kind(StartKind::Anchored))
        .build_from_nfa(nfa)
        .expect("the pattern determinizes")
}

/// A file of `bytes` (a DFA's serialization): the bytes and their checksum.
#[cfg(test)]
fn file_of(bytes: &[u8]) -> Vec<u8> {
    let mut file = bytes.to_vec();
    let sum = checksum(&file);
    file.extend_from_slice(&sum.to_le_bytes());
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::dfa::Automaton;
    use regex_automata::{HalfMatch, Input};

    /// A damaged or cut file is not taken.
    #[test]
    fn damaged_and_cut_files_are_not_taken() {
        let dfa = dense::DFA::new("[0-9]+").expect("the pattern compiles");
        let sparse = dfa.to_sparse().expect("the DFA has a sparse form");
        let file = file_of(&sparse.to_bytes_little_endian());
        let file: &'static [u8] = Box::leak(file.into_boxed_slice());
        let loaded = load(file).expect("a whole file loads");
        assert_eq!(
            loaded
                .try_search_fwd(&Input::new("ab123c"))
                .expect("a search"),
            Some(HalfMatch::must(0, 5))
        );
        let mut flipped = file.to_vec();
        flipped[file.len() / 2] ^= 0x40;
        assert!(load(Box::leak(flipped.into_boxed_slice())).is_none());
        assert!(load(&file[..file.len() - 1]).is_none());
        assert!(load(&file[..7]).is_none());
        assert!(load(&[]).is_none());
    }
}
