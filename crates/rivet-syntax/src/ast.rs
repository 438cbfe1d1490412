//! The abstract syntax tree of one `.proto` file.
//!
//! The tree keeps everything the linker needs to build a `FileDescriptorProto` and its
//! `SourceCodeInfo` exactly as protoc does: every declaration has a [`Span`] covering the whole
//! statement (protoc's span for that element, including the terminating `;` or closing `}`),
//! every named part has its own span (names, numbers, labels, types, option names and values),
//! and every statement carries the [`Comments`] protoc attaches to it.
//!
//! The parser builds the tree without knowing anything about other files: it does not resolve
//! type names, interpret options or validate numbers. That is the linker's job.

/// A byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The comments protoc attaches to a statement (see protoc's `SourceCodeInfo.Location`).
///
/// Texts are exactly what protoc stores: for `// foo` the text is `" foo\n"`; block comments
/// have their delimiters and leading `*` of continuation lines removed. They are the file's
/// bytes, which need not be UTF-8 (old files often have Latin-1 comments, and protoc copies
/// them as they are): use `String::from_utf8_lossy` for text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments {
    /// Comment blocks before the statement, separated from it by a blank line.
    pub leading_detached: Vec<Vec<u8>>,
    /// The comment directly before the statement.
    pub leading: Option<Vec<u8>>,
    /// The comment directly after the statement's first line (or its opening `{`).
    pub trailing: Option<Vec<u8>>,
}

impl Comments {
    /// Whether there is no comment at all.
    pub fn is_empty(&self) -> bool {
        self.leading.is_none() && self.trailing.is_none() && self.leading_detached.is_empty()
    }
}

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The identifier text.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A possibly qualified name such as `foo.Bar` or `.foo.Bar` (type references, package names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeName {
    /// Whether the name starts with `.` (fully qualified).
    pub leading_dot: bool,
    /// The dot-separated parts, in order.
    pub parts: Vec<Ident>,
    /// The whole name, from the leading dot (if any) to the end of the last part.
    pub span: Span,
}

impl TypeName {
    /// The name as written, without whitespace: `foo.Bar` or `.foo.Bar`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.leading_dot {
            out.push('.');
        }
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(&part.name);
        }
        out
    }
}

/// A string literal: one or more adjacent quoted strings, concatenated and unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringLit {
    /// The unescaped bytes (escapes such as `\xff` may make them invalid UTF-8).
    pub value: Vec<u8>,
    /// From the first opening quote to the last closing quote.
    pub span: Span,
}

/// An integer literal, optionally preceded by `-`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntLit {
    /// Whether a `-` sign precedes the digits.
    pub negative: bool,
    /// The magnitude (decimal, hex `0x..` or octal `0..` as written).
    pub value: u64,
    /// From the sign (if any) to the last digit.
    pub span: Span,
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// The `syntax = "...";` or `edition = "...";` statement, if present.
    pub syntax: Option<SyntaxDecl>,
    /// Top-level statements in source order (not including the syntax statement).
    pub items: Vec<FileItem>,
    /// Comments in the file not attached to any statement are simply dropped, as protoc does.
    /// This span is protoc's location for the empty path: from the first token to the end of
    /// the last one (for a file without tokens, from the end of the file to offset 0).
    pub span: Span,
}

/// Whether the first statement said `syntax` or `edition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxKind {
    /// `syntax = "proto2";` / `syntax = "proto3";`
    Syntax,
    /// `edition = "2023";` and later.
    Edition,
}

/// The `syntax` or `edition` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxDecl {
    /// Which keyword was used.
    pub kind: SyntaxKind,
    /// The quoted value.
    pub value: StringLit,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// A top-level statement.
#[derive(Clone, Debug, PartialEq)]
pub enum FileItem {
    /// `package a.b;`
    Package(Package),
    /// `import "x.proto";`
    Import(Import),
    /// `option x = y;`
    Option(OptionStmt),
    /// `message M { ... }`
    Message(Message),
    /// `enum E { ... }`
    Enum(Enum),
    /// `service S { ... }`
    Service(Service),
    /// `extend T { ... }`
    Extend(Extend),
    /// A lone `;`.
    Empty(Span),
}

/// `package a.b.c;`
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    /// The package name (never has a leading dot).
    pub name: TypeName,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// The modifier of an import statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// `import public "x.proto";`
    Public,
    /// `import weak "x.proto";`
    Weak,
    /// `import option "x.proto";` (edition 2024)
    Option,
}

