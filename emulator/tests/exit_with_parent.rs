//! `--exit-with-parent`: an emulator whose parent is killed outright stops too (Linux).

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Whether process `pid` still runs (a zombie waiting for its reaper counts as ended).
fn runs(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses: "1234 (spo-emulator) S ...".
        Ok(stat) => {
            !matches!(stat.rsplit(')').next().map(str::trim_start), Some(rest) if rest.starts_with('Z'))
        }
        Err(_) => false,
    }
}

/// Waits up to `limit` for `ready` to hold.
fn wait_for(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ready()
}

/// Starts the emulator under a shell that then waits; returns the shell and the emulator's pid.
fn emulator_under_a_parent(folder: &Path, extra: &str) -> (std::process::Child, i32) {
    let startup = folder.join("startup.json");
    let mut parent = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "\"$0\" --tenant contoso {extra} </dev/null >\"$1\" 2>/dev/null & echo $!; exec sleep 60"
        ))
        .arg(env!("CARGO_BIN_EXE_spo-emulator"))
        .arg(&startup)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(parent.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    let pid: i32 = line.trim().parse().unwrap();
    let started = wait_for(Duration::from_secs(20), || {
        std::fs::read_to_string(&startup).is_ok_and(|text| text.ends_with('\n'))
    });
    assert!(started, "the emulator did not start");
    (parent, pid)
}

fn stop(pid: i32) {
    // SAFETY: kill only sends a signal, to the emulator this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

#[test]
fn the_emulator_stops_when_its_parent_is_killed() {
    let folder = tempfile::tempdir().unwrap();
    let (mut parent, emulator) = emulator_under_a_parent(folder.path(), "--exit-with-parent");
    assert!(runs(emulator));
    parent.kill().unwrap();
    parent.wait().unwrap();
    let stopped = wait_for(Duration::from_secs(10), || !runs(emulator));
    if !stopped {
        stop(emulator);
    }
    assert!(stopped, "the emulator outlived its parent");
}

#[test]
fn without_the_option_the_emulator_outlives_its_parent() {
    let folder = tempfile::tempdir().unwrap();
    let (mut parent, emulator) = emulator_under_a_parent(folder.path(), "");
    parent.kill().unwrap();
    parent.wait().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let outlived = runs(emulator);
    stop(emulator);
    assert!(
        outlived,
        "the control case: an emulator without the option keeps running"
    );
}
