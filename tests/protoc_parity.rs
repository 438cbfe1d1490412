//! Parity with protoc, the specification.
//!
//! Every case is run through the real protoc (from `protoc-bin-vendored`) and through
//! `rivet_compiler::Compiler` with the same include paths and inputs, and the results must be
//! identical: the same `FileDescriptorSet` bytes for accepted inputs, in every output mode, and
//! the same `file:line:col: message` lines for rejected ones. Each test runs every case and
//! reports all failing cases, each with the first differing field (or a line diff).
//!
//! Cases (see `tests/parity/README.md`):
//! - `tests/parity/ok/*.proto` and `tests/parity/ok/<dir>/`: inputs protoc accepts;
//! - the well-known types shipped with protoc (`google/protobuf/**.proto`), resolved without
//!   any include path on Rivet's side, so they come from its embedded copies;
//! - `protos/`: the examples' protos;
//! - `tests/parity/err/*.proto` and `tests/parity/err/<dir>/`: inputs protoc rejects, each with
//!   protoc's exact stderr in a sibling `.stderr` file. `scripts/bless-parity.sh` (or
//!   `RIVET_BLESS=1`) regenerates those files.
//!
//! The googleapis corpus test (`googleapis::googleapis`) is `#[ignore]`d; `scripts/googleapis-parity.sh`
//! prepares the corpus and runs it.

#[path = "parity/support/wire_diff.rs"]
mod wire_diff;

#[path = "parity/support/googleapis.rs"]
mod googleapis;

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use rivet_compiler::{Compiler, Diagnostic, ErrorFormat};
use wire_diff::{Schema, compare_sets, line_diff};

/// Output flags, as on protoc's command line.
#[derive(Clone, Copy, Debug)]
struct Mode {
    source_info: bool,
    imports: bool,
    retain_options: bool,
}

impl Mode {
    const PLAIN: Mode = Mode {
        source_info: false,
        imports: false,
        retain_options: false,
    };
    const SOURCE_INFO: Mode = Mode {
        source_info: true,
        imports: false,
        retain_options: false,
    };
    const IMPORTS: Mode = Mode {
        source_info: false,
        imports: true,
        retain_options: false,
    };
    const IMPORTS_SOURCE_INFO: Mode = Mode {
        source_info: true,
        imports: true,
        retain_options: false,
    };
    const RETAIN_OPTIONS: Mode = Mode {
        source_info: true,
        imports: true,
        retain_options: true,
    };

    fn protoc_flags(self) -> Vec<&'static str> {
        let mut flags = Vec::new();
        if self.imports {
            flags.push("--include_imports");
        }
        if self.source_info {
            flags.push("--include_source_info");
        }
        if self.retain_options {
            flags.push("--retain_options");
        }
        flags
    }

    fn describe(self) -> String {
        let flags = self.protoc_flags();
        if flags.is_empty() {
            "no flags".into()
        } else {
            flags.join(" ")
        }
    }
}

/// One include-path entry: `-I disk` or `-Ivirtual=disk`.
#[derive(Clone, Debug)]
struct Include {
    virtual_prefix: String,
    disk: PathBuf,
}

impl Include {
    fn plain(disk: impl Into<PathBuf>) -> Self {
        Include {
            virtual_prefix: String::new(),
            disk: disk.into(),
        }
    }

    fn protoc_arg(&self) -> String {
        if self.virtual_prefix.is_empty() {
            format!("-I{}", self.disk.display())
        } else {
            format!("-I{}={}", self.virtual_prefix, self.disk.display())
        }
    }
}

/// A compilation to run through both compilers.
#[derive(Clone, Debug)]
struct Case {
    /// How the case is named in reports, e.g. `ok/proto2_defaults.proto`.
    name: String,
    includes: Vec<Include>,
    /// Input files exactly as given on protoc's command line (disk paths relative to the
    /// package root, or virtual paths).
    inputs: Vec<String>,
    /// For error cases: the file holding protoc's expected stderr.
    expected_stderr: Option<PathBuf>,
}

