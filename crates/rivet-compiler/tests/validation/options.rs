//! Option interpretation order, options set twice, option targets and the command line's checks.

use super::{check, compare, reported};

#[test]
fn options_set_twice() {
    reported(
        r#"syntax = "proto2";
import "google/protobuf/descriptor.proto";
message Val { optional int32 n = 1; optional Val child = 2; }
extend google.protobuf.MessageOptions {
  optional int32 num = 50000;
  optional Val val = 50001;
  repeated int32 many = 50002;
}
message A { option (num) = 1; option (num) = 2; }
message B { option deprecated = true; option deprecated = false; }
message C { option (val).n = 1; option (val).n = 2; }
message D { option (val) = { child { n: 1 } }; option (val).child = { n: 2 }; }
message E { option (val).child.n = 1; option (val).child.n = 2; }
message F { option (many) = 1; option (many) = 2; }
"#,
    );
}

#[test]
fn option_errors_in_protoc_order() {
    reported(
        r#"syntax = "proto2";
import "google/protobuf/descriptor.proto";
option (unknown_file) = 1;
option java_package = "x";
message M {
  option (unknown_message) = 1;
  option deprecated = true;
  optional int32 f = 1 [(unknown_field) = 1, deprecated = true];
  message N { option (unknown_nested) = 1; }
  enum E { V = 0 [(unknown_value) = 1]; }
}
service S { rpc R(M) returns (M) { option (unknown_method) = 1; } option (unknown_service) = 2; }
"#,
    );
}

#[test]
fn option_targets() {
    reported(
        r#"syntax = "proto2";
package p;
import "google/protobuf/descriptor.proto";
extend google.protobuf.MessageOptions {
  optional int32 message_only = 50000 [targets = TARGET_TYPE_FIELD];
}
extend google.protobuf.FieldOptions {
  optional int32 field_only = 50000 [targets = TARGET_TYPE_FIELD, targets = TARGET_TYPE_MESSAGE];
}
message M {
  option (message_only) = 1;
  optional int32 f = 1 [(field_only) = 2];
}
"#,
    );
}

#[test]
fn feature_targets() {
    reported(
        r#"edition = "2023";
message M {
  option features.field_presence = EXPLICIT;
  int32 f = 1 [features.enum_type = OPEN];
}
enum E { option features.field_presence = EXPLICIT; V = 0 [features.json_format = ALLOW]; }
service S { option features.json_format = ALLOW; }
"#,
    );
}

#[test]
fn generic_services_warn() {
    check("syntax = \"proto2\";\noption cc_generic_services = true;\nmessage M {}\n");
}

#[test]
fn implementation_reserved_numbers() {
    reported(
        "syntax = \"proto2\";\nmessage M { optional int32 a = 19000; optional int32 b = 19999; extensions 100 to 200; }\nextend M { optional int32 c = 150; }\n",
    );
}

/// protoc reads options back as its own compiled-in types, which verify the UTF-8 of the
/// strings of `pb.file.cpp` (990) and `pb.enumvalue.json` (998): bytes that are not UTF-8
/// there fail the file, element by element in interpretation order. protoc follows each
/// error with its debug printer's view of the options (randomized) and logs a line: those
/// are left out of the comparison.
#[test]
fn options_that_do_not_parse_as_protocs_own_types() {
    let (expected, actual) = compare(
        &[(
            "a.proto",
            r#"syntax = "proto2";
import "google/protobuf/descriptor.proto";
message Named { optional string name = 1; optional int32 count = 2; }
extend google.protobuf.FileOptions { optional Named file_like = 990; optional int32 n = 50000; }
extend google.protobuf.EnumValueOptions { optional Named json_like = 998; }
option (n) = 1;
option (file_like).name = "\xff";
enum E {
  A = 0 [(json_like).name = "\303\251", (json_like).count = 1, (json_like).count = 2];
  B = 1 [(json_like).name = "\xfe"];
  C = 2 [(json_like).name = "fine"];
}
"#,
        )],
        &["a.proto"],
    );
    let protoc_lines: Vec<String> = expected
        .lines
        .iter()
        .filter(|line| line.contains(".proto:"))
        .cloned()
        .collect();
    assert_eq!(actual.lines, protoc_lines);
    assert!(expected.descriptor_set.is_none() && actual.descriptor_set.is_none());
    assert_eq!(
        protoc_lines
            .iter()
            .filter(|line| line.ends_with(
                "a.proto: Some options could not be correctly parsed using the proto descriptors compiled into this binary."
            ))
            .count(),
        2,
        "{protoc_lines:?}"
    );
}
