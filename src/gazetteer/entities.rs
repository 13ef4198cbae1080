//! The gazetteer's entities, each with where it is defined: a list made as
//! the files are parsed, or a compiled file's entities kept as its bytes and
//! made a block at a time, when one of the block is first asked for.
//!
//! A compiled gazetteer of 100,000 names read whole was 400,000 strings
//! allocated and 20 MB written at start-up, where a corpus names a few
//! thousand of its entities; kept as bytes, the start-up only checks them.

use std::sync::Arc;

use super::Entity;
use super::compiled::StoredEntities;

/// An entity and where it is defined: its file (an index into the
/// gazetteer's files) and line.
pub(super) type Placed = (Entity, (usize, usize));

/// The gazetteer's entities, in file order, indexed as a slice is
/// (`entities[i]`, [`Entities::get`], [`Entities::iter`]).
#[derive(Clone)]
pub struct Entities {
    list: List,
}

#[derive(Clone)]
enum List {
    /// Parsed.
    Made(Vec<Placed>),
    /// Read from a compiled file, made when asked for.
    Stored(Arc<StoredEntities>),
}

impl Default for Entities {
    fn default() -> Entities {
        Entities {
            list: List::Made(Vec::new()),
        }
    }
}

impl Entities {
    /// The entities of `list`.
    pub(super) fn of_list(list: Vec<Placed>) -> Entities {
        Entities {
            list: List::Made(list),
        }
    }

    /// A compiled file's entities.
    pub(super) fn stored(stored: StoredEntities) -> Entities {
        Entities {
            list: List::Stored(Arc::new(stored)),
        }
    }

    /// How many entities there are.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.list {
            List::Made(list) => list.len(),
            List::Stored(stored) => stored.len(),
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entity at `index`, if there is one.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&Entity> {
        self.with_line(index).map(|(entity, _)| entity)
    }

    /// The entities in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            entities: self,
            next: 0,
            end: self.len(),
        }
    }

    /// The entity at `index` with its file and line.
    #[inline]
    fn with_line(&self, index: usize) -> Option<&Placed> {
        match &self.list {
            List::Made(list) => list.get(index),
            List::Stored(stored) => stored.get(index),
        }
    }

    /// The file (an index into the gazetteer's files) and line that
    /// define the entity at `index`.
    pub(super) fn line(&self, index: usize) -> Option<(usize, usize)> {
        self.with_line(index).map(|&(_, line)| line)
    }

    /// A compiled file's entities, if these are.
    #[cfg(test)]
    pub(super) fn as_stored(&self) -> Option<&StoredEntities> {
        match &self.list {
            List::Made(_) => None,
            List::Stored(stored) => Some(stored),
        }
    }

    /// The list to add to: a compiled file's entities are made, all of
    /// them, first.
    pub(super) fn made(&mut self) -> &mut Vec<Placed> {
        if let List::Stored(stored) = &self.list {
            let list = (0..stored.len())
                .map(|index| {
                    stored
                        .get(index)
                        .expect("an entity below the count")
                        .clone()
                })
                .collect();
            self.list = List::Made(list);
        }
        match &mut self.list {
            List::Made(list) => list,
            List::Stored(_) => unreachable!("made just above"),
        }
    }
}

impl std::ops::Index<usize> for Entities {
    type Output = Entity;

    /// # Panics
    /// When `index` is not below [`Entities::len`], as a slice does.
    #[inline]
    fn index(&self, index: usize) -> &Entity {
        match self.get(index) {
            Some(entity) => entity,
            None => panic!(
                "entity index {index} out of range for {} entities",
                self.len()
            ),
        }
    }
}

impl PartialEq for Entities {
    fn eq(&self, other: &Entities) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Entities {}

impl std::fmt::Debug for Entities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Entities {
    type Item = &'a Entity;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The entities of an [`Entities`] in order.
#[derive(Clone)]
pub struct Iter<'a> {
    entities: &'a Entities,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Entity;

    fn next(&mut self) -> Option<&'a Entity> {
        if self.next == self.end {
            return None;
        }
        self.next += 1;
        self.entities.get(self.next - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end - self.next;
        (left, Some(left))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.next == self.end {
            return None;
        }
        self.end -= 1;
        self.entities.get(self.end)
    }
}

impl ExactSizeIterator for Iter<'_> {}
