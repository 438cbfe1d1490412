//! Unused imports: what protoc counts as a use.

use super::check_inputs;

#[test]
fn unused_imports_warn() {
    check_inputs(
        &[
            (
                "used.proto",
                "syntax = \"proto3\";\npackage u;\nmessage U {}\n",
            ),
            (
                "unused.proto",
                "syntax = \"proto3\";\npackage v;\nmessage V {}\n",
            ),
            (
                "also_unused.proto",
                "syntax = \"proto3\";\npackage w;\nmessage W {}\n",
            ),
            (
                "pub.proto",
                "syntax = \"proto3\";\npackage x;\nmessage X {}\n",
            ),
            (
                "reexport.proto",
                "syntax = \"proto3\";\npackage y;\nimport public \"pub.proto\";\n",
            ),
            (
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nimport \"used.proto\";\nimport \"unused.proto\";\nimport \"also_unused.proto\";\nimport public \"pub.proto\";\nimport \"reexport.proto\";\nmessage M { u.U u = 1; }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn unused_imports_only_for_inputs() {
    check_inputs(
        &[
            (
                "unused.proto",
                "syntax = \"proto3\";\npackage v;\nmessage V {}\n",
            ),
            (
                "dep.proto",
                "syntax = \"proto3\";\npackage d;\nimport \"unused.proto\";\nmessage D {}\n",
            ),
            (
                "a.proto",
                "syntax = \"proto3\";\npackage p;\nimport \"dep.proto\";\nmessage M { d.D d = 1; }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn imports_used_by_options_and_extendees() {
    check_inputs(
        &[
            (
                "opts.proto",
                "syntax = \"proto3\";\npackage o;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.MessageOptions { int32 tag = 50000; }\n",
            ),
            (
                "base.proto",
                "syntax = \"proto2\";\npackage b;\nmessage Base { extensions 10 to 20; }\n",
            ),
            (
                "svc.proto",
                "syntax = \"proto3\";\npackage s;\nmessage Req {}\n",
            ),
            (
                "a.proto",
                "syntax = \"proto2\";\npackage p;\nimport \"opts.proto\";\nimport \"base.proto\";\nimport \"svc.proto\";\nimport \"google/protobuf/descriptor.proto\";\nmessage M { option (o.tag) = 1; }\nextend b.Base { optional int32 x = 10; }\nservice S { rpc R(s.Req) returns (s.Req); }\n",
            ),
        ],
        &["a.proto"],
    );
}

#[test]
fn descriptor_import_used_by_any_option() {
    check_inputs(
        &[(
            "a.proto",
            "syntax = \"proto3\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\noption java_package = \"x\";\nmessage M {}\n",
        )],
        &["a.proto"],
    );
}

#[test]
fn descriptor_import_unused_without_options() {
    check_inputs(
        &[(
            "a.proto",
            "syntax = \"proto3\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage M {}\n",
        )],
        &["a.proto"],
    );
}

#[test]
fn imports_used_only_inside_aggregate_values() {
    check_inputs(
        &[
            (
                "opt.proto",
                "syntax = \"proto2\";\npackage o;\nimport \"google/protobuf/descriptor.proto\";\nmessage V { extensions 100 to 200; }\nextend google.protobuf.MessageOptions { optional V val = 50000; }\n",
            ),
            (
                "ext.proto",
                "syntax = \"proto2\";\npackage x;\nimport \"opt.proto\";\nextend o.V { optional int32 ext = 100; }\n",
            ),
            (
                "t.proto",
                "syntax = \"proto3\";\npackage t;\nmessage T { int32 x = 1; }\n",
            ),
            (
                "levels.proto",
                "syntax = \"proto2\";\npackage l;\nenum Level { LOW = 0; HIGH = 1; }\n",
            ),
            (
                "lopt.proto",
                "syntax = \"proto2\";\npackage lo;\nimport \"levels.proto\";\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FileOptions { optional l.Level level = 50001; }\n",
            ),
            (
                "any.proto",
                "syntax = \"proto3\";\npackage a;\nimport \"google/protobuf/any.proto\";\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FileOptions { google.protobuf.Any any = 50002; }\n",
            ),
            (
                "a.proto",
                "syntax = \"proto2\";\npackage p;\nimport \"opt.proto\";\nimport \"ext.proto\";\nimport \"t.proto\";\nimport \"levels.proto\";\nimport \"lopt.proto\";\nimport \"any.proto\";\noption (lo.level) = HIGH;\noption (a.any) = { [type.googleapis.com/t.T] { x: 1 } };\nmessage M { option (o.val) = { [x.ext]: 5 }; }\n",
            ),
        ],
        &["a.proto"],
    );
}

/// A file of custom options whose types can carry an enum value marked `debug_redact`.
const REDACTING_OPTIONS: &str = r#"edition = "2024";
package c;
import "google/protobuf/descriptor.proto";
enum Secret {
  SECRET_UNSPECIFIED = 0;
  SECRET_HIDDEN = 1 [debug_redact = true];
}
message A {
  B b = 1;
  Secret e = 2;
}
message B {
  A a = 1;
}
message Plain { int32 x = 1; }
extend google.protobuf.MessageOptions {
  A ext_a = 50100;
  B ext_b = 50101;
  Plain plain = 50102;
}
"#;

#[test]
fn option_imports_of_debug_redact_options() {
    // protoc remembers B as not redacting while it looks at A through B, so the last marker
    // it finds is ext_a.
    let lines = check_inputs(
        &[
            ("cyc.proto", REDACTING_OPTIONS),
            (
                "clean.proto",
                "edition = \"2024\";\npackage cl;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FieldOptions { int32 plain = 50200; }\n",
            ),
            (
                "nested.proto",
                "syntax = \"proto2\";\npackage n;\nimport \"google/protobuf/descriptor.proto\";\nenum Hidden { HIDDEN_UNSPECIFIED = 0; HIDDEN_YES = 1 [debug_redact = true]; }\nmessage Holder {\n  extend google.protobuf.FileOptions {\n    optional group Grp = 50300 { optional Hidden h = 1; }\n  }\n}\n",
            ),
            (
                "a.proto",
                "edition = \"2024\";\npackage u;\nimport option \"clean.proto\";\nimport option \"cyc.proto\";\nimport option \"nested.proto\";\nmessage M {}\n",
            ),
            (
                "b.proto",
                "edition = \"2024\";\npackage u2;\nimport \"cyc.proto\";\nimport option \"nested.proto\";\nmessage M { c.A a = 1; }\n",
            ),
            (
                "c.proto",
                "edition = \"2024\";\npackage u3;\nimport \"cyc.proto\";\nmessage M { c.A a = 1; }\n",
            ),
        ],
        &["a.proto", "b.proto", "c.proto"],
    );
    let errors: Vec<&String> = lines.iter().filter(|l| !l.contains("warning")).collect();
    assert_eq!(errors.len(), 2, "{lines:?}");
    assert!(errors[0].starts_with(
        "a.proto: Option dependency cyc.proto contains a custom option c.ext_a marked debug_redact"
    ));
    assert!(errors[1].starts_with("b.proto: Option dependency nested.proto contains a custom option n.Holder.grp marked debug_redact"));
}
