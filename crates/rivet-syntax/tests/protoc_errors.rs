//! Differential tests: for each snippet, Rivet's diagnostics must be exactly the lines the
//! real protoc prints (`file:line:col: message`, warnings included, same order). Every snippet
//! is rejected (or warned about) by protoc's parser, so no descriptor-builder errors appear.

mod common;

use std::sync::Mutex;

use common::{rivet_lines, run_protoc};
use rivet_syntax::parse;

/// Snippets protoc's parser rejects, or accepts with warnings.
const CASES: &[(&str, &[u8])] = &[
    ("bom_bad", b"\xef\xbbsyntax = \"proto2\";\n"),
    ("bom_bad2", b"\xefsyntax = \"proto2\";\n"),
    ("bom_ok", b"\xef\xbb\xbfsyntax = \"proto2\";\nmessage A { x }\n"),
    ("default_bad", b"syntax = \"proto2\";\nmessage A {\n optional int32 a = 1 [default = x];\n optional uint32 b = 2 [default = -1];\n optional bool c = 3 [default = 1];\n optional string d = 4 [default = 1];\n optional bytes e = 5 [default = x];\n optional group G = 6 [default = 1] {}\n optional int32 f = 7 [default = 2147483648];\n optional int64 g = 8 [default = -9223372036854775809];\n optional float h = 9 [default = x];\n optional double i = 10 [default = -inf];\n optional Foo j = 11 [default = ];\n}\n"),
    ("dot_type", b"syntax = \"proto2\";\nmessage A { optional .foo.Bar a = 1; optional .5 b = 2; optional foo..Bar c = 3; }\n"),
    ("edition_bad", b"edition = \"2022\";\n"),
    ("edition_not_utf8", b"edition = \"20\xff\\3772\";\n"),
    ("syntax_not_utf8", b"syntax = \"caf\xe9\";\n"),
    ("reserved_not_utf8", b"syntax = \"proto2\";\nmessage A { reserved \"caf\xe9\", 'x\\377y'; }\nenum E { E0 = 0; reserved \"\xfe\"; }\n"),
    ("stray_bytes", b"syntax = \"proto2\";\nmessage A { \xff optional int32 a = 1 \xfe; }\n\xc3\n"),
    ("edition_proto2", b"edition = \"PROTO2\";\n"),
    ("edition_str_concat", b"edition = \"20\" \"23\";\nmessage A { x }\n"),
    ("empty", b""),
    ("enum_alias_false", b"syntax = \"proto2\";\nenum E { option allow_alias = false; A = 0; }\nmessage M { x }\n"),
    ("enum_alias_ok", b"syntax = \"proto2\";\nenum E { option allow_alias = true; A = 0; B = 0; }\n"),
    ("enum_alias_unused", b"syntax = \"proto2\";\nenum E { option allow_alias = true; A = 0; B = 1; }\n"),
    ("enum_bad", b"syntax = \"proto2\";\nenum E { A; B = ; C = x; D = 1 E = 2; }\n"),
    ("enum_big", b"syntax = \"proto2\";\nenum E { A = 2147483648; B = -2147483649; C = -2147483648; }\n"),
    ("enum_eof", b"syntax = \"proto2\";\nenum E { A = 0;\n"),
    ("enum_noname", b"syntax = \"proto2\";\nenum { A = 0; }\n"),
    ("enum_reserved", b"syntax = \"proto2\";\nenum E { A = 0; reserved -5 to -1, 3 to max; reserved; reserved 1, ; reserved \"x\", y; }\n"),
    ("ext_bad", b"syntax = \"proto2\";\nmessage A { extensions; extensions 1 to; extensions 2147483647; extensions 1 to 2147483647; extensions -1; }\n"),
    ("ext_opts", b"syntax = \"proto2\";\nmessage A { extensions 1 to 5 [foo = 1, bar = 2; extensions 6 [; }\n"),
    ("extend_empty", b"syntax = \"proto2\";\nmessage A { extensions 1 to 10; }\nextend A { }\n"),
    ("extend_empty3", b"syntax = \"proto3\";\nextend A { }\n"),
    ("extend_eof", b"syntax = \"proto2\";\nextend A { optional int32 a = 1;\n"),
    ("extend_scalar", b"syntax = \"proto2\";\nextend int32 { optional int32 a = 1; }\n"),
    ("field_big", b"syntax = \"proto3\";\nmessage A { int32 a = 2147483648; int32 b = 99999999999999999999; }\n"),
    ("field_float", b"syntax = \"proto3\";\nmessage A { int32 a = 1.5; }\n"),
    ("field_neg", b"syntax = \"proto3\";\nmessage A { int32 a = -1; }\n"),
    ("field_noeq", b"syntax = \"proto3\";\nmessage A { int32 a 1; }\n"),
    ("field_nolabel", b"syntax = \"proto2\";\nmessage A { int32 a = 1; }\n"),
    ("field_noname", b"syntax = \"proto3\";\nmessage A { int32 = 1; }\n"),
    ("field_nonum", b"syntax = \"proto3\";\nmessage A { int32 a = ; }\n"),
    ("field_nosemi", b"syntax = \"proto3\";\nmessage A { int32 a = 1 int32 b = 2; }\n"),
    ("field_opts_bad", b"syntax = \"proto2\";\nmessage A { optional int32 a = 1 [; optional int32 b = 2 [foo]; optional int32 c = 3 [foo = 1 bar = 2]; optional int32 d = 4 [default = 1, default = 2]; }\n"),
    ("group_editions", b"edition = \"2023\";\nmessage A { group Foo = 1 {} }\n"),
    ("group_lower", b"syntax = \"proto2\";\nmessage A { optional group foo = 1 { } }\n"),
    ("group_nobody", b"syntax = \"proto2\";\nmessage A { optional group Foo = 1; }\n"),
    ("ident_dot_num", b"syntax = \"proto2\";\nmessage A { optional foo.5 a = 1; }\n"),
    ("import_bad", b"syntax = \"proto2\";\nimport foo;\nimport public;\nimport weak \"x.proto\"\n"),
    ("import_option", b"syntax = \"proto2\";\nimport option \"x.proto\";\n"),
    ("import_option_order", b"edition = \"2024\";\nimport option \"x.proto\";\nimport \"y.proto\";\n"),
    ("import_weak_2024", b"edition = \"2024\";\nimport weak \"y.proto\";\n"),
    ("json_bad", b"syntax = \"proto2\";\nmessage A { optional int32 a = 1 [json_name = x]; optional int32 b = 2 [json_name = \"x\", json_name = \"y\"]; }\n"),
    ("label_editions", b"edition = \"2023\";\nmessage A { optional int32 a = 1; required int32 b = 2; repeated int32 c = 3; }\n"),
    ("label_then_eof", b"syntax = \"proto2\";\nmessage A { optional"),
    ("map_bad", b"syntax = \"proto3\";\nmessage A { map<string int32> m = 1; map<string, int32 n = 2; map<> o = 3; }\n"),
    ("map_entry", b"syntax = \"proto2\";\nmessage A { option map_entry = true; }\nmessage B { x }\n"),
    ("map_entry2", b"syntax = \"proto2\";\nmessage A { optional group G = 1 { option map_entry.x = true; } optional int32 y = 2 }\n"),
    ("map_extend", b"syntax = \"proto2\";\nmessage A { extensions 1 to 10; }\nextend A { map<string,int32> m = 1; }\n"),
    ("map_label", b"syntax = \"proto3\";\nmessage A { repeated map<string,int32> m = 1; }\n"),
    ("map_named", b"syntax = \"proto2\";\nmessage A { optional map m = 1; }\nmessage map {}\n"),
    ("map_oneof", b"syntax = \"proto3\";\nmessage A { oneof o { map<string,int32> m = 1; } }\n"),
    ("method_opts", b"syntax = \"proto2\";\nservice S { rpc F(A) returns (B) { ; option deprecated = ; option x = 1; foo; } }\n"),
    ("msg_eof", b"syntax = \"proto2\";\nmessage A {\n  optional int32 a = 1;\n"),
    ("msg_nobrace", b"syntax = \"proto2\";\nmessage A ;\n"),
    ("msg_noname", b"syntax = \"proto2\";\nmessage {}\n"),
    ("no_syntax", b"message A { x }\n"),
    ("no_syntax_semis", b";;\nmessage A { ;; optional int32 a = 1;; }\n"),
    ("oneof_badopt", b"syntax = \"proto2\";\nmessage A { oneof o { option = 1; int32 a = 1; } int32 b = 2; }\nmessage B { x }\n"),
    ("oneof_empty", b"syntax = \"proto2\";\nmessage A { oneof o { } }\n"),
    ("oneof_eof", b"syntax = \"proto2\";\nmessage A { oneof o { int32 a = 1;\n"),
    ("oneof_label", b"syntax = \"proto2\";\nmessage A { oneof o { optional int32 a = 1; } }\n"),
    ("oneof_noname", b"syntax = \"proto2\";\nmessage A { oneof { } }\n"),
    ("only_comment", b"// hi\n"),
    ("option_agg_eof", b"syntax = \"proto2\";\noption foo = { a: { b: 1 }\n"),
    ("option_bad", b"syntax = \"proto2\";\noption = 1;\noption foo;\noption foo = ;\noption (foo = 1;\noption (.foo.) = 1;\noption foo. = 1;\noption foo = -bar;\noption foo = -\"x\";\noption foo = {;\n"),
    ("option_eof", b"syntax = \"proto2\";\noption foo ="),
    ("option_int_range", b"syntax = \"proto2\";\noption a = 0x10000000000000000;\noption b = 077777777777777777777777;\n"),
    ("package_bad", b"syntax = \"proto2\";\npackage ;\npackage a.;\npackage a.b\n"),
    ("package_multi", b"syntax = \"proto2\";\npackage a;\npackage b;\n"),
    ("recursion", b"syntax = \"proto2\";\nmessage M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {message M {}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}\nmessage N { x }\n"),
    ("reserved_bad", b"syntax = \"proto2\";\nmessage A { reserved; reserved 1, ; reserved foo; reserved \"a\", 2; reserved 1 to; reserved 2147483647; }\n"),
    ("reserved_ed", b"edition = \"2023\";\nmessage A { reserved \"foo\"; reserved foo, \"bar\"; reserved foo, bar; }\n"),
    ("reserved_warn", b"syntax = \"proto2\";\nmessage A { reserved \"a b\", \"1x\", \"ok\"; }\nenum E { Z = 0; reserved \"c d\"; }\n"),
    ("service_bad", b"syntax = \"proto2\";\nservice S { foo; rpc; rpc F; rpc G(; rpc H(A) ; rpc I(A) returns; rpc J(A) returns (B) }\n"),
    ("service_eof", b"syntax = \"proto2\";\nservice S { rpc F(A) returns (B) {\n"),
    ("service_eof2", b"syntax = \"proto2\";\nservice S { rpc F(A) returns (B);\n"),
    ("service_stream", b"syntax = \"proto2\";\nservice S { rpc F(stream) returns (stream stream); rpc G(int32) returns (.a.b.); }\n"),
    ("string_concat_syntax", b"syntax = \"pro\" \"to2\";\nmessage A { x }\n"),
    ("syntax_after", b"syntax = \"proto2\";\nsyntax = \"proto2\";\n"),
    ("syntax_bad", b"syntax = \"proto4\";\nmessage A {}\n"),
    ("syntax_noeq", b"syntax \"proto2\";\n"),
    ("syntax_nosemi", b"syntax = \"proto2\"\nmessage A {}\n"),
    ("syntax_nostr", b"syntax = proto2;\n"),
    ("syntax_single", b"syntax = 'proto3';\nmessage A { x }\n"),
    ("tok_control", b"syntax = \"proto2\";\n\x01\x02message A {}\x7f\n"),
    ("tok_cr", b"syntax = \"proto2\";\r\nmessage A {\r\n  x\r\n}\r\n"),
    ("tok_eof_comment", b"syntax = \"proto2\";\nmessage A {}\n/* abc\n  def"),
    ("tok_eof_escape", b"syntax = \"proto2\";\noption a = \"abc\\"),
    ("tok_eof_string", b"syntax = \"proto2\";\noption a = \"abc"),
    ("tok_float", b"syntax = \"proto2\";\noption a = 1.;\noption b = .5;\noption c = 1e5;\noption d = 1.5e-3;\noption e = 5f;\noption f = foo.5;\noption g = 1E+2;\n"),
    ("tok_nested_comment", b"syntax = \"proto2\";\n/* a /* b */ message A {}\n/*/ x */\n"),
    ("tok_nonascii", b"syntax = \"proto2\";\nmessage A { optional int32 \xc3\xa9 = 1; }\n"),
    ("tok_nul", b"syntax = \"proto2\";\nmessage A {}\x00\x00 message B {}\n"),
    ("tok_nul_comment", b"syntax = \"proto2\";\n// abc\x00def\n/* x\x00y */ message A {}\n"),
    ("tok_nul_str", b"syntax = \"proto2\";\noption a = \"ab\x00cd\";\n"),
    ("tok_octal", b"syntax = \"proto2\";\nmessage A { optional int32 a = 09; optional int32 b = 0x; optional int32 c = 1e; optional int32 d = 1.2.3; optional int32 e = 0x1.5; optional int32 f = 1x; }\n"),
    ("tok_slash", b"syntax = \"proto2\";\nmessage A {} / message B {}\n"),
    ("tok_slash2", b"syntax = \"proto2\";\nmessage A { optional int32 a = 1; /\n}\n"),
    ("tok_string", b"syntax = \"proto2\";\noption a = \"\\q\";\noption b = \"\\x\";\noption c = \"\\u12\";\noption d = \"\\U00110000\";\noption e = \"\\U0020ffff\";\noption f = 'abc\\'\"';\noption g = \"abc\n\";\n"),
    ("tok_tabs", b"syntax = \"proto2\";\n\tmessage\tA\t{\t\tfoo\t}\n"),
    ("toplevel", b"syntax = \"proto2\";\nfoo bar;\nmessage A {}\n}\n"),
    ("unmatched", b"syntax = \"proto2\";\n}\nmessage A {}\n"),
    ("unstable", b"edition = \"UNSTABLE\";\nmessage A { sint32 a = 1; varint32 b = 2; fixed64 c = 3; uint32 d = 4 [default = -1]; }\n"),
    ("vis_2023", b"edition = \"2023\";\nmessage A { export message B {} }\nexport enum E { X = 0; }\n"),
    ("vis_2024", b"edition = \"2024\";\nexport message A { local enum E { X = 0; } export int32 x = 1; }\nlocal service S {}\nexport extend A {}\n"),
    ("agg_unterminated", b"syntax = \"proto2\";\noption (a) = { a: { b: 1 } ;\nmessage M {}\n"),
    ("agg_bad_tokens", b"syntax = \"proto2\";\noption (a) = { a: 09 b: \"\\q\" c: 1x };\n"),
    ("agg_in_field", b"syntax = \"proto2\";\nmessage M { optional int32 a = 1 [(x) = { y: 1 }, (z) = ]; }\n"),
    ("neg_ident", b"syntax = \"proto2\";\nmessage M { optional int32 a = 1 [(x) = -foo]; }\nenum E { A = 0 [(x) = -inf]; B = 1 [(y) = - ]; }\n"),
    ("deep_groups", b"syntax = \"proto2\";\nmessage M {\n"),
    ("tabs_in_errors", b"syntax = \"proto2\";\n\t\tmessage\t\tA {\n\t x\t= 1;\n}\n"),
    ("unicode_cols", b"syntax = \"proto2\";\n// \xc3\xa9\xc3\xa9\nmessage A { optional string s = 1 [default = \"\xc3\xa9\xc3\xa9\"] x }\n"),
    ("comment_slash", b"syntax = \"proto2\";\nmessage A {} /\n/ message B {}\n"),
    ("import_public_weak", b"syntax = \"proto3\";\nimport public weak \"a.proto\";\n"),
    ("rpc_stream_twice", b"syntax = \"proto3\";\nservice S { rpc F (stream stream M) returns (M); }\n"),
    ("option_name_parts", b"syntax = \"proto3\";\noption (a).b.(c.d).e = 1;\noption (a)..b = 1;\noption a.(b = 1;\noption () = 1;\n"),
    ("enum_value_opts", b"syntax = \"proto3\";\nenum E { A = 0 [; B = 1 [x = 1 y = 2]; C = 2 [x = 1,]; }\n"),
    ("extend_in_message_errors", b"syntax = \"proto2\";\nmessage M { extend { } extend A { optional int32 x; } }\n"),
    ("partial_options_validated", b"syntax = \"proto2\";\nenum E { option allow_alias = ; A = 0; }\nenum F { option allow_alias = true; A2 = 1; B2 x; }\nmessage M { option (map_entry = 1; }\nmessage N { option map_entry = ; }\nmessage O {}\n"),
    ("partial_enum_values_validated", b"syntax = \"proto2\";\nenum E { option allow_alias = true; A \xff = 0; B ! = 0; }\nenum F { option allow_alias = true; X = 1; Y = 99999999999; Z = 0; }\n"),
    ("package_cleared_after_error", b"syntax = \"proto2\";\npackage a;\npackage ;\npackage ;\npackage b;\npackage c.;\npackage d;\n"),
    ("message_field_keywords", b"syntax = \"proto3\";\nmessage M { reserved r = 1; extensions e = 2; oneof = 3; }\n"),
];

