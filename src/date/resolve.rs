//! Resolution of an [`Expression`] against the document date.
//!
//! The rules, as news readers expect them:
//! - A weekday in a past- or present-tense sentence is the last such day on
//!   or before the document date; in a future-tense sentence the first on or
//!   after it. "vergangenen"/"letzten" mean strictly before, "nächsten"/
//!   "kommenden" strictly after.
//! - A day and month without a year take the document's year, or the year
//!   before when a past (or present) event would fall after the document
//!   date, or the year after when a future event would fall before it. With a
//!   document month the comparison is by month; with a document year, the
//!   document's year is taken as it is.
//! - Relative expressions ("gestern", "letzte Woche") are computed from a
//!   document day and given at the coarsest precision that covers what they
//!   mean: a week is its month, or its year when it spans two months.
//! - A document date of reduced precision caps the result: with a document
//!   month, a weekday or a day offset of under four weeks is that month (the
//!   day is unknown); with a document year, anything under a year is that
//!   year. Longer offsets are applied to every day the document date covers.
//! - Without a document date, a relative expression has no value.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::grammar::{Expression, Shift, Unit, Year};
use super::{DateValue, Tense};

/// A value and how it was obtained, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Resolution {
    pub(super) value: Option<DateValue>,
    pub(super) basis: String,
}

impl Resolution {
    /// A resolution; a value outside the years 1–9999 (which `DateValue`
    /// cannot print) becomes no value.
    fn new(value: Option<DateValue>, basis: impl Into<String>) -> Resolution {
        let basis = basis.into();
        match value.and_then(|value| value.year) {
            Some(year) if !(1..=9999).contains(&year) => Resolution {
                value: None,
                basis: format!("{basis}; out of calendar range"),
            },
            _ => Resolution { value, basis },
        }
    }
}

/// Resolves `expression` against `reference`; `tense` is asked only when needed.
pub(super) fn resolve(
    expression: &Expression,
    reference: Option<&DateValue>,
    tense: &dyn Fn() -> Tense,
) -> Resolution {
    let anchor = reference.and_then(Anchor::new);
    match *expression {
        Expression::Calendar {
            day,
            month,
            year,
            shift,
        } => calendar(day, month, year, shift, anchor, tense),
        _ => relative(expression, anchor, tense),
    }
}

/// The document date at the precision it has (a reference with an unknown
/// year anchors nothing).
#[derive(Clone, Copy, Debug)]
enum Anchor {
    Day(NaiveDate),
    Month(i32, u32),
    Year(i32),
}

impl Anchor {
    fn new(reference: &DateValue) -> Option<Anchor> {
        let year = reference.year?;
        match (reference.month, reference.day) {
            (Some(month), Some(day)) => NaiveDate::from_ymd_opt(year, month, day).map(Anchor::Day),
            (Some(month), None) => (1..=12)
                .contains(&month)
                .then_some(Anchor::Month(year, month)),
            _ => Some(Anchor::Year(year)),
        }
    }

    fn year(self) -> i32 {
        match self {
            Anchor::Day(date) => date.year(),
            Anchor::Month(year, _) | Anchor::Year(year) => year,
        }
    }

    fn value(self) -> DateValue {
        match self {
            Anchor::Day(date) => DateValue::day(date),
            Anchor::Month(year, month) => DateValue::month(year, month),
            Anchor::Year(year) => DateValue::year(year),
        }
    }

    /// "document date", "document month" or "document year".
    fn noun(self) -> &'static str {
        match self {
            Anchor::Day(_) => "document date",
            Anchor::Month(..) => "document month",
            Anchor::Year(_) => "document year",
        }
    }

    /// The first and last day the anchor covers.
    fn bounds(self) -> Option<(NaiveDate, NaiveDate)> {
        self.value().bounds()
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} {}", self.noun(), self.value())
    }
}

/// Where to look for a weekday or a year, relative to the document date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    OnOrBefore,
    OnOrAfter,
    Before,
    After,
}

