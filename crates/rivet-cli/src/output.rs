//! Writing output files atomically, and only when their content changes.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// What [`Streamed::finish`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// The file was created or replaced.
    Updated,
    /// The file already had exactly these bytes; it was not touched.
    Unchanged,
}

/// Writes content that arrives in pieces to `path` atomically, and only if it changed: each
/// piece is written (or compared with the existing file) as it comes, so the whole content is
/// never held in memory. Push the pieces with [`Streamed::push`], then [`Streamed::finish`].
///
/// The content goes into a temporary file in the same directory, renamed over `path` at the
/// end, so readers see the old content or the new, never a partial file; until then, and
/// after a failure, `path` is untouched. An existing file with identical content is left
/// alone (its modification time included). A new file gets the permissions protoc would give
/// it (0666 less the umask); a replaced file keeps its permissions. As with protoc, an
/// existing file that may not be written is an error. A symlink (dangling ones included),
/// device or pipe is written through, as protoc does, and so is a file beside which no
/// temporary file can be made (in a directory that may not be written).
pub struct Streamed {
    path: PathBuf,
    state: StreamState,
    /// The first error, after which pieces are ignored.
    error: Option<io::Error>,
}

enum StreamState {
    /// So far identical to the existing regular file: the bytes compared, and the file.
    Comparing(u64, io::BufReader<fs::File>, Vec<u8>),
    /// Writing into `file`: a temporary file renamed over the path at the end (`Some`), or
    /// the path itself, written through (a symlink, device or pipe: `None`).
    Writing(io::BufWriter<fs::File>, Option<PathBuf>),
    /// Finished or failed.
    Done,
}

impl Streamed {
    /// Starts writing `path`.
    pub fn new(path: &Path) -> Self {
        let mut streamed = Streamed {
            path: path.to_path_buf(),
            state: StreamState::Done,
            error: None,
        };
        let existing = fs::symlink_metadata(path).ok();
        // protoc opens an existing file for writing, and fails if it may not: so does this,
        // even when the content would not change (the probe opens it without truncating).
        if existing.as_ref().is_some_and(fs::Metadata::is_file)
            && let Err(error) = OpenOptions::new().write(true).open(path)
        {
            streamed.error = Some(error);
            return streamed;
        }
        streamed.state = match existing {
            Some(metadata) if metadata.is_file() => match fs::File::open(path) {
                Ok(file) => StreamState::Comparing(
                    0,
                    io::BufReader::with_capacity(1 << 16, file),
                    Vec::new(),
                ),
                Err(_) => streamed.start_writing(0),
            },
            _ => streamed.start_writing(0),
        };
        streamed
    }

    /// Appends `piece`.
    pub fn push(&mut self, piece: &[u8]) {
        if let StreamState::Comparing(compared, existing, buffer) = &mut self.state {
            buffer.resize(piece.len(), 0);
            if existing.read_exact(buffer).is_ok() && buffer.as_slice() == piece {
                *compared += piece.len() as u64;
                return;
            }
            let compared = *compared;
            self.state = self.start_writing(compared);
        }
        if let StreamState::Writing(file, _) = &mut self.state
            && let Err(error) = file.write_all(piece)
        {
            self.fail(error);
        }
    }

    /// Completes the file: renames the written content over `path`, or leaves an identical
    /// existing file untouched.
    pub fn finish(mut self) -> io::Result<Written> {
        if let StreamState::Comparing(compared, existing, buffer) = &mut self.state {
            // Nothing may follow (the file could have grown since).
            buffer.resize(1, 0);
            if matches!(existing.read(buffer), Ok(0)) {
                return Ok(Written::Unchanged);
            }
            let compared = *compared;
            self.state = self.start_writing(compared);
        }
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let StreamState::Writing(file, temp) =
            std::mem::replace(&mut self.state, StreamState::Done)
        else {
            // (Only a failure ends writing early, and it returned above.)
            return Err(io::Error::other("output stream already closed"));
        };
        let result = (|| {
            let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            drop(file);
            if let Some(temp) = &temp {
                if let Ok(metadata) = fs::metadata(&self.path)
                    && metadata.is_file()
                {
                    fs::set_permissions(temp, metadata.permissions())?;
                }
                fs::rename(temp, &self.path)?;
            }
            Ok(Written::Updated)
        })();
        if result.is_err()
            && let Some(temp) = &temp
        {
            let _ = fs::remove_file(temp);
        }
        result
    }

