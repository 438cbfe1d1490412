//! Writing output files atomically, and only when their content changes.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// What [`write_if_changed`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// The file was created or replaced.
    Updated,
    /// The file already had exactly these bytes; it was not touched.
    Unchanged,
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same directory, then
/// renamed over `path`, so readers see the old content or the new, never a partial file. An
/// existing file with identical content is left alone (its modification time included). A new
/// file gets the permissions protoc would give it (0666 less the umask); a replaced file keeps
/// its permissions.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<Written> {
    let existing = fs::metadata(path).ok();
    if existing
        .as_ref()
        .is_some_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(Written::Unchanged);
    }
    let temp = temp_path(path)?;
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        drop(file);
        if let Some(metadata) = existing.as_ref().filter(|m| m.is_file()) {
            fs::set_permissions(&temp, metadata.permissions())?;
        }
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map(|()| Written::Updated)
}

/// A fresh name next to `path`: `.NAME.rivet-PID-N.tmp`.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".rivet-{}-{n}.tmp", std::process::id()));
    Ok(dir.join(temp_name))
}

/// An I/O error as C's `perror` prints it (without Rust's " (os error N)" suffix), which is how
/// protoc reports output errors.
pub fn describe_io_error(error: &io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pb");
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Updated);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(write_if_changed(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(write_if_changed(&path, b"two").unwrap(), Written::Updated);
        assert_eq!(fs::read(&path).unwrap(), b"two");
        // No temporary files are left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.pb")]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_of_a_replaced_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pb");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_if_changed(&path, b"new").unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn missing_directory_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.pb");
        let error = write_if_changed(&path, b"x").unwrap_err();
        assert_eq!(describe_io_error(&error), "No such file or directory");
    }
}
