//! Reading the identity map file, with a distinct refusal for each way that fails: not
//! there, held by another program (Excel locks the files it has open), or unreadable.

use crate::error::Error;
use std::io::{self, Read};
use std::path::Path;

/// The cmdlet parameter every identity-map refusal names.
pub const PARAMETER: &str = "IdentityMapPath";

/// Largest map read: 100,000 rows take about 20 MB; anything far beyond is not a map.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of the file at `path`, which must be absolute (the module resolves it).
pub fn read(path: &str) -> Result<Vec<u8>, Error> {
    if path.trim().is_empty() || path.contains('\0') || !Path::new(path).is_absolute() {
        return Err(Error::invalid_argument(
            "IdentityMapPathInvalid",
            PARAMETER,
            format!(
                "'{path}' is not an absolute file path; give the path of the identity map CSV file, e.g. C:\\Migration\\identity-map.csv."
            ),
        ));
    }
    let mut file = std::fs::File::open(path).map_err(|e| open_failure(path, &e))?;
    let metadata = file.metadata().map_err(|e| open_failure(path, &e))?;
    if metadata.is_dir() {
        return Err(unreadable(path, "it is a folder, not a file"));
    }
    if metadata.len() > MAX_BYTES {
        return Err(Error::invalid_argument(
            "IdentityMapFileTooLarge",
            PARAMETER,
            format!(
                "'{path}' is {} MB; an identity map is at most {} MB. Check that this is the identity map CSV, or split it into several files.",
                metadata.len() / 1_048_576,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| open_failure(path, &e))?;
    Ok(bytes)
}

fn open_failure(path: &str, error: &io::Error) -> Error {
    if is_sharing_violation(error.raw_os_error(), cfg!(windows)) {
        return Error::invalid_argument(
            "IdentityMapFileLocked",
            PARAMETER,
            format!(
                "'{path}' is open in another program (Excel, for example, locks the files it has open). Close it there and run the command again, or save a copy and pass the copy's path."
            ),
        );
    }
    match error.kind() {
        io::ErrorKind::NotFound => Error::invalid_argument(
            "IdentityMapFileNotFound",
            PARAMETER,
            format!(
                "There is no file at '{path}'. Check the path and the file name (Test-Path tells you whether it exists)."
            ),
        ),
        io::ErrorKind::IsADirectory => unreadable(path, "it is a folder, not a file"),
        _ => unreadable(path, &error.to_string()),
    }
}

fn unreadable(path: &str, why: &str) -> Error {
    Error::invalid_argument(
        "IdentityMapFileUnreadable",
        PARAMETER,
        format!(
            "'{path}' cannot be read ({why}). Check that it is a file and that your account may read it."
        ),
    )
}

/// Windows' ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33): another process
/// holds the file. Other systems have no mandatory locks, so a failed open there is
/// "unreadable".
fn is_sharing_violation(raw_os_error: Option<i32>, windows: bool) -> bool {
    windows && matches!(raw_os_error, Some(32 | 33))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharing_violations_count_only_on_windows() {
        assert!(is_sharing_violation(Some(32), true));
        assert!(is_sharing_violation(Some(33), true));
        assert!(!is_sharing_violation(Some(32), false));
        assert!(!is_sharing_violation(Some(5), true));
        assert!(!is_sharing_violation(None, true));
    }

    #[test]
    fn missing_relative_and_folder_paths_have_distinct_ids() {
        let dir = std::env::temp_dir();
        let missing = dir.join("spo-identity-map-that-does-not-exist.csv");
        let id = |path: &str| {
            let error = read(path).unwrap_err();
            assert_eq!(error.parameter(), Some(PARAMETER));
            error.id()
        };
        assert_eq!(id(missing.to_str().unwrap()), "IdentityMapFileNotFound");
        assert_eq!(id("map.csv"), "IdentityMapPathInvalid");
        assert_eq!(id(""), "IdentityMapPathInvalid");
        assert_eq!(id(dir.to_str().unwrap()), "IdentityMapFileUnreadable");
    }

    #[test]
    fn a_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.csv");
        std::fs::write(&path, b"a,b\r\n").unwrap();
        assert_eq!(read(path.to_str().unwrap()).unwrap(), b"a,b\r\n");
    }
}
