//! Bad descriptors and bad options give errors, never panics.

use rivet_codegen::{Error, Generator};
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FieldDescriptorProto,
    FileDescriptorProto, FileDescriptorSet,
};

fn field(name: &str, number: i32, ty: Type, type_name: Option<&str>) -> FieldDescriptorProto {
    FieldDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        label: Some(Label::Optional as i32),
        r#type: Some(ty as i32),
        type_name: type_name.map(Into::into),
        ..Default::default()
    }
}

fn file(messages: Vec<DescriptorProto>, enums: Vec<EnumDescriptorProto>) -> FileDescriptorSet {
    FileDescriptorSet {
        file: vec![FileDescriptorProto {
            name: Some("test.proto".into()),
            package: Some("pkg".into()),
            syntax: Some("proto3".into()),
            message_type: messages,
            enum_type: enums,
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn message(name: &str, fields: Vec<FieldDescriptorProto>) -> DescriptorProto {
    DescriptorProto {
        name: Some(name.into()),
        field: fields,
        ..Default::default()
    }
}

#[test]
fn unknown_type_reference() {
    let set = file(
        vec![message(
            "M",
            vec![field("other", 1, Type::Message, Some(".pkg.Missing"))],
        )],
        vec![],
    );
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert_eq!(
        error,
        Error::UnknownType {
            type_name: ".pkg.Missing".into(),
            referenced_from: ".pkg.M.other".into(),
        }
    );
    assert_eq!(
        error.to_string(),
        "unknown type `.pkg.Missing` referenced from `.pkg.M.other`"
    );
}

#[test]
fn missing_file_to_generate() {
    let set = file(vec![], vec![]);
    let error = Generator::new()
        .generate(&set, &["nope.proto"])
        .unwrap_err();
    assert_eq!(error, Error::FileNotFound("nope.proto".into()));
}

#[test]
fn unsupported_edition() {
    let mut set = file(vec![message("M", vec![])], vec![]);
    set.file[0].syntax = Some("editions".into());
    set.file[0].edition = Some(1002); // EDITION_2026
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::UnsupportedEdition { .. }), "{error}");
    set.file[0].syntax = Some("proto4".into());
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::UnsupportedEdition { .. }), "{error}");
}

#[test]
fn enum_variants_that_collide() {
    let value = |name: &str, number| EnumValueDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        ..Default::default()
    };
    let enumeration = EnumDescriptorProto {
        name: Some("Color".into()),
        value: vec![value("COLOR_RED", 0), value("RED", 1)],
        ..Default::default()
    };
    let set = file(vec![], vec![enumeration]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert_eq!(
        error,
        Error::VariantNameConflict {
            enum_name: "pkg.Color".into(),
            variant: "Red".into(),
            first: "COLOR_RED".into(),
            second: "RED".into(),
        }
    );
}

#[test]
fn bad_options() {
    let set = file(
        vec![message("M", vec![field("a", 1, Type::Int32, None)])],
        vec![],
    );
    let error = Generator::new()
        .type_attribute(".", "#[derive(")
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::InvalidAttribute { .. }), "{error}");
    let error = Generator::new()
        .extern_path("pkg", "::x")
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::InvalidExternPath { .. }), "{error}");
}

#[test]
fn malformed_descriptors() {
    // A bytes default that is not a valid C escape.
    let mut bad_default = field("b", 1, Type::Bytes, None);
    bad_default.default_value = Some("\\x".into());
    let set = file(vec![message("M", vec![bad_default])], vec![]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::InvalidDescriptor(_)), "{error}");

    // A oneof index out of range.
    let mut stray = field("s", 1, Type::Int32, None);
    stray.oneof_index = Some(3);
    let set = file(vec![message("M", vec![stray])], vec![]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::InvalidDescriptor(_)), "{error}");

    // A message without a name.
    let set = file(vec![DescriptorProto::default()], vec![]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::InvalidDescriptor(_)), "{error}");

    // A field name that gives no Rust identifier.
    let set = file(
        vec![message("M", vec![field("_", 1, Type::Int32, None)])],
        vec![],
    );
    assert!(Generator::new().generate(&set, &["test.proto"]).is_err());
}

#[test]
fn untyped_fields_are_resolved_by_name() {
    let mut untyped = field("child", 1, Type::Message, Some(".pkg.Child"));
    untyped.r#type = None;
    let set = file(
        vec![message("M", vec![untyped]), message("Child", vec![])],
        vec![],
    );
    let files = Generator::new().generate(&set, &["test.proto"]).unwrap();
    assert_eq!(files.len(), 1);
    assert!(
        files[0]
            .content
            .contains("#[prost(message, optional, tag = \"1\")]")
    );
}

#[test]
fn absurd_nesting_is_rejected() {
    let mut deepest = message("M", vec![]);
    for _ in 0..200 {
        deepest = DescriptorProto {
            name: Some("M".into()),
            nested_type: vec![deepest],
            ..Default::default()
        };
    }
    let set = file(vec![deepest], vec![]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert!(matches!(error, Error::InvalidDescriptor(_)), "{error}");
}

#[test]
fn defaults_that_are_not_utf8() {
    // protoc writes a string default's bytes as they are; a Rust `String` cannot hold these.
    let mut raw = field("s", 1, Type::String, None);
    raw.default_value = Some(b"\xff".to_vec().into());
    let set = file(vec![message("M", vec![raw])], vec![]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid descriptor: default of .pkg.M.s is not valid UTF-8 (\"\\xff\"), which a Rust \
         `String` cannot hold"
    );
    // Other defaults are text: bytes defaults are C-escaped, so such a set is malformed.
    let mut raw = field("b", 1, Type::Bytes, None);
    raw.default_value = Some(b"\xff".to_vec().into());
    let set = file(vec![message("M", vec![raw])], vec![]);
    let error = Generator::new()
        .generate(&set, &["test.proto"])
        .unwrap_err();
    assert_eq!(
        error,
        Error::InvalidDescriptor("default of .pkg.M.b is not valid UTF-8 (\"\\xff\")".into())
    );
}