impl Direction {
    fn new(shift: Shift, tense: &dyn Fn() -> Tense) -> Direction {
        match shift {
            Shift::ByTense => match tense() {
                Tense::Past | Tense::Present => Direction::OnOrBefore,
                Tense::Future => Direction::OnOrAfter,
            },
            Shift::OnOrBefore => Direction::OnOrBefore,
            Shift::Before => Direction::Before,
            Shift::After => Direction::After,
        }
    }

    /// Whether a candidate that compares to the anchor as `order` must move
    /// a step back (-1), ahead (1) or not at all.
    fn step(self, order: Ordering) -> i32 {
        match (self, order) {
            (Direction::OnOrBefore, Ordering::Greater) => -1,
            (Direction::Before, Ordering::Greater | Ordering::Equal) => -1,
            (Direction::OnOrAfter, Ordering::Less) => 1,
            (Direction::After, Ordering::Less | Ordering::Equal) => 1,
            _ => 0,
        }
    }
}

/// Why a direction was chosen, for the basis.
fn reason(shift: Shift, tense: &dyn Fn() -> Tense) -> &'static str {
    match shift {
        Shift::ByTense => match tense() {
            Tense::Past => "past tense",
            Tense::Present => "present tense, read as past",
            Tense::Future => "future tense",
        },
        Shift::OnOrBefore => "\"seit\": on or before it",
        Shift::Before => "marked as earlier",
        Shift::After => "marked as later",
    }
}

/// Explicit calendar fields, the missing year (or month) taken from the anchor.
fn calendar(
    day: Option<u32>,
    month: Option<u32>,
    year: Option<Year>,
    shift: Shift,
    anchor: Option<Anchor>,
    tense: &dyn Fn() -> Tense,
) -> Resolution {
    if let Some(year) = year {
        let value = DateValue {
            year: Some(year.value),
            month,
            day,
        };
        let what = match (month, day) {
            (Some(_), Some(_)) => "explicit date",
            (Some(_), None) => "explicit month",
            _ => "explicit year",
        };
        return if year.two_digit {
            Resolution::new(
                Some(value),
                format!("{what}; two-digit year read as {}", year.value),
            )
        } else {
            Resolution::new(Some(value), what)
        };
    }
    let Some(month) = month else {
        return day_of_month(day, shift, anchor, tense);
    };
    let what = if day.is_some() {
        "day and month"
    } else {
        "month"
    };
    let unknown_year = DateValue {
        year: None,
        month: Some(month),
        day,
    };
    let Some(anchor) = anchor else {
        return Resolution::new(Some(unknown_year), format!("{what}; year unknown"));
    };
    let order = match anchor {
        Anchor::Day(date) => match day {
            Some(day) => (month, day).cmp(&(date.month(), date.day())),
            None => month.cmp(&date.month()),
        },
        Anchor::Month(_, anchor_month) => month.cmp(&anchor_month),
        // The document year is all there is to compare with.
        Anchor::Year(_) => {
            let value = DateValue {
                year: Some(anchor.year()),
                ..unknown_year
            };
            return checked(value, format!("{what}; year from {anchor}"));
        }
    };
    let year = anchor.year() + Direction::new(shift, tense).step(order);
    let value = DateValue {
        year: Some(year),
        ..unknown_year
    };
    checked(
        value,
        format!(
            "{what}; year {year} from {anchor} ({})",
            reason(shift, tense)
        ),
    )
}

/// A value whose day may not exist in its year (29 February): then the year is left unknown.
fn checked(value: DateValue, basis: String) -> Resolution {
    match (value.year, value.month, value.day) {
        (Some(year), Some(month), Some(day)) if value.to_naive().is_none() => Resolution::new(
            Some(DateValue {
                year: None,
                ..value
            }),
            format!("{basis}; but {year} has no {day:02}-{month:02}, so the year is unknown"),
        ),
        _ => Resolution::new(Some(value), basis),
    }
}

