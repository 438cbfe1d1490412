//! Editions: features only in editions, field feature rules, feature lifetimes, naming style, visibility.

use super::{check_inputs, compare, reported};

#[test]
fn features_are_only_for_editions() {
    reported(
        r#"syntax = "proto2";
option features.field_presence = EXPLICIT;
message M {
  optional int32 a = 1 [features.field_presence = EXPLICIT];
  oneof o { option features.field_presence = EXPLICIT; int32 b = 2; }
}
enum E { option features.enum_type = OPEN; V = 0 [features.enum_type = OPEN]; }
"#,
    );
}

#[test]
fn editions_field_feature_rules() {
    reported(
        r#"edition = "2023";
enum Closed { option features.enum_type = CLOSED; C = 1; }
message Sub {}
message M {
  repeated int32 a = 1 [packed = true];
  int32 b = 2 [features.field_presence = IMPLICIT, default = 5];
  Sub c = 3 [features.field_presence = IMPLICIT];
  repeated int32 d = 4 [features.field_presence = EXPLICIT];
  int32 e = 5 [features.message_encoding = DELIMITED];
  oneof o { int32 f = 6 [features.field_presence = EXPLICIT]; }
  repeated Sub g = 7 [features.repeated_field_encoding = PACKED];
  int32 h = 8 [features.utf8_validation = VERIFY];
  int32 i = 9 [features.repeated_field_encoding = EXPANDED];
  Closed j = 10 [features.field_presence = IMPLICIT];
  map<string, int32> k = 11 [features.message_encoding = DELIMITED];
  map<string, int32> l = 12 [features.utf8_validation = NONE];
  extensions 100 to 200;
}
extend M {
  int32 x = 100 [features.field_presence = IMPLICIT];
  int32 y = 101 [features.field_presence = LEGACY_REQUIRED];
}
"#,
    );
}

#[test]
fn editions_file_level_rules() {
    reported(
        "edition = \"2023\";\noption features.field_presence = LEGACY_REQUIRED;\noption java_string_check_utf8 = true;\nmessage M {}\n",
    );
}

#[test]
fn editions_delimited_and_lazy() {
    reported(
        r#"edition = "2023";
message Sub {}
message M {
  Sub a = 1 [features.message_encoding = DELIMITED, lazy = true];
  Sub b = 2 [lazy = true];
}
"#,
    );
}

#[test]
fn editions_open_enum_first_value() {
    reported(
        "edition = \"2023\";\nenum Open { A = 1; }\nenum Closed { option features.enum_type = CLOSED; B = 1; }\n",
    );
}

#[test]
fn editions_unknown_feature_value() {
    reported(
        "edition = \"2023\";\nmessage M {\n  int32 a = 1 [features.field_presence = FIELD_PRESENCE_UNKNOWN];\n}\n",
    );
}

#[test]
fn editions_feature_too_new() {
    reported(
        "edition = \"2023\";\npackage p;\noption features.enforce_naming_style = STYLE2024;\nmessage M {}\n",
    );
}

#[test]
fn editions_removed_option() {
    reported("edition = \"2024\";\npackage p;\noption java_multiple_files = true;\nmessage M {}\n");
}

