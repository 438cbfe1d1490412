//! Errors of code generation.

/// Why code could not be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file to generate is not in the descriptor set.
    #[error("file to generate `{0}` is not in the descriptor set")]
    FileNotFound(String),
    /// A field or method refers to a type that is not in the descriptor set.
    #[error("unknown type `{type_name}` referenced from `{referenced_from}`")]
    UnknownType {
        /// The fully qualified type name that was not found.
        type_name: String,
        /// The fully qualified name of the field or method referring to it.
        referenced_from: String,
    },
    /// A file's syntax or edition is not supported (proto2, proto3, 2023 and 2024 are).
    #[error("file `{file}`: unsupported {edition}")]
    UnsupportedEdition {
        /// The file's name.
        file: String,
        /// The syntax or edition found.
        edition: String,
    },
    /// A descriptor is malformed (a missing name, a bad map entry, a bad default value...).
    #[error("invalid descriptor: {0}")]
    InvalidDescriptor(String),
    /// Two values of an enum get the same Rust variant name.
    #[error(
        "enum `{enum_name}`: values `{first}` and `{second}` both become Rust variant `{variant}`"
    )]
    VariantNameConflict {
        /// The fully qualified enum name.
        enum_name: String,
        /// The Rust variant name.
        variant: String,
        /// The first protobuf value name.
        first: String,
        /// The second protobuf value name.
        second: String,
    },
    /// An extern path is malformed or given twice.
    #[error("invalid extern path `{path}`: {reason}")]
    InvalidExternPath {
        /// The protobuf path.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A configured attribute is not valid Rust.
    #[error("attribute `{attribute}` for `{path}` is not valid Rust: {reason}")]
    InvalidAttribute {
        /// The attribute text.
        attribute: String,
        /// The protobuf path it was configured for.
        path: String,
        /// The parser's message.
        reason: String,
    },
    /// A protobuf name does not give a valid Rust identifier or path.
    #[error("`{0}` does not give a valid Rust identifier or path")]
    InvalidIdentifier(String),
}