/// Valid snippets: protoc accepts them and Rivet reports nothing.
const VALID: &[(&str, &[u8])] = &[
    ("empty", b""),
    ("bom", b"\xef\xbb\xbfsyntax = \"proto3\";\n"),
    ("only_comments", b"// a\n/* b */\n"),
    ("escapes", b"syntax = \"proto2\";\nmessage M { optional string s = 1 [default = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\?\\'\\\"\\0\\12\\101\\x4\\x41\\u00e9\\U0001F600\"]; optional bytes b = 2 [default = '\\xff\\377']; }\n"),
    ("numbers", b"syntax = \"proto2\";\nmessage M {\n optional double a = 1 [default = 1.];\n optional double b = 2 [default = .5];\n optional double c = 3 [default = 1e5];\n optional double d = 4 [default = -1.5E-3];\n optional double e = 5 [default = 0x10];\n optional double f = 6 [default = 010];\n optional float g = 7 [default = -inf];\n optional float h = 8 [default = nan];\n optional uint64 i = 9 [default = 18446744073709551615];\n optional int64 j = 10 [default = -9223372036854775808];\n optional sint32 k = 11 [default = -0x80000000];\n}\n"),
    ("all_labels", b"syntax = \"proto2\";\nmessage M { required int32 a = 1; optional int32 b = 2; repeated int32 c = 3 [packed = true]; }\n"),
    ("proto3_optional", b"syntax = \"proto3\";\nmessage M { optional int32 a = 1; int32 b = 2; repeated M c = 3; map<int32, M> d = 4; }\n"),
    ("editions", b"edition = \"2023\";\noption features.field_presence = IMPLICIT;\nmessage M { int32 a = 1 [features.field_presence = EXPLICIT]; reserved foo, bar; }\nenum E { A = 0; reserved baz; }\n"),
    ("edition_2024", b"edition = \"2024\";\nexport message M { local message N {} export enum E { A = 0; } }\nlocal enum F { B = 0; }\n"),
    ("options_everywhere", b"syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\noption java_package = \"a\" \"b\";\noption optimize_for = SPEED;\nmessage M {\n  option deprecated = true;\n  optional int32 a = 1 [deprecated = true, json_name = \"A\"];\n  extensions 10 to max [declaration = { number: 10 full_name: \".x\" type: \"int32\" }, verification = DECLARATION];\n  oneof o { option (oo) = -5; int32 b = 2; }\n}\nenum E { option deprecated = true; A = 0 [deprecated = true]; }\nservice S { option deprecated = true; rpc F (M) returns (M) { option deprecated = true; option idempotency_level = NO_SIDE_EFFECTS; }; }\nextend google.protobuf.OneofOptions { optional int32 oo = 5000; }\n"),
    ("aggregates", b"syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nmessage O { optional int32 a = 1; repeated O b = 2; optional string c = 3; optional double d = 4; repeated int32 e = 5; extensions 100 to 200; }\nextend O { optional int32 x = 100; }\nextend google.protobuf.FileOptions { optional O o = 5000; optional O o2 = 5001; }\noption (o) = { a: 1, b { a: 2 } b < a: 3 >; b: [{a: 4}, <a: 5>] c: 'x' \"y\" d: -inf e: [1, -2] [x]: 7 };\noption (o2) = -{ d: -1.5e3 };\n"),
    ("groups", b"syntax = \"proto2\";\nmessage M { optional group G = 1 { optional group H = 2 { required int32 x = 3; } } repeated group R = 4 {} oneof o { group OG = 5 {} } extensions 100 to 200; }\nextend M { optional group X = 100 {} }\nmessage N { extensions 100; }\n"),
    ("reserved_forms", b"syntax = \"proto2\";\nmessage M { reserved 1, 2 to 5, 10 to max; reserved \"a\", 'b'; }\nenum E { A = 0; reserved -10 to -5, 100 to max, 7; reserved \"C\"; }\n"),
    ("empty_statements", b"syntax = \"proto3\";;\n;\nmessage M { ; }\nenum E { A = 0; ; }\nservice S { ; rpc F (M) returns (M) { ; } }\n"),
    ("keywords_as_names", b"syntax = \"proto3\";\nmessage message { int32 message = 1; int32 syntax = 2; int32 option = 3; int32 import = 4; int32 to = 5; int32 max = 6; }\nmessage stream {}\nenum enum { enum_ = 0; option = 1; }\nservice service { rpc rpc (message) returns (.stream); }\n"),
    ("map_named_type", b"syntax = \"proto2\";\nmessage map { optional map map = 1; }\n"),
    ("crlf", b"syntax = \"proto3\";\r\nmessage M {\r\n  int32 a = 1;\r\n}\r\n"),
];

