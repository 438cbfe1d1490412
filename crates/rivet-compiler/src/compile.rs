//! The compilation driver: loads files and their imports, builds each after its dependencies,
//! and assembles the output in protoc's order.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rivet_descriptor::{
    DescriptorProto, FileDescriptorProto, ProtoString, SourceCodeInfo, source_code_info,
};
use rivet_syntax::LineIndex;

use crate::SourceFile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::encode::{SourceInfo, encode_set_entry};
use crate::file_names;
use crate::finalize::Finalizer;
use crate::hash::{FastMap, FastSet};
use crate::link::{LinkError, Linker};
use crate::lower::{self, ErrorKind, Lowered, Positions};
use crate::options::interpret_file;
use crate::pipeline::{self, Pipeline};
use crate::pool::{Pool, PoolFile};
use crate::source_tree::{Origin, SourceTree};
use crate::text::json_name;
use crate::{CompileError, Compiler};

/// A file being loaded: its source (for positions) and its lowered form.
struct Loaded {
    /// The path the file was read from (`None`: an embedded or in-memory file).
    disk_path: Option<PathBuf>,
    line_index: LineIndex,
    pub(crate) lowered: Lowered,
    /// Where protoc places this file's file-level errors of the kinds it has no statement for
    /// (see [`StalePositions`]).
    stale: StalePositions,
}

/// protoc's error positions are looked up in a table keyed by the address of the parsed
/// `FileDescriptorProto` and never cleared. A requested file parsed on its own (not already
/// loaded as an import) sits where the previous such file sat, so a file-level error of a kind
/// the file records no position for (no `syntax` statement: EDITIONS; no `package`: NAME)
/// is placed at the previous such file's statement, line and column. (Imports get addresses
/// that depend on what was parsed before them; their missing positions stay missing.)
#[derive(Clone, Copy, Debug, Default)]
struct StalePositions {
    /// Line and column (1-based) of the `syntax`/`edition` statement.
    editions: Option<(u32, u32)>,
    /// Line and column (1-based) of the `package` statement.
    name: Option<(u32, u32)>,
}

impl StalePositions {
    fn get(&self, kind: &ErrorKind) -> Option<(u32, u32)> {
        match kind {
            ErrorKind::Editions => self.editions,
            ErrorKind::Name => self.name,
            _ => None,
        }
    }
}

/// The 1-based line and column of a byte offset, as diagnostics print them.
fn line_column(index: &LineIndex, offset: u32) -> (u32, u32) {
    let (line, column) = index.line_col(offset);
    (line + 1, column + 1)
}

/// A file read, parsed and lowered: everything about it that needs no other file.
pub(crate) struct Prepared {
    /// The name protoc uses for it in diagnostics (its path on disk).
    display: String,
    disk_path: Option<PathBuf>,
    line_index: LineIndex,
    pub(crate) lowered: Lowered,
    /// Parser and lowering diagnostics: (offset, message bytes, is_warning), in source order.
    syntax_errors: Vec<(u32, Vec<u8>, bool)>,
}

/// Reads, parses and lowers the file with virtual path `name` (`None`: not found), with
/// the error positions of the file's own statements only (see [`lower::Positions`]).
pub(crate) fn prepare(tree: &SourceTree, name: &str) -> Option<Box<Prepared>> {
    prepare_with(tree, name, Positions::FileOnly)
}

/// [`prepare`], recording the error positions `positions`.
fn prepare_with(tree: &SourceTree, name: &str, positions: Positions) -> Option<Box<Prepared>> {
    let (bytes, origin) = tree.read(name).ok()?;
    let (display, disk_path) = match origin {
        Origin::Disk(path) => (file_names::from_path(&path).into_owned(), Some(path)),
        Origin::Embedded | Origin::Memory => (name.to_string(), None),
    };
    let mut parsed = rivet_syntax::parse(&bytes);
    let line_index = LineIndex::new(&bytes);
    let lowered = lower::lower_file(name, &mut parsed.file, positions);
    // protoc logs its missing-syntax warning where the command line never shows it.
    let missing_syntax = parsed.file.syntax.is_none();
    let mut syntax_errors: Vec<(u32, Vec<u8>, bool)> = parsed
        .diagnostics
        .into_iter()
        .filter(|d| {
            !(missing_syntax && d.is_warning && d.message.starts_with("No edition or syntax"))
        })
        .map(|d| {
            let (start, is_warning) = (d.span.start, d.is_warning);
            (start, d.into_message_bytes(), is_warning)
        })
        .collect();
    syntax_errors.extend(
        lowered
            .errors
            .iter()
            .map(|(span, message)| (span.start, message.clone().into_bytes(), false)),
    );
    // The parser's diagnostics are in protoc's order already (tokenizer errors come when the
    // token is read ahead, before parser errors about the previous one): do not sort.
    Some(Box::new(Prepared {
        display,
        disk_path,
        line_index,
        lowered,
        syntax_errors,
    }))
}

