//! Bytes → text → documents → analysis → graph → every export format.
//!
//! Valid UTF-8 is read as it is, anything else lossily (as a decoder that
//! replaces bad bytes would). A NUL splits the input into up to four
//! documents, so the graph builder joins several analyses. Besides not
//! panicking, each format's output must read back as an unchanged graph
//! (`export::diff` of the output with itself finds no change), and the JSON
//! must read back into a graph that writes the same bytes.
#![no_main]

#[path = "../checks/pipeline.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
