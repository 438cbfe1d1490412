//! Size limits: edition 2026's `enforce_proto_limits` (fields, oneofs and enum values), the
//! 65535 fields of any message, the depth of packages and of nested messages. The inputs are
//! generated, as they are too large to keep as files.

use super::{check, expect};

const OPT_OUT: &str = " (features.enforce_proto_limits = LEGACY_NO_EXPLICIT_LIMITS can be used to opt out of this check)";

/// `count` scalar fields `{prefix}{n} = n`, numbered from `first`.
fn fields(count: usize, first: usize, prefix: &str, indent: &str) -> String {
    (first..first + count)
        .map(|n| format!("{indent}int32 {prefix}{n} = {n};\n"))
        .collect()
}

/// An UPPER_SNAKE_CASE word for `n` (`A`, `B`, ..., `AA`, ...): enum value names that follow
/// the naming style (digits after an underscore do not).
fn word(n: usize) -> String {
    let mut n = n + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// `count` values `{prefix}_{word} = n`, numbered from 0.
fn values(count: usize, prefix: &str, indent: &str) -> String {
    (0..count)
        .map(|n| format!("{indent}{prefix}_{} = {n};\n", word(n)))
        .collect()
}

/// A header that makes protoc load descriptor.proto (so that source-retention options are
/// stripped the same way whether or not the file sets features).
const WITH_DESCRIPTOR: &str = "import \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FileOptions { int32 mark = 50000; }\noption (mark) = 1;\n";

#[test]
fn fields_per_message() {
    let message = |count| {
        format!(
            "edition = \"2026\";\npackage l;\nmessage M {{\n{}}}\n",
            fields(count, 1, "f", "  ")
        )
    };
    expect(&message(1500), &[]);
    expect(
        &message(1501),
        &[&format!(
            "a.proto:3:9: Message name M should not contain more than 1500 fields{OPT_OUT}"
        )],
    );
}

#[test]
fn fields_per_message_only_from_edition_2026() {
    let source = format!(
        "edition = \"2024\";\npackage l;\nmessage M {{\n{}}}\n",
        fields(1501, 1, "f", "  ")
    );
    expect(&source, &[]);
    let proto3 = format!(
        "syntax = \"proto3\";\npackage l;\nmessage M {{\n{}}}\n",
        fields(1501, 1, "f", "  ")
    );
    expect(&proto3, &[]);
}

#[test]
fn extensions_and_map_fields_count_as_declared() {
    // Extensions declared in a message are not its fields; map fields are.
    let source = format!(
        "edition = \"2026\";\npackage l;\n{WITH_DESCRIPTOR}message Target {{ extensions 1 to 5000; }}\nmessage M {{\n{}  extend Target {{\n{}  }}\n}}\nmessage Maps {{\n{}}}\n",
        fields(1500, 1, "f", "  "),
        fields(10, 1, "x", "    "),
        (1..=1501)
            .map(|n| format!("  map<int32, int32> m{n} = {n};\n"))
            .collect::<String>(),
    );
    let lines = check(&source);
    assert_eq!(
        lines,
        [format!(
            "a.proto:1521:9: Message name Maps should not contain more than 1500 fields{OPT_OUT}"
        )]
    );
}

#[test]
fn opting_out() {
    let message = format!(
        "edition = \"2026\";\npackage l;\n{WITH_DESCRIPTOR}message M {{\n  option features.enforce_proto_limits = LEGACY_NO_EXPLICIT_LIMITS;\n{}  oneof big {{\n{}  }}\n  enum Inner {{\n{}  }}\n}}\nenum Outer {{\n  option features.enforce_proto_limits = LEGACY_NO_EXPLICIT_LIMITS;\n{}}}\n",
        fields(1501, 1, "f", "  "),
        fields(1201, 2000, "g", "    "),
        values(1701, "INNER", "    "),
        values(1701, "OUTER", "  "),
    );
    expect(&message, &[]);
    // Only on the element itself: a oneof opting out leaves its message checked.
    let oneof = format!(
        "edition = \"2026\";\npackage l;\n{WITH_DESCRIPTOR}message M {{\n  oneof big {{\n    option features.enforce_proto_limits = LEGACY_NO_EXPLICIT_LIMITS;\n{}  }}\n  oneof small {{\n{}  }}\n}}\n",
        fields(1201, 1, "g", "    "),
        fields(300, 2000, "h", "    "),
    );
    expect(
        &oneof,
        &[&format!(
            "a.proto:6:9: Message name M should not contain more than 1500 fields{OPT_OUT}"
        )],
    );
}

#[test]
fn oneofs_per_message() {
    let message = |count| {
        let oneofs: String = (1..=count)
            .map(|n| format!("  oneof o{n} {{ int32 f{n} = {n}; }}\n"))
            .collect();
        format!("edition = \"2026\";\npackage l;\nmessage M {{\n{oneofs}}}\n")
    };
    expect(&message(1000), &[]);
    expect(
        &message(1001),
        &[&format!(
            "a.proto:3:9: Message name M should not contain more than 1000 oneofs{OPT_OUT}"
        )],
    );
}

#[test]
fn fields_per_oneof() {
    let message = |count| {
        format!(
            "edition = \"2026\";\npackage l;\nmessage M {{\n  oneof big {{\n{}  }}\n}}\n",
            fields(count, 1, "f", "    ")
        )
    };
    expect(&message(1200), &[]);
    // protoc has no position for a oneof's name.
    expect(
        &message(1201),
        &[&format!(
            "a.proto: Oneof name big should not contain more than 1200 fields{OPT_OUT}"
        )],
    );
}

#[test]
fn values_per_enum() {
    let enum_ = |count| {
        format!(
            "edition = \"2026\";\npackage l;\nenum E {{\n{}}}\n",
            values(count, "E", "  ")
        )
    };
    expect(&enum_(1700), &[]);
    expect(
        &enum_(1701),
        &[&format!(
            "a.proto:3:6: Enum name E should not contain more than 1700 values{OPT_OUT}"
        )],
    );
}

#[test]
fn limits_in_visit_order() {
    // A message, then its enums, oneofs and nested messages; top-level enums after messages.
    let source = format!(
        "edition = \"2026\";\npackage l;\nenum TopE {{\n{}}}\nmessage Outer {{\n  message Inner {{\n{}  }}\n  enum NestedE {{\n{}  }}\n  oneof big {{\n{}  }}\n}}\n",
        values(1701, "TOP", "  "),
        fields(1501, 1, "f", "    "),
        values(1701, "NESTED", "    "),
        fields(1501, 1, "g", "    "),
    );
    let lines = check(&source);
    let starts: Vec<&str> = lines
        .iter()
        .map(|line| line.split(" should").next().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "a.proto:1706:9: Message name Outer",
            "a.proto:3210:8: Enum name NestedE",
            "a.proto: Oneof name big",
            "a.proto:1707:11: Message name Inner",
            "a.proto:3:6: Enum name TopE",
        ]
    );
}

