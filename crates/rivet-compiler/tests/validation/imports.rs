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
