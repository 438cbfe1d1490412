//! Descriptor sets written by the real protoc decode, and re-encode to the same bytes, with
//! known fields decoded to the expected values and custom options / language features kept
//! in `unknown_fields`.

mod common;

use common::*;
use rivet_descriptor::feature_set::{
    EnumType, FieldPresence, JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
};
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::field_options::{OptionRetention, OptionTargetType};
use rivet_descriptor::{Edition, ProtoString, SymbolVisibility, UnknownValue};

const TEST_FILES: &[&str] = &[
    "custom_options.proto",
    "editions.proto",
    "editions2024.proto",
];

#[test]
fn descriptor_proto_round_trips() {
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(&["google/protobuf/descriptor.proto"], extra);
        assert_eq!(set.file.len(), 1);
        let file = file(&set, "google/protobuf/descriptor.proto");
        assert_eq!(file.package(), "google.protobuf");
        // protoc leaves `syntax` unset for proto2 files.
        assert_eq!(file.syntax, None);
        let options = file.options.as_ref().unwrap();
        assert_eq!(options.java_package(), "com.google.protobuf");
        assert_eq!(options.csharp_namespace(), "Google.Protobuf.Reflection");
        assert!(options.unknown_fields.is_empty());

        let feature_set = message(file, "FeatureSet");
        let presence = field(feature_set, "field_presence");
        assert_eq!(presence.number(), 1);
        assert_eq!(presence.label(), Label::Optional);
        assert_eq!(presence.r#type(), Type::Enum);
        assert_eq!(
            presence.type_name(),
            ".google.protobuf.FeatureSet.FieldPresence"
        );
        assert_eq!(presence.json_name(), "fieldPresence");
        let presence_options = presence.options.as_ref().unwrap();
        assert_eq!(
            presence_options.retention(),
            OptionRetention::RetentionRuntime
        );
        assert_eq!(
            presence_options.targets().collect::<Vec<_>>(),
            [
                OptionTargetType::TargetTypeField,
                OptionTargetType::TargetTypeFile
            ]
        );
        let defaults: Vec<_> = presence_options
            .edition_defaults
            .iter()
            .map(|d| (d.edition(), d.value()))
            .collect();
        assert_eq!(
            defaults,
            [
                (Edition::Legacy, "EXPLICIT"),
                (Edition::Proto3, "IMPLICIT"),
                (Edition::Edition2023, "EXPLICIT"),
            ]
        );
        let support = presence_options.feature_support.as_deref().unwrap();
        assert_eq!(support.edition_introduced(), Edition::Edition2023);
        assert!(support.edition_removed.is_none());

        // `extensions 536000000 [declaration = {...}]` on FileDescriptorSet: the
        // declaration is a source-retention option, kept only with --retain_options.
        let range = &message(file, "FileDescriptorSet").extension_range[0];
        assert_eq!((range.start(), range.end()), (536000000, 536000001));
        if extra.is_empty() {
            assert!(
                range
                    .options
                    .as_ref()
                    .is_none_or(|o| o.declaration.is_empty())
            );
        } else {
            let declarations = &range.options.as_ref().unwrap().declaration;
            assert_eq!(declarations.len(), 1);
            assert_eq!(declarations[0].number(), 536000000);
            assert_eq!(
                declarations[0].full_name(),
                ".buf.descriptor.v1.buf_file_descriptor_set_extension"
            );
            assert_eq!(
                declarations[0].r#type(),
                ".buf.descriptor.v1.FileDescriptorSetExtension"
            );
        }

        let location = &file.source_code_info.as_ref().unwrap().location;
        assert!(location.len() > 1000);
        assert!(
            location
                .iter()
                .any(|l| l.leading_comments().contains("descriptor"))
        );
    }
}