// ---------------------------------------------------------------------------------------------
// Environment

fn package_root() -> &'static Path {
    // Integration tests run in the package root already; make sure, since all case paths are
    // relative to it (so that they print as protoc prints them, and match the .stderr files).
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        std::env::set_current_dir(&root).expect("cd to the package root");
        root
    })
}

fn protoc() -> &'static Path {
    static PROTOC: OnceLock<PathBuf> = OnceLock::new();
    PROTOC.get_or_init(|| protoc_bin_vendored::protoc_bin_path().expect("vendored protoc"))
}

/// protoc's own include directory (the well-known types it ships).
fn protoc_include() -> &'static Path {
    static INCLUDE: OnceLock<PathBuf> = OnceLock::new();
    INCLUDE.get_or_init(|| protoc_bin_vendored::include_path().expect("vendored protoc include"))
}

fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path()
}

/// The schema of descriptor.proto, read from protoc's own encoding of it.
fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let case = Case {
            name: "schema".into(),
            includes: vec![Include::plain(protoc_include())],
            inputs: vec!["google/protobuf/descriptor.proto".into()],
            expected_stderr: None,
        };
        let run = run_protoc(&case, Mode::PLAIN, ErrorFormat::Gcc);
        let set = run
            .descriptor_set
            .expect("protoc compiles descriptor.proto");
        Schema::from_descriptor_set(&set).expect("descriptor.proto's descriptor parses")
    })
}

// ---------------------------------------------------------------------------------------------
// Case discovery

const OK_DIR: &str = "tests/parity/ok";
const ERR_DIR: &str = "tests/parity/err";

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    entries
}

fn proto_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in sorted_entries(dir) {
        if entry.is_dir() {
            files.extend(proto_files_under(&entry));
        } else if entry.extension().is_some_and(|e| e == "proto") {
            files.push(entry);
        }
    }
    files.sort();
    files
}

fn path_string(path: &Path) -> String {
    path.to_str().expect("UTF-8 path").to_string()
}

/// A directory case: `-I <dir>` and every `.proto` below it in sorted order, unless the
/// directory has an `args.txt` (one protoc argument per line: `-I[virtual=]disk` with `disk`
/// relative to the case directory, or an input file, relative to the case directory if such a
/// file exists and virtual otherwise).
fn directory_case(dir: &Path, name: String, expected_stderr: Option<PathBuf>) -> Case {
    let args_file = dir.join("args.txt");
    if !args_file.exists() {
        return Case {
            name,
            includes: vec![Include::plain(dir)],
            inputs: proto_files_under(dir)
                .iter()
                .map(|p| path_string(p))
                .collect(),
            expected_stderr,
        };
    }
    let args = std::fs::read_to_string(&args_file).expect("read args.txt");
    let mut case = Case {
        name,
        includes: Vec::new(),
        inputs: Vec::new(),
        expected_stderr,
    };
    for line in args
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if let Some(spec) = line.strip_prefix("-I") {
            let (virtual_prefix, disk) = spec.split_once('=').unwrap_or(("", spec));
            case.includes.push(Include {
                virtual_prefix: virtual_prefix.to_string(),
                disk: dir.join(disk),
            });
        } else if dir.join(line).exists() {
            case.inputs.push(path_string(&dir.join(line)));
        } else {
            case.inputs.push(line.to_string());
        }
    }
    case
}

