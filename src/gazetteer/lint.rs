//! `gazetteer check`: what the parser accepts but a maintainer should fix.
//!
//! Errors: terms of office of one role that overlap (two Russian foreign
//! ministers at once), a term's person holding a role of a person. Warnings:
//! a name claimed by two entities (the matcher leaves it unresolved), an
//! alias equal to the label.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::Location;
use crate::token::fold_name;

use super::{EntityKind, Gazetteer};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look; the gazetteer works.
    Warning,
    /// Wrong data: `gazetteer check` fails.
    Error,
}

/// One problem, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// The file and line.
    pub location: Location,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {level}: {}", self.location, self.message)
    }
}

impl Gazetteer {
    /// Checks the gazetteer's consistency; findings sorted by file and line.
    pub fn lint(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut names: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, entity) in self.entities.iter().enumerate() {
            let label = fold_name(&entity.label);
            for alias in &entity.aliases {
                if fold_name(alias) == label {
                    findings.push(Finding {
                        severity: Severity::Warning,
                        location: self.entity_location(index),
                        message: format!("alias {alias:?} of {:?} is its label again", entity.id),
                    });
                }
            }
            let mut own: Vec<String> = std::iter::once(&entity.label)
                .chain(&entity.aliases)
                .map(|n| fold_name(n))
                .collect();
            own.sort();
            own.dedup();
            for name in own {
                names.entry(name).or_default().push(index);
            }
        }
        for (name, owners) in &names {
            if owners.len() > 1 {
                let ids: Vec<&str> = owners
                    .iter()
                    .map(|&i| self.entities[i].id.as_str())
                    .collect();
                findings.push(Finding {
                    severity: Severity::Warning,
                    location: self.entity_location(owners[1]),
                    message: format!(
                        "name {name:?} is claimed by {}; it is left unresolved in texts",
                        ids.join(" and ")
                    ),
                });
            }
        }
        let mut terms: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
        for (index, role) in self.roles.iter().enumerate() {
            if self
                .entity(&role.of)
                .is_some_and(|e| e.kind == EntityKind::Person)
            {
                findings.push(Finding {
                    severity: Severity::Error,
                    location: self.role_lines[index].clone(),
                    message: format!("role {:?} belongs to a person ({:?})", role.role, role.of),
                });
            }
            terms
                .entry((role.role.as_str(), role.of.as_str()))
                .or_default()
                .push(index);
        }
        for ((role, of), indices) in terms {
            let mut spans: Vec<(chrono::NaiveDate, chrono::NaiveDate, usize)> = indices
                .iter()
                .filter_map(|&i| {
                    let held = &self.roles[i];
                    let start = held
                        .start
                        .and_then(|d| d.bounds())
                        .map(|(first, _)| first)?;
                    let end = held
                        .end
                        .and_then(|d| d.bounds())
                        .map_or(chrono::NaiveDate::MAX, |(first, _)| first);
                    Some((start, end, i))
                })
                .collect();
            spans.sort();
            for pair in spans.windows(2) {
                let (first, second) = (&pair[0], &pair[1]);
                // A hand-over on the same day is not an overlap.
                if second.0 < first.1 && self.roles[first.2].person != self.roles[second.2].person {
                    findings.push(Finding {
                        severity: Severity::Error,
                        location: self.role_lines[second.2].clone(),
                        message: format!(
                            "{} holds {role} of {of} from {} while {} still does (since {})",
                            self.roles[second.2].person,
                            second.0,
                            self.roles[first.2].person,
                            first.0
                        ),
                    });
                }
            }
        }
        findings.sort_by(|a, b| {
            (&a.location.path, a.location.line, &a.message).cmp(&(
                &b.location.path,
                b.location.line,
                &b.message,
            ))
        });
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn lint_table() {
        let entities = "id\tlabel\taliases\twikidata\n\
            person:a\tAnna A\tA|Anna A\n\
            person:b\tBert B\tA\n\
            place:x\tX\t\n";
        let roles = "person\trole\tof\tstart\tend\n\
            person:a\tforeign_minister\tplace:x\t2010\t2015-06\n\
            person:b\tforeign_minister\tplace:x\t2015-01-01\t\n\
            person:a\thead_of_state\tplace:x\t2015-06\t2020\n\
            person:b\thead_of_state\tplace:x\t2020\t\n";
        let gazetteer =
            Gazetteer::from_sources([(Path::new("e.tsv"), entities), (Path::new("r.tsv"), roles)])
                .unwrap();
        let findings: Vec<String> = gazetteer.lint().iter().map(ToString::to_string).collect();
        assert_eq!(
            findings,
            [
                "e.tsv:2: warning: alias \"Anna A\" of \"person:a\" is its label again",
                "e.tsv:3: warning: name \"a\" is claimed by person:a and person:b; it is left unresolved in texts",
                "r.tsv:3: error: person:b holds foreign_minister of place:x from 2015-01-01 while person:a still does (since 2010-01-01)",
            ]
        );
    }

    #[test]
    fn builtin_gazetteer_has_no_errors() {
        let errors: Vec<String> = Gazetteer::builtin()
            .lint()
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}
