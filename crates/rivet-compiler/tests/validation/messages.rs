//! Oneofs, maps, field options (`packed`, `lazy`, `jstype`, `ctype`), lite files and extension declarations.

use super::{check, check_inputs, reported};

#[test]
fn oneof_name_conflicts() {
    reported(
        r#"syntax = "proto3";
message A {
  oneof o { int32 x = 1; }
  int32 o = 2;
}
message B {
  oneof choice { int32 a = 1; }
  oneof choice { int32 b = 2; }
}
"#,
    );
}

#[test]
fn map_key_and_value_rules() {
    reported(
        r#"syntax = "proto3";
enum E { E0 = 0; }
message V {}
message M {
  map<float, int32> a = 1;
  map<double, int32> b = 2;
  map<bytes, int32> c = 3;
  map<E, int32> d = 4;
  map<bool, E> e = 5;
  map<int32, V> f = 6;
}
"#,
    );
}

#[test]
fn map_entry_name_conflicts() {
    reported(
        r#"syntax = "proto3";
message A {
  map<string, string> foo = 1;
  message FooEntry {}
}
"#,
    );
}

#[test]
fn map_entry_used_as_field_type() {
    reported(
        r#"syntax = "proto3";
message A {
  map<string, string> foo = 1;
  repeated FooEntry bar = 2;
}
message FooEntry {}
message B {
  repeated A.FooEntry x = 1;
}
"#,
    );
}

#[test]
fn explicit_map_entry_option() {
    reported(
        r#"syntax = "proto2";
message A {
  message FooEntry {
    option map_entry = true;
    optional string key = 1;
    optional string value = 2;
    optional string extra = 3;
  }
  repeated FooEntry foo = 1;
}
"#,
    );
}

#[test]
fn packed_lazy_and_jstype_rules() {
    reported(
        r#"syntax = "proto2";
message Sub {}
message M {
  repeated string s = 1 [packed = true];
  optional int32 i = 2 [packed = true];
  repeated int32 ok = 3 [packed = true];
  optional int32 l = 4 [lazy = true];
  optional Sub ok_lazy = 5 [lazy = true];
  optional int32 j = 6 [jstype = JS_STRING];
  optional int64 ok_j = 7 [jstype = JS_NUMBER];
  optional string n = 8 [jstype = JS_NORMAL];
  optional int32 u = 9 [unverified_lazy = true];
  extensions 100 to 200;
}
extend M { optional Sub x = 100 [unverified_lazy = true]; }
"#,
    );
}

#[test]
fn ctype_in_edition_2024() {
    reported(
        "edition = \"2024\";\nmessage M {\n  string s = 1 [ctype = CORD];\n  string t = 2;\n}\n",
    );
}

#[test]
fn lite_rules() {
    check_inputs(
        &[
            (
                "lite.proto",
                "syntax = \"proto2\";\npackage p;\noption optimize_for = LITE_RUNTIME;\nmessage L { extensions 10 to 20; }\n",
            ),
            (
                "full.proto",
                "syntax = \"proto2\";\npackage p;\nmessage F { extensions 10 to 20; }\n",
            ),
            (
                "a.proto",
                "syntax = \"proto2\";\npackage q;\nimport \"lite.proto\";\nimport \"full.proto\";\nmessage M { optional p.L l = 1; optional p.F f = 2; }\n",
            ),
            (
                "b.proto",
                "syntax = \"proto2\";\npackage r;\noption optimize_for = LITE_RUNTIME;\noption cc_generic_services = true;\nimport \"full.proto\";\nextend p.F { optional int32 x = 10; }\nservice S {}\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn lite_extensions_and_services() {
    check_inputs(
        &[
            (
                "full.proto",
                "syntax = \"proto2\";\npackage p;\nmessage F { extensions 10 to 20; }\n",
            ),
            (
                "b.proto",
                "syntax = \"proto2\";\npackage r;\noption optimize_for = LITE_RUNTIME;\noption cc_generic_services = true;\nimport \"full.proto\";\nextend p.F { optional int32 x = 10; }\nservice S {}\n",
            ),
        ],
        &["b.proto"],
    );
}

#[test]
fn extension_declarations_are_validated() {
    reported(
        r#"syntax = "proto2";
package p;
message A {
  extensions 100 to 200 [
    declaration = { number: 100, full_name: ".p.a", type: "int32" },
    declaration = { number: 100, full_name: ".p.b", type: "int32" },
    declaration = { number: 250, full_name: ".p.c", type: "int32" },
    declaration = { number: 101, full_name: "no_dot", type: "Foo" },
    declaration = { number: 102, full_name: ".p.d" },
    declaration = { number: 103, reserved: true }
  ];
}
"#,
    );
}

#[test]
fn extension_declarations_unverified() {
    reported(
        r#"syntax = "proto2";
message A {
  extensions 100 to 200 [
    declaration = { number: 100, full_name: ".a", type: "int32" },
    verification = UNVERIFIED
  ];
}
"#,
    );
}

#[test]
fn extensions_must_match_declarations() {
    reported(
        r#"syntax = "proto2";
package p;
message Sub {}
message A {
  extensions 100 to 110 [
    declaration = { number: 100, full_name: ".p.good", type: "int32" },
    declaration = { number: 101, full_name: ".p.named", type: "int32" },
    declaration = { number: 102, full_name: ".p.typed", type: ".p.Sub" },
    declaration = { number: 103, reserved: true },
    declaration = { number: 104, full_name: ".p.rep", type: "string", repeated: true }
  ];
  extensions 200 to 210 [verification = DECLARATION];
}
extend A {
  optional int32 good = 100;
  optional int32 wrong_name = 101;
  optional string typed = 102;
  optional int32 on_reserved = 103;
  optional string rep = 104;
  optional int32 undeclared = 105;
  optional int32 unverified = 200;
}
"#,
    );
}

#[test]
fn map_entry_conflicts_after_other_errors() {
    reported(
        r#"syntax = "proto3";
message M {
  map<string, int32> foo = 1;
  enum FooEntry { A = 0; }
}
message N {
  map<string, int32> bar = 1;
  int32 BarEntry = 2;
}
"#,
    );
}

/// protoc's parser does not count groups against its nesting limit: groups nested thousands
/// deep parse (as long as protoc's stack lasts), and its descriptor builder then reports the
/// nesting and the types it did not build. Errors inside the deep part are reported too.
#[test]
fn groups_nested_deeper_than_the_builder_goes() {
    for depth in [70, 3_000] {
        let mut source = String::from("syntax = \"proto2\";\nmessage M {\n");
        for i in 0..depth {
            source.push_str(&format!("optional group G{i} = 1 {{\n"));
            if i % 500 == 400 {
                // A default protoc's parser refuses, deep inside.
                source.push_str("optional int32 m = 2 [default = \"s\"];\n");
            }
        }
        source.push_str(&"}\n".repeat(depth));
        source.push_str("optional Missing tail = 3;\n}\n");
        let lines = reported(&source);
        if depth > 400 {
            // The parser's errors, deep inside.
            assert!(
                lines.iter().any(|line| line.starts_with("a.proto:404:")),
                "{lines:?}"
            );
        } else {
            assert_eq!(
                lines[0],
                "a.proto: Reached maximum recursion limit for nested messages."
            );
        }
    }
    // Within the builder's limit, everything is built.
    check("syntax = \"proto2\";\nmessage M { optional group G = 1 { optional group H = 2 {} } }\n");
}
