//! Storage for fields that a message does not know about.
//!
//! Protobuf parsers must keep fields they cannot interpret so that a decode followed by an
//! encode loses nothing. For descriptors this matters a great deal: every custom option and
//! every language-specific feature (`pb.cpp`, `pb.java`, ...) reaches a program as an unknown
//! field of an `*Options` or `FeatureSet` message.

use core::fmt;

use bytes::{Buf, BufMut};
use prost::DecodeError;
use prost::encoding::{DecodeContext, MAX_TAG, MIN_TAG, WireType, decode_key, decode_varint};
use prost::encoding::{encode_key, encode_varint, skip_field};

/// The fields of a message that its Rust type does not declare, kept in wire format.
///
/// Every message of this crate has a public `unknown_fields` member of this type. Decoding
/// appends each field whose number the message does not declare (or that arrives with a wire
/// type the declared field cannot have), byte for byte and in arrival order. Encoding writes
/// the stored bytes after all known fields, which is also where `protoc` writes unknown fields
/// and extensions, so a decode/encode round trip reproduces `protoc`'s output exactly.
///
/// The content is always a sequence of complete, well-formed fields: it is only filled by
/// decoding (which validates each field) and by the `push_*` methods. That is why
/// [`iter`](Self::iter) is infallible.
///
/// ```
/// use rivet_descriptor::{UnknownFields, UnknownValue};
///
/// let mut fields = UnknownFields::new();
/// fields.push_varint(50000, 7);
/// fields.push_length_delimited(50001, b"hi");
/// let values: Vec<_> = fields.iter().map(|f| (f.number, f.value)).collect();
/// assert_eq!(values[0], (50000, UnknownValue::Varint(7)));
/// assert_eq!(values[1], (50001, UnknownValue::LengthDelimited(b"hi".to_vec())));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct UnknownFields {
    bytes: Vec<u8>,
}

/// Access to the [`UnknownFields`] of a message, for code that is generic over messages.
///
/// Every message of this crate implements it (each also has the same data as its public
/// `unknown_fields` member). For example, a compiler can write an interpreted custom option
/// into any `*Options` message through `unknown_fields_mut()`.
pub trait HasUnknownFields: prost::Message {
    /// The fields of this message that its type does not declare.
    fn unknown_fields(&self) -> &UnknownFields;

    /// Mutable access to the fields of this message that its type does not declare.
    fn unknown_fields_mut(&mut self) -> &mut UnknownFields;
}

/// One field decoded from [`UnknownFields`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownField {
    /// The field number.
    pub number: u32,
    /// The field's payload, by wire type.
    pub value: UnknownValue,
}

/// The payload of an [`UnknownField`], one variant per wire type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UnknownValue {
    /// Wire type 0: a varint (int32, int64, uint32, uint64, sint32, sint64, bool, enum).
    Varint(u64),
    /// Wire type 1: eight little-endian bytes (fixed64, sfixed64, double).
    Fixed64(u64),
    /// Wire type 2: length-delimited bytes (string, bytes, message, packed repeated).
    LengthDelimited(Vec<u8>),
    /// Wire types 3 and 4: a group, holding the fields between its start and end tags.
    Group(UnknownFields),
    /// Wire type 5: four little-endian bytes (fixed32, sfixed32, float).
    Fixed32(u32),
}

impl UnknownFields {
    /// Creates an empty set of unknown fields.
    pub const fn new() -> Self {
        UnknownFields { bytes: Vec::new() }
    }

    /// Returns `true` if no unknown field is stored.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Returns the encoded size of the stored fields, in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Returns the stored fields exactly as they are encoded (keys and payloads).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Removes every stored field.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// Appends a varint field (wire type 0).
    ///
    /// # Panics
    ///
    /// If `number` is not a valid field number (`1..=536_870_911`).
    pub fn push_varint(&mut self, number: u32, value: u64) {
        self.push_key(number, WireType::Varint);
        encode_varint(value, &mut self.bytes);
    }

    /// Appends a 32-bit fixed-width field (wire type 5).
    ///
    /// # Panics
    ///
    /// If `number` is not a valid field number (`1..=536_870_911`).
    pub fn push_fixed32(&mut self, number: u32, value: u32) {
        self.push_key(number, WireType::ThirtyTwoBit);
        self.bytes.put_u32_le(value);
    }

    /// Appends a 64-bit fixed-width field (wire type 1).
    ///
    /// # Panics
    ///
    /// If `number` is not a valid field number (`1..=536_870_911`).
    pub fn push_fixed64(&mut self, number: u32, value: u64) {
        self.push_key(number, WireType::SixtyFourBit);
        self.bytes.put_u64_le(value);
    }

