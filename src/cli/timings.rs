//! `--timings`: where the wall time of a run went, phase by phase, on
//! standard error at the end, with how many cores each phase kept busy.

use std::time::{Duration, Instant};

/// A moment of the run: the wall clock, and the processor time the
/// process had used by then (where the system tells it).
#[derive(Clone, Copy, Debug)]
struct Mark {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Mark {
    fn now() -> Mark {
        Mark {
            wall: Instant::now(),
            cpu: process_cpu_time(),
        }
    }
}

/// A phase that ended: its name, when, and a note.
#[derive(Debug)]
struct Phase {
    name: &'static str,
    end: Mark,
    note: String,
}

/// The phases of a run as they end, timed from the command's start. Off,
/// it records nothing and reports nothing.
#[derive(Debug)]
pub struct Timings {
    /// When the command started; `None` when off.
    start: Option<Mark>,
    phases: Vec<Phase>,
}

impl Timings {
    /// Timings from now on, when `on`.
    pub fn new(on: bool) -> Timings {
        Timings {
            start: on.then(Mark::now),
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
            let end = Mark::now();
            self.phases.push(Phase {
                name,
                end,
                note: note(),
            });
        }
    }

    /// The report: a line per phase (its time, its share of the total, the
    /// cores it kept busy on average and its note), then the total; `None`
    /// when off. The cores are the processor time of every thread of the
    /// process over the wall time, left out where the system does not
    /// tell the processor time.
    pub fn report(&self) -> Option<String> {
        let start = self.start?;
        let last = self.phases.last().map_or(start, |phase| phase.end);
        let total = last.wall - start.wall;
        let mut lines = vec!["newsgraph: timings".to_string()];
        let mut before = start;
        for phase in &self.phases {
            let line = line(phase.name, before, phase.end, total);
            before = phase.end;
            lines.push(if phase.note.is_empty() {
                line
            } else {
                format!("{line}   {}", phase.note)
            });
        }
        lines.push(line("total", start, last, total));
        Some(lines.join("\n"))
    }
}

/// A line of the report for the time from `from` to `to`, of `total`.
fn line(name: &str, from: Mark, to: Mark, total: Duration) -> String {
    let took = to.wall - from.wall;
    let share = if total.is_zero() {
        0.0
    } else {
        100.0 * took.as_secs_f64() / total.as_secs_f64()
    };
    let cores = match (from.cpu, to.cpu) {
        (Some(from), Some(to)) if !took.is_zero() => format!(
            "{:>5.2} cores",
            to.saturating_sub(from).as_secs_f64() / took.as_secs_f64()
        ),
        _ => " ".repeat(11),
    };
    format!(
        "  {name:<10} {:>9.1} ms {share:>4.0} %  {cores}",
        millis(took)
    )
    .trim_end()
    .to_string()
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The processor time (user and system) all threads of the process have
/// used so far.
#[cfg(target_os = "linux")]
fn process_cpu_time() -> Option<Duration> {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: the call writes only the `timespec` it is given, which lives
    // for the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    let seconds = u64::try_from(time.tv_sec).ok()?;
    let nanos = u32::try_from(time.tv_nsec).ok()?;
    (status == 0).then(|| Duration::new(seconds, nanos))
}

#[cfg(not(target_os = "linux"))]
fn process_cpu_time() -> Option<Duration> {
    None
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

    /// A phase that keeps a core busy says so; the column is there only
    /// where the system tells the processor time.
    #[test]
    fn a_busy_phase_shows_the_cores_it_kept_busy() {
        let mut timings = Timings::new(true);
        let began = Instant::now();
        let mut spins = 0u64;
        while began.elapsed() < Duration::from_millis(30) {
            spins = std::hint::black_box(spins.wrapping_add(1));
        }
        timings.end("busy", String::new);
        let report = timings.report().expect("on");
        let busy = report.lines().nth(1).expect("the phase's line");
        let cores = busy
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .find(|pair| pair[1] == "cores")
            .map(|pair| pair[0].parse::<f64>().expect("a number of cores"));
        if cfg!(target_os = "linux") {
            // Other tests' threads may add to the process's time, never
            // take from it: a spinning thread is most of a core.
            let cores = cores.expect("a cores column on Linux");
            assert!(cores >= 0.2, "{report}");
        } else {
            assert_eq!(cores, None, "{report}");
        }
    }
}
