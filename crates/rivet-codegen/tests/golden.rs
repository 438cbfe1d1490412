//! The checked-in output in `tests/generated/` is what rivet-codegen generates today for every
//! file in `tests/data/` (including the editions files, which prost-build cannot compare).
//! `tests/compile.rs` compiles that output, so this test is what ties the compile test to the
//! current generator. Regenerate with `RIVET_BLESS=1 cargo test -p rivet-codegen --test golden`.

mod common;

use std::path::Path;

use common::{descriptor_set_bytes, line_diff, read_dir, rivet_output};
use rivet_codegen::Generator;

/// Every test file.
pub const ALL_FILES: &[&str] = &[
    "proto2.proto",
    "proto3.proto",
    "common.proto",
    "app.proto",
    "wkt.proto",
    "streaming.proto",
    "no_package.proto",
    "helloworld.proto",
    "route_guide.proto",
    "equivalent_proto2.proto",
    "proto3_twin.proto",
    "divergence.proto",
    "editions2023.proto",
    "editions_twin.proto",
    "editions_proto3_twin.proto",
];

#[test]
fn generated_code_is_current() {
    let bytes = descriptor_set_bytes(ALL_FILES);
    let generated = rivet_output(&bytes, &Generator::new().include_file("_includes.rs"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generated");
    if std::env::var_os("RIVET_BLESS").is_some() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, content) in &generated {
            std::fs::write(dir.join(name), content).unwrap();
        }
    }
    let checked_in = read_dir(&dir);
    assert_eq!(
        checked_in.keys().collect::<Vec<_>>(),
        generated.keys().collect::<Vec<_>>(),
        "tests/generated is stale: rerun with RIVET_BLESS=1"
    );
    for (name, content) in &generated {
        assert!(
            &checked_in[name] == content,
            "tests/generated/{name} is stale (rerun with RIVET_BLESS=1):\n{}",
            line_diff(&checked_in[name], content)
        );
    }
}
