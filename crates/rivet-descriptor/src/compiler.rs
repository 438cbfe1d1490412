//! Types for `google/protobuf/compiler/plugin.proto`: the protocol between `protoc` and its
//! code generator plugins.
//!
//! `protoc` runs a plugin `protoc-gen-NAME` for each `--NAME_out`, writes an encoded
//! [`CodeGeneratorRequest`] to its standard input, and reads an encoded
//! [`CodeGeneratorResponse`] from its standard output.

use crate::macros::{enumeration, message};
use crate::{FileDescriptorProto, GeneratedCodeInfo};

message! {
    /// A version of `protoc`.
    pub struct Version("google.protobuf.compiler", "Version") {
        /// Major version.
        1 => major: optional int32;
        /// Minor version.
        2 => minor: optional int32;
        /// Patch version.
        3 => patch: optional int32;
        /// Pre-release suffix such as `"rc1"`; empty for releases.
        4 => suffix: optional string;
    }
}

message! {
    /// What `protoc` sends a plugin.
    pub struct CodeGeneratorRequest("google.protobuf.compiler", "CodeGeneratorRequest") {
        /// The files named on the command line, for which code should be generated. Each is
        /// also in `proto_file`.
        1 => file_to_generate: repeated string;
        /// The parameter given on the command line (`--NAME_out=PARAM:DIR` or
        /// `--NAME_opt=PARAM`), if any.
        2 => parameter: optional string;
        /// The version of the `protoc` that sent the request.
        3 => compiler_version: optional message(Version);
        /// Every file in `file_to_generate` and everything they import, each after its
        /// dependencies. Source-retention options are stripped; source info is included.
        15 => proto_file: repeated message(FileDescriptorProto);
        /// The files in `file_to_generate` with all their options, source-retention ones
        /// included, for generators that need them.
        17 => source_file_descriptors: repeated message(FileDescriptorProto);
    }
}

message! {
    /// What a plugin returns to `protoc`.
    pub struct CodeGeneratorResponse("google.protobuf.compiler", "CodeGeneratorResponse") {
        /// A problem with the input (such as a bad `.proto` for this generator), reported to
        /// the user as a generation error. Plugin failures (bad parameters, bugs) should
        /// instead exit with a non-zero status.
        1 => error: optional string;
        /// Bitwise OR of the [`Feature`](code_generator_response::Feature)s the plugin
        /// supports.
        2 => supported_features: optional uint64;
        /// With `FEATURE_SUPPORTS_EDITIONS`: the lowest [`Edition`](crate::Edition) the
        /// plugin supports, as its number.
        3 => minimum_edition: optional int32;
        /// With `FEATURE_SUPPORTS_EDITIONS`: the highest [`Edition`](crate::Edition) the
        /// plugin supports, as its number.
        4 => maximum_edition: optional int32;
        /// The generated files.
        15 => file: repeated message(code_generator_response::File);
    }
}

/// Types nested in [`CodeGeneratorResponse`].
pub mod code_generator_response {
    use super::*;

    enumeration! {
        /// Optional capabilities a plugin can declare in `supported_features`.
        pub enum Feature {
            /// No capability.
            None = 0 => "FEATURE_NONE",
            /// The plugin handles proto3 `optional` fields.
            Proto3Optional = 1 => "FEATURE_PROTO3_OPTIONAL",
            /// The plugin handles editions files (between `minimum_edition` and
            /// `maximum_edition`).
            SupportsEditions = 2 => "FEATURE_SUPPORTS_EDITIONS",
        }
    }

    message! {
        /// One generated file, or content to insert into another plugin's file.
        pub struct File("google.protobuf.compiler", "CodeGeneratorResponse.File") {
            /// Path of the file relative to the output directory, with `/` separators and
            /// no `.` or `..` components. Unset means "append to the previous file", which
            /// lets a plugin stream a large file in pieces.
            1 => name: optional string;
            /// If set, `content` is inserted into the already generated file `name` at the
            /// insertion point marked `@@protoc_insertion_point(NAME)`, instead of creating
            /// a file.
            2 => insertion_point: optional string;
            /// The file's content.
            15 => content: optional string;
            /// Links from the content back to the `.proto` elements, if the plugin provides
            /// them.
            16 => generated_code_info: optional message(GeneratedCodeInfo);
        }
    }
}