struct Session<'a> {
    compiler: &'a Compiler,
    tree: &'a SourceTree,
    /// Files read, parsed and lowered ahead of linking by the producer thread.
    pipeline: Pipeline,
    pool: Pool,
    /// Virtual name to pool index (`None`: not found or had errors). Failures are forgotten
    /// when the next input is loaded: protoc tries such files again for each input.
    loaded: FastMap<String, Option<usize>>,
    /// The names `loaded` holds as failed, to forget them without scanning it.
    failed: Vec<String>,
    /// Files on the import stack whose recursive import was reported: importing them again
    /// while they are being built fails quietly (protoc's known-bad files).
    known_bad: FastSet<String>,
    /// Per pool index: source code info for output.
    source_info: Vec<Option<RecordedSourceInfo>>,
    diagnostics: Vec<Diagnostic>,
    stack: Vec<String>,
    /// The file-level positions recorded by the last requested files parsed on their own.
    stale: StalePositions,
    /// The virtual names of the requested files (protoc's direct inputs).
    inputs: FastSet<String>,
    /// Per pool index: the name diagnostics give the file (built files only).
    display_names: Vec<String>,
    /// Per pool index: the path the file was read from (`None`: embedded or in memory).
    disk_paths: Vec<Option<PathBuf>>,
    /// Diagnostics of protoc's deferred checks, reported once the requested file being
    /// loaded is built.
    deferred: Vec<Diagnostic>,
}

/// Symbols a requested file typically defines (googleapis averages about 42: messages,
/// fields, enums, values, services, methods), for sizing the symbol table up front.
const SYMBOLS_PER_FILE: usize = 48;

/// What a compilation produces: the files, or directly their encoded `FileDescriptorSet`
/// (one `file` entry per output file, in order).
pub(crate) enum Output {
    Files(Vec<FileDescriptorProto>),
    Encoded(Vec<Vec<u8>>),
}

/// The successful result of [`compile`].
pub(crate) struct Compiled {
    pub output: Output,
    pub requested: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    pub sources: Vec<SourceFile>,
}

/// How a compilation hands over its output files.
pub(crate) enum Delivery<'s> {
    /// As descriptors.
    Files,
    /// Encoded, one `FileDescriptorSet.file` entry per file: each file is encoded and dropped
    /// as soon as it is finished, which keeps far less in memory than materializing them all.
    Encoded,
    /// Encoded as for `Encoded`, and passed to the sink in order, each as soon as it and all
    /// entries before it are ready (while later files are still being encoded); nothing is
    /// kept.
    Stream(&'s mut dyn FnMut(&[u8])),
}