    /// Appends a length-delimited field (wire type 2), such as a string, bytes or an encoded
    /// message.
    ///
    /// # Panics
    ///
    /// If `number` is not a valid field number (`1..=536_870_911`).
    pub fn push_length_delimited(&mut self, number: u32, value: &[u8]) {
        self.push_key(number, WireType::LengthDelimited);
        encode_varint(value.len() as u64, &mut self.bytes);
        self.bytes.extend_from_slice(value);
    }

    /// Appends a group field (wire types 3 and 4) whose content is `fields`.
    ///
    /// # Panics
    ///
    /// If `number` is not a valid field number (`1..=536_870_911`).
    pub fn push_group(&mut self, number: u32, fields: &UnknownFields) {
        self.push_key(number, WireType::StartGroup);
        self.bytes.extend_from_slice(&fields.bytes);
        self.push_key(number, WireType::EndGroup);
    }

    /// Appends already-encoded fields (keys and payloads), for example the bytes of another
    /// `UnknownFields` or of an extension encoded elsewhere.
    ///
    /// The bytes are checked first: they must be a sequence of complete fields, with groups
    /// properly closed and nested no deeper than prost's recursion limit. On error nothing is
    /// appended.
    pub fn push_raw(&mut self, encoded: &[u8]) -> Result<(), DecodeError> {
        let mut rest = encoded;
        let ctx = DecodeContext::default();
        while rest.has_remaining() {
            let (number, wire_type) = decode_key(&mut rest)?;
            skip(wire_type, number, &mut rest, ctx.clone())?;
        }
        self.bytes.extend_from_slice(encoded);
        Ok(())
    }

    /// Iterates over the stored fields in order, decoding each one.
    pub fn iter(&self) -> UnknownFieldsIter<'_> {
        UnknownFieldsIter { rest: &self.bytes }
    }

    /// Reads one field whose key (`number`, `wire_type`) has just been decoded from `buf`, and
    /// appends it, key included, verbatim.
    ///
    /// This is what `prost::Message::merge_field` of every message in this crate calls for a
    /// field it does not declare; hand-written messages can do the same. Groups are followed
    /// to their matching end tag, and nesting counts against `ctx`'s recursion limit as in
    /// protobuf's C++ parser (which protoc uses): each group takes one level when it starts,
    /// so groups may nest as deep as the levels left, whatever they hold. (prost's own
    /// `skip_field` charges the fields inside a group too, one level more.) On error nothing
    /// is appended.
    pub fn merge_field(
        &mut self,
        number: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        let start = self.bytes.len();
        encode_key(number, wire_type, &mut self.bytes);
        let mut recorder = RecordingBuf {
            inner: buf,
            record: &mut self.bytes,
        };
        let result = skip(wire_type, number, &mut recorder, ctx);
        if result.is_err() {
            self.bytes.truncate(start);
        }
        result
    }

    /// Writes the stored fields to `buf`, as the tail of an encoded message.
    pub fn encode_raw(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.bytes);
    }

    fn push_key(&mut self, number: u32, wire_type: WireType) {
        assert!(
            (MIN_TAG..=MAX_TAG).contains(&number),
            "invalid protobuf field number {number}"
        );
        encode_key(number, wire_type, &mut self.bytes);
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = UnknownField;
    type IntoIter = UnknownFieldsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over the fields of an [`UnknownFields`], returned by [`UnknownFields::iter`].
#[derive(Clone, Debug)]
pub struct UnknownFieldsIter<'a> {
    rest: &'a [u8],
}

impl Iterator for UnknownFieldsIter<'_> {
    type Item = UnknownField;

    fn next(&mut self) -> Option<UnknownField> {
        if self.rest.is_empty() {
            return None;
        }
        match read_field(&mut self.rest) {
            Some(field) => Some(field),
            None => {
                // Unreachable for content built through the public API; stop rather than
                // loop or panic if it ever happens.
                self.rest = &[];
                None
            }
        }
    }
}

/// Decodes one field from the front of `data`. Returns `None` on malformed input.
fn read_field(data: &mut &[u8]) -> Option<UnknownField> {
    let (number, wire_type) = decode_key(data).ok()?;
    let value = match wire_type {
        WireType::Varint => UnknownValue::Varint(decode_varint(data).ok()?),
        WireType::SixtyFourBit => {
            if data.remaining() < 8 {
                return None;
            }
            UnknownValue::Fixed64(data.get_u64_le())
        }
        WireType::ThirtyTwoBit => {
            if data.remaining() < 4 {
                return None;
            }
            UnknownValue::Fixed32(data.get_u32_le())
        }
        WireType::LengthDelimited => {
            let len = usize::try_from(decode_varint(data).ok()?).ok()?;
            if data.len() < len {
                return None;
            }
            let (payload, rest) = data.split_at(len);
            *data = rest;
            UnknownValue::LengthDelimited(payload.to_vec())
        }
        WireType::StartGroup => {
            let content_len = group_content_len(data, number)?;
            let content = data[..content_len].to_vec();
            *data = &data[content_len..];
            // Consume the end-group key that closes this group.
            decode_key(data).ok()?;
            UnknownValue::Group(UnknownFields { bytes: content })
        }
        WireType::EndGroup => return None,
    };
    Some(UnknownField { number, value })
}

