//! Differential tests: rivet-codegen against prost-build 0.14 + tonic-prost-build 0.14 on the
//! same descriptor sets from the real protoc. The outputs must be identical apart from the
//! generator's name on the first line; other deliberate differences are asserted exactly.

mod common;

use common::{assert_same_output, descriptor_set_bytes, prost_output, rivet_output};
use rivet_codegen::Generator;

/// The proto2/proto3 files that both generators must handle identically.
const PARITY_FILES: &[&str] = &[
    "proto2.proto",
    "proto3.proto",
    "common.proto",
    "app.proto",
    "wkt.proto",
    "streaming.proto",
    "no_package.proto",
    "helloworld.proto",
    "route_guide.proto",
    "equivalent_proto2.proto",
    "proto3_twin.proto",
];

fn reference() -> (tonic_prost_build::Builder, prost_build::Config) {
    (tonic_prost_build::configure(), prost_build::Config::new())
}

#[test]
fn default_options_match_prost_build() {
    let bytes = descriptor_set_bytes(PARITY_FILES);
    let (builder, config) = reference();
    let prost = prost_output(&bytes, builder, config);
    let rivet = rivet_output(&bytes, &Generator::new());
    assert!(prost.contains_key("rivet.test.proto2.rs"));
    assert!(prost.contains_key("_.rs"));
    assert!(prost.contains_key("helloworld.rs"));
    assert_same_output(&prost, &rivet);
}

#[test]
fn service_switches_match_tonic_prost_build() {
    let bytes = descriptor_set_bytes(&["streaming.proto", "helloworld.proto"]);
    let cases = [
        (false, false, true),
        (true, false, false),
        (false, true, true),
    ];
    for (client, server, transport) in cases {
        let builder = tonic_prost_build::configure()
            .build_client(client)
            .build_server(server)
            .build_transport(transport);
        let prost = prost_output(&bytes, builder, prost_build::Config::new());
        let generator = Generator::new()
            .build_client(client)
            .build_server(server)
            .build_transport(transport);
        let rivet = rivet_output(&bytes, &generator);
        assert_same_output(&prost, &rivet);
    }
}

#[test]
fn configured_options_match_prost_build() {
    let bytes = descriptor_set_bytes(PARITY_FILES);
    let builder = tonic_prost_build::configure()
        .btree_map(".rivet.test.proto3.Shapes.kinds")
        .btree_map("blobs")
        .bytes(".rivet.test.proto3")
        .type_attribute(".", "#[derive(::core::default::Default)]")
        .type_attribute("Shapes.value", "#[allow(missing_docs)]")
        .message_attribute(".rivet.test.proto2", "#[allow(dead_code)]")
        .enum_attribute("Color", "#[allow(non_camel_case_types)]")
        .field_attribute("Shapes.plain", "#[allow(unused)]")
        .field_attribute(".rivet.test.proto2.Color.COLOR_RED", "#[allow(deprecated)]")
        .boxed(".rivet.test.common.Point.x")
        .boxed("Request.Inner.nested")
        .extern_path(".rivet.test.common", "::common_protos")
        .extern_path(".routeguide.Point", "crate::geo::Point")
        .skip_debug(["rivet.test.proto3.Leaf", ".helloworld"])
        .disable_comments(["routeguide.RouteGuide.GetFeature"])
        .include_file("_includes.rs");
    let mut config = prost_build::Config::new();
    config
        .retain_enum_prefix()
        .enable_type_names()
        .type_name_domain([".rivet.test.proto2"], "type.example.com")
        .disable_comments([".rivet.test.proto3.Shapes", "Everything.name"]);
    let prost = prost_output(&bytes, builder, config);

    let generator = Generator::new()
        .btree_map([".rivet.test.proto3.Shapes.kinds", "blobs"])
        .bytes([".rivet.test.proto3"])
        .type_attribute(".", "#[derive(::core::default::Default)]")
        .type_attribute("Shapes.value", "#[allow(missing_docs)]")
        .message_attribute(".rivet.test.proto2", "#[allow(dead_code)]")
        .enum_attribute("Color", "#[allow(non_camel_case_types)]")
        .field_attribute("Shapes.plain", "#[allow(unused)]")
        .field_attribute(".rivet.test.proto2.Color.COLOR_RED", "#[allow(deprecated)]")
        .boxed(".rivet.test.common.Point.x")
        .boxed("Request.Inner.nested")
        .extern_path(".rivet.test.common", "::common_protos")
        .extern_path(".routeguide.Point", "crate::geo::Point")
        .skip_debug(["rivet.test.proto3.Leaf", ".helloworld"])
        .disable_comments([
            ".routeguide.RouteGuide.GetFeature",
            ".rivet.test.proto3.Shapes",
            "Everything.name",
        ])
        .retain_enum_prefix(true)
        .enable_type_names(true)
        .type_name_domain([".rivet.test.proto2"], "type.example.com")
        .include_file("_includes.rs");
    let rivet = rivet_output(&bytes, &generator);
    // The common package is extern: nothing is generated for it.
    assert!(!rivet.contains_key("rivet.test.common.rs"));
    assert_same_output(&prost, &rivet);
}

