//! `--exit-with-parent`: the emulator ends when the process that started it ends.
//!
//! A wrapper such as `scripts/rehearse.sh` stops its emulator itself; this covers the case
//! where it cannot, because it was killed outright (SIGKILL, an out-of-memory kill): the
//! kernel then sends the emulator SIGTERM, which stops it as usual.

/// Asks for SIGTERM when the parent ends; refused where the platform cannot do that.
#[cfg(target_os = "linux")]
pub fn arm() -> Result<(), String> {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and changes nothing but this process's
    // own parent-death signal; getppid has no preconditions.
    let status = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) };
    if status != 0 {
        return Err(format!(
            "--exit-with-parent: {}",
            std::io::Error::last_os_error()
        ));
    }
    // A parent that ended before the call above sends nothing: this process was handed to
    // init already.
    if unsafe { libc::getppid() } == 1 {
        return Err(
            "--exit-with-parent: the process that started the emulator has already ended"
                .to_string(),
        );
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub fn arm() -> Result<(), String> {
    Err("--exit-with-parent is supported on Linux only".to_string())
}