#[test]
fn plugin_proto_round_trips() {
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(&["google/protobuf/compiler/plugin.proto"], extra);
        assert_eq!(set.file.len(), 2);
        assert_eq!(set.file[0].name(), "google/protobuf/descriptor.proto");
        let plugin = file(&set, "google/protobuf/compiler/plugin.proto");
        assert_eq!(plugin.package(), "google.protobuf.compiler");
        assert_eq!(plugin.dependency, ["google/protobuf/descriptor.proto"]);
        let request = message(plugin, "CodeGeneratorRequest");
        let sources = field(request, "source_file_descriptors");
        assert_eq!(sources.number(), 17);
        assert_eq!(sources.label(), Label::Repeated);
        assert_eq!(sources.type_name(), ".google.protobuf.FileDescriptorProto");
    }
}

#[test]
fn custom_options_round_trip_and_land_in_unknown_fields() {
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(TEST_FILES, extra);
        let file = file(&set, "custom_options.proto");
        assert_eq!(file.package(), "rivet.test.options");
        assert_eq!(file.dependency, ["google/protobuf/descriptor.proto"]);

        // File options: known fields decoded, custom ones kept in order.
        let options = file.options.as_ref().unwrap();
        assert_eq!(options.java_package(), "dev.rivet.test");
        assert_eq!(
            options.optimize_for(),
            rivet_descriptor::file_options::OptimizeMode::CodeSize
        );
        assert_eq!(options.cc_enable_arenas, Some(false));
        let custom = fields(&options.unknown_fields);
        let mut numbers: Vec<u32> = custom.iter().map(|(n, _)| *n).collect();
        numbers.dedup();
        assert_eq!(numbers, [50001, 50002, 50003, 50004, 50005, 50006, 50007]);
        let values = |number: u32| -> Vec<&UnknownValue> {
            custom
                .iter()
                .filter(|(n, _)| *n == number)
                .map(|(_, v)| v)
                .collect()
        };
        assert_eq!(values(50001), [&ld(b"team-rivet")]);
        assert_eq!(values(50002), [&UnknownValue::Varint(-42i64 as u64)]);
        assert_eq!(
            values(50003),
            [
                &UnknownValue::Varint(1),
                &UnknownValue::Varint(2),
                &UnknownValue::Varint(3)
            ]
        );
        // The packed sint32 option: -1 and 5, ZigZag-encoded. Depending on the flags, protoc
        // writes them packed (in one or more records) or unpacked; either way the bytes
        // survive, which `round_trip_set` checked.
        let mut packed = Vec::new();
        for value in values(50004) {
            match value {
                UnknownValue::LengthDelimited(bytes) => {
                    let mut rest = bytes.as_slice();
                    while !rest.is_empty() {
                        packed.push(prost::encoding::decode_varint(&mut rest).unwrap());
                    }
                }
                UnknownValue::Varint(v) => packed.push(*v),
                other => panic!("unexpected encoding of a packed option: {other:?}"),
            }
        }
        assert_eq!(packed, [1, 10]);
        let limits = sub_fields(values(50005)[0]);
        assert_eq!(limits[0], (1, UnknownValue::Varint(1)));
        assert_eq!(limits[1], (2, UnknownValue::Varint(10)));
        assert_eq!(limits[2], (3, ld(b"a")));
        assert_eq!(limits[3], (3, ld(b"b")));
        assert_eq!(
            sub_fields(&limits[4].1),
            [(1, UnknownValue::Varint(2)), (5, UnknownValue::Varint(1))]
        );
        assert_eq!(limits[5], (5, UnknownValue::Varint(2)));
        let UnknownValue::Group(group) = values(50006)[0] else {
            panic!(
                "the group option should decode as a group, got {:?}",
                values(50006)
            );
        };
        assert_eq!(fields(group), [(1, ld(b"g")), (2, UnknownValue::Varint(3))]);
        assert_eq!(values(50007), [&ld(&[1, 2, 0xff])]);

        // Message options.
        let account = message(file, "Account");
        let account_options = account.options.as_ref().unwrap();
        assert!(account_options.deprecated());
        let custom = fields(&account_options.unknown_fields);
        assert_eq!(custom[0], (50101, UnknownValue::Varint(1)));
        assert_eq!(custom[1].0, 50102);
        assert_eq!(
            sub_fields(&custom[1].1),
            [
                (1, UnknownValue::Varint(-5i64 as u64)),
                (2, UnknownValue::Varint(5))
            ]
        );
        assert_eq!(custom[2].0, 50103);
        assert_eq!(custom[3].0, 50103);
        assert_eq!(
            sub_fields(&custom[3].1),
            [(1, UnknownValue::Varint(2)), (3, ld(b"x"))]
        );
        assert_eq!(custom[4], (50104, UnknownValue::Fixed64(0.25f64.to_bits())));

        // Field options and other known field values.
        let id = field(account, "id");
        assert_eq!(id.json_name(), "accountId");
        assert_eq!(id.r#type(), Type::String);
        let id_options = id.options.as_ref().unwrap();
        assert!(id_options.deprecated());
        assert_eq!(
            fields(&id_options.unknown_fields),
            [
                (50201, UnknownValue::Fixed32(7)),
                (50202, UnknownValue::Fixed64(-9i64 as u64)),
                (50203, UnknownValue::Fixed32(1.5f32.to_bits())),
            ]
        );
        let color = field(account, "color");
        assert_eq!(color.default_value(), "GREEN");
        assert_eq!(color.type_name(), ".rivet.test.options.Color");
        assert_eq!(
            fields(&color.options.as_ref().unwrap().unknown_fields),
            [(50204, UnknownValue::Varint(1))]
        );
        let samples = field(account, "samples");
        assert_eq!(samples.label(), Label::Repeated);
        let samples_options = samples.options.as_ref().unwrap();
        assert_eq!(samples_options.packed, Some(true));
        assert_eq!(
            fields(&samples_options.unknown_fields),
            [(50205, UnknownValue::Varint(u64::MAX))]
        );
        assert_eq!(field(account, "legacy").r#type(), Type::Group);
        let version = field(account, "version");
        assert_eq!(version.label(), Label::Required);
        assert_eq!(version.default_value(), "-3");
        assert_eq!(field(account, "email").oneof_index, Some(0));
        // Bytes defaults are C-escaped.
        assert_eq!(
            field(nested(account, "Inner"), "payload").default_value(),
            "a\\000b"
        );
        let counters_entry = nested(account, "CountersEntry");
        assert_eq!(
            counters_entry.options.as_ref().unwrap().map_entry,
            Some(true)
        );

        // Oneof and extension range options.
        let oneof = &account.oneof_decl[0];
        assert_eq!(oneof.name(), "contact");
        assert_eq!(
            fields(&oneof.options.as_ref().unwrap().unknown_fields),
            [(50301, ld(b"one of them"))]
        );
        let plugins_range = &account.extension_range[0];
        assert_eq!((plugins_range.start(), plugins_range.end()), (100, 200));
        assert_eq!(
            fields(&plugins_range.options.as_ref().unwrap().unknown_fields),
            [(50801, ld(b"for plugins"))]
        );
        let declared_range = &account.extension_range[1];
        let declared_options = declared_range.options.as_ref();
        if extra.is_empty() {
            // `declaration` and `verification` have source retention.
            assert!(declared_options.is_none_or(|o| o.declaration.is_empty()));
        } else {
            let declared_options = declared_options.unwrap();
            assert_eq!(
                declared_options.verification(),
                rivet_descriptor::extension_range_options::VerificationState::Declaration
            );
            let declaration = &declared_options.declaration[0];
            assert_eq!(declaration.number(), 1000);
            assert_eq!(declaration.full_name(), ".rivet.test.options.declared_tag");
            assert_eq!(declaration.r#type(), "string");
        }
        let reserved: Vec<_> = account
            .reserved_range
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect();
        assert_eq!(reserved, [(20, 26), (30, 31)]);
        assert_eq!(account.reserved_name, ["old_name"]);

        // Extensions declared in the file.
        let account_tag = file
            .extension
            .iter()
            .find(|e| e.name() == "account_tag")
            .unwrap();
        assert_eq!(account_tag.extendee(), ".rivet.test.options.Account");
        assert_eq!(account_tag.number(), 100);

        // Enum and enum value options.
        let status = enum_type(file, "Status");
        let status_options = status.options.as_ref().unwrap();
        assert!(status_options.allow_alias());
        assert_eq!(
            fields(&status_options.unknown_fields),
            [(50401, ld(b"status enum"))]
        );
        let ok = &status.value[1];
        assert_eq!((ok.name(), ok.number()), ("STATUS_OK", 1));
        assert_eq!(
            fields(&ok.options.as_ref().unwrap().unknown_fields),
            [
                (50501, UnknownValue::Varint(2)),
                (50502, ld(b"fine")),
                (50502, ld(b"good"))
            ]
        );
        assert!(status.value[2].options.as_ref().unwrap().deprecated());
        let reserved: Vec<_> = status
            .reserved_range
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect();
        assert_eq!(reserved, [(10, 20), (100, i32::MAX)]);

        // Service and method options.
        let service = &file.service[0];
        let service_options = service.options.as_ref().unwrap();
        assert!(service_options.deprecated());
        assert_eq!(
            fields(&service_options.unknown_fields),
            [(50601, ld(b"svc-team"))]
        );
        let get = &service.method[0];
        assert_eq!(get.input_type(), ".rivet.test.options.Account");
        assert!(!get.client_streaming());
        let get_options = get.options.as_ref().unwrap();
        assert_eq!(
            get_options.idempotency_level(),
            rivet_descriptor::method_options::IdempotencyLevel::NoSideEffects
        );
        let custom = fields(&get_options.unknown_fields);
        assert_eq!(custom[0], (50701, UnknownValue::Varint(1500)));
        assert_eq!(
            sub_fields(&custom[1].1),
            [(1, UnknownValue::Varint(0)), (2, UnknownValue::Varint(3))]
        );
        let watch = &service.method[1];
        assert_eq!(
            (watch.client_streaming(), watch.server_streaming()),
            (true, true)
        );
        assert_eq!(watch.client_streaming, Some(true));

        // Comments from --include_source_info.
        let locations = &file.source_code_info.as_ref().unwrap().location;
        assert!(
            locations
                .iter()
                .any(|l| l.leading_comments() == " The account id.\n")
        );
        assert!(
            locations
                .iter()
                .all(|l| l.span.len() == 3 || l.span.len() == 4)
        );
    }
}

#[test]
fn editions_features_round_trip() {
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(TEST_FILES, extra);
        let file = file(&set, "editions.proto");
        assert_eq!(file.syntax(), "editions");
        assert_eq!(file.edition(), Edition::Edition2023);
        assert_eq!(file.edition, Some(1000));

        let options = file.options.as_ref().unwrap();
        assert!(options.java_multiple_files());
        assert_eq!(
            fields(&options.unknown_fields),
            [(50001, ld(b"editions-team"))]
        );
        let features = options.features.as_deref().unwrap();
        assert_eq!(features.field_presence(), FieldPresence::Implicit);
        assert_eq!(features.enum_type(), EnumType::Open);
        assert_eq!(features.json_format(), JsonFormat::Allow);
        assert!(features.utf8_validation.is_none());
        // pb.cpp (1000) string_type = VIEW (1); pb.java (1001) utf8_validation = VERIFY (2).
        let language = fields(&features.unknown_fields);
        assert_eq!(language.len(), 2);
        assert_eq!(language[0].0, 1000);
        assert_eq!(sub_fields(&language[0].1), [(2, UnknownValue::Varint(1))]);
        assert_eq!(language[1].0, 1001);
        assert_eq!(sub_fields(&language[1].1), [(2, UnknownValue::Varint(2))]);

        let widget = message(file, "Widget");
        let widget_options = widget.options.as_ref().unwrap();
        assert_eq!(
            widget_options.features.as_deref().unwrap().json_format(),
            JsonFormat::LegacyBestEffort
        );
        assert_eq!(
            fields(&widget_options.unknown_fields),
            [(50101, UnknownValue::Varint(1))]
        );
        let features_of = |name: &str| {
            field(widget, name)
                .options
                .as_ref()
                .and_then(|o| o.features.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            features_of("count").field_presence(),
            FieldPresence::Explicit
        );
        assert_eq!(
            features_of("values").repeated_field_encoding(),
            RepeatedFieldEncoding::Expanded
        );
        assert_eq!(
            features_of("part").message_encoding(),
            MessageEncoding::Delimited
        );
        assert_eq!(
            features_of("must").field_presence(),
            FieldPresence::LegacyRequired
        );
        let raw = features_of("raw");
        assert_eq!(raw.utf8_validation(), Utf8Validation::None);
        assert_eq!(fields(&raw.unknown_fields)[0].0, 1000);
        assert_eq!(
            fields(
                &field(widget, "raw")
                    .options
                    .as_ref()
                    .unwrap()
                    .unknown_fields
            ),
            [(50201, UnknownValue::Fixed32(11))]
        );
        let name_features = features_of("name");
        assert_eq!(fields(&name_features.unknown_fields)[0].0, 1001);
        let kind = &widget.enum_type[0];
        assert_eq!(
            kind.options
                .as_ref()
                .unwrap()
                .features
                .as_ref()
                .unwrap()
                .enum_type(),
            EnumType::Closed
        );
        let service_options = file.service[0].options.as_ref().unwrap();
        assert_eq!(
            fields(&service_options.unknown_fields),
            [(50601, ld(b"widgets"))]
        );

        // Language features are extensions of FeatureSet in the imported files.
        let cpp = file_with_extension(&set, "google/protobuf/cpp_features.proto");
        assert_eq!(cpp.extendee(), ".google.protobuf.FeatureSet");
        assert_eq!(cpp.number(), 1000);
    }
}

fn file_with_extension<'a>(
    set: &'a rivet_descriptor::FileDescriptorSet,
    name: &str,
) -> &'a rivet_descriptor::FieldDescriptorProto {
    &file(set, name).extension[0]
}

