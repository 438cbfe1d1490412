//! The `UnknownFields` API, and how messages capture unknown fields while decoding: groups,
//! arrival order, recursion limits and malformed input.

mod common;

use common::*;
use prost::Message;
use rivet_descriptor::{
    DescriptorProto, FileDescriptorProto, FileOptions, HasUnknownFields, UnknownField,
    UnknownFields, UnknownValue,
};

fn key(number: u32, wire_type: u32) -> Vec<u8> {
    let mut out = Vec::new();
    prost::encoding::encode_varint(u64::from(number << 3 | wire_type), &mut out);
    out
}

#[test]
fn push_and_iterate_every_wire_type() {
    let mut inner = UnknownFields::new();
    inner.push_varint(1, 150);
    inner.push_length_delimited(2, b"x");

    let mut fields = UnknownFields::new();
    assert!(fields.is_empty());
    fields.push_varint(1, 150);
    fields.push_fixed64(2, 0x0102_0304_0506_0708);
    fields.push_length_delimited(3, b"abc");
    fields.push_group(4, &inner);
    fields.push_fixed32(5, 0xdead_beef);
    fields.push_varint(536_870_911, u64::MAX);
    fields.push_raw(&[0x38, 0x07]).unwrap(); // field 7, varint 7

    #[rustfmt::skip]
    let expected: &[u8] = &[
        0x08, 0x96, 0x01,
        0x11, 8, 7, 6, 5, 4, 3, 2, 1,
        0x1a, 3, b'a', b'b', b'c',
        0x23, 0x08, 0x96, 0x01, 0x12, 1, b'x', 0x24,
        0x2d, 0xef, 0xbe, 0xad, 0xde,
        0xf8, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        0x38, 0x07,
    ];
    assert_eq!(fields.as_bytes(), expected);
    assert_eq!(fields.len(), expected.len());
    assert!(!fields.is_empty());

    let decoded: Vec<UnknownField> = fields.iter().collect();
    assert_eq!(
        decoded,
        [
            UnknownField {
                number: 1,
                value: UnknownValue::Varint(150)
            },
            UnknownField {
                number: 2,
                value: UnknownValue::Fixed64(0x0102_0304_0506_0708)
            },
            UnknownField {
                number: 3,
                value: UnknownValue::LengthDelimited(b"abc".to_vec())
            },
            UnknownField {
                number: 4,
                value: UnknownValue::Group(inner.clone())
            },
            UnknownField {
                number: 5,
                value: UnknownValue::Fixed32(0xdead_beef)
            },
            UnknownField {
                number: 536_870_911,
                value: UnknownValue::Varint(u64::MAX)
            },
            UnknownField {
                number: 7,
                value: UnknownValue::Varint(7)
            },
        ]
    );
    assert_eq!((&fields).into_iter().count(), 7);
    assert!(format!("{fields:?}").contains("Fixed32(3735928559)"));

    let copy = fields.clone();
    assert_eq!(copy, fields);
    fields.clear();
    assert!(fields.is_empty());
    assert_eq!(fields, UnknownFields::default());
    assert_ne!(copy, fields);
}

#[test]
fn push_raw_rejects_malformed_bytes_and_appends_nothing() {
    let malformed: &[&[u8]] = &[
        &[0x08],       // varint missing
        &[0x08, 0xff], // truncated varint
        &[
            0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ], // 11 bytes
        &[0x0a, 0x05, 1, 2], // length beyond the end
        &[0x0d, 1, 2, 3], // truncated fixed32
        &[0x09, 1, 2, 3, 4, 5, 6], // truncated fixed64
        &[0x0c],       // end group without start
        &[0x0b, 0x08, 0x01], // group never closed
        &[0x0b, 0x14], // group 1 closed by end group 2
        &[0x0e, 0x00], // wire type 6
        &[0x0f, 0x00], // wire type 7
        &[0x00, 0x01], // field number 0
    ];
    for bytes in malformed {
        let mut fields = UnknownFields::new();
        fields.push_varint(1, 1);
        assert!(
            fields.push_raw(bytes).is_err(),
            "{bytes:?} should be rejected"
        );
        assert_eq!(fields.as_bytes(), [0x08, 0x01]);
    }
}

#[test]
#[should_panic(expected = "invalid protobuf field number")]
fn push_rejects_field_number_zero() {
    UnknownFields::new().push_varint(0, 1);
}

#[test]
#[should_panic(expected = "invalid protobuf field number")]
fn push_rejects_field_number_too_large() {
    UnknownFields::new().push_length_delimited(1 << 29, b"");
}

