//! Text for property tests, made from pieces: a test lists the pieces
//! that matter to it (words, look-alikes, joiners) and the generator picks
//! among them, so short random input still reaches the cases that count.

/// The piece that `pick` chooses.
pub(crate) fn piece<'a>(pieces: &[&'a str], pick: u8) -> &'a str {
    pieces[usize::from(pick) % pieces.len()]
}

/// The pieces that `picks` choose, one after another.
pub(crate) fn from_picks(picks: &[u8], pieces: &[&str]) -> String {
    picks.iter().map(|&pick| piece(pieces, pick)).collect()
}
