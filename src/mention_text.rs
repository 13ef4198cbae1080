//! The text of a mention as one number: [`MentionText`].
//!
//! A graph with mention-level provenance holds millions of mention records
//! but few distinct mention texts (the ways the names are written). Each
//! text is kept once for the life of the process, in a table that every
//! thread reads without a lock, and a record holds its number: four bytes,
//! where a shared string is eight, which brings a record to three machine
//! words.
//!
//! The numbers depend on the order texts are first seen, which differs
//! between runs on several threads; nothing shows them. Texts compare,
//! hash and serialize as the strings they stand for.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A mention's text: the number of a string in the process's table of
/// mention texts. Equal strings have the same number.
///
/// The table only grows: a process keeps each distinct text it has made a
/// `MentionText` of (the names as written in the documents it read, not
/// the documents).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MentionText(u32);

/// The process's mention texts: a lock for adding, none for reading.
struct Table {
    /// Each text's number; taken to add a text.
    numbers: Mutex<FxHashMap<&'static str, u32>>,
    /// The texts by number, read by every thread without a lock.
    texts: boxcar::Vec<&'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table {
        numbers: Mutex::new(FxHashMap::default()),
        texts: boxcar::Vec::new(),
    })
}

impl MentionText {
    /// The text's number, given one when the text is new.
    ///
    /// # Panics
    /// When the process already holds 2^32 distinct mention texts.
    pub fn new(text: &str) -> MentionText {
        thread_local! {
            /// The texts this thread has asked for, with their numbers: the
            /// same few hundred names again and again, found without the
            /// lock that the threads would otherwise take in turn.
            static KNOWN: std::cell::RefCell<FxHashMap<&'static str, u32>> =
                std::cell::RefCell::new(FxHashMap::default());
        }
        if let Some(number) = KNOWN.with_borrow(|known| known.get(text).copied()) {
            return MentionText(number);
        }
        let (held, number) = MentionText::numbered(text);
        KNOWN.with_borrow_mut(|known| known.insert(held, number));
        MentionText(number)
    }

    /// The text as the table holds it, and its number: looked up, or added.
    fn numbered(text: &str) -> (&'static str, u32) {
        let table = table();
        // A thread that panicked while holding the lock left the map as
        // it was or with one more text, whose number is in `texts`.
        let mut numbers = table
            .numbers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((&held, &number)) = numbers.get_key_value(text) {
            return (held, number);
        }
        let held: &'static str = Box::leak(Box::from(text));
        let index = table.texts.push(held);
        let number = u32::try_from(index).expect("fewer than 2^32 distinct mention texts");
        numbers.insert(held, number);
        (held, number)
    }

    /// The text.
    pub fn as_str(self) -> &'static str {
        table()
            .texts
            .get(self.0 as usize)
            .expect("a mention text's number is in the table")
    }
}

impl std::ops::Deref for MentionText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for MentionText {
    fn from(text: &str) -> MentionText {
        MentionText::new(text)
    }
}

impl PartialEq<str> for MentionText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for MentionText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Ord for MentionText {
    /// The strings' order (the same number is the same string).
    fn cmp(&self, other: &MentionText) -> std::cmp::Ordering {
        if self.0 == other.0 {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for MentionText {
    fn partial_cmp(&self, other: &MentionText) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for MentionText {
    /// As the string hashes, so that a hash does not depend on the order
    /// texts were first seen in.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for MentionText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for MentionText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MentionText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MentionText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MentionText, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = MentionText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<MentionText, E> {
                Ok(MentionText::new(text))
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_one_number_and_compare_as_strings() {
        let [b, a, b_again] = ["Putins", "Erdoğan", "Putins"].map(MentionText::new);
        assert_eq!(b, b_again);
        assert_ne!(a, b);
        assert_eq!(&*b, "Putins");
        assert!(a < b, "compared as strings, not by when they were seen");
        assert_eq!(format!("{a:?} {a}"), "\"Erdoğan\" Erdoğan");
        let hash = |value: &dyn Fn(&mut rustc_hash::FxHasher)| {
            let mut hasher = rustc_hash::FxHasher::default();
            value(&mut hasher);
            hasher.finish()
        };
        assert_eq!(hash(&|h| a.hash(h)), hash(&|h| "Erdoğan".hash(h)));
        assert_eq!(MentionText::new(""), MentionText::from(""));
    }

    #[test]
    fn texts_made_on_many_threads_agree() {
        let texts: Vec<String> = (0..200).map(|i| format!("Name {}", i % 50)).collect();
        let numbers: Vec<Vec<MentionText>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| texts.iter().map(|t| MentionText::new(t)).collect()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for made in &numbers {
            assert_eq!(made, &numbers[0]);
            for (text, number) in texts.iter().zip(made) {
                assert_eq!(number.as_str(), text);
            }
        }
    }

    #[test]
    fn texts_serialize_as_strings() {
        let text = MentionText::new("Ärzte \"ohne\" Grenzen");
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(json, r#""Ärzte \"ohne\" Grenzen""#);
        let back: MentionText = serde_json::from_str(&json).unwrap();
        assert_eq!(back, text);
        let escaped: MentionText = serde_json::from_str(r#""Sotschi\u00e9""#).unwrap();
        assert_eq!(escaped.as_str(), "Sotschié");
        assert!(serde_json::from_str::<MentionText>("3").is_err());
    }
}
