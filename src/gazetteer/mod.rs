//! The gazetteer: the people, places and organizations newsgraph knows, with
//! their aliases, the adjectives that refer to places, and roles over time.
//!
//! A gazetteer is a folder of human-editable TSV files; each file's header
//! says what it holds (see [`Table`]). The built-in one (the project's
//! `gazetteer/` folder) is embedded in the binary; [`Gazetteer::from_dir`]
//! reads another through the same parser, so errors read alike:
//! `gazetteer/people.tsv:17: expected 4 tab-separated fields, found 3`.

mod compiled;
mod entities;
mod keys;
mod lint;
mod matcher;
mod parse;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub use compiled::CompiledGazetteer;
pub use entities::{Entities, Iter};
pub use lint::{Finding, Severity};
pub use matcher::{EntityMatcher, Mention};
pub use parse::Table;

use crate::date::DateValue;
use crate::error::{Error, ErrorKind, Result};
use crate::token::fold_name;

/// The built-in gazetteer files, embedded at compile time.
const BUILTIN: &[(&str, &str)] = &[
    (
        "gazetteer/countries.tsv",
        include_str!("../../gazetteer/countries.tsv"),
    ),
    (
        "gazetteer/cities.tsv",
        include_str!("../../gazetteer/cities.tsv"),
    ),
    (
        "gazetteer/regions.tsv",
        include_str!("../../gazetteer/regions.tsv"),
    ),
    (
        "gazetteer/organizations.tsv",
        include_str!("../../gazetteer/organizations.tsv"),
    ),
    (
        "gazetteer/people.tsv",
        include_str!("../../gazetteer/people.tsv"),
    ),
    (
        "gazetteer/adjectives.tsv",
        include_str!("../../gazetteer/adjectives.tsv"),
    ),
    (
        "gazetteer/roles.tsv",
        include_str!("../../gazetteer/roles.tsv"),
    ),
    (
        "gazetteer/role_terms.tsv",
        include_str!("../../gazetteer/role_terms.tsv"),
    ),
];

/// The built-in gazetteer compiled ahead of time (as `gazetteer compile`
/// writes it), then the [`builtin_checksum`] of the files it was compiled
/// from (eight bytes, little-endian). Reading it costs a fraction of
/// parsing the files and building the matcher, most of the start-up once
/// the date grammar comes compiled too. It is taken only when that
/// checksum is the embedded files' and it reads back whole: a build whose
/// files changed since parses them, right but slower to start. The test
/// `the_compiled_builtin_gazetteer_is_current` checks it, and writes it
/// anew with `UPDATE_GOLDEN=1`.
static BUILTIN_COMPILED: &[u8] = include_bytes!("builtin.ngz");

/// A checksum of the built-in files: of their paths' and texts' checksums.
fn builtin_checksum() -> u64 {
    let sums: Vec<u8> = BUILTIN
        .iter()
        .flat_map(|(path, text)| [*path, *text])
        .flat_map(|part| crate::checksum::checksum(part.as_bytes()).to_le_bytes())
        .collect();
    crate::checksum::checksum(&sums)
}

/// The three kinds of entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    /// A person.
    Person,
    /// A state, territory, region, city or other place.
    Place,
    /// An organization, institution or body.
    Organization,
}

impl EntityKind {
    /// The name used in ids and output: `person`, `place`, `organization`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organization => "organization",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EntityKind {
    type Err = Error;

    fn from_str(text: &str) -> Result<EntityKind> {
        match text {
            "person" => Ok(EntityKind::Person),
            "place" => Ok(EntityKind::Place),
            "organization" => Ok(EntityKind::Organization),
            _ => Err(Error::new(ErrorKind::UnknownEntityKind(text.to_string()))),
        }
    }
}

/// One entity: a stable id (`person:wladimir-putin`), its label and aliases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The stable id, `TYPE:slug`; node ids in the graph are these.
    pub id: String,
    /// The entity's type (the id's prefix).
    pub kind: EntityKind,
    /// The preferred name.
    pub label: String,
    /// Other names, spellings and abbreviations, as written in the file.
    pub aliases: Vec<String>,
    /// The Wikidata item, when known for certain (`Q7747`).
    pub wikidata: Option<String>,
}

