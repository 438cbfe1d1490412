//! Every message, field and enum value of `descriptor.proto` and `plugin.proto`, as compiled by
//! the real protoc, has its Rust counterpart: each field is decoded into a declared field
//! (not into `unknown_fields`) with the right wire type and packedness, no extra field is
//! declared, and every enum has exactly the `.proto`'s values and names.

mod common;

use std::collections::BTreeMap;

use common::*;
use prost::{Message, Name};
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::*;

/// Decodes `bytes` as `M`; returns the re-encoded bytes and the size of its unknown fields.
fn probe<M: Message + Default + HasUnknownFields>(bytes: &[u8]) -> (Vec<u8>, usize) {
    let message = M::decode(bytes).expect("probe decodes");
    (message.encode_to_vec(), message.unknown_fields().len())
}

type Prober = fn(&[u8]) -> (Vec<u8>, usize);

macro_rules! message_table {
    ($($ty:ty),* $(,)?) => {
        BTreeMap::from([$((<$ty as Name>::full_name(), probe::<$ty> as Prober)),*])
    };
}

fn message_table() -> BTreeMap<String, Prober> {
    message_table![
        FileDescriptorSet,
        FileDescriptorProto,
        DescriptorProto,
        descriptor_proto::ExtensionRange,
        descriptor_proto::ReservedRange,
        ExtensionRangeOptions,
        extension_range_options::Declaration,
        FieldDescriptorProto,
        OneofDescriptorProto,
        EnumDescriptorProto,
        enum_descriptor_proto::EnumReservedRange,
        EnumValueDescriptorProto,
        ServiceDescriptorProto,
        MethodDescriptorProto,
        FileOptions,
        MessageOptions,
        FieldOptions,
        field_options::EditionDefault,
        field_options::FeatureSupport,
        OneofOptions,
        EnumOptions,
        EnumValueOptions,
        ServiceOptions,
        MethodOptions,
        UninterpretedOption,
        uninterpreted_option::NamePart,
        FeatureSet,
        feature_set::VisibilityFeature,
        feature_set::ProtoLimitsFeature,
        FeatureSetDefaults,
        feature_set_defaults::FeatureSetEditionDefault,
        SourceCodeInfo,
        source_code_info::Location,
        GeneratedCodeInfo,
        generated_code_info::Annotation,
        compiler::Version,
        compiler::CodeGeneratorRequest,
        compiler::CodeGeneratorResponse,
        compiler::code_generator_response::File,
    ]
}

/// Per enum: `from_str_name` as `i32`, the name of a number, and the default's name.
struct EnumFns {
    from_name: fn(&str) -> Option<i32>,
    name_of: fn(i32) -> Option<&'static str>,
    default_name: fn() -> &'static str,
}

macro_rules! enum_table {
    ($($name:literal => $ty:ty),* $(,)?) => {
        BTreeMap::from([$((
            $name.to_string(),
            EnumFns {
                from_name: |name| <$ty>::from_str_name(name).map(i32::from),
                name_of: |number| <$ty>::try_from(number).ok().map(|v| v.as_str_name()),
                default_name: || <$ty>::default().as_str_name(),
            },
        )),*])
    };
}

