//! The prost-types-compatible API: accessors, setters, enum helpers, `Name`, defaults.

use prost::{Message, Name};
use rivet_descriptor::compiler::code_generator_response::{Feature, File};
use rivet_descriptor::compiler::{CodeGeneratorRequest, CodeGeneratorResponse, Version};
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::field_options::OptionTargetType;
use rivet_descriptor::source_code_info::Location;
use rivet_descriptor::uninterpreted_option::NamePart;
use rivet_descriptor::*;

#[test]
fn enum_getters_fall_back_to_the_default_and_setters_store_i32() {
    let mut field = FieldDescriptorProto::default();
    assert_eq!(field.label(), Label::Optional);
    assert_eq!(field.r#type(), Type::Double);
    field.set_type(Type::Message);
    field.set_label(Label::Repeated);
    assert_eq!(field.r#type, Some(11));
    assert_eq!(field.label, Some(3));
    assert_eq!(field.r#type(), Type::Message);
    // An out-of-range number is kept as is, and the getter gives the default.
    field.r#type = Some(99);
    assert_eq!(field.r#type(), Type::Double);
    assert_eq!(field.encode_to_vec(), [0x20, 0x03, 0x28, 99]);

    let mut options = FieldOptions::default();
    options.push_targets(OptionTargetType::TargetTypeFile);
    options.targets.push(1234);
    options.push_targets(OptionTargetType::TargetTypeMethod);
    assert_eq!(options.targets, [1, 1234, 9]);
    assert_eq!(
        options.targets().collect::<Vec<_>>(),
        [
            OptionTargetType::TargetTypeFile,
            OptionTargetType::TargetTypeMethod
        ]
    );

    let mut file = FileDescriptorProto::default();
    assert_eq!(file.edition(), Edition::Unknown);
    file.set_edition(Edition::Edition2024);
    assert_eq!(file.edition, Some(1001));
}

#[test]
fn scalar_getters_return_proto_defaults_when_unset() {
    let file = FileDescriptorProto::default();
    assert_eq!((file.name(), file.package(), file.syntax()), ("", "", ""));
    let option = UninterpretedOption::default();
    assert_eq!(option.string_value(), b"");
    assert_eq!(option.double_value(), 0.0);
    assert_eq!(option.positive_int_value(), 0);
    assert_eq!(option.negative_int_value(), 0);
    let options = FileOptions::default();
    assert!(options.cc_enable_arenas());
    assert!(!options.java_multiple_files());
    let set = FileOptions {
        cc_enable_arenas: Some(false),
        ..Default::default()
    };
    assert!(!set.cc_enable_arenas());
    let declaration = extension_range_options::Declaration::default();
    assert_eq!(declaration.r#type(), "");
    assert!(!declaration.repeated());
    assert_eq!(Version::default().major(), 0);
    assert_eq!(CodeGeneratorResponse::default().supported_features(), 0);
}

#[test]
fn default_messages_are_unset_and_encode_to_nothing() {
    assert!(FileDescriptorSet::default().encode_to_vec().is_empty());
    assert!(FileOptions::default().encode_to_vec().is_empty());
    assert!(FeatureSet::default().encode_to_vec().is_empty());
    assert!(CodeGeneratorRequest::default().encode_to_vec().is_empty());
    assert!(File::default().encode_to_vec().is_empty());
    // Required fields are plain values, as in prost, so they are always written.
    assert_eq!(
        NamePart::default().encode_to_vec(),
        [0x0a, 0x00, 0x10, 0x00]
    );
}

#[test]
fn repeated_scalars_use_the_declared_encoding() {
    // SourceCodeInfo.Location.path is [packed = true]; FileDescriptorProto.public_dependency
    // is not. Both decode from either encoding.
    let location = Location {
        path: vec![4, 0, 2, 1],
        span: vec![3, 2, 10],
        ..Default::default()
    };
    assert_eq!(
        location.encode_to_vec(),
        [0x0a, 4, 4, 0, 2, 1, 0x12, 3, 3, 2, 10]
    );
    let unpacked = [
        0x08, 4, 0x08, 0, 0x08, 2, 0x08, 1, 0x10, 3, 0x10, 2, 0x10, 10,
    ];
    assert_eq!(Location::decode(&unpacked[..]).unwrap(), location);

    let file = FileDescriptorProto {
        public_dependency: vec![0, 2],
        ..Default::default()
    };
    assert_eq!(file.encode_to_vec(), [0x50, 0, 0x50, 2]);
    assert_eq!(
        FileDescriptorProto::decode(&[0x52, 2, 0, 2][..]).unwrap(),
        file
    );
    // Mixed encodings of one field concatenate.
    let mixed = FileDescriptorProto::decode(&[0x50, 7, 0x52, 2, 0, 2][..]).unwrap();
    assert_eq!(mixed.public_dependency, [7, 0, 2]);
}

#[test]
fn enums_have_prost_helpers() {
    assert_eq!(Type::Int32.as_str_name(), "TYPE_INT32");
    assert_eq!(Type::from_str_name("TYPE_SINT64"), Some(Type::Sint64));
    assert_eq!(Type::from_str_name("TYPE_NOPE"), None);
    assert_eq!(Type::try_from(14), Ok(Type::Enum));
    assert!(Type::try_from(0).is_err());
    assert!(Type::is_valid(18) && !Type::is_valid(19));
    assert_eq!(i32::from(Edition::Edition2023), 1000);
    assert_eq!(Edition::Max as i32, i32::MAX);
    assert!(Edition::Proto3 < Edition::Edition2023 && Edition::Edition2023 < Edition::Edition2024);
    assert_eq!(Edition::default(), Edition::Unknown);
    assert_eq!(
        Edition::from_str_name("EDITION_2026"),
        Some(Edition::Edition2026)
    );
    assert_eq!(feature_set::Utf8Validation::None as i32, 3);
    assert_eq!(
        feature_set::visibility_feature::DefaultSymbolVisibility::Strict.as_str_name(),
        "STRICT"
    );
    assert_eq!(Feature::SupportsEditions as i32, 2);
    assert_eq!(field_options::JsType::JsNumber.as_str_name(), "JS_NUMBER");
}

#[test]
fn messages_implement_name() {
    assert_eq!(
        FileDescriptorProto::full_name(),
        "google.protobuf.FileDescriptorProto"
    );
    assert_eq!(
        descriptor_proto::ExtensionRange::full_name(),
        "google.protobuf.DescriptorProto.ExtensionRange"
    );
    assert_eq!(
        feature_set_defaults::FeatureSetEditionDefault::type_url(),
        "/google.protobuf.FeatureSetDefaults.FeatureSetEditionDefault"
    );
    assert_eq!(
        File::full_name(),
        "google.protobuf.compiler.CodeGeneratorResponse.File"
    );
    assert_eq!(CodeGeneratorRequest::PACKAGE, "google.protobuf.compiler");
}

#[test]
fn a_plugin_response_encodes_like_protoc_expects() {
    let response = CodeGeneratorResponse {
        supported_features: Some(Feature::Proto3Optional as u64 | Feature::SupportsEditions as u64),
        minimum_edition: Some(Edition::Proto2 as i32),
        maximum_edition: Some(Edition::Edition2024 as i32),
        file: vec![File {
            name: Some("a.rs".into()),
            content: Some("x".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    #[rustfmt::skip]
    let expected = [
        0x10, 3,
        0x18, 0xe6, 0x07,
        0x20, 0xe9, 0x07,
        0x7a, 9, 0x0a, 4, b'a', b'.', b'r', b's', 0x7a, 1, b'x',
    ];
    assert_eq!(response.encode_to_vec(), expected);
    assert_eq!(
        CodeGeneratorResponse::decode(&expected[..]).unwrap(),
        response
    );
}

#[test]
fn default_value_holds_any_bytes_in_its_place() {
    let field = FieldDescriptorProto {
        name: Some("s".into()),
        default_value: Some(b"\xff".to_vec().into()),
        json_name: Some("s".into()),
        ..Default::default()
    };
    assert_eq!(field.default_value(), "");
    assert_eq!(field.default_value_bytes(), b"\xff");
    // Field-number order on the wire: name (1), default_value (7), json_name (10).
    let bytes = field.encode_to_vec();
    assert_eq!(bytes, [0x0a, 1, b's', 0x3a, 1, 0xff, 0x52, 1, b's']);
    assert_eq!(field.encoded_len(), bytes.len());
    let decoded = FieldDescriptorProto::decode(bytes.as_slice()).unwrap();
    assert_eq!(decoded, field);
    assert!(decoded.unknown_fields.is_empty());

    // Text defaults read as before.
    let field = FieldDescriptorProto {
        default_value: Some("GREEN".into()),
        ..Default::default()
    };
    assert_eq!(field.default_value(), "GREEN");
    assert_eq!(field.default_value_bytes(), b"GREEN");
    assert!(field.default_value.as_ref().is_some_and(|d| d == "GREEN"));
    let unset = FieldDescriptorProto::default();
    assert_eq!(
        (unset.default_value(), unset.default_value_bytes()),
        ("", &b""[..])
    );
    // A default that is set but empty is still encoded.
    let empty = FieldDescriptorProto {
        default_value: Some(ProtoString::new()),
        ..Default::default()
    };
    assert_eq!(empty.encode_to_vec(), [0x3a, 0]);
}

#[test]
fn proto_string_behaves_like_a_string() {
    let text = ProtoString::from("it's");
    let raw = ProtoString::from(&b"a\xffb\n"[..]);
    assert_eq!(text, "it's");
    assert_eq!("it's", text);
    assert_eq!(text, String::from("it's"));
    assert_eq!(String::from("it's"), text);
    assert_ne!(raw, "a\u{fffd}b\n");
    assert_eq!((text.len(), text.is_empty()), (4, false));
    assert_eq!(text.to_str(), Some("it's"));
    assert_eq!(raw.to_str(), None);
    assert_eq!(raw.to_string_lossy(), "a\u{fffd}b\n");
    assert_eq!(raw.to_string(), "a\u{fffd}b\n");
    assert_eq!(format!("{text:?}"), format!("{:?}", "it's"));
    assert_eq!(format!("{raw:?}"), r#""a\xffb\n""#);
    assert_eq!(
        format!("{:?}", ProtoString::from(&b"'\xe9"[..])),
        r#""'\xe9""#
    );
    assert_eq!(text.clone().into_string(), Ok("it's".to_owned()));
    assert_eq!(raw.clone().into_string(), Err(raw.clone()));
    assert_eq!(raw.clone().into_bytes(), b"a\xffb\n");
    assert_eq!(Vec::from(raw.clone()), b"a\xffb\n");
    assert_eq!(raw.as_ref(), b"a\xffb\n");
    assert_eq!(
        ProtoString::from(String::from("x")),
        ProtoString::from(b"x".to_vec())
    );
    let (a, b) = (ProtoString::from("a"), ProtoString::from(b"b".to_vec()));
    assert!(a < b);
    assert!(ProtoString::default().is_empty());
}

#[test]
fn boxed_features_decode_as_known_fields() {
    use rivet_descriptor::{EnumValueOptions, FeatureSet, FieldOptions, field_options};
    let features = FeatureSet {
        field_presence: Some(2),
        message_encoding: Some(2),
        ..Default::default()
    };
    let support = field_options::FeatureSupport {
        edition_introduced: Some(1000),
        deprecation_warning: Some("old".into()),
        ..Default::default()
    };
    let field = FieldOptions {
        features: Some(Box::new(features.clone())),
        feature_support: Some(Box::new(support.clone())),
        ..Default::default()
    };
    let decoded = FieldOptions::decode(field.encode_to_vec().as_slice()).unwrap();
    // Decoded into the fields, not kept as unknown fields.
    assert!(decoded.unknown_fields.is_empty());
    assert_eq!(decoded.features.as_deref(), Some(&features));
    assert_eq!(decoded, field);
    let value = EnumValueOptions {
        features: Some(Box::new(features)),
        feature_support: Some(Box::new(support)),
        ..Default::default()
    };
    let decoded = EnumValueOptions::decode(value.encode_to_vec().as_slice()).unwrap();
    assert!(decoded.unknown_fields.is_empty());
    assert_eq!(decoded, value);
}