/// `import [public|weak|option] "path";`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The modifier and its span, if any.
    pub kind: Option<(ImportKind, Span)>,
    /// The imported path.
    pub path: StringLit,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `export` / `local` on a message or enum (edition 2024).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// `export`
    Export,
    /// `local`
    Local,
}

/// One part of an option name: `foo` or `(foo.bar)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionNamePart {
    /// A plain field name.
    Simple(Ident),
    /// A parenthesized extension name; the span covers the parentheses.
    Extension(TypeName, Span),
}

impl OptionNamePart {
    /// The span of this part (for an extension, including the parentheses).
    pub fn span(&self) -> Span {
        match self {
            OptionNamePart::Simple(ident) => ident.span,
            OptionNamePart::Extension(_, span) => *span,
        }
    }
}

/// An option name such as `java_package`, `(my.opt)` or `(my.opt).field.(ext).x`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionName {
    /// The dot-separated parts.
    pub parts: Vec<OptionNamePart>,
    /// The whole name.
    pub span: Span,
}

/// The value of an option.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// An identifier: `true`, `false`, `inf`, `nan`, an enum value name, ...
    /// `negative` is set for `-inf` / `-nan` (and any `-identifier`, which the linker rejects).
    Ident {
        /// Whether a `-` preceded it.
        negative: bool,
        /// The identifier.
        ident: Ident,
        /// From the sign (if any) to the end of the identifier.
        span: Span,
    },
    /// An integer literal.
    Int(IntLit),
    /// A floating-point literal (`1.5`, `1e10`, `.5`, `5.`), possibly negative.
    Float {
        /// The value, with the sign applied.
        value: f64,
        /// From the sign (if any) to the end of the number.
        span: Span,
    },
    /// A string literal (adjacent strings concatenated).
    String(StringLit),
    /// A `{ ... }` text-format message literal.
    Aggregate(MessageLiteral),
}

impl OptionValue {
    /// The span of the whole value.
    pub fn span(&self) -> Span {
        match self {
            OptionValue::Ident { span, .. } => *span,
            OptionValue::Int(lit) => lit.span,
            OptionValue::Float { span, .. } => *span,
            OptionValue::String(lit) => lit.span,
            OptionValue::Aggregate(lit) => lit.span,
        }
    }
}

/// `option name = value;` inside a file, message, enum, service, method or oneof.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionStmt {
    /// The option name.
    pub name: OptionName,
    /// The value.
    pub value: OptionValue,
    /// The whole statement, `option` through `;`.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// One `name = value` inside `[...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactOption {
    /// The option name.
    pub name: OptionName,
    /// The value.
    pub value: OptionValue,
    /// From the start of the name to the end of the value.
    pub span: Span,
}

/// `[a = 1, b = 2]` after a field, enum value or extension range.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactOptions {
    /// The options in order.
    pub options: Vec<CompactOption>,
    /// From `[` to `]`.
    pub span: Span,
}

/// A text-format message literal `{ a: 1 b { c: "x" } [ext.name]: 2 }`.
///
/// protoc's parser only checks that the braces of an aggregate option value balance; the text
/// format inside is read later, when the option is interpreted, and an error there is reported
/// as `Error while parsing option value for "NAME": MESSAGE`. So a literal that is not valid
/// text format is still returned, with [`MessageLiteral::error`] set, and no syntax diagnostic.
/// This tree is read without types; the compiler reads [`MessageLiteral::tokens`] again,
/// knowing the option's type, as protoc does.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageLiteral {
    /// The fields in order.
    pub fields: Vec<MessageLiteralField>,
    /// From `{` to `}` (or `<` to `>`).
    pub span: Span,
    /// Set when reading stopped at a text-format syntax error inside this literal: `fields`
    /// holds the fields read before it, and every enclosing literal ends with the field that
    /// contains this one. (Additive field; `None` for well-formed literals.)
    pub error: Option<Box<LiteralError>>,
    /// For the outermost literal of an option value: its tokens, as protoc's text-format
    /// parser reads them once it knows the option's type (empty in nested literals).
    pub tokens: LiteralTokens,
}

/// The kind of a [`LiteralToken`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralTokenKind {
    /// `[A-Za-z_][A-Za-z0-9_]*`
    Identifier,
    /// Decimal, hex or octal digits.
    Integer,
    /// A number with a fraction and/or exponent.
    Float,
    /// A quoted string, still escaped.
    String,
    /// Any other single byte.
    Symbol,
}

/// One token of a [`LiteralTokens`] stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiteralToken {
    /// The kind.
    pub kind: LiteralTokenKind,
    start: u32,
    end: u32,
}

