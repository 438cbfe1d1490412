//! No input makes the compiler panic or overflow the stack: mutated real `.proto` files and
//! pathological nesting give a result or diagnostics. (Coverage-guided fuzzing lives in
//! `crates/rivet-syntax/fuzz`; this deterministic run is part of every `cargo test`.)

use std::panic::{AssertUnwindSafe, catch_unwind};

use rivet_compiler::Compiler;

/// Seed corpus: real files exercising most of the language.
const SEEDS: &[&str] = &[
    include_str!("../../rivet-descriptor/tests/data/custom_options.proto"),
    include_str!("../../rivet-descriptor/tests/data/editions.proto"),
    include_str!("../../rivet-descriptor/tests/data/editions2024.proto"),
    include_str!("../third_party/protobuf/google/protobuf/descriptor.proto"),
    include_str!("../third_party/protobuf/google/protobuf/type.proto"),
];

/// Fragments that steer mutations towards interesting syntax.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    ";",
    "=",
    ",",
    ".",
    "-",
    "\"",
    "'",
    "message ",
    "enum ",
    "oneof ",
    "map<string, int32> ",
    "group ",
    "extend ",
    "extensions 1 to max",
    "reserved 1 to 5",
    "option ",
    "(foo).bar",
    "optional ",
    "repeated ",
    "required ",
    "import \"google/protobuf/descriptor.proto\";",
    "edition = \"2023\";",
    "syntax = \"proto3\";",
    "0x7fffffff",
    "99999999999999999999",
    "1e400",
    "inf",
    "nan",
    "max",
    "to",
    "stream ",
    "rpc X(A) returns (B);",
    "{ a: [1, 2] b { c: 1 } [x.y]: 2 }",
    "\\x",
    "/*",
    "*/",
    "//",
    "features.field_presence = IMPLICIT",
    "export ",
    "local ",
    "\u{0}",
    "\u{7f}",
    "\t",
];

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let at = at.min(out.len() - 1);
                out[at] = rng.next() as u8;
            }
            1 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(64)).min(out.len());
                let copy = out[at..end].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, copy);
            }
            _ => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                out.splice(at..at, fragment.iter().copied());
            }
        }
    }
    out
}

/// Compiles `source` as `fuzz.proto`, asserting a clean outcome.
fn compile(source: &[u8], retain: bool) {
    let mut compiler = Compiler::new();
    compiler
        .virtual_file("fuzz.proto", source)
        .include_source_info(true)
        .include_imports(true)
        .retain_options(retain);
    match compiler.compile(&["fuzz.proto"]) {
        Ok(compilation) => {
            let _ = compilation.encode_descriptor_set();
        }
        Err(error) => {
            assert!(!error.diagnostics.is_empty());
            for diagnostic in &error.diagnostics {
                assert!(
                    !diagnostic.message.is_empty(),
                    "empty diagnostic: {diagnostic:?}"
                );
            }
        }
    }
}

#[test]
fn mutated_protos_never_panic() {
    let iterations: usize = std::env::var("RIVET_FUZZ_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(600);
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for i in 0..iterations {
        let seed = SEEDS[i % SEEDS.len()].as_bytes();
        let mutant = mutate(&mut rng, seed);
        let outcome = catch_unwind(AssertUnwindSafe(|| compile(&mutant, i % 2 == 0)));
        if outcome.is_err() {
            let path = std::env::temp_dir().join(format!("rivet-crash-{i}.proto"));
            let _ = std::fs::write(&path, &mutant);
            panic!("iteration {i} panicked; input saved to {}", path.display());
        }
    }
}

#[test]
fn deep_message_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut source = String::from("syntax = \"proto3\";\n");
    for i in 0..depth {
        source.push_str(&format!("message M{i} {{\n"));
    }
    source.push_str(&"}\n".repeat(depth));
    let error = Compiler::new()
        .virtual_file("deep.proto", source)
        .compile(&["deep.proto"])
        .unwrap_err();
    assert!(
        error.diagnostics[0].message.contains("recursion limit"),
        "{error}"
    );
}

/// Groups nest without a parser limit in protoc; Rivet parses and lowers 40,000 levels on a
/// thread with a 512 KiB stack (growing its stack on the heap) and reports what protoc's
/// builder reports. Beyond its own bound (50,000 blocks), it reports the limit.
#[test]
fn deep_group_nesting_is_compiled_without_a_stack_overflow() {
    let compile_depth = |depth: usize| {
        std::thread::Builder::new()
            .stack_size(512 << 10)
            .spawn(move || {
                let source = format!(
                    "syntax = \"proto2\";\nmessage M {{\n{}{}}}\n",
                    "optional group G = 1 {\n".repeat(depth),
                    "}\n".repeat(depth)
                );
                Compiler::new()
                    .virtual_file("deep.proto", source)
                    .compile(&["deep.proto"])
                    .unwrap_err()
                    .diagnostics
                    .into_iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap()
            .join()
            .unwrap()
    };
    let built = compile_depth(40_000);
    assert_eq!(
        built[0], "deep.proto: Reached maximum recursion limit for nested messages.",
        "{built:?}"
    );
    let refused = compile_depth(50_001);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].starts_with("deep.proto:50002:")
            && refused[0].ends_with("recursion limit for nested messages."),
        "{refused:?}"
    );
}

#[test]
fn deep_aggregate_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let source = format!(
        "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n\
         message R {{ optional R r = 1; }}\n\
         extend google.protobuf.FileOptions {{ optional R root = 50000; }}\n\
         option (root) = {{ {}{}}};\n",
        "r { ".repeat(depth),
        "} ".repeat(depth)
    );
    let result = Compiler::new()
        .virtual_file("deep.proto", source)
        .compile(&["deep.proto"]);
    let error = result.expect_err("a 100000-deep aggregate must be rejected");
    assert!(error.to_string().contains("too deep"), "{error}");
}