#[test]
fn unknown_fields_are_kept_in_arrival_order_after_known_fields() {
    let mut group = UnknownFields::new();
    group.push_length_delimited(1, b"deep");
    let mut nested = UnknownFields::new();
    nested.push_group(2, &group);

    let mut input = Vec::new();
    input.extend(key(50000, 0));
    input.push(0x07); // 50000: varint 7 (a custom option)
    input.extend([0x0a, 0x02, b'p', b'k']); // java_package = "pk"
    input.extend(key(50003, 3)); // 50003: start group
    input.extend(nested.as_bytes());
    input.extend(key(50003, 4)); // 50003: end group
    input.extend([0x48, 0x02]); // optimize_for = CODE_SIZE
    input.extend(key(50002, 5));
    input.extend([1, 0, 0, 0]); // 50002: fixed32 1

    let options = FileOptions::decode(input.as_slice()).unwrap();
    assert_eq!(options.java_package(), "pk");
    assert_eq!(options.optimize_for, Some(2));
    let numbers: Vec<u32> = options.unknown_fields.iter().map(|f| f.number).collect();
    assert_eq!(numbers, [50000, 50003, 50002]);
    let UnknownValue::Group(content) = &fields(&options.unknown_fields)[1].1 else {
        panic!("expected a group");
    };
    assert_eq!(content, &nested);

    // Known fields first, in number order, then the unknown ones as they arrived.
    let mut expected = vec![0x0a, 0x02, b'p', b'k', 0x48, 0x02];
    expected.extend(key(50000, 0));
    expected.push(0x07);
    expected.extend(key(50003, 3));
    expected.extend(nested.as_bytes());
    expected.extend(key(50003, 4));
    expected.extend(key(50002, 5));
    expected.extend([1, 0, 0, 0]);
    assert_eq!(options.encode_to_vec(), expected);
    assert_eq!(options.encoded_len(), expected.len());
    assert_round_trip::<FileOptions>(&expected);

    // Merging appends, and `clear` forgets unknown fields too.
    let mut merged = options.clone();
    merged.merge(expected.as_slice()).unwrap();
    assert_eq!(
        merged.unknown_fields.len(),
        2 * options.unknown_fields.len()
    );
    merged.clear();
    assert_eq!(merged, FileOptions::default());
    assert!(merged.unknown_fields().is_empty());
}

#[test]
fn hand_written_messages_can_use_has_unknown_fields() {
    fn tag<M: HasUnknownFields>(message: &mut M, value: u64) {
        message.unknown_fields_mut().push_varint(50000, value);
    }
    let mut options = FileOptions::default();
    tag(&mut options, 3);
    assert_eq!(options.encode_to_vec(), [0x80, 0xb5, 0x18, 0x03]);
}

#[test]
fn a_known_number_with_the_wrong_wire_type_is_kept_as_unknown() {
    // FileDescriptorProto.name (1) as a varint, and package (2) as fixed32.
    let input = [0x08, 0x05, 0x15, 1, 2, 3, 4];
    let file = assert_round_trip::<FileDescriptorProto>(&input);
    assert_eq!(file.name, None);
    assert_eq!(file.package, None);
    assert_eq!(
        fields(&file.unknown_fields),
        [
            (1, UnknownValue::Varint(5)),
            (2, UnknownValue::Fixed32(0x0403_0201))
        ]
    );
}

/// `depth` groups nested in each other, as unknown field 5 of a message.
fn nested_groups(depth: usize) -> Vec<u8> {
    let mut bytes = vec![0x2b; depth]; // start group 5
    bytes.extend(vec![0x2c; depth]); // end group 5
    bytes
}

/// `depth` DescriptorProtos nested through `nested_type`, with `inner` in the innermost one.
fn nested_messages(depth: usize, inner: &[u8]) -> Vec<u8> {
    let mut bytes = inner.to_vec();
    for _ in 0..depth {
        let mut outer = vec![0x1a];
        prost::encoding::encode_varint(bytes.len() as u64, &mut outer);
        outer.extend(bytes);
        bytes = outer;
    }
    bytes
}

#[test]
fn group_nesting_respects_the_recursion_limit() {
    let shallow = nested_groups(50);
    let options = assert_round_trip::<FileOptions>(&shallow);
    assert_eq!(options.unknown_fields.as_bytes(), shallow);

    assert!(FileOptions::decode(nested_groups(150).as_slice()).is_err());
    assert!(UnknownFields::new().push_raw(&nested_groups(150)).is_err());
}

