//! The gazetteer's TSV files: one header line naming the columns, `#`
//! comments, blank lines ignored, UTF-8.

use std::path::Path;

use crate::date::DateValue;
use crate::error::{Error, ErrorKind, Location, Result};

use super::{Entity, EntityKind, Role, RoleTerm};

/// The kinds of gazetteer file, told apart by their header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// `id  label  aliases  wikidata`: one entity a line; aliases separated by `|`.
    Entities,
    /// `adjective  entity`: an adjective stem and the entity it refers to.
    Adjectives,
    /// `person  role  of  start  end`: a role held over a period.
    Roles,
    /// `term  role  of`: a German word naming a role.
    RoleTerms,
}

impl Table {
    /// All tables, in the order their headers are listed in hints.
    pub const ALL: [Table; 4] = [
        Table::Entities,
        Table::Adjectives,
        Table::Roles,
        Table::RoleTerms,
    ];

    /// The column names of this table.
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            Table::Entities => &["id", "label", "aliases", "wikidata"],
            Table::Adjectives => &["adjective", "entity"],
            Table::Roles => &["person", "role", "of", "start", "end"],
            Table::RoleTerms => &["term", "role", "of"],
        }
    }

    /// How many leading columns a line must fill; later ones may be left off.
    fn required(&self) -> usize {
        match self {
            Table::Entities => 2,
            Table::Adjectives => 2,
            Table::Roles => 4,
            Table::RoleTerms => 2,
        }
    }
}

