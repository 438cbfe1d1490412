//! Lowering: one parsed file's AST to the `FileDescriptorProto` protoc's parser would produce.
//!
//! Type names are left as written (the linker resolves them), options are collected as
//! [`PendingOption`]s for the option interpreter, and source locations are recorded in exactly
//! the order and shape protoc's parser records them, so that `SourceCodeInfo` matches byte for
//! byte once options are interpreted.

use std::collections::HashSet;

use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto, FileDescriptorProto, OneofDescriptorProto, ProtoString,
    descriptor_proto, field_descriptor_proto,
};
use rivet_syntax::ast::{self, Comments, Span};

/// Field numbers of `FileDescriptorProto`, `DescriptorProto`, ... used in location paths.
pub(crate) mod tag;

/// The largest field number plus one: the exclusive end of `max` ranges.
pub(crate) const MAX_FIELD_NUMBER_END: i32 = 536_870_912;

/// The syntax or edition of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    Proto2,
    Proto3,
    /// An edition, as its `Edition` enum number (2023 = 1000, ...).
    Editions(i32),
}

/// What protoc records for error positions (its `ErrorCollector::ErrorLocation`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ErrorKind {
    Name,
    Number,
    Type,
    Extendee,
    DefaultValue,
    InputType,
    OutputType,
    OptionName,
    OptionValue,
    Other,
    Editions,
    /// The import statement of the named file.
    Import(String),
    /// No position: protoc looks the error up by an object its table never holds (an
    /// options message).
    Unrecorded,
}

/// Which options message an option belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptionsKind {
    File,
    Message,
    Field,
    Oneof,
    ExtensionRange,
    Enum,
    EnumValue,
    Service,
    Method,
}

impl OptionsKind {
    /// The full name of the options message.
    pub(crate) fn message_name(self) -> &'static str {
        match self {
            OptionsKind::File => "google.protobuf.FileOptions",
            OptionsKind::Message => "google.protobuf.MessageOptions",
            OptionsKind::Field => "google.protobuf.FieldOptions",
            OptionsKind::Oneof => "google.protobuf.OneofOptions",
            OptionsKind::ExtensionRange => "google.protobuf.ExtensionRangeOptions",
            OptionsKind::Enum => "google.protobuf.EnumOptions",
            OptionsKind::EnumValue => "google.protobuf.EnumValueOptions",
            OptionsKind::Service => "google.protobuf.ServiceOptions",
            OptionsKind::Method => "google.protobuf.MethodOptions",
        }
    }
}

/// An option statement or `[...]` entry waiting to be interpreted.
#[derive(Clone, Debug)]
pub(crate) struct PendingOption {
    /// Path of the element that owns the options (empty for the file).
    pub element_path: Vec<i32>,
    /// Field number of `options` inside that element.
    pub options_field: i32,
    /// Which options message.
    pub kind: OptionsKind,
    /// Index among the element's uninterpreted options (protoc's `uninterpreted_option` index).
    pub index: usize,
    /// The option name.
    pub name: ast::OptionName,
    /// The value.
    pub value: ast::OptionValue,
    /// Index of the location recorded for the option (rewritten once interpreted); `None` for
    /// options protoc copies without a location (map entry features).
    pub location: Option<usize>,
}

/// One `SourceCodeInfo.Location`, with spans as byte offsets and its path and comments in
/// [`Locations`]' shared buffers.
#[derive(Clone, Debug)]
pub(crate) struct RawLocation {
    /// The path's byte range in [`Locations::paths`], or, with the [`REWRITTEN`] bit set, in
    /// [`Locations::rewritten`].
    path_start: u32,
    path_len: u32,
    pub span: Span,
    /// Index into [`Locations::comment_sets`], or [`NONE`].
    comments: u32,
}

/// No comment (a missing index).
const NONE: u32 = u32::MAX;

/// Marks a `path_start` as an offset into [`Locations::rewritten`].
const REWRITTEN: u32 = 1 << 31;

/// The comments of one location: indexes into [`Locations::comment_texts`].
#[derive(Clone, Copy, Debug)]
struct CommentSet {
    leading: u32,
    trailing: u32,
    detached_start: u32,
    detached_len: u32,
}

/// A file's recorded locations, in protoc's order. Paths share one buffer and comment texts
/// another, so recording a location allocates nothing: these stay in memory until output,
/// and a box and a vector per comment cost more than twice the text itself on large trees.
#[derive(Clone, Debug, Default)]
pub(crate) struct Locations {
    pub items: Vec<RawLocation>,
    /// Every location's path, back to back, each already as the packed varints of its
    /// `SourceCodeInfo.Location.path` (most elements take one byte instead of four, and the
    /// output copies them as they are).
    paths: Vec<u8>,
    /// The paths of interpreted options, given after lowering ([`Locations::set_path`]), in
    /// the same encoding. They are kept apart so that the linker, on another thread, does not
    /// grow (and so copy) the file's whole `paths` buffer to add a few.
    rewritten: Vec<u8>,
    /// Every comment's bytes, back to back.
    comment_bytes: Vec<u8>,
    /// Each comment text as a `(start, end)` range of `comment_bytes`.
    comment_texts: Vec<(u32, u32)>,
    comment_sets: Vec<CommentSet>,
}