#[test]
fn limits_after_naming_style_before_visibility() {
    let body = fields(1501, 1, "f", "  ");
    // A naming-style error hides the limits.
    let naming =
        format!("edition = \"2026\";\npackage l;\nmessage M {{\n{body}}}\nmessage bad_name {{}}\n");
    let lines = check(&naming);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("Message name bad_name should be TitleCase"));
    // The limits hide visibility errors.
    let visibility = format!(
        "edition = \"2026\";\npackage l;\nmessage N {{ export message L {{}} }}\nmessage M {{\n{body}}}\n"
    );
    expect(
        &visibility,
        &[&format!(
            "a.proto:4:9: Message name M should not contain more than 1500 fields{OPT_OUT}"
        )],
    );
}

#[test]
fn fields_per_message_any_edition() {
    // Numbers skip protoc's reserved 19000 to 19999.
    let message = |count: usize| {
        let fields: String = (1..=count)
            .map(|i| {
                let number = if i < 19_000 { i } else { i + 1000 };
                format!("  int32 f{i} = {number};\n")
            })
            .collect();
        format!("syntax = \"proto3\";\npackage b;\nmessage M {{\n{fields}}}\n")
    };
    expect(&message(65_535), &[]);
    expect(
        &message(65_536),
        &["a.proto: 65536 fields in b.M exceeds the limit of 65535"],
    );
}