/// A role held by a person over a period: Russia's foreign minister since 2004.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The person's entity id.
    pub person: String,
    /// The role key (`head_of_state`, `foreign_minister`, …).
    pub role: String,
    /// The entity the role belongs to (a state or an organization).
    pub of: String,
    /// First day in office, when known.
    pub start: Option<DateValue>,
    /// Last day in office; `None` while in office.
    pub end: Option<DateValue>,
}

/// A German word that names a role ("Außenminister", "Kremlchef").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleTerm {
    /// The word as written (matched in folded form, with inflection).
    pub term: String,
    /// The role key it names.
    pub role: String,
    /// The entity it implies, when the word says it ("Kremlchef" → Russia).
    pub of: Option<String>,
}

/// The whole gazetteer.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// The entities, each with its file (an index into `files`) and line.
    entities: Entities,
    /// The files read, in order.
    files: Vec<std::path::PathBuf>,
    role_lines: Vec<crate::error::Location>,
    /// Every entity id that roles, role words and adjectives refer to, and
    /// where, checked once all files are read.
    references: Vec<(String, crate::error::Location)>,
    /// Entity positions by id: hashed by the id, which only the entity
    /// holds (no copy per entity).
    index: hashbrown::HashTable<usize>,
    adjectives: BTreeMap<String, String>,
    roles: Vec<Role>,
    role_terms: Vec<RoleTerm>,
}

/// A gazetteer as the stages are built on it: parsed from its files (its
/// name matcher is then built from it) or read compiled, matcher and all.
#[derive(Clone, Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "one is made a run, and taken apart at once"
)]
pub enum Loaded {
    /// Parsed from TSV files (or the built-in one).
    Parsed(Gazetteer),
    /// Read from a compiled file.
    Compiled(CompiledGazetteer),
}

impl Loaded {
    /// The gazetteer embedded in the binary, with its matcher when the
    /// compiled form of it is current (see [`Gazetteer::builtin`]).
    ///
    /// # Panics
    /// Never in a released build: a test checks that the embedded files
    /// parse.
    pub fn builtin() -> Loaded {
        let current = BUILTIN_COMPILED
            .split_last_chunk::<8>()
            .filter(|(_, sum)| u64::from_le_bytes(**sum) == builtin_checksum())
            .and_then(|(compiled, _)| CompiledGazetteer::from_bytes(compiled).ok());
        match current {
            Some(compiled) => Loaded::Compiled(compiled),
            None => Loaded::Parsed(Gazetteer::parse_builtin()),
        }
    }

    /// The gazetteer alone (a compiled one's matcher dropped).
    pub fn into_gazetteer(self) -> Gazetteer {
        match self {
            Loaded::Parsed(gazetteer) => gazetteer,
            Loaded::Compiled(compiled) => compiled.into_gazetteer(),
        }
    }
}

impl From<Gazetteer> for Loaded {
    fn from(gazetteer: Gazetteer) -> Loaded {
        Loaded::Parsed(gazetteer)
    }
}

impl From<CompiledGazetteer> for Loaded {
    fn from(compiled: CompiledGazetteer) -> Loaded {
        Loaded::Compiled(compiled)
    }
}

impl Gazetteer {
    /// The gazetteer embedded in the binary.
    ///
    /// # Panics
    /// Never in a released build: a test checks that the embedded files parse.
    pub fn builtin() -> Gazetteer {
        Loaded::builtin().into_gazetteer()
    }

    /// The built-in gazetteer parsed from its files.
    fn parse_builtin() -> Gazetteer {
        let files = BUILTIN.iter().map(|(path, text)| (Path::new(path), *text));
        Gazetteer::from_sources(files).expect("the built-in gazetteer parses (checked by a test)")
    }

    /// Reads every `*.tsv` file of `dir` (in name order).
    ///
    /// # Errors
    /// A file that cannot be read, or any malformed line, with `file:line`.
    pub fn from_dir(dir: &Path) -> Result<Gazetteer> {
        let mut gazetteer = Gazetteer::default();
        gazetteer.add_dir(dir)?;
        gazetteer.check_references()?;
        Ok(gazetteer)
    }