/// The tokens between the braces of an aggregate option value (text-format `#` comments
/// removed), with their text as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiteralTokens {
    text: Vec<u8>,
    tokens: Vec<LiteralToken>,
}

impl LiteralTokens {
    pub(crate) fn push(&mut self, kind: LiteralTokenKind, text: &[u8]) {
        let start = self.text.len() as u32;
        self.text.extend_from_slice(text);
        self.tokens.push(LiteralToken {
            kind,
            start,
            end: self.text.len() as u32,
        });
    }

    /// The tokens in order.
    pub fn tokens(&self) -> &[LiteralToken] {
        &self.tokens
    }

    /// The text of `token` as written.
    pub fn text(&self, token: LiteralToken) -> &[u8] {
        &self.text[token.start as usize..token.end as usize]
    }

    /// The value of an integer token, `None` when it exceeds `max` (protoc's `ParseInteger`).
    pub fn integer(&self, token: LiteralToken, max: u64) -> Option<u64> {
        crate::literal::parse_integer(self.text(token), max)
    }

    /// The value of a float token, or of an integer token read as a float (protoc's
    /// `ParseFloat`).
    pub fn float(&self, token: LiteralToken) -> f64 {
        crate::literal::parse_float(self.text(token))
    }

    /// Appends the unescaped bytes of a string token (protoc's `ParseStringAppend`).
    pub fn string_into(&self, token: LiteralToken, out: &mut Vec<u8>) {
        crate::literal::unescape_string_into(self.text(token), out);
    }
}

/// What kind of text-format error a [`LiteralError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralErrorKind {
    /// The message is exactly protoc's, whatever the option's type.
    Syntax,
    /// A field value was expected at `span` but none starts there. protoc's wording depends on
    /// the field's type (`Expected integer, got: X`, `Expected string, got: X`,
    /// `Expected "{", found "X".`, ...); `message` is a generic fallback.
    ExpectedValue,
}

/// A text-format syntax error inside a [`MessageLiteral`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiteralError {
    /// The kind of error.
    pub kind: LiteralErrorKind,
    /// protoc's text-format message, e.g. `Expected identifier, got: !`.
    pub message: String,
    /// The token where reading stopped (empty at the closing brace of the option value).
    pub span: Span,
    /// That token's text, as protoc's messages quote it.
    pub found: String,
    /// For [`LiteralErrorKind::ExpectedValue`]: the field whose value is missing, so the
    /// linker can word the error by the field's type.
    pub field: Option<FieldRef>,
}

/// The name of a field inside a message literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldRef {
    /// A plain field name (or a group's type name).
    Name(Ident),
    /// `[pkg.ext_name]`: an extension. The span covers the brackets.
    Extension(TypeName, Span),
    /// `[type.googleapis.com/pkg.Type]`: an expanded `Any`. The span covers the brackets.
    AnyType {
        /// The URL prefix up to and excluding the last `/`, e.g. `type.googleapis.com`.
        url_prefix: String,
        /// The type name after the last `/`.
        type_name: TypeName,
        /// From `[` to `]`.
        span: Span,
    },
}

/// A value inside a message literal.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralValue {
    /// A scalar: identifier, number or string, as in [`OptionValue`] (never `Aggregate`).
    Scalar(OptionValue),
    /// A nested message.
    Message(MessageLiteral),
    /// `[v1, v2, ...]`; the span covers the brackets.
    List(Vec<LiteralValue>, Span),
}

/// One `name: value` or `name { ... }` inside a message literal.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageLiteralField {
    /// The field name.
    pub name: FieldRef,
    /// Whether a `:` separated name and value.
    pub has_colon: bool,
    /// The value.
    pub value: LiteralValue,
    /// From the name to the end of the value (and its `,`/`;` separator, if any).
    pub span: Span,
}

/// `message Name { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// `export` / `local`, if written.
    pub visibility: Option<(Visibility, Span)>,
    /// The message name.
    pub name: Ident,
    /// The body.
    pub body: MessageBody,
    /// The whole declaration, from the `message` keyword to `}`. As in protoc, a preceding
    /// `export`/`local` keyword is not part of it.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// The statements between a message's (or group's) braces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageBody {
    /// The statements in source order.
    pub items: Vec<MessageItem>,
    /// From `{` to `}`.
    pub span: Span,
}

impl Drop for MessageBody {
    /// Bodies nest as deep as groups do (thousands of levels): the statements, and with them
    /// the bodies nested in them, are dropped with stack to spare.
    fn drop(&mut self) {
        if !self.items.is_empty() {
            let items = std::mem::take(&mut self.items);
            crate::with_stack(move || drop(items));
        }
    }
}