#[test]
fn compiled_well_known_types_match_prost_build() {
    let bytes = descriptor_set_bytes(&["wkt.proto", "streaming.proto"]);
    let builder = tonic_prost_build::configure().compile_well_known_types(true);
    let prost = prost_output(&bytes, builder, prost_build::Config::new());
    let rivet = rivet_output(&bytes, &Generator::new().compile_well_known_types(true));
    assert!(rivet.contains_key("google.protobuf.rs"));
    assert_same_output(&prost, &rivet);
}

/// The one semantic difference: prost-build 0.14 decides packing of proto3 repeated scalars
/// with `options.packed()`, which is `false` whenever the field has any option, so
/// `[deprecated = true]` unpacks the field. proto3 (and rivet) keep it packed.
#[test]
fn proto3_packing_with_other_options_follows_proto3() {
    let bytes = descriptor_set_bytes(&["divergence.proto"]);
    let (builder, config) = reference();
    let prost = prost_output(&bytes, builder, config);
    let rivet = rivet_output(&bytes, &Generator::new());
    let prost_file = &prost["rivet.test.divergence.rs"];
    let rivet_file = &rivet["rivet.test.divergence.rs"];
    let prost_attr = "#[prost(int32, repeated, packed = \"false\", tag = \"1\")]";
    let rivet_attr = "#[prost(int32, repeated, tag = \"1\")]";
    assert_eq!(prost_file.matches(prost_attr).count(), 1);
    assert_eq!(rivet_file.matches(rivet_attr).count(), 1);
    // Explicit `[packed = false]` stays expanded in both.
    let unpacked = "#[prost(int32, repeated, packed = \"false\", tag = \"2\")]";
    assert!(prost_file.contains(unpacked) && rivet_file.contains(unpacked));
    let mut patched = prost.clone();
    patched.insert(
        "rivet.test.divergence.rs".into(),
        prost_file.replace(prost_attr, rivet_attr),
    );
    assert_same_output(&patched, &rivet);
}

fn body_of(files: &std::collections::BTreeMap<String, String>, name: &str) -> String {
    files[name].lines().skip(1).collect::<Vec<_>>().join("\n")
}

/// Editions files get their semantics from features: an edition 2023 file that sets proto2's
/// features generates exactly what prost-build generates for the proto2 file.
#[test]
fn editions_with_proto2_features_generate_like_proto2() {
    let bytes = descriptor_set_bytes(&["equivalent_proto2.proto", "editions_twin.proto"]);
    let (builder, config) = reference();
    let prost = prost_output(
        &descriptor_set_bytes(&["equivalent_proto2.proto"]),
        builder,
        config,
    );
    let rivet = rivet_output(&bytes, &Generator::new());
    let expected = body_of(&prost, "rivet.test.twin.rs");
    assert!(expected.contains("#[prost(group, optional, tag = \"3\")]"));
    assert!(expected.contains("#[prost(int32, required, tag = \"1\")]"));
    assert_eq!(body_of(&rivet, "rivet.test.editions_twin.rs"), expected);
}

/// Likewise an edition 2024 file with proto3's features generates what prost-build generates
/// for the proto3 file.
#[test]
fn editions_with_proto3_features_generate_like_proto3() {
    let bytes = descriptor_set_bytes(&["proto3_twin.proto", "editions_proto3_twin.proto"]);
    let (builder, config) = reference();
    let prost = prost_output(
        &descriptor_set_bytes(&["proto3_twin.proto"]),
        builder,
        config,
    );
    let rivet = rivet_output(&bytes, &Generator::new());
    let expected = body_of(&prost, "rivet.test.proto3_twin.rs");
    assert!(expected.contains("#[prost(int32, optional, tag = \"2\")]"));
    assert_eq!(
        body_of(&rivet, "rivet.test.editions_proto3_twin.rs"),
        expected
    );
}

/// A `string` default that is not UTF-8 (protoc keeps `"caf\351"` as written, byte 0xE9
/// included): prost-build rejects the whole descriptor set, as prost-types cannot decode it;
/// rivet-codegen decodes it and reports the field, whose Rust `String` default cannot hold it.
#[test]
fn non_utf8_string_default_is_an_error_as_with_prost_build() {
    let out = tempfile::tempdir().unwrap();
    let prost_error = prost_build::Config::new()
        .protoc_executable(protoc_bin_vendored::protoc_bin_path().unwrap())
        .out_dir(out.path())
        .compile_protos(&["raw_default.proto"], &[common::data_dir()])
        .unwrap_err();
    let prost_error = prost_error.to_string();
    assert!(
        prost_error.starts_with("invalid FileDescriptorSet: failed to decode Protobuf message: ")
            && prost_error.contains("FieldDescriptorProto.default_value: ")
            && prost_error.ends_with("invalid string value: data is not UTF-8 encoded"),
        "{prost_error}"
    );

    let bytes = descriptor_set_bytes(&["raw_default.proto"]);
    let set = common::rivet_set(&bytes);
    let field = &set.file[0].message_type[0].field[0];
    assert_eq!(field.default_value_bytes(), b"caf\xe9");
    let error = Generator::new()
        .generate(&set, &["raw_default.proto"])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid descriptor: default of .rivet.test.raw.Raw.name is not valid UTF-8 \
         (\"caf\\xe9\"), which a Rust `String` cannot hold"
    );
}
