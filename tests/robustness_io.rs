//! Files the command line reads or writes beside the model: special files are refused without
//! blocking, reads are bounded, and writes never follow a planted symlink.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const MODEL: &str = "models/customer-support.bartizan.yaml";

/// Runs `bartizan`, killing it if it has not finished long after any real run would: a file
/// that blocks the reader must fail this test, not stall the whole suite.
fn bartizan_unless_hung(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(common::root())
        .args(["--color", "never"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bartizan runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("bartizan {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
#[cfg(unix)]
fn a_device_as_baseline_is_refused_without_reading_it() {
    let output = bartizan_unless_hung(&["check", MODEL, "--baseline", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(3));
    let text = stderr(&output);
    assert!(
        text.contains("cannot read /dev/zero: it is a device, not a regular file"),
        "{text}"
    );
}

#[test]
#[cfg(unix)]
fn a_fifo_as_baseline_or_model_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.bartizan.yaml");
    make_fifo(&fifo);
    let fifo = fifo.to_str().unwrap();

    let baseline = bartizan_unless_hung(&["check", MODEL, "--baseline", fifo]);
    assert_eq!(baseline.status.code(), Some(3));
    let expected = format!("cannot read {fifo}: it is a FIFO (named pipe), not a regular file");
    assert!(
        stderr(&baseline).contains(&expected),
        "{}",
        stderr(&baseline)
    );

    for command in ["check", "validate", "fmt"] {
        let output = bartizan_unless_hung(&[command, fifo]);
        assert_eq!(output.status.code(), Some(3), "{command}");
        assert!(
            stderr(&output).contains(&expected),
            "{command}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_directory_as_baseline_or_model_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder.bartizan.yaml");
    std::fs::create_dir(&folder).unwrap();
    let folder = folder.to_str().unwrap();
    let expected = format!("cannot read {folder}: it is a directory, not a regular file");

    let baseline = bartizan_unless_hung(&["check", MODEL, "--baseline", folder]);
    assert_eq!(baseline.status.code(), Some(3));
    assert!(
        stderr(&baseline).contains(&expected),
        "{}",
        stderr(&baseline)
    );

    let model = bartizan_unless_hung(&["validate", folder]);
    assert_eq!(model.status.code(), Some(3));
    assert!(stderr(&model).contains(&expected), "{}", stderr(&model));
}

#[test]
fn a_baseline_over_its_limit_is_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let file = std::fs::File::create(&baseline).unwrap();
    file.set_len(bartizan::store::BASELINE_MAX_BYTES + 1)
        .unwrap();
    let output = bartizan_unless_hung(&["check", MODEL, "--baseline", baseline.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3));
    let text = stderr(&output);
    assert!(
        text.contains(&format!(
            "it is {} bytes or more; the limit is {} bytes",
            bartizan::store::BASELINE_MAX_BYTES + 1,
            bartizan::store::BASELINE_MAX_BYTES
        )),
        "{text}"
    );
}
