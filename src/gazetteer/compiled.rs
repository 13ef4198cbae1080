//! A compiled gazetteer: the parsed gazetteer and its name matcher in one
//! file, read back without parsing a TSV line or making a name's forms.
//!
//! With a large gazetteer (100,000 names added) the start-up is mostly
//! the matcher's build (tokenizing and folding every name, filling the
//! trie) and the parsing of the files; a compiled file holds both results.
//! `newsgraph gazetteer compile` writes one; `--gazetteer FILE` reads it.
//!
//! The layout, all integers little-endian:
//!
//! - [`MAGIC`], the format number ([`FORMAT`]), the version of newsgraph
//!   that wrote it, and a fingerprint of how this build makes a name's
//!   forms ([`fingerprint`]): a file from a build whose forms differ is
//!   refused rather than matched with forms this build would not make;
//! - the checksum and length of each of its two parts;
//! - the parts: the gazetteer, then the matcher (each read and decoded on
//!   a thread of its own).
//!
//! Counts, lengths and line numbers are `u32`, strings are UTF-8, and an
//! absent number is `u32::MAX`. A part (and each half of the entities in
//! it) is the length of its numbers, the numbers (a string there is its
//! length), and then the text of all its strings, one after another, read
//! as UTF-8 once. Everything read is checked (counts against the
//! bytes left, every index against what it points into, references
//! against the entities), so a damaged or foreign file is an error, never
//! a panic or an out-of-range index later.
//!
//! A large gazetteer's entities ([`StoredEntities`]) are not made when it
//! is read: their bytes are checked and kept, and a block of them is made
//! when one of it is first asked for.

use std::path::Path;
use std::sync::OnceLock;

use crate::checksum::checksum;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::pages::AlignedBytes;

use super::entities::Placed;
use super::{Entities, Entity, EntityKind, EntityMatcher, Gazetteer, Role, RoleTerm};

/// The first bytes of a compiled gazetteer.
pub const MAGIC: &[u8] = b"newsgraph compiled gazetteer\n";

/// The layout's number: raised whenever the layout or the meaning of what
/// is stored changes.
const FORMAT: u32 = 2;

/// A gazetteer with its name matcher, as read from a compiled file (or
/// compiled here): the two belong together, so they are only handed out
/// together.
#[derive(Clone, Debug)]
pub struct CompiledGazetteer {
    pub(crate) gazetteer: Gazetteer,
    pub(crate) matcher: EntityMatcher,
}

impl CompiledGazetteer {
    /// Compiles `gazetteer`: builds its matcher.
    pub fn new(gazetteer: Gazetteer) -> CompiledGazetteer {
        let matcher = EntityMatcher::new(&gazetteer);
        CompiledGazetteer { gazetteer, matcher }
    }

    /// True when `bytes` start as a compiled gazetteer does.
    pub fn is_compiled(bytes: &[u8]) -> bool {
        bytes.starts_with(MAGIC)
    }

    /// Reads a compiled gazetteer file.
    ///
    /// # Errors
    /// A file that cannot be read, is no compiled gazetteer, was compiled
    /// by a build of newsgraph that makes names' forms differently, or is
    /// damaged; the error names the file.
    pub fn read(path: &Path) -> Result<CompiledGazetteer> {
        use std::io::{Read as _, Seek, SeekFrom};
        let at = |err: Error| err.at(Location::file(path));
        let io = |err| Error::io(path, err);
        let mut file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        let mut start = Vec::with_capacity(HEADER_MAX);
        file.by_ref()
            .take(HEADER_MAX as u64)
            .read_to_end(&mut start)
            .map_err(io)?;
        let header = Header::of(&start).map_err(at)?;
        if size != header.total() as u64 {
            return Err(at(Damage("cut short or too long").into()));
        }
        // Each part read from the file by the thread that decodes it.
        let read_part = |offset: usize, length: usize| -> Result<AlignedBytes> {
            let mut file = std::fs::File::open(path).map_err(io)?;
            file.seek(SeekFrom::Start(offset as u64)).map_err(io)?;
            let mut bytes = AlignedBytes::zeroed(length);
            file.read_exact(&mut bytes)
                .map_err(|err| match err.kind() {
                    std::io::ErrorKind::UnexpectedEof => {
                        Error::from(Damage("cut short")).at(Location::file(path))
                    }
                    _ => io(err),
                })?;
            Ok(bytes)
        };
        let [
            (gazetteer_sum, gazetteer_length),
            (matcher_sum, matcher_length),
        ] = header.parts;
        let (gazetteer, matcher) = rayon::join(
            || {
                let bytes = read_part(header.length, gazetteer_length)?;
                checked(&bytes, gazetteer_sum)?;
                read_gazetteer(Part::Read(bytes)).map_err(Error::from)
            },
            || {
                let bytes = read_part(header.length + gazetteer_length, matcher_length)?;
                checked(&bytes, matcher_sum)?;
                read_matcher(&bytes)
            },
        );
        CompiledGazetteer::of_parts(gazetteer, matcher).map_err(at)
    }

    /// Reads a compiled gazetteer from its bytes.
    ///
    /// # Errors
    /// As [`CompiledGazetteer::read`], without a location.
    pub fn from_bytes(bytes: &[u8]) -> Result<CompiledGazetteer> {
        let header = Header::of(bytes)?;
        if bytes.len() != header.total() {
            return Err(Damage("cut short or too long").into());
        }
        let [(gazetteer_sum, gazetteer_length), (matcher_sum, _)] = header.parts;
        let (gazetteer, matcher) = bytes[header.length..].split_at(gazetteer_length);
        let (gazetteer, matcher) = rayon::join(
            || {
                checked(gazetteer, gazetteer_sum)?;
                read_gazetteer(Part::Borrowed(gazetteer)).map_err(Error::from)
            },
            || {
                checked(matcher, matcher_sum)?;
                read_matcher(matcher)
            },
        );
        CompiledGazetteer::of_parts(gazetteer, matcher)
    }