    /// Adds the files of `dir` to this gazetteer (for `--gazetteer-add`).
    ///
    /// # Errors
    /// As [`Gazetteer::from_dir`]; an id defined twice is an error.
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let mut paths = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|err| Error::io(dir, err))?;
        for entry in entries {
            let path = entry.map_err(|err| Error::io(dir, err))?.path();
            if path.extension().is_some_and(|ext| ext == "tsv") {
                paths.push(path);
            }
        }
        if paths.is_empty() {
            return Err(Error::new(ErrorKind::Invalid(
                "no *.tsv files in this gazetteer folder".to_string(),
            ))
            .at(crate::error::Location::file(dir)));
        }
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|err| Error::io(&path, err))?;
            self.add_source(&path, &text)?;
        }
        self.check_references()
    }

    /// Builds a gazetteer from `(path, text)` pairs; the path is used in errors.
    ///
    /// # Errors
    /// Any malformed line, with `file:line`.
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a Path, &'a str)>,
    ) -> Result<Gazetteer> {
        let mut gazetteer = Gazetteer::default();
        for (path, text) in sources {
            gazetteer.add_source(path, text)?;
        }
        gazetteer.check_references()?;
        Ok(gazetteer)
    }

    fn add_source(&mut self, path: &Path, text: &str) -> Result<()> {
        let file = self.files.len();
        self.files.push(path.to_path_buf());
        let mut reserved = false;
        parse::parse_file(path, text, &mut |line, row| {
            let at = || crate::error::Location::line(path, line);
            match row {
                parse::Row::Entity(entity) => {
                    let known = self.entities.made();
                    if !reserved {
                        // At most an entity a line.
                        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
                        known.reserve(lines);
                        self.index.reserve(lines, |&i| id_hash(&known[i].0.id));
                        reserved = true;
                    }
                    let slot = self.index.entry(
                        id_hash(&entity.id),
                        |&i| known[i].0.id == entity.id,
                        |&i| id_hash(&known[i].0.id),
                    );
                    match slot {
                        hashbrown::hash_table::Entry::Occupied(_) => {
                            return Err(Error::new(ErrorKind::DuplicateId(entity.id)).at(at()));
                        }
                        hashbrown::hash_table::Entry::Vacant(slot) => {
                            slot.insert(known.len());
                        }
                    }
                    known.push((entity, (file, line)));
                }
                parse::Row::Adjective(adjective, entity) => {
                    self.references.push((entity.clone(), at()));
                    self.adjectives.insert(adjective, entity);
                }
                parse::Row::Role(role) => {
                    self.references.push((role.person.clone(), at()));
                    self.references.push((role.of.clone(), at()));
                    self.roles.push(role);
                    self.role_lines.push(at());
                }
                parse::Row::RoleTerm(term) => {
                    if let Some(of) = &term.of {
                        self.references.push((of.clone(), at()));
                    }
                    self.role_terms.push(term);
                }
            }
            Ok(())
        })
    }

    /// Where entity `index` is defined.
    fn entity_location(&self, index: usize) -> crate::error::Location {
        let (file, line) = self.entities.line(index).expect("an entity's index");
        crate::error::Location::line(&self.files[file], line)
    }

    /// Every id that roles and adjectives refer to must be defined.
    fn check_references(&self) -> Result<()> {
        for (id, at) in &self.references {
            if self.position(id).is_none() {
                return Err(Error::new(ErrorKind::UnknownEntity(id.clone())).at(at.clone()));
            }
        }
        Ok(())
    }

    /// All entities, in file order.
    pub fn entities(&self) -> &Entities {
        &self.entities
    }

    /// The entity with this id.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.position(id).map(|index| &self.entities[index])
    }

    /// The position of the entity with this id in [`Gazetteer::entities`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index
            .find(id_hash(id), |&i| self.entities[i].id == id)
            .copied()
    }

    /// Adjective stems (folded) and the place or organization they refer to
    /// ("russisch" → `place:russland`).
    pub fn adjectives(&self) -> &BTreeMap<String, String> {
        &self.adjectives
    }

    /// All roles over time.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The words that name roles.
    pub fn role_terms(&self) -> &[RoleTerm] {
        &self.role_terms
    }

    /// The entities a user-given name refers to: the label, any alias, or
    /// the last word of a person's name, compared folded ("Erdogan",
    /// "Erdoğan" and "Recep Tayyip Erdoğan" are one person). Exact name
    /// matches win over surname matches.
    pub fn lookup(&self, name: &str) -> Vec<&Entity> {
        let key = fold_name(name);
        if key.is_empty() {
            return Vec::new();
        }
        let names = |entity: &'_ Entity| -> Vec<String> {
            std::iter::once(&entity.label)
                .chain(&entity.aliases)
                .map(|n| fold_name(n))
                .collect()
        };
        let exact: Vec<&Entity> = self
            .entities
            .iter()
            .filter(|entity| names(entity).contains(&key) || fold_name(&entity.id) == key)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        self.entities
            .iter()
            .filter(|entity| {
                entity.kind == EntityKind::Person
                    && names(entity)
                        .iter()
                        .any(|n| n.rsplit(' ').next() == Some(key.as_str()))
            })
            .collect()
    }
}

