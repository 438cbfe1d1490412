//! The descriptor messages proper: files, messages, fields, enums, services and methods.

use crate::macros::{enumeration, message};
use crate::{
    EnumOptions, EnumValueOptions, ExtensionRangeOptions, FieldOptions, FileOptions,
    MessageOptions, MethodOptions, OneofOptions, ServiceOptions, SourceCodeInfo,
};

message! {
    /// A set of `.proto` files in compiled form, as `protoc --descriptor_set_out` writes it.
    pub struct FileDescriptorSet("google.protobuf", "FileDescriptorSet") {
        /// The files, each after the files it depends on when `--include_imports` was used.
        1 => file: repeated message(FileDescriptorProto);
    }
}

enumeration! {
    /// The protobuf editions, plus the legacy `proto2`/`proto3` syntaxes treated as editions.
    ///
    /// The numbers are ordered in time, so editions can be compared with `<`.
    pub enum Edition {
        /// No edition was given; never a valid edition of a file.
        Unknown = 0 => "EDITION_UNKNOWN",
        /// The behaviour before a feature existed, used as the first key of feature defaults.
        Legacy = 900 => "EDITION_LEGACY",
        /// Files with `syntax = "proto2"`.
        Proto2 = 998 => "EDITION_PROTO2",
        /// Files with `syntax = "proto3"`.
        Proto3 = 999 => "EDITION_PROTO3",
        /// Edition 2023, the first edition.
        Edition2023 = 1000 => "EDITION_2023",
        /// Edition 2024.
        Edition2024 = 1001 => "EDITION_2024",
        /// Edition 2026.
        Edition2026 = 1002 => "EDITION_2026",
        /// The edition under development, whose features may still change.
        Unstable = 9999 => "EDITION_UNSTABLE",
        /// Placeholder edition for feature-resolution tests only.
        Edition1TestOnly = 1 => "EDITION_1_TEST_ONLY",
        /// Placeholder edition for feature-resolution tests only.
        Edition2TestOnly = 2 => "EDITION_2_TEST_ONLY",
        /// Placeholder edition for feature-resolution tests only.
        Edition99997TestOnly = 99997 => "EDITION_99997_TEST_ONLY",
        /// Placeholder edition for feature-resolution tests only.
        Edition99998TestOnly = 99998 => "EDITION_99998_TEST_ONLY",
        /// Placeholder edition for feature-resolution tests only.
        Edition99999TestOnly = 99999 => "EDITION_99999_TEST_ONLY",
        /// The largest possible edition, meaning "no upper bound".
        Max = 2147483647 => "EDITION_MAX",
    }
}

enumeration! {
    /// Whether a message or enum may be used from other files (the `export` and `local`
    /// keywords of edition 2024).
    pub enum SymbolVisibility {
        /// No keyword: the file's `default_symbol_visibility` feature decides.
        VisibilityUnset = 0 => "VISIBILITY_UNSET",
        /// `local`: visible only inside the defining file.
        VisibilityLocal = 1 => "VISIBILITY_LOCAL",
        /// `export`: visible to files that import the defining file.
        VisibilityExport = 2 => "VISIBILITY_EXPORT",
    }
}

message! {
    /// One compiled `.proto` file.
    pub struct FileDescriptorProto("google.protobuf", "FileDescriptorProto") {
        /// The file's path relative to the root of its source tree, e.g. `foo/bar.proto`.
        1 => name: optional proto_string(name_bytes);
        /// The package declared by the file, e.g. `foo.bar`.
        2 => package: optional string;
        /// Paths of the files this file imports, in import order.
        3 => dependency: repeated proto_string;
        /// The top-level messages.
        4 => message_type: repeated message(DescriptorProto);
        /// The top-level enums.
        5 => enum_type: repeated message(EnumDescriptorProto);
        /// The services.
        6 => service: repeated message(ServiceDescriptorProto);
        /// The top-level extension fields.
        7 => extension: repeated message(FieldDescriptorProto);
        /// File options, including custom file options in `unknown_fields`.
        8 => options: optional message(FileOptions);
        /// Source locations and comments; present only when requested (e.g. with
        /// `--include_source_info`). Tools must not rely on it for semantics.
        9 => source_code_info: optional message(SourceCodeInfo);
        /// Indexes into `dependency` of the imports declared `import public`.
        10 => public_dependency: repeated int32;
        /// Indexes into `dependency` of the imports declared `import weak` (Google-internal).
        11 => weak_dependency: repeated int32;
        /// `"proto2"`, `"proto3"` or `"editions"`. Unset means proto2.
        12 => syntax: optional string;
        /// The edition of an editions file (only set when `syntax` is `"editions"`).
        14 => edition: optional enumeration(Edition, set_edition);
        /// Files imported with `import option`, only to use the option extensions they define.
        /// They are not listed in `dependency`.
        15 => option_dependency: repeated proto_string;
    }
}