    /// The gazetteer and the matcher read, if both were and belong together.
    fn of_parts(
        gazetteer: Result<Gazetteer>,
        matcher: Result<(EntityMatcher, usize)>,
    ) -> Result<CompiledGazetteer> {
        let (gazetteer, (matcher, entities)) = (gazetteer?, matcher?);
        if entities != gazetteer.entities.len() {
            return Err(Damage("the matcher is for another gazetteer").into());
        }
        Ok(CompiledGazetteer { gazetteer, matcher })
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut gazetteer = Writer::default();
        write_gazetteer(&self.gazetteer, &mut gazetteer);
        let mut matcher = Writer::default();
        self.matcher
            .write(self.gazetteer.entities.len(), &mut matcher);
        let (gazetteer, matcher) = (gazetteer.finish(), matcher.finish());
        let mut out = Writer::default();
        out.bytes.extend_from_slice(MAGIC);
        out.u32(FORMAT);
        out.inline_str(env!("CARGO_PKG_VERSION"));
        out.u64(fingerprint());
        for part in [&gazetteer, &matcher] {
            out.u64(checksum(part));
            out.count(part.len());
        }
        out.bytes.extend_from_slice(&gazetteer);
        out.bytes.extend_from_slice(&matcher);
        out.bytes
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The gazetteer's name matcher.
    pub fn matcher(&self) -> &EntityMatcher {
        &self.matcher
    }

    /// The gazetteer alone (to add files to it; its matcher is then built
    /// anew).
    pub fn into_gazetteer(self) -> Gazetteer {
        self.gazetteer
    }
}

/// The most bytes a header takes (its version string is a few bytes).
const HEADER_MAX: usize = 256;

/// What a compiled gazetteer's header says: where its two parts (the
/// gazetteer, the matcher) are and their checksums.
struct Header {
    /// The header's own length: the first part starts there.
    length: usize,
    /// Each part's checksum and length.
    parts: [(u64, usize); 2],
}

impl Header {
    /// The header at the start of `bytes`, checked: a compiled gazetteer,
    /// of this format, by this build.
    fn of(bytes: &[u8]) -> Result<Header> {
        let Some(rest) = bytes.strip_prefix(MAGIC) else {
            return Err(invalid(
                "neither a folder of TSV files nor a compiled gazetteer \
                 (which `newsgraph gazetteer compile` writes)"
                    .into(),
            ));
        };
        let mut header = Reader::new(rest);
        let format = header.u32()?;
        if format != FORMAT {
            return Err(invalid(format!(
                "compiled in format {format}, and this newsgraph reads format {FORMAT}: \
                 compile it again with `newsgraph gazetteer compile`"
            )));
        }
        let version = header.inline_str()?;
        let fingerprint = header.u64()?;
        if version != env!("CARGO_PKG_VERSION") || fingerprint != self::fingerprint() {
            return Err(invalid(format!(
                "compiled by newsgraph {version}, whose names' forms differ from this build's \
                 ({}): compile it again with `newsgraph gazetteer compile`",
                env!("CARGO_PKG_VERSION")
            )));
        }
        let mut parts = [(0, 0); 2];
        for part in &mut parts {
            let sum = header.u64()?;
            let length = header.count(0)?;
            *part = (sum, length);
        }
        Ok(Header {
            length: bytes.len() - header.rest().len(),
            parts,
        })
    }

    /// The whole file's length.
    fn total(&self) -> usize {
        self.length + self.parts[0].1 + self.parts[1].1
    }
}

/// Checks a part of a compiled gazetteer against its checksum.
fn checked(bytes: &[u8], sum: u64) -> Result<()> {
    if checksum(bytes) == sum {
        Ok(())
    } else {
        Err(invalid(
            "damaged (its checksum does not match): compile it again".into(),
        ))
    }
}

/// The matcher's part, decoded.
fn read_matcher(bytes: &[u8]) -> Result<(EntityMatcher, usize)> {
    EntityMatcher::read(&mut Reader::of_part(bytes)?).map_err(Error::from)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Invalid(message))
}

/// Names whose forms cover the rules of making them (diacritics, hyphens,
/// a declined adjective, acronyms, initials, `&`, a dative plural), as a
/// gazetteer of their own.
const PROBE: &str = "id\tlabel\taliases\twikidata
person:recep-tayyip-erdogan\tRecep Tayyip Erdoğan\tErdogan|R. T. Erdoğan\t
place:baden-wuerttemberg\tBaden-Württemberg\tBW\t
organization:europaeischer-rat\tEuropäischer Rat\tEU-Rat\t
place:sankt-petersburg\tSt. Petersburg\tSankt-Petersburg\t
organization:nato\tNATO\tNato|Nordatlantikpakt\t
place:tel-aviv\tTel Aviv\t\t
person:jens-stoltenberg\tJens Stoltenberg\tStoltenberg\t
organization:at-t\tAT&T\t\t
place:niederlande\tNiederlande\tHolland\t
person:sergej-lawrow\tSergej Lawrow\tSergei Lavrov|Lawrows\t
";

/// A fingerprint of how this build makes a gazetteer's matcher: the
/// checksum of the compiled matcher of [`PROBE`]. A build that tokenizes,
/// folds or forms names differently (and so would match a compiled file's
/// names as it never makes them) has another.
fn fingerprint() -> u64 {
    static FINGERPRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FINGERPRINT.get_or_init(|| {
        let probe = Gazetteer::from_sources([(Path::new("probe.tsv"), PROBE)])
            .expect("the probe gazetteer parses");
        let mut out = Writer::default();
        EntityMatcher::new(&probe).write(probe.entities.len(), &mut out);
        checksum(&out.finish()) ^ u64::from(FORMAT)
    })
}