    /// Opens the output for writing, after copying the first `prefix` bytes of the existing
    /// file (identical so far) into it.
    fn start_writing(&mut self, prefix: u64) -> StreamState {
        // A symlink, device or pipe is written through, as protoc does: renaming a temporary
        // file over it would replace the link (or `/dev/null` itself) with a regular file. So
        // is a path that names no file in a directory (`out/`, `x/..`): opening it fails as
        // it does for protoc.
        let names_no_file = self.path.as_os_str().as_encoded_bytes().ends_with(b"/")
            || self.path.file_name().is_none();
        let through = names_no_file
            || fs::symlink_metadata(&self.path).is_ok_and(|m| !m.file_type().is_file());
        let opened = if through {
            open_through(&self.path).map(|file| (file, None))
        } else {
            match create_temp(&self.path) {
                Ok((mut file, temp)) => {
                    let copy = if prefix > 0 {
                        fs::File::open(&self.path)
                            .and_then(|existing| io::copy(&mut existing.take(prefix), &mut file))
                            .map(drop)
                    } else {
                        Ok(())
                    };
                    match copy {
                        Ok(()) => Ok((file, Some(temp))),
                        Err(error) => {
                            let _ = fs::remove_file(temp);
                            Err(error)
                        }
                    }
                }
                // No temporary file can be made beside it (a directory that may not be
                // written, say): the file is written in place, as protoc writes it.
                Err(_) => self.read_prefix(prefix).and_then(|head| {
                    let mut file = open_through(&self.path)?;
                    file.write_all(&head)?;
                    Ok((file, None))
                }),
            }
        };
        match opened {
            Ok((file, temp)) => {
                StreamState::Writing(io::BufWriter::with_capacity(1 << 16, file), temp)
            }
            Err(error) => {
                self.error.get_or_insert(error);
                StreamState::Done
            }
        }
    }

    /// The first `prefix` bytes of the existing file.
    fn read_prefix(&self, prefix: u64) -> io::Result<Vec<u8>> {
        let mut head = Vec::new();
        if prefix > 0 {
            fs::File::open(&self.path)?
                .take(prefix)
                .read_to_end(&mut head)?;
        }
        Ok(head)
    }

    fn fail(&mut self, error: io::Error) {
        self.abandon();
        self.error.get_or_insert(error);
    }

    /// Stops writing: a temporary file is removed unflushed, leaving `path` as it was (what
    /// was written through to a symlink, device or pipe stays written).
    fn abandon(&mut self) {
        if let StreamState::Writing(file, temp) =
            std::mem::replace(&mut self.state, StreamState::Done)
            && let Some(temp) = temp
        {
            drop(file.into_parts());
            let _ = fs::remove_file(temp);
        }
    }
}

impl Drop for Streamed {
    /// An unfinished file is abandoned (see `abandon`).
    fn drop(&mut self) {
        self.abandon();
    }
}

/// Opens `path` for writing as protoc does: created if missing (with 0666 less the umask),
/// truncated.
fn open_through(path: &Path) -> io::Result<fs::File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
    options.open(path)
}

/// Creates a fresh temporary file next to `path` (see `temp_path`).
fn create_temp(path: &Path) -> io::Result<(fs::File, PathBuf)> {
    let temp = temp_path(path)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
    Ok((options.open(&temp)?, temp))
}

/// The longest output file name that goes into its temporary file's name.
const MAX_NAME_IN_TEMP: usize = 128;

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
    // The output's name says what the file is for, unless it is so long that the temporary
    // name would pass the file system's limit on a name (255 bytes, commonly).
    if name.len() <= MAX_NAME_IN_TEMP {
        temp_name.push(name);
    }
    temp_name.push(format!(".rivet-{}-{n}.tmp", std::process::id()));
    Ok(dir.join(temp_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `pieces` through [`Streamed`].
    fn write_if_changed<B: AsRef<[u8]>>(path: &Path, pieces: &[B]) -> io::Result<Written> {
        let mut out = Streamed::new(path);
        for piece in pieces {
            out.push(piece.as_ref());
        }
        out.finish()
    }

    #[test]
    fn output_names_up_to_the_file_system_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{}.pb", "x".repeat(250)));
        assert_eq!(
            write_if_changed(&path, &[b"set"]).unwrap(),
            Written::Updated
        );
        assert_eq!(fs::read(&path).unwrap(), b"set");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

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
        // A change after identical pieces keeps those pieces (copied from the old file).
        fs::write(&path, b"abcdef").unwrap();
        for (pieces, expected) in [
            (&[&b"abc"[..], &b"XYZ"[..]][..], &b"abcXYZ"[..]),
            (&[&b"abcXYZ"[..], &b"1"[..]][..], &b"abcXYZ1"[..]),
            (
                &[&b"ab"[..], &b"cXYZ1"[..], &b"23"[..]][..],
                &b"abcXYZ123"[..],
            ),
            (&[&b"abc"[..]][..], &b"abc"[..]),
        ] {
            assert_eq!(write_if_changed(&path, pieces).unwrap(), Written::Updated);
            assert_eq!(fs::read(&path).unwrap(), expected);
        }
        fs::write(&path, b"two").unwrap();
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
        assert_eq!(
            rivet_compiler::describe_io_error(&error),
            "No such file or directory"
        );
    }
}
