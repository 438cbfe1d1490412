//! `rivet`: compiles `.proto` files exactly as protoc does.
//!
//! `rivet compile` takes protoc's flags (`-I`, `-o`, `--include_imports`,
//! `--include_source_info`, `--retain_options`, `--experimental_editions`, `--error_format`,
//! `--fatal_warnings`, `--disallow_services`, `--direct_dependencies`,
//! `--option_dependencies`, `--dependency_out`, `@FILE`)
//! and writes the same `FileDescriptorSet` bytes; `rivet check` only reports diagnostics.
//! Diagnostics are printed one per line in protoc's format and the exit code is protoc's: 0 on
//! success, 1 on any failure (usage errors included).

mod args;
mod output;
mod snippet;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use rivet_compiler::{Compiler, Diagnostic, Severity, file_names};

use args::{Action, Cli, Command, Settings, UsageError};

// Compiling a large tree allocates millions of small objects (names, paths, spans);
// mimalloc handles that pattern markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (its Rust binding names no constant
/// for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc to keep the memory it frees instead of returning it to the OS after a short
/// delay. A compilation frees and reallocates memory all the time (each file's syntax tree is
/// dropped once lowered); returned pages come back zero-filled by the kernel on their next use,
/// and on googleapis that refaulting cost more CPU time than the compiler itself. The process
/// is short-lived, so holding on to its peak costs nothing.
fn keep_freed_memory() {
    // SAFETY: sets a plain integer option; called once, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Turns transparent huge pages off for this process. mimalloc asks the kernel for them on its
/// arenas, and each one is zeroed whole (2 MiB) on first touch, and assembled by compacting
/// memory when memory is fragmented (as it is after another large process, say protoc, has just
/// exited). A compilation touches its memory once and exits, so it never earns that back: on
/// googleapis, 4 KiB pages cut peak RSS by 15% and wall time by about a fifth. The kernel's
/// switch covers the arena mimalloc reserved before `main`; mimalloc's option keeps it from
/// asking again.
fn no_huge_pages() {
    // `mi_option_allow_thp` in mimalloc 3's `mi_option_t`.
    const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;
    // SAFETY: sets a plain integer option; called once, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0) };
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and affects this process alone.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    no_huge_pages();
    let arguments = match args::expand_argument_files(std::env::args_os()) {
        Ok(arguments) => arguments,
        Err(UsageError(message)) => return usage_failure(&message),
    };
    let cli = match Cli::try_parse_from(&arguments) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // Help and version requests succeed; protoc exits with 1 on every usage error.
            return if error.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let (mut protoc_args, wants_output, subcommand) = match cli.command {
        Command::Compile(arguments) => (arguments, true, "compile"),
        Command::Check(arguments) => (arguments, false, "check"),
    };
    // protoc's arguments are everything after the subcommand, as given: clap would take a
    // first `--` as the end of its options, where protoc reads it as an (unknown) flag.
    protoc_args.args = arguments[2..].to_vec();
    let mut warnings = Vec::new();
    let action = protoc_args.action(wants_output, &mut warnings);
    let mut stderr = std::io::stderr().lock();
    for warning in &warnings {
        print_line(&mut stderr, warning);
    }
    drop(stderr);
    match action {
        Ok(Action::Run(settings)) => run(&settings, wants_output),
        Ok(Action::Help) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            if let Some(help) = command.find_subcommand_mut(subcommand) {
                let _ = help.print_help();
            }
            ExitCode::SUCCESS
        }
        Ok(Action::Version) => {
            println!("rivet {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Err(UsageError(message)) => usage_failure(&message),
    }
}

fn usage_failure(message: &str) -> ExitCode {
    print_line(&mut std::io::stderr().lock(), message);
    ExitCode::FAILURE
}

/// Prints a line that may quote arguments, as their bytes (see `file_names`).
fn print_line(out: &mut impl Write, text: &str) {
    let _ = out.write_all(&file_names::to_bytes(text));
    let _ = out.write_all(b"\n");
}

/// Compiles, prints diagnostics and (for `compile`) writes the descriptor set.
fn run(settings: &Settings, wants_output: bool) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    let mut compiler = Compiler::new();
    for path in &settings.proto_paths {
        compiler.include_mapping(path.virtual_prefix.clone(), path.disk.clone());
    }
    compiler
        .include_imports(settings.include_imports)
        .include_source_info(settings.include_source_info)
        .retain_options(settings.retain_options)
        .experimental_editions(settings.experimental_editions)
        .disallow_services(settings.disallow_services);
    if let Some(names) = &settings.direct_dependencies {
        compiler.allowed_imports(names, &settings.direct_dependencies_violation_msg);
    }
    if let Some(names) = &settings.option_dependencies {
        compiler.allowed_option_imports(names, &settings.option_dependencies_violation_msg);
    }

    let printer = DiagnosticPrinter::new(settings);
    let out_path = settings
        .descriptor_set_out
        .as_ref()
        .filter(|_| wants_output);
    // The descriptor set is written (or compared with the existing file) piece by piece, here,
    // while the compiler's output threads encode the files after it; nothing is written if
    // the compilation fails. With --dependency_out, which protoc writes first, the pieces are
    // held until that file is written: a descriptor set written through a symlink, device or
    // pipe could not be taken back if it failed.
    let dependency_out = settings.dependency_out.as_ref().filter(|_| wants_output);
    let mut out = None;
    let mut held = Vec::new();
    let compiled = compiler.compile_encoded_to(&settings.files, |piece| {
        if dependency_out.is_some() {
            held.push(piece.to_vec());
        } else if let Some(path) = out_path {
            out.get_or_insert_with(|| output::Streamed::new(path))
                .push(piece);
        }
    });
    let compilation = match compiled {
        Ok(compilation) => compilation,
        Err(error) => {
            printer.print(&mut stderr, &error.diagnostics);
            return ExitCode::FAILURE;
        }
    };
    printer.print(&mut stderr, &compilation.warnings);

    // protoc writes the dependency file before the descriptor set.
    if let (Some(out_path), Some(path)) = (out_path, dependency_out) {
        let mut depfile = output::Streamed::new(path);
        depfile.push(&dependency_file(out_path, &compilation.sources));
        if let Err(error) = depfile.finish() {
            print_write_error(&mut stderr, path, &error);
            return ExitCode::FAILURE;
        }
    }

    if let Some(path) = out_path {
        let mut out = out.unwrap_or_else(|| output::Streamed::new(path));
        for piece in &held {
            out.push(piece);
        }
        if let Err(error) = out.finish() {
            print_write_error(&mut stderr, path, &error);
            return ExitCode::FAILURE;
        }
    }
    // Like protoc, --fatal_warnings fails the run after the output is written.
    let failed = settings.fatal_warnings
        && compilation
            .warnings
            .iter()
            .any(Diagnostic::counts_for_fatal_warnings);
    drop(stderr);
    exit_now(if failed { 1 } else { 0 }, compilation)
}

/// Reports that `path` could not be written as protoc's `perror` does: the path as its
/// bytes, then the system's message.
fn print_write_error(out: &mut impl Write, path: &Path, error: &std::io::Error) {
    let mut line = path_bytes(path);
    line.extend_from_slice(b": ");
    line.extend_from_slice(rivet_compiler::describe_io_error(error).as_bytes());
    line.push(b'\n');
    let _ = out.write_all(&line);
}

/// A path's bytes, as protoc prints them.
fn path_bytes(path: &Path) -> Vec<u8> {
    file_names::to_bytes(&file_names::from_path(path)).into_owned()
}

/// protoc's `--dependency_out` file, in make's syntax: the output file and a colon, then every
/// file the requested file needs, each after its imports, separated by a backslash and a line
/// break (the first on the target's line). Embedded well-known types are left out: they are
/// part of rivet itself, not files a build could track (protoc lists them from its own install
/// directory). Unlike protoc, which writes the names through its template printer, a `$` in
/// the output's name is written as it is.
fn dependency_file(output: &Path, sources: &[rivet_compiler::SourceFile]) -> Vec<u8> {
    let mut out = path_bytes(output);
    out.push(b':');
    let on_disk: Vec<&Path> = sources
        .iter()
        .filter_map(|source| source.disk_path.as_deref())
        .collect();
    for (i, path) in on_disk.iter().enumerate() {
        out.push(b' ');
        out.extend(path_bytes(path));
        if i + 1 < on_disk.len() {
            out.extend_from_slice(b"\\\n");
        }
    }
    out
}

/// Ends the process at once, with `status`. Everything is written by now, so all that is
/// left are destructors and exit handlers: freeing every descriptor one by one, and
/// mimalloc collecting its heaps, would only cost time on a large compilation.
fn exit_now<T>(status: u8, leak: T) -> ExitCode {
    std::mem::forget(leak);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process; no Rust code runs after it. Standard output and
    // error were flushed above, and no file of ours is left half-written (output files are
    // closed before this point).
    unsafe {
        libc::_exit(i32::from(status))
    }
    #[cfg(not(unix))]
    ExitCode::from(status)
}

/// Prints diagnostics in protoc's format, with source snippets under errors when stderr is a
/// terminal.
struct DiagnosticPrinter<'a> {
    settings: &'a Settings,
    snippets: bool,
    color: bool,
}

impl<'a> DiagnosticPrinter<'a> {
    fn new(settings: &'a Settings) -> Self {
        let snippets = std::io::stderr().is_terminal();
        DiagnosticPrinter {
            settings,
            snippets,
            color: snippets && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn print(&self, out: &mut impl Write, diagnostics: &[Diagnostic]) {
        let mut sources = snippet::SourceCache::new(&self.settings.proto_paths);
        for diagnostic in diagnostics {
            // The exact bytes: a message can quote bytes of a .proto file that are not UTF-8.
            let _ = diagnostic
                .write_to(out, self.settings.error_format)
                .and_then(|()| out.write_all(b"\n"));
            if !self.snippets || diagnostic.severity != Severity::Error {
                continue;
            }
            if let Some(snippet) = sources.snippet(diagnostic, self.color) {
                let _ = writeln!(out, "{snippet}");
            }
        }
    }
}
