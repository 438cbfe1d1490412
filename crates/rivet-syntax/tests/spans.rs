//! Spans against protoc: every span the AST gives a declaration or one of its parts must be
//! the span of some `SourceCodeInfo` location protoc writes for the same file.

mod common;

use std::collections::BTreeSet;

use common::{protoc_span, run_protoc, source_code_info};
use rivet_syntax::ast::*;
use rivet_syntax::{LineIndex, parse};

#[derive(Default)]
struct Spans(Vec<(Span, &'static str)>);

impl Spans {
    fn add(&mut self, span: Span, what: &'static str) {
        self.0.push((span, what));
    }

    fn name(&mut self, ident: &Ident) {
        self.add(ident.span, "name");
    }

    fn compact(&mut self, options: &Option<CompactOptions>) {
        let Some(options) = options else { return };
        self.add(options.span, "[options]");
        for option in &options.options {
            let is_default = matches!(
                option.name.parts.as_slice(),
                [OptionNamePart::Simple(ident)] if ident.name == "default"
            );
            if is_default {
                self.add(option.value.span(), "default value");
            } else {
                self.add(option.span, "compact option");
            }
        }
    }

    fn range(&mut self, range: &Range) {
        self.add(range.span, "range");
        self.add(range.start.span, "range start");
        match range.end {
            Some(RangeEnd::Int(end)) => self.add(end.span, "range end"),
            Some(RangeEnd::Max(span)) => self.add(span, "range max"),
            None => {}
        }
    }

    fn field(&mut self, field: &Field) {
        self.add(field.span, "field");
        self.name(&field.name);
        self.add(field.number.span, "field number");
        if let Some((_, span)) = field.label {
            self.add(span, "label");
        }
        match &field.ty {
            FieldType::Group(_) => {}
            ty => self.add(ty.span(), "type"),
        }
        self.compact(&field.options);
        if let Some(body) = &field.group_body {
            self.body(body);
        }
    }

    fn body(&mut self, body: &MessageBody) {
        for item in &body.items {
            match item {
                MessageItem::Field(f) => self.field(f),
                MessageItem::Oneof(o) => {
                    self.add(o.span, "oneof");
                    self.name(&o.name);
                    for item in &o.items {
                        match item {
                            OneofItem::Field(f) => self.field(f),
                            OneofItem::Option(opt) => self.add(opt.span, "option"),
                            OneofItem::Empty(_) => {}
                        }
                    }
                }
                MessageItem::Message(m) => self.message(m),
                MessageItem::Enum(e) => self.enumeration(e),
                MessageItem::Extend(e) => self.extend(e),
                MessageItem::ExtensionRange(r) => {
                    self.add(r.span, "extensions");
                    r.ranges.iter().for_each(|range| self.range(range));
                }
                MessageItem::Reserved(r) => self.reserved(r),
                MessageItem::Option(o) => self.add(o.span, "option"),
                MessageItem::Empty(_) => {}
            }
        }
    }

    fn reserved(&mut self, reserved: &Reserved) {
        self.add(reserved.span, "reserved");
        match &reserved.kind {
            ReservedKind::Ranges(ranges) => ranges.iter().for_each(|r| self.range(r)),
            ReservedKind::Names(names) => names.iter().for_each(|n| self.add(n.span, "name")),
        }
    }

    fn message(&mut self, message: &Message) {
        self.add(message.span, "message");
        self.name(&message.name);
        self.body(&message.body);
    }

    fn enumeration(&mut self, e: &Enum) {
        self.add(e.span, "enum");
        self.name(&e.name);
        for item in &e.items {
            match item {
                EnumItem::Value(v) => {
                    self.add(v.span, "enum value");
                    self.name(&v.name);
                    self.add(v.number.span, "enum number");
                    self.compact(&v.options);
                }
                EnumItem::Option(o) => self.add(o.span, "option"),
                EnumItem::Reserved(r) => self.reserved(r),
                EnumItem::Empty(_) => {}
            }
        }
    }

    fn extend(&mut self, e: &Extend) {
        self.add(e.span, "extend");
        for field in &e.fields {
            self.add(e.extendee.span, "extendee");
            self.field(field);
        }
    }

    fn file(&mut self, file: &File) {
        self.add(file.span, "file");
        if let Some(syntax) = &file.syntax {
            self.add(syntax.span, "syntax");
        }
        for item in &file.items {
            match item {
                FileItem::Package(p) => self.add(p.span, "package"),
                FileItem::Import(i) => {
                    self.add(i.span, "import");
                    if let Some((ImportKind::Public | ImportKind::Weak, span)) = i.kind {
                        self.add(span, "import kind");
                    }
                }
                FileItem::Option(o) => self.add(o.span, "option"),
                FileItem::Message(m) => self.message(m),
                FileItem::Enum(e) => self.enumeration(e),
                FileItem::Service(s) => {
                    self.add(s.span, "service");
                    self.name(&s.name);
                    for item in &s.items {
                        match item {
                            ServiceItem::Method(m) => {
                                self.add(m.span, "method");
                                self.name(&m.name);
                                for ty in [&m.input, &m.output] {
                                    self.add(ty.ty.span, "method type");
                                    if let Some(span) = ty.stream {
                                        self.add(span, "stream");
                                    }
                                }
                                m.options.iter().for_each(|o| self.add(o.span, "option"));
                            }
                            ServiceItem::Option(o) => self.add(o.span, "option"),
                            ServiceItem::Empty(_) => {}
                        }
                    }
                }
                FileItem::Extend(e) => self.extend(e),
                FileItem::Empty(_) => {}
            }
        }
    }
}

fn check_spans(dir: &std::path::Path, include: &[&str], name: &str, source: &[u8]) -> usize {
    let mut args = vec!["--include_source_info", "-oout.pb"];
    args.extend_from_slice(include);
    let (ok, lines) = run_protoc(dir, name, source, &args);
    assert!(ok, "{name}: {lines:?}");
    let protoc: BTreeSet<Vec<i32>> = source_code_info(&std::fs::read(dir.join("out.pb")).unwrap())
        .into_iter()
        .map(|l| l.span)
        .collect();
    let parsed = parse(source);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let index = LineIndex::new(source);
    let mut spans = Spans::default();
    spans.file(&parsed.file);
    for &(span, what) in &spans.0 {
        let encoded = protoc_span(&index, span.start, span.end);
        let text = String::from_utf8_lossy(&source[span.start as usize..span.end as usize]);
        assert!(
            protoc.contains(&encoded),
            "{name}: {what} {encoded:?} `{text}` not among protoc's spans"
        );
    }
    spans.0.len()
}

#[test]
fn every_construct() {
    let source = r#"
  syntax = "proto2";
package a.b;
import "google/protobuf/descriptor.proto";
import public "dep.proto";
option java_package = "x" 'y';
option (fo) = { a: 1 b: [{c: ""}, {a: 2, c: "t"}] c: "s" };
message M {
  optional int32 a = 1 [default = -5, json_name = "x", deprecated = true, (fx) = 1];
  repeated .a.b.M b = 2;
  required string c = 3 [default = "abc"];
  extensions 100 to 200, 300, 400 to max [(er) = 1];
  reserved 50 to 60, 7;
  reserved "n1", "n2";
  optional group G = 8 { optional int32 x = 1; }
  map<string, M> m = 9;
  oneof o { int32 d = 10; group H = 11 { } }
  message N { enum NE { X = 0; } }
  enum E { A = 0; B = -1 [deprecated = true]; reserved -5 to -3, 100 to max; reserved "R"; }
  extend M { optional int32 e = 101; repeated int32 f = 102; }
  option deprecated = true;
  ;
}
enum TopE { option allow_alias = true; X = 0; Y = 0; }
service S {
  option deprecated = true;
  rpc F (M) returns (stream M);
  rpc G (stream .a.b.M) returns (M) { option deprecated = true; }
}
extend google.protobuf.FileOptions { optional int32 fo_unused = 50000; optional M fo = 50001; }
extend google.protobuf.FieldOptions { optional int32 fx = 50000; }
extend google.protobuf.ExtensionRangeOptions { optional int32 er = 50000; }
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dep.proto"), "syntax = \"proto2\";\n").unwrap();
    let count = check_spans(dir.path(), &[], "c.proto", source.as_bytes());
    assert!(count > 100, "{count}");

    let editions = r#"edition = "2024";
import option "google/protobuf/descriptor.proto";
export message M { local enum E { A = 0; } int32 x = 1; reserved foo, bar; }
local enum E2 { B = 0; reserved baz; }
"#;
    check_spans(dir.path(), &[], "e.proto", editions.as_bytes());
}

#[test]
fn well_known_types() {
    let (bin, include) = common::protoc();
    let _ = bin;
    let root = include.join("google/protobuf");
    let mut total = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "proto") {
            continue;
        }
        let source = std::fs::read(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Compile a copy under its own name so that its imports resolve through the includes.
        let name = path.file_name().unwrap().to_str().unwrap();
        let sub = dir.path().join("google/protobuf");
        std::fs::create_dir_all(&sub).unwrap();
        total += check_spans(dir.path(), &[], &format!("google/protobuf/{name}"), &source);
    }
    assert!(total > 1000, "{total}");
}