#[test]
fn package_depth() {
    let package = |dots: usize| vec!["p"; dots + 1].join(".");
    expect(
        &format!(
            "syntax = \"proto3\";\npackage {};\nmessage M {{}}\n",
            package(100)
        ),
        &[],
    );
    // protoc stops building the file: nothing else of it is reported, not even its imports
    // that failed (their own errors are).
    let lines = super::check_inputs(
        &[
            (
                "broken.proto",
                "syntax = \"proto3\";\nmessage B { Nope n = 1; }\n",
            ),
            (
                "a.proto",
                &format!(
                    "syntax = \"proto3\";\nimport \"missing.proto\";\nimport \"broken.proto\";\npackage {};\nmessage M {{ Undefined u = 1; }}\n",
                    package(101)
                ),
            ),
        ],
        &["a.proto"],
    );
    assert_eq!(
        lines,
        [
            "missing.proto: File not found.",
            "broken.proto:2:13: \"Nope\" is not defined.",
            "a.proto:4:1: Exceeds Maximum Package Depth",
        ]
    );
}

#[test]
fn package_name_length() {
    let package = |len: usize| format!("{}.{}", "a".repeat(200), "b".repeat(len - 201));
    expect(
        &format!(
            "syntax = \"proto3\";\npackage {};\nmessage M {{}}\n",
            package(511)
        ),
        &[],
    );
    // Refused before the imports are even loaded, and before the depth is looked at.
    let deep_and_long = vec!["pp"; 200].join(".");
    for package in [package(512), deep_and_long] {
        let source = format!(
            "syntax = \"proto3\";\nimport \"missing.proto\";\npackage {package};\nmessage M {{ Undefined u = 1; }}\n"
        );
        expect(&source, &["a.proto:3:1: Package name is too long"]);
    }
}

#[test]
fn package_errors_in_imports_and_cycles() {
    let deep = vec!["d"; 102].join(".");
    let long = "l".repeat(600);
    let lines = super::check_inputs(
        &[
            (
                "a.proto",
                "syntax = \"proto3\";\nimport \"deep.proto\";\nimport \"long.proto\";\nmessage M { d.d.M x = 1; }\n",
            ),
            (
                "deep.proto",
                &format!(
                    "syntax = \"proto3\";\npackage {deep};\nimport \"a.proto\";\nmessage M {{}}\n"
                ),
            ),
            (
                "long.proto",
                &format!(
                    "syntax = \"proto3\";\npackage {long};\nimport \"a.proto\";\nimport \"nothere.proto\";\nmessage M {{}}\n"
                ),
            ),
        ],
        &["a.proto", "deep.proto", "long.proto"],
    );
    assert!(lines.contains(&"deep.proto:2:1: Exceeds Maximum Package Depth".to_string()));
    assert!(lines.contains(&"long.proto:2:1: Package name is too long".to_string()));
}

/// `depth` messages nested in each other, the innermost holding `inner`.
fn nested_messages(depth: usize, inner: &str) -> String {
    let mut out = String::from("syntax = \"proto3\";\n");
    for i in 0..depth {
        out.push_str(&format!("message M{i} {{\n"));
    }
    out.push_str(inner);
    out.push_str(&"}\n".repeat(depth));
    out
}

#[test]
fn nesting_of_map_entries() {
    // The parser allows 31 levels of messages; a map entry inside the 31st is the 32nd, which
    // the builder refuses.
    expect(&nested_messages(30, "map<string, int32> m = 1;\n"), &[]);
    expect(
        &nested_messages(31, "map<string, int32> m = 1;\n"),
        &[
            "a.proto: Reached maximum recursion limit for nested messages.",
            "a.proto:33:1: \"MEntry\" is not defined.",
        ],
    );
    expect(
        &nested_messages(32, ""),
        &["a.proto:33:1: Reached maximum recursion limit for nested messages."],
    );
}

