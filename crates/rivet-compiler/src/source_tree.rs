//! Maps virtual `.proto` paths to files on disk the way protoc's `DiskSourceTree` does, with the
//! embedded well-known types as a last resort (protoc's bundled `include/` directory).

use std::path::PathBuf;

use crate::IncludePath;
use crate::{file_names, wkt};

/// Where a loaded file came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Given in memory with `Compiler::virtual_file`.
    Memory,
    /// Read from this path on disk.
    Disk(PathBuf),
    /// One of the embedded well-known files.
    Embedded,
}

/// The outcome of mapping a command-line argument to a virtual path.
#[derive(Debug)]
pub(crate) enum InputError {
    /// The argument names neither a file on disk nor a virtual file.
    NotFound(String),
    /// The file is on disk but under no include path, and is no virtual path either.
    NoMapping(String),
    /// A file earlier in the include paths has the same virtual name.
    Shadowed { input: String, shadowing: String },
    /// The argument maps to a virtual path but cannot be opened (a directory, say).
    CannotOpen { input: String, reason: String },
}

impl InputError {
    /// protoc's message for this error (bytes: the names may stand for bytes that are not
    /// UTF-8).
    pub(crate) fn message(&self) -> Vec<u8> {
        file_names::message(match self {
            InputError::NotFound(input) => {
                format!("Could not make proto path relative: {input}: No such file or directory")
            }
            InputError::NoMapping(input) => format!(
                "{input}: File does not reside within any path specified using --proto_path \
                 (or -I).  You must specify a --proto_path which encompasses this file.  Note \
                 that the proto_path must be an exact prefix of the .proto file names -- protoc \
                 is too dumb to figure out when two paths (e.g. absolute and relative) are \
                 equivalent (it's harder than you think)."
            ),
            InputError::Shadowed { input, shadowing } => format!(
                "{input}: Input is shadowed in the --proto_path by \"{shadowing}\".  Either use \
                 the latter file as your input or reorder the --proto_path so that the former \
                 file's location comes first."
            ),
            InputError::CannotOpen { input, reason } => {
                format!("Could not map to virtual file: {input}: {reason}")
            }
        })
    }
}

/// The include paths, canonicalized as protoc does.
#[derive(Debug)]
pub(crate) struct SourceTree {
    mappings: Vec<(String, String)>,
    memory: Vec<(String, Vec<u8>)>,
}

/// protoc's error for a virtual path that is not canonical.
const NOT_CANONICAL: &str =
    "Backslashes, consecutive slashes, \".\", or \"..\" are not allowed in the virtual path";

/// Removes `.` components and repeated slashes, keeping a leading and trailing `/`.
fn canonicalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if path.starts_with('/') {
        parts.push("");
    }
    parts.extend(
        path.split('/')
            .filter(|part| !part.is_empty() && *part != "."),
    );
    if path.ends_with('/') && !path.is_empty() {
        parts.push("");
    }
    parts.join("/")
}

fn contains_parent_reference(path: &str) -> bool {
    path == ".." || path.starts_with("../") || path.ends_with("/..") || path.contains("/../")
}

/// Rewrites `filename` from `old_prefix` to `new_prefix` (protoc's `ApplyMapping`).
fn apply_mapping(filename: &str, old_prefix: &str, new_prefix: &str) -> Option<String> {
    let join = |rest: &str| {
        let mut out = new_prefix.to_string();
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(rest);
        out
    };
    if old_prefix.is_empty() {
        if contains_parent_reference(filename) || filename.starts_with('/') {
            return None;
        }
        return Some(join(filename));
    }
    let rest = filename.strip_prefix(old_prefix)?;
    if rest.is_empty() {
        return Some(new_prefix.to_string());
    }
    let after = if let Some(after) = rest.strip_prefix('/') {
        after
    } else if old_prefix.ends_with('/') {
        rest
    } else {
        return None;
    };
    if contains_parent_reference(after) {
        return None;
    }
    Some(join(after))
}

/// The disk path of a mapped path (`.` for an empty one).
fn disk_path(disk: String) -> String {
    if disk.is_empty() { ".".into() } else { disk }
}