fn enum_table() -> BTreeMap<String, EnumFns> {
    enum_table![
        "google.protobuf.Edition" => Edition,
        "google.protobuf.SymbolVisibility" => SymbolVisibility,
        "google.protobuf.ExtensionRangeOptions.VerificationState" =>
            extension_range_options::VerificationState,
        "google.protobuf.FieldDescriptorProto.Type" => field_descriptor_proto::Type,
        "google.protobuf.FieldDescriptorProto.Label" => field_descriptor_proto::Label,
        "google.protobuf.FileOptions.OptimizeMode" => file_options::OptimizeMode,
        "google.protobuf.FieldOptions.CType" => field_options::CType,
        "google.protobuf.FieldOptions.JSType" => field_options::JsType,
        "google.protobuf.FieldOptions.OptionRetention" => field_options::OptionRetention,
        "google.protobuf.FieldOptions.OptionTargetType" => field_options::OptionTargetType,
        "google.protobuf.MethodOptions.IdempotencyLevel" => method_options::IdempotencyLevel,
        "google.protobuf.FeatureSet.FieldPresence" => feature_set::FieldPresence,
        "google.protobuf.FeatureSet.EnumType" => feature_set::EnumType,
        "google.protobuf.FeatureSet.RepeatedFieldEncoding" => feature_set::RepeatedFieldEncoding,
        "google.protobuf.FeatureSet.Utf8Validation" => feature_set::Utf8Validation,
        "google.protobuf.FeatureSet.MessageEncoding" => feature_set::MessageEncoding,
        "google.protobuf.FeatureSet.JsonFormat" => feature_set::JsonFormat,
        "google.protobuf.FeatureSet.EnforceNamingStyle" => feature_set::EnforceNamingStyle,
        "google.protobuf.FeatureSet.VisibilityFeature.DefaultSymbolVisibility" =>
            feature_set::visibility_feature::DefaultSymbolVisibility,
        "google.protobuf.FeatureSet.ProtoLimitsFeature.EnforceProtoLimits" =>
            feature_set::proto_limits_feature::EnforceProtoLimits,
        "google.protobuf.GeneratedCodeInfo.Annotation.Semantic" =>
            generated_code_info::annotation::Semantic,
        "google.protobuf.compiler.CodeGeneratorResponse.Feature" =>
            compiler::code_generator_response::Feature,
    ]
}

fn key(number: u32, wire_type: u8) -> Vec<u8> {
    let mut out = Vec::new();
    prost::encoding::encode_varint(u64::from(number << 3 | u32::from(wire_type)), &mut out);
    out
}

/// The natural wire type of a field, and a minimal valid payload for it.
fn sample(field: &FieldDescriptorProto) -> (u8, Vec<u8>) {
    match field.r#type() {
        Type::Double | Type::Fixed64 | Type::Sfixed64 => (1, vec![0; 8]),
        Type::Float | Type::Fixed32 | Type::Sfixed32 => (5, vec![0; 4]),
        // A `NamePart` with its two required fields, which are always encoded.
        Type::Message if field.type_name() == ".google.protobuf.UninterpretedOption.NamePart" => {
            (2, vec![4, 0x0a, 0, 0x10, 0])
        }
        Type::String | Type::Bytes | Type::Message => (2, vec![0]),
        Type::Group => panic!("no groups in descriptor.proto"),
        _ => (0, vec![1]),
    }
}

/// The encoding of `fields` with one sample value each, in field-number order.
fn encode_samples(fields: &[&FieldDescriptorProto]) -> Vec<u8> {
    let mut fields = fields.to_vec();
    fields.sort_by_key(|f| f.number());
    fields.dedup_by_key(|f| f.number());
    let mut out = Vec::new();
    for field in fields {
        let (wire_type, payload) = sample(field);
        out.extend(key(field.number() as u32, wire_type));
        out.extend(payload);
    }
    out
}

struct Walk<'a> {
    messages: &'a BTreeMap<String, Prober>,
    enums: &'a BTreeMap<String, EnumFns>,
    seen_messages: Vec<String>,
    seen_enums: Vec<String>,
}

