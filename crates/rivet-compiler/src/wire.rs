//! Protobuf wire-format primitives shared by option encoding, the output pass and the
//! validators that read encoded options.

/// Appends `value` as a varint.
pub(crate) fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends an `int32` value as protobuf encodes it (negative values sign-extended to ten
/// bytes).
pub(crate) fn int32(out: &mut Vec<u8>, value: i32) {
    varint(out, i64::from(value) as u64);
}

/// Appends the key of field `number` with `wire_type`.
pub(crate) fn key(out: &mut Vec<u8>, number: i32, wire_type: u8) {
    varint(out, ((number as u64) << 3) | wire_type as u64);
}

/// Appends field `number` as a length-delimited record holding `payload`.
pub(crate) fn length_delimited(out: &mut Vec<u8>, number: i32, payload: &[u8]) {
    key(out, number, 2);
    varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// Reads a varint from the front of `bytes`, advancing it; `None` if it is truncated or
/// longer than ten bytes.
pub(crate) fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= ((byte & 0x7f) as u64) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}
