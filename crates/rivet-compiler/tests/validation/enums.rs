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
