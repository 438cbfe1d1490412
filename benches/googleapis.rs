//! Compiling all of googleapis (`--include_imports --include_source_info`): Rivet in-process,
//! and Rivet, protoc and protox as processes, in one criterion group.
//!
//! Needs the corpus that `scripts/bench-googleapis.sh` prepares under `target/corpus/`
//! (google-proto-files without its copy of google/protobuf/; that script also installs protox
//! and measures peak memory). Without it the bench says so and does nothing.
//! Run: `cargo bench --bench googleapis`.
//!
//! Environment (all optional): `RIVET_GOOGLEAPIS_ROOT` and `RIVET_GOOGLEAPIS_FILES` (the root and
//! the input list; default: the prepared corpus), `RIVET_BIN` (default `target/release/rivet`, benched only if
//! it exists), `PROTOX_BIN` (default `target/tools/bin/protox`, likewise).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rivet_compiler::Compiler;

struct Corpus {
    root: PathBuf,
    list: PathBuf,
    files: Vec<String>,
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The corpus prepared by `prepare_bench_corpus` in scripts/corpus.sh: a root
/// `googleapis-<version>-bench/` and its input list `googleapis-<version>-bench.files`.
fn corpus() -> Option<Corpus> {
    let (root, list) = match (
        std::env::var_os("RIVET_GOOGLEAPIS_ROOT"),
        std::env::var_os("RIVET_GOOGLEAPIS_FILES"),
    ) {
        (Some(root), Some(list)) => (PathBuf::from(root), PathBuf::from(list)),
        _ => {
            let mut lists: Vec<PathBuf> = std::fs::read_dir(target_dir().join("corpus"))
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with("googleapis-") && n.ends_with("-bench.files")
                    })
                })
                .collect();
            lists.sort();
            let list = lists.pop()?;
            (list.with_extension(""), list)
        }
    };
    let files: Vec<String> = std::fs::read_to_string(&list)
        .ok()?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    (root.is_dir() && !files.is_empty()).then_some(Corpus { root, list, files })
}

fn existing(env: &str, default: PathBuf) -> Option<PathBuf> {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or(default);
    path.is_file().then_some(path)
}

/// Runs a compiler process over the corpus and checks that it succeeded.
fn run_process(
    corpus: &Corpus,
    program: &Path,
    subcommand: Option<&str>,
    use_list_file: bool,
    out: &Path,
) {
    let mut command = Command::new(program);
    command.current_dir(&corpus.root);
    if let Some(subcommand) = subcommand {
        command.arg(subcommand);
    }
    command
        .args(["-I.", "--include_imports", "--include_source_info", "-o"])
        .arg(out);
    if use_list_file {
        command.arg(format!("@{}", corpus.list.display()));
    } else {
        command.args(&corpus.files);
    }
    let output = command.output().expect("spawn compiler");
    assert!(
        output.status.success(),
        "{} failed:\n{}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .take(10)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn googleapis(c: &mut Criterion) {
    let Some(corpus) = corpus() else {
        eprintln!("googleapis bench skipped: no corpus; run scripts/bench-googleapis.sh first");
        return;
    };
    let scratch = tempfile::tempdir().expect("temp dir");
    let out = scratch.path().join("out.pb");
    eprintln!(
        "googleapis: {} files in {}",
        corpus.files.len(),
        corpus.root.display()
    );

    let mut group = c.benchmark_group("googleapis");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));

    group.bench_function("rivet in-process", |b| {
        b.iter(|| {
            let mut compiler = Compiler::new();
            compiler
                .include_path(&corpus.root)
                .include_imports(true)
                .include_source_info(true);
            match compiler.compile(&corpus.files) {
                Ok(compilation) => compilation.encode_descriptor_set(),
                Err(error) => panic!(
                    "rivet rejects googleapis:\n{}",
                    error
                        .diagnostics
                        .iter()
                        .take(10)
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
            }
        })
    });

    if let Some(rivet) = existing("RIVET_BIN", target_dir().join("release/rivet")) {
        group.bench_function("rivet process", |b| {
            b.iter(|| run_process(&corpus, &rivet, Some("compile"), true, &out))
        });
    } else {
        eprintln!(
            "rivet process skipped: build it with `cargo build --release -p rivet-cli` or set RIVET_BIN"
        );
    }

    let protoc = protoc_bin_vendored::protoc_bin_path().expect("vendored protoc");
    group.bench_function("protoc process", |b| {
        b.iter(|| run_process(&corpus, &protoc, None, true, &out))
    });

    if let Some(protox) = existing("PROTOX_BIN", target_dir().join("tools/bin/protox")) {
        group.bench_function("protox process", |b| {
            b.iter(|| run_process(&corpus, &protox, None, false, &out))
        });
    } else {
        eprintln!(
            "protox process skipped: scripts/bench-googleapis.sh installs it (or set PROTOX_BIN)"
        );
    }
    group.finish();
}

criterion_group!(benches, googleapis);
criterion_main!(benches);