#[test]
fn nesting_of_groups() {
    let groups = |depth: usize, inner: &str| {
        let mut out = String::from("syntax = \"proto2\";\nmessage Top {\n");
        for i in 0..depth {
            out.push_str(&format!("optional group G{i} = {} {{\n", i + 1));
        }
        out.push_str(inner);
        out.push_str(&"}\n".repeat(depth));
        out.push_str("optional Undefined after = 100;\n}\n");
        out
    };
    let lines = check(&groups(30, ""));
    assert_eq!(lines, ["a.proto:63:10: \"Undefined\" is not defined."]);
    // The 32nd level (G30) still builds its fields, enums and extensions (and reports their
    // errors), but not itself, its nested messages or the checks across its members.
    let inner = "reserved \"r\";\noptional int32 r = 1;\noptional int32 dup = 2;\noptional int32 dup = 3;\nenum Color { RED = 0; RED = 1; }\nmessage Nested { optional int32 a = 1; optional int32 a = 2; }\noptional Nested n = 5;\nreserved 9 to 10, 10 to 11;\noptional group Deeper = 6 { optional int32 x = 1; optional int32 x = 2; }\n";
    let lines = check(&groups(31, inner));
    assert!(
        lines
            .iter()
            .any(|l| l == "a.proto: Reached maximum recursion limit for nested messages."),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.ends_with("\"G30\" is not defined.")));
    let lines = check(&groups(40, ""));
    assert_eq!(
        lines,
        [
            "a.proto: Reached maximum recursion limit for nested messages.",
            "a.proto:34:10: \"G31\" is not defined.",
            "a.proto:33:10: \"G30\" is not defined.",
            "a.proto:83:10: \"Undefined\" is not defined.",
        ]
    );
}

/// A name of `len` characters starting with `first`.
fn long_name(first: char, len: usize) -> String {
    let mut name = first.to_string();
    name.push_str(&"a".repeat(len - 1));
    name
}

