//! File names as the compiler handles them: `String`s that can stand for any bytes.
//!
//! (Public for the `rivet` CLI, which reads its arguments the same way.)
//!
//! protoc's file names are bytes: an `import` string may hold any bytes (through escapes), and
//! so may a path on the command line or on disk. Such a name must find its file, print as its
//! bytes in diagnostics and be written as its bytes into `FileDescriptorProto.name` and
//! `dependency`. Inside the compiler, names are compared, hashed, joined and split on `/` as
//! `String`s, so a name that is not UTF-8 is carried in a lossless escaped form: every byte
//! that is not part of valid UTF-8 becomes one character of the last 128 code points of the
//! Unicode range (U+10FF80 + byte - 0x80), which are private-use characters. A name that
//! genuinely holds one of those characters has each of its four bytes escaped the same way, so
//! the mapping is a bijection and [`to_bytes`] undoes [`from_bytes`] exactly. Names that are
//! UTF-8 and do not use those characters (all names in practice) are unchanged.
//!
//! Descriptors get the bytes ([`to_bytes`]), diagnostics print the bytes, and the `String`s
//! of compilation results get lossy text ([`lossy`]). The one place the escaped form is part
//! of the API is a virtual prefix given to
//! [`Compiler::include_mapping`](crate::Compiler::include_mapping) (a `String`): a prefix
//! that is not UTF-8 is given in this form, as the `rivet` CLI does with its arguments, which
//! it handles as text in this form throughout ([`from_os`], [`to_path`]).

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rivet_descriptor::ProtoString;

/// The first character standing for a byte; byte `b` (0x80..=0xFF) is `ESCAPE_BASE + b`.
const ESCAPE_BASE: u32 = 0x10_FF00;
/// The first escape character, U+10FF80 (standing for byte 0x80).
const FIRST_ESCAPE: char = '\u{10FF80}';

/// Whether `c` is one of the characters standing for a byte.
fn is_escape(c: char) -> bool {
    c >= FIRST_ESCAPE
}

/// The name's escaped form: `bytes` as text where they are UTF-8, escaped where not.
pub fn from_bytes(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.chars().any(is_escape) => Cow::Borrowed(text),
        _ => {
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                for c in chunk.valid().chars() {
                    if is_escape(c) {
                        let mut buffer = [0; 4];
                        c.encode_utf8(&mut buffer)
                            .bytes()
                            .for_each(|b| push_byte(&mut out, b));
                    } else {
                        out.push(c);
                    }
                }
                chunk.invalid().iter().for_each(|&b| push_byte(&mut out, b));
            }
            Cow::Owned(out)
        }
    }
}

/// Appends the escape character of byte `b` (0x80..=0xFF).
fn push_byte(out: &mut String, b: u8) {
    out.push(char::from_u32(ESCAPE_BASE + u32::from(b)).expect("an escape is a valid char"));
}

/// The bytes an escaped name stands for.
pub fn to_bytes(name: &str) -> Cow<'_, [u8]> {
    // Every escape character is encoded as F4 8F BE xx or F4 8F BF xx.
    if !name.as_bytes().contains(&0xF4) || !name.chars().any(is_escape) {
        return Cow::Borrowed(name.as_bytes());
    }
    let mut out = Vec::with_capacity(name.len());
    for c in name.chars() {
        if is_escape(c) {
            out.push((u32::from(c) - ESCAPE_BASE) as u8);
        } else {
            let mut buffer = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        }
    }
    Cow::Owned(out)
}

/// The escaped form of a name stored in a descriptor (`name`, `dependency`).
pub(crate) fn of(stored: &ProtoString) -> Cow<'_, str> {
    from_bytes(stored.as_bytes())
}

/// The name as text for a public `String` (bytes that are not UTF-8 shown as U+FFFD).
pub fn lossy(name: &str) -> String {
    match to_bytes(name) {
        Cow::Borrowed(_) => name.to_string(),
        Cow::Owned(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A path's escaped form (its bytes on Unix; its text elsewhere).
pub fn from_path(path: &Path) -> Cow<'_, str> {
    from_os(path.as_os_str())
}

/// An OS string's escaped form (its bytes on Unix; its text elsewhere), e.g. of a
/// command-line argument.
pub fn from_os(text: &OsStr) -> Cow<'_, str> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        from_bytes(text.as_bytes())
    }
    #[cfg(not(unix))]
    {
        text.to_string_lossy()
    }
}

/// The path an escaped name stands for (its bytes on Unix; its text elsewhere).
pub fn to_path(name: &str) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(&to_bytes(name)))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(name)
    }
}

/// A message that quotes escaped names, as the bytes protoc prints. Only for messages whose
/// other parts are fixed text, symbol names or numbers (no bytes of a `.proto` file).
pub(crate) fn message(text: String) -> Vec<u8> {
    match to_bytes(&text) {
        Cow::Borrowed(_) => text.into_bytes(),
        Cow::Owned(bytes) => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_any_bytes() {
        let cases: [&[u8]; 6] = [
            b"plain/name.proto",
            b"\xff.proto",
            b"a/\xc3(\x80.proto",
            "\u{10FF80}x\u{10FFFF}".as_bytes(),
            b"\xf4\x8f\xbe",
            "é/日本.proto".as_bytes(),
        ];
        for bytes in cases {
            let name = from_bytes(bytes);
            assert_eq!(to_bytes(&name).as_ref(), bytes, "{bytes:?}");
        }
        assert!(matches!(from_bytes(b"a.proto"), Cow::Borrowed("a.proto")));
        assert_eq!(from_bytes(b"\xff/a").split('/').count(), 2);
        assert_eq!(lossy(&from_bytes(b"x\xff")), "x\u{FFFD}");
    }

    #[test]
    fn escapes_are_distinct_from_text() {
        // A genuine escape character and the byte it would stand for map to different names.
        let genuine = from_bytes("\u{10FFFF}".as_bytes());
        let byte = from_bytes(b"\xff");
        assert_ne!(genuine, byte);
        assert_eq!(to_bytes(&genuine).as_ref(), "\u{10FFFF}".as_bytes());
    }
}
