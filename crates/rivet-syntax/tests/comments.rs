//! Comment attribution against protoc: every comment protoc puts in `SourceCodeInfo` must be on
//! the AST node with the same span, with the same text, and vice versa.

mod common;

use common::{Location, protoc_span, run_protoc, source_code_info};
use rivet_syntax::ast::*;
use rivet_syntax::{LineIndex, parse};

/// (span, leading, trailing, detached) for every declaration with comments.
fn collect(file: &File, index: &LineIndex) -> Vec<Location> {
    let mut out = Vec::new();
    let mut add = |span: Span, comments: &Comments| {
        if comments.is_empty() {
            return;
        }
        out.push(Location {
            path: Vec::new(),
            span: protoc_span(index, span.start, span.end),
            leading: comments.leading.clone(),
            trailing: comments.trailing.clone(),
            detached: comments.leading_detached.clone(),
        });
    };
    if let Some(syntax) = &file.syntax {
        add(syntax.span, &syntax.comments);
    }
    for item in &file.items {
        match item {
            FileItem::Package(p) => add(p.span, &p.comments),
            FileItem::Import(i) => add(i.span, &i.comments),
            FileItem::Option(o) => add(o.span, &o.comments),
            FileItem::Message(m) => message(m, &mut add),
            FileItem::Enum(e) => enumeration(e, &mut add),
            FileItem::Service(s) => {
                add(s.span, &s.comments);
                for item in &s.items {
                    match item {
                        ServiceItem::Method(m) => {
                            add(m.span, &m.comments);
                            for o in &m.options {
                                add(o.span, &o.comments);
                            }
                        }
                        ServiceItem::Option(o) => add(o.span, &o.comments),
                        ServiceItem::Empty(_) => {}
                    }
                }
            }
            FileItem::Extend(e) => extend(e, &mut add),
            FileItem::Empty(_) => {}
        }
    }
    out.sort();
    out
}

fn field(f: &Field, add: &mut impl FnMut(Span, &Comments)) {
    add(f.span, &f.comments);
    if let Some(body) = &f.group_body {
        body_items(body, add);
    }
}

fn extend(e: &Extend, add: &mut impl FnMut(Span, &Comments)) {
    add(e.span, &e.comments);
    for f in &e.fields {
        field(f, add);
    }
}

fn message(m: &Message, add: &mut impl FnMut(Span, &Comments)) {
    add(m.span, &m.comments);
    body_items(&m.body, add);
}

fn body_items(body: &MessageBody, add: &mut impl FnMut(Span, &Comments)) {
    for item in &body.items {
        match item {
            MessageItem::Field(f) => field(f, add),
            MessageItem::Oneof(o) => {
                add(o.span, &o.comments);
                for item in &o.items {
                    match item {
                        OneofItem::Field(f) => field(f, add),
                        OneofItem::Option(opt) => add(opt.span, &opt.comments),
                        OneofItem::Empty(_) => {}
                    }
                }
            }
            MessageItem::Message(m) => message(m, add),
            MessageItem::Enum(e) => enumeration(e, add),
            MessageItem::Extend(e) => extend(e, add),
            MessageItem::ExtensionRange(r) => add(r.span, &r.comments),
            MessageItem::Reserved(r) => add(r.span, &r.comments),
            MessageItem::Option(o) => add(o.span, &o.comments),
            MessageItem::Empty(_) => {}
        }
    }
}

fn enumeration(e: &Enum, add: &mut impl FnMut(Span, &Comments)) {
    add(e.span, &e.comments);
    for item in &e.items {
        match item {
            EnumItem::Value(v) => add(v.span, &v.comments),
            EnumItem::Option(o) => add(o.span, &o.comments),
            EnumItem::Reserved(r) => add(r.span, &r.comments),
            EnumItem::Empty(_) => {}
        }
    }
}

/// protoc's `SourceCodeInfo` for `source` (compiled as `name` in `dir`).
fn protoc_locations(dir: &std::path::Path, name: &str, source: &[u8]) -> Vec<Location> {
    let (ok, lines) = run_protoc(dir, name, source, &["--include_source_info", "-oout.pb"]);
    assert!(ok, "protoc failed: {lines:?}");
    let encoded = std::fs::read(dir.join("out.pb")).unwrap();
    source_code_info(&encoded)
}

