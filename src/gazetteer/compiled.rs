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
//! - the payload's checksum and the length of its first part;
//! - the payload: the gazetteer, then the matcher (each decoded on a
//!   thread of its own).
//!
//! Counts, lengths and line numbers are `u32`, strings are UTF-8, and an
//! absent number is `u32::MAX`. Everything read is checked (counts against the
//! bytes left, every index against what it points into, references
//! against the entities), so a damaged or foreign file is an error, never
//! a panic or an out-of-range index later.

use std::path::Path;

use crate::error::{Error, ErrorKind, Location, Result};

use super::{Entity, EntityKind, EntityMatcher, Gazetteer, Role, RoleTerm};

/// The first bytes of a compiled gazetteer.
pub const MAGIC: &[u8] = b"newsgraph compiled gazetteer\n";

/// The layout's number: raised whenever the layout or the meaning of what
/// is stored changes.
const FORMAT: u32 = 1;

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
        let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
        CompiledGazetteer::from_bytes(&bytes).map_err(|err| err.at(Location::file(path)))
    }

    /// Reads a compiled gazetteer from its bytes.
    ///
    /// # Errors
    /// As [`CompiledGazetteer::read`], without a location.
    pub fn from_bytes(bytes: &[u8]) -> Result<CompiledGazetteer> {
        let Some(rest) = bytes.strip_prefix(MAGIC) else {
            return Err(invalid(
                "neither a folder of TSV files nor a compiled gazetteer \
                 (which `newsgraph gazetteer compile` writes)"
                    .into(),
            ));
        };
        let mut header = Reader::new(rest);
        let damaged = |damage: Damage| invalid(damage.message());
        let format = header.u32().map_err(damaged)?;
        if format != FORMAT {
            return Err(invalid(format!(
                "compiled in format {format}, and this newsgraph reads format {FORMAT}: \
                 compile it again with `newsgraph gazetteer compile`"
            )));
        }
        let version = header.str().map_err(damaged)?;
        let fingerprint = header.u64().map_err(damaged)?;
        if version != env!("CARGO_PKG_VERSION") || fingerprint != self::fingerprint() {
            return Err(invalid(format!(
                "compiled by newsgraph {version}, whose names' forms differ from this build's \
                 ({}): compile it again with `newsgraph gazetteer compile`",
                env!("CARGO_PKG_VERSION")
            )));
        }
        let sum = header.u64().map_err(damaged)?;
        let first = header.count(1).map_err(damaged)?;
        let payload = header.rest();
        if checksum(payload) != sum {
            return Err(invalid(
                "damaged (its checksum does not match): compile it again".into(),
            ));
        }
        let (gazetteer, matcher) = payload.split_at(first);
        let (gazetteer, matcher) = rayon::join(
            || read_gazetteer(&mut Reader::new(gazetteer)),
            || EntityMatcher::read(&mut Reader::new(matcher)),
        );
        let (gazetteer, (matcher, entities)) =
            (gazetteer.map_err(damaged)?, matcher.map_err(damaged)?);
        if entities != gazetteer.entities.len() {
            return Err(damaged(Damage("the matcher is for another gazetteer")));
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
        let mut out = Writer::default();
        out.bytes.extend_from_slice(MAGIC);
        out.u32(FORMAT);
        out.str(env!("CARGO_PKG_VERSION"));
        out.u64(fingerprint());
        let mut payload = gazetteer.bytes;
        let first = payload.len();
        payload.extend_from_slice(&matcher.bytes);
        out.u64(checksum(&payload));
        out.count(first);
        out.bytes.extend_from_slice(&payload);
        out.bytes
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The gazetteer alone (to add files to it; its matcher is then built
    /// anew).
    pub fn into_gazetteer(self) -> Gazetteer {
        self.gazetteer
    }
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
        checksum(&out.bytes) ^ u64::from(FORMAT)
    })
}