fn write_gazetteer(gazetteer: &Gazetteer, out: &mut Writer) {
    out.count(gazetteer.files.len());
    for path in &gazetteer.files {
        out.str(&path.to_string_lossy());
    }
    // In two halves, each with its length first, read on two threads.
    let entities = &gazetteer.entities;
    let half = entities.len() / 2;
    for range in [0..half, half..entities.len()] {
        let mut block = Writer::default();
        for index in range.clone() {
            let entity = &entities[index];
            let (file, line) = entities.line(index).expect("an entity's index");
            block.u8(kind_number(entity.kind));
            block.str(&entity.id);
            block.str(&entity.label);
            block.count(entity.aliases.len());
            for alias in &entity.aliases {
                block.str(alias);
            }
            block.optional(entity.wikidata.as_deref());
            block.count(file);
            block.count(line);
        }
        let block = block.finish();
        out.count(range.len());
        out.count(block.len());
        out.bytes.extend_from_slice(&block);
    }
    out.count(gazetteer.adjectives.len());
    for (adjective, entity) in &gazetteer.adjectives {
        out.str(adjective);
        out.str(entity);
    }
    out.count(gazetteer.roles.len());
    for (role, at) in gazetteer.roles.iter().zip(&gazetteer.role_lines) {
        out.str(&role.person);
        out.str(&role.role);
        out.str(&role.of);
        out.optional(role.start.map(|date| date.to_string()).as_deref());
        out.optional(role.end.map(|date| date.to_string()).as_deref());
        let file = gazetteer.files.iter().position(|path| *path == at.path);
        out.count(file.unwrap_or(gazetteer.files.len()));
        out.count(at.line.unwrap_or(0));
    }
    out.count(gazetteer.role_terms.len());
    for term in &gazetteer.role_terms {
        out.str(&term.term);
        out.str(&term.role);
        out.optional(term.of.as_deref());
    }
}

/// An entity as stored (at least 22 bytes: its kind, six numbers and a
/// flag), its strings cut from the part.
struct EntityRecord<'a> {
    kind: EntityKind,
    id: &'a str,
    label: &'a str,
    wikidata: Option<&'a str>,
    /// Its file (below the gazetteer's files) and line.
    line: (usize, usize),
}

/// The next entity of `input`, checked; its aliases are put in `aliases`.
fn read_entity<'a>(
    input: &mut Reader<'a>,
    files: usize,
    aliases: &mut Vec<&'a str>,
) -> Read<EntityRecord<'a>> {
    let kind = match input.u8()? {
        0 => EntityKind::Person,
        1 => EntityKind::Place,
        2 => EntityKind::Organization,
        _ => return Err(Damage("an entity of no known type")),
    };
    let id = input.str()?;
    let label = input.str()?;
    aliases.clear();
    for _ in 0..input.count(4)? {
        aliases.push(input.str()?);
    }
    let wikidata = input.optional()?;
    let file = input.count(0)?;
    let line = input.count(0)?;
    if file >= files {
        return Err(Damage("an entity from no file"));
    }
    Ok(EntityRecord {
        kind,
        id,
        label,
        wikidata,
        line: (file, line),
    })
}

impl EntityRecord<'_> {
    /// The entity, with `aliases`, and where it is defined.
    fn to_entity(&self, aliases: &[&str]) -> Placed {
        let entity = Entity {
            id: self.id.to_string(),
            kind: self.kind,
            label: self.label.to_string(),
            aliases: aliases.iter().map(|alias| alias.to_string()).collect(),
            wikidata: self.wikidata.map(str::to_string),
        };
        (entity, self.line)
    }
}

/// A compiled gazetteer's entities, kept as the bytes of its part: checked
/// whole when read, and made a block of [`StoredEntities::BLOCK`] at a time
/// when one of the block is first asked for.
pub(super) struct StoredEntities {
    part: AlignedBytes,
    /// How many files the gazetteer was read from.
    files: usize,
    /// The halves the entities are written in, in order.
    halves: [StoredHalf; 2],
}

/// One half of [`StoredEntities`].
struct StoredHalf {
    /// The index of its first entity.
    first: usize,
    count: usize,
    /// Where each block's numbers start in the part, and then where the
    /// half's numbers end.
    numbers: Vec<usize>,
    /// The same for the blocks' text.
    text: Vec<usize>,
    /// Each block's entities, with their files and lines, once made.
    blocks: Box<[OnceLock<Box<[Placed]>>]>,
}

impl StoredEntities {
    /// Entities made at a time: 256 of about 100 bytes of strings each.
    const BLOCK: usize = 256;

    /// Below this many entities (the built-in gazetteer has about 2,000),
    /// they are made when read, not kept as bytes.
    const MADE_AT_ONCE: usize = 16 * Self::BLOCK;

    #[inline]
    pub(super) fn len(&self) -> usize {
        self.halves[1].first + self.halves[1].count
    }

    /// The entity at `index` with its file and line, its block made if it
    /// is the first asked for.
    #[inline]
    pub(super) fn get(&self, index: usize) -> Option<&Placed> {
        let half = &self.halves[usize::from(index >= self.halves[1].first)];
        let at = index
            .checked_sub(half.first)
            .filter(|&at| at < half.count)?;
        let block = at / Self::BLOCK;
        half.blocks[block]
            .get_or_init(|| self.make(half, block))
            .get(at % Self::BLOCK)
    }

    /// How many blocks are made.
    #[cfg(test)]
    fn made_blocks(&self) -> usize {
        self.halves
            .iter()
            .flat_map(|half| &half.blocks)
            .filter(|block| block.get().is_some())
            .count()
    }