/// Compiles `source` with protoc and compares the comments.
fn check(source: &str) -> usize {
    let dir = tempfile::tempdir().unwrap();
    check_in(dir.path(), "c.proto", source.as_bytes())
}

/// Compares the comments of `source` (compiled as `name` in `dir`); returns how many
/// declarations have comments.
fn check_in(dir: &std::path::Path, name: &str, source: &[u8]) -> usize {
    let locations = protoc_locations(dir, name, source);
    let mut expected: Vec<Location> = locations
        .into_iter()
        .filter(|l| l.leading.is_some() || l.trailing.is_some() || !l.detached.is_empty())
        .map(|l| Location {
            path: Vec::new(),
            ..l
        })
        .collect();
    expected.sort();

    let parsed = parse(source);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let actual = collect(&parsed.file, &LineIndex::new(source));
    assert_eq!(
        actual,
        expected,
        "source:\n{}",
        String::from_utf8_lossy(source)
    );
    expected.len()
}

const DEPS: &str = "import \"google/protobuf/descriptor.proto\";\n";

#[test]
fn rich_file() {
    let commented = check(&format!(
        r#"// detached 1

// leading syntax
syntax = "proto2"; // trailing syntax
// leading package?

/* detached block
 * line 2
 */
package foo; /* trailing pkg */ // not?
// leading import
{DEPS}
// leading msg
message M {{ // trailing M
  // leading a
  optional int32 a = 1; // trailing a
  // trailing a 2?

  // det
  optional int32 b = 2;
  /** doc
   *  more
   */
  optional int32 c = 3;
  /* x */ optional int32 d = 4; /* y */ optional int32 e = 5;
  // group lead
  optional group G = 6 {{ // group trail
    // inner
    optional int32 x = 1;
  }}
  // oneof lead
  oneof o {{ // oneof trail
    // o field
    int32 f = 7;
    // o opt
    option (oo) = 1;
  }}
  // ext range
  extensions 100 to 200; // ext trail
  // reserved
  reserved 10 to 20; // res trail
  reserved "zz"; // res2 trail
  // nested enum
  enum Inner {{ Z = 0; }} // after enum
  // nested extend
  extend M {{
    // ext field
    optional int32 ext = 101;
  }}
  // map
  map<string, int32> mp = 8;
  // option
  option deprecated = false;
  // before close
}} // after close
// leading E
enum E {{
  // v0
  V0 = 0; // v0 trail
  V1 = 1 [deprecated = true];

  // detached in enum

  // v2
  V2 = 2;
  reserved 5; // enum res
  option allow_alias = true;
  V3 = 2;
}}
// service
service S {{ // s trail
  // rpc
  rpc A (M) returns (M); // a trail
  // rpc b
  rpc B (stream M) returns (stream M) {{ // b trail
    // b opt
    option deprecated = true; // b opt trail
  }}
  // s opt
  option deprecated = true;
}}
// top extend
extend google.protobuf.FileOptions {{ // extend trail
  // ext1
  optional int32 o1 = 50000; // ext1 trail
}}
extend google.protobuf.OneofOptions {{ optional int32 oo = 50001; }}
// file option
option (o1) = 5; // opt trail
// trailing at eof
"#
    ));
    assert!(commented >= 30, "{commented}");
}