fn ok_cases() -> Vec<Case> {
    package_root();
    let mut cases = Vec::new();
    for entry in sorted_entries(Path::new(OK_DIR)) {
        let name = format!("ok/{}", entry.file_name().unwrap().to_string_lossy());
        if entry.is_dir() {
            cases.push(directory_case(&entry, format!("{name}/"), None));
        } else if entry.extension().is_some_and(|e| e == "proto") {
            cases.push(Case {
                name,
                includes: vec![Include::plain(OK_DIR)],
                inputs: vec![path_string(&entry)],
                expected_stderr: None,
            });
        }
    }
    // The well-known types, as inputs. protoc finds them in its own include directory; Rivet
    // gets only an empty include path, so they must come from its embedded copies.
    let empty = scratch_dir().join("empty-include");
    std::fs::create_dir_all(&empty).expect("create empty include dir");
    for file in proto_files_under(protoc_include()) {
        let virtual_path = path_string(file.strip_prefix(protoc_include()).unwrap());
        cases.push(Case {
            name: format!("wkt/{virtual_path}"),
            includes: vec![Include::plain(&empty)],
            inputs: vec![virtual_path],
            expected_stderr: None,
        });
    }
    // The examples' protos, all in one compilation.
    let protos = Path::new("protos");
    if protos.is_dir() && !proto_files_under(protos).is_empty() {
        cases.push(directory_case(protos, "protos/".into(), None));
    }
    cases
}

fn err_cases() -> Vec<Case> {
    package_root();
    let mut cases = Vec::new();
    for entry in sorted_entries(Path::new(ERR_DIR)) {
        let file_name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if entry.is_dir() {
            let expected = entry.with_file_name(format!("{file_name}.stderr"));
            cases.push(directory_case(
                &entry,
                format!("err/{file_name}/"),
                Some(expected),
            ));
        } else if entry.extension().is_some_and(|e| e == "proto") {
            cases.push(Case {
                name: format!("err/{file_name}"),
                includes: vec![Include::plain(ERR_DIR)],
                inputs: vec![path_string(&entry)],
                expected_stderr: Some(entry.with_extension("stderr")),
            });
        }
    }
    cases
}

// ---------------------------------------------------------------------------------------------
// Running the two compilers

struct ProtocRun {
    /// The descriptor set written, when protoc succeeded.
    descriptor_set: Option<Vec<u8>>,
    /// protoc's stderr as it printed it (diagnostics can quote bytes that are not UTF-8).
    stderr_bytes: Vec<u8>,
    /// The same, as text that tells every byte apart (see [`exact_text`]): compared exactly.
    stderr: String,
}

fn run_protoc(case: &Case, mode: Mode, format: ErrorFormat) -> ProtocRun {
    let root = package_root();
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let out = scratch_dir().join(format!("protoc-{n}.pb"));
    let mut command = Command::new(protoc());
    command.current_dir(root);
    for include in &case.includes {
        command.arg(include.protoc_arg());
    }
    command.arg(format!("--descriptor_set_out={}", out.display()));
    command.args(mode.protoc_flags());
    if format == ErrorFormat::Msvs {
        command.arg("--error_format=msvs");
    }
    command.args(&case.inputs);
    let output = command.output().expect("run protoc");
    let descriptor_set = if output.status.success() {
        Some(std::fs::read(&out).expect("protoc wrote its output"))
    } else {
        None
    };
    let _ = std::fs::remove_file(&out);
    ProtocRun {
        descriptor_set,
        stderr: exact_text(&output.stderr),
        stderr_bytes: output.stderr,
    }
}

enum RivetRun {
    Accepted {
        descriptor_set: Vec<u8>,
        warnings: Vec<Diagnostic>,
    },
    Rejected(Vec<Diagnostic>),
    Panicked(String),
}

fn run_rivet(case: &Case, mode: Mode) -> RivetRun {
    package_root();
    let mut compiler = Compiler::new();
    for include in &case.includes {
        compiler.include_mapping(include.virtual_prefix.clone(), include.disk.clone());
    }
    compiler
        .include_source_info(mode.source_info)
        .include_imports(mode.imports)
        .retain_options(mode.retain_options);
    match catch_unwind(AssertUnwindSafe(|| compiler.compile(&case.inputs))) {
        Ok(Ok(compilation)) => {
            let descriptor_set = compilation.encode_descriptor_set();
            // The CLI's path encodes each file (and its SourceCodeInfo) directly: it must
            // produce the very same bytes.
            let encoded = compiler
                .compile_encoded(&case.inputs)
                .map(|encoded| encoded.descriptor_set_bytes());
            assert!(
                matches!(&encoded, Ok(bytes) if *bytes == descriptor_set),
                "{}: compile_encoded differs from compile ({mode:?})",
                case.name
            );
            // And streamed (the CLI writes the pieces as they come), the same bytes again.
            let mut streamed = Vec::new();
            let result = compiler.compile_encoded_to(&case.inputs, |piece| {
                streamed.extend_from_slice(piece);
            });
            assert!(
                result.is_ok() && streamed == descriptor_set,
                "{}: compile_encoded_to differs from compile ({mode:?})",
                case.name
            );
            RivetRun::Accepted {
                descriptor_set,
                warnings: compilation.warnings,
            }
        }
        Ok(Err(error)) => RivetRun::Rejected(error.diagnostics),
        Err(panic) => RivetRun::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "<non-string panic>".into()),
        ),
    }
}