impl Walk<'_> {
    fn check_enum(&mut self, full_name: String, proto: &EnumDescriptorProto) {
        let fns = self
            .enums
            .get(&full_name)
            .unwrap_or_else(|| panic!("no Rust enum for {full_name}"));
        for value in &proto.value {
            assert_eq!(
                (fns.from_name)(value.name()),
                Some(value.number()),
                "{full_name}"
            );
            assert_eq!(
                (fns.name_of)(value.number()),
                Some(value.name()),
                "{full_name}"
            );
        }
        // The proto2 default is the first value declared; prost's `Default` must agree.
        assert_eq!(
            (fns.default_name)(),
            proto.value[0].name(),
            "{full_name} default"
        );
        // No extra variants.
        let numbers: Vec<i32> = proto.value.iter().map(|v| v.number()).collect();
        for number in (-10..=110_000).chain([i32::MIN, i32::MAX]) {
            assert_eq!(
                (fns.name_of)(number).is_some(),
                numbers.contains(&number),
                "{full_name} number {number}"
            );
        }
        self.seen_enums.push(full_name);
    }

    fn check_message(&mut self, full_name: String, proto: &DescriptorProto) {
        let probe = *self
            .messages
            .get(&full_name)
            .unwrap_or_else(|| panic!("no Rust type for {full_name}"));
        // Required fields (only in `NamePart`) are plain values, always encoded, so every
        // probe carries them.
        let required: Vec<&FieldDescriptorProto> = proto
            .field
            .iter()
            .filter(|f| f.label() == Label::Required)
            .collect();
        let base = encode_samples(&required);
        for field in &proto.field {
            let (wire_type, payload) = sample(field);
            let number = field.number() as u32;
            let single = encode_samples(&[required.as_slice(), &[field]].concat());
            let packed_declared = field
                .options
                .as_ref()
                .and_then(|o| o.packed)
                .unwrap_or(false);
            let is_repeated_scalar = field.label() == Label::Repeated && wire_type != 2;
            let what = format!("{full_name}.{}", field.name());
            if is_repeated_scalar {
                assert!(required.is_empty());
                let packed = [key(number, 2), vec![payload.len() as u8], payload.clone()].concat();
                let (canonical, other) = if packed_declared {
                    (&packed, &single)
                } else {
                    (&single, &packed)
                };
                // Both encodings decode into the field; encoding uses the declared one.
                assert_eq!(probe(canonical), (canonical.clone(), 0), "{what}");
                assert_eq!(
                    probe(other),
                    (canonical.clone(), 0),
                    "{what} (other encoding)"
                );
            } else {
                assert!(!packed_declared, "{what}");
                assert_eq!(probe(&single), (single.clone(), 0), "{what}");
            }
        }
        // Numbers the message does not declare stay unknown, whatever their wire type.
        let declared: Vec<u32> = proto.field.iter().map(|f| f.number() as u32).collect();
        for number in (1..=1100).chain([9995, 10000, 536_000_000]) {
            if declared.contains(&number) {
                continue;
            }
            for unknown in [
                [key(number, 0), vec![1]].concat(),
                [key(number, 2), vec![0]].concat(),
            ] {
                let bytes = [base.clone(), unknown.clone()].concat();
                assert_eq!(
                    probe(&bytes),
                    (bytes.clone(), unknown.len()),
                    "{full_name} #{number}"
                );
            }
        }
        self.seen_messages.push(full_name.clone());
        for nested in &proto.nested_type {
            self.check_message(format!("{full_name}.{}", nested.name()), nested);
        }
        for nested in &proto.enum_type {
            self.check_enum(format!("{full_name}.{}", nested.name()), nested);
        }
    }
}

#[test]
fn every_message_field_and_enum_value_is_covered() {
    let set = round_trip_set(&["google/protobuf/compiler/plugin.proto"], &[]);
    let messages = message_table();
    let enums = enum_table();
    let mut walk = Walk {
        messages: &messages,
        enums: &enums,
        seen_messages: vec![],
        seen_enums: vec![],
    };
    for file in &set.file {
        for message in &file.message_type {
            walk.check_message(format!("{}.{}", file.package(), message.name()), message);
        }
        for enum_type in &file.enum_type {
            walk.check_enum(
                format!("{}.{}", file.package(), enum_type.name()),
                enum_type,
            );
        }
    }
    walk.seen_messages.sort();
    walk.seen_enums.sort();
    assert_eq!(
        walk.seen_messages,
        messages.keys().cloned().collect::<Vec<_>>()
    );
    assert_eq!(walk.seen_enums, enums.keys().cloned().collect::<Vec<_>>());
}

