//! The compilation driver: loads files and their imports, builds each after its dependencies,
//! and assembles the output in protoc's order.

use std::path::PathBuf;

use rivet_descriptor::{DescriptorProto, FileDescriptorProto, SourceCodeInfo, source_code_info};
use rivet_syntax::LineIndex;

use crate::diagnostic::{Diagnostic, Severity};
use crate::finalize::Finalizer;
use crate::hash::{FastMap, FastSet};
use crate::link::{LinkError, Linker};
use crate::lower::{self, ErrorKind, Lowered, OptionsKind};
use crate::options::{Interpreter, apply_options};
use crate::pool::{Pool, PoolFile};
use crate::source_tree::{Origin, SourceTree};
use crate::text::json_name;
use crate::{Compilation, CompileError, Compiler};

/// A file being loaded: its source (for positions) and its lowered form.
struct Loaded {
    line_index: LineIndex,
    lowered: Lowered,
}

/// How many requested files are prepared ahead of linking at a time.
const PREPARE_BATCH: usize = 64;

/// A file read, parsed and lowered: everything about it that needs no other file.
struct Prepared {
    /// The name protoc uses for it in diagnostics (its path on disk).
    display: String,
    disk_path: Option<PathBuf>,
    line_index: LineIndex,
    lowered: Lowered,
    /// Parser and lowering diagnostics: (offset, message, is_warning), in source order.
    syntax_errors: Vec<(u32, String, bool)>,
}

