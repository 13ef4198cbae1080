//! Calendar values with the precision a text gives them.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind};

/// A date of reduced precision: `2020`, `2020-10`, `2020-10-14`, or with an
/// unknown year `XXXX-12-29` / `XXXX-03` (TIMEX style).
///
/// Invariants: a day implies a month; a known year, month and day form a
/// real calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateValue {
    /// The year, when the text fixes it.
    pub year: Option<i32>,
    /// The month (1–12), when known.
    pub month: Option<u32>,
    /// The day of the month (1–31), when known.
    pub day: Option<u32>,
}

impl DateValue {
    /// A whole year.
    pub fn year(year: i32) -> DateValue {
        DateValue {
            year: Some(year),
            month: None,
            day: None,
        }
    }

    /// A month of a known year.
    pub fn month(year: i32, month: u32) -> DateValue {
        DateValue {
            year: Some(year),
            month: Some(month),
            day: None,
        }
    }

    /// A calendar day.
    pub fn day(date: NaiveDate) -> DateValue {
        use chrono::Datelike;
        DateValue {
            year: Some(date.year()),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// The calendar day, when year, month and day are all known.
    pub fn to_naive(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }

    /// True when the year is unknown (`XXXX-…`).
    pub fn has_unknown_year(&self) -> bool {
        self.year.is_none()
    }

    /// The first and last calendar day this value covers, when its year is known.
    pub fn bounds(&self) -> Option<(NaiveDate, NaiveDate)> {
        let year = self.year?;
        match (self.month, self.day) {
            (Some(month), Some(day)) => {
                let date = NaiveDate::from_ymd_opt(year, month, day)?;
                Some((date, date))
            }
            (Some(month), None) => {
                let first = NaiveDate::from_ymd_opt(year, month, 1)?;
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                Some((first, next.pred_opt()?))
            }
            _ => Some((
                NaiveDate::from_ymd_opt(year, 1, 1)?,
                NaiveDate::from_ymd_opt(year, 12, 31)?,
            )),
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{year:04}")?,
            None => f.write_str("XXXX")?,
        }
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for DateValue {
    type Err = Error;

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and the same with `XXXX` as year.
    fn from_str(text: &str) -> Result<DateValue, Error> {
        let bad = || Error::new(ErrorKind::BadDate(text.to_string()));
        let mut parts = text.split('-');
        let year_text = parts.next().ok_or_else(bad)?;
        let year = if year_text == "XXXX" {
            None
        } else if year_text.len() == 4 && year_text.bytes().all(|b| b.is_ascii_digit()) {
            Some(year_text.parse().map_err(|_| bad())?)
        } else {
            return Err(bad());
        };
        let mut number = |digits: usize| -> Result<Option<u32>, Error> {
            match parts.next() {
                None => Ok(None),
                Some(part) if part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(part.parse().map_err(|_| bad())?))
                }
                Some(_) => Err(bad()),
            }
        };
        let month = number(2)?;
        let day = if month.is_some() { number(2)? } else { None };
        if parts.next().is_some() || year.is_none() && month.is_none() {
            return Err(bad());
        }
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(bad());
        }
        if let (Some(month), Some(day)) = (month, day) {
            // Check the day against the month; a leap year when the year is unknown.
            if NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_none() {
                return Err(bad());
            }
        }
        Ok(DateValue { year, month, day })
    }
}

impl serde::Serialize for DateValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DateValue, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_reduced_precision() {
        for text in ["2020", "2020-10", "2020-10-14", "XXXX-12-29", "XXXX-03"] {
            assert_eq!(text.parse::<DateValue>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_dates() {
        for text in [
            "",
            "20",
            "2020-13",
            "2020-02-30",
            "2020-1",
            "XXXX",
            "2020-10-14-1",
            "abcd",
        ] {
            assert!(text.parse::<DateValue>().is_err(), "{text:?} parsed");
        }
    }

    #[test]
    fn month_bounds_cover_the_month() {
        let (first, last) = "2020-02".parse::<DateValue>().unwrap().bounds().unwrap();
        assert_eq!(first.to_string(), "2020-02-01");
        assert_eq!(last.to_string(), "2020-02-29");
    }
}