/// Compiles `inputs`, delivering the output files as `delivery` says.
pub(crate) fn compile(
    compiler: &Compiler,
    inputs: &[String],
    delivery: Delivery<'_>,
) -> Result<Compiled, CompileError> {
    let tree = SourceTree::new(compiler.include_paths(), &compiler.virtual_files);
    let mut virtual_inputs = Vec::new();
    // protoc stops at the first input it cannot map.
    for input in inputs {
        match tree.input_to_virtual(input) {
            Ok(name) => virtual_inputs.push(name),
            Err(error) => {
                return Err(CompileError::new(vec![Diagnostic::new(
                    String::new(),
                    0,
                    0,
                    error.message(),
                    Severity::Error,
                )]));
            }
        }
    }
    let (pipeline, sender) = Pipeline::new();
    let mut pool = Pool::default();
    // Room for the symbols of typical files, so that the table is not rebuilt over and over
    // as a large tree is loaded (rehashing every name each time).
    pool.symbols
        .reserve(virtual_inputs.len().saturating_mul(SYMBOLS_PER_FILE));
    let mut session = Session {
        compiler,
        tree: &tree,
        pipeline,
        pool,
        loaded: FastMap::default(),
        failed: Vec::new(),
        known_bad: FastSet::default(),
        source_info: Vec::new(),
        diagnostics: Vec::new(),
        stack: Vec::new(),
        stale: StalePositions::default(),
        inputs: virtual_inputs.iter().cloned().collect(),
        display_names: Vec::new(),
        disk_paths: Vec::new(),
        deferred: Vec::new(),
    };
    // A second thread reads, parses and lowers files in the order the linker needs them.
    let parsed = std::thread::scope(|scope| {
        let (tree, producer_inputs) = (&tree, &virtual_inputs);
        // Named, so that profilers and debuggers tell the threads apart.
        let producer = std::thread::Builder::new().name("rivet-prepare".into());
        if let Err(error) = producer.spawn_scoped(scope, move || {
            pipeline::produce(tree, producer_inputs, sender)
        }) {
            // Without a second thread, the linker prepares every file itself.
            drop(error);
        }
        let parsed = session.load_inputs(&virtual_inputs);
        // Stops the producer if linking ended early.
        session.pipeline.close();
        parsed
    });
    let Some(parsed) = parsed else {
        return Err(CompileError::new(session.diagnostics));
    };
    // protoc's command-line checks on the requested files, once all are built.
    for (file, message, level) in crate::validate::check_inputs(&session.pool, &parsed) {
        let diagnostic = |severity| {
            Diagnostic::in_file(
                &session.display_names[file],
                0,
                0,
                // The messages quote file names, symbol names and fixed text only.
                file_names::message(message),
                severity,
            )
        };
        let diagnostic = match level {
            crate::validate::FindingLevel::Error => diagnostic(Severity::Error),
            crate::validate::FindingLevel::UncountedWarning => {
                diagnostic(Severity::Warning).uncounted()
            }
        };
        session.diagnostics.push(diagnostic);
    }
    if session.has_errors() {
        return Err(CompileError::new(session.diagnostics));
    }
    if let Some((file, message)) = crate::validate::unsupported_edition(
        &session.pool,
        &parsed,
        session.compiler.experimental_editions,
    ) {
        // protoc names the file by its virtual path here.
        let file = &session.pool.files[file].name;
        session
            .diagnostics
            .push(Diagnostic::in_file(file, 0, 0, message, Severity::Error));
        return Err(CompileError::new(session.diagnostics));
    }
    let sources = session.sources(&parsed);
    let (output, warnings) = session.output(&parsed, delivery);
    Ok(Compiled {
        output,
        requested: virtual_inputs
            .iter()
            .map(|name| file_names::lossy(name))
            .collect(),
        warnings,
        sources,
    })
}

/// The recorded source locations of a built file and the index to place them.
struct RecordedSourceInfo {
    locations: lower::Locations,
    line_index: LineIndex,
}

/// A built file waiting for output.
type OutputItem = (FileDescriptorProto, Option<RecordedSourceInfo>);

/// What the output stage makes of one file.
enum Finished {
    File(Box<FileDescriptorProto>),
    Encoded(Vec<u8>),
}