    /// The entities of block `block` of `half`.
    fn make(&self, half: &StoredHalf, block: usize) -> Box<[Placed]> {
        let numbers = &self.part[half.numbers[block]..half.numbers[block + 1]];
        let text = simdutf8::basic::from_utf8(&self.part[half.text[block]..half.text[block + 1]])
            .expect("whole strings of text checked when read");
        let mut input = Reader {
            bytes: numbers,
            text,
        };
        let count = (half.count - block * Self::BLOCK).min(Self::BLOCK);
        let mut aliases = Vec::new();
        (0..count)
            .map(|_| {
                read_entity(&mut input, self.files, &mut aliases)
                    .expect("entities checked when read")
                    .to_entity(&aliases)
            })
            .collect()
    }
}

/// Where `piece` (cut from `part`) starts in it.
fn offset_in(part: &[u8], piece: &[u8]) -> usize {
    piece.as_ptr() as usize - part.as_ptr() as usize
}

/// A half of a compiled gazetteer's entities, checked.
struct CheckedHalf<'a> {
    /// Where its blocks' numbers start in the part, and then where they end.
    numbers: Vec<usize>,
    /// The same for the blocks' text.
    text: Vec<usize>,
    /// The entities' ids.
    ids: Vec<&'a str>,
    /// The entities, when asked to make them.
    made: Vec<Placed>,
}

/// Checks a half of the entities, written as a part of its own inside
/// `part`, and makes them if `make` says so.
fn check_half<'a>(
    part: &'a [u8],
    (count, bytes): (usize, &'a [u8]),
    files: usize,
    make: bool,
) -> Read<CheckedHalf<'a>> {
    let mut input = Reader::of_part(bytes)?;
    let numbers_end = offset_in(part, input.bytes) + input.bytes.len();
    let text_end = offset_in(part, input.text.as_bytes()) + input.text.len();
    let blocks = count.div_ceil(StoredEntities::BLOCK);
    let (mut numbers, mut text) = (
        Vec::with_capacity(blocks + 1),
        Vec::with_capacity(blocks + 1),
    );
    let mut ids = Vec::with_capacity(count);
    let mut made = Vec::with_capacity(if make { count } else { 0 });
    let mut aliases = Vec::new();
    for index in 0..count {
        if index % StoredEntities::BLOCK == 0 {
            numbers.push(numbers_end - input.bytes.len());
            text.push(text_end - input.text.len());
        }
        let entity = read_entity(&mut input, files, &mut aliases)?;
        if make {
            made.push(entity.to_entity(&aliases));
        }
        ids.push(entity.id);
    }
    input.end()?;
    numbers.push(numbers_end);
    text.push(text_end);
    Ok(CheckedHalf {
        numbers,
        text,
        ids,
        made,
    })
}

fn kind_number(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Organization => 2,
    }
}

/// The bytes of a part: read from a file, or borrowed from bytes given.
enum Part<'a> {
    Read(AlignedBytes),
    Borrowed(&'a [u8]),
}

impl Part<'_> {
    /// The bytes, owned (copied if they were borrowed).
    fn into_owned(self) -> AlignedBytes {
        match self {
            Part::Read(bytes) => bytes,
            Part::Borrowed(bytes) => {
                let mut owned = AlignedBytes::zeroed(bytes.len());
                owned.copy_from_slice(bytes);
                owned
            }
        }
    }
}

impl std::ops::Deref for Part<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Part::Read(bytes) => bytes,
            Part::Borrowed(bytes) => bytes,
        }
    }
}

/// The gazetteer's part, checked; a large gazetteer's entities are kept
/// as its bytes (owned then, if they were borrowed), a small one's made.
fn read_gazetteer(part: Part) -> Read<Gazetteer> {
    let mut gazetteer = Gazetteer::default();
    let mut input = Reader::of_part(&part)?;
    let files = input.count(4)?;
    for _ in 0..files {
        gazetteer.files.push(input.str()?.into());
    }
    // The halves checked on two threads (beside the matcher's).
    let mut halves = [(0, &[][..]); 2];
    for half in &mut halves {
        let count = input.count(22)?;
        let length = input.count(1)?;
        *half = (count, input.take(length)?);
    }
    // A small gazetteer's entities are made at once: checking them and
    // then making them all (a corpus names most of them) would cost more.
    let make = halves[0].0 + halves[1].0 < StoredEntities::MADE_AT_ONCE;
    let (first, second) = rayon::join(
        || check_half(&part, halves[0], files, make),
        || check_half(&part, halves[1], files, make),
    );
    let (mut first, mut second) = (first?, second?);
    let ids: Vec<&str> = first.ids.iter().chain(&second.ids).copied().collect();
    let hashes: Vec<u64> = {
        use rayon::prelude::*;
        ids.par_iter()
            .with_min_len(4096)
            .map(|id| super::id_hash(id))
            .collect()
    };
    gazetteer.index.reserve(ids.len(), |&i| hashes[i]);
    for (position, (&id, &hash)) in ids.iter().zip(&hashes).enumerate() {
        match gazetteer
            .index
            .entry(hash, |&i| ids[i] == id, |&i| hashes[i])
        {
            hashbrown::hash_table::Entry::Occupied(_) => return Err(Damage("an id twice")),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(position);
            }
        }
    }
    let known = |index: &hashbrown::HashTable<usize>, id: &str| {
        index
            .find(super::id_hash(id), |&i| ids[i] == id)
            .map(|_| ())
            .ok_or(Damage("a reference to no entity"))
    };
    for _ in 0..input.count(8)? {
        let adjective = input.str()?.to_string();
        let entity = input.str()?.to_string();
        known(&gazetteer.index, &entity)?;
        gazetteer.adjectives.insert(adjective, entity);
    }
    for _ in 0..input.count(22)? {
        let person = input.str()?.to_string();
        let role = input.str()?.to_string();
        let of = input.str()?.to_string();
        known(&gazetteer.index, &person)?;
        known(&gazetteer.index, &of)?;
        let date = |text: Option<&str>| {
            text.map(|text| text.parse().map_err(|_| Damage("a date that is none")))
                .transpose()
        };
        let start = date(input.optional()?)?;
        let end = date(input.optional()?)?;
        let file = input.count(0)?;
        let line = input.count(0)?;
        let Some(path) = gazetteer.files.get(file) else {
            return Err(Damage("a role from no file"));
        };
        gazetteer.role_lines.push(Location::line(path, line));
        gazetteer.roles.push(Role {
            person,
            role,
            of,
            start,
            end,
        });
    }
    for _ in 0..input.count(9)? {
        let term = input.str()?.to_string();
        let role = input.str()?.to_string();
        let of = input.optional()?.map(str::to_string);
        if let Some(of) = &of {
            known(&gazetteer.index, of)?;
        }
        gazetteer.role_terms.push(RoleTerm { term, role, of });
    }
    input.end()?;
    if make {
        first.made.append(&mut second.made);
        gazetteer.entities = Entities::of_list(first.made);
        return Ok(gazetteer);
    }
    let half = |first: usize, count: usize, checked: CheckedHalf| StoredHalf {
        first,
        count,
        blocks: (0..count.div_ceil(StoredEntities::BLOCK))
            .map(|_| OnceLock::new())
            .collect(),
        numbers: checked.numbers,
        text: checked.text,
    };
    let (count, other) = (halves[0].0, halves[1].0);
    let halves = [half(0, count, first), half(count, other, second)];
    drop(ids);
    gazetteer.entities = Entities::stored(StoredEntities {
        part: part.into_owned(),
        files,
        halves,
    });
    Ok(gazetteer)
}