/// The comments of a recorded location, borrowed from [`Locations`].
#[derive(Clone, Copy)]
pub(crate) struct LocationComments<'a> {
    locations: &'a Locations,
    set: CommentSet,
}

impl<'a> LocationComments<'a> {
    fn text(&self, index: u32) -> Option<&'a [u8]> {
        let &(start, end) = self.locations.comment_texts.get(index as usize)?;
        Some(&self.locations.comment_bytes[start as usize..end as usize])
    }

    /// The comment directly before the element.
    pub(crate) fn leading(&self) -> Option<&'a [u8]> {
        self.text(self.set.leading)
    }

    /// The comment after the element's first line.
    pub(crate) fn trailing(&self) -> Option<&'a [u8]> {
        self.text(self.set.trailing)
    }

    /// The detached comments before the element, in order.
    pub(crate) fn detached(self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let start = self.set.detached_start;
        (start..start + self.set.detached_len).filter_map(move |index| self.text(index))
    }
}

impl Locations {
    /// Records a location whose path is `prefix` followed by `extra`, with the statement's
    /// `comments` (copied); returns its index.
    fn push(
        &mut self,
        prefix: &[i32],
        extra: &[i32],
        span: Span,
        comments: Option<&Comments>,
    ) -> usize {
        let path_start = self.paths.len() as u32;
        for &element in prefix.iter().chain(extra) {
            crate::wire::int32(&mut self.paths, element);
        }
        let path_len = self.paths.len() as u32 - path_start;
        // (2 GiB of paths would take a source file of several hundred megabytes, which the
        // rest of the compilation could not hold in memory anyway.)
        debug_assert!(self.paths.len() < REWRITTEN as usize);
        let comments = match comments.filter(|c| !c.is_empty()) {
            Some(comments) => {
                let leading = self.add_comment(comments.leading.as_deref());
                let trailing = self.add_comment(comments.trailing.as_deref());
                let detached_start = self.comment_texts.len() as u32;
                for text in &comments.leading_detached {
                    self.add_comment(Some(text));
                }
                self.comment_sets.push(CommentSet {
                    leading,
                    trailing,
                    detached_start,
                    detached_len: comments.leading_detached.len() as u32,
                });
                self.comment_sets.len() as u32 - 1
            }
            None => NONE,
        };
        self.items.push(RawLocation {
            path_start,
            path_len,
            span,
            comments,
        });
        self.items.len() - 1
    }

    /// Stores a comment text; returns its index (or [`NONE`]).
    fn add_comment(&mut self, text: Option<&[u8]>) -> u32 {
        let Some(text) = text else {
            return NONE;
        };
        let start = self.comment_bytes.len() as u32;
        self.comment_bytes.extend_from_slice(text);
        self.comment_texts
            .push((start, self.comment_bytes.len() as u32));
        self.comment_texts.len() as u32 - 1
    }

    /// The path of `location`, encoded: its elements as consecutive varints, as in a packed
    /// `path` field (so one path is a byte prefix of another exactly when it is a prefix of
    /// it element by element: varints are self-delimiting).
    pub(crate) fn encoded_path(&self, location: &RawLocation) -> &[u8] {
        let (buffer, start) = if location.path_start & REWRITTEN != 0 {
            (&self.rewritten, location.path_start & !REWRITTEN)
        } else {
            (&self.paths, location.path_start)
        };
        &buffer[start as usize..(start + location.path_len) as usize]
    }

    /// The path of `location`, decoded.
    pub(crate) fn path(&self, location: &RawLocation) -> Vec<i32> {
        let mut bytes = self.encoded_path(location);
        let mut path = Vec::new();
        while let Some(value) = crate::wire::read_varint(&mut bytes) {
            path.push(value as i32);
        }
        path
    }

    /// The comments of `location`, if it has any.
    pub(crate) fn comments(&self, location: &RawLocation) -> Option<LocationComments<'_>> {
        let set = *self.comment_sets.get(location.comments as usize)?;
        Some(LocationComments {
            locations: self,
            set,
        })
    }

    /// Moves each buffer into an allocation of its exact size: a file's locations stay in
    /// memory until output, and the slack of growing them was a tenth of the peak memory of
    /// a large compilation.
    fn compact(&mut self) {
        exact(&mut self.items);
        exact(&mut self.paths);
        exact(&mut self.comment_bytes);
        exact(&mut self.comment_texts);
        exact(&mut self.comment_sets);
    }

    /// Replaces the path of the location at `index` (an interpreted option's new path).
    pub(crate) fn set_path(&mut self, index: usize, path: &[i32]) {
        let path_start = self.rewritten.len() as u32;
        for &element in path {
            crate::wire::int32(&mut self.rewritten, element);
        }
        let location = &mut self.items[index];
        location.path_start = path_start | REWRITTEN;
        location.path_len = self.rewritten.len() as u32 - path_start;
    }
}