/// `bytes` as text without losing any byte, so that comparing texts compares bytes: UTF-8 as
/// is, except `\` written `\\`, and every byte that is not part of UTF-8 as `\xNN` (a lossy
/// conversion would make protoc's raw bytes and Rivet's U+FFFD look alike).
fn exact_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            let _ = write!(text, "\\x{byte:02x}");
        }
    }
    text
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// protoc reports a file's unused imports from a hash set, in an order that changes from run
/// to run; sort each run of consecutive unused-import warnings so that comparisons are stable.
fn normalize(mut lines: Vec<String>) -> Vec<String> {
    let is_unused_import =
        |line: &str| line.contains("warning: Import ") && line.ends_with(" is unused.");
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end < lines.len() && is_unused_import(&lines[end]) {
            end += 1;
        }
        if end > start {
            lines[start..end].sort();
            start = end;
        } else {
            start += 1;
        }
    }
    lines
}

fn display_all(diagnostics: &[Diagnostic], format: ErrorFormat) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| exact_text(&d.display_bytes(format)))
        .collect()
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

// ---------------------------------------------------------------------------------------------
// Reporting

struct Report {
    title: String,
    total: usize,
    passed: Vec<String>,
    failures: Vec<(String, String)>,
    started: Instant,
}

/// Known divergences from protoc, each with its reason, from
/// `tests/parity/known-divergences.txt` (`TEST CASE  # reason` lines). A listed case that
/// differs does not fail the test; a listed case that matches does, so the list can only
/// shrink as Rivet improves.
fn known_divergences(test: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/known-divergences.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter_map(|line| line.split_once(char::is_whitespace))
        .filter(|(name, _)| *name == test)
        .map(|(_, case)| case.trim().to_string())
        .collect()
}

impl Report {
    fn new(title: impl Into<String>) -> Self {
        Report {
            title: title.into(),
            total: 0,
            passed: Vec::new(),
            failures: Vec::new(),
            started: Instant::now(),
        }
    }

    fn pass(&mut self, case: &str) {
        self.total += 1;
        self.passed.push(case.to_string());
    }

    fn fail(&mut self, case: &str, why: String) {
        self.total += 1;
        self.failures.push((case.to_string(), why));
    }