/// Skips the value of a field whose key was just read, checking groups' nesting as protobuf's
/// C++ parser does (see [`UnknownFields::merge_field`]).
fn skip(
    wire_type: WireType,
    number: u32,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), DecodeError> {
    let contiguous = buf.chunk().len() == buf.remaining();
    if wire_type != WireType::StartGroup || !contiguous {
        return skip_field(wire_type, number, buf, ctx);
    }
    let Some((content_len, depth)) = group_shape(buf.chunk(), number) else {
        // Malformed: prost says how.
        return skip_field(wire_type, number, buf, ctx);
    };
    // prost's context keeps its budget to itself, but its `skip_field` accepts empty groups
    // nested `n` deep exactly when `n` levels are left: the C++ rule for any group.
    let mut shape = Vec::with_capacity(2 * depth);
    encode_key(number, WireType::StartGroup, &mut shape);
    (1..depth).for_each(|_| encode_key(1, WireType::StartGroup, &mut shape));
    (1..depth).for_each(|_| encode_key(1, WireType::EndGroup, &mut shape));
    encode_key(number, WireType::EndGroup, &mut shape);
    let mut shape = &shape[..];
    decode_key(&mut shape)?;
    skip_field(WireType::StartGroup, number, &mut shape, ctx)?;
    // The content, then the end-group key.
    buf.advance(content_len);
    decode_key(buf)?;
    Ok(())
}

/// Returns the length of a group's content, up to (not including) the end-group key matching
/// `number`. Works with an explicit stack, so arbitrarily deep nesting cannot overflow.
fn group_content_len(data: &[u8], number: u32) -> Option<usize> {
    group_shape(data, number).map(|(len, _)| len)
}

/// [`group_content_len`], and how deep groups nest in it, the group itself included.
fn group_shape(data: &[u8], number: u32) -> Option<(usize, usize)> {
    let mut cursor = data;
    let mut open = vec![number];
    let mut depth = 1;
    loop {
        let key_start = data.len() - cursor.len();
        let (inner, wire_type) = decode_key(&mut cursor).ok()?;
        match wire_type {
            WireType::Varint => {
                decode_varint(&mut cursor).ok()?;
            }
            WireType::SixtyFourBit => cursor = cursor.get(8..)?,
            WireType::ThirtyTwoBit => cursor = cursor.get(4..)?,
            WireType::LengthDelimited => {
                let len = usize::try_from(decode_varint(&mut cursor).ok()?).ok()?;
                cursor = cursor.get(len..)?;
            }
            WireType::StartGroup => {
                open.push(inner);
                depth = depth.max(open.len());
            }
            WireType::EndGroup => {
                if open.pop() != Some(inner) {
                    return None;
                }
                if open.is_empty() {
                    return Some((key_start, depth));
                }
            }
        }
    }
}

/// A `Buf` adapter that copies every byte consumed from `inner` into `record`.
struct RecordingBuf<'a, B: Buf> {
    inner: &'a mut B,
    record: &'a mut Vec<u8>,
}

impl<B: Buf> Buf for RecordingBuf<'_, B> {
    fn remaining(&self) -> usize {
        self.inner.remaining()
    }

    fn chunk(&self) -> &[u8] {
        self.inner.chunk()
    }

    fn advance(&mut self, mut cnt: usize) {
        while cnt > 0 {
            let chunk = self.inner.chunk();
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len().min(cnt);
            self.record.extend_from_slice(&chunk[..n]);
            self.inner.advance(n);
            cnt -= n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_buf_copies_across_chunks() {
        let mut chained = Buf::chain(&[0x08u8, 0x96][..], &[0x01u8, 0x10, 0x05][..]);
        let mut fields = UnknownFields::new();
        let (number, wire_type) = decode_key(&mut chained).unwrap();
        fields
            .merge_field(number, wire_type, &mut chained, DecodeContext::default())
            .unwrap();
        assert_eq!(fields.as_bytes(), &[0x08, 0x96, 0x01]);
        assert_eq!(chained.remaining(), 2);
    }

    #[test]
    fn group_content_len_handles_deep_nesting_without_recursion() {
        let mut inner = UnknownFields::new();
        inner.push_varint(1, 1);
        for depth in 0..2_000u32 {
            let mut outer = UnknownFields::new();
            outer.push_group(depth % 7 + 1, &inner);
            inner = outer;
        }
        let field = inner.iter().next().unwrap();
        assert_eq!(field.number, 1_999 % 7 + 1);
        assert!(matches!(field.value, UnknownValue::Group(_)));
    }
}