/// Reads, parses and lowers the file with virtual path `name` (`None`: not found).
fn prepare(tree: &SourceTree, name: &str) -> Option<Box<Prepared>> {
    let (bytes, origin) = tree.read(name)?;
    let (display, disk_path) = match origin {
        Origin::Disk(path) => (path.to_string_lossy().into_owned(), Some(path)),
        Origin::Embedded | Origin::Memory => (name.to_string(), None),
    };
    let parsed = rivet_syntax::parse(&bytes);
    let line_index = LineIndex::new(&bytes);
    let lowered = lower::lower_file(name, &parsed.file);
    // protoc logs its missing-syntax warning where the command line never shows it.
    let missing_syntax = parsed.file.syntax.is_none();
    let mut syntax_errors: Vec<(u32, String, bool)> = parsed
        .diagnostics
        .into_iter()
        .filter(|d| {
            !(missing_syntax && d.is_warning && d.message.starts_with("No edition or syntax"))
        })
        .map(|d| (d.span.start, d.message, d.is_warning))
        .collect();
    syntax_errors.extend(
        lowered
            .errors
            .iter()
            .map(|(span, message)| (span.start, message.clone(), false)),
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
    tree: SourceTree,
    pool: Pool,
    /// Virtual name to pool index (`None`: not found or had errors).
    loaded: FastMap<String, Option<usize>>,
    /// Per pool index: source code info for output.
    source_info: Vec<Option<SourceCodeInfo>>,
    diagnostics: Vec<Diagnostic>,
    disk_files: Vec<PathBuf>,
    stack: Vec<String>,
    /// Files read, parsed and lowered ahead of linking (`None`: not found).
    prepared: FastMap<String, Option<Box<Prepared>>>,
    /// The virtual names of the requested files (protoc's direct inputs).
    inputs: FastSet<String>,
    /// Per pool index: the name diagnostics give the file (built files only).
    display_names: Vec<String>,
    /// Diagnostics of protoc's deferred checks, reported once the requested file being
    /// loaded is built.
    deferred: Vec<Diagnostic>,
}

pub(crate) fn compile(compiler: &Compiler, inputs: &[String]) -> Result<Compilation, CompileError> {
    let tree = SourceTree::new(compiler.include_paths(), &compiler.virtual_files);
    let mut session = Session {
        compiler,
        tree,
        pool: Pool::default(),
        loaded: FastMap::default(),
        source_info: Vec::new(),
        diagnostics: Vec::new(),
        disk_files: Vec::new(),
        stack: Vec::new(),
        prepared: FastMap::default(),
        inputs: FastSet::default(),
        display_names: Vec::new(),
        deferred: Vec::new(),
    };
    let mut virtual_inputs = Vec::new();
    for input in inputs {
        match session.tree.input_to_virtual(input) {
            Ok(name) => virtual_inputs.push(name),
            Err(error) => session
                .diagnostics
                .push(Diagnostic::error_without_location(error.message())),
        }
    }
    if session.has_errors() {
        return Err(CompileError::new(session.diagnostics));
    }
    session.inputs = virtual_inputs.iter().cloned().collect();
    // Files are read, parsed and lowered in parallel a batch at a time, then linked in
    // protoc's order; batches keep memory flat on large runs.
    let mut parsed = Vec::new();
    for batch in virtual_inputs.chunks(PREPARE_BATCH) {
        session.prepare_all(batch);
        for name in batch {
            let loaded = session.load(name, None);
            let deferred = std::mem::take(&mut session.deferred);
            session.diagnostics.extend(deferred);
            match loaded {
                // A file can be built and still fail (protoc's deferred feature checks).
                Some(index) if !session.has_errors() => parsed.push(index),
                // protoc stops at the first requested file that fails.
                _ => return Err(CompileError::new(session.diagnostics)),
            }
        }
    }
    if session.has_errors() {
        return Err(CompileError::new(session.diagnostics));
    }
    // protoc's command-line checks on the requested files, once all are built.
    for (file, message, level) in crate::validate::check_inputs(&session.pool, &parsed) {
        let severity = if level == crate::link::Level::Warning {
            Severity::Warning
        } else {
            Severity::Error
        };
        session.diagnostics.push(Diagnostic {
            file: session.display_names[file].clone(),
            line: 0,
            column: 0,
            message,
            severity,
        });
    }
    if session.has_errors() {
        return Err(CompileError::new(session.diagnostics));
    }
    let (files, warnings, disk_files) = session.output(&parsed);
    Ok(Compilation {
        files,
        requested: virtual_inputs,
        warnings,
        disk_files,
    })
}

impl Session<'_> {
    /// Reads, parses and lowers `inputs` and everything they import, on all cores, level by
    /// level of the import graph. Linking then runs in protoc's order over the results.
    fn prepare_all(&mut self, inputs: &[String]) {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let mut queued: FastSet<String> = FastSet::default();
        let mut level: Vec<String> = Vec::new();
        for name in inputs {
            if !self.prepared.contains_key(name)
                && !self.loaded.contains_key(name)
                && queued.insert(name.clone())
            {
                level.push(name.clone());
            }
        }
        while !level.is_empty() {
            let chunk_size = level.len().div_ceil(threads).max(1);
            let tree = &self.tree;
            let results: Vec<(String, Option<Box<Prepared>>)> = std::thread::scope(|scope| {
                let workers: Vec<_> = level
                    .chunks(chunk_size)
                    .map(|chunk| {
                        scope.spawn(move || {
                            chunk
                                .iter()
                                .map(|name| (name.clone(), prepare(tree, name)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|worker| worker.join().unwrap_or_default())
                    .collect()
            });
            let mut next = Vec::new();
            for (name, prepared) in results {
                if let Some(prepared) = &prepared {
                    let proto = &prepared.lowered.proto;
                    for dep in proto.dependency.iter().chain(&proto.option_dependency) {
                        if !self.prepared.contains_key(dep)
                            && !self.loaded.contains_key(dep)
                            && queued.insert(dep.clone())
                        {
                            next.push(dep.clone());
                        }
                    }
                }
                self.prepared.insert(name, prepared);
            }
            next.retain(|dep| !self.prepared.contains_key(dep));
            level = next;
        }
    }

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
        message: String,
        severity: Severity,
    ) {
        let (line, column) = match offset {
            Some(offset) => {
                let (line, column) = index.line_col(offset);
                (line + 1, column + 1)
            }
            None => (0, 0),
        };
        self.diagnostics.push(Diagnostic {
            file: file.to_string(),
            line,
            column,
            message,
            severity,
        });
    }

    /// Loads, parses and builds `name` and its imports. `importer` is the importing file and
    /// the import statement's offset, for errors.
    fn load(
        &mut self,
        name: &str,
        importer: Option<(&str, &LineIndex, Option<u32>)>,
    ) -> Option<usize> {
        if let Some(&result) = self.loaded.get(name) {
            return result;
        }
        if self.stack.iter().any(|n| n == name) {
            if let Some((file, index, offset)) = importer {
                let mut cycle = self.stack.clone();
                let start = cycle.iter().position(|n| n == name).unwrap_or(0);
                cycle.drain(..start);
                cycle.push(name.to_string());
                self.push(
                    file,
                    index,
                    offset,
                    format!("File recursively imports itself: {}", cycle.join(" -> ")),
                    Severity::Error,
                );
            }
            return None;
        }
        let prepared = match self.prepared.remove(name) {
            Some(prepared) => prepared,
            None => prepare(&self.tree, name),
        };
        let Some(prepared) = prepared else {
            self.diagnostics.push(Diagnostic {
                file: name.to_string(),
                line: 0,
                column: 0,
                message: "File not found.".into(),
                severity: Severity::Error,
            });
            self.import_failed(name, importer);
            self.loaded.insert(name.to_string(), None);
            return None;
        };
        let Prepared {
            display,
            disk_path,
            line_index,
            lowered,
            syntax_errors,
        } = *prepared;
        if let Some(path) = disk_path {
            self.disk_files.push(path);
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
            self.import_failed(name, importer);
            self.loaded.insert(name.to_string(), None);
            return None;
        }
        let loaded = Loaded {
            line_index,
            lowered,
        };
        self.stack.push(name.to_string());
        let result = self.build(name, &display, loaded);
        self.stack.pop();
        if result.is_none() {
            self.import_failed(name, importer);
        }
        self.loaded.insert(name.to_string(), result);
        result
    }

    fn import_failed(&mut self, name: &str, importer: Option<(&str, &LineIndex, Option<u32>)>) {
        if let Some((file, index, offset)) = importer {
            self.push(
                file,
                index,
                offset,
                format!("Import \"{name}\" was not found or had errors."),
                Severity::Error,
            );
        }
    }

    fn build(&mut self, name: &str, display: &str, loaded: Loaded) -> Option<usize> {
        let Loaded {
            line_index,
            lowered,
        } = loaded;
        let mut lowered = lowered;
        let mut proto = std::mem::take(&mut lowered.proto);
        // Dependencies first.
        let mut deps = Vec::new();
        let mut seen = FastSet::default();
        let mut ok = true;
        for dep in proto.dependency.clone() {
            let offset = lowered.error_offset(&[], &ErrorKind::Import(dep.clone()));
            if !seen.insert(dep.clone()) {
                self.push(
                    display,
                    &line_index,
                    offset,
                    format!("Import \"{dep}\" was listed twice."),
                    Severity::Error,
                );
                ok = false;
                continue;
            }
            match self.load(&dep, Some((display, &line_index, offset))) {
                Some(index) => deps.push(index),
                None => ok = false,
            }
        }
        let mut option_deps = Vec::new();
        for dep in proto.option_dependency.clone() {
            let offset = lowered.error_offset(&[], &ErrorKind::Import(dep.clone()));
            if let Some(index) = self.load(&dep, Some((display, &line_index, offset))) {
                option_deps.push(index);
            }
        }
        if !ok {
            return None;
        }
        let index = self.pool.files.len();
        let mut visible: FastSet<usize> = FastSet::default();
        visible.insert(index);
        let mut stack = deps.clone();
        // Imports are visible, and so are their public imports, transitively.
        for &dep in &deps {
            visible.insert(dep);
        }
        while let Some(dep) = stack.pop() {
            let file = &self.pool.files[dep].proto;
            for &public in &file.public_dependency {
                let public_name = &file.dependency[public as usize];
                if let Some(Some(public_index)) = self.loaded.get(public_name)
                    && visible.insert(*public_index)
                {
                    stack.push(*public_index);
                }
            }
        }
        self.pool.files.push(PoolFile {
            name: name.to_string(),
            proto: FileDescriptorProto::default(),
            syntax: lowered.syntax,
            visible,
            option_visible: option_deps.into_iter().collect(),
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
        linker.cross_link(&mut proto);
        linker.check_enum_defaults(&proto);
        let mut errors = std::mem::take(&mut linker.errors);
        errors.extend(crate::validate::suggestions(&hints, &proto));
        let failed = |errors: &[LinkError]| errors.iter().any(|e| e.level.is_error());
        let mut locations = std::mem::take(&mut lowered.locations);
        if !failed(&errors) {
            let mut interpreter = Interpreter {
                pool: &self.pool,
                file: index,
                proto: &proto,
                errors: Vec::new(),
            };
            let raw = interpreter.interpret(&lowered.options, &mut locations);
            errors.extend(interpreter.errors);
            if !failed(&errors) {
                let kinds: FastMap<Vec<i32>, OptionsKind> = lowered
                    .options
                    .iter()
                    .map(|o| (o.element_path.clone(), o.kind))
                    .collect();
                if apply_options(&mut proto, raw, &kinds).is_err() {
                    errors.push(LinkError {
                        path: Vec::new(),
                        kind: ErrorKind::Other,
                        message: "Some options could not be correctly parsed.".into(),
                        level: crate::link::Level::Error,
                    });
                }
            }
        }
        let input = crate::validate::FileInput {
            file: index,
            proto: &proto,
            syntax: lowered.syntax,
            options: &lowered.options,
            is_input: self.inputs.contains(name),
        };
        let findings = crate::validate::validate(&mut self.pool, &input, &errors);
        errors.extend(findings);
        for error in &errors {
            use crate::link::Level;
            let offset = lowered.error_offset(&error.path, &error.kind);
            let severity = match error.level {
                Level::Warning | Level::DeferredWarning => Severity::Warning,
                Level::Error | Level::Deferred => Severity::Error,
            };
            self.push(
                display,
                &line_index,
                offset,
                error.message.clone(),
                severity,
            );
            if matches!(error.level, Level::Deferred | Level::DeferredWarning)
                && let Some(diagnostic) = self.diagnostics.pop()
            {
                self.deferred.push(diagnostic);
            }
        }
        if failed(&errors) {
            // Roll back this file's symbols.
            self.pool.symbols.retain(|_, symbol| symbol.file != index);
            return None;
        }
        set_default_json_names(&mut proto);
        let source_info = self
            .compiler
            .include_source_info
            .then(|| build_source_info(locations, &line_index));
        self.source_info.resize(index + 1, None);
        self.source_info[index] = source_info;
        self.display_names.resize(index + 1, String::new());
        self.display_names[index] = display.to_string();
        let file = &mut self.pool.files[index];
        file.proto = proto;
        file.ok = true;
        Some(index)
    }

    /// The output files in protoc's `--descriptor_set_out` order, moved out of the session.
    fn output(
        mut self,
        parsed: &[usize],
    ) -> (Vec<FileDescriptorProto>, Vec<Diagnostic>, Vec<PathBuf>) {
        let mut seen: FastSet<usize> = FastSet::default();
        if !self.compiler.include_imports {
            let to_output: FastSet<usize> = parsed.iter().copied().collect();
            for &index in parsed {
                let file = &self.pool.files[index].proto;
                for dep in file.dependency.iter().chain(&file.option_dependency) {
                    if let Some(Some(dep_index)) = self.loaded.get(dep)
                        && !to_output.contains(dep_index)
                    {
                        seen.insert(*dep_index);
                    }
                }
            }
        }
        let mut order = Vec::new();
        for &index in parsed {
            self.collect(index, &mut seen, &mut order);
        }
        let mut finalizer = (!self.compiler.retain_options).then(|| Finalizer::new(&self.pool));
        let mut out = Vec::with_capacity(order.len());
        for index in order {
            let mut proto = std::mem::take(&mut self.pool.files[index].proto);
            if let Some(info) = self.source_info.get_mut(index).and_then(Option::take) {
                proto.source_code_info = Some(info);
            }
            match finalizer.as_mut() {
                Some(finalizer) => finalizer.finalize(&mut proto),
                None => crate::finalize::sort_known_feature_extensions(&mut proto),
            }
            out.push(proto);
        }
        (out, self.diagnostics, self.disk_files)
    }

    /// Appends `index` to `order` after its dependencies (protoc's
    /// `GetTransitiveDependencies`).
    fn collect(&self, index: usize, seen: &mut FastSet<usize>, order: &mut Vec<usize>) {
        if !seen.insert(index) {
            return;
        }
        let file = &self.pool.files[index].proto;
        for dep in file.dependency.iter().chain(&file.option_dependency) {
            if let Some(Some(dep_index)) = self.loaded.get(dep) {
                self.collect(*dep_index, seen, order);
            }
        }
        order.push(index);
    }
}

fn set_default_json_names(proto: &mut FileDescriptorProto) {
    fn visit(message: &mut DescriptorProto) {
        for field in message.field.iter_mut().chain(message.extension.iter_mut()) {
            if field.json_name.is_none() {
                field.json_name = Some(json_name(field.name()));
            }
        }
        message.nested_type.iter_mut().for_each(visit);
    }
    proto.message_type.iter_mut().for_each(visit);
    for field in &mut proto.extension {
        if field.json_name.is_none() {
            field.json_name = Some(json_name(field.name()));
        }
    }
}

fn build_source_info(locations: Vec<lower::RawLocation>, index: &LineIndex) -> SourceCodeInfo {
    let location = locations
        .into_iter()
        .map(|raw| {
            let (start_line, start_col) = index.line_col(raw.span.start);
            let (end_line, end_col) = index.line_col(raw.span.end);
            let mut span = Vec::with_capacity(if end_line != start_line { 4 } else { 3 });
            span.extend([start_line as i32, start_col as i32]);
            if end_line != start_line {
                span.push(end_line as i32);
            }
            span.push(end_col as i32);
            let comments = raw.comments.map(|c| *c).unwrap_or_default();
            source_code_info::Location {
                path: raw.path,
                span,
                leading_comments: comments.leading,
                trailing_comments: comments.trailing,
                leading_detached_comments: comments.leading_detached,
                ..Default::default()
            }
        })
        .collect();
    SourceCodeInfo {
        location,
        ..Default::default()
    }
}