    fn finish(mut self) {
        let test = self
            .title
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let known = known_divergences(&test);
        let now_passing: Vec<&String> = known
            .iter()
            .filter(|case| self.passed.contains(case))
            .collect();
        assert!(
            now_passing.is_empty(),
            "{test}: cases listed in tests/parity/known-divergences.txt now match protoc; remove them: {now_passing:?}"
        );
        let (expected, failures): (Vec<_>, Vec<_>) = self
            .failures
            .drain(..)
            .partition(|(case, _)| known.contains(case));
        for (case, _) in &expected {
            eprintln!(
                "parity {test}: known divergence {case} (see tests/parity/known-divergences.txt)"
            );
        }
        self.failures = failures;
        let elapsed = self.started.elapsed();
        eprintln!(
            "parity {}: {} cases, {} identical, {} different ({:.1?})",
            self.title,
            self.total,
            self.total - self.failures.len(),
            self.failures.len(),
            elapsed
        );
        if self.failures.is_empty() {
            return;
        }
        let mut message = format!(
            "{}: {} of {} cases differ from protoc:\n",
            self.title,
            self.failures.len(),
            self.total
        );
        for (case, why) in &self.failures {
            let _ = write!(message, "\n--- {case}\n{why}");
        }
        let names: Vec<&str> = self.failures.iter().map(|(c, _)| c.as_str()).collect();
        let _ = write!(message, "\nfailing cases: {}\n", names.join(" "));
        panic!("{message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Accepted inputs: descriptor sets

fn check_descriptor_sets(title: &str, mode: Mode) {
    let mut report = Report::new(format!("{title} ({})", mode.describe()));
    for case in ok_cases() {
        let protoc_run = run_protoc(&case, mode, ErrorFormat::Gcc);
        let Some(expected) = protoc_run.descriptor_set else {
            report.fail(
                &case.name,
                format!(
                    "  protoc rejects this ok case (move it to err/?):\n{}",
                    indent(&protoc_run.stderr)
                ),
            );
            continue;
        };
        match run_rivet(&case, mode) {
            RivetRun::Accepted { descriptor_set, .. } => {
                let comparison = compare_sets(schema(), &expected, &descriptor_set);
                if comparison.is_identical() {
                    report.pass(&case.name);
                    continue;
                }
                let mut why = String::new();
                for problem in &comparison.structural {
                    let _ = writeln!(why, "  {problem}");
                }
                for (file, difference) in &comparison.different {
                    let _ = writeln!(why, "  {file}: {difference}");
                }
                report.fail(&case.name, why);
            }
            RivetRun::Rejected(diagnostics) => report.fail(
                &case.name,
                format!(
                    "  protoc accepts it, rivet rejects it:\n{}",
                    indent(&display_all(&diagnostics, ErrorFormat::Gcc).join("\n"))
                ),
            ),
            RivetRun::Panicked(message) => {
                report.fail(&case.name, format!("  rivet panicked: {message}\n"))
            }
        }
    }
    report.finish();
}

#[test]
fn ok_descriptor_sets() {
    check_descriptor_sets("ok_descriptor_sets", Mode::PLAIN);
}

#[test]
fn ok_descriptor_sets_with_source_info() {
    check_descriptor_sets("ok_descriptor_sets_with_source_info", Mode::SOURCE_INFO);
}

#[test]
fn ok_descriptor_sets_with_imports() {
    check_descriptor_sets("ok_descriptor_sets_with_imports", Mode::IMPORTS);
}

#[test]
fn ok_descriptor_sets_with_imports_and_source_info() {
    check_descriptor_sets(
        "ok_descriptor_sets_with_imports_and_source_info",
        Mode::IMPORTS_SOURCE_INFO,
    );
}

#[test]
fn ok_descriptor_sets_with_retained_options() {
    check_descriptor_sets(
        "ok_descriptor_sets_with_retained_options",
        Mode::RETAIN_OPTIONS,
    );
}

/// Warnings (unused imports, deprecated features, generic services, ...) are printed exactly as
/// protoc prints them, in the same order.
#[test]
fn ok_warnings() {
    let mut report = Report::new("ok_warnings");
    for case in ok_cases() {
        let protoc_run = run_protoc(&case, Mode::PLAIN, ErrorFormat::Gcc);
        if protoc_run.descriptor_set.is_none() {
            report.fail(
                &case.name,
                format!(
                    "  protoc rejects this ok case:\n{}",
                    indent(&protoc_run.stderr)
                ),
            );
            continue;
        }
        let expected = normalize(lines(&protoc_run.stderr));
        let actual = match run_rivet(&case, Mode::PLAIN) {
            RivetRun::Accepted { warnings, .. } => {
                normalize(display_all(&warnings, ErrorFormat::Gcc))
            }
            RivetRun::Rejected(diagnostics) => {
                report.fail(
                    &case.name,
                    format!(
                        "  protoc accepts it, rivet rejects it:\n{}",
                        indent(&display_all(&diagnostics, ErrorFormat::Gcc).join("\n"))
                    ),
                );
                continue;
            }
            RivetRun::Panicked(message) => {
                report.fail(&case.name, format!("  rivet panicked: {message}\n"));
                continue;
            }
        };
        if expected == actual {
            report.pass(&case.name);
        } else {
            report.fail(
                &case.name,
                format!(
                    "  warnings differ (- protoc, + rivet):\n{}",
                    line_diff(&expected, &actual)
                ),
            );
        }
    }
    report.finish();
}

// ---------------------------------------------------------------------------------------------
// Rejected inputs: diagnostics

/// The recorded `.stderr` files are still exactly what protoc prints. With `RIVET_BLESS=1`,
/// rewrites them from protoc's output instead.
#[test]
fn err_expectations_match_protoc() {
    let bless = std::env::var_os("RIVET_BLESS").is_some_and(|v| v != "0");
    let mut report = Report::new("err_expectations_match_protoc");
    for case in err_cases() {
        let expected_path = case.expected_stderr.as_ref().unwrap();
        let protoc_run = run_protoc(&case, Mode::PLAIN, ErrorFormat::Gcc);
        if protoc_run.descriptor_set.is_some() {
            report.fail(
                &case.name,
                format!(
                    "  protoc accepts this err case (move it to ok/?):\n{}",
                    indent(&protoc_run.stderr)
                ),
            );
            continue;
        }
        if bless {
            std::fs::write(expected_path, &protoc_run.stderr_bytes).expect("write .stderr");
            report.pass(&case.name);
            continue;
        }
        let Ok(recorded) = std::fs::read(expected_path).map(|bytes| exact_text(&bytes)) else {
            report.fail(
                &case.name,
                format!(
                    "  missing {}; run scripts/bless-parity.sh\n",
                    expected_path.display()
                ),
            );
            continue;
        };
        if normalize(lines(&recorded)) == normalize(lines(&protoc_run.stderr)) {
            report.pass(&case.name);
        } else {
            report.fail(
                &case.name,
                format!(
                    "  protoc's stderr changed (- recorded, + protoc now); rerun scripts/bless-parity.sh if intended:\n{}",
                    line_diff(&lines(&recorded), &lines(&protoc_run.stderr))
                ),
            );
        }
    }
    report.finish();
}

fn check_err_diagnostics(title: &str, format: ErrorFormat) {
    let mut report = Report::new(title);
    for case in err_cases() {
        let protoc_run = run_protoc(&case, Mode::PLAIN, format);
        if protoc_run.descriptor_set.is_some() {
            report.fail(&case.name, "  protoc accepts this err case\n".into());
            continue;
        }
        let expected = normalize(lines(&protoc_run.stderr));
        let actual = match run_rivet(&case, Mode::PLAIN) {
            RivetRun::Rejected(diagnostics) => normalize(display_all(&diagnostics, format)),
            RivetRun::Accepted { warnings, .. } => {
                report.fail(
                    &case.name,
                    format!(
                        "  protoc rejects it, rivet accepts it. protoc says:\n{}{}",
                        indent(&protoc_run.stderr),
                        if warnings.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "  rivet warned:\n{}",
                                indent(&display_all(&warnings, format).join("\n"))
                            )
                        }
                    ),
                );
                continue;
            }
            RivetRun::Panicked(message) => {
                report.fail(&case.name, format!("  rivet panicked: {message}\n"));
                continue;
            }
        };
        if expected == actual {
            report.pass(&case.name);
        } else {
            report.fail(
                &case.name,
                format!(
                    "  diagnostics differ (- protoc, + rivet):\n{}",
                    line_diff(&expected, &actual)
                ),
            );
        }
    }
    report.finish();
}

/// Rivet rejects every err case with protoc's `file:line:col: message` lines, in order.
#[test]
fn err_diagnostics() {
    check_err_diagnostics("err_diagnostics", ErrorFormat::Gcc);
}

/// The same with `--error_format=msvs`.
#[test]
fn err_diagnostics_msvs() {
    check_err_diagnostics("err_diagnostics_msvs", ErrorFormat::Msvs);
}
