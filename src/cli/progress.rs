//! A byte-based progress bar on stderr for inputs that take more than a moment. indicatif draws
//! nothing when stderr is not a terminal.

use crate::ingest::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this are read before a bar would be worth drawing.
const WORTH_A_BAR: u64 = 32 << 20;

pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Bar { bar }
    }
    pub fn callback(&self) -> impl Fn(Progress) + Sync + '_ {
        move |p| match p {
            Progress::Start(total) => {
                if total >= WORTH_A_BAR {
                    self.bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                self.bar.set_length(total);
                self.bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} reading {bytes}/{total_bytes} [{bar:30}] {eta} {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            Progress::File(name) => {
                let short = std::path::Path::new(name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.bar.set_message(short);
            }
            Progress::Advance(n) => self.bar.inc(n),
        }
    }
    /// After the reading: a spinner with what is being done, on the same line, when the bar
    /// was drawn (the inputs were large enough for the rest to take a while too).
    pub fn stage(&self, what: &str) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.bar.set_message(what.to_string());
        self.bar
            .enable_steady_tick(std::time::Duration::from_millis(120));
    }
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Default for Bar {
    fn default() -> Self {
        Self::new()
    }
}