/// `number` if it is below `bound`, or `u32::MAX` (none) when `none`
/// allows it.
pub(super) fn bounded(number: u32, bound: usize, none: bool) -> Read<u32> {
    if (number as usize) < bound || (none && number == u32::MAX) {
        Ok(number)
    } else {
        Err(Damage("an index out of range"))
    }
}

/// A flag's byte as the flag: 0 or 1.
pub(super) fn flag(byte: u8) -> Read<bool> {
    match byte {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Damage("a flag that is neither 0 nor 1")),
    }
}

/// The little-endian number at `at` in `record`.
pub(super) fn u32_at<const N: usize>(record: &[u8; N], at: usize) -> u32 {
    u32::from_le_bytes(record[at..at + 4].try_into().expect("four bytes"))
}

/// What is wrong with a compiled gazetteer's bytes.
#[derive(Debug)]
pub(super) struct Damage(pub(super) &'static str);

impl From<Damage> for Error {
    fn from(damage: Damage) -> Error {
        invalid(format!("damaged ({}): compile it again", damage.0))
    }
}

/// The result of reading a part of a compiled gazetteer.
pub(super) type Read<T> = std::result::Result<T, Damage>;

/// Writes the parts of a compiled gazetteer: numbers and the strings'
/// lengths in one list, the strings' text after it in another (so that
/// reading validates all the text as UTF-8 at once, not string by string).
#[derive(Default)]
pub(super) struct Writer {
    pub(super) bytes: Vec<u8>,
    text: String,
}

impl Writer {
    pub(super) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(super) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(super) fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A count, a length or a line number.
    pub(super) fn count(&mut self, count: usize) {
        self.u32(u32::try_from(count).expect("fewer than 2^32 of anything"));
    }

    /// A string: its length here, its text in the text after the numbers.
    pub(super) fn str(&mut self, text: &str) {
        self.count(text.len());
        self.text.push_str(text);
    }

    /// A string, its length and text here (for the header, which is read
    /// as it is, without a text after it).
    pub(super) fn inline_str(&mut self, text: &str) {
        self.count(text.len());
        self.bytes.extend_from_slice(text.as_bytes());
    }

    /// The part written: the numbers' length, the numbers and the text,
    /// which [`Reader::of_part`] reads.
    pub(super) fn finish(mut self) -> Vec<u8> {
        let length = u32::try_from(self.bytes.len()).expect("a part of less than 4 GiB");
        let mut part = Vec::with_capacity(4 + self.bytes.len() + self.text.len());
        part.extend_from_slice(&length.to_le_bytes());
        part.append(&mut self.bytes);
        part.extend_from_slice(self.text.as_bytes());
        part
    }

    /// A string or none: a flag byte first.
    pub(super) fn optional(&mut self, text: Option<&str>) {
        match text {
            Some(text) => {
                self.u8(1);
                self.str(text);
            }
            None => self.u8(0),
        }
    }
}

/// Reads the parts of a compiled gazetteer, checking each against the
/// bytes there are: the numbers, and the text the strings are cut from.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
}