/// Which error positions lowering records.
///
/// Positions are only looked up to report a diagnostic, and a file that builds cleanly needs
/// none of its elements' positions: recording them for every field, option and name of a
/// large tree costs time and memory for nothing. So files are first lowered with the file's
/// own positions only (all that imports and unused-import warnings need), and lowered again,
/// with every position, in the rare case a diagnostic is about one of their elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Positions {
    /// Positions of the file's own statements (empty element path) only.
    FileOnly,
    /// Positions of every element.
    All,
}

/// The lowered file.
#[derive(Debug)]
pub(crate) struct Lowered {
    pub proto: FileDescriptorProto,
    pub syntax: Syntax,
    pub options: Vec<PendingOption>,
    pub locations: Locations,
    /// Where protoc reports errors about each element, searched only when there is an error
    /// to report.
    pub error_offsets: ErrorPositions,
    /// Errors protoc's parser reports that the AST cannot rule out by itself.
    pub errors: Vec<(Span, String)>,
}

impl Lowered {
    fn empty(syntax: Syntax) -> Self {
        Lowered {
            proto: FileDescriptorProto::default(),
            syntax,
            options: Vec::new(),
            locations: Locations::default(),
            error_offsets: ErrorPositions::default(),
            errors: Vec::new(),
        }
    }

    /// Where protoc reports an error of `kind` about the element at `path` (the last
    /// recorded position wins, as in protoc's location table). Positions of elements are
    /// only there if the file was lowered with [`Positions::All`].
    pub(crate) fn error_offset(&self, path: &[i32], kind: &ErrorKind) -> Option<u32> {
        self.error_offsets.find(path, kind)
    }
}

/// protoc's `SourceLocationTable`: byte offsets by (element path, kind). Paths share one
/// buffer, so recording a position allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct ErrorPositions {
    /// (path start, path length, kind, byte offset)
    entries: Vec<(u32, u32, ErrorKind, u32)>,
    paths: Vec<i32>,
    /// Whether the positions of every element were recorded, or only the file's own (its
    /// statements: imports, package, syntax); see [`Positions`].
    pub complete: bool,
}

impl ErrorPositions {
    fn push(&mut self, prefix: &[i32], extra: &[i32], kind: ErrorKind, offset: u32) {
        let start = self.paths.len() as u32;
        self.paths.extend_from_slice(prefix);
        self.paths.extend_from_slice(extra);
        let len = (prefix.len() + extra.len()) as u32;
        self.entries.push((start, len, kind, offset));
    }

    fn find(&self, path: &[i32], kind: &ErrorKind) -> Option<u32> {
        self.entries
            .iter()
            .rev()
            .find(|(start, len, k, _)| {
                k == kind && &self.paths[*start as usize..(*start + *len) as usize] == path
            })
            .map(|(_, _, _, offset)| *offset)
    }
}

mod enums;
mod fields;

use enums::visibility_number;

struct Lowerer {
    syntax: Syntax,
    /// Whether to record the error positions of elements, not only the file's own.
    all_positions: bool,
    /// Set while lowering the options protoc's parser copies from the first range of an
    /// `extensions 2, 3 [...]` statement to the others: the copies have no error position.
    copied_options: bool,
    path: Vec<i32>,
    /// How many message and group bodies enclose what is being lowered.
    depth: usize,
    out: Lowered,
}

/// Message and group bodies nested deeper than this are not part of the lowered file (only
/// their lowering errors are kept). protoc's descriptor builder stops at 32 levels (and
/// reports it), so nothing deeper is ever built; groups can nest far deeper than that.
const MAX_LOWERED_DEPTH: usize = 64;

/// `Foo_bar` -> `FooBarEntry` (protoc's `MapEntryName`).
pub(crate) fn map_entry_name(field_name: &str) -> String {
    let mut result = String::with_capacity(field_name.len() + 5);
    let mut cap_next = true;
    for c in field_name.chars() {
        if c == '_' {
            cap_next = true;
        } else if cap_next {
            result.push(c.to_ascii_uppercase());
            cap_next = false;
        } else {
            result.push(c);
        }
    }
    result.push_str("Entry");
    result
}

fn scalar_type(scalar: ast::ScalarType) -> field_descriptor_proto::Type {
    use ast::ScalarType as S;
    use field_descriptor_proto::Type as T;
    match scalar {
        S::Double => T::Double,
        S::Float => T::Float,
        S::Int64 => T::Int64,
        S::Uint64 => T::Uint64,
        S::Int32 => T::Int32,
        S::Fixed64 => T::Fixed64,
        S::Fixed32 => T::Fixed32,
        S::Bool => T::Bool,
        S::String => T::String,
        S::Bytes => T::Bytes,
        S::Uint32 => T::Uint32,
        S::Sfixed32 => T::Sfixed32,
        S::Sfixed64 => T::Sfixed64,
        S::Sint32 => T::Sint32,
        S::Sint64 => T::Sint64,
    }
}

