//! The AST built for each construct of the language.

use rivet_syntax::ast::*;
use rivet_syntax::parse;

/// Parses `source`, asserting there are no errors.
fn file(source: &str) -> File {
    let parsed = parse(source.as_bytes());
    assert!(!parsed.has_errors(), "{source}\n{:#?}", parsed.diagnostics);
    parsed.file
}

fn text(source: &str, span: Span) -> &str {
    &source[span.start as usize..span.end as usize]
}

fn only_message(file: &File) -> &Message {
    match file.items.as_slice() {
        [FileItem::Message(m)] => m,
        other => panic!("{other:#?}"),
    }
}

fn fields(message: &Message) -> Vec<&Field> {
    message
        .body
        .items
        .iter()
        .filter_map(|item| match item {
            MessageItem::Field(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn option_value(source: &str) -> OptionValue {
    let f = file(&format!("syntax = \"proto2\";\noption x = {source};\n"));
    match &f.items[..] {
        [FileItem::Option(o)] => o.value.clone(),
        other => panic!("{other:#?}"),
    }
}

fn aggregate(source: &str) -> MessageLiteral {
    match option_value(source) {
        OptionValue::Aggregate(literal) => literal,
        other => panic!("{other:#?}"),
    }
}

#[test]
fn syntax_and_editions() {
    let src = "syntax = \"proto3\";";
    let f = file(src);
    let syntax = f.syntax.unwrap();
    assert_eq!(syntax.kind, SyntaxKind::Syntax);
    assert_eq!(syntax.value.value, b"proto3");
    assert_eq!(text(src, syntax.span), src);
    assert_eq!(text(src, syntax.value.span), "\"proto3\"");

    let f = file("edition = \"20\" '24';");
    let syntax = f.syntax.unwrap();
    assert_eq!(syntax.kind, SyntaxKind::Edition);
    assert_eq!(syntax.value.value, b"2024");

    // Without a syntax statement: proto2, and a (log-only) warning.
    let parsed = parse(b"message M { optional int32 a = 1; }");
    assert!(parsed.file.syntax.is_none());
    assert!(!parsed.has_errors());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert!(parsed.diagnostics[0].is_warning);
    assert_eq!(
        rivet_syntax::missing_syntax_warning("a.proto"),
        "No edition or syntax specified for the proto file: a.proto. Please use 'edition = \
         \"YYYY\";'  to specify a valid edition version. (Defaulted to \"syntax = \
         \"proto2\";\".)"
    );
}

#[test]
fn file_span_is_first_to_last_token() {
    let src = "\n// c\nsyntax = \"proto3\";\nmessage M {}\n// end\n";
    let f = file(src);
    assert_eq!(text(src, f.span), "syntax = \"proto3\";\nmessage M {}");
}

#[test]
fn package_and_imports() {
    let src = "syntax = \"proto3\";\npackage foo.bar;\nimport \"a.proto\";\nimport public \"b\" \".proto\";\nimport weak 'c.proto';\n";
    let f = file(src);
    let FileItem::Package(p) = &f.items[0] else {
        panic!()
    };
    assert_eq!(p.name.to_text(), "foo.bar");
    assert_eq!(text(src, p.name.span), "foo.bar");
    assert_eq!(text(src, p.span), "package foo.bar;");
    let imports: Vec<&Import> = f
        .items
        .iter()
        .filter_map(|i| match i {
            FileItem::Import(i) => Some(i),
            _ => None,
        })
        .collect();
    assert_eq!(imports[0].kind, None);
    assert_eq!(imports[0].path.value, b"a.proto");
    assert_eq!(imports[1].kind.unwrap().0, ImportKind::Public);
    assert_eq!(text(src, imports[1].kind.unwrap().1), "public");
    assert_eq!(imports[1].path.value, b"b.proto");
    assert_eq!(text(src, imports[1].path.span), "\"b\" \".proto\"");
    assert_eq!(imports[2].kind.unwrap().0, ImportKind::Weak);
    assert_eq!(text(src, imports[2].span), "import weak 'c.proto';");

    let f = file("edition = \"2024\";\nimport option \"o.proto\";");
    let FileItem::Import(i) = &f.items[0] else {
        panic!()
    };
    assert_eq!(i.kind.unwrap().0, ImportKind::Option);
}

#[test]
fn option_names() {
    let src = "syntax = \"proto2\";\noption (a.b).c.(.d.e).f = 1;\n";
    let f = file(src);
    let FileItem::Option(o) = &f.items[0] else {
        panic!()
    };
    assert_eq!(text(src, o.span), "option (a.b).c.(.d.e).f = 1;");
    assert_eq!(text(src, o.name.span), "(a.b).c.(.d.e).f");
    let parts = &o.name.parts;
    assert_eq!(parts.len(), 4);
    let OptionNamePart::Extension(name, span) = &parts[0] else {
        panic!()
    };
    assert_eq!(
        (name.to_text().as_str(), text(src, *span)),
        ("a.b", "(a.b)")
    );
    assert_eq!(text(src, name.span), "a.b");
    let OptionNamePart::Simple(c) = &parts[1] else {
        panic!()
    };
    assert_eq!(c.name, "c");
    let OptionNamePart::Extension(name, _) = &parts[2] else {
        panic!()
    };
    assert!(name.leading_dot);
    assert_eq!(name.to_text(), ".d.e");
    assert_eq!(text(src, parts[3].span()), "f");
}

#[test]
fn option_values() {
    let ident = |v: OptionValue| match v {
        OptionValue::Ident {
            negative, ident, ..
        } => (negative, ident.name),
        other => panic!("{other:?}"),
    };
    assert_eq!(ident(option_value("SPEED")), (false, "SPEED".to_owned()));
    assert_eq!(ident(option_value("-inf")), (true, "inf".to_owned()));
    assert_eq!(ident(option_value("- nan")), (true, "nan".to_owned()));
    let int = |v: OptionValue| match v {
        OptionValue::Int(lit) => (lit.negative, lit.value),
        other => panic!("{other:?}"),
    };
    assert_eq!(int(option_value("42")), (false, 42));
    assert_eq!(int(option_value("0x2A")), (false, 42));
    assert_eq!(int(option_value("052")), (false, 42));
    assert_eq!(int(option_value("-42")), (true, 42));
    assert_eq!(int(option_value("18446744073709551615")), (false, u64::MAX));
    assert_eq!(int(option_value("-9223372036854775808")), (true, 1 << 63));
    let float = |v: OptionValue| match v {
        OptionValue::Float { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(float(option_value("1.5")), 1.5);
    assert_eq!(float(option_value("-.5e1")), -5.0);
    assert_eq!(float(option_value("1.")), 1.0);
    // Integers too large for their sign become doubles.
    assert_eq!(
        float(option_value("18446744073709551616")),
        18446744073709551616.0
    );
    assert_eq!(
        float(option_value("-9223372036854775809")),
        -9223372036854775809.0
    );
    match option_value("\"a\\n\" 'b\\x41'") {
        OptionValue::String(lit) => assert_eq!(lit.value, b"a\nbA"),
        other => panic!("{other:?}"),
    }
    // protoc's parser ignores a '-' before an aggregate.
    assert!(matches!(option_value("-{}"), OptionValue::Aggregate(_)));
}

#[test]
fn aggregate_values() {
    let src = "{ a: 1, b { c: \"x\" } d < e: -inf >; f: [1, -2.5, foo] g [{}, <>] [ext.name]: 3 [type.googleapis.com/pkg.T] { } h: 'a' \"b\" }";
    let literal = aggregate(src);
    assert!(literal.error.is_none());
    let names: Vec<String> = literal
        .fields
        .iter()
        .map(|f| match &f.name {
            FieldRef::Name(ident) => ident.name.clone(),
            FieldRef::Extension(name, _) => format!("[{}]", name.to_text()),
            FieldRef::AnyType {
                url_prefix,
                type_name,
                ..
            } => format!("[{url_prefix}/{}]", type_name.to_text()),
        })
        .collect();
    assert_eq!(
        names,
        [
            "a",
            "b",
            "d",
            "f",
            "g",
            "[ext.name]",
            "[type.googleapis.com/pkg.T]",
            "h"
        ]
    );
    let colons: Vec<bool> = literal.fields.iter().map(|f| f.has_colon).collect();
    assert_eq!(colons, [true, false, false, true, false, true, false, true]);
    let LiteralValue::Message(b) = &literal.fields[1].value else {
        panic!()
    };
    assert_eq!(b.fields.len(), 1);
    let LiteralValue::Message(d) = &literal.fields[2].value else {
        panic!()
    };
    let LiteralValue::Scalar(OptionValue::Ident { negative: true, .. }) = &d.fields[0].value else {
        panic!()
    };
    let LiteralValue::List(items, _) = &literal.fields[3].value else {
        panic!()
    };
    assert!(matches!(
        items[0],
        LiteralValue::Scalar(OptionValue::Int(_))
    ));
    assert!(matches!(
        items[1],
        LiteralValue::Scalar(OptionValue::Float { value, .. }) if value == -2.5
    ));
    let LiteralValue::List(items, _) = &literal.fields[4].value else {
        panic!()
    };
    assert!(matches!(items[1], LiteralValue::Message(_)));
    let LiteralValue::Scalar(OptionValue::String(s)) = &literal.fields[7].value else {
        panic!()
    };
    assert_eq!(s.value, b"ab");

    // Spans: a field runs from its name through its separator.
    let full = format!("syntax = \"proto2\";\noption x = {src};\n");
    let f = file(&full);
    let FileItem::Option(o) = &f.items[0] else {
        panic!()
    };
    let OptionValue::Aggregate(literal) = &o.value else {
        panic!()
    };
    assert_eq!(text(&full, literal.span), src);
    assert_eq!(text(&full, literal.fields[0].span), "a: 1,");
    assert_eq!(text(&full, literal.fields[2].span), "d < e: -inf >;");
    let FieldRef::AnyType { type_name, .. } = &literal.fields[6].name else {
        panic!()
    };
    assert_eq!(text(&full, type_name.span), "pkg.T");
    assert_eq!(text(&full, type_name.parts[1].span), "T");
}

#[test]
fn aggregate_errors_are_not_syntax_errors() {
    let literal = aggregate("{ a: 1 b { c: 2 ! } d: 3 }");
    assert!(literal.error.is_none());
    assert_eq!(literal.fields.len(), 2);
    let LiteralValue::Message(b) = &literal.fields[1].value else {
        panic!()
    };
    let error = b.error.as_ref().unwrap();
    assert_eq!(error.kind, LiteralErrorKind::Syntax);
    assert_eq!(error.message, "Expected identifier, got: !");
    assert_eq!(error.found, "!");

    let literal = aggregate("{ a: }");
    let error = literal.error.unwrap();
    assert_eq!(error.kind, LiteralErrorKind::ExpectedValue);
    assert!(literal.fields.is_empty());

    let literal = aggregate("{ a: [1, 2 3] }");
    assert_eq!(
        literal.error.unwrap().message,
        "Expected \",\", found \"3\"."
    );
    let LiteralValue::List(items, _) = &literal.fields[0].value else {
        panic!()
    };
    assert_eq!(items.len(), 2);

    let literal = aggregate("{ a { b: 1 > } }");
    assert_eq!(
        literal.fields.len(),
        1,
        "the field with the failed literal is kept"
    );
    let LiteralValue::Message(a) = &literal.fields[0].value else {
        panic!()
    };
    assert_eq!(
        a.error.as_ref().unwrap().message,
        "Expected \"}\", found \">\"."
    );

    for (src, message) in [
        // The closing brace of the option value is the end of the text-format input.
        ("{ [a.b }", "Expected \"]\", found \"\"."),
        ("{ [a \"b\"] }", "Expected \"]\", found \"\"\"."),
        ("{ [/a.B] {} }", "Type URL prefix is empty"),
        ("{ [/x/a.B] {} }", "Type URL starts with \"/\""),
        ("{ [x%4/a.B] {} }", "Invalid percent encode, got: \"%4/\""),
        (
            "{ [x/a..B] {} }",
            "Invalid identifier in type name, got: \"\"",
        ),
        ("{ [.a] : 1 }", "Invalid identifier in type name, got: \"\""),
        ("{ 1: 2 }", "Expected identifier, got: 1"),
    ] {
        let literal = aggregate(src);
        assert_eq!(literal.error.unwrap().message, message, "{src}");
    }
    // `#` comments out the rest of the line, as in text format.
    let literal = aggregate("{ a: 1 # b: !!\n c: 2 }");
    assert!(literal.error.is_none());
    assert_eq!(literal.fields.len(), 2);
}

#[test]
fn message_fields() {
    let src = "syntax = \"proto2\";\nmessage M {\n  required int32 a = 1;\n  optional .pkg.Other b = 2 [default = FOO, deprecated = true];\n  repeated string c = 3 [json_name = \"cc\"];\n  map<string, Other> d = 4;\n  optional group Res = 5 [deprecated = true] { optional int32 x = 1; }\n  optional map e = 6;\n}\n";
    let f = file(src);
    let m = only_message(&f);
    assert_eq!(m.name.name, "M");
    assert_eq!(text(src, m.body.span).chars().next(), Some('{'));
    let fs = fields(m);
    assert_eq!(fs.len(), 6);
    assert_eq!(fs[0].label.unwrap().0, FieldLabel::Required);
    assert!(matches!(fs[0].ty, FieldType::Scalar(ScalarType::Int32, _)));
    assert_eq!(
        (fs[0].number.value, text(src, fs[0].span)),
        (1, "required int32 a = 1;")
    );
    let FieldType::Named(name) = &fs[1].ty else {
        panic!()
    };
    assert!(name.leading_dot);
    assert_eq!(name.to_text(), ".pkg.Other");
    let options = fs[1].options.as_ref().unwrap();
    assert_eq!(
        text(src, options.span),
        "[default = FOO, deprecated = true]"
    );
    assert_eq!(text(src, options.options[0].span), "default = FOO");
    assert_eq!(fs[2].label.unwrap().0, FieldLabel::Repeated);
    let json = &fs[2].options.as_ref().unwrap().options[0];
    assert!(matches!(&json.value, OptionValue::String(s) if s.value == b"cc"));
    let FieldType::Map { key, value, span } = &fs[3].ty else {
        panic!()
    };
    assert!(matches!(**key, FieldType::Scalar(ScalarType::String, _)));
    assert!(matches!(&**value, FieldType::Named(n) if n.to_text() == "Other"));
    assert_eq!(text(src, *span), "map<string, Other>");
    assert!(fs[3].label.is_none());
    assert!(matches!(fs[4].ty, FieldType::Group(_)));
    assert_eq!(fs[4].name.name, "Res");
    assert_eq!(fs[4].group_body.as_ref().unwrap().items.len(), 1);
    assert!(text(src, fs[4].span).ends_with("optional int32 x = 1; }"));
    let FieldType::Named(name) = &fs[5].ty else {
        panic!()
    };
    assert_eq!(name.to_text(), "map");
}

#[test]
fn default_values_follow_the_field_type() {
    let src = "syntax = \"proto2\";\nmessage M {\n  optional int32 a = 1 [default = -5];\n  optional double b = 2 [default = -inf];\n  optional double c = 3 [default = 5];\n  optional bytes d = 4 [default = \"\\001\" \"x\"];\n  optional bool e = 5 [default = true];\n  optional Enum f = 6 [default = -];\n}\n";
    let parsed = parse(src.as_bytes());
    // `default = -` on a message/enum-typed field: protoc takes the `-` token as the value.
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let m = only_message(&parsed.file);
    let defaults: Vec<&OptionValue> = fields(m)
        .iter()
        .map(|f| &f.options.as_ref().unwrap().options[0].value)
        .collect();
    assert!(matches!(
        defaults[0],
        OptionValue::Int(IntLit {
            negative: true,
            value: 5,
            ..
        })
    ));
    assert!(
        matches!(defaults[1], OptionValue::Ident { negative: true, ident, .. } if ident.name == "inf")
    );
    assert!(matches!(
        defaults[2],
        OptionValue::Int(IntLit { value: 5, .. })
    ));
    assert!(matches!(defaults[3], OptionValue::String(s) if s.value == b"\x01x"));
    assert!(matches!(defaults[4], OptionValue::Ident { ident, .. } if ident.name == "true"));
    assert!(matches!(defaults[5], OptionValue::Ident { ident, .. } if ident.name == "-"));
}

#[test]
fn oneofs_ranges_reserved_nested() {
    let src = "syntax = \"proto2\";\nmessage M {\n  oneof o { option (x) = 1; int32 a = 1; group G = 2 {} }\n  extensions 10 to 20, 30, 40 to max [(v) = 1];\n  reserved 1, 2 to 3, 4 to max;\n  reserved \"a\", 'b';\n  message N { enum E { Z = 0; } }\n  enum F { Y = 0; }\n  extend M { optional int32 x = 11; }\n  option deprecated = true;\n  ;\n}\n";
    let f = file(src);
    let m = only_message(&f);
    let items = &m.body.items;
    let MessageItem::Oneof(o) = &items[0] else {
        panic!()
    };
    assert_eq!(o.name.name, "o");
    assert!(matches!(o.items[0], OneofItem::Option(_)));
    let OneofItem::Field(a) = &o.items[1] else {
        panic!()
    };
    assert!(a.label.is_none());
    assert!(matches!(&o.items[2], OneofItem::Field(g) if g.group_body.is_some()));
    let MessageItem::ExtensionRange(r) = &items[1] else {
        panic!()
    };
    assert_eq!(r.ranges.len(), 3);
    assert!(matches!(
        r.ranges[0].end,
        Some(RangeEnd::Int(IntLit { value: 20, .. }))
    ));
    assert!(r.ranges[1].end.is_none());
    assert!(matches!(r.ranges[2].end, Some(RangeEnd::Max(_))));
    assert_eq!(text(src, r.ranges[0].span), "10 to 20");
    assert!(r.options.is_some());
    let MessageItem::Reserved(res) = &items[2] else {
        panic!()
    };
    assert!(matches!(&res.kind, ReservedKind::Ranges(r) if r.len() == 3));
    let MessageItem::Reserved(res) = &items[3] else {
        panic!()
    };
    let ReservedKind::Names(names) = &res.kind else {
        panic!()
    };
    assert_eq!(
        (names[1].name.as_slice(), names[1].is_identifier),
        (&b"b"[..], false)
    );
    assert_eq!(text(src, names[1].span), "'b'");
    assert!(matches!(&items[4], MessageItem::Message(n) if n.name.name == "N"));
    assert!(matches!(&items[5], MessageItem::Enum(e) if e.name.name == "F"));
    assert!(matches!(&items[6], MessageItem::Extend(e) if e.fields.len() == 1));
    assert!(matches!(&items[7], MessageItem::Option(_)));
    assert!(matches!(&items[8], MessageItem::Empty(span) if text(src, *span) == ";"));
}

#[test]
fn editions_reserved_identifiers_and_visibility() {
    let src = "edition = \"2024\";\nexport message M { reserved foo, bar; local enum E { A = 0; reserved baz; } }\nlocal enum F { B = 0; }\n";
    let f = file(src);
    let FileItem::Message(m) = &f.items[0] else {
        panic!()
    };
    assert_eq!(m.visibility.unwrap().0, Visibility::Export);
    assert!(text(src, m.span).starts_with("message M"));
    let MessageItem::Reserved(r) = &m.body.items[0] else {
        panic!()
    };
    let ReservedKind::Names(names) = &r.kind else {
        panic!()
    };
    assert!(names.iter().all(|n| n.is_identifier));
    let MessageItem::Enum(e) = &m.body.items[1] else {
        panic!()
    };
    assert_eq!(e.visibility.unwrap().0, Visibility::Local);
    let FileItem::Enum(e) = &f.items[1] else {
        panic!()
    };
    assert_eq!(text(src, e.visibility.unwrap().1), "local");
}

#[test]
fn enums() {
    let src = "syntax = \"proto3\";\nenum E {\n  option allow_alias = true;\n  A = 0;\n  B = -1 [deprecated = true];\n  C = 0x10;\n  D = -2147483648;\n  E2 = 0;\n  reserved -5 to -3, 100 to max, 7;\n  reserved \"X\";\n  ;\n}\n";
    let f = file(src);
    let FileItem::Enum(e) = &f.items[0] else {
        panic!()
    };
    let values: Vec<(String, bool, u64)> = e
        .items
        .iter()
        .filter_map(|i| match i {
            EnumItem::Value(v) => Some((v.name.name.clone(), v.number.negative, v.number.value)),
            _ => None,
        })
        .collect();
    assert_eq!(
        values,
        [
            ("A".to_owned(), false, 0),
            ("B".to_owned(), true, 1),
            ("C".to_owned(), false, 16),
            ("D".to_owned(), true, 2147483648),
            ("E2".to_owned(), false, 0)
        ]
    );
    let EnumItem::Value(b) = &e.items[2] else {
        panic!()
    };
    assert_eq!(text(src, b.number.span), "-1");
    assert!(b.options.is_some());
    let EnumItem::Reserved(r) = &e.items[6] else {
        panic!()
    };
    let ReservedKind::Ranges(ranges) = &r.kind else {
        panic!()
    };
    assert!(ranges[0].start.negative);
    assert_eq!(text(src, ranges[0].span), "-5 to -3");
    assert!(matches!(e.items[8], EnumItem::Empty(_)));
}

#[test]
fn services() {
    let src = "syntax = \"proto3\";\nservice S {\n  option deprecated = true;\n  rpc A (Req) returns (Resp);\n  rpc B (stream .p.Req) returns (stream Resp) {}\n  rpc C (Req) returns (Resp) { option deprecated = true; ; }\n  ;\n}\n";
    let f = file(src);
    let FileItem::Service(s) = &f.items[0] else {
        panic!()
    };
    assert_eq!(s.name.name, "S");
    assert!(matches!(s.items[0], ServiceItem::Option(_)));
    let ServiceItem::Method(a) = &s.items[1] else {
        panic!()
    };
    assert!(a.input.stream.is_none() && a.output.stream.is_none());
    assert!(a.body.is_none());
    assert_eq!(text(src, a.span), "rpc A (Req) returns (Resp);");
    let ServiceItem::Method(b) = &s.items[2] else {
        panic!()
    };
    assert_eq!(text(src, b.input.stream.unwrap()), "stream");
    assert_eq!(b.input.ty.to_text(), ".p.Req");
    assert!(b.output.stream.is_some());
    assert_eq!(text(src, b.body.unwrap()), "{}");
    let ServiceItem::Method(c) = &s.items[3] else {
        panic!()
    };
    assert_eq!(c.options.len(), 1);
    assert!(matches!(s.items[4], ServiceItem::Empty(_)));
}

#[test]
fn top_level_extend_and_empty() {
    let src =
        "syntax = \"proto2\";\n;\nextend .a.B { optional int32 x = 1; repeated group G = 2 {} }\n";
    let f = file(src);
    assert!(matches!(f.items[0], FileItem::Empty(_)));
    let FileItem::Extend(e) = &f.items[1] else {
        panic!()
    };
    assert_eq!(e.extendee.to_text(), ".a.B");
    assert_eq!(text(src, e.extendee.span), ".a.B");
    assert_eq!(e.fields.len(), 2);
    assert!(text(src, e.span).starts_with("extend") && text(src, e.span).ends_with('}'));
}

#[test]
fn partial_files_keep_good_statements() {
    let src = "syntax = \"proto3\";\nmessage A { int32 x = 1; bogus }\nmessage B { int32 y = 1; }\nenum E { Z = }\n";
    let parsed = parse(src.as_bytes());
    assert!(parsed.has_errors());
    let names: Vec<&str> = parsed
        .file
        .items
        .iter()
        .filter_map(|i| match i {
            FileItem::Message(m) => Some(m.name.name.as_str()),
            FileItem::Enum(e) => Some(e.name.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["A", "B", "E"]);
    let FileItem::Message(a) = &parsed.file.items[0] else {
        panic!()
    };
    assert_eq!(a.body.items.len(), 1);
}

#[test]
fn comments_are_attached() {
    let src = "// lead\nsyntax = \"proto3\"; // trail\n\n// detached\n\n// m\nmessage M { // after brace\n  /* block\n   * two */\n  int32 a = 1;\n}\n";
    let f = file(src);
    let syntax = f.syntax.as_ref().unwrap();
    assert_eq!(syntax.comments.leading.as_deref(), Some(&b" lead\n"[..]));
    assert_eq!(syntax.comments.trailing.as_deref(), Some(&b" trail\n"[..]));
    let m = only_message(&f);
    assert_eq!(m.comments.leading_detached, [b" detached\n"]);
    assert_eq!(m.comments.leading.as_deref(), Some(&b" m\n"[..]));
    assert_eq!(m.comments.trailing.as_deref(), Some(&b" after brace\n"[..]));
    assert_eq!(
        fields(m)[0].comments.leading.as_deref(),
        Some(&b" block\n two "[..])
    );
}