/// A statement inside a message body.
#[derive(Clone, Debug, PartialEq)]
pub enum MessageItem {
    /// A field (including map fields and groups).
    Field(Field),
    /// `oneof name { ... }`
    Oneof(Oneof),
    /// A nested message.
    Message(Message),
    /// A nested enum.
    Enum(Enum),
    /// A nested `extend` block.
    Extend(Extend),
    /// `extensions 100 to 199 [...];`
    ExtensionRange(ExtensionRange),
    /// `reserved ...;`
    Reserved(Reserved),
    /// `option x = y;`
    Option(OptionStmt),
    /// A lone `;`.
    Empty(Span),
}

/// A field label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldLabel {
    /// `optional`
    Optional,
    /// `required`
    Required,
    /// `repeated`
    Repeated,
}

/// A scalar type keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    /// `double`
    Double,
    /// `float`
    Float,
    /// `int64`
    Int64,
    /// `uint64`
    Uint64,
    /// `int32`
    Int32,
    /// `fixed64`
    Fixed64,
    /// `fixed32`
    Fixed32,
    /// `bool`
    Bool,
    /// `string`
    String,
    /// `bytes`
    Bytes,
    /// `uint32`
    Uint32,
    /// `sfixed32`
    Sfixed32,
    /// `sfixed64`
    Sfixed64,
    /// `sint32`
    Sint32,
    /// `sint64`
    Sint64,
}

impl ScalarType {
    /// The scalar named by `name`, if it is one of the fifteen scalar keywords.
    pub fn from_name(name: &str) -> Option<ScalarType> {
        Some(match name {
            "double" => ScalarType::Double,
            "float" => ScalarType::Float,
            "int64" => ScalarType::Int64,
            "uint64" => ScalarType::Uint64,
            "int32" => ScalarType::Int32,
            "fixed64" => ScalarType::Fixed64,
            "fixed32" => ScalarType::Fixed32,
            "bool" => ScalarType::Bool,
            "string" => ScalarType::String,
            "bytes" => ScalarType::Bytes,
            "uint32" => ScalarType::Uint32,
            "sfixed32" => ScalarType::Sfixed32,
            "sfixed64" => ScalarType::Sfixed64,
            "sint32" => ScalarType::Sint32,
            "sint64" => ScalarType::Sint64,
            _ => return None,
        })
    }

    /// The keyword.
    pub fn name(self) -> &'static str {
        match self {
            ScalarType::Double => "double",
            ScalarType::Float => "float",
            ScalarType::Int64 => "int64",
            ScalarType::Uint64 => "uint64",
            ScalarType::Int32 => "int32",
            ScalarType::Fixed64 => "fixed64",
            ScalarType::Fixed32 => "fixed32",
            ScalarType::Bool => "bool",
            ScalarType::String => "string",
            ScalarType::Bytes => "bytes",
            ScalarType::Uint32 => "uint32",
            ScalarType::Sfixed32 => "sfixed32",
            ScalarType::Sfixed64 => "sfixed64",
            ScalarType::Sint32 => "sint32",
            ScalarType::Sint64 => "sint64",
        }
    }
}

/// The type of a field as written.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    /// One of the scalar keywords (written as a single unqualified identifier).
    Scalar(ScalarType, Span),
    /// A message or enum name, to be resolved by the linker.
    Named(TypeName),
    /// `map<K, V>`; the span covers `map` through `>`.
    Map {
        /// The key type (the linker checks it is an integral, bool or string scalar).
        key: Box<FieldType>,
        /// The value type.
        value: Box<FieldType>,
        /// `map<...>`.
        span: Span,
    },
    /// The `group` keyword; the field then has a `group_body` and its name is the group's
    /// type name.
    Group(Span),
}

impl FieldType {
    /// The span of the type as written.
    pub fn span(&self) -> Span {
        match self {
            FieldType::Scalar(_, span) => *span,
            FieldType::Named(name) => name.span,
            FieldType::Map { span, .. } => *span,
            FieldType::Group(span) => *span,
        }
    }
}

