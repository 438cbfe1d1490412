//! Enums: duplicate numbers, aliases, prefix conflicts, reservations, C++ scoping of values.

use super::{check, reported};

#[test]
fn enum_duplicate_values_without_alias() {
    reported(
        r#"syntax = "proto2";
package p;
enum E { A = 0; B = 0; C = 1; D = 1; F = 2147483646; G = 2147483646; }
message M { enum N { X = 5; Y = 5; Z = 6; } }
"#,
    );
}

#[test]
fn enum_alias_allowed() {
    check("syntax = \"proto2\";\nenum E { option allow_alias = true; A = 0; B = 0; }\n");
}

#[test]
fn enum_prefix_conflicts() {
    reported(
        r#"syntax = "proto3";
enum Color { COLOR_UNSPECIFIED = 0; COLOR_RED = 1; RED = 2; Color_Red = 1; }
enum Shape { SHAPE_X = 0; shape__x = 3; }
"#,
    );
}

#[test]
fn enum_prefix_conflicts_in_proto2() {
    reported("syntax = \"proto2\";\nenum Color { COLOR_RED = 1; RED = 2; }\n");
}

#[test]
fn enum_prefix_conflicts_legacy_option_in_proto2_warns() {
    reported(
        "syntax = \"proto2\";\nenum Color { option deprecated_legacy_json_field_conflicts = true; COLOR_RED = 1; RED = 2; }\n",
    );
}

#[test]
fn empty_enum_and_enum_reservations() {
    reported(
        r#"syntax = "proto2";
enum Empty {}
enum E {
  A = 1;
  B = 7;
  GONE = 9;
  reserved 1, 5 to 10, 8 to 12;
  reserved "GONE", "X", "X";
  reserved 20 to 15;
}
"#,
    );
}

#[test]
fn enum_value_scoping_note() {
    reported(
        "syntax = \"proto2\";\npackage p;\nenum A { X = 0; }\nenum B { X = 0; }\nmessage M { enum C { Y = 0; } enum D { Y = 1; } }\nenum E { Z = 0; Z = 1; }\n",
    );
}

/// An edition 2026 file importing `pb.enumvalue.json`, with the enum `body`.
fn custom_json_enum(body: &str) -> String {
    format!(
        "edition = \"2026\";\npackage j;\nimport option \"google/protobuf/json_enumvalue_options.proto\";\nenum E {{\n{body}}}\n"
    )
}

#[test]
fn custom_json_strings_parse_as_numbers() {
    // absl's SimpleAtoi: whitespace around, a sign, leading zeros, no overflow, base 10 only.
    let lines = reported(&custom_json_enum(
        r#"  E_UNSPECIFIED = 0;
  E_A = 1 [(pb.enumvalue.json).string = " 7"];
  E_B = 2 [(pb.enumvalue.json).string = "+8"];
  E_C = 3 [(pb.enumvalue.json).string = "9 "];
  E_D = 4 [(pb.enumvalue.json).string = "-0"];
  E_F = 5 [(pb.enumvalue.json).string = "05"];
  E_G = 6 [(pb.enumvalue.json).string = "2147483648"];
  E_H = 7 [(pb.enumvalue.json).string = "0x2"];
  E_J = 9 [(pb.enumvalue.json).string = "\t10\t"];
  E_K = 10 [(pb.enumvalue.json).string = "1 1"];
  E_L = 11 [(pb.enumvalue.json).string = "-2147483648"];
  E_N = 13 [(pb.enumvalue.json).string = "\v14\f"];
  E_O = 14 [(pb.enumvalue.json).string = "+-1"];
  E_P = 15 [(pb.enumvalue.json).string = "--1"];
  E_Q = 16 [(pb.enumvalue.json).string = "-"];
  E_R = 17 [(pb.enumvalue.json).string = "\r18"];
"#,
    ));
    assert_eq!(lines.len(), 8, "{lines:?}");
}