/// Builds each file's SourceCodeInfo, applies protoc's output pass and, unless `delivery` is
/// [`Delivery::Files`], encodes the files; files are independent here, so this runs on all
/// cores, keeping order.
///
/// Files differ in size by orders of magnitude (and large ones cluster: a package's files are
/// output together), so the threads take files one at a time from a shared counter rather
/// than splitting the list into equal halves, which left one core idle most of the time.
fn finish_files(
    items: Vec<OutputItem>,
    finalizer: Option<&Finalizer>,
    delivery: Delivery<'_>,
) -> Output {
    let encode = !matches!(delivery, Delivery::Files);
    let count = items.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(count)
        .max(1);
    let slots: Vec<Mutex<Option<OutputItem>>> = items
        .into_iter()
        .map(|item| Mutex::new(Some(item)))
        .collect();
    let next = AtomicUsize::new(0);
    // Finishes files until none is left, handing each to `done` with its index.
    let work = |done: &mut dyn FnMut(usize, Finished)| {
        let mut finalizer = finalizer.cloned();
        let mut scratch = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(index) else {
                return;
            };
            let taken = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            let Some((mut proto, mut source_info)) = taken else {
                continue;
            };
            if !encode && let Some(recorded) = source_info.take() {
                proto.source_code_info =
                    Some(build_source_info(recorded.locations, &recorded.line_index));
            }
            if let Some(finalizer) = finalizer.as_mut() {
                finalizer.finalize(&mut proto);
            }
            let finished = if encode {
                let stripped = finalizer.as_ref().map_or(&[][..], |f| f.stripped());
                let source_info = source_info.as_ref().map(|recorded| SourceInfo {
                    locations: &recorded.locations,
                    line_index: &recorded.line_index,
                    stripped,
                });
                // The file is dropped right after.
                Finished::Encoded(encode_set_entry(proto, source_info, &mut scratch))
            } else {
                Finished::File(Box::new(proto))
            };
            done(index, finished);
        }
    };
    let collect = || {
        let mut done = Vec::new();
        work(&mut |index, finished| done.push((index, finished)));
        done
    };
    let parts: Vec<Vec<(usize, Finished)>> = match delivery {
        Delivery::Stream(sink) => {
            stream_finished(threads, &work, sink);
            Vec::new()
        }
        Delivery::Files | Delivery::Encoded if threads <= 1 => vec![collect()],
        Delivery::Files | Delivery::Encoded => std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    std::thread::Builder::new()
                        .name("rivet-output".into())
                        .spawn_scoped(scope, collect)
                        .expect("spawning an output thread")
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        }),
    };
    let mut ordered: Vec<Option<Finished>> = (0..count).map(|_| None).collect();
    for (index, finished) in parts.into_iter().flatten() {
        ordered[index] = Some(finished);
    }
    let (mut files, mut encoded) = (Vec::new(), Vec::new());
    for finished in ordered.into_iter().flatten() {
        match finished {
            Finished::File(file) => files.push(*file),
            Finished::Encoded(bytes) => encoded.push(bytes),
        }
    }
    if encode {
        Output::Encoded(encoded)
    } else {
        Output::Files(files)
    }
}

/// The output stage's loop: finishes files until none is left, handing each to its argument
/// with its index.
type FinishWork<'a> = dyn Fn(&mut dyn FnMut(usize, Finished)) + Sync + 'a;

/// Runs `work` on `threads` output threads and passes the encoded files to `sink` on this
/// thread, in index order, each as soon as every file before it has been passed.
fn stream_finished(threads: usize, work: &FinishWork<'_>, sink: &mut dyn FnMut(&[u8])) {
    // Files that arrived before their turn.
    let mut waiting: FastMap<usize, Vec<u8>> = FastMap::default();
    let mut turn = 0;
    let mut deliver = |index: usize, finished: Finished| {
        let Finished::Encoded(bytes) = finished else {
            return;
        };
        if index != turn {
            waiting.insert(index, bytes);
            return;
        }
        sink(&bytes);
        turn += 1;
        while let Some(bytes) = waiting.remove(&turn) {
            sink(&bytes);
            turn += 1;
        }
    };
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<(usize, Finished)>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                std::thread::Builder::new()
                    .name("rivet-output".into())
                    .spawn_scoped(scope, move || {
                        work(&mut |index, finished| {
                            // The receiver lives until every worker is joined.
                            let _ = sender.send((index, finished));
                        });
                    })
                    .expect("spawning an output thread")
            })
            .collect();
        drop(sender);
        for (index, finished) in receiver {
            deliver(index, finished);
        }
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}