/// A field, map field or group: `[label] type name = number [options];` or
/// `[label] group Name = number [options] { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The label and its span, if written.
    pub label: Option<(FieldLabel, Span)>,
    /// The type.
    pub ty: FieldType,
    /// The field name (for a group: the group's type name as written, e.g. `Result`).
    pub name: Ident,
    /// The field number.
    pub number: IntLit,
    /// `[...]` options, if any.
    pub options: Option<CompactOptions>,
    /// For a group, its body.
    pub group_body: Option<MessageBody>,
    /// The whole declaration, label through `;` (or through the group's `}`).
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `oneof name { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Oneof {
    /// The oneof name.
    pub name: Ident,
    /// The statements inside.
    pub items: Vec<OneofItem>,
    /// From `oneof` to `}`.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// A statement inside a oneof.
#[derive(Clone, Debug, PartialEq)]
pub enum OneofItem {
    /// A field or group (no label).
    Field(Field),
    /// `option x = y;`
    Option(OptionStmt),
    /// A lone `;`.
    Empty(Span),
}

/// The end of a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeEnd {
    /// An explicit number.
    Int(IntLit),
    /// The `max` keyword.
    Max(Span),
}

/// `start` or `start to end` in `extensions` and `reserved`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The first number.
    pub start: IntLit,
    /// The end, if `to` was written.
    pub end: Option<RangeEnd>,
    /// From start to end.
    pub span: Span,
}

/// `extensions 100 to 199, 500 [options];`
#[derive(Clone, Debug, PartialEq)]
pub struct ExtensionRange {
    /// The ranges.
    pub ranges: Vec<Range>,
    /// `[...]` options applying to every range of the statement.
    pub options: Option<CompactOptions>,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// A reserved name: a string literal (`"foo"`) or, in editions, an identifier (`foo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReservedName {
    /// The name: for strings, the unescaped bytes, which need not be UTF-8 (protoc keeps them
    /// as they are); an identifier's text otherwise.
    pub name: Vec<u8>,
    /// Whether it was written as an identifier rather than a string.
    pub is_identifier: bool,
    /// Where it is (for a string, including the quotes).
    pub span: Span,
}

/// What a `reserved` statement reserves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReservedKind {
    /// Numbers and ranges.
    Ranges(Vec<Range>),
    /// Names.
    Names(Vec<ReservedName>),
}

/// `reserved 1, 2 to 5;` or `reserved "a", "b";` (in a message or enum).
#[derive(Clone, Debug, PartialEq)]
pub struct Reserved {
    /// What is reserved.
    pub kind: ReservedKind,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `enum Name { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// `export` / `local`, if written.
    pub visibility: Option<(Visibility, Span)>,
    /// The enum name.
    pub name: Ident,
    /// The statements inside.
    pub items: Vec<EnumItem>,
    /// From the `enum` keyword to `}` (a preceding `export`/`local` is not part of it).
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// A statement inside an enum.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumItem {
    /// `NAME = 1 [...];`
    Value(EnumValue),
    /// `option x = y;`
    Option(OptionStmt),
    /// `reserved ...;`
    Reserved(Reserved),
    /// A lone `;`.
    Empty(Span),
}

/// `NAME = number [options];`
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The value name.
    pub name: Ident,
    /// The number (possibly negative).
    pub number: IntLit,
    /// `[...]` options, if any.
    pub options: Option<CompactOptions>,
    /// The whole statement.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `service Name { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The service name.
    pub name: Ident,
    /// The statements inside.
    pub items: Vec<ServiceItem>,
    /// From `service` to `}`.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// A statement inside a service.
#[derive(Clone, Debug, PartialEq)]
pub enum ServiceItem {
    /// `rpc ...`
    Method(Method),
    /// `option x = y;`
    Option(OptionStmt),
    /// A lone `;`.
    Empty(Span),
}

/// The input or output of an rpc: `(stream Foo)`.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodType {
    /// The span of the `stream` keyword, if written.
    pub stream: Option<Span>,
    /// The message type.
    pub ty: TypeName,
}

/// `rpc Name (In) returns (Out);` or with a `{ option ...; }` body.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// The method name.
    pub name: Ident,
    /// The request type.
    pub input: MethodType,
    /// The response type.
    pub output: MethodType,
    /// Option statements in the body.
    pub options: Vec<OptionStmt>,
    /// The `{ ... }` body, if the method has one (even an empty one: protoc then emits an empty
    /// `MethodOptions`), from `{` to `}`.
    pub body: Option<Span>,
    /// The whole declaration, `rpc` through `;` or `}`.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}

/// `extend Type { fields }`
#[derive(Clone, Debug, PartialEq)]
pub struct Extend {
    /// The extended message.
    pub extendee: TypeName,
    /// The extension fields (and groups).
    pub fields: Vec<Field>,
    /// From `extend` to `}`.
    pub span: Span,
    /// Attached comments.
    pub comments: Comments,
}
