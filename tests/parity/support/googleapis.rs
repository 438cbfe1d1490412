//! The googleapis corpus, compiled whole by protoc and by the `rivet` binary (run by
//! `scripts/googleapis-parity.sh`, which fetches the corpus and builds the binary).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::wire_diff::compare_sets;
use super::{Mode, protoc, schema, scratch_dir};

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os(name).unwrap_or_else(|| {
        panic!("{name} is not set: run scripts/googleapis-parity.sh, which sets it")
    }))
}

/// Compiles the whole googleapis corpus with protoc and with the `rivet` binary, one invocation
/// each per output mode, and requires every file's descriptor to be identical.
///
/// Environment: `RIVET_GOOGLEAPIS_ROOT` (include root, the compilers run there),
/// `RIVET_GOOGLEAPIS_FILES` (a file listing the inputs, one per line, relative to the root),
/// `RIVET_BIN` (the `rivet` binary), and optionally `RIVET_GOOGLEAPIS_OUT` (where the
/// descriptor sets are kept).
#[test]
#[ignore = "needs the googleapis corpus: run scripts/googleapis-parity.sh"]
fn googleapis() {
    let root = env_path("RIVET_GOOGLEAPIS_ROOT");
    let list = std::fs::read_to_string(env_path("RIVET_GOOGLEAPIS_FILES")).expect("read file list");
    let inputs: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let rivet = env_path("RIVET_BIN");
    let out_dir = std::env::var_os("RIVET_GOOGLEAPIS_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| scratch_dir().join("googleapis"));
    std::fs::create_dir_all(&out_dir).expect("create output dir");
    let out_dir = std::fs::canonicalize(&out_dir).expect("canonical output dir");
    eprintln!(
        "googleapis: {} input files in {}",
        inputs.len(),
        root.display()
    );

    let modes = [
        ("plain", Mode::PLAIN),
        ("source_info", Mode::SOURCE_INFO),
        ("imports", Mode::IMPORTS),
        ("imports_source_info", Mode::IMPORTS_SOURCE_INFO),
    ];
    let mut failed = Vec::new();
    for (label, mode) in modes {
        let run = |tool: &str, program: &Path| -> (Vec<u8>, Duration) {
            let out = out_dir.join(format!("{tool}-{label}.pb"));
            let _ = std::fs::remove_file(&out);
            let mut command = Command::new(program);
            if tool == "rivet" {
                command.arg("compile");
            }
            command
                .current_dir(&root)
                .arg("-I.")
                .arg(format!("--descriptor_set_out={}", out.display()))
                .args(mode.protoc_flags())
                .args(&inputs);
            let started = Instant::now();
            let output = command
                .output()
                .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
            let elapsed = started.elapsed();
            let stderr = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() {
                let head: Vec<&str> = stderr.lines().take(20).collect();
                panic!(
                    "{tool} failed on googleapis ({}):\n{}",
                    mode.describe(),
                    head.join("\n")
                );
            }
            (std::fs::read(&out).expect("read descriptor set"), elapsed)
        };
        let (expected, protoc_time) = run("protoc", protoc());
        let (actual, rivet_time) = run("rivet", &rivet);
        let comparison = compare_sets(schema(), &expected, &actual);
        eprintln!(
            "googleapis [{}]: {} identical, {} different files; protoc {:.2?}, rivet {:.2?}",
            mode.describe(),
            comparison.identical.len(),
            comparison.different.len(),
            protoc_time,
            rivet_time
        );
        for problem in &comparison.structural {
            eprintln!(
                "  {}",
                problem
                    .lines()
                    .map(|l| l.chars().take(400).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            );
        }
        for (file, difference) in comparison.different.iter().take(10) {
            eprintln!("  {file}: {difference}");
        }
        if comparison.different.len() > 10 {
            eprintln!("  ... and {} more", comparison.different.len() - 10);
        }
        if !comparison.is_identical() {
            failed.push(mode.describe());
        }
    }
    assert!(
        failed.is_empty(),
        "googleapis descriptor sets differ from protoc's in modes: {failed:?}"
    );
}