/// A checksum of `bytes`, eight at a time: the same on every platform.
fn checksum(bytes: &[u8]) -> u64 {
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

fn write_gazetteer(gazetteer: &Gazetteer, out: &mut Writer) {
    out.count(gazetteer.files.len());
    for path in &gazetteer.files {
        out.str(&path.to_string_lossy());
    }
    out.count(gazetteer.entities.len());
    for (entity, &(file, line)) in gazetteer.entities.iter().zip(&gazetteer.entity_lines) {
        out.u8(kind_number(entity.kind));
        out.str(&entity.id);
        out.str(&entity.label);
        out.count(entity.aliases.len());
        for alias in &entity.aliases {
            out.str(alias);
        }
        out.optional(entity.wikidata.as_deref());
        out.count(file);
        out.count(line);
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

/// An entity (at least 22 bytes: its kind, six numbers and a flag), and
/// where it is defined (a file below `files`, and a line).
fn read_entity(input: &mut Reader, files: usize) -> Read<(Entity, (usize, usize))> {
    let kind = match input.u8()? {
        0 => EntityKind::Person,
        1 => EntityKind::Place,
        2 => EntityKind::Organization,
        _ => return Err(Damage("an entity of no known type")),
    };
    let id = input.str()?.to_string();
    let label = input.str()?.to_string();
    let aliases = (0..input.count(4)?)
        .map(|_| input.str().map(str::to_string))
        .collect::<Read<Vec<String>>>()?;
    let wikidata = input.optional()?.map(str::to_string);
    let file = input.count(0)?;
    let line = input.count(0)?;
    if file >= files {
        return Err(Damage("an entity from no file"));
    }
    let entity = Entity {
        id,
        kind,
        label,
        aliases,
        wikidata,
    };
    Ok((entity, (file, line)))
}

fn kind_number(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Organization => 2,
    }
}

fn read_gazetteer(input: &mut Reader) -> Read<Gazetteer> {
    let mut gazetteer = Gazetteer::default();
    let files = input.count(4)?;
    for _ in 0..files {
        gazetteer.files.push(input.str()?.into());
    }
    // Read on this thread, straight into the gazetteer (the matcher is
    // read on another): read in parts and put together, they would be
    // moved once more, into memory touched for the first time.
    let entities = input.count(22)?;
    gazetteer.entities.reserve_exact(entities);
    gazetteer.entity_lines.reserve_exact(entities);
    gazetteer
        .index
        .reserve(entities, |&i| super::id_hash(&gazetteer.entities[i].id));
    for _ in 0..entities {
        let (entity, line) = read_entity(input, files)?;
        let known = &gazetteer.entities;
        match gazetteer.index.entry(
            super::id_hash(&entity.id),
            |&i| known[i].id == entity.id,
            |&i| super::id_hash(&known[i].id),
        ) {
            hashbrown::hash_table::Entry::Occupied(_) => return Err(Damage("an id twice")),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(known.len());
            }
        }
        gazetteer.entities.push(entity);
        gazetteer.entity_lines.push(line);
    }
    let known = |gazetteer: &Gazetteer, id: &str| {
        gazetteer
            .position(id)
            .map(|_| ())
            .ok_or(Damage("a reference to no entity"))
    };
    for _ in 0..input.count(8)? {
        let adjective = input.str()?.to_string();
        let entity = input.str()?.to_string();
        known(&gazetteer, &entity)?;
        gazetteer.adjectives.insert(adjective, entity);
    }
    for _ in 0..input.count(22)? {
        let person = input.str()?.to_string();
        let role = input.str()?.to_string();
        let of = input.str()?.to_string();
        known(&gazetteer, &person)?;
        known(&gazetteer, &of)?;
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
            known(&gazetteer, of)?;
        }
        gazetteer.role_terms.push(RoleTerm { term, role, of });
    }
    input.end()?;
    Ok(gazetteer)
}

/// What is wrong with a compiled gazetteer's bytes.
#[derive(Debug)]
pub(super) struct Damage(pub(super) &'static str);

impl Damage {
    fn message(&self) -> String {
        format!("damaged ({}): compile it again", self.0)
    }
}

/// The result of reading a part of a compiled gazetteer.
pub(super) type Read<T> = std::result::Result<T, Damage>;

/// Writes the parts of a compiled gazetteer.
#[derive(Default)]
pub(super) struct Writer {
    pub(super) bytes: Vec<u8>,
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

    pub(super) fn str(&mut self, text: &str) {
        self.count(text.len());
        self.bytes.extend_from_slice(text.as_bytes());
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
/// bytes there are.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
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
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Damage("a flag that is neither 0 nor 1")),
        }
    }

    pub(super) fn str(&mut self) -> Read<&'a str> {
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
        let number = self.u32()?;
        if (number as usize) < bound || (none && number == u32::MAX) {
            Ok(number)
        } else {
            Err(Damage("an index out of range"))
        }
    }

    fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.bytes)
    }

    /// Checks that every byte was read.
    pub(super) fn end(&self) -> Read<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(Damage("bytes after the end"))
        }
    }
}