/// The file the OS opens for the disk path `disk`: protoc passes paths as C strings, so only
/// what comes before a NUL (an import may contain `\0`; the file is then built under its
/// full name and refused for it, and its errors name the full disk path).
fn opened(disk: &str) -> PathBuf {
    file_names::to_path(disk.split('\0').next().unwrap_or(disk))
}

/// What opening a virtual path found (protoc's `DiskSourceTree::OpenVirtualFile`).
enum Opened {
    /// The file, and its disk path as protoc prints it.
    File(std::fs::File, String),
    /// The first include path that has the file denies reading it: the search ends there.
    Denied(String),
    /// No include path has a file (anything but a directory) that opens.
    NotFound,
}

impl SourceTree {
    /// A source tree over `include_paths`, searched in order.
    pub(crate) fn new(include_paths: &[IncludePath], memory: &[(String, Vec<u8>)]) -> Self {
        let mappings = include_paths
            .iter()
            .map(|include| {
                (
                    include.virtual_prefix.clone(),
                    canonicalize(&file_names::from_path(&include.disk_path)),
                )
            })
            .collect();
        SourceTree {
            mappings,
            memory: memory.to_vec(),
        }
    }

    /// The disk path a virtual path maps to, if the file opens there.
    fn virtual_to_disk(&self, virtual_path: &str) -> Option<PathBuf> {
        if virtual_path != canonicalize(virtual_path) || contains_parent_reference(virtual_path) {
            return None;
        }
        match self.open_virtual(virtual_path) {
            Opened::File(_, disk) => Some(file_names::to_path(&disk)),
            Opened::Denied(_) | Opened::NotFound => None,
        }
    }