message! {
    /// A message type.
    pub struct DescriptorProto("google.protobuf", "DescriptorProto") {
        /// The message's simple name (not fully qualified).
        1 => name: optional string;
        /// The message's fields.
        2 => field: repeated message(FieldDescriptorProto);
        /// Messages declared inside this message.
        3 => nested_type: repeated message(DescriptorProto);
        /// Enums declared inside this message.
        4 => enum_type: repeated message(EnumDescriptorProto);
        /// Field-number ranges that other files may extend.
        5 => extension_range: repeated message(descriptor_proto::ExtensionRange);
        /// Extension fields declared inside this message (which may extend any message).
        6 => extension: repeated message(FieldDescriptorProto);
        /// Message options, including custom message options in `unknown_fields`.
        7 => options: optional message(MessageOptions);
        /// The oneofs; fields refer to them through `oneof_index`.
        8 => oneof_decl: repeated message(OneofDescriptorProto);
        /// Field-number ranges that fields may not use.
        9 => reserved_range: repeated message(descriptor_proto::ReservedRange);
        /// Field names that fields may not use. Each name appears once.
        10 => reserved_name: repeated proto_string;
        /// The `export`/`local` keyword of the message, if any.
        11 => visibility: optional enumeration(SymbolVisibility, set_visibility);
    }
}

/// Types nested in [`DescriptorProto`].
pub mod descriptor_proto {
    use super::*;

    message! {
        /// A range of field numbers reserved for extensions (`extensions 100 to 199;`).
        pub struct ExtensionRange("google.protobuf", "DescriptorProto.ExtensionRange") {
            /// First number of the range, inclusive.
            1 => start: optional int32;
            /// End of the range, exclusive.
            2 => end: optional int32;
            /// Options of the range, including custom ones in `unknown_fields`.
            3 => options: optional message(ExtensionRangeOptions);
        }
    }

    message! {
        /// A range of reserved field numbers (`reserved 5 to 9;`).
        pub struct ReservedRange("google.protobuf", "DescriptorProto.ReservedRange") {
            /// First number of the range, inclusive.
            1 => start: optional int32;
            /// End of the range, exclusive.
            2 => end: optional int32;
        }
    }
}

message! {
    /// A field, or an extension field.
    pub struct FieldDescriptorProto("google.protobuf", "FieldDescriptorProto") {
        /// The field's name.
        1 => name: optional string;
        /// For extensions, the fully-qualified name of the message being extended.
        2 => extendee: optional string;
        /// The field number.
        3 => number: optional int32;
        /// Whether the field is optional, required or repeated.
        4 => label: optional enumeration(field_descriptor_proto::Label, set_label);
        /// The field's type. When `type_name` is set this may be unset, meaning the type
        /// (message or enum) is to be resolved from the name.
        5 => r#type: optional enumeration(field_descriptor_proto::Type, set_type);
        /// For message and enum fields, the type's name. Names starting with `.` are fully
        /// qualified; others are resolved with C++-like scoping rules.
        6 => type_name: optional string;
        /// The default value as text: numbers in decimal, bools as `true`/`false`, enums by
        /// value name, strings as is, bytes C-escaped.
        ///
        /// A [`ProtoString`](crate::ProtoString) rather than a `String` (prost-types), since a
        /// `string` field's default is stored exactly as written, in bytes that need not be
        /// UTF-8 (`[default = "\377"]`). `default_value()` gives the text of a UTF-8 value,
        /// `default_value_bytes()` the bytes of any.
        7 => default_value: optional proto_string(default_value_bytes);
        /// Field options, including custom field options in `unknown_fields`.
        8 => options: optional boxed(FieldOptions);
        /// If set, the index in the containing message's `oneof_decl` of the oneof this field
        /// belongs to. Extensions cannot be in a oneof.
        9 => oneof_index: optional int32;
        /// The field's JSON name, as computed by protoc or set with `json_name`.
        10 => json_name: optional proto_string(json_name_bytes);
        /// Whether a proto3 field was declared `optional`. Such a field also belongs to a
        /// synthetic oneof, declared after every real oneof of the message, that tracks its
        /// presence. Only valid in proto3 files.
        17 => proto3_optional: optional bool;
    }
}

/// Types nested in [`FieldDescriptorProto`].
pub mod field_descriptor_proto {
    use super::*;

