//! proto3 rules: no required fields, defaults, extension ranges or groups; extensions only for options; open enums; JSON name conflicts (and their proto2 warnings).

use super::{check, check_inputs, reported};

#[test]
fn proto3_required_default_and_extension_ranges() {
    reported(
        r#"syntax = "proto3";
message M {
  required int32 a = 1;
  int32 b = 2 [default = 5];
  extensions 100 to 200;
}
"#,
    );
}

#[test]
fn proto3_extensions_only_for_options() {
    check_inputs(
        &[
            (
                "base.proto",
                "syntax = \"proto2\";\npackage p;\nmessage Base { extensions 100 to 200; }\n",
            ),
            (
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nimport \"base.proto\";\nimport \"google/protobuf/descriptor.proto\";\nextend Base {\n  int32 x = 100;\n  int32 y = 101;\n}\nextend google.protobuf.FieldOptions { int32 opt = 50000; }\nmessage M { extend Base { int32 z = 102; } }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn proto3_closed_enum_and_first_value() {
    check_inputs(
        &[
            (
                "closed.proto",
                "syntax = \"proto2\";\npackage p;\nenum Closed { A = 1; B = 2; }\n",
            ),
            (
                "a.proto",
                "syntax = \"proto3\";\npackage q;\nimport \"closed.proto\";\nmessage M {\n  p.Closed c = 1;\n  repeated p.Closed d = 2;\n  map<string, p.Closed> e = 3;\n}\nenum Open { X = 1; }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn proto3_first_enum_value_nested_order() {
    reported(
        "syntax = \"proto3\";\nenum Top { T = 3; }\nmessage M { enum Inner { I = 2; } message N { enum Deep { D = 1; } } }\n",
    );
}

#[test]
fn proto3_message_set() {
    reported("syntax = \"proto3\";\nmessage M { option message_set_wire_format = true; }\n");
}

#[test]
fn proto3_json_name_conflicts() {
    reported(
        r#"syntax = "proto3";
message M {
  int32 foo_bar = 1;
  int32 fooBar = 2;
  int32 a = 3 [json_name = "same"];
  int32 b = 4 [json_name = "same"];
  int32 c = 5 [json_name = "d"];
  int32 d = 6;
  int32 e = 7 [json_name = "[bad]"];
  int32 _x = 8;
  int32 X = 9;
}
"#,
    );
}

#[test]
fn proto2_json_name_conflicts_warn_for_defaults() {
    reported(
        r#"syntax = "proto2";
message M {
  optional int32 foo_bar = 1;
  optional int32 fooBar = 2;
  optional int32 a = 3 [json_name = "x"];
  optional int32 b = 4 [json_name = "x"];
}
"#,
    );
}

#[test]
fn legacy_json_field_conflicts_option_disables_the_check() {
    check(
        r#"syntax = "proto3";
message M {
  option deprecated_legacy_json_field_conflicts = true;
  int32 foo_bar = 1;
  int32 fooBar = 2;
}
"#,
    );
}

#[test]
fn json_name_on_extension() {
    reported(
        r#"syntax = "proto2";
message M { extensions 10 to 20; }
extend M {
  optional int32 a = 10 [json_name = "b"];
  optional int32 c = 11 [json_name = "c"];
}
"#,
    );
}