impl Session<'_> {
    fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    fn push(
        &mut self,
        file: &str,
        index: &LineIndex,
        offset: Option<u32>,
        message: impl Into<Vec<u8>>,
        severity: Severity,
    ) {
        let at = offset.map(|offset| line_column(index, offset));
        self.push_at(file, at, message, severity);
    }

    /// Reports a diagnostic at a 1-based line and column (`None`: no position).
    fn push_at(
        &mut self,
        file: &str,
        at: Option<(u32, u32)>,
        message: impl Into<Vec<u8>>,
        severity: Severity,
    ) {
        let (line, column) = at.unwrap_or((0, 0));
        self.diagnostics
            .push(Diagnostic::in_file(file, line, column, message, severity));
    }

    /// Loads the requested files in order; `None` once one fails (protoc stops there).
    fn load_inputs(&mut self, inputs: &[String]) -> Option<Vec<usize>> {
        let mut parsed = Vec::new();
        for name in inputs {
            for name in self.failed.drain(..) {
                self.loaded.remove(&name);
            }
            self.known_bad.clear();
            let loaded = self.load(name);
            let deferred = std::mem::take(&mut self.deferred);
            let deferred_failed = deferred.iter().any(|d| d.severity == Severity::Error);
            self.diagnostics.extend(deferred);
            // A file can be built and still fail (protoc's deferred feature checks). Errors
            // of other files (an `import option` that failed) do not stop protoc from going on
            // to the next input; they fail the compilation at the end.
            let index = match loaded {
                Some(index) if !deferred_failed => index,
                _ => return None,
            };
            parsed.push(index);
            // The command line's restrictions, checked as soon as the file is built.
            let file = &self.pool.files[index];
            let violations = self.compiler.restrictions.violations(&file.proto);
            if !violations.is_empty() {
                // protoc prints these itself, with the file's virtual name.
                let name = file.name.clone();
                for message in violations {
                    self.push_at(&name, None, message, Severity::Error);
                }
                return None;
            }
        }
        (!self.has_errors()).then_some(parsed)
    }

    /// Loads, parses and builds `name` and its imports (`None`: not found or had errors; the
    /// importing file reports that at its import statement).
    fn load(&mut self, name: &str) -> Option<usize> {
        if let Some(&result) = self.loaded.get(name) {
            return result;
        }
        if let Some(position) = self.stack.iter().position(|n| n == name) {
            if self.known_bad.insert(name.to_string()) {
                self.recursive_import(name, position);
            }
            return None;
        }
        let Some(prepared) = self.pipeline.take(self.tree, name) else {
            let mut message = self.tree.read_error(name);
            // protoc prints `name: message` even for an empty name (a diagnostic without a
            // file would be printed as the bare message).
            if name.is_empty() {
                message.insert_str(0, ": ");
            }
            let message = file_names::message(message);
            self.diagnostics
                .push(Diagnostic::in_file(name, 0, 0, message, Severity::Error));
            self.record_load(name, None);
            return None;
        };
        let Prepared {
            display,
            disk_path,
            line_index,
            lowered,
            syntax_errors,
        } = *prepared;
        // A file parsed with nothing on the import stack is a requested file parsed on its
        // own: its statements' positions take the place of the previous one's (even if it
        // does not parse: protoc records positions as it parses).
        let mut stale = StalePositions::default();
        if self.stack.is_empty() {
            let position =
                |kind: &ErrorKind| Some(line_column(&line_index, lowered.error_offset(&[], kind)?));
            stale = self.stale;
            if let Some(at) = position(&ErrorKind::Editions) {
                self.stale.editions = Some(at);
            }
            if let Some(at) = position(&ErrorKind::Name) {
                self.stale.name = Some(at);
            }
        }
        let mut failed = false;
        for (offset, message, is_warning) in syntax_errors {
            let severity = if is_warning {
                Severity::Warning
            } else {
                Severity::Error
            };
            failed |= !is_warning;
            self.push(&display, &line_index, Some(offset), message, severity);
        }
        if failed {
            self.record_load(name, None);
            return None;
        }
        let loaded = Loaded {
            disk_path,
            line_index,
            lowered,
            stale,
        };
        self.stack.push(name.to_string());
        let result = self.build(name, &display, loaded);
        self.stack.pop();
        self.record_load(name, result);
        result
    }

    /// Records the outcome of loading `name`.
    fn record_load(&mut self, name: &str, result: Option<usize>) {
        if result.is_none() {
            self.failed.push(name.to_string());
        }
        self.loaded.insert(name.to_string(), result);
    }

    /// `name` imports itself through the files from `stack[position]` on. Like protoc, which
    /// reads the file again and refuses to build it, the error is reported in that file at
    /// its import of the next file of the cycle.
    fn recursive_import(&mut self, name: &str, position: usize) {
        let mut cycle: Vec<&str> = self.stack[position..].iter().map(String::as_str).collect();
        cycle.push(name);
        let message = file_names::message(format!(
            "File recursively imports itself: {}",
            cycle.join(" -> ")
        ));
        let next = self
            .stack
            .get(position + 1)
            .cloned()
            .unwrap_or_else(|| name.to_string());
        match prepare(self.tree, name) {
            Some(prepared) => {
                let offset = prepared.lowered.error_offset(&[], &ErrorKind::Import(next));
                self.push(
                    &prepared.display,
                    &prepared.line_index,
                    offset,
                    message,
                    Severity::Error,
                );
            }
            None => {
                self.diagnostics
                    .push(Diagnostic::in_file(name, 0, 0, message, Severity::Error))
            }
        }
    }

    fn build(&mut self, name: &str, display: &str, loaded: Loaded) -> Option<usize> {
        let Loaded {
            disk_path,
            line_index,
            lowered,
            stale,
        } = loaded;
        let mut lowered = lowered;
        let mut proto = std::mem::take(&mut lowered.proto);
        // protoc refuses some packages outright, before or after loading the imports.
        let package_error = |proto: &FileDescriptorProto, imports_loaded| {
            let message = crate::validate::package_error(proto, imports_loaded)?;
            Some((lowered.error_offset(&[], &ErrorKind::Name), message))
        };
        if let Some((offset, message)) = package_error(&proto, false) {
            self.push(display, &line_index, offset, message, Severity::Error);
            return None;
        }
        // Like protoc: first load every import (their own errors come out now), then report
        // the imports that failed, and build this file all the same so that the types it
        // cannot resolve are reported too.
        // The imports' names in the compiler's form (see `file_names`).
        let dependencies: Vec<Cow<'_, str>> = proto
            .dependency
            .iter()
            .chain(&proto.option_dependency)
            .map(|dep| file_names::from_bytes(dep.as_bytes()))
            .collect();
        for dep in &dependencies {
            if !self.loaded.contains_key(dep.as_ref()) {
                self.load(dep);
            }
        }
        // A file of an edition protoc has no feature defaults for fails, but is still built
        // for the errors that come after.
        let mut failed_early = false;
        if let Some(message) = crate::validate::edition_error(lowered.syntax) {
            let offset = lowered.error_offset(&[], &ErrorKind::Editions);
            self.push(display, &line_index, offset, message, Severity::Error);
            failed_early = true;
        }
        // (An import path may hold a NUL, which the file system ignored.)
        if name.contains('\0') {
            let message = file_names::message(format!("\"{name}\" contains null character."));
            let offset = lowered.error_offset(&[], &ErrorKind::Name);
            self.push(display, &line_index, offset, message, Severity::Error);
            return None;
        }
        if let Some((offset, message)) = package_error(&proto, true) {
            self.push(display, &line_index, offset, message, Severity::Error);
            return None;
        }
        // protoc walks the imports, then the option imports, as one list: a name seen before
        // is "listed twice" and is still looked up. A missing import fails the file now; a
        // missing option import only once the file turns out to have options to interpret.
        let mut deps = Vec::new();
        let mut option_deps = Vec::new();
        let mut missing_option_deps = Vec::new();
        let mut seen = FastSet::default();
        let regular = proto.dependency.len();
        for (i, dep) in dependencies.iter().enumerate() {
            let dep = dep.as_ref();
            let offset = lowered.error_offset(&[], &ErrorKind::Import(dep.to_string()));
            if !seen.insert(dep) {
                self.push(
                    display,
                    &line_index,
                    offset,
                    file_names::message(format!("Import \"{dep}\" was listed twice.")),
                    Severity::Error,
                );
                failed_early = true;
            }
            match self.loaded.get(dep) {
                Some(Some(index)) if i < regular => deps.push(*index),
                Some(Some(index)) => option_deps.push(*index),
                // protoc stops building a file that imports itself; the recursion error
                // already said why.
                _ if dep == name => return None,
                _ if i < regular => {
                    self.push(
                        display,
                        &line_index,
                        offset,
                        file_names::message(format!(
                            "Import \"{dep}\" was not found or had errors."
                        )),
                        Severity::Error,
                    );
                    failed_early = true;
                }
                _ => missing_option_deps.push(dep.to_string()),
            }
        }
        let index = self.pool.files.len();
        // Imports are visible, and so are their public imports, transitively; the same goes
        // for option imports, whose files only lend their fields and extensions.
        let visible = self.public_closure(index, &deps);
        let mut option_visible = self.public_closure(index, &option_deps);
        option_visible.remove(&index);
        self.pool.files.push(PoolFile {
            name: name.to_string(),
            package: proto.package().to_string(),
            proto: FileDescriptorProto::default(),
            syntax: lowered.syntax,
            visible,
            option_visible,
            ok: false,
        });
        self.pool.by_name.insert(name.to_string(), index);
        let mut linker = Linker {
            pool: &mut self.pool,
            file: index,
            errors: Vec::new(),
            enum_defaults: Vec::new(),
        };
        // protoc's stages (see `validate`): build, cross-link, options, validation.
        let hints = linker.define_symbols(&proto);
        linker.check_option_names(&lowered.options);
        linker.cross_link(&mut proto);
        linker.check_enum_defaults(&proto);
        let mut errors = std::mem::take(&mut linker.errors);
        errors.extend(crate::validate::suggestions(&hints, &proto));
        // Only now, and only if options are to be interpreted (which it then prevents), is a
        // missing option import an error.
        if !lowered.options.is_empty() {
            errors.extend(missing_option_deps.into_iter().map(|dep| LinkError {
                path: Vec::new(),
                message: file_names::message(format!(
                    "Import \"{dep}\" was not found or had errors."
                )),
                kind: ErrorKind::Import(dep),
                level: crate::link::Level::Error,
            }));
        }
        let failed =
            |errors: &[LinkError]| failed_early || errors.iter().any(|e| e.level.is_error());
        let mut locations = std::mem::take(&mut lowered.locations);
        if !failed(&errors) {
            errors.extend(interpret_file(
                &self.pool,
                index,
                &mut proto,
                lowered.syntax,
                &lowered.options,
                &mut locations,
            ));
        }
        let input = crate::validate::FileInput {
            file: index,
            proto: &proto,
            syntax: lowered.syntax,
            is_input: self.inputs.contains(name),
            imports_failed: failed_early,
        };
        let findings = crate::validate::validate(&mut self.pool, &input, &errors);
        errors.extend(findings);
        // Diagnostics about elements need their positions, which files are first lowered
        // without: lower this one again, recording them all.
        if !lowered.error_offsets.complete
            && errors.iter().any(|error| !error.path.is_empty())
            && let Some(full) = prepare_with(self.tree, name, Positions::All)
        {
            lowered.error_offsets = full.lowered.error_offsets;
        }
        for error in &errors {
            use crate::link::Level;
            let offset = lowered.error_offset(&error.path, &error.kind);
            let severity = match error.level {
                Level::Warning | Level::DeferredWarning => Severity::Warning,
                Level::Error | Level::Deferred => Severity::Error,
            };
            let at = match offset {
                Some(offset) => Some(line_column(&line_index, offset)),
                None if error.path.is_empty() => stale.get(&error.kind),
                None => None,
            };
            self.push_at(display, at, error.message.clone(), severity);
            if matches!(error.level, Level::Deferred | Level::DeferredWarning)
                && let Some(diagnostic) = self.diagnostics.pop()
            {
                self.deferred.push(diagnostic);
            }
        }
        if failed(&errors) {
            // Roll back this file's symbols.
            self.pool.symbols.remove_file(index);
            return None;
        }
        set_default_json_names(&mut proto);
        // SourceCodeInfo is built at output time, from the compact recorded locations.
        let source_info = self
            .compiler
            .include_source_info
            .then_some(RecordedSourceInfo {
                locations,
                line_index,
            });
        self.source_info.resize_with(index + 1, || None);
        self.source_info[index] = source_info;
        self.display_names.resize(index + 1, String::new());
        self.display_names[index] = display.to_string();
        self.disk_paths.resize(index + 1, None);
        self.disk_paths[index] = disk_path;
        let file = &mut self.pool.files[index];
        file.proto = proto;
        file.ok = true;
        Some(index)
    }

    /// The pool index of the loaded file an import names (`None`: not loaded or failed).
    fn loaded_index(&self, dep: &ProtoString) -> Option<usize> {
        let name = file_names::from_bytes(dep.as_bytes());
        self.loaded.get(name.as_ref()).copied().flatten()
    }

    /// `roots` and, transitively, their public imports, plus `file` itself.
    fn public_closure(&self, file: usize, roots: &[usize]) -> FastSet<usize> {
        let mut closure: FastSet<usize> = FastSet::default();
        closure.insert(file);
        let mut stack = Vec::new();
        for &root in roots {
            if closure.insert(root) {
                stack.push(root);
            }
        }
        while let Some(dep) = stack.pop() {
            let proto = &self.pool.files[dep].proto;
            for &public in &proto.public_dependency {
                if let Some(public_index) = self.loaded_index(&proto.dependency[public as usize])
                    && closure.insert(public_index)
                {
                    stack.push(public_index);
                }
            }
        }
        closure
    }

    /// Every file the requested files `parsed` need, themselves included, in protoc's
    /// `--dependency_out` order (that of the descriptor set with `include_imports`).
    fn sources(&self, parsed: &[usize]) -> Vec<SourceFile> {
        let (mut seen, mut order) = (FastSet::default(), Vec::new());
        for &index in parsed {
            self.collect(index, &mut seen, &mut order);
        }
        order
            .into_iter()
            .map(|index| SourceFile {
                name: self.pool.files[index].name.clone(),
                disk_path: self.disk_paths[index].clone(),
            })
            .collect()
    }

    /// The output files in protoc's `--descriptor_set_out` order, moved out of the session.
    fn output(mut self, parsed: &[usize], delivery: Delivery<'_>) -> (Output, Vec<Diagnostic>) {
        let mut seen: FastSet<usize> = FastSet::default();
        if !self.compiler.include_imports {
            let to_output: FastSet<usize> = parsed.iter().copied().collect();
            for &index in parsed {
                let file = &self.pool.files[index].proto;
                for dep in file.dependency.iter().chain(&file.option_dependency) {
                    if let Some(dep_index) = self.loaded_index(dep)
                        && !to_output.contains(&dep_index)
                    {
                        seen.insert(dep_index);
                    }
                }
            }
        }
        let mut order = Vec::new();
        for &index in parsed {
            self.collect(index, &mut seen, &mut order);
        }
        let finalizer = (!self.compiler.retain_options).then(|| Finalizer::new(&self.pool));
        let items: Vec<OutputItem> = order
            .into_iter()
            .map(|index| {
                let proto = std::mem::take(&mut self.pool.files[index].proto);
                let source_info = self.source_info.get_mut(index).and_then(Option::take);
                (proto, source_info)
            })
            .collect();
        let out = finish_files(items, finalizer.as_ref(), delivery);
        (out, self.diagnostics)
    }

    /// Appends `index` to `order` after its dependencies (protoc's
    /// `GetTransitiveDependencies`).
    fn collect(&self, index: usize, seen: &mut FastSet<usize>, order: &mut Vec<usize>) {
        if !seen.insert(index) {
            return;
        }
        let file = &self.pool.files[index].proto;
        for dep in file.dependency.iter().chain(&file.option_dependency) {
            if let Some(dep_index) = self.loaded_index(dep) {
                self.collect(dep_index, seen, order);
            }
        }
        order.push(index);
    }
}

