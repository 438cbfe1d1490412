//! The checks protoc's `DescriptorBuilder` makes on a file, with protoc's messages, positions
//! and order. protoc builds a file in stages, and a stage runs only if the previous ones found
//! no error, so the order of the stages decides what a file with several errors reports:
//!
//! 1. the build phase ([`build`]): names, symbols, numbers, ranges, reservations;
//! 2. cross-linking (`link.rs`, with the number checks of [`numbers`]), then field-number
//!    suggestions;
//! 3. option interpretation with feature resolution between its two passes (`options/`,
//!    `features.rs`);
//! 4. `ValidateOptions` ([`elements`], [`fields`], [`json`]), element by element;
//! 5. map-entry name conflicts (only when something failed), unused imports ([`imports`]),
//!    naming style ([`naming`]), edition 2026's size limits ([`limits`]), symbol visibility
//!    and feature lifetimes ([`lifetimes`]).

mod build;
mod cli;
mod elements;
mod fields;
mod imports;
mod json;
mod lifetimes;
mod limits;
mod naming;
mod numbers;
mod order;
mod visibility;
mod visit;
mod wire;

use rivet_descriptor::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};

pub(crate) use build::{
    Hints, MAX_MESSAGE_DEPTH, build_file, built_field_name, built_full_name, edition_error,
    package_error,
};
pub(crate) use cli::{
    AllowedImports, FindingLevel, InputRestrictions, check_inputs, unsupported_edition,
};
pub(crate) use numbers::NumberTable;
pub(crate) use order::interpretation_order;
pub(crate) use visibility::visibility_error;
pub(crate) use wire::option_already_set;

use crate::features::edition_of;
use crate::link::{Level, LinkError};
use crate::lower::{ErrorKind, Syntax};
use crate::pool::{Pool, SymbolKind};

/// The largest valid field number.
pub(crate) const MAX_FIELD_NUMBER: i32 = 536_870_911;

/// `scope.name`, or `name` at the root.
pub(crate) fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        return name.to_string();
    }
    // (Not `format!`: this runs for every element of every file.)
    let mut full_name = String::with_capacity(scope.len() + 1 + name.len());
    full_name.push_str(scope);
    full_name.push('.');
    full_name.push_str(name);
    full_name
}

/// What validation knows about the file being built.
pub(crate) struct FileInput<'a> {
    pub file: usize,
    pub proto: &'a FileDescriptorProto,
    pub syntax: Syntax,
    /// Whether the file was named on the command line (protoc's direct input files).
    pub is_input: bool,
    /// Whether the file already failed before linking (an import failed).
    pub imports_failed: bool,
}

/// The checks after option interpretation, for a file whose earlier stages reported
/// `earlier` (errors and warnings). Returns the new findings; when the file has no error at
/// all, its extensions join the pool's extension table.
pub(crate) fn validate(
    pool: &mut Pool,
    input: &FileInput<'_>,
    earlier: &[LinkError],
) -> Vec<LinkError> {
    let had_errors = input.imports_failed || earlier.iter().any(|e| e.level == Level::Error);
    let mut checker = Checker {
        pool,
        file: input.file,
        proto: input.proto,
        syntax: input.syntax,
        edition: edition_of(input.syntax),
        out: Vec::new(),
        schema_cache: Default::default(),
    };
    let visits = if had_errors {
        Vec::new()
    } else {
        visit::visit_file(input.proto, input.syntax)
    };
    let mut target_errors = Vec::new();
    if !had_errors {
        for visit in &visits {
            checker.validate_element(visit);
        }
    }
    let failed = had_errors || checker.failed();
    if failed {
        for (i, message) in input.proto.message_type.iter().enumerate() {
            checker.detect_map_conflicts(message, &[crate::lower::tag::FILE_MESSAGE, i as i32]);
        }
    } else {
        checker.unused_imports(input);
        if !checker.failed() {
            checker.naming_style(&visits);
        }
        if !checker.failed() {
            checker.proto_limits(&visits);
        }
        if !checker.failed() {
            checker.check_symbol_visibility(&visits);
        }
        // A file failing here is rolled back with its deferred checks.
        if !checker.failed() {
            target_errors = checker.check_options(&visits, input.is_input);
        }
    }
    let out = checker.out;
    if !failed && !out.iter().any(|e| e.level == Level::Error) {
        numbers::register_extensions(pool, input.file, input.proto);
        if !target_errors.is_empty() {
            pool.target_errors.insert(input.file, target_errors);
        }
    }
    out
}