/// Parses a syntax/edition statement value.
fn syntax_of(decl: Option<&ast::SyntaxDecl>) -> Syntax {
    let Some(decl) = decl else {
        return Syntax::Proto2;
    };
    let value = String::from_utf8_lossy(&decl.value.value);
    match (decl.kind, value.as_ref()) {
        (ast::SyntaxKind::Syntax, "proto3") => Syntax::Proto3,
        (ast::SyntaxKind::Syntax, _) => Syntax::Proto2,
        (ast::SyntaxKind::Edition, "2023") => Syntax::Editions(1000),
        (ast::SyntaxKind::Edition, "2024") => Syntax::Editions(1001),
        (ast::SyntaxKind::Edition, "2026") => Syntax::Editions(1002),
        (ast::SyntaxKind::Edition, other) => match other {
            "99997_TEST_ONLY" => Syntax::Editions(99997),
            "99998_TEST_ONLY" => Syntax::Editions(99998),
            "99999_TEST_ONLY" => Syntax::Editions(99999),
            "UNSTABLE" => Syntax::Editions(9999),
            "LEGACY" => Syntax::Editions(900),
            "1_TEST_ONLY" => Syntax::Editions(1),
            "2_TEST_ONLY" => Syntax::Editions(2),
            "MAX" => Syntax::Editions(i32::MAX),
            _ => Syntax::Editions(0),
        },
    }
}

/// Lowers a parsed file named `name`.
pub(crate) fn lower_file(name: &str, file: &mut ast::File, positions: Positions) -> Lowered {
    let syntax = syntax_of(file.syntax.as_ref());
    let mut lowerer = Lowerer {
        syntax,
        all_positions: positions == Positions::All,
        copied_options: false,
        path: Vec::new(),
        depth: 0,
        out: Lowered::empty(syntax),
    };
    lowerer.out.proto.name = Some(ProtoString::from(&*crate::file_names::to_bytes(name)));
    lowerer.out.error_offsets.complete = positions == Positions::All;
    lowerer.file(file);
    lowerer.out.locations.compact();
    lowerer.out
}

/// `vector` in an allocation of exactly its length.
///
/// A vector grown by pushing holds up to twice its length; `shrink_to_fit` may keep the block
/// (mimalloc reallocates in place down to half a block), so the elements are copied.
fn exact<T: Clone>(vector: &mut Vec<T>) {
    if vector.capacity() > vector.len() {
        *vector = vector.as_slice().to_vec();
    }
}

impl Lowerer {
    /// Records a location at the current path plus `extra`, returning its index. The
    /// statement's `comments` are copied into it.
    fn record(&mut self, extra: &[i32], span: Span, comments: Option<&mut Comments>) -> usize {
        self.out
            .locations
            .push(&self.path, extra, span, comments.map(|c| &*c))
    }

