//! Field and extension numbers: ranges, reservations, duplicates (with suggestions), extension ranges, MessageSets.

use super::{check, check_inputs, reported};

#[test]
fn field_numbers_and_suggestions() {
    reported(
        r#"syntax = "proto2";
message A {
  optional int32 zero = 0;
  optional int32 big = 536870912;
  optional int32 ok = 1;
  extensions 0 to 5;
  extensions 10 to 20, 15 to 30;
  reserved 8 to 7;
  reserved 0;
  message Nested { optional int32 n = 0; }
  extend A { optional int32 e = 0; }
}
message B { optional int32 x = 19000; optional int32 y = 0; }
"#,
    );
}

#[test]
fn duplicate_field_numbers_and_hints() {
    reported(
        r#"syntax = "proto2";
message A {
  optional int32 a = 1;
  optional int32 b = 1;
  optional int32 c = 2;
  optional int32 d = 2;
  extensions 3 to 10;
  reserved 11;
}
message Full {
  optional int32 a = 1;
  optional int32 b = 1;
  extensions 2 to max;
}
"#,
    );
}

#[test]
fn reserved_conflicts() {
    reported(
        r#"syntax = "proto2";
message A {
  reserved 2, 10 to 20, 18 to 25;
  reserved "old", "b", "old";
  optional int32 a = 2;
  optional int32 b = 3;
  optional int32 c = 15;
  extensions 19 to 30;
  extensions 1;
}
"#,
    );
}

#[test]
fn extension_numbers_must_be_declared() {
    reported(
        r#"syntax = "proto2";
package p;
message NoRanges {}
message Ranges { extensions 100 to 199; }
extend NoRanges { optional int32 a = 100; }
extend Ranges {
  optional int32 b = 150;
  optional int32 c = 200;
  optional int32 d = 150;
  required int32 e = 160;
}
message Scope { extend Ranges { optional int32 f = 199; optional int32 g = 150; } }
"#,
    );
}

#[test]
fn extension_numbers_conflict_across_files() {
    check_inputs(
        &[
            (
                "base.proto",
                "syntax = \"proto2\";\npackage p;\nmessage Base { extensions 100 to 200; }\n",
            ),
            (
                "one.proto",
                "syntax = \"proto2\";\npackage p;\nimport \"base.proto\";\nextend Base { optional int32 one = 100; }\n",
            ),
            (
                "two.proto",
                "syntax = \"proto2\";\npackage p;\nimport \"base.proto\";\nextend Base { optional int32 two = 100; }\n",
            ),
        ],
        &["one.proto", "two.proto"],
    );
}

#[test]
fn message_set_rules() {
    reported(
        r#"syntax = "proto2";
message Set {
  option message_set_wire_format = true;
  extensions 4 to max;
  optional int32 field = 1;
}
message Item {}
extend Set {
  optional Item ok = 2147483646;
  optional int32 scalar = 10;
  repeated Item many = 11;
}
"#,
    );
}

#[test]
fn message_set_large_extension_numbers() {
    check(
        r#"syntax = "proto2";
message Set {
  option message_set_wire_format = true;
  extensions 4 to max;
}
message Item {}
extend Set { optional Item ok = 2147483646; }
"#,
    );
}

#[test]
fn extension_range_above_max() {
    reported("syntax = \"proto2\";\nmessage M { extensions 10 to 536870912; }\n");
}

#[test]
fn required_extension_and_repeated_default() {
    reported(
        r#"syntax = "proto2";
message M {
  extensions 10 to 20;
  repeated int32 r = 1 [default = 3];
  optional bool b = 2 [default = true];
}
extend M { required int32 e = 10; }
"#,
    );
}

#[test]
fn duplicate_messages_keep_separate_numbers() {
    reported(
        "syntax = \"proto2\";\npackage p;\nmessage M { optional int32 a = 1; optional int32 a = 2; optional int32 b = 1; }\nmessage M { optional int32 x = 1; }\nenum M { Z = 0; }\n",
    );
}

#[test]
fn extensions_conflicting_with_fields_and_each_other() {
    reported(
        r#"syntax = "proto2";
message M {
  optional int32 a = 1;
  extensions 10 to 20;
  extend M { optional int32 b = 1; optional int32 c = 10; optional int32 d = 10; }
}
extend M { optional int32 e = 11; optional int32 f = 11; }
"#,
    );
}
