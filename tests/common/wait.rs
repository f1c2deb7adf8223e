//! Waiting for a child process with a deadline: the tests that run a program that could hang
//! (Chromium, the binary on hostile input) kill it rather than wait for ever.

use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// The child's exit status, or `None` once it ran for longer than `timeout` (it is then killed
/// and reaped).
pub fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