    fn error_at(&mut self, extra: &[i32], kind: ErrorKind, offset: u32) {
        if self.all_positions || (self.path.is_empty() && extra.is_empty()) {
            self.out.error_offsets.push(&self.path, extra, kind, offset);
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.out.errors.push((span, message.into()));
    }

    fn file(&mut self, file: &mut ast::File) {
        self.record(&[], file.span, None);
        self.error_at(&[], ErrorKind::Other, file.span.start);
        if let Some(decl) = &mut file.syntax {
            self.record(&[tag::FILE_SYNTAX], decl.span, Some(&mut decl.comments));
            self.error_at(&[], ErrorKind::Editions, decl.span.start);
        }
        let mut option_count = 0;
        // Exact sizes, as for message bodies (see `message_body`).
        let count = |f: fn(&ast::FileItem) -> usize| file.items.iter().map(f).sum::<usize>();
        let messages = count(|item| match item {
            ast::FileItem::Message(_) => 1,
            ast::FileItem::Extend(extend) => extend
                .fields
                .iter()
                .filter(|f| f.group_body.is_some())
                .count(),
            _ => 0,
        });
        let enums = count(|item| usize::from(matches!(item, ast::FileItem::Enum(_))));
        let services = count(|item| usize::from(matches!(item, ast::FileItem::Service(_))));
        let proto = &mut self.out.proto;
        proto.message_type.reserve_exact(messages);
        proto.enum_type.reserve_exact(enums);
        proto.service.reserve_exact(services);
        for item in &mut file.items {
            match item {
                ast::FileItem::Package(package) => {
                    self.record(
                        &[tag::FILE_PACKAGE],
                        package.span,
                        Some(&mut package.comments),
                    );
                    self.error_at(&[], ErrorKind::Name, package.span.start);
                    self.out.proto.package = Some(package.name.to_text());
                }
                ast::FileItem::Import(import) => self.import(import),
                ast::FileItem::Option(option) => {
                    self.record(&[tag::FILE_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::FILE_OPTIONS,
                        OptionsKind::File,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::FileItem::Message(message) => {
                    let index = self.out.proto.message_type.len() as i32;
                    self.path.extend([tag::FILE_MESSAGE, index]);
                    let lowered = self.message(message);
                    self.path.truncate(self.path.len() - 2);
                    self.out.proto.message_type.push(lowered);
                }
                ast::FileItem::Enum(enum_) => {
                    let index = self.out.proto.enum_type.len() as i32;
                    self.path.extend([tag::FILE_ENUM, index]);
                    let lowered = self.enum_(enum_);
                    self.path.truncate(self.path.len() - 2);
                    self.out.proto.enum_type.push(lowered);
                }
                ast::FileItem::Service(service) => {
                    let index = self.out.proto.service.len() as i32;
                    self.path.extend([tag::FILE_SERVICE, index]);
                    let lowered = self.service(service);
                    self.path.truncate(self.path.len() - 2);
                    self.out.proto.service.push(lowered);
                }
                ast::FileItem::Extend(extend) => {
                    let mut extensions = std::mem::take(&mut self.out.proto.extension);
                    let mut messages = std::mem::take(&mut self.out.proto.message_type);
                    self.extend(
                        extend,
                        &mut extensions,
                        &mut messages,
                        tag::FILE_EXTENSION,
                        tag::FILE_MESSAGE,
                    );
                    self.out.proto.extension = extensions;
                    self.out.proto.message_type = messages;
                }
                ast::FileItem::Empty(_) => {}
            }
        }
        match self.syntax {
            Syntax::Proto2 => {}
            Syntax::Proto3 => self.out.proto.syntax = Some("proto3".into()),
            Syntax::Editions(edition) => {
                self.out.proto.syntax = Some("editions".into());
                self.out.proto.edition = Some(edition);
            }
        }
    }

    fn import(&mut self, import: &mut ast::Import) {
        // The import's name in the compiler's form (see `file_names`); the descriptor keeps
        // its bytes.
        let path = crate::file_names::from_bytes(&import.path.value).into_owned();
        let stored = ProtoString::from(&import.path.value[..]);
        let proto = &mut self.out.proto;
        if let Some((ast::ImportKind::Option, _)) = import.kind {
            let index = proto.option_dependency.len() as i32;
            proto.option_dependency.push(stored);
            self.record(
                &[tag::FILE_OPTION_DEPENDENCY, index],
                import.span,
                Some(&mut import.comments),
            );
            self.error_at(&[], ErrorKind::Import(path), import.span.start);
            return;
        }
        let index = proto.dependency.len() as i32;
        proto.dependency.push(stored);
        self.record(
            &[tag::FILE_DEPENDENCY, index],
            import.span,
            Some(&mut import.comments),
        );
        match import.kind {
            Some((ast::ImportKind::Public, span)) => {
                let public_index = self.out.proto.public_dependency.len() as i32;
                self.out.proto.public_dependency.push(index);
                self.record(&[tag::FILE_PUBLIC_DEPENDENCY, public_index], span, None);
            }
            Some((ast::ImportKind::Weak, span)) => {
                let weak_index = self.out.proto.weak_dependency.len() as i32;
                self.out.proto.weak_dependency.push(index);
                self.record(&[tag::FILE_WEAK_DEPENDENCY, weak_index], span, None);
                self.error_at(&[], ErrorKind::Import("weak".into()), span.start);
            }
            _ => {}
        }
        self.error_at(&[], ErrorKind::Import(path), import.span.start);
    }

    /// Records an option statement (`option x = y;`) whose parent location (e.g. `[.., 7]`) has
    /// already been recorded by the caller.
    fn option_statement(
        &mut self,
        element_extra: &[i32],
        options_field: i32,
        kind: OptionsKind,
        index: usize,
        option: &mut ast::OptionStmt,
    ) {
        let location = self.record(
            &[options_field, tag::UNINTERPRETED_OPTION, index as i32],
            option.span,
            Some(&mut option.comments),
        );
        self.pending_option(
            element_extra,
            options_field,
            kind,
            index,
            &option.name,
            &option.value,
            location,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn pending_option(
        &mut self,
        element_extra: &[i32],
        options_field: i32,
        kind: OptionsKind,
        index: usize,
        name: &ast::OptionName,
        value: &ast::OptionValue,
        location: usize,
    ) {
        let mut element_path = self.path.clone();
        element_path.extend_from_slice(element_extra);
        let option_extra = [options_field, tag::UNINTERPRETED_OPTION, index as i32];
        if self.all_positions && !self.copied_options {
            self.out.error_offsets.push(
                &element_path,
                &option_extra,
                ErrorKind::OptionName,
                name.span.start,
            );
            self.out.error_offsets.push(
                &element_path,
                &option_extra,
                ErrorKind::OptionValue,
                value.span().start,
            );
        }
        self.out.options.push(PendingOption {
            element_path,
            options_field,
            kind,
            index,
            name: name.clone(),
            value: value.clone(),
            location: Some(location),
        });
    }

    /// Records `[a = 1, b = 2]` entries (the caller records the bracket location), skipping
    /// the pseudo-options `default` and `json_name` handled by `field_pseudo_option`.
    fn compact_options(
        &mut self,
        options_field: i32,
        kind: OptionsKind,
        start_index: usize,
        options: &[&ast::CompactOption],
    ) -> usize {
        let mut index = start_index;
        for option in options {
            let location = self.record(
                &[options_field, tag::UNINTERPRETED_OPTION, index as i32],
                option.span,
                None,
            );
            self.pending_option(
                &[],
                options_field,
                kind,
                index,
                &option.name,
                &option.value,
                location,
            );
            index += 1;
        }
        index
    }

    fn message(&mut self, message: &mut ast::Message) -> DescriptorProto {
        self.record(&[], message.span, Some(&mut message.comments));
        self.record(&[tag::MESSAGE_NAME], message.name.span, None);
        self.error_at(&[], ErrorKind::Name, message.name.span.start);
        let mut proto = DescriptorProto {
            name: Some(message.name.name.clone()),
            ..Default::default()
        };
        self.message_body(&mut message.body, &mut proto);
        // (Only messages: protoc's parser gives a group body's fields no synthetic oneofs.)
        if self.syntax == Syntax::Proto3 {
            generate_synthetic_oneofs(&mut proto);
        }
        if let Some((visibility, _)) = message.visibility {
            proto.visibility = Some(visibility_number(visibility));
        }
        proto
    }

    fn message_body(&mut self, body: &mut ast::MessageBody, proto: &mut DescriptorProto) {
        self.depth += 1;
        rivet_syntax::with_stack(|| self.message_body_items(body, proto));
        self.depth -= 1;
    }

    /// A message or group body nested deeper than [`MAX_LOWERED_DEPTH`]: lowered apart, for
    /// its lowering errors only (and so are the bodies in it, each on its own).
    fn unbuilt_body(&mut self, body: &mut ast::MessageBody) {
        let mut apart = Lowerer {
            syntax: self.syntax,
            all_positions: false,
            copied_options: false,
            path: Vec::new(),
            depth: self.depth,
            out: Lowered::empty(self.syntax),
        };
        apart.message_body(body, &mut DescriptorProto::default());
        self.out.errors.append(&mut apart.out.errors);
    }

    fn message_body_items(&mut self, body: &mut ast::MessageBody, proto: &mut DescriptorProto) {
        // Exact sizes: the lowered files stay in memory until output, and descriptors are
        // large (a FieldDescriptorProto is ~500 bytes), so growth slack would add up.
        let (fields, nested) = body_sizes(body);
        proto.field.reserve_exact(fields);
        proto.nested_type.reserve_exact(nested);
        // Real oneofs, and the synthetic ones of proto3 `optional` fields.
        let oneofs = body
            .items
            .iter()
            .map(|item| match item {
                ast::MessageItem::Oneof(_) => 1,
                ast::MessageItem::Field(field) => usize::from(
                    self.syntax == Syntax::Proto3
                        && matches!(field.label, Some((ast::FieldLabel::Optional, _))),
                ),
                _ => 0,
            })
            .sum();
        proto.oneof_decl.reserve_exact(oneofs);
        let mut option_count = 0;
        for item in &mut body.items {
            match item {
                ast::MessageItem::Field(field) => {
                    let index = proto.field.len() as i32;
                    self.path.extend([tag::MESSAGE_FIELD, index]);
                    let lowered = self.field(
                        field,
                        None,
                        None,
                        &mut proto.nested_type,
                        tag::MESSAGE_NESTED,
                    );
                    self.path.truncate(self.path.len() - 2);
                    proto.field.push(lowered);
                }
                ast::MessageItem::Oneof(oneof) => self.oneof(oneof, proto),
                ast::MessageItem::Message(message) if self.depth >= MAX_LOWERED_DEPTH => {
                    self.unbuilt_body(&mut message.body);
                }
                ast::MessageItem::Message(message) => {
                    let index = proto.nested_type.len() as i32;
                    self.path.extend([tag::MESSAGE_NESTED, index]);
                    let lowered = self.message(message);
                    self.path.truncate(self.path.len() - 2);
                    proto.nested_type.push(lowered);
                }
                ast::MessageItem::Enum(enum_) => {
                    let index = proto.enum_type.len() as i32;
                    self.path.extend([tag::MESSAGE_ENUM, index]);
                    let lowered = self.enum_(enum_);
                    self.path.truncate(self.path.len() - 2);
                    proto.enum_type.push(lowered);
                }
                ast::MessageItem::Extend(extend) => self.extend(
                    extend,
                    &mut proto.extension,
                    &mut proto.nested_type,
                    tag::MESSAGE_EXTENSION,
                    tag::MESSAGE_NESTED,
                ),
                ast::MessageItem::ExtensionRange(range) => self.extension_range(range, proto),
                ast::MessageItem::Reserved(reserved) => {
                    let ranges = self.reserved(
                        reserved,
                        (tag::MESSAGE_RESERVED_RANGE, tag::MESSAGE_RESERVED_NAME),
                        false,
                        proto.reserved_range.len(),
                        &mut proto.reserved_name,
                    );
                    proto
                        .reserved_range
                        .extend(ranges.into_iter().map(|(start, end)| {
                            descriptor_proto::ReservedRange {
                                start: Some(start),
                                end: Some(end),
                                ..Default::default()
                            }
                        }));
                }
                ast::MessageItem::Option(option) => {
                    self.record(&[tag::MESSAGE_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::MESSAGE_OPTIONS,
                        OptionsKind::Message,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::MessageItem::Empty(_) => {}
            }
        }
        // `max` in ranges depends on message_set_wire_format, known only now.
        let message_set = body.items.iter().any(|item| {
            matches!(item, ast::MessageItem::Option(option)
                if option.name.parts.len() == 1
                    && matches!(&option.name.parts[0], ast::OptionNamePart::Simple(id) if id.name == "message_set_wire_format")
                    && matches!(&option.value, ast::OptionValue::Ident { negative: false, ident, .. } if ident.name == "true"))
        });
        let max_end = if message_set {
            i32::MAX
        } else {
            MAX_FIELD_NUMBER_END
        };
        for range in &mut proto.extension_range {
            if range.end == Some(MAX_SENTINEL) {
                range.end = Some(max_end);
            }
        }
        for range in &mut proto.reserved_range {
            if range.end == Some(MAX_SENTINEL) {
                range.end = Some(max_end);
            }
        }
    }

    fn oneof(&mut self, oneof: &mut ast::Oneof, proto: &mut DescriptorProto) {
        let oneof_index = proto.oneof_decl.len() as i32;
        proto.oneof_decl.push(OneofDescriptorProto {
            name: Some(oneof.name.name.clone()),
            ..Default::default()
        });
        self.path.extend([tag::MESSAGE_ONEOF, oneof_index]);
        self.record(&[], oneof.span, Some(&mut oneof.comments));
        // protoc's parser records no error position for oneofs.
        self.record(&[tag::ONEOF_NAME], oneof.name.span, None);
        self.path.truncate(self.path.len() - 2);
        let mut option_count = 0;
        for item in &mut oneof.items {
            match item {
                ast::OneofItem::Field(field) => {
                    let index = proto.field.len() as i32;
                    self.path.extend([tag::MESSAGE_FIELD, index]);
                    let lowered = self.field(
                        field,
                        Some(oneof_index),
                        None,
                        &mut proto.nested_type,
                        tag::MESSAGE_NESTED,
                    );
                    self.path.truncate(self.path.len() - 2);
                    proto.field.push(lowered);
                }
                ast::OneofItem::Option(option) => {
                    self.path.extend([tag::MESSAGE_ONEOF, oneof_index]);
                    self.record(&[tag::ONEOF_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::ONEOF_OPTIONS,
                        OptionsKind::Oneof,
                        option_count,
                        option,
                    );
                    self.path.truncate(self.path.len() - 2);
                    option_count += 1;
                }
                ast::OneofItem::Empty(_) => {}
            }
        }
    }

    fn extend(
        &mut self,
        extend: &mut ast::Extend,
        extensions: &mut Vec<FieldDescriptorProto>,
        messages: &mut Vec<DescriptorProto>,
        extension_field: i32,
        nested_field: i32,
    ) {
        self.record(&[extension_field], extend.span, Some(&mut extend.comments));
        for (i, field) in extend.fields.iter_mut().enumerate() {
            let index = extensions.len() as i32;
            self.path.extend([extension_field, index]);
            if i == 0 {
                self.error_at(&[], ErrorKind::Extendee, extend.extendee.span.start);
            }
            // Groups inside extend blocks become nested types of the enclosing scope.
            let lowered = self.field(field, None, Some(&extend.extendee), messages, nested_field);
            self.path.truncate(self.path.len() - 2);
            extensions.push(lowered);
        }
    }

    fn extension_range(&mut self, range: &mut ast::ExtensionRange, proto: &mut DescriptorProto) {
        self.record(
            &[tag::MESSAGE_EXTENSION_RANGE],
            range.span,
            Some(&mut range.comments),
        );
        let first = proto.extension_range.len();
        for r in &range.ranges {
            let index = proto.extension_range.len() as i32;
            self.path.extend([tag::MESSAGE_EXTENSION_RANGE, index]);
            self.record(&[], r.span, None);
            self.error_at(&[], ErrorKind::Number, r.span.start);
            let (start, end) = self.range_bounds(r, true);
            self.path.truncate(self.path.len() - 2);
            proto
                .extension_range
                .push(descriptor_proto::ExtensionRange {
                    start: Some(start),
                    end: Some(end),
                    ..Default::default()
                });
        }
        if let Some(options) = &range.options {
            let options: Vec<&ast::CompactOption> = options.options.iter().collect();
            let bracket_span = range.options.as_ref().map(|o| o.span).unwrap_or_default();
            for index in first..proto.extension_range.len() {
                self.copied_options = index > first;
                self.path
                    .extend([tag::MESSAGE_EXTENSION_RANGE, index as i32]);
                self.record(&[tag::EXTENSION_RANGE_OPTIONS], bracket_span, None);
                for (option_index, option) in options.iter().enumerate() {
                    let location = self.record(
                        &[
                            tag::EXTENSION_RANGE_OPTIONS,
                            tag::UNINTERPRETED_OPTION,
                            option_index as i32,
                        ],
                        option.span,
                        None,
                    );
                    self.pending_option(
                        &[],
                        tag::EXTENSION_RANGE_OPTIONS,
                        OptionsKind::ExtensionRange,
                        option_index,
                        &option.name,
                        &option.value,
                        location,
                    );
                }
                self.path.truncate(self.path.len() - 2);
            }
            self.copied_options = false;
        }
    }

    /// Records the start/end locations of a range and returns `(start, exclusive end)`
    /// (or inclusive end for enums).
    fn range_bounds(&mut self, range: &ast::Range, exclusive: bool) -> (i32, i32) {
        let signed = |lit: &ast::IntLit| -> i32 {
            let value = lit.value.min(i32::MAX as u64 + 1) as i64;
            let value = if lit.negative { -value } else { value };
            value.clamp(i32::MIN as i64, i32::MAX as i64) as i32
        };
        self.record(&[tag::RANGE_START], range.start.span, None);
        let start = signed(&range.start);
        let end = match range.end {
            Some(ast::RangeEnd::Int(lit)) => {
                self.record(&[tag::RANGE_END], lit.span, None);
                signed(&lit)
            }
            Some(ast::RangeEnd::Max(span)) => {
                self.record(&[tag::RANGE_END], span, None);
                if exclusive {
                    return (start, MAX_SENTINEL);
                }
                i32::MAX
            }
            None => {
                // protoc records the end at the range's first token: just the `-` of a
                // negative number.
                let first_token = if range.start.negative {
                    Span::new(range.start.span.start, range.start.span.start + 1)
                } else {
                    range.start.span
                };
                self.record(&[tag::RANGE_END], first_token, None);
                start
            }
        };
        (
            start,
            if exclusive {
                end.saturating_add(1)
            } else {
                end
            },
        )
    }

    /// Records a `reserved` statement; returns the `(start, end)` of the ranges it declares.
    /// `existing_ranges` is how many reserved ranges the element already has.
    fn reserved(
        &mut self,
        reserved: &mut ast::Reserved,
        (range_field, name_field): (i32, i32),
        is_enum: bool,
        existing_ranges: usize,
        names: &mut Vec<ProtoString>,
    ) -> Vec<(i32, i32)> {
        let mut out = Vec::new();
        match &mut reserved.kind {
            ast::ReservedKind::Ranges(ranges) => {
                self.record(&[range_field], reserved.span, Some(&mut reserved.comments));
                for range in ranges {
                    let index = (existing_ranges + out.len()) as i32;
                    self.path.extend([range_field, index]);
                    self.record(&[], range.span, None);
                    self.error_at(&[], ErrorKind::Number, range.span.start);
                    out.push(self.range_bounds(range, !is_enum));
                    self.path.truncate(self.path.len() - 2);
                }
            }
            ast::ReservedKind::Names(list) => {
                self.record(&[name_field], reserved.span, Some(&mut reserved.comments));
                for name in list {
                    let index = names.len() as i32;
                    self.record(&[name_field, index], name.span, None);
                    names.push(name.name.as_slice().into());
                }
            }
        }
        out
    }
}

/// Marks an exclusive range end written as `max`, fixed up once the message is complete.
const MAX_SENTINEL: i32 = -1;

/// Adds the synthetic oneofs of proto3 `optional` fields (protoc's `GenerateSyntheticOneofs`).
fn generate_synthetic_oneofs(message: &mut DescriptorProto) {
    let mut names: HashSet<String> = message
        .field
        .iter()
        .filter_map(|field| field.name.clone())
        .chain(
            message
                .oneof_decl
                .iter()
                .filter_map(|oneof| oneof.name.clone()),
        )
        .collect();
    for field in &mut message.field {
        if field.proto3_optional != Some(true) {
            continue;
        }
        let mut name = field.name.clone().unwrap_or_default();
        if !name.starts_with('_') {
            name.insert(0, '_');
        }
        while names.contains(&name) {
            name.insert(0, 'X');
        }
        names.insert(name.clone());
        field.oneof_index = Some(message.oneof_decl.len() as i32);
        message.oneof_decl.push(OneofDescriptorProto {
            name: Some(name),
            ..Default::default()
        });
    }
}

/// How many fields and nested messages (including group and map-entry messages) lowering
/// `body` produces.
fn body_sizes(body: &mut ast::MessageBody) -> (usize, usize) {
    let makes_message = |field: &ast::Field| {
        field.group_body.is_some() || matches!(field.ty, ast::FieldType::Map { .. })
    };
    let (mut fields, mut nested) = (0, 0);
    for item in &body.items {
        match item {
            ast::MessageItem::Field(field) => {
                fields += 1;
                nested += usize::from(makes_message(field));
            }
            ast::MessageItem::Oneof(oneof) => {
                for item in &oneof.items {
                    if let ast::OneofItem::Field(field) = item {
                        fields += 1;
                        nested += usize::from(makes_message(field));
                    }
                }
            }
            ast::MessageItem::Message(_) => nested += 1,
            ast::MessageItem::Extend(extend) => {
                nested += extend.fields.iter().filter(|f| makes_message(f)).count();
            }
            _ => {}
        }
    }
    (fields, nested)
}