/// "am 15.": the month (and year) from the anchor.
fn day_of_month(
    day: Option<u32>,
    shift: Shift,
    anchor: Option<Anchor>,
    tense: &dyn Fn() -> Tense,
) -> Resolution {
    let (Some(day), Some(anchor)) = (day, anchor) else {
        return Resolution::new(
            None,
            "day of the month without a document date: no calendar date",
        );
    };
    let Anchor::Day(date) = anchor else {
        return Resolution::new(
            Some(anchor.value()),
            format!("day of the month; {anchor} gives no day, so it is kept"),
        );
    };
    let step = Direction::new(shift, tense).step(day.cmp(&date.day()));
    let first = date.with_day(1).expect("every month has a first day");
    let month_start = match step {
        -1 => first.checked_sub_months(Months::new(1)),
        1 => first.checked_add_months(Months::new(1)),
        _ => Some(first),
    };
    match month_start.and_then(|start| start.with_day(day)) {
        Some(resolved) => Resolution::new(
            Some(DateValue::day(resolved)),
            format!(
                "day of the month; month from {anchor} ({})",
                reason(shift, tense)
            ),
        ),
        None => Resolution::new(
            None,
            format!("day of the month; no day {day} in the month next to {anchor}"),
        ),
    }
}

/// How far an expression reaches from the document date, in days, and the
/// unit it counts in.
fn reach(expression: &Expression) -> (i64, Unit) {
    let length = |unit: Unit| match unit {
        Unit::Day => 1,
        Unit::Week => 7,
        Unit::Month => 31,
        Unit::Year => 366,
    };
    match *expression {
        Expression::Weekday { .. } | Expression::Weekend { .. } => (7, Unit::Day),
        Expression::WeekdayOfWeek { weeks, .. } => (weeks.abs().saturating_mul(7) + 7, Unit::Day),
        Expression::Offset { amount, unit } => (amount.abs().saturating_mul(length(unit)), unit),
        Expression::Period { unit, shift } => (
            shift.abs().saturating_mul(length(unit)) + length(unit),
            unit,
        ),
        Expression::Calendar { .. } => (0, Unit::Day),
    }
}

/// A relative expression: computed from a document day, or kept at the
/// document's precision when that is coarser than the expression's reach.
fn relative(
    expression: &Expression,
    anchor: Option<Anchor>,
    tense: &dyn Fn() -> Tense,
) -> Resolution {
    let (what, shift) = match *expression {
        Expression::Weekday {
            shift,
            night_before,
            ..
        } => (
            if night_before {
                "night before a weekday (dated to that day)"
            } else {
                "weekday"
            },
            Some(shift),
        ),
        Expression::Weekend { shift } => ("weekend", Some(shift)),
        _ => ("relative date", None),
    };
    let Some(anchor) = anchor else {
        return Resolution::new(
            None,
            format!("{what} without a document date: no calendar date"),
        );
    };
    let why = shift.map_or(String::new(), |shift| {
        format!(" ({})", reason(shift, tense))
    });
    let (days, unit) = reach(expression);
    let coarse = match anchor {
        Anchor::Day(_) => false,
        Anchor::Month(..) => matches!(unit, Unit::Day | Unit::Week) && days < 28,
        Anchor::Year(_) => unit != Unit::Year && days < 365,
    };
    if coarse {
        return Resolution::new(
            Some(anchor.value()),
            format!("{what} resolved against {anchor}, kept at its precision{why}"),
        );
    }
    let range = anchor.bounds().and_then(|(first, last)| {
        let (from, _) = span_from(expression, first, tense)?;
        let (_, to) = span_from(expression, last, tense)?;
        Some((from, to))
    });
    let Some((from, to)) = range else {
        return Resolution::new(None, format!("{what} out of calendar range"));
    };
    let value = covering(from, to);
    let mut basis = format!("{what} resolved against {anchor}{why}");
    if from != to && value.and_then(|value| value.bounds()) != Some((from, to)) {
        basis.push_str(&format!(": {from} to {to}"));
    }
    if value.is_none() {
        basis.push_str(", which no single year covers");
    }
    Resolution::new(value, basis)
}

