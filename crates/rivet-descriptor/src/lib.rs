//! Rust types for `google/protobuf/descriptor.proto` and `google/protobuf/compiler/plugin.proto`
//! as shipped with protobuf v36 (libprotoc 36.2), that keep every unknown field.
//!
//! # Why this crate exists
//!
//! [`prost-types`](https://docs.rs/prost-types) also provides these types, but it falls short
//! for a protobuf compiler in two ways:
//!
//! - It was generated from a `descriptor.proto` that predates editions: it has no
//!   [`Edition`], no [`FeatureSet`], no `edition` or `features` fields, no
//!   [`SymbolVisibility`], no `option_dependency`, no `source_file_descriptors` in the plugin
//!   request, and so on.
//! - prost's derived decoder drops the fields a message does not declare. In descriptors
//!   produced by `protoc`, every custom option and every language feature (`pb.cpp`,
//!   `pb.java`, ...) *is* such a field: it lives in the extensions of the `*Options` and
//!   `FeatureSet` messages. Decoding a `FileDescriptorSet` with prost-types and encoding it
//!   again silently loses them.
//!
//! This crate covers every message, enum and field of both files, and each message has a
//! public `unknown_fields: `[`UnknownFields`] member that holds, byte for byte and in arrival
//! order, whatever the type does not declare. `prost::Message` is implemented by hand (through
//! a declarative macro) so that decoding followed by encoding reproduces `protoc`'s bytes
//! exactly: known fields are written in field-number order, repeated scalars are packed
//! exactly where `descriptor.proto` says `[packed = true]`, and unknown fields come last.
//!
//! # API
//!
//! The API mirrors prost-types 0.14, so code written against prost-types mostly compiles
//! unchanged:
//!
//! - the same type names and nested-module layout ([`field_descriptor_proto::Type`],
//!   [`feature_set::FieldPresence`], [`compiler::code_generator_response::File`], ...);
//! - the same field names and types: proto2 `optional` scalars and messages are `Option<T>`,
//!   `repeated` fields are `Vec<T>`, enum-typed fields store the raw `i32`;
//! - the same accessors: `fn name(&self) -> &str` returns the `.proto` default when a field is
//!   unset, `fn r#type(&self) -> Type` and `fn set_type(&mut self, Type)` for enum fields, an
//!   iterator and a `push_*` method for repeated enum fields;
//! - enums derive `prost::Enumeration` (so `TryFrom<i32>`, `From<E> for i32`, `Default`,
//!   `is_valid`) and have `as_str_name` / `from_str_name`;
//! - every message implements `prost::Message` and `prost::Name`, and derives
//!   `Clone, PartialEq, Default, Debug`, where `Default` leaves every field unset.
//!
//! The additions are the `unknown_fields` member of every message, the [`HasUnknownFields`]
//! trait that exposes it generically, [`ResolvedFeatures`] (editions feature resolution as
//! protoc does it: edition defaults, inheritance, what proto2/proto3 syntax implies), and one
//! change of type: the `string` fields into which
//! `protoc` copies bytes of the `.proto` file, UTF-8 or not, hold a [`ProtoString`] (bytes
//! that behave like a string) instead of a `String`:
//!
//! - `FileDescriptorProto::name`, `dependency` and `option_dependency` (file names are bytes:
//!   an `import` string can hold any, and so can a path on disk);
//! - `FieldDescriptorProto::default_value` and `json_name`;
//! - `DescriptorProto::reserved_name` and `EnumDescriptorProto::reserved_name`;
//! - `SourceCodeInfo.Location`'s `leading_comments`, `trailing_comments` and
//!   `leading_detached_comments` (old files often have Latin-1 comments);
//! - the `string` options: `FileOptions::java_package`, `go_package`, ... and
//!   `FieldOptions`' `EditionDefault::value`, `FeatureSupport::deprecation_warning` and
//!   `removal_error`, and `ExtensionRangeOptions`' `Declaration::full_name` and `type`.
//!
//! `From<&str>`/`From<String>` and comparisons with `str` keep most code unchanged; the
//! accessors (`json_name()`, `java_package()`, ...) still return `&str` (empty if the bytes are
//! not UTF-8), and each has a `*_bytes()` companion (`json_name_bytes()`, ...) that returns the
//! exact bytes.
//!
//! One more change of type: the `features` field of every `*Options` message,
//! `feature_support` of `FieldOptions` and `EnumValueOptions`, and the `options` of
//! `FieldDescriptorProto` and `EnumValueDescriptorProto` are `Option<Box<_>>`. They are
//! rarely set, and inline they made every field descriptor 2.5 times as large (a compiler
//! holds hundreds of thousands of them). Read them with `as_deref()`; set them with
//! `Some(Box::new(..))`.
//!
//! ```
//! use prost::Message;
//! use rivet_descriptor::{FileDescriptorProto, FileOptions};
//!
//! let mut options = FileOptions::default();
//! options.java_package = Some("com.example".into());
//! options.unknown_fields.push_varint(50000, 1); // a custom option, e.g. `(my_flag) = true`
//! let file = FileDescriptorProto {
//!     name: Some("example.proto".into()),
//!     options: Some(options),
//!     ..Default::default()
//! };
//! let bytes = file.encode_to_vec();
//! let decoded = FileDescriptorProto::decode(bytes.as_slice()).unwrap();
//! assert_eq!(decoded, file);
//! assert_eq!(decoded.options.unwrap().optimize_for(), rivet_descriptor::file_options::OptimizeMode::Speed);
//! ```
//!
//! # Limits
//!
//! - Like prost, enum fields keep whatever `i32` arrived; protoc's C++ runtime would move an
//!   out-of-range value of a closed enum to the unknown fields instead. Descriptors produced by
//!   `protoc` never contain such values.
//! - Unknown fields are always written after the known ones. `protoc` does the same for
//!   everything it writes, except that an extension it knows in the range 990..=998 of an
//!   `*Options` message would precede a non-empty `uninterpreted_option` (999); options in
//!   `protoc`'s output are interpreted, so that list is empty there.
//! - Other `string` fields are Rust `String`s (as with prost). A value that is not valid
//!   UTF-8 is not an error: it is kept, byte for byte, in `unknown_fields` under its field
//!   number, so it is re-encoded after the known fields rather than in its place, and a
//!   repeated string loses its position among the others. `protoc` does not write such values
//!   in these fields (names are identifiers; the fields listed above are the ones that take
//!   arbitrary bytes from a `.proto` file).
//! - The two `required` fields of [`uninterpreted_option::NamePart`] are plain values, as in
//!   prost, so they are always encoded, even when the input lacked them.
//! - A known field number arriving with a wire type its field cannot have is kept as an
//!   unknown field rather than rejected, as protobuf's C++ runtime does.

#![deny(missing_docs)]

mod macros;

pub mod compiler;
mod descriptor;
mod features;
mod options;
mod resolve;
mod source_info;
mod string;
mod unknown;

pub use descriptor::*;
pub use features::*;
pub use options::*;
pub use resolve::ResolvedFeatures;
pub use source_info::*;
pub use string::ProtoString;
pub use unknown::{HasUnknownFields, UnknownField, UnknownFields, UnknownFieldsIter, UnknownValue};