#[test]
fn defaults_match_the_proto() {
    // Every `[default = ...]` of descriptor.proto, through the generated getters.
    let set = round_trip_set(&["google/protobuf/descriptor.proto"], &[]);
    let mut defaults = Vec::new();
    fn collect(prefix: &str, message: &DescriptorProto, out: &mut Vec<(String, String)>) {
        let name = format!("{prefix}.{}", message.name());
        for field in &message.field {
            if let Some(default) = &field.default_value {
                out.push((
                    format!("{name}.{}", field.name()),
                    default.to_str().unwrap().to_owned(),
                ));
            }
        }
        for nested in &message.nested_type {
            collect(&name, nested, out);
        }
    }
    for message in &set.file[0].message_type {
        collect("", message, &mut defaults);
    }
    let getters: BTreeMap<&str, String> = BTreeMap::from([
        (
            ".MethodDescriptorProto.client_streaming",
            MethodDescriptorProto::default()
                .client_streaming()
                .to_string(),
        ),
        (
            ".MethodDescriptorProto.server_streaming",
            MethodDescriptorProto::default()
                .server_streaming()
                .to_string(),
        ),
        (
            ".ExtensionRangeOptions.verification",
            ExtensionRangeOptions::default()
                .verification()
                .as_str_name()
                .to_string(),
        ),
        (
            ".FileOptions.java_multiple_files",
            FileOptions::default().java_multiple_files().to_string(),
        ),
        (
            ".FileOptions.java_string_check_utf8",
            FileOptions::default().java_string_check_utf8().to_string(),
        ),
        (
            ".FileOptions.optimize_for",
            FileOptions::default()
                .optimize_for()
                .as_str_name()
                .to_string(),
        ),
        (
            ".FileOptions.cc_generic_services",
            FileOptions::default().cc_generic_services().to_string(),
        ),
        (
            ".FileOptions.java_generic_services",
            FileOptions::default().java_generic_services().to_string(),
        ),
        (
            ".FileOptions.py_generic_services",
            FileOptions::default().py_generic_services().to_string(),
        ),
        (
            ".FileOptions.deprecated",
            FileOptions::default().deprecated().to_string(),
        ),
        (
            ".FileOptions.cc_enable_arenas",
            FileOptions::default().cc_enable_arenas().to_string(),
        ),
        (
            ".MessageOptions.message_set_wire_format",
            MessageOptions::default()
                .message_set_wire_format()
                .to_string(),
        ),
        (
            ".MessageOptions.no_standard_descriptor_accessor",
            MessageOptions::default()
                .no_standard_descriptor_accessor()
                .to_string(),
        ),
        (
            ".MessageOptions.deprecated",
            MessageOptions::default().deprecated().to_string(),
        ),
        (
            ".FieldOptions.ctype",
            FieldOptions::default().ctype().as_str_name().to_string(),
        ),
        (
            ".FieldOptions.jstype",
            FieldOptions::default().jstype().as_str_name().to_string(),
        ),
        (
            ".FieldOptions.lazy",
            FieldOptions::default().lazy().to_string(),
        ),
        (
            ".FieldOptions.unverified_lazy",
            FieldOptions::default().unverified_lazy().to_string(),
        ),
        (
            ".FieldOptions.deprecated",
            FieldOptions::default().deprecated().to_string(),
        ),
        (".FieldOptions.weak", {
            #[allow(deprecated)]
            let weak = FieldOptions::default().weak();
            weak.to_string()
        }),
        (
            ".FieldOptions.debug_redact",
            FieldOptions::default().debug_redact().to_string(),
        ),
        (
            ".EnumOptions.deprecated",
            EnumOptions::default().deprecated().to_string(),
        ),
        (
            ".EnumValueOptions.deprecated",
            EnumValueOptions::default().deprecated().to_string(),
        ),
        (
            ".EnumValueOptions.debug_redact",
            EnumValueOptions::default().debug_redact().to_string(),
        ),
        (
            ".ServiceOptions.deprecated",
            ServiceOptions::default().deprecated().to_string(),
        ),
        (
            ".MethodOptions.deprecated",
            MethodOptions::default().deprecated().to_string(),
        ),
        (
            ".MethodOptions.idempotency_level",
            MethodOptions::default()
                .idempotency_level()
                .as_str_name()
                .to_string(),
        ),
    ]);
    assert_eq!(defaults.len(), getters.len(), "{defaults:?}");
    for (field, default) in &defaults {
        assert_eq!(getters.get(field.as_str()), Some(default), "{field}");
    }
}