/// The hash of an entity id in the gazetteer's index.
fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// `text` split at each `byte` (ASCII), as `str::split` with that
/// character splits it: the pieces between, empty ones too. The search
/// is `memchr`'s: with 100,000 names added, `str::split` with a character
/// over the rows' lines and fields took a tenth of the start-up. (A name's
/// token path, one to three short tokens, splits faster with a plain loop
/// over its bytes: see the matcher's `steps`; over a file's lines and
/// fields, that loop took a tenth more instructions than this search.)
fn split_at_byte(text: &str, byte: u8) -> impl Iterator<Item = &str> {
    debug_assert!(byte.is_ascii());
    let mut start = 0;
    let mut ends = memchr::memchr_iter(byte, text.as_bytes());
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let end = ends.next().unwrap_or_else(|| {
            done = true;
            text.len()
        });
        // An ASCII byte never falls inside a character.
        let piece = &text[start..end];
        start = end + 1;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splitting at a byte is `str::split` at that character.
    #[quickcheck_macros::quickcheck]
    fn split_at_byte_is_str_split(picks: Vec<u8>) -> bool {
        const PIECES: &[&str] = &["\t", "|", "a", "Ä", " ", "\n", "\r", "::", "x|y"];
        let text = crate::test_text::from_picks(&picks, PIECES);
        [b'\t', b'|', b'\n', b':']
            .iter()
            .all(|&byte| split_at_byte(&text, byte).eq(text.split(char::from(byte))))
    }

    #[test]
    fn builtin_parses_with_unique_ids() {
        let gazetteer = Gazetteer::builtin();
        assert!(gazetteer.entities().len() > 30);
        assert!(gazetteer.entity("person:wladimir-putin").is_some());
    }

    /// The compiled built-in gazetteer is what compiling the embedded files
    /// gives, and reads back as it was written. After a change to the files
    /// (or to how names are matched, or to the version),
    /// `UPDATE_GOLDEN=1 cargo test --lib compiled_builtin` writes it anew.
    #[test]
    fn the_compiled_builtin_gazetteer_is_current() {
        let mut file = CompiledGazetteer::new(Gazetteer::parse_builtin()).to_bytes();
        file.extend_from_slice(&builtin_checksum().to_le_bytes());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/gazetteer/builtin.ngz");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &file).expect("the compiled gazetteer is written");
            return;
        }
        assert!(
            file == BUILTIN_COMPILED,
            "src/gazetteer/builtin.ngz is not the built-in gazetteer compiled: \
             run `UPDATE_GOLDEN=1 cargo test --lib compiled_builtin` and commit it"
        );
        let Loaded::Compiled(compiled) = Loaded::builtin() else {
            panic!("the compiled built-in gazetteer is taken");
        };
        let mut again = compiled.to_bytes();
        again.extend_from_slice(&builtin_checksum().to_le_bytes());
        assert!(
            again == BUILTIN_COMPILED,
            "read back, it writes the same bytes"
        );
    }

    #[test]
    fn every_gazetteer_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteer");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tsv"))
            .map(|name| format!("gazetteer/{name}"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn lookup_folds_spelling_variants() {
        let gazetteer = Gazetteer::builtin();
        for name in ["Erdogan", "Erdoğan", "Recep Tayyip Erdoğan", "erdogan"] {
            let found: Vec<&str> = gazetteer
                .lookup(name)
                .iter()
                .map(|e| e.id.as_str())
                .collect();
            assert_eq!(found, ["person:recep-tayyip-erdogan"], "{name}");
        }
    }

    /// The error of a gazetteer made of these files (name, text).
    fn load_error(files: &[(&str, &str)]) -> String {
        Gazetteer::from_sources(files.iter().map(|&(name, text)| (Path::new(name), text)))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn an_id_defined_twice_is_reported_where_it_is_defined_again() {
        let first = "id\tlabel\taliases\twikidata\nplace:rom\tRom\t\nplace:minsk\tMinsk\t\n";
        let second = "id\tlabel\taliases\twikidata\n# Hauptstädte\nplace:minsk\tMinsk\t\n";
        assert_eq!(
            load_error(&[("g/places.tsv", first), ("g/more.tsv", second)]),
            "g/more.tsv:3: entity id \"place:minsk\" is defined twice"
        );
        let gazetteer = Gazetteer::from_sources([(Path::new("g/places.tsv"), first)]).unwrap();
        assert_eq!(gazetteer.position("place:minsk"), Some(1));
        assert_eq!(
            gazetteer.entity("place:rom").map(|e| e.label.as_str()),
            Some("Rom")
        );
        assert_eq!(gazetteer.position("place:paris"), None);
    }

    /// Rows go into the gazetteer as they are parsed: in a long file, the
    /// first bad line is reported, whether it is malformed or defines an id
    /// again, and a file of entities after one of roles keeps its lines.
    #[test]
    fn a_long_file_reports_its_first_bad_line_of_either_kind() {
        let mut text = String::from("id\tlabel\taliases\twikidata\n");
        for index in 0..40_000 {
            text.push_str(&format!("person:p{index}\tP {index}\tPe {index}|\n"));
        }
        let with = |bad: &[(usize, &str)]| {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for &(line, content) in bad {
                lines[line - 1] = content.to_string();
            }
            let text = lines.join("\n");
            Gazetteer::from_sources([(Path::new("g/people.tsv"), text.as_str())])
                .map(|g| g.entities().len())
                .map_err(|err| err.to_string())
        };
        assert_eq!(with(&[]), Ok(40_000));
        let twice = "person:p3\tP\t\t";
        let malformed = "person:x";
        assert_eq!(
            with(&[(30_000, twice), (35_000, malformed)]),
            Err("g/people.tsv:30000: entity id \"person:p3\" is defined twice".to_string())
        );
        assert_eq!(
            with(&[(30_000, malformed), (35_000, twice)]),
            Err("g/people.tsv:30000: expected 4 tab-separated fields, found 1".to_string())
        );
        let roles = "person\trole\tof\tstart\tend\nperson:p1\tpresident\tplace:x\t2020\t\n";
        let places = "id\tlabel\taliases\twikidata\n\nplace:x\tX\t\t\nplace:x\tX\t\t\n";
        assert_eq!(
            load_error(&[
                ("g/people.tsv", text.as_str()),
                ("g/roles.tsv", roles),
                ("g/places.tsv", places),
            ]),
            "g/places.tsv:4: entity id \"place:x\" is defined twice"
        );
        let gazetteer = Gazetteer::from_sources([
            (Path::new("g/people.tsv"), text.as_str()),
            (Path::new("g/roles.tsv"), roles),
            (Path::new("g/places.tsv"), &places[..places.len() - 12]),
        ])
        .unwrap();
        assert_eq!(
            gazetteer.entity_location(40_000).to_string(),
            "g/places.tsv:3"
        );
        assert_eq!(gazetteer.entity_location(7).to_string(), "g/people.tsv:9");
    }
}