/// Parses one gazetteer file, handing each row with its 1-based line
/// number to `each`, in file order, until the first bad line or the first
/// error of `each`; `path` names the file in errors.
pub(super) fn parse_file(
    path: &Path,
    text: &str,
    each: &mut (dyn FnMut(usize, Row) -> Result<()> + Send),
) -> Result<()> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Lines as `str::lines` gives them (a `\r` before the `\n` is trimmed
    // below; the empty piece after a final `\n` is dropped as blank).
    let mut lines = super::split_at_byte(text, b'\n')
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    let expected_headers = || {
        Table::ALL
            .iter()
            .map(|t| t.columns().join("\\t"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let Some((header_line, header)) = lines.next() else {
        return Err(Error::new(ErrorKind::BadHeader {
            expected: expected_headers(),
        })
        .at(Location::file(path)));
    };
    let columns: Vec<&str> = header.split('\t').map(str::trim).collect();
    let Some(table) = Table::ALL
        .into_iter()
        .find(|t| t.columns() == columns.as_slice())
    else {
        return Err(Error::new(ErrorKind::BadHeader {
            expected: expected_headers(),
        })
        .at(Location::line(path, header_line)));
    };
    // A long file (a large `--gazetteer-add` list) is parsed on every core,
    // a block of lines at a time, and each block's rows are handed over
    // while the next block is parsed, so that no more than two blocks'
    // rows are held twice (as parsed, then where they go); the rows keep
    // their order, and the first bad line is the one reported.
    let parse = |&(line, content): &(usize, &str)| {
        parse_row(table, content).map_err(|e| e.at(Location::line(path, line)))
    };
    let mut next_block = || {
        let block: Vec<(usize, &str)> = lines.by_ref().take(PARSED_BLOCK).collect();
        let rows: Vec<Result<Row>> = if block.len() >= PARALLEL_LINES {
            use rayon::prelude::*;
            block
                .par_iter()
                .with_min_len(PARALLEL_LINES / 4)
                .map(parse)
                .collect()
        } else {
            block.iter().map(parse).collect()
        };
        (block, rows)
    };
    let (mut block, mut rows) = next_block();
    while !block.is_empty() {
        let hand = || -> Result<()> {
            for ((line, _), row) in block.iter().zip(rows) {
                each(*line, row?)?;
            }
            Ok(())
        };
        if block.len() < PARSED_BLOCK {
            // The last block (a short file's only one): nothing to parse
            // beside it.
            return hand();
        }
        let (handed, next) = rayon::join(hand, &mut next_block);
        handed?;
        (block, rows) = next;
    }
    Ok(())
}

/// Lines from which a file is parsed in parallel.
const PARALLEL_LINES: usize = 8192;

/// Lines parsed at a time (in parallel when they are enough).
const PARSED_BLOCK: usize = 4 * PARALLEL_LINES;

/// One parsed line of any table.
#[derive(Debug)]
pub(super) enum Row {
    Entity(Entity),
    Adjective(String, String),
    Role(Role),
    RoleTerm(RoleTerm),
}

/// Parses one line of `table`; errors carry no location (the caller adds it).
fn parse_row(table: Table, content: &str) -> Result<Row> {
    let mut fields = [""; 5];
    let total = table.columns().len();
    let mut found = 0;
    for field in super::split_at_byte(content, b'\t') {
        if found < fields.len() {
            fields[found] = trim(field);
        }
        found += 1;
    }
    if found < table.required() || found > total {
        return Err(Error::new(ErrorKind::FieldCount {
            expected: total,
            found,
        }));
    }
    let field = |index: usize| fields[index];
    for index in 0..table.required() {
        if field(index).is_empty() && !(table == Table::RoleTerms && index == 2) {
            return Err(Error::new(ErrorKind::Invalid(format!(
                "empty field {:?}",
                table.columns()[index]
            ))));
        }
    }
    Ok(match table {
        Table::Entities => {
            let (kind, _) = parse_id(field(0))?;
            // As many as there are, not the four a growing vector starts
            // with: a large gazetteer holds one list per entity.
            let listed = field(2);
            let mut aliases =
                Vec::with_capacity(memchr::memchr_iter(b'|', listed.as_bytes()).count() + 1);
            aliases.extend(
                super::split_at_byte(listed, b'|')
                    .map(trim)
                    .filter(|alias| !alias.is_empty())
                    .map(str::to_string),
            );
            let wikidata = match field(3) {
                "" => None,
                q if q.starts_with('Q')
                    && q[1..].bytes().all(|b| b.is_ascii_digit())
                    && q.len() > 1 =>
                {
                    Some(q.to_string())
                }
                q => {
                    return Err(Error::new(ErrorKind::Invalid(format!(
                        "bad Wikidata id {q:?} (expected Q followed by digits)"
                    ))));
                }
            };
            Row::Entity(Entity {
                id: field(0).to_string(),
                kind,
                label: field(1).to_string(),
                aliases,
                wikidata,
            })
        }
        Table::Adjectives => {
            parse_id(field(1))?;
            Row::Adjective(crate::token::fold(field(0)), field(1).to_string())
        }
        Table::Roles => {
            let (kind, _) = parse_id(field(0))?;
            if kind != EntityKind::Person {
                return Err(Error::new(ErrorKind::Invalid(format!(
                    "a role is held by a person, not {:?}",
                    field(0)
                ))));
            }
            parse_id(field(2))?;
            let date = |text: &str| -> Result<Option<DateValue>> {
                if text.is_empty() {
                    Ok(None)
                } else {
                    text.parse().map(Some)
                }
            };
            let start = date(field(3))?;
            let end = date(field(4))?;
            if let (Some(start), Some(end)) = (start, end)
                && end < start
            {
                return Err(Error::new(ErrorKind::Invalid(format!(
                    "term ends ({end}) before it starts ({start})"
                ))));
            }
            Row::Role(Role {
                person: field(0).to_string(),
                role: field(1).to_string(),
                of: field(2).to_string(),
                start,
                end,
            })
        }
        Table::RoleTerms => {
            let of = match field(2) {
                "" => None,
                id => {
                    parse_id(id)?;
                    Some(id.to_string())
                }
            };
            Row::RoleTerm(RoleTerm {
                term: field(0).to_string(),
                role: field(1).to_string(),
                of,
            })
        }
    })
}

/// `text` without white space around it, as `str::trim` gives it; a text
/// that starts and ends with ASCII that is no white space is returned as it
/// is without looking further.
fn trim(text: &str) -> &str {
    let plain = |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii_graphic());
    if plain(text.as_bytes().first()) && plain(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// The bytes of a slug: lowercase ASCII letters, digits and `-`.
const SLUG_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
        byte += 1;
    }
    table
};

/// Splits `person:wladimir-putin` into its type and slug, checking both.
fn parse_id(id: &str) -> Result<(EntityKind, &str)> {
    // Ids are short: a plain search beats a call into memchr's.
    let Some((kind, slug)) = id
        .bytes()
        .position(|b| b == b':')
        .map(|at| (&id[..at], &id[at + 1..]))
    else {
        return Err(Error::new(ErrorKind::BadId(id.to_string())));
    };
    let kind: EntityKind = kind.parse()?;
    let valid = !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug.bytes().all(|b| SLUG_BYTES[usize::from(b)]);
    if !valid {
        return Err(Error::new(ErrorKind::BadId(id.to_string())));
    }
    Ok((kind, slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `text`, or the error.
    fn rows(text: &str) -> Result<Vec<(usize, Row)>> {
        let mut rows = Vec::new();
        parse_file(Path::new("g/people.tsv"), text, &mut |line, row| {
            rows.push((line, row));
            Ok(())
        })?;
        Ok(rows)
    }

    /// The entities of `text`, each with its line.
    fn entities(text: &str) -> Vec<(usize, Entity)> {
        let rows = rows(text).expect("the file parses");
        rows.into_iter()
            .map(|(line, row)| match row {
                Row::Entity(entity) => (line, entity),
                other => panic!("not an entity: {other:?}"),
            })
            .collect()
    }

    fn error(text: &str) -> String {
        match rows(text) {
            Ok(_) => "ok".to_string(),
            Err(err) => err.to_string(),
        }
    }

    /// A file longer than a block is parsed whole and in order, and its
    /// first bad line is the one reported, in whichever block it stands.
    #[test]
    fn long_files_are_parsed_in_order_block_by_block() {
        let rows = 2 * PARSED_BLOCK + 7;
        let mut text = "id\tlabel\taliases\twikidata\n".to_string();
        for i in 0..rows {
            text.push_str(&format!("person:p-{i}\tP {i}\tP{i}\t\n"));
        }
        let entities = entities(&text);
        assert_eq!(entities.len(), rows);
        for (i, (line, entity)) in entities.iter().enumerate() {
            assert_eq!(
                (*line, entity.id.as_str()),
                (i + 2, format!("person:p-{i}").as_str())
            );
        }
        let mut lines: Vec<&str> = text.lines().collect();
        let (first, second) = (PARSED_BLOCK + 100, 2 * PARSED_BLOCK + 3);
        lines[second] = "person:bad\tB";
        lines[first] = "persn:bad\tB\t\t";
        let broken = lines.join("\n");
        assert!(
            error(&broken).starts_with(&format!("g/people.tsv:{}:", first + 1)),
            "{}",
            error(&broken)
        );
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let header = "id\tlabel\taliases\twikidata\n";
        let rows = [
            (
                "field_count",
                format!("{header}person:a\n"),
                "g/people.tsv:2: expected 4 tab-separated fields, found 1",
            ),
            (
                "unknown_type",
                format!("{header}# c\npersn:a\tA\tB\n"),
                "g/people.tsv:3: unknown entity type \"persn\" (expected person, place or organization)",
            ),
            (
                "bad_slug",
                format!("{header}person:A b\tA\tB\n"),
                "g/people.tsv:2: bad entity id \"person:A b\" (use lowercase letters, digits and hyphens)",
            ),
            (
                "bad_wikidata",
                format!("{header}person:a\tA\tB\tX1\n"),
                "g/people.tsv:2: bad Wikidata id \"X1\" (expected Q followed by digits)",
            ),
            (
                "bad_header",
                "name\tx\n".to_string(),
                "g/people.tsv:1: bad header (expected \"id\\\\tlabel\\\\taliases\\\\twikidata or adjective\\\\tentity or person\\\\trole\\\\tof\\\\tstart\\\\tend or term\\\\trole\\\\tof\")",
            ),
            (
                "bad_date",
                "person\trole\tof\tstart\tend\nperson:a\tpresident\tplace:b\t2020-13\t\n"
                    .to_string(),
                "g/people.tsv:2: bad date \"2020-13\" (expected YYYY, YYYY-MM or YYYY-MM-DD)",
            ),
            ("ok", format!("{header}\nperson:a\tA\tB|C\tQ1\n"), "ok"),
        ];
        for (name, text, expected) in rows {
            assert_eq!(error(&text), expected, "{name}");
        }
    }

    #[test]
    fn a_long_file_reports_its_first_bad_line() {
        // Long enough to be parsed in parallel, with two bad lines.
        let mut text = String::from("id\tlabel\taliases\twikidata\n");
        for index in 0..3 * PARALLEL_LINES {
            match index {
                20_000 => text.push_str("person:x\n"),
                21_000 => text.push_str("persn:y\tY\n"),
                _ => text.push_str(&format!("person:p{index}\tP {index}\t\n")),
            }
        }
        assert_eq!(
            error(&text),
            "g/people.tsv:20002: expected 4 tab-separated fields, found 1"
        );
        let rows = entities(&text.replace("person:x\n", "").replace("persn:y\tY\n", ""));
        assert_eq!(rows.len(), 3 * PARALLEL_LINES - 2);
        assert!(rows.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert_eq!(rows[0], (2, rows[0].1.clone()));
        assert_eq!(rows[0].1.id, "person:p0");
        assert_eq!(
            rows.last().map(|row| row.1.id.as_str()),
            Some("person:p24575")
        );
    }
}
