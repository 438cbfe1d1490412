//! No input makes the parser panic or overflow the stack.

use rivet_syntax::ast::*;
use rivet_syntax::{LineIndex, parse};

/// Runs `f` on a thread with a small stack, as a guard against deep recursion.
fn with_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn messages(parsed: &rivet_syntax::Parsed) -> Vec<&str> {
    parsed
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn deeply_nested_messages() {
    with_small_stack(|| {
        let n = 100_000;
        let source = format!(
            "syntax = \"proto2\";\n{}{}",
            "message M {".repeat(n),
            "}".repeat(n)
        );
        let parsed = parse(source.as_bytes());
        let errors = messages(&parsed);
        assert_eq!(
            errors[0],
            "Reached maximum recursion limit for nested messages."
        );
        // protoc reports it at the 32nd `message`.
        let index = LineIndex::new(source.as_bytes());
        let (line, col) = index.line_col(parsed.diagnostics[0].span.start);
        assert_eq!((line, col), (1, 31 * 11));
    });
}

#[test]
fn deeply_nested_groups() {
    with_small_stack(|| {
        let n = 100_000;
        let source = format!(
            "syntax = \"proto2\";\nmessage M {{ {}{} }}",
            "optional group G = 1 {".repeat(n),
            "}".repeat(n)
        );
        let parsed = parse(source.as_bytes());
        assert_eq!(
            messages(&parsed),
            ["Reached maximum recursion limit for nested messages."]
        );
    });
}

#[test]
fn deeply_nested_aggregate() {
    with_small_stack(|| {
        let n = 100_000;
        let source = format!(
            "syntax = \"proto2\";\noption (x) = {{ {}{} }};\nmessage After {{}}\n",
            "a {".repeat(n),
            "}".repeat(n)
        );
        let parsed = parse(source.as_bytes());
        // protoc's parser accepts any balanced braces; the depth limit is reported in the
        // literal, for the linker.
        assert!(!parsed.has_errors(), "{:?}", messages(&parsed));
        assert_eq!(parsed.file.items.len(), 2);
        let FileItem::Option(option) = &parsed.file.items[0] else {
            panic!()
        };
        let OptionValue::Aggregate(literal) = &option.value else {
            panic!()
        };
        let mut depth = 0;
        let mut current = literal;
        loop {
            if let Some(error) = &current.error {
                assert!(
                    error.message.starts_with("Message is too deep"),
                    "{error:?}"
                );
                break;
            }
            let LiteralValue::Message(inner) = &current.fields[0].value else {
                panic!()
            };
            current = inner;
            depth += 1;
        }
        assert_eq!(depth, 100);
    });
}

#[test]
fn deeply_nested_lists_and_angles() {
    with_small_stack(|| {
        let n = 100_000;
        let source = format!(
            "syntax = \"proto2\";\noption (x) = {{ a: {} }};\noption (y) = {{ a {} }};\n",
            "[".repeat(n),
            "<".repeat(n)
        );
        let parsed = parse(source.as_bytes());
        assert!(!parsed.has_errors(), "{:?}", messages(&parsed));
    });
}

#[test]
fn unterminated_everything() {
    for source in [
        &b"syntax"[..],
        b"syntax =",
        b"syntax = \"",
        b"syntax = \"proto2\"; message",
        b"syntax = \"proto2\"; message M { optional group",
        b"syntax = \"proto2\"; option x = {",
        b"syntax = \"proto2\"; option x = { a: [",
        b"syntax = \"proto2\"; /*",
        b"syntax = \"proto2\"; message M { optional int32 a = 1 [default",
        b"syntax = \"proto2\"; service S { rpc F(",
        b"syntax = \"proto2\"; enum E { A = -",
        b"\xef",
        b"\xef\xbb",
        b"\0",
        b"'",
        b"\"\\",
        b"\"\\u",
        b"\"\\U0",
        b"0x",
        b"1e",
        b".",
        b"/",
    ] {
        let parsed = parse(source);
        assert!(parsed.has_errors() || parsed.file.items.is_empty());
    }
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_inputs_never_panic() {
    const VOCABULARY: &[&str] = &[
        "syntax",
        "edition",
        "=",
        "\"proto2\"",
        "\"proto3\"",
        "\"2023\"",
        "\"2024\"",
        ";",
        "message",
        "M",
        "{",
        "}",
        "optional",
        "repeated",
        "required",
        "int32",
        "string",
        "group",
        "G",
        "map",
        "<",
        ">",
        ",",
        "1",
        "-",
        "0x1F",
        "09",
        "1.5",
        ".5",
        "1e",
        "foo",
        ".",
        "(",
        ")",
        "[",
        "]",
        "default",
        "json_name",
        "\"x\"",
        "'y'",
        "oneof",
        "enum",
        "reserved",
        "extensions",
        "to",
        "max",
        "extend",
        "service",
        "rpc",
        "returns",
        "stream",
        "option",
        "import",
        "public",
        "weak",
        "package",
        "// c\n",
        "/* c */",
        "/*",
        "\n",
        "\t",
        "export",
        "local",
        "inf",
        "nan",
        ":",
        "#",
        "/",
        "\"\\q\"",
        "\"\\u12\"",
        "\"abc\n",
        "\u{1}",
        "é",
        "\0",
        "\u{feff}",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let mut source = Vec::new();
        for _ in 0..rng.below(60) {
            if rng.below(10) == 0 {
                source.push(rng.next() as u8);
            } else {
                source.extend_from_slice(VOCABULARY[rng.below(VOCABULARY.len())].as_bytes());
            }
            if rng.below(3) == 0 {
                source.push(b' ');
            }
        }
        let parsed = parse(&source);
        let index = LineIndex::new(&source);
        for diagnostic in &parsed.diagnostics {
            assert!(diagnostic.span.start as usize <= source.len());
            index.line_col(diagnostic.span.start);
        }
    }
}