    /// Opens `virtual_path` (canonical) from the first include path where it opens, as
    /// protoc does: a directory, or a file that fails to open, moves on to the next include
    /// path, except that a file whose reading is denied (or that sits in a directory that may
    /// not be searched) ends the search. Anything else opens, devices such as `/dev/null`
    /// included.
    fn open_virtual(&self, virtual_path: &str) -> Opened {
        for (virtual_prefix, disk_prefix) in &self.mappings {
            let Some(disk) = apply_mapping(virtual_path, virtual_prefix, disk_prefix) else {
                continue;
            };
            let disk = disk_path(disk);
            let path = opened(&disk);
            if std::fs::metadata(&path).is_ok_and(|metadata| metadata.is_dir()) {
                continue;
            }
            match std::fs::File::open(&path) {
                Ok(file) => return Opened::File(file, disk),
                Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                    return Opened::Denied(disk);
                }
                Err(_) => {}
            }
        }
        Opened::NotFound
    }

    /// Reads the file with this virtual path: from the include paths, else from the embedded
    /// well-known types. Fails with protoc's message for why it could not be opened.
    pub(crate) fn read(&self, virtual_path: &str) -> Result<(Vec<u8>, Origin), String> {
        if let Some((_, contents)) = self.memory.iter().find(|(name, _)| name == virtual_path) {
            return Ok((contents.clone(), Origin::Memory));
        }
        let error = match self.read_disk(virtual_path) {
            Ok((bytes, disk)) => return Ok((bytes, Origin::Disk(disk))),
            Err(error) => error,
        };
        match wkt::embedded_file(virtual_path) {
            Some(text) => Ok((text.as_bytes().to_vec(), Origin::Embedded)),
            None => Err(error),
        }
    }

    /// Why `virtual_path` cannot be read (protoc's last error message of its source tree).
    pub(crate) fn read_error(&self, virtual_path: &str) -> String {
        self.read(virtual_path)
            .err()
            .unwrap_or_else(|| "File not found.".into())
    }

    /// Reads `virtual_path` from the first include path that has it, like protoc's
    /// `DiskSourceTree`: only canonical paths are looked up, a file that exists but cannot
    /// be read ends the search, and anything else moves on to the next include path.
    fn read_disk(&self, virtual_path: &str) -> Result<(Vec<u8>, PathBuf), String> {
        if virtual_path != canonicalize(virtual_path) || contains_parent_reference(virtual_path) {
            return Err(NOT_CANONICAL.into());
        }
        match self.open_virtual(virtual_path) {
            Opened::File(mut file, disk) => {
                let mut bytes = Vec::new();
                match std::io::Read::read_to_end(&mut file, &mut bytes) {
                    Ok(_) => Ok((bytes, file_names::to_path(&disk))),
                    Err(_) => Err("File not found.".into()),
                }
            }
            Opened::Denied(disk) => Err(format!("Read access is denied for file: {disk}")),
            Opened::NotFound => Err("File not found.".into()),
        }
    }

    /// Maps a command-line file argument to its virtual path, like protoc's
    /// `MakeProtoProtoPathRelative`.
    pub(crate) fn input_to_virtual(&self, input: &str) -> Result<String, InputError> {
        let is_virtual = |name: &str| {
            self.memory.iter().any(|(memory, _)| memory == name)
                || self.virtual_to_disk(name).is_some()
                || wkt::embedded_file(name).is_some()
        };
        let input_path = file_names::to_path(input);
        if !input_path.exists() {
            return if is_virtual(input) {
                Ok(input.to_string())
            } else {
                Err(InputError::NotFound(input.to_string()))
            };
        }
        let canonical = canonicalize(input);
        let found =
            self.mappings
                .iter()
                .enumerate()
                .find_map(|(index, (virtual_prefix, disk_prefix))| {
                    apply_mapping(&canonical, disk_prefix, virtual_prefix).map(|v| (index, v))
                });
        let Some((index, virtual_path)) = found else {
            return if is_virtual(input) {
                Ok(input.to_string())
            } else {
                Err(InputError::NoMapping(input.to_string()))
            };
        };
        for (virtual_prefix, disk_prefix) in &self.mappings[..index] {
            if let Some(shadowing) = apply_mapping(&virtual_path, virtual_prefix, disk_prefix)
                && file_names::to_path(&shadowing).exists()
            {
                return Err(InputError::Shadowed {
                    input: input.to_string(),
                    shadowing,
                });
            }
        }
        // protoc then checks that the file opens.
        let cannot_open = |reason: String| InputError::CannotOpen {
            input: input.to_string(),
            reason,
        };
        if input_path.is_dir() {
            return Err(cannot_open("Input file is a directory.".into()));
        }
        if let Err(error) = std::fs::File::open(&input_path) {
            return Err(cannot_open(crate::describe_io_error(&error)));
        }
        Ok(virtual_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalizes_like_protoc() {
        assert_eq!(canonicalize("./a//b/./c.proto"), "a/b/c.proto");
        assert_eq!(canonicalize("/abs/./x/"), "/abs/x/");
        assert_eq!(canonicalize("."), "");
    }

    #[test]
    fn reports_why_a_virtual_path_cannot_be_read() {
        let tree = SourceTree::new(&[], &[]);
        for path in [
            "./a.proto",
            "a//b.proto",
            "a/../b.proto",
            "../b.proto",
            "a/.",
        ] {
            assert_eq!(tree.read_error(path), NOT_CANONICAL, "{path}");
        }
        assert_eq!(tree.read_error(""), "File not found.");
        assert_eq!(tree.read_error("missing.proto"), "File not found.");
        assert!(tree.read("google/protobuf/any.proto").is_ok());
        assert_eq!(
            tree.read_error("./google/protobuf/any.proto"),
            NOT_CANONICAL
        );
    }

    #[test]
    fn applies_mappings() {
        assert_eq!(
            apply_mapping("a/b.proto", "", "inc").as_deref(),
            Some("inc/a/b.proto")
        );
        assert_eq!(
            apply_mapping("a/b.proto", "", "").as_deref(),
            Some("a/b.proto")
        );
        assert_eq!(apply_mapping("../b.proto", "", "inc"), None);
        assert_eq!(
            apply_mapping("v/b.proto", "v", "disk").as_deref(),
            Some("disk/b.proto")
        );
        assert_eq!(apply_mapping("vb.proto", "v", "disk"), None);
        assert_eq!(
            apply_mapping("protos/x.proto", "protos", "").as_deref(),
            Some("x.proto")
        );
    }
}