#[test]
fn names_too_long() {
    let max = 65_535;
    // A message's name, and a field's full name through it.
    expect(
        &format!(
            "syntax = \"proto3\";\nmessage {} {{}}\n",
            long_name('A', max)
        ),
        &[],
    );
    expect(
        &format!(
            "syntax = \"proto3\";\nmessage {} {{ int32 x = 1; }}\nmessage Other {{ {} ref = 1; }}\n",
            long_name('A', max + 1),
            long_name('A', max + 1)
        ),
        &[
            "a.proto:2:9: Name too long.",
            &format!(
                "a.proto:3:17: \"{}\" is not defined.",
                long_name('A', max + 1)
            ),
        ],
    );
    expect(
        &format!(
            "syntax = \"proto3\";\nmessage {} {{ int32 x = 1; }}\n",
            long_name('A', max)
        ),
        &["a.proto:2:65553: Name too long."],
    );
    // Both renamed `unknown`, which then collides.
    let lines = check(&format!(
        "syntax = \"proto3\";\nmessage {} {{ int32 x = 1; }}\nmessage {} {{ int32 x = 1; }}\n",
        long_name('A', max + 1),
        long_name('B', max + 1)
    ));
    assert_eq!(
        lines,
        [
            "a.proto:2:9: Name too long.",
            "a.proto:3:9: Name too long.",
            "a.proto:3:65554: \"x\" is already defined in \"unknown\".",
            "a.proto:3:9: \"unknown\" is already defined.",
        ]
    );
    // A renamed element is `unknown` at the root, and names are resolved from there: a field's
    // type and extendee from the root, a renamed message's members from `unknown`.
    let long_field = long_name('a', max);
    check(&format!(
        "syntax = \"proto3\";\npackage p;\nmessage M {{ message N {{}} N {long_field} = 1; }}\n"
    ));
    check(&format!(
        "syntax = \"proto2\";\npackage p;\nmessage M {{ extensions 1 to 9; message N {{}} extend M {{ optional N {long_field} = 1; }} }}\n"
    ));
    check(&format!(
        "syntax = \"proto3\";\npackage p;\nmessage {} {{ message N {{}} N n = 1; }}\n",
        long_name('A', max)
    ));
    let mut map_name = String::from("a");
    while map_name.len() < 16_383 {
        map_name.push_str("Ba");
    }
    map_name.truncate(16_383);
    check(&format!(
        "syntax = \"proto3\";\nmessage M {{ map<int32, int32> {map_name} = 1; }}\n"
    ));
    // Full names in a package.
    let in_package = |len| {
        format!(
            "syntax = \"proto3\";\npackage p;\nmessage {} {{}}\nenum E {{ {} = 0; }}\n",
            long_name('A', len),
            long_name('V', len),
        )
    };
    expect(&in_package(max - 2), &[]);
    expect(
        &in_package(max - 1),
        &[
            "a.proto:3:9: Name too long.",
            "a.proto:4:10: Name too long.",
        ],
    );
    // A renamed enum's values are at the root.
    let lines = check(&format!(
        "syntax = \"proto3\";\nenum Other {{ VALUE = 0; }}\nmessage {} {{ enum Enum {{ VALUE = 0; }} }}\n",
        long_name('A', max - 3)
    ));
    assert_eq!(
        lines[..2],
        [
            "a.proto:3:65549: Name too long.",
            "a.proto:2:14: \"VALUE\" is already defined."
        ]
    );
    // Oneofs (no position), services and methods.
    expect(
        &format!(
            "syntax = \"proto3\";\nmessage M {{ oneof {} {{ int32 x = 1; }} }}\n",
            long_name('o', max + 1)
        ),
        &["a.proto: Name too long."],
    );
    let lines = check(&format!(
        "syntax = \"proto3\";\nmessage M {{}}\nservice {} {{ rpc {}(M) returns (M); }}\n",
        long_name('S', max + 1),
        long_name('R', max + 1)
    ));
    assert_eq!(
        lines[..3],
        [
            "a.proto:3:9: Name too long.",
            "a.proto:3:65552: Name too long.",
            "a.proto:3:9: \"unknown\" is already defined."
        ]
    );
}

#[test]
fn field_names_too_long() {
    let max = 65_535;
    let field = |name: &str, json: Option<usize>| {
        let option = json.map_or(String::new(), |len| {
            format!(" [json_name = \"{}\"]", "j".repeat(len))
        });
        format!("syntax = \"proto3\";\npackage p;\nmessage M {{ int32 {name} = 1{option}; }}\n")
    };
    // All lower case: the full name counts.
    expect(&field(&"f".repeat(max - 4), None), &[]);
    expect(
        &field(&"f".repeat(max - 3), None),
        &["a.proto:3:19: Name too long."],
    );
    // snake_case: the full name and the camel-case name are stored together.
    let snake = |pairs: usize| "a_b".repeat(pairs);
    expect(&field(&snake(13_105), None), &[]);
    expect(
        &field(&snake(13_106), None),
        &["a.proto:3:19: Name too long."],
    );
    // Other names, or a custom JSON name: five names together.
    expect(&field("x", Some(max - 11)), &[]);
    expect(
        &field("x", Some(max - 10)),
        &["a.proto:3:19: Name too long."],
    );
    expect(&field(&long_name('F', 16_381), None), &[]);
    expect(
        &field(&long_name('F', 16_382), None),
        &["a.proto:3:19: Name too long."],
    );
}

#[test]
fn reserved_names_too_long() {
    let source = |len| {
        let name = "r".repeat(len);
        format!(
            "syntax = \"proto3\";\nmessage M {{ reserved \"{name}\"; int32 y = 2; }}\nenum E {{ reserved \"{name}\"; E0 = 0; }}\n"
        )
    };
    expect(&source(65_535), &[]);
    expect(
        &source(65_536),
        &[
            "a.proto:2:9: Reserved name too long.",
            "a.proto:3:6: Reserved name too long.",
        ],
    );
}
