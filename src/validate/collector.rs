//! Diagnostics kept up to a cap and only counted past it, so that a model with a million
//! problems costs a million increments, not a million messages (nor a million suggestion
//! searches: a diagnostic past the cap is never built).

use crate::diagnostic::{Diagnostic, Severity};

pub struct Collector {
    kept: Vec<Diagnostic>,
    cap: usize,
    skipped: Skipped,
}

/// How many diagnostics of each severity were past the cap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    pub errors: usize,
    pub warnings: usize,
}

impl Skipped {
    pub fn total(&self) -> usize {
        self.errors + self.warnings
    }
}

impl Collector {
    pub fn new(cap: usize) -> Collector {
        Collector {
            kept: Vec::new(),
            cap,
            skipped: Skipped::default(),
        }
    }

    /// Keeps the error `make` builds, or only counts it once the cap is reached.
    pub fn error(&mut self, make: impl FnOnce() -> Diagnostic) {
        self.add(Severity::Error, make);
    }

    /// Keeps the warning `make` builds, or only counts it once the cap is reached.
    pub fn warning(&mut self, make: impl FnOnce() -> Diagnostic) {
        self.add(Severity::Warning, make);
    }

    /// Keeps a diagnostic that is already built, or counts it.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let severity = diagnostic.severity;
        self.add(severity, || diagnostic);
    }

    fn add(&mut self, severity: Severity, make: impl FnOnce() -> Diagnostic) {
        if self.kept.len() < self.cap {
            let diagnostic = make();
            debug_assert_eq!(diagnostic.severity, severity, "{}", diagnostic.code);
            self.kept.push(diagnostic);
        } else {
            match severity {
                Severity::Error => self.skipped.errors += 1,
                Severity::Warning => self.skipped.warnings += 1,
            }
        }
    }

    /// The diagnostics kept, in the order they were found, and the count of the others.
    pub fn finish(self) -> (Vec<Diagnostic>, Skipped) {
        (self.kept, self.skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_cap_diagnostics_are_counted_by_severity_and_never_built() {
        let mut collector = Collector::new(2);
        collector.error(|| Diagnostic::error("a", "kept"));
        collector.warning(|| Diagnostic::warning("b", "kept"));
        collector.error(|| unreachable!("past the cap"));
        collector.warning(|| unreachable!("past the cap"));
        collector.warning(|| unreachable!("past the cap"));
        let (kept, skipped) = collector.finish();
        assert_eq!(kept.len(), 2);
        assert_eq!(
            skipped,
            Skipped {
                errors: 1,
                warnings: 2
            }
        );
    }
}