fn compare(name: &str, source: &[u8], dir: &std::path::Path) -> Result<(), String> {
    let file = format!("{name}.proto");
    let (ok, expected) = run_protoc(dir, &file, source, &["-o/dev/null"]);
    let parsed = parse(source);
    let actual = rivet_lines(&file, source, &parsed);
    if actual != expected {
        return Err(format!(
            "{name}:\n  protoc: {expected:#?}\n  rivet:  {actual:#?}\n  source: {:?}",
            String::from_utf8_lossy(source)
        ));
    }
    if ok == parsed.has_errors() {
        return Err(format!(
            "{name}: protoc ok={ok}, rivet errors={}",
            parsed.has_errors()
        ));
    }
    Ok(())
}

/// Runs `compare` over `cases` on two threads; returns the failures.
fn run_all(cases: &'static [(&'static str, &'static [u8])]) -> Vec<String> {
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(dir.path().join("a.proto"), "syntax = \"proto3\";\n").unwrap();
                loop {
                    let i = {
                        let mut next = next.lock().unwrap();
                        *next += 1;
                        *next - 1
                    };
                    let Some(&(name, source)) = cases.get(i) else {
                        break;
                    };
                    if let Err(e) = compare(name, source, dir.path()) {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

#[test]
fn invalid_snippets_match_protoc() {
    let failures = run_all(CASES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_snippets_match_protoc() {
    let failures = run_all(VALID);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nesting_limits_match_protoc() {
    let dir = tempfile::tempdir().unwrap();
    // 32 nested messages are too many for protoc's parser.
    for depth in [31, 32, 40] {
        let source = format!(
            "syntax = \"proto2\";\n{}{}\nmessage After {{ x }}\n",
            "message M {".repeat(depth),
            "}".repeat(depth)
        );
        let name = format!("nest{depth}");
        compare(&name, source.as_bytes(), dir.path()).unwrap();
    }
}