fn set_default_json_names(proto: &mut FileDescriptorProto) {
    fn visit(message: &mut DescriptorProto) {
        for field in message.field.iter_mut().chain(message.extension.iter_mut()) {
            if field.json_name.is_none() {
                field.json_name = Some(json_name(field.name()).into());
            }
        }
        message.nested_type.iter_mut().for_each(visit);
    }
    proto.message_type.iter_mut().for_each(visit);
    for field in &mut proto.extension {
        if field.json_name.is_none() {
            field.json_name = Some(json_name(field.name()).into());
        }
    }
}

fn build_source_info(locations: lower::Locations, index: &LineIndex) -> SourceCodeInfo {
    let location = locations
        .items
        .iter()
        .map(|raw| {
            let (span, span_len) = crate::encode::protoc_span(index, raw.span);
            let span = span[..span_len].to_vec();
            let path = locations.path(raw);
            let comments = locations.comments(raw);
            let text = |text: &[u8]| ProtoString::from(text);
            source_code_info::Location {
                path,
                span,
                leading_comments: comments.and_then(|c| c.leading()).map(text),
                trailing_comments: comments.and_then(|c| c.trailing()).map(text),
                leading_detached_comments: comments
                    .map(|c| c.detached().map(text).collect())
                    .unwrap_or_default(),
                ..Default::default()
            }
        })
        .collect();
    SourceCodeInfo {
        location,
        ..Default::default()
    }
}
