//! `--timings`: where the wall time of a run went, phase by phase, on
//! standard error at the end.

use std::time::{Duration, Instant};

/// The phases of a run as they end, timed from the command's start. Off,
/// it records nothing and reports nothing.
#[derive(Debug)]
pub struct Timings {
    /// When the command started; `None` when off.
    start: Option<Instant>,
    /// Each phase: its name, when it ended, and a note.
    phases: Vec<(&'static str, Instant, String)>,
}

impl Timings {
    /// Timings from now on, when `on`.
    pub fn new(on: bool) -> Timings {
        Timings {
            start: on.then(Instant::now),
            phases: Vec::new(),
        }
    }

    /// Timings that record nothing.
    pub fn off() -> Timings {
        Timings::new(false)
    }

    /// Ends the phase `name` now, with a note for the report (what it
    /// handled, or nothing); the next phase starts here.
    pub fn end(&mut self, name: &'static str, note: impl FnOnce() -> String) {
        if self.start.is_some() {
            self.phases.push((name, Instant::now(), note()));
        }
    }

    /// The report: a line per phase (its time, its share of the total and
    /// its note), then the total; `None` when off.
    pub fn report(&self) -> Option<String> {
        let start = self.start?;
        let total = self.phases.last().map_or(Duration::ZERO, |p| p.1 - start);
        let mut lines = vec!["newsgraph: timings".to_string()];
        let mut before = start;
        for (name, end, note) in &self.phases {
            let took = *end - before;
            before = *end;
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * took.as_secs_f64() / total.as_secs_f64()
            };
            let line = format!("  {name:<10} {:>9.1} ms {share:>4.0} %", millis(took));
            lines.push(if note.is_empty() {
                line
            } else {
                format!("{line}   {note}")
            });
        }
        lines.push(format!("  {:<10} {:>9.1} ms", "total", millis(total)));
        Some(lines.join("\n"))
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_records_and_reports_nothing() {
        let mut timings = Timings::off();
        timings.end("start-up", || panic!("no note is made when off"));
        assert!(timings.report().is_none());
    }

    #[test]
    fn phases_follow_one_another_and_add_up() {
        let mut timings = Timings::new(true);
        std::thread::sleep(Duration::from_millis(2));
        timings.end("start-up", String::new);
        std::thread::sleep(Duration::from_millis(3));
        timings.end("analysis", || "2 documents".to_string());
        let report = timings.report().expect("on");
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines.len(), 4, "{report}");
        assert_eq!(lines[0], "newsgraph: timings");
        assert!(lines[1].starts_with("  start-up "), "{report}");
        assert!(lines[2].starts_with("  analysis "), "{report}");
        assert!(lines[2].ends_with("   2 documents"), "{report}");
        assert!(lines[3].starts_with("  total "), "{report}");
        let ms = |line: &str| -> f64 { line.split_whitespace().nth(1).unwrap().parse().unwrap() };
        assert!(ms(lines[1]) >= 2.0 && ms(lines[2]) >= 3.0, "{report}");
        // The total is the phases' sum (to the rounding of each).
        assert!(
            (ms(lines[1]) + ms(lines[2]) - ms(lines[3])).abs() <= 0.11,
            "{report}"
        );
    }
}