#[test]
fn edition_2024_visibility_and_option_imports() {
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(TEST_FILES, extra);
        let file = file(&set, "editions2024.proto");
        assert_eq!(file.edition(), Edition::Edition2024);
        assert_eq!(file.dependency, ["google/protobuf/java_features.proto"]);
        assert_eq!(file.option_dependency, ["custom_options.proto"]);
        let exported = message(file, "Exported");
        assert_eq!(exported.visibility(), SymbolVisibility::VisibilityExport);
        assert_eq!(
            nested(exported, "Hidden").visibility(),
            SymbolVisibility::VisibilityLocal
        );
        assert_eq!(message(file, "Plain").visibility, None);
        assert_eq!(
            message(file, "Plain").visibility(),
            SymbolVisibility::VisibilityUnset
        );
        assert_eq!(
            enum_type(file, "Private").visibility(),
            SymbolVisibility::VisibilityLocal
        );
        let java = &exported
            .options
            .as_ref()
            .unwrap()
            .features
            .as_ref()
            .unwrap()
            .unknown_fields;
        assert_eq!(fields(java)[0].0, 1001);

        // enforce_naming_style has source retention.
        let options = file.options.as_ref().unwrap();
        assert_eq!(fields(&options.unknown_fields), [(50001, ld(b"2024-team"))]);
        let naming = options
            .features
            .as_ref()
            .and_then(|f| f.enforce_naming_style);
        if extra.is_empty() {
            assert_eq!(naming, None);
        } else {
            assert_eq!(
                naming,
                Some(rivet_descriptor::feature_set::EnforceNamingStyle::StyleLegacy as i32)
            );
        }
    }
}

