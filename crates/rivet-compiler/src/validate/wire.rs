//! Reading protobuf wire data: the fields of interpreted options, which protoc inspects as
//! unknown fields.

use crate::wire::read_varint;

/// The top-level fields of a message: (number, wire type, varint value, payload). Payloads
/// are the bytes of length-delimited fields, fixed-width values and the contents of groups.
/// Decoding stops at the first malformed field.
pub(crate) fn decode(mut bytes: &[u8]) -> Vec<(i32, u8, u64, &[u8])> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let Some((number, wire, value, payload)) = next_field(&mut bytes) else {
            break;
        };
        if wire == 4 {
            break;
        }
        out.push((number, wire, value, payload));
    }
    out
}

fn next_field<'b>(bytes: &mut &'b [u8]) -> Option<(i32, u8, u64, &'b [u8])> {
    let key = read_varint(bytes)?;
    let number = i32::try_from(key >> 3).ok()?;
    let wire = (key & 7) as u8;
    match wire {
        0 => Some((number, wire, read_varint(bytes)?, &[][..])),
        1 | 5 => {
            let len = if wire == 1 { 8 } else { 4 };
            let payload = bytes.get(..len)?;
            *bytes = &bytes[len..];
            Some((number, wire, 0, payload))
        }
        2 => {
            let len = usize::try_from(read_varint(bytes)?).ok()?;
            let payload = bytes.get(..len)?;
            *bytes = &bytes[len..];
            Some((number, wire, 0, payload))
        }
        3 => {
            // A group: its contents run to the matching end-group key (`next_field` reads a
            // nested group whole, so the first end-group key seen here is this group's).
            let start = *bytes;
            loop {
                let before = bytes.len();
                let (_, inner_wire, _, _) = next_field(bytes)?;
                if inner_wire == 4 {
                    let end_key_len = before - bytes.len();
                    let consumed = start.len() - bytes.len() - end_key_len;
                    return Some((number, wire, 0, &start[..consumed]));
                }
            }
        }
        4 => Some((number, wire, 0, &[][..])),
        _ => None,
    }
}

/// Whether `bytes` (an options message's interpreted fields so far) already set the field
/// reached through the field numbers `path` (intermediate message or group fields, then the
/// leaf): protoc's `ExamineIfOptionIsSet`.
pub(crate) fn option_already_set(bytes: &[u8], path: &[i32]) -> bool {
    let Some((&first, rest)) = path.split_first() else {
        return false;
    };
    decode(bytes).into_iter().any(|(number, wire, _, payload)| {
        number == first
            && (rest.is_empty() || (matches!(wire, 2 | 3) && option_already_set(payload, rest)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_in_messages_and_groups() {
        // Field 1 = { field 2 = 7 }, then group 3 { field 4 = 1 }.
        let bytes = [0x0a, 0x02, 0x10, 0x07, 0x1b, 0x20, 0x01, 0x1c];
        assert!(option_already_set(&bytes, &[1]));
        assert!(option_already_set(&bytes, &[1, 2]));
        assert!(!option_already_set(&bytes, &[1, 3]));
        assert!(option_already_set(&bytes, &[3, 4]));
        assert!(!option_already_set(&bytes, &[4]));
        assert_eq!(decode(&bytes).len(), 2);
        // Truncated input decodes what it can.
        assert_eq!(decode(&bytes[..3]).len(), 0);
    }
}
