//! Writing output files atomically, and only when their content changes.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
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

/// Writes `pieces` (concatenated) to `path` atomically: into a temporary file in the same
/// directory, then renamed over `path`, so readers see the old content or the new, never a
/// partial file. An existing file with identical content is left alone (its modification time
/// included). A new file gets the permissions protoc would give it (0666 less the umask); a
/// replaced file keeps its permissions.
pub fn write_if_changed<B: AsRef<[u8]>>(path: &Path, pieces: &[B]) -> io::Result<Written> {
    let len: u64 = pieces.iter().map(|p| p.as_ref().len() as u64).sum();
    let existing = fs::metadata(path).ok();
    if existing
        .as_ref()
        .is_some_and(|m| m.is_file() && m.len() == len)
        && has_content(path, pieces).unwrap_or(false)
    {
        return Ok(Written::Unchanged);
    }
    // A symlink, device or pipe is written through, as protoc does: renaming a temporary
    // file over it would replace the link (or `/dev/null` itself) with a regular file.
    if fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
        let mut file = OpenOptions::new().write(true).truncate(true).open(path)?;
        for piece in pieces {
            file.write_all(piece.as_ref())?;
        }
        return Ok(Written::Updated);
    }
    let temp = temp_path(path)?;
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
        let mut file = options.open(&temp)?;
        for piece in pieces {
            file.write_all(piece.as_ref())?;
        }
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

/// Whether the file at `path` holds exactly `pieces`, concatenated; read in blocks, so a large
/// file is never held in memory twice.
fn has_content<B: AsRef<[u8]>>(path: &Path, pieces: &[B]) -> io::Result<bool> {
    let mut file = fs::File::open(path)?;
    let mut block = vec![0u8; 1 << 16];
    for piece in pieces {
        for expected in piece.as_ref().chunks(block.len()) {
            let actual = &mut block[..expected.len()];
            if file.read_exact(actual).is_err() || actual != expected {
                return Ok(false);
            }
        }
    }
    // Nothing may follow (the file could have grown since its length was read).
    Ok(file.read(&mut block[..1])? == 0)
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
        assert_eq!(
            write_if_changed(&path, &[b"one"]).unwrap(),
            Written::Updated
        );
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(
            write_if_changed(&path, &[b"one"]).unwrap(),
            Written::Unchanged
        );
        assert_eq!(
            write_if_changed(&path, &[b"two"]).unwrap(),
            Written::Updated
        );
        // Content split differently is the same content; a prefix or a longer one is not.
        assert_eq!(
            write_if_changed(&path, &[&b"t"[..], &b""[..], &b"wo"[..]]).unwrap(),
            Written::Unchanged
        );
        assert_eq!(
            write_if_changed(&path, &[&b"tw"[..]]).unwrap(),
            Written::Updated
        );
        assert_eq!(
            write_if_changed(&path, &[b"two"]).unwrap(),
            Written::Updated
        );
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
        write_if_changed(&path, &[b"new"]).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symlinks_and_devices() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.pb");
        let link = dir.path().join("link.pb");
        fs::write(&target, b"old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(
            write_if_changed(&link, &[b"new"]).unwrap(),
            Written::Updated
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"new");

        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        assert_eq!(write_if_changed(null, &[b"x"]).unwrap(), Written::Updated);
        assert!(fs::metadata(null).unwrap().file_type().is_char_device());
    }

    #[test]
    fn missing_directory_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.pb");
        let error = write_if_changed(&path, &[b"x"]).unwrap_err();
        assert_eq!(describe_io_error(&error), "No such file or directory");
    }
}