#[test]
fn all_imports_round_trip_individually() {
    let set = round_trip_set(TEST_FILES, &["--retain_options"]);
    let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "google/protobuf/descriptor.proto",
            "custom_options.proto",
            "google/protobuf/cpp_features.proto",
            "google/protobuf/java_features.proto",
            "editions.proto",
            "editions2024.proto",
        ]
    );
    for file in &set.file {
        let bytes = prost::Message::encode_to_vec(file);
        let again: rivet_descriptor::FileDescriptorProto = assert_round_trip(&bytes);
        assert_eq!(&again, file);
    }
}

#[test]
fn non_utf8_string_defaults_round_trip() {
    // protoc writes a string field's default exactly as the file spelled it, so its bytes
    // need not be UTF-8; they decode into `default_value` and re-encode in place (field 7,
    // before options, oneof_index and json_name), byte for byte.
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(&["raw_bytes.proto"], extra);
        let file = file(&set, "raw_bytes.proto");
        let raw = message(file, "Raw");
        let default = |name: &str| field(raw, name).default_value.clone().unwrap();

        let literal = default("literal");
        assert_eq!(literal.as_bytes(), b"\xc3");
        assert_eq!(literal.to_str(), None);
        assert_eq!(field(raw, "literal").default_value(), "");
        assert_eq!(field(raw, "literal").default_value_bytes(), b"\xc3");
        assert!(field(raw, "literal").unknown_fields.is_empty());

        let escaped = field(raw, "escaped");
        assert_eq!(escaped.default_value_bytes(), b"\xff\0caf\xc3\xa9");
        assert_eq!(format!("{:?}", default("escaped")), r#""\xff\0café""#);
        assert_eq!(escaped.json_name(), "esc");
        assert!(escaped.options.as_ref().unwrap().deprecated());

        // Bytes defaults are C-escaped text.
        assert_eq!(default("blob"), r"\200\377");
        assert_eq!(field(raw, "blob").default_value(), r"\200\377");
        assert_eq!(default("in_oneof").as_bytes(), b"\xfe");
        assert_eq!(field(raw, "in_oneof").oneof_index, Some(0));
        assert_eq!(default("text"), "café");
        assert_eq!(field(raw, "text").default_value(), "café");
        assert_eq!(file.extension[0].default_value_bytes(), b"x\xffy");
    }
}

