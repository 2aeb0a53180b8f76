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

/// A file elsewhere that a symlink in the output's directory points at; it must never change.
#[cfg(unix)]
fn plant_symlink(directory: &Path, name: &str, victim: &Path) {
    std::os::unix::fs::symlink(victim, directory.join(name)).unwrap();
}

#[test]
#[cfg(unix)]
fn atomic_writes_never_write_through_a_symlink_at_a_guessable_temporary_name() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    let pid = std::process::id();
    for name in [
        format!(".out.txt.{pid}.tmp"),
        ".out.txt.tmp".to_owned(),
        format!(".out.txt.{}.tmp", uuid::Uuid::nil().simple()),
    ] {
        plant_symlink(dir.path(), &name, &victim);
    }
    let target = dir.path().join("out.txt");
    bartizan::store::write_atomically(&target, b"the report").unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "the report");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");

    let model_path = dir.path().join("model.bartizan.yaml");
    plant_symlink(
        dir.path(),
        &format!(".model.bartizan.yaml.{pid}.tmp"),
        &victim,
    );
    let source = std::fs::read_to_string(common::root().join(MODEL)).unwrap();
    let model =
        bartizan::syntax::parse_model(&source, bartizan::syntax::Format::Yaml, &Default::default())
            .model
            .unwrap();
    bartizan::store::write_model(&model_path, &model).unwrap();
    assert_eq!(std::fs::read_to_string(&model_path).unwrap(), source);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
}

#[test]
fn atomic_writes_leave_no_temporary_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.md");
    let model = dir.path().join("model.bartizan.yaml");
    std::fs::copy(common::root().join(MODEL), &model).unwrap();
    let output = common::bartizan(&[
        "check",
        MODEL,
        "--format",
        "md",
        "--fail-on",
        "none",
        "--out",
        report.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::read_to_string(&report).unwrap().starts_with('#'));
    let output = common::bartizan(&["fmt", model.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["model.bartizan.yaml", "report.md"]);
}

#[test]
#[cfg(unix)]
fn an_atomic_write_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("model.bartizan.yaml");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    bartizan::store::write_atomically(&target, b"new").unwrap();
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn concurrent_atomic_writes_of_one_file_all_succeed_and_leave_one_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("model.bartizan.yaml");
    let contents: Vec<Vec<u8>> = (b'a'..=b'd').map(|byte| vec![byte; 256 * 1024]).collect();
    std::thread::scope(|scope| {
        for content in &contents {
            let target = &target;
            scope.spawn(move || {
                for _ in 0..20 {
                    bartizan::store::write_atomically(target, content).unwrap();
                }
            });
        }
    });
    let written = std::fs::read(&target).unwrap();
    assert!(contents.contains(&written), "the file mixes two writes");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