#[test]
fn custom_json_string_conflicts() {
    let lines = reported(&custom_json_enum(
        r#"  E_UNSPECIFIED = 0;
  E_A = 1 [(pb.enumvalue.json).string = "E_B"];
  E_B = 2;
  E_C = 3 [(pb.enumvalue.json).string = "E_C"];
  E_D = 4 [(pb.enumvalue.json).string = "x"];
  E_F = 5 [(pb.enumvalue.json) = { string: "x" }];
  E_G = 6 [(pb.enumvalue.json) = {}];
  E_H = 7 [(pb.enumvalue.json).string = ""];
  E_I = 8 [(pb.enumvalue.json).string = "a\0b"];
"#,
    ));
    assert_eq!(
        lines,
        [
            "a.proto: Default JSON string \"E_B\" conflicts with custom JSON string of \"E_A\".",
            "a.proto: Custom JSON string \"x\" conflicts with custom JSON string of \"E_D\".",
            "a.proto: Custom JSON string \"\" conflicts with custom JSON string of \"E_G\".",
            "a.proto: Custom JSON strings cannot contain embedded null characters.",
        ]
    );
}

#[test]
fn custom_json_strings_of_aliases() {
    reported(&custom_json_enum(
        r#"  option allow_alias = true;
  E_UNSPECIFIED = 0;
  E_A = 1 [(pb.enumvalue.json).string = "a"];
  E_B = 1;
  E_C = 1 [(pb.enumvalue.json).string = "c"];
  E_D = 1 [(pb.enumvalue.json).string = "a"];
  E_E = 2;
  E_F = 2 [(pb.enumvalue.json).string = "f"];
  E_G = 3 [(pb.enumvalue.json).string = "a"];
"#,
    ));
    // Aliases agreeing on their strings are fine.
    check(&custom_json_enum(
        r#"  option allow_alias = true;
  E_UNSPECIFIED = 0 [(pb.enumvalue.json) = { string: "unspecified" }];
  E_A = 1 [(pb.enumvalue.json).string = "a"];
  E_B = 1 [(pb.enumvalue.json).string = "a"];
  E_C = 2 [(pb.enumvalue.json).string = "E_C"];
  E_D = 3 [(pb.enumvalue.json).string = "3"];
"#,
    ));
}

#[test]
fn custom_json_strings_in_other_editions() {
    // Checked before the option's feature support (edition 2026), which is deferred.
    reported(
        "edition = \"2024\";\npackage j;\nimport option \"google/protobuf/json_enumvalue_options.proto\";\nenum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1 [(pb.enumvalue.json).string = \"2\"];\n}\n",
    );
    reported(
        "edition = \"2024\";\npackage j;\nimport option \"google/protobuf/json_enumvalue_options.proto\";\nenum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1 [(pb.enumvalue.json).string = \"x\"];\n}\n",
    );
    reported(
        "syntax = \"proto2\";\npackage j;\nimport \"google/protobuf/json_enumvalue_options.proto\";\nenum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1 [(pb.enumvalue.json).string = \"E_UNSPECIFIED\"];\n}\n",
    );
}

#[test]
fn any_extension_998_of_enum_value_options_is_the_custom_json_string() {
    // protoc reads the options with its built-in extension, whatever declared field 998.
    let lines = reported(
        "edition = \"2026\";\npackage j;\nimport \"google/protobuf/descriptor.proto\";\nmessage Mine { string s = 1; }\nextend google.protobuf.EnumValueOptions { Mine mine = 998; }\nenum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1 [(mine).s = \"3\"];\n}\n",
    );
    assert_eq!(
        lines,
        [
            "a.proto: Custom JSON string \"3\" parses as integer 3, which does not match the enum value's number 1."
        ]
    );
    check(
        "edition = \"2026\";\npackage j;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.EnumValueOptions { int32 mine = 998; }\nenum E {\n  E_UNSPECIFIED = 0;\n  E_A = 1 [(mine) = 3];\n}\n",
    );
}