/// The well-known type files shipped with protoc are richly commented.
#[test]
fn well_known_types() {
    let (_, include) = common::protoc();
    let root = include.join("google/protobuf");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .collect();
    files.push(root.join("compiler/plugin.proto"));
    files.sort();
    assert!(files.len() >= 10);
    let mut total = 0;
    for path in files {
        let source = std::fs::read(&path).unwrap();
        let name = path.strip_prefix(&include).unwrap().to_str().unwrap();
        // Compile the file in place, through the include path.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.pb");
        let (bin, _) = common::protoc();
        let status = std::process::Command::new(bin)
            .arg(format!("-I{}", include.display()))
            .arg("--include_source_info")
            .arg(format!("-o{}", out.display()))
            .arg(name)
            .status()
            .unwrap();
        assert!(status.success(), "{name}");
        let mut expected: Vec<Location> = source_code_info(&std::fs::read(&out).unwrap())
            .into_iter()
            .filter(|l| l.leading.is_some() || l.trailing.is_some() || !l.detached.is_empty())
            .map(|l| Location {
                path: Vec::new(),
                ..l
            })
            .collect();
        expected.sort();
        let parsed = parse(&source);
        assert!(!parsed.has_errors(), "{name}: {:?}", parsed.diagnostics);
        let actual = collect(&parsed.file, &LineIndex::new(&source));
        assert_eq!(actual, expected, "{name}");
        total += expected.len();
    }
    assert!(total > 300, "{total}");
}

#[test]
fn blank_line_and_block_rules() {
    check(
        "syntax = \"proto3\";\n\n// a\n\n// b\n// c\n\nmessage A {}\n// d\n\n/* e */\nmessage B {}\n",
    );
    check("syntax = \"proto3\";\n/**/\n\nmessage A {}\n/**/ message B {}\n");
    check("syntax = \"proto3\";\nmessage A {} // t\n// l\nmessage B {}\n");
    check("syntax = \"proto3\";\nmessage A {}\n// 1\n/* 2 */\n// 3\nmessage B {}\n");
    check("syntax = \"proto3\"; /* same line */ message A {}\n");
    check("syntax = \"proto3\"; /* a\n b */ message A {}\n");
    check(
        "syntax = \"proto3\";\nmessage A {\n  int32 x = 1; // t1\n  // t2? no: leading of y\n  int32 y = 2;\n}\n",
    );
    check(
        "syntax = \"proto3\";\nmessage A {\n  int32 x = 1;\n  // dangling before close\n}\n// after\n",
    );
    check("syntax = \"proto3\";\nmessage A { // t\n}\n");
    check("syntax = \"proto3\";\nmessage A {\n\n  // x\n\n}\n");
    check("syntax = \"proto3\";\n//a\n//b\n\n\n//c\nmessage A {}\n");
    check("syntax = \"proto3\";\n\t// tab\n  /*   spaced\n     *  star\n   **/\nmessage A {}\n");
    check("syntax = \"proto3\";\nmessage A {}; // after semi\n// lead\nmessage B {}\n");
    check("syntax = \"proto3\";\nmessage A { int32 x = 1; } /* t */ /* u */\nmessage B {}\n");
    check("// only detached\n\nsyntax = \"proto3\";\n");
    check("syntax = \"proto3\";\n// no newline at end");
    check(
        "syntax = \"proto3\";\nmessage A {\n  reserved 1; // r\n  ;; // empty\n  // lead\n  int32 x = 2;\n}\n",
    );
    check(
        "syntax = \"proto3\";\r\n// crlf\r\nmessage A { // t\r\n  /* b\r\n   * c\r\n   */\r\n  int32 x = 1;\r\n}\r\n",
    );
    check("syntax = \"proto3\";\n// caf\u{e9} \u{1F600}\nmessage A {}\n");
    // Bytes that are not UTF-8 (Latin-1, a cut sequence) are kept as they are.
    let dir = tempfile::tempdir().unwrap();
    check_in(
        dir.path(),
        "latin1.proto",
        b"syntax = \"proto3\";\n// caf\xe9\n\n/* \xff\xfe\n * \xe2\x82 */\nmessage A { // \x80\n}\n",
    );
    check(
        "syntax = \"proto3\";\nmessage A {\n  int32 x = 1; /* a */ /* b */\n  /* c */ int32 y = 2;\n  int32 z = 3; // d\n  /* e */ // f\n  int32 w = 4;\n}\n",
    );
}

#[test]
fn editions_and_imports() {
    check(
        "// e\nedition = \"2024\"; // t\n\n// imp\nimport option \"google/protobuf/descriptor.proto\"; // it\n// m\nexport message M {} // x\n// en\nlocal enum E { A = 0; }\n",
    );
}