/// The state of the checks on one file.
pub(crate) struct Checker<'a> {
    pub pool: &'a Pool,
    pub file: usize,
    pub proto: &'a FileDescriptorProto,
    pub syntax: Syntax,
    pub edition: i32,
    pub out: Vec<LinkError>,
    /// Options-schema lookups by (message, field number), which repeat on every element.
    pub schema_cache: SchemaCache<'a>,
}

/// See [`Checker::schema_cache`].
pub(crate) type SchemaCache<'a> = std::cell::RefCell<lifetimes::SchemaCaches<'a>>;

impl<'a> Checker<'a> {
    pub(crate) fn error(&mut self, path: &[i32], kind: ErrorKind, message: String) {
        self.report(path, kind, message.into_bytes(), Level::Error);
    }

    pub(crate) fn warning(&mut self, path: &[i32], kind: ErrorKind, message: String) {
        self.report(path, kind, message.into_bytes(), Level::Warning);
    }

    /// An error whose message quotes bytes of a `.proto` file, UTF-8 or not.
    pub(crate) fn error_bytes(&mut self, path: &[i32], kind: ErrorKind, message: Vec<u8>) {
        self.report(path, kind, message, Level::Error);
    }

    /// Reports an error or warning whose message may quote bytes of a `.proto` file that
    /// are not UTF-8.
    pub(crate) fn report(&mut self, path: &[i32], kind: ErrorKind, message: Vec<u8>, level: Level) {
        self.out.push(LinkError {
            path: path.to_vec(),
            kind,
            message,
            level,
        });
    }

    fn failed(&self) -> bool {
        self.out.iter().any(|e| e.level == Level::Error)
    }

    /// The proto of pool file `file` (this file included).
    pub(crate) fn file_proto(&self, file: usize) -> &'a FileDescriptorProto {
        self.pool.proto(file, (self.file, self.proto))
    }

    /// The syntax of pool file `file`.
    pub(crate) fn file_syntax(&self, file: usize) -> Syntax {
        if file == self.file {
            self.syntax
        } else {
            self.pool.files[file].syntax
        }
    }

    /// A message by full name (no leading dot): its file, proto and path.
    pub(crate) fn message(&self, name: &str) -> Option<(usize, &'a DescriptorProto, &'a [i32])> {
        let symbol = self.pool.symbols.get(name.trim_start_matches('.'))?;
        if symbol.kind != SymbolKind::Message {
            return None;
        }
        let proto = self.file_proto(symbol.file);
        Some((
            symbol.file,
            Pool::message_at(proto, symbol.path)?,
            symbol.path,
        ))
    }

    /// An enum by full name (no leading dot): its file, proto and path.
    pub(crate) fn enum_(&self, name: &str) -> Option<(usize, &'a EnumDescriptorProto, &'a [i32])> {
        let symbol = self.pool.symbols.get(name.trim_start_matches('.'))?;
        if symbol.kind != SymbolKind::Enum {
            return None;
        }
        let proto = self.file_proto(symbol.file);
        Some((symbol.file, Pool::enum_at(proto, symbol.path)?, symbol.path))
    }

    /// Whether the enum `name` is closed (resolved in its own file).
    pub(crate) fn enum_is_closed(&self, name: &str) -> bool {
        self.enum_(name).is_some_and(|(file, _, path)| {
            let features =
                crate::features::resolve(self.file_proto(file), self.file_syntax(file), path);
            features.enum_type == crate::features::value::CLOSED
        })
    }

    /// Whether pool file `file` uses `optimize_for = LITE_RUNTIME`.
    pub(crate) fn is_lite(&self, file: usize) -> bool {
        self.file_proto(file)
            .options
            .as_ref()
            .and_then(|o| o.optimize_for)
            == Some(3)
    }
}

impl Level {
    /// Whether the finding makes the file fail.
    pub(crate) fn is_error(self) -> bool {
        self == Level::Error
    }
}

/// The "Suggested field numbers" errors of `hints`, to report after cross-linking.
pub(crate) fn suggestions(hints: &Hints, proto: &FileDescriptorProto) -> Vec<LinkError> {
    hints
        .suggestions(proto)
        .into_iter()
        .map(|(path, kind, message)| LinkError {
            path,
            kind,
            message: message.into(),
            level: Level::Error,
        })
        .collect()
}