#[test]
fn groups_take_one_level_each_whatever_they_hold() {
    // As in protobuf's C++ parser (protoc): 100 nested groups are fine with content in the
    // innermost one too; 101 are not.
    let holding = |depth: usize| {
        let mut bytes = vec![0x2b; depth];
        bytes.extend([0x08, 0x01]);
        bytes.extend(vec![0x2c; depth]);
        bytes
    };
    let options = assert_round_trip::<FileOptions>(&holding(100));
    assert_eq!(options.unknown_fields.as_bytes(), holding(100));
    assert!(UnknownFields::new().push_raw(&holding(100)).is_ok());
    assert!(FileOptions::decode(holding(101).as_slice()).is_err());
    assert!(UnknownFields::new().push_raw(&holding(101)).is_err());
}

#[test]
fn nested_messages_and_groups_share_the_recursion_limit() {
    // Each alone is fine...
    assert_round_trip::<DescriptorProto>(&nested_messages(60, &[]));
    assert_round_trip::<DescriptorProto>(&nested_groups(60));
    let deep = assert_round_trip::<DescriptorProto>(&nested_messages(30, &nested_groups(30)));
    let mut innermost = &deep;
    for _ in 0..30 {
        innermost = &innermost.nested_type[0];
    }
    assert_eq!(innermost.unknown_fields.as_bytes(), nested_groups(30));

    // ...but groups inside deeply nested messages count against the same limit, as in prost.
    assert!(DescriptorProto::decode(nested_messages(60, &nested_groups(60)).as_slice()).is_err());
    assert!(DescriptorProto::decode(nested_messages(150, &[]).as_slice()).is_err());
}

#[test]
fn malformed_input_gives_errors_not_panics() {
    // One real file with source info (the whole set with imports would make this slow).
    let full = round_trip_set(&["custom_options.proto"], &[]);
    let set = rivet_descriptor::FileDescriptorSet {
        file: vec![full.file[1].clone()],
        ..Default::default()
    }
    .encode_to_vec();
    assert!(set.len() > 5000);
    // Every truncation of a real descriptor set.
    let mut failures = 0;
    for end in 0..set.len() {
        if rivet_descriptor::FileDescriptorSet::decode(&set[..end]).is_err() {
            failures += 1;
        }
    }
    assert!(
        failures > set.len() / 2,
        "most truncations must be rejected"
    );

    // Random corruptions: flipped bytes, inserted bytes.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let mut bytes = set.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() % bytes.len() as u64) as usize;
            if next() % 2 == 0 {
                bytes[at] = next() as u8;
            } else {
                bytes.insert(at, next() as u8);
            }
        }
        if let Ok(decoded) = rivet_descriptor::FileDescriptorSet::decode(bytes.as_slice()) {
            // Whatever decodes must re-encode and decode to the same value.
            let again = decoded.encode_to_vec();
            assert_eq!(
                rivet_descriptor::FileDescriptorSet::decode(again.as_slice()).unwrap(),
                decoded
            );
        }
    }
}

#[test]
fn invalid_utf8_strings_are_kept_as_unknown_fields() {
    // A `string` field whose bytes are not UTF-8 must still decode: the bytes are kept
    // verbatim and re-encoded.
    let bytes = [0x12, 0x02, 0xff, 0xfe, 0x0a, 0x01, b'p'];
    let file = FileDescriptorProto::decode(&bytes[..]).unwrap();
    assert_eq!(file.package, None);
    assert_eq!(file.name(), "p");
    assert_eq!(file.unknown_fields.as_bytes(), &[0x12, 0x02, 0xff, 0xfe]);
    let mut reencoded = file.encode_to_vec();
    reencoded.sort_unstable();
    let mut original = bytes.to_vec();
    original.sort_unstable();
    assert_eq!(reencoded, original, "no byte is lost");
    // Repeated strings too.
    let request =
        rivet_descriptor::compiler::CodeGeneratorRequest::decode(&[0x0a, 0x01, 0x80][..]).unwrap();
    assert!(request.file_to_generate.is_empty());
    assert_eq!(request.unknown_fields.as_bytes(), &[0x0a, 0x01, 0x80]);
}

#[test]
fn file_names_keep_their_bytes() {
    // File names are bytes for protoc (an import string can hold any): they decode as they
    // are, in place.
    let bytes = [0x0a, 0x02, 0xff, b'a', 0x12, 0x01, b'p', 0x1a, 0x01, 0x80];
    let file = FileDescriptorProto::decode(&bytes[..]).unwrap();
    assert_eq!(file.name_bytes(), b"\xffa");
    assert_eq!(file.name(), "", "not UTF-8");
    assert_eq!(file.dependency[0].as_bytes(), b"\x80");
    assert!(file.unknown_fields.as_bytes().is_empty());
    assert_eq!(file.encode_to_vec(), bytes);
}