    enumeration! {
        /// The type of a field.
        pub enum Type {
            /// `double`: 64-bit float, fixed 8 bytes.
            Double = 1 => "TYPE_DOUBLE",
            /// `float`: 32-bit float, fixed 4 bytes.
            Float = 2 => "TYPE_FLOAT",
            /// `int64`: varint; negative values take 10 bytes.
            Int64 = 3 => "TYPE_INT64",
            /// `uint64`: varint.
            Uint64 = 4 => "TYPE_UINT64",
            /// `int32`: varint; negative values take 10 bytes.
            Int32 = 5 => "TYPE_INT32",
            /// `fixed64`: unsigned, fixed 8 bytes.
            Fixed64 = 6 => "TYPE_FIXED64",
            /// `fixed32`: unsigned, fixed 4 bytes.
            Fixed32 = 7 => "TYPE_FIXED32",
            /// `bool`: varint.
            Bool = 8 => "TYPE_BOOL",
            /// `string`: length-delimited UTF-8.
            String = 9 => "TYPE_STRING",
            /// A message encoded between start- and end-group tags (proto2 groups, and
            /// delimited message encoding in editions).
            Group = 10 => "TYPE_GROUP",
            /// A length-delimited message.
            Message = 11 => "TYPE_MESSAGE",
            /// `bytes`: length-delimited.
            Bytes = 12 => "TYPE_BYTES",
            /// `uint32`: varint.
            Uint32 = 13 => "TYPE_UINT32",
            /// An enum, encoded as a varint.
            Enum = 14 => "TYPE_ENUM",
            /// `sfixed32`: signed, fixed 4 bytes.
            Sfixed32 = 15 => "TYPE_SFIXED32",
            /// `sfixed64`: signed, fixed 8 bytes.
            Sfixed64 = 16 => "TYPE_SFIXED64",
            /// `sint32`: ZigZag-encoded varint.
            Sint32 = 17 => "TYPE_SINT32",
            /// `sint64`: ZigZag-encoded varint.
            Sint64 = 18 => "TYPE_SINT64",
        }
    }

    enumeration! {
        /// The cardinality of a field.
        pub enum Label {
            /// Singular (the default). In proto3 and editions, presence depends on features.
            Optional = 1 => "LABEL_OPTIONAL",
            /// Repeated.
            Repeated = 3 => "LABEL_REPEATED",
            /// Required: proto2 only (editions express it with the `LEGACY_REQUIRED` field
            /// presence feature).
            Required = 2 => "LABEL_REQUIRED",
        }
    }
}

message! {
    /// A oneof.
    pub struct OneofDescriptorProto("google.protobuf", "OneofDescriptorProto") {
        /// The oneof's name.
        1 => name: optional string;
        /// Oneof options, including custom ones in `unknown_fields`.
        2 => options: optional message(OneofOptions);
    }
}

message! {
    /// An enum type.
    pub struct EnumDescriptorProto("google.protobuf", "EnumDescriptorProto") {
        /// The enum's simple name.
        1 => name: optional string;
        /// The enum's values.
        2 => value: repeated message(EnumValueDescriptorProto);
        /// Enum options, including custom ones in `unknown_fields`.
        3 => options: optional message(EnumOptions);
        /// Ranges of numbers that values may not use. They may not overlap.
        4 => reserved_range: repeated message(enum_descriptor_proto::EnumReservedRange);
        /// Names that values may not use. Each name appears once.
        5 => reserved_name: repeated proto_string;
        /// The `export`/`local` keyword of the enum, if any.
        6 => visibility: optional enumeration(SymbolVisibility, set_visibility);
    }
}

/// Types nested in [`EnumDescriptorProto`].
pub mod enum_descriptor_proto {
    use super::*;

    message! {
        /// A range of reserved enum numbers. Unlike message ranges, both ends are inclusive,
        /// so that the range can reach the largest `int32`.
        pub struct EnumReservedRange("google.protobuf", "EnumDescriptorProto.EnumReservedRange") {
            /// First number of the range, inclusive.
            1 => start: optional int32;
            /// Last number of the range, inclusive.
            2 => end: optional int32;
        }
    }
}

message! {
    /// One value of an enum.
    pub struct EnumValueDescriptorProto("google.protobuf", "EnumValueDescriptorProto") {
        /// The value's name.
        1 => name: optional string;
        /// The value's number.
        2 => number: optional int32;
        /// Value options, including custom ones in `unknown_fields`.
        3 => options: optional boxed(EnumValueOptions);
    }
}

message! {
    /// A service.
    pub struct ServiceDescriptorProto("google.protobuf", "ServiceDescriptorProto") {
        /// The service's simple name.
        1 => name: optional string;
        /// The service's methods.
        2 => method: repeated message(MethodDescriptorProto);
        /// Service options, including custom ones in `unknown_fields`.
        3 => options: optional message(ServiceOptions);
    }
}

message! {
    /// One method of a service.
    pub struct MethodDescriptorProto("google.protobuf", "MethodDescriptorProto") {
        /// The method's name.
        1 => name: optional string;
        /// Fully-qualified name of the request message type.
        2 => input_type: optional string;
        /// Fully-qualified name of the response message type.
        3 => output_type: optional string;
        /// Method options, including custom ones in `unknown_fields`.
        4 => options: optional message(MethodOptions);
        /// Whether the client sends a stream of requests.
        5 => client_streaming: optional bool = false;
        /// Whether the server sends a stream of responses.
        6 => server_streaming: optional bool = false;
    }
}
