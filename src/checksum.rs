//! A checksum for the files newsgraph writes and reads back (compiled
//! gazetteers, the date grammar's automaton compiled ahead of time).

/// A checksum of `bytes`, eight at a time: the same on every platform.
pub(crate) fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut chunks = bytes.chunks_exact(8);
    let mut sum = bytes.len() as u64;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        sum = (sum ^ word).wrapping_mul(K).rotate_left(31);
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    (sum ^ u64::from_le_bytes(last)).wrapping_mul(K)
}