#[test]
fn edition_2024_weak_imports() {
    check_inputs(
        &[
            (
                "dep.proto",
                "edition = \"2024\";\npackage d;\nmessage D {}\n",
            ),
            (
                "a.proto",
                "edition = \"2024\";\npackage p;\nimport weak \"dep.proto\";\nmessage M {}\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn deprecated_language_feature_warns() {
    check_inputs(
        &[(
            "a.proto",
            "edition = \"2023\";\npackage p;\nimport \"google/protobuf/cpp_features.proto\";\nenum E {\n  option features.(pb.cpp).legacy_closed_enum = true;\n  V = 0;\n}\n",
        )],
        &["a.proto"],
    );
}

#[test]
fn removed_feature_in_dependency() {
    check_inputs(
        &[
            (
                "dep.proto",
                "edition = \"2024\";\npackage d;\noption java_multiple_files = true;\nmessage D {}\n",
            ),
            (
                "a.proto",
                "edition = \"2024\";\npackage p;\nimport \"dep.proto\";\nmessage M { d.D d = 1; }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn naming_style_2024() {
    reported(
        r#"edition = "2024";
package p.Bad_Name;
message lower {
  int32 CamelField = 1;
  int32 bad__name = 2;
  int32 trailing_ = 3;
  int32 num_1 = 4;
  oneof BadOneof { int32 x = 5; }
  message ok_not {}
}
enum e { lower_value = 0; GOOD = 1; }
service s { rpc lower_method(lower) returns (lower); }
"#,
    );
}

#[test]
fn naming_style_opt_out() {
    // Diagnostics only: protoc keeps an empty `features {}` once it strips the source-retention
    // feature from the output, which is the output stage's business, not validation's.
    let (expected, actual) = compare(
        &[(
            "a.proto",
            "edition = \"2024\";\npackage p;\noption features.enforce_naming_style = STYLE_LEGACY;\nmessage lower { int32 CamelField = 1; }\n",
        )],
        &["a.proto"],
    );
    assert_eq!(actual.lines, expected.lines);
    assert_eq!(
        actual.descriptor_set.is_some(),
        expected.descriptor_set.is_some()
    );
}

#[test]
fn visibility_rules() {
    check_inputs(
        &[
            (
                "defs.proto",
                "edition = \"2024\";\npackage d;\nlocal message Hidden {}\nmessage Visible { message Nested {} export message Exported {} }\nlocal enum HiddenEnum { H = 0; }\nexport message Base { extensions 10 to 20; }\nlocal message LocalBase { extensions 10 to 20; }\n",
            ),
            (
                "a.proto",
                "edition = \"2024\";\npackage p;\nimport \"defs.proto\";\nmessage M {\n  d.Hidden a = 1;\n  d.Visible.Nested b = 2;\n  d.Visible.Exported c = 3;\n  d.HiddenEnum e = 4;\n}\nextend d.LocalBase { int32 x = 10; }\nextend d.Base { int32 y = 10; }\nservice S { rpc R(d.Hidden) returns (d.Visible); }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn strict_visibility() {
    reported(
        r#"edition = "2024";
package p;
option features.default_symbol_visibility = STRICT;
message Outer {
  export message Inner {}
  export enum InnerEnum { A = 0; }
}
local message Namespace {
  export enum Allowed { B = 0; }
  reserved 1 to max;
}
"#,
    );
}

#[test]
fn deferred_findings_come_after_the_requested_file() {
    check_inputs(
        &[
            (
                "dep.proto",
                "edition = \"2024\";\npackage d;\noption java_multiple_files = true;\nmessage D {}\n",
            ),
            (
                "unused.proto",
                "edition = \"2024\";\npackage u;\nmessage U {}\n",
            ),
            (
                "a.proto",
                "edition = \"2024\";\npackage p;\nimport \"dep.proto\";\nimport \"unused.proto\";\nmessage M { d.D d = 1; }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn feature_support_declarations() {
    reported(
        r#"edition = "2023";
package p;
import "google/protobuf/descriptor.proto";
enum Mode {
  MODE_UNKNOWN = 0;
  OLD = 1 [feature_support = { edition_introduced: EDITION_PROTO2 }];
  LATE = 2 [feature_support = { edition_removed: EDITION_2026, removal_error: "gone" }];
}
message MyFeatures {
  Mode mode = 1 [
    targets = TARGET_TYPE_FIELD,
    feature_support = { edition_introduced: EDITION_2023, edition_removed: EDITION_2024, removal_error: "x" },
    edition_defaults = { edition: EDITION_LEGACY, value: "MODE_UNKNOWN" }
  ];
  bool flag = 2 [
    targets = TARGET_TYPE_FIELD,
    feature_support = { edition_introduced: EDITION_2023, deprecation_warning: "no" },
    edition_defaults = { edition: EDITION_LEGACY, value: "false" }
  ];
}
extend google.protobuf.FeatureSet { MyFeatures my = 9995; }
"#,
    );
}

#[test]
fn custom_feature_lifetimes() {
    check_inputs(
        &[
            (
                "features.proto",
                r#"edition = "2023";
package f;
import "google/protobuf/descriptor.proto";
message MyFeatures {
  bool old = 1 [
    targets = TARGET_TYPE_FIELD,
    targets = TARGET_TYPE_FILE,
    feature_support = { edition_introduced: EDITION_2023, edition_deprecated: EDITION_2023, deprecation_warning: "old is going away" },
    edition_defaults = { edition: EDITION_LEGACY, value: "false" }
  ];
  bool future = 2 [
    targets = TARGET_TYPE_FIELD,
    feature_support = { edition_introduced: EDITION_2024 },
    edition_defaults = { edition: EDITION_LEGACY, value: "false" }
  ];
}
extend google.protobuf.FeatureSet { MyFeatures my = 9995; }
"#,
            ),
            (
                "a.proto",
                "edition = \"2023\";\npackage p;\nimport \"features.proto\";\noption features.(f.my).old = true;\nmessage M {\n  int32 a = 1 [features.(f.my).old = true];\n  int32 b = 2 [features.(f.my).future = true];\n}\n",
            ),
        ],
        &["a.proto"],
    );
}