/// The days an expression means, seen from the document day `date`.
fn span_from(
    expression: &Expression,
    date: NaiveDate,
    tense: &dyn Fn() -> Tense,
) -> Option<(NaiveDate, NaiveDate)> {
    let single = |day: NaiveDate| Some((day, day));
    match *expression {
        Expression::Weekday { weekday, shift, .. } => {
            single(nearest(date, weekday, Direction::new(shift, tense))?)
        }
        Expression::WeekdayOfWeek { weekday, weeks } => {
            let monday = week_start(date)?;
            single(add_days(
                monday,
                weeks.checked_mul(7)? + i64::from(weekday.num_days_from_monday()),
            )?)
        }
        Expression::Weekend { shift } => {
            let saturday = nearest(date, Weekday::Sat, Direction::new(shift, tense))?;
            Some((saturday, add_days(saturday, 1)?))
        }
        Expression::Offset { amount, unit } => match unit {
            Unit::Day => single(add_days(date, amount)?),
            Unit::Week => single(add_days(date, amount.checked_mul(7)?)?),
            Unit::Month | Unit::Year => whole(unit, date, amount),
        },
        Expression::Period { unit, shift } => match unit {
            Unit::Day => single(add_days(date, shift)?),
            Unit::Week => {
                let monday = add_days(week_start(date)?, shift.checked_mul(7)?)?;
                Some((monday, add_days(monday, 6)?))
            }
            Unit::Month | Unit::Year => whole(unit, date, shift),
        },
        Expression::Calendar { .. } => None,
    }
}

/// The whole month or year `amount` units from the one holding `date`.
fn whole(unit: Unit, date: NaiveDate, amount: i64) -> Option<(NaiveDate, NaiveDate)> {
    let value = match unit {
        Unit::Year => DateValue::year(date.year().checked_add(i32::try_from(amount).ok()?)?),
        _ => {
            let index = i64::from(date.year()) * 12 + i64::from(date.month0()) + amount;
            let year = i32::try_from(index.div_euclid(12)).ok()?;
            let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
            DateValue::month(year, month)
        }
    };
    value.bounds()
}

/// The `weekday` nearest to `date` in `direction`.
fn nearest(date: NaiveDate, weekday: Weekday, direction: Direction) -> Option<NaiveDate> {
    let today = i64::from(date.weekday().num_days_from_monday());
    let wanted = i64::from(weekday.num_days_from_monday());
    let ahead = (wanted - today).rem_euclid(7);
    let back = (today - wanted).rem_euclid(7);
    let days = match direction {
        Direction::OnOrBefore => -back,
        Direction::Before => -(if back == 0 { 7 } else { back }),
        Direction::OnOrAfter => ahead,
        Direction::After => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
    };
    add_days(date, days)
}

/// The Monday of the (ISO) week holding `date`.
fn week_start(date: NaiveDate) -> Option<NaiveDate> {
    add_days(date, -i64::from(date.weekday().num_days_from_monday()))
}

fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    let magnitude = Days::new(days.unsigned_abs());
    if days < 0 {
        date.checked_sub_days(magnitude)
    } else {
        date.checked_add_days(magnitude)
    }
}

/// The most precise value covering the days `from` to `to`: a day, a month,
/// a year, or nothing when they span two years.
fn covering(from: NaiveDate, to: NaiveDate) -> Option<DateValue> {
    if from.year() != to.year() {
        None
    } else if from.month() != to.month() {
        Some(DateValue::year(from.year()))
    } else if from != to {
        Some(DateValue::month(from.year(), from.month()))
    } else {
        Some(DateValue::day(from))
    }
}
