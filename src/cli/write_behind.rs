//! Writing a file that will replace another, with its pages handed to the
//! disk as they are written.
//!
//! A file renamed over an existing one on ext4 (the default file system of
//! most Linux machines) has its delayed blocks allocated and its writeback
//! started inside the rename (the `auto_da_alloc` safeguard against empty
//! files after a crash), so the rename that puts a 20 MB graph in place of
//! the last one waits for all of it at the end of the run. Starting the
//! writeback of each few megabytes as soon as they are written
//! (`sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which does not wait for
//! the disk) does that work while the rest is still being written, and the
//! rename finds little left to do. On other systems, and for a new file,
//! this is a plain writer.

use std::io::{self, Write};

/// What the writer writes to: on Unix, a file descriptor.
#[cfg(unix)]
pub trait Descriptor: std::os::fd::AsFd {}
#[cfg(unix)]
impl<T: std::os::fd::AsFd> Descriptor for T {}
/// What the writer writes to.
#[cfg(not(unix))]
pub trait Descriptor {}
#[cfg(not(unix))]
impl<T> Descriptor for T {}

/// Bytes written between two starts of writeback.
const WRITE_BEHIND_BYTES: u64 = 2 << 20;

/// A writer that starts the writeback of what it has written every
/// [`WRITE_BEHIND_BYTES`], and of the rest when flushed, when it is on.
pub struct WriteBehind<W> {
    inner: W,
    /// Whether writeback is started at all.
    on: bool,
    /// Bytes written so far.
    written: u64,
    /// Bytes whose writeback has been started (the first ones).
    started: u64,
}

impl<W: Write + Descriptor> WriteBehind<W> {
    /// Writes to `inner` (a regular file, open for writing), starting its
    /// writeback as it goes when `on`: for a file that will replace
    /// another, where the rename would otherwise do it.
    pub fn new(inner: W, on: bool) -> WriteBehind<W> {
        WriteBehind {
            inner,
            on,
            written: 0,
            started: 0,
        }
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Starts the writeback of what was written since the last start.
    fn start_writeback(&mut self) {
        if self.on && self.written > self.started {
            start_writeback(&self.inner, self.started, self.written - self.started);
            self.started = self.written;
        }
    }
}

impl<W: Write + Descriptor> Write for WriteBehind<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.written += written as u64;
        if self.written - self.started >= WRITE_BEHIND_BYTES {
            self.start_writeback();
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()?;
        self.start_writeback();
        Ok(())
    }
}

/// Starts writing `len` bytes of `file` from `offset` to its disk, without
/// waiting. Advice only: an error (a file system without it) changes
/// nothing.
#[cfg(target_os = "linux")]
fn start_writeback(file: &impl std::os::fd::AsFd, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    let fd = file.as_fd().as_raw_fd();
    // SAFETY: the call reads and writes no memory of this process, and the
    // descriptor stays open while it runs (it is borrowed from `file`).
    unsafe {
        libc::sync_file_range(fd, offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &impl Descriptor, _offset: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// What is written arrives unchanged, on or off, in writes of any
    /// size across the step; every byte's writeback is started once
    /// flushed, in steps of at least the step before.
    #[test]
    fn writes_pass_through_and_writeback_follows() {
        let content: Vec<u8> = (0..(5 * WRITE_BEHIND_BYTES + 12_345))
            .map(|i| (i % 251) as u8)
            .collect();
        for on in [true, false] {
            for piece in [1_000, 65_536, 3 << 20] {
                let mut file = tempfile::tempfile().expect("a temporary file");
                let out = &mut WriteBehind::new(&mut file, on);
                let mut steps = Vec::new();
                for chunk in content.chunks(piece) {
                    out.write_all(chunk).expect("written");
                    if out.started > steps.last().copied().unwrap_or(0) {
                        steps.push(out.started);
                    }
                }
                out.flush().expect("flushed");
                assert_eq!(out.written, content.len() as u64);
                if on {
                    assert_eq!(out.started, out.written, "{piece}");
                    assert!(
                        steps.windows(2).all(|w| w[1] - w[0] >= WRITE_BEHIND_BYTES),
                        "{piece}: {steps:?}"
                    );
                    let least = content.len() as u64 / (piece as u64).max(WRITE_BEHIND_BYTES);
                    assert!(steps.len() as u64 >= least, "{piece}: {steps:?}");
                } else {
                    assert_eq!(out.started, 0);
                }
                let mut back = Vec::new();
                io::Seek::rewind(&mut file).expect("rewound");
                file.read_to_end(&mut back).expect("read back");
                assert!(back == content, "{piece} {on}");
            }
        }
    }

    /// On a descriptor that is no regular file the advice fails, and
    /// writing goes on as if it had not been given.
    #[cfg(unix)]
    #[test]
    fn a_descriptor_without_writeback_is_written_as_any() {
        let null = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .expect("/dev/null opens");
        let mut out = WriteBehind::new(null, true);
        for _ in 0..3 {
            out.write_all(&vec![7; WRITE_BEHIND_BYTES as usize])
                .expect("written");
        }
        out.flush().expect("flushed");
        assert_eq!(out.started, 3 * WRITE_BEHIND_BYTES);
    }
}
