//! Advice to the kernel on how to back a large buffer about to be filled.
//!
//! A page's first touch costs a fault (about 4 µs in a virtual machine),
//! so filling a buffer of megabytes costs more in faults than in writing.
//! Backed by huge pages (2 MB, where the system gives them on request:
//! transparent huge pages in `madvise` or `always` mode), it takes a fault
//! per 2 MB. Only buffers that are filled whole right away are worth it:
//! a huge page of which little is used is memory for nothing.

/// The least a buffer is worth advising for: one huge page.
const HUGE_PAGE: usize = 2 << 20;

/// Asks for the memory of `buffer`'s spare capacity (about to be filled)
/// to be backed by huge pages; nothing where the system has none to give
/// or for less than one.
pub(crate) fn prefer_huge_pages<T>(buffer: &mut Vec<T>) {
    let spare = buffer.spare_capacity_mut();
    advise(spare.as_ptr().cast::<u8>(), std::mem::size_of_val(spare));
}

/// `length` bytes on whole huge pages, to be filled from a file: the room
/// starts on a huge page's boundary and is advised to its last huge page,
/// so none of it takes small pages (where the system gives huge ones).
/// The bytes are zero until written: room asked for zeroed, which fresh
/// memory from the kernel already is, so that making it writes nothing
/// there and the room beyond the bytes is never touched.
pub(crate) struct AlignedBytes {
    room: Vec<u8>,
    start: usize,
    length: usize,
}

impl AlignedBytes {
    /// Room for `length` bytes, all zero.
    pub(crate) fn zeroed(length: usize) -> AlignedBytes {
        if length < HUGE_PAGE {
            return AlignedBytes {
                room: vec![0; length],
                start: 0,
                length,
            };
        }
        // A huge page's worth before the boundary at most, and the last
        // huge page whole: never written, so only address space.
        let room = vec![0; length + 2 * HUGE_PAGE];
        let start = room.as_ptr().align_offset(HUGE_PAGE).min(HUGE_PAGE);
        let advised = length.next_multiple_of(HUGE_PAGE);
        advise(room[start..].as_ptr(), advised.min(room.len() - start));
        AlignedBytes {
            room,
            start,
            length,
        }
    }
}

impl std::ops::Deref for AlignedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.room[self.start..self.start + self.length]
    }
}

impl std::ops::DerefMut for AlignedBytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.room[self.start..self.start + self.length]
    }
}

#[cfg(target_os = "linux")]
fn advise(start: *const u8, len: usize) {
    if len < HUGE_PAGE {
        return;
    }
    const PAGE: usize = 4096;
    let first = (start as usize).next_multiple_of(PAGE);
    let end = (start as usize + len) / PAGE * PAGE;
    if end <= first {
        return;
    }
    // SAFETY: the range lies inside memory this process owns (the
    // buffer's, rounded inward to whole pages), and the advice changes
    // only how the kernel backs it: it reads, writes and frees nothing.
    // An error (a system without the advice) changes nothing either.
    unsafe {
        libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_start: *const u8, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Aligned room holds exactly the bytes asked for, all zero, and what
    /// is written to it; the large room starts on a huge page's boundary.
    #[test]
    fn aligned_bytes_are_the_bytes_asked_for() {
        for length in [0, 1, 4096, HUGE_PAGE - 1, HUGE_PAGE, 3 * HUGE_PAGE + 17] {
            let mut bytes = AlignedBytes::zeroed(length);
            assert_eq!(bytes.len(), length);
            assert!(bytes.iter().all(|&byte| byte == 0));
            if length >= HUGE_PAGE {
                assert_eq!(bytes.as_ptr() as usize % HUGE_PAGE, 0, "{length}");
            }
            for (at, byte) in bytes.iter_mut().enumerate() {
                *byte = at as u8;
            }
            assert!(bytes.iter().enumerate().all(|(at, &byte)| byte == at as u8));
        }
    }

    /// The advice changes nothing of a buffer: its length, capacity and
    /// what is then written to it, for buffers of no, little and much
    /// spare room, of zero-sized elements, and partly filled.
    #[test]
    fn advice_leaves_buffers_as_they_are() {
        let mut large: Vec<u64> = Vec::with_capacity(3 * HUGE_PAGE / 8 + 3);
        large.push(7);
        let capacity = large.capacity();
        prefer_huge_pages(&mut large);
        assert_eq!((large.len(), large.capacity()), (1, capacity));
        large.extend(0..(capacity as u64 - 1));
        assert_eq!(large[0], 7);
        assert_eq!(large[capacity - 1], capacity as u64 - 2);
        let mut small: Vec<u8> = Vec::with_capacity(100);
        prefer_huge_pages(&mut small);
        assert_eq!((small.len(), small.capacity()), (0, 100));
        let mut none: Vec<u32> = Vec::new();
        prefer_huge_pages(&mut none);
        assert_eq!(none.capacity(), 0);
        let mut units: Vec<()> = vec![(); 5];
        prefer_huge_pages(&mut units);
        assert_eq!(units.len(), 5);
    }
}