#[test]
fn non_utf8_strings_round_trip() {
    // Other strings protoc copies from the file as they are: string options, json_name,
    // reserved names and comments. Each decodes in place (no unknown fields) and re-encodes
    // byte for byte, before the fields with higher numbers.
    for extra in [&[][..], &["--retain_options"][..]] {
        let set = round_trip_set(&["raw_bytes.proto"], extra);
        let file = file(&set, "raw_bytes.proto");
        let options = file.options.as_ref().unwrap();
        assert_eq!(options.java_package_bytes(), b"raw \xff byte");
        assert_eq!(options.java_package(), "");
        assert_eq!(options.java_outer_classname(), "Outer");
        assert_eq!(options.go_package_bytes(), b"go\x80");
        assert!(options.unknown_fields.is_empty());

        let raw = message(file, "Raw");
        assert_eq!(field(raw, "text").json_name_bytes(), b"t\xff");
        assert_eq!(field(raw, "text").json_name(), "");
        assert_eq!(field(raw, "literal").json_name(), "literal");
        assert!(field(raw, "text").unknown_fields.is_empty());
        assert_eq!(
            raw.reserved_name,
            [&b"r\xff"[..], b"ok"].map(ProtoString::from)
        );
        assert_eq!(raw.reserved_name[1], "ok");
        assert!(raw.unknown_fields.is_empty());
        assert_eq!(
            file.enum_type[0].reserved_name,
            [ProtoString::from(&b"E_\xfe"[..])]
        );
    }

    let set = round_trip_set(&["raw_bytes.proto"], &[]);
    let info = file(&set, "raw_bytes.proto")
        .source_code_info
        .as_ref()
        .unwrap();
    let comments: Vec<&[u8]> = info
        .location
        .iter()
        .flat_map(|l| {
            let attached = l.leading_comments.iter().chain(&l.trailing_comments);
            attached.chain(&l.leading_detached_comments)
        })
        .map(ProtoString::as_bytes)
        .collect();
    assert!(comments.contains(&&b" na\xefve\n"[..]), "{comments:?}");
    assert!(
        comments
            .iter()
            .any(|c| c.windows(5).any(|w| w == b"caf\xe9)"))
    );
    assert!(info.location.iter().all(|l| l.unknown_fields.is_empty()));
}