impl<'a> Reader<'a> {
    /// Reads `bytes` as they are, with no text (strings written inline).
    pub(super) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, text: "" }
    }

    /// Reads a part [`Writer::finish`] made; its text is checked to be
    /// UTF-8 here, once.
    pub(super) fn of_part(part: &'a [u8]) -> Read<Reader<'a>> {
        let mut head = Reader::new(part);
        let length = head.count(0)?;
        let numbers = head.take(length)?;
        let text = simdutf8::basic::from_utf8(head.rest())
            .map_err(|_| Damage("text that is not UTF-8"))?;
        Ok(Reader {
            bytes: numbers,
            text,
        })
    }

    fn take(&mut self, count: usize) -> Read<&'a [u8]> {
        if count > self.bytes.len() {
            return Err(Damage("cut short"));
        }
        let (taken, rest) = self.bytes.split_at(count);
        self.bytes = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Read<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }

    pub(super) fn u8(&mut self) -> Read<u8> {
        Ok(self.array::<1>()?[0])
    }

    pub(super) fn u32(&mut self) -> Read<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub(super) fn u64(&mut self) -> Read<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A count of things of at least `each` bytes apiece (so that a count
    /// no file could hold is refused before anything is reserved for it),
    /// or a length or line number (`each` 0).
    pub(super) fn count(&mut self, each: usize) -> Read<usize> {
        let count = self.u32()? as usize;
        if each > 0 && count > self.bytes.len() / each {
            return Err(Damage("a count larger than the file"));
        }
        Ok(count)
    }

    pub(super) fn bool(&mut self) -> Read<bool> {
        flag(self.u8()?)
    }

    /// A string, cut from the text (which holds whole characters, so that
    /// a cut inside one is damage).
    pub(super) fn str(&mut self) -> Read<&'a str> {
        let length = self.count(0)?;
        let Some((string, rest)) = self.text.split_at_checked(length) else {
            return Err(if length > self.text.len() {
                Damage("cut short")
            } else {
                Damage("a string cut inside a character")
            });
        };
        self.text = rest;
        Ok(string)
    }

    /// A string written inline ([`Writer::inline_str`]).
    pub(super) fn inline_str(&mut self) -> Read<&'a str> {
        let length = self.count(1)?;
        let bytes = self.take(length)?;
        simdutf8::basic::from_utf8(bytes).map_err(|_| Damage("text that is not UTF-8"))
    }

    pub(super) fn optional(&mut self) -> Read<Option<&'a str>> {
        if self.bool()? {
            self.str().map(Some)
        } else {
            Ok(None)
        }
    }

    /// A number below `bound`, or `u32::MAX` (none) when `none` allows it.
    pub(super) fn index(&mut self, bound: usize, none: bool) -> Read<u32> {
        bounded(self.u32()?, bound, none)
    }

    /// `count` records of `N` bytes each, taken at once (a table's rows,
    /// read without a check of the bytes left per number).
    pub(super) fn records<const N: usize>(
        &mut self,
        count: usize,
    ) -> Read<impl Iterator<Item = &'a [u8; N]> + use<'a, N>> {
        let length = count
            .checked_mul(N)
            .ok_or(Damage("a count larger than the file"))?;
        let (records, rest) = self.take(length)?.as_chunks::<N>();
        debug_assert!(rest.is_empty());
        Ok(records.iter())
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.bytes)
    }

    /// Checks that every byte and all the text was read.
    pub(super) fn end(&self) -> Read<()> {
        if self.bytes.is_empty() && self.text.is_empty() {
            Ok(())
        } else {
            Err(Damage("bytes after the end"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::Tokenizer;

    /// A gazetteer of every table, over two files.
    fn gazetteer() -> Gazetteer {
        Gazetteer::from_sources([
            (
                Path::new("g/people.tsv"),
                "id\tlabel\taliases\twikidata\n\
                 person:recep-tayyip-erdogan\tRecep Tayyip Erdoğan\tErdogan|Erdoğan\tQ39723\n\
                 # a comment\n\
                 person:sergej-lawrow\tSergej Lawrow\tLawrow\t\n\
                 place:russland\tRussland\tRussische Föderation\tQ159\n\
                 place:tuerkei\tTürkei\t\t\n\
                 organization:europaeischer-rat\tEuropäischer Rat\tEU-Rat\t\n",
            ),
            (
                Path::new("g/roles.tsv"),
                "person\trole\tof\tstart\tend\n\
                 person:sergej-lawrow\tforeign_minister\tplace:russland\t2004-03-09\t\n\
                 person:recep-tayyip-erdogan\thead_of_state\tplace:tuerkei\t2014-08\t2030\n",
            ),
            (
                Path::new("g/terms.tsv"),
                "term\trole\tof\n\
                 Außenminister\tforeign_minister\t\n\
                 Kremlchef\thead_of_state\tplace:russland\n",
            ),
            (
                Path::new("g/adjectives.tsv"),
                "adjective\tentity\nrussisch\tplace:russland\ntürkisch\tplace:tuerkei\n",
            ),
        ])
        .expect("the test gazetteer parses")
    }

    /// A large compiled file's entities are only checked when read, then
    /// made a block at a time, only the blocks asked for, in whatever order
    /// they are asked for: each as it was written, defined where it was.
    /// Adding a file to them makes them all, and their ids stay taken. A
    /// small file's entities are made when read.
    #[test]
    fn stored_entities_are_made_a_block_at_a_time() {
        let small = CompiledGazetteer::new(gazetteer()).to_bytes();
        let small = CompiledGazetteer::from_bytes(&small).expect("the bytes read back");
        assert!(small.gazetteer.entities.as_stored().is_none());
        // Two halves (of 2,051 and 2,052) of whole blocks and a part of one.
        let count = StoredEntities::MADE_AT_ONCE + 7;
        let blocks = 2 * (count / 2).div_ceil(StoredEntities::BLOCK);
        let mut rows = String::from("id\tlabel\taliases\twikidata\n");
        for index in 0..count {
            let aliases = match index % 3 {
                0 => format!("P. Nummer{index}|Nummer{index}s"),
                1 => format!("Ńummer{index}"),
                _ => String::new(),
            };
            let wikidata = if index % 5 == 0 { "Q1" } else { "" };
            rows.push_str(&format!(
                "person:p{index}\tPerson Nummer{index}\t{aliases}\t{wikidata}\n"
            ));
            if index % 50 == 0 {
                rows.push_str("# a comment\n");
            }
        }
        let before = Gazetteer::from_sources([(Path::new("g/people.tsv"), rows.as_str())])
            .expect("the rows parse");
        let bytes = CompiledGazetteer::new(before.clone()).to_bytes();
        let mut after = CompiledGazetteer::from_bytes(&bytes)
            .expect("the bytes read back")
            .into_gazetteer();
        let stored = after.entities.as_stored().expect("kept as bytes");
        assert_eq!(after.entities.len(), count);
        assert_eq!(stored.made_blocks(), 0);
        let last = count - 1;
        assert_eq!(after.entities[last], before.entities[last]);
        assert_eq!(stored.made_blocks(), 1);
        assert_eq!(after.entities.get(count), None);
        for index in (0..count).rev() {
            assert_eq!(after.entities.get(index), before.entities.get(index));
            assert_eq!(after.entities.line(index), before.entities.line(index));
        }
        assert_eq!(stored.made_blocks(), blocks);
        assert!(after.entities.iter().eq(before.entities.iter()));
        assert_eq!(after.position("person:p300"), Some(300));
        let more = "id\tlabel\taliases\twikidata\nperson:neu\tNeue Person\t\t\n";
        after
            .add_source(Path::new("g/more.tsv"), more)
            .expect("a new id is added");
        assert!(after.entities.as_stored().is_none());
        assert_eq!(after.entities.len(), count + 1);
        assert_eq!(after.entities[7], before.entities[7]);
        assert_eq!(after.entities.line(count), Some((1, 2)));
        let twice = "id\tlabel\taliases\twikidata\nperson:p9\tNoch einmal\t\t\n";
        let err = after
            .add_source(Path::new("g/twice.tsv"), twice)
            .expect_err("an id of the compiled file is taken");
        assert_eq!(
            err.to_string(),
            "g/twice.tsv:2: entity id \"person:p9\" is defined twice"
        );
    }

    const TEXT: &str = "Der russische Außenminister Lawrow traf Erdogans Berater, \
                        dann den Europäischen Rat.";

    /// The matcher's mentions in [`TEXT`].
    fn mentions(matcher: &EntityMatcher) -> Vec<(usize, &'static str)> {
        let sentences = Tokenizer::new().tokenize(TEXT, crate::Span::new(0, TEXT.len()));
        sentences
            .iter()
            .flat_map(|sentence| matcher.find(TEXT, &sentence))
            .map(|mention| (mention.entity, mention.span.slice(TEXT)))
            .collect()
    }

    #[test]
    fn a_compiled_gazetteer_reads_back_as_it_was_written() {
        let compiled = CompiledGazetteer::new(gazetteer());
        let bytes = compiled.to_bytes();
        let read = CompiledGazetteer::from_bytes(&bytes).expect("the bytes read back");
        // Written again, the same bytes: nothing was lost or reordered.
        assert_eq!(read.to_bytes(), bytes);
        let (before, after) = (&compiled.gazetteer, &read.gazetteer);
        assert_eq!(after.entities, before.entities);
        for index in 0..before.entities.len() {
            assert_eq!(after.entities.line(index), before.entities.line(index));
        }
        assert_eq!(after.files, before.files);
        assert_eq!(after.adjectives, before.adjectives);
        assert_eq!(after.roles, before.roles);
        assert_eq!(after.role_terms, before.role_terms);
        assert_eq!(
            format!("{:?}", after.role_lines),
            format!("{:?}", before.role_lines)
        );
        for entity in &before.entities {
            assert_eq!(after.position(&entity.id), before.position(&entity.id));
        }
        let found = mentions(&read.matcher);
        assert_eq!(found, mentions(&compiled.matcher));
        assert_eq!(
            found.iter().map(|&(_, text)| text).collect::<Vec<_>>(),
            ["Lawrow", "Erdogans", "Europäischen Rat"]
        );
        // The role words are marked as in the matcher compiled: "Außenminister"
        // is one, the rest of the words are none.
        let role_words = |matcher: &EntityMatcher| -> Vec<bool> {
            let sentences = Tokenizer::new().tokenize(TEXT, crate::Span::new(0, TEXT.len()));
            sentences
                .iter()
                .map(|sentence| matcher.find_noting_roles(TEXT, &sentence).1)
                .collect()
        };
        assert_eq!(role_words(&read.matcher), [true]);
        let mut other = gazetteer();
        other.role_terms.clear();
        assert_eq!(role_words(&EntityMatcher::new(&other)), [false]);
        // Compiled again from the files: the same bytes.
        assert_eq!(CompiledGazetteer::new(gazetteer()).to_bytes(), bytes);
    }

    /// A part's strings are cut from its text, which is UTF-8 as a whole:
    /// a length that cuts a character, runs past the text or leaves some
    /// of it unread, and text that is not UTF-8, are damage.
    #[test]
    fn strings_are_cut_from_the_text_whole() {
        let mut out = Writer::default();
        out.str("Erdoğan");
        out.u8(7);
        out.str("");
        out.str("Ä");
        let part = out.finish();
        let mut input = Reader::of_part(&part).expect("a part");
        assert_eq!(input.str().ok(), Some("Erdoğan"));
        assert_eq!(input.u8().ok(), Some(7));
        assert_eq!(input.str().ok(), Some(""));
        assert_eq!(input.str().ok(), Some("Ä"));
        assert!(input.end().is_ok());
        let damage = |part: &[u8]| -> Option<&'static str> {
            let mut input = match Reader::of_part(part) {
                Ok(input) => input,
                Err(damage) => return Some(damage.0),
            };
            let read = (|| {
                input.str()?;
                input.u8()?;
                input.str()?;
                input.str()?;
                input.end()
            })();
            read.err().map(|damage| damage.0)
        };
        // "Erdoğan" is 8 bytes, the "ğ" its fifth and sixth: 5 cuts it.
        let mut cut = part.clone();
        cut[4] = 5;
        assert_eq!(damage(&cut), Some("a string cut inside a character"));
        let mut long = part.clone();
        long[4] = 200;
        assert_eq!(damage(&long), Some("cut short"));
        let mut short = part.clone();
        short[4] = 1;
        assert!(damage(&short).is_some());
        let mut foreign = part.clone();
        *foreign.last_mut().expect("text") = 0xff;
        assert_eq!(damage(&foreign), Some("text that is not UTF-8"));
        let mut more = part.clone();
        more.push(b'x');
        let mut input = Reader::of_part(&more).expect("a part");
        input.str().expect("a string");
        input.u8().expect("a number");
        input.str().expect("a string");
        input.str().expect("a string");
        assert!(input.end().is_err(), "text left over");
        assert!(Reader::of_part(&[9, 0]).is_err(), "no length");
    }

    /// Where the parts start: after the header.
    fn payload_start() -> usize {
        let version = env!("CARGO_PKG_VERSION").len();
        MAGIC.len() + 4 + 4 + version + 8 + 2 * (8 + 4)
    }

    /// `bytes` with the parts' checksums made to fit them again.
    fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
        let start = payload_start();
        let first = Header::of(&bytes).expect("the header is whole").parts[0].1;
        let sums = [
            checksum(&bytes[start..start + first]),
            checksum(&bytes[start + first..]),
        ];
        for (index, sum) in sums.into_iter().enumerate() {
            let at = start - 24 + 12 * index;
            bytes[at..at + 8].copy_from_slice(&sum.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn the_header_is_where_the_tests_look_for_it() {
        let bytes = CompiledGazetteer::new(gazetteer()).to_bytes();
        assert_eq!(with_checksum(bytes.clone()), bytes);
    }

    #[test]
    fn any_changed_or_missing_byte_is_an_error() {
        let bytes = CompiledGazetteer::new(gazetteer()).to_bytes();
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0x20;
            assert!(
                CompiledGazetteer::from_bytes(&changed).is_err(),
                "byte {at} changed"
            );
            assert!(
                CompiledGazetteer::from_bytes(&bytes[..at]).is_err(),
                "cut at {at}"
            );
        }
    }

    /// What checking every number is for: damage that the checksum does not
    /// see (a file made to fit it) is an error or a gazetteer whose indices
    /// all hold, never a panic.
    #[test]
    fn damage_behind_a_fitting_checksum_never_panics() {
        let bytes = CompiledGazetteer::new(gazetteer()).to_bytes();
        let mut read = 0;
        for at in payload_start()..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut changed = bytes.clone();
                changed[at] ^= flip;
                if let Ok(compiled) = CompiledGazetteer::from_bytes(&with_checksum(changed)) {
                    read += 1;
                    let entities = compiled.gazetteer.entities.len();
                    assert!(
                        mentions(&compiled.matcher)
                            .iter()
                            .all(|&(entity, _)| entity < entities)
                    );
                }
            }
        }
        // Most changes are seen (a string's byte may change into another).
        assert!(read < (bytes.len() - payload_start()), "{read} read");
    }

    /// The same for a large gazetteer, whose entities are made only when
    /// asked for: what its check let through makes every entity without a
    /// panic (a byte in every 661 of its gazetteer part changed in turn, by
    /// one bit or by two).
    #[test]
    fn stored_entities_let_through_are_made_without_a_panic() {
        let count = StoredEntities::MADE_AT_ONCE + 1;
        let mut rows = String::from("id\tlabel\taliases\twikidata\n");
        for index in 0..count {
            rows.push_str(&format!(
                "place:o{index}\tOrt{index}\tÖrt{index}\tQ{index}\n"
            ));
        }
        let gazetteer = Gazetteer::from_sources([(Path::new("g/places.tsv"), rows.as_str())])
            .expect("the rows parse");
        let bytes = CompiledGazetteer::new(gazetteer).to_bytes();
        let start = payload_start();
        let end = start + Header::of(&bytes).expect("the header is whole").parts[0].1;
        let (mut read, mut refused) = (0, 0);
        for (turn, at) in (start..end).step_by(661).enumerate() {
            let mut changed = bytes.clone();
            changed[at] ^= if turn % 2 == 0 { 0x01 } else { 0x81 };
            match CompiledGazetteer::from_bytes(&with_checksum(changed)) {
                Ok(compiled) => {
                    let entities = &compiled.gazetteer.entities;
                    assert!(entities.as_stored().is_some());
                    assert_eq!(entities.iter().count(), entities.len());
                    read += 1;
                }
                Err(_) => refused += 1,
            }
        }
        assert!(read > 0 && refused > 0, "{read} read, {refused} refused");
    }

    #[test]
    fn a_file_of_another_build_is_refused_with_what_to_do() {
        let bytes = CompiledGazetteer::new(gazetteer()).to_bytes();
        let version = env!("CARGO_PKG_VERSION");
        let mut other = bytes.clone();
        let at = MAGIC.len() + 8;
        assert_eq!(&other[at..at + version.len()], version.as_bytes());
        other[at] = b'9';
        let error = CompiledGazetteer::from_bytes(&other)
            .unwrap_err()
            .to_string();
        assert!(error.contains("compiled by newsgraph 9"), "{error}");
        assert!(error.ends_with("compile it again with `newsgraph gazetteer compile`"));
        let mut format = bytes.clone();
        format[MAGIC.len()] = 7;
        let error = CompiledGazetteer::from_bytes(&format)
            .unwrap_err()
            .to_string();
        assert!(error.contains("format 7"), "{error}");
        let error = CompiledGazetteer::from_bytes(b"id\tlabel\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("nor a compiled gazetteer"), "{error}");
    }
}
