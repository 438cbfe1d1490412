//! [`ProtoString`]: the value of a `string` field whose bytes need not be UTF-8.

use core::fmt;
use std::borrow::Cow;

/// The value of a protobuf `string` field, kept as the bytes that were written.
///
/// `descriptor.proto` is a proto2 file, and protobuf's C++ runtime (so `protoc`) stores its
/// `string` fields as plain bytes without checking that they are UTF-8. Several of them
/// receive bytes of the `.proto` file as they are: for example
/// [`FieldDescriptorProto::default_value`](crate::FieldDescriptorProto) holds the default of a
/// `string` field exactly as the `.proto` file spelled it, escapes resolved, so
/// `[default = "\377"]` (or a Latin-1 byte written literally in the file) puts the byte `0xFF`
/// in the descriptor; comments, `json_name`, reserved names and string options are copied
/// the same way (see the [crate documentation](crate) for the list). A Rust `String` cannot
/// hold such bytes; this type can, so that decoding and encoding a descriptor loses nothing.
///
/// In every other respect it behaves like a string: it converts from `&str` and `String`, and
/// compares equal to them, so `field.default_value = Some("x".into())` and
/// `field.default_value.as_ref().is_some_and(|d| d == "x")` read as usual.
///
/// ```
/// use rivet_descriptor::ProtoString;
///
/// let text = ProtoString::from("GREEN");
/// assert_eq!(text, "GREEN");
/// assert_eq!(text.to_str(), Some("GREEN"));
///
/// let raw = ProtoString::from(b"caf\xe9".to_vec()); // Latin-1, not UTF-8
/// assert_eq!(raw.to_str(), None);
/// assert_eq!(raw.as_bytes(), b"caf\xe9");
/// assert_eq!(raw.to_string_lossy(), "caf\u{fffd}");
/// assert_eq!(format!("{raw:?}"), r#""caf\xe9""#);
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProtoString {
    bytes: Vec<u8>,
}

impl ProtoString {
    /// Creates an empty string.
    pub const fn new() -> Self {
        ProtoString { bytes: Vec::new() }
    }

    /// The bytes, exactly as stored (and encoded).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The text, or `None` if the bytes are not valid UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.bytes).ok()
    }

    /// The text, with each sequence of bytes that is not UTF-8 replaced by `U+FFFD`
    /// (as [`String::from_utf8_lossy`] does).
    pub fn to_string_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Returns `true` if there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Converts into the bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Converts into a `String`, or gives `self` back if the bytes are not valid UTF-8.
    pub fn into_string(self) -> Result<String, ProtoString> {
        String::from_utf8(self.bytes).map_err(|error| ProtoString {
            bytes: error.into_bytes(),
        })
    }

    pub(crate) fn as_mut_vec(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }
}

impl From<String> for ProtoString {
    fn from(text: String) -> Self {
        ProtoString {
            bytes: text.into_bytes(),
        }
    }
}

impl From<&str> for ProtoString {
    fn from(text: &str) -> Self {
        ProtoString {
            bytes: text.as_bytes().to_vec(),
        }
    }
}

impl From<Vec<u8>> for ProtoString {
    fn from(bytes: Vec<u8>) -> Self {
        ProtoString { bytes }
    }
}

impl From<&[u8]> for ProtoString {
    fn from(bytes: &[u8]) -> Self {
        ProtoString {
            bytes: bytes.to_vec(),
        }
    }
}

impl From<ProtoString> for Vec<u8> {
    fn from(string: ProtoString) -> Self {
        string.bytes
    }
}

impl AsRef<[u8]> for ProtoString {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl PartialEq<str> for ProtoString {
    fn eq(&self, other: &str) -> bool {
        self.bytes == other.as_bytes()
    }
}

impl PartialEq<&str> for ProtoString {
    fn eq(&self, other: &&str) -> bool {
        self.bytes == other.as_bytes()
    }
}

impl PartialEq<String> for ProtoString {
    fn eq(&self, other: &String) -> bool {
        self.bytes == other.as_bytes()
    }
}

impl PartialEq<ProtoString> for str {
    fn eq(&self, other: &ProtoString) -> bool {
        self.as_bytes() == other.bytes
    }
}

impl PartialEq<ProtoString> for &str {
    fn eq(&self, other: &ProtoString) -> bool {
        self.as_bytes() == other.bytes
    }
}

impl PartialEq<ProtoString> for String {
    fn eq(&self, other: &ProtoString) -> bool {
        self.as_bytes() == other.bytes
    }
}

/// Like `str`'s `Debug` (a quoted, escaped string); a byte that is not part of valid UTF-8
/// shows as `\xNN`.
impl fmt::Debug for ProtoString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.to_str() {
            return fmt::Debug::fmt(text, f);
        }
        f.write_str("\"")?;
        for chunk in self.bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                // `escape_debug` escapes `'` too, which `str`'s `Debug` leaves alone.
                if c == '\'' {
                    f.write_str("'")?;
                } else {
                    write!(f, "{}", c.escape_debug())?;
                }
            }
            for byte in chunk.invalid() {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        f.write_str("\"")
    }
}

/// The text, lossily: see [`to_string_lossy`](ProtoString::to_string_lossy).
impl fmt::Display for ProtoString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.bytes.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{fffd}")?;
            }
        }
        Ok(())
    }
}

/// Encoding and decoding as a length-delimited field, for the `message!` macro.
pub(crate) mod encoding {
    use bytes::{Buf, BufMut};
    use prost::DecodeError;
    use prost::encoding::{DecodeContext, WireType};

    use super::ProtoString;

    pub(crate) fn encode(tag: u32, value: &ProtoString, buf: &mut impl BufMut) {
        prost::encoding::bytes::encode(tag, &value.bytes, buf);
    }

    pub(crate) fn encoded_len(tag: u32, value: &ProtoString) -> usize {
        prost::encoding::bytes::encoded_len(tag, &value.bytes)
    }

    pub(crate) fn merge(
        wire_type: WireType,
        value: &mut ProtoString,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        prost::encoding::bytes::merge(wire_type, value.as_mut_vec(), buf, ctx)
    }
}
