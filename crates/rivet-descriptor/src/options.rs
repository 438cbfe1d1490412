//! The `*Options` messages and `UninterpretedOption`.
//!
//! Custom options are extensions of these messages; protoc writes them as fields that these
//! types do not declare, so they end up in each message's `unknown_fields`.

use crate::macros::{enumeration, message};
use crate::{Edition, FeatureSet};

message! {
    /// Options of an extension range.
    pub struct ExtensionRangeOptions("google.protobuf", "ExtensionRangeOptions") {
        /// The extensions declared for this range: what may extend it, under which numbers
        /// and names. A source-retention option.
        2 => declaration: repeated message(extension_range_options::Declaration);
        /// Whether extensions of this range are checked against `declaration`.
        /// A source-retention option.
        3 => verification: optional enumeration(
            extension_range_options::VerificationState,
            set_verification
        ) = extension_range_options::VerificationState::Unverified;
        /// Features set explicitly on the range (unresolved).
        50 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

/// Types nested in [`ExtensionRangeOptions`].
pub mod extension_range_options {
    use super::*;

    message! {
        /// The declaration of one extension number of a range.
        pub struct Declaration("google.protobuf", "ExtensionRangeOptions.Declaration") {
            /// The declared extension number.
            1 => number: optional int32;
            /// Fully-qualified name of the extension, with a leading dot (bytes of the
            /// `.proto` file, UTF-8 or not).
            2 => full_name: optional proto_string(full_name_bytes);
            /// Fully-qualified type of the extension; message and enum types have a leading
            /// dot (bytes of the `.proto` file, UTF-8 or not).
            3 => r#type: optional proto_string(type_bytes);
            /// Whether the number is reserved: any extension using it fails to compile. Set
            /// when a declared extension is deleted.
            5 => reserved: optional bool;
            /// Whether the extension must be repeated (otherwise it must be singular).
            6 => repeated: optional bool;
        }
    }

    enumeration! {
        /// Whether extensions of a range must be declared.
        pub enum VerificationState {
            /// Every extension of the range must match a declaration.
            Declaration = 0 => "DECLARATION",
            /// Extensions are not checked (the default).
            Unverified = 1 => "UNVERIFIED",
        }
    }
}

message! {
    /// File-level options (`option java_package = "...";`).
    pub struct FileOptions("google.protobuf", "FileOptions") {
        /// Java package of the generated classes; defaults to the proto package.
        1 => java_package: optional proto_string(java_package_bytes);
        /// Name of the Java class wrapping the file's descriptors (the outer class); defaults
        /// to the file name in camel case.
        8 => java_outer_classname: optional proto_string(java_outer_classname_bytes);
        /// What protoc's own generators optimize the generated code for.
        9 => optimize_for: optional enumeration(file_options::OptimizeMode, set_optimize_for)
            = file_options::OptimizeMode::Speed;
        /// Whether Java types go in separate files instead of nested in the outer class.
        /// Removed in edition 2024 in favour of `features.(pb.java).nest_in_file_class`.
        10 => java_multiple_files: optional bool = false;
        /// Go import path of the generated package.
        11 => go_package: optional proto_string(go_package_bytes);
        /// Whether the C++ generator emits abstract service classes.
        16 => cc_generic_services: optional bool = false;
        /// Whether the Java generator emits abstract service classes.
        17 => java_generic_services: optional bool = false;
        /// Whether the Python generator emits abstract service classes.
        18 => py_generic_services: optional bool = false;
        /// Obsolete: Java `equals()`/`hashCode()` generation, which no longer has an effect.
        #[deprecated]
        20 => java_generate_equals_and_hash: optional bool;
        /// Whether everything in the file is deprecated.
        23 => deprecated: optional bool = false;
        /// Whether generated Java code checks strings for valid UTF-8.
        27 => java_string_check_utf8: optional bool = false;
        /// Whether C++ arena allocation is enabled; always on nowadays. Removed in edition
        /// 2026.
        31 => cc_enable_arenas: optional bool = true;
        /// Prefix of the generated Objective-C class names.
        36 => objc_class_prefix: optional proto_string(objc_class_prefix_bytes);
        /// C# namespace of the generated classes.
        37 => csharp_namespace: optional proto_string(csharp_namespace_bytes);
        /// Prefix of the generated Swift type names.
        39 => swift_prefix: optional proto_string(swift_prefix_bytes);
        /// Prefix of the generated PHP class names.
        40 => php_class_prefix: optional proto_string(php_class_prefix_bytes);
        /// PHP namespace of the generated classes.
        41 => php_namespace: optional proto_string(php_namespace_bytes);
        /// PHP namespace of the generated metadata classes.
        44 => php_metadata_namespace: optional proto_string(php_metadata_namespace_bytes);
        /// Ruby module of the generated classes.
        45 => ruby_package: optional proto_string(ruby_package_bytes);
        /// Features set explicitly on the file (unresolved).
        50 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

/// Types nested in [`FileOptions`].
pub mod file_options {
    use super::*;

    enumeration! {
        /// What generated code is optimized for.
        pub enum OptimizeMode {
            /// Complete, fast code for parsing, serializing and the rest.
            Speed = 1 => "SPEED",
            /// Small code, with reflection doing the work.
            CodeSize = 2 => "CODE_SIZE",
            /// Code for the lite runtime (no descriptors or reflection).
            LiteRuntime = 3 => "LITE_RUNTIME",
        }
    }
}

message! {
    /// Message-level options.
    pub struct MessageOptions("google.protobuf", "MessageOptions") {
        /// Whether the message uses the old MessageSet wire format (Google-internal legacy).
        1 => message_set_wire_format: optional bool = false;
        /// Whether to omit the standard `descriptor()` accessor in generated code.
        2 => no_standard_descriptor_accessor: optional bool = false;
        /// Whether the message is deprecated.
        3 => deprecated: optional bool = false;
        /// Set by protoc on the entry messages it synthesizes for `map<K, V>` fields; must
        /// not be set in `.proto` files.
        7 => map_entry: optional bool;
        /// Temporary opt-out of the JSON field name conflict checks.
        #[deprecated]
        11 => deprecated_legacy_json_field_conflicts: optional bool;
        /// Features set explicitly on the message (unresolved).
        12 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

message! {
    /// Field-level options (`[deprecated = true, ...]`).
    pub struct FieldOptions("google.protobuf", "FieldOptions") {
        /// The C++ representation of a string or bytes field.
        1 => ctype: optional enumeration(field_options::CType, set_ctype)
            = field_options::CType::String;
        /// Whether a repeated scalar field uses the packed encoding (proto2 and proto3; in
        /// editions this is the `repeated_field_encoding` feature).
        2 => packed: optional bool;
        /// Whether the field is deprecated.
        3 => deprecated: optional bool = false;
        /// Whether a message field may be parsed lazily, with verification.
        5 => lazy: optional bool = false;
        /// The JavaScript type of 64-bit integer fields.
        6 => jstype: optional enumeration(field_options::JsType, set_jstype)
            = field_options::JsType::JsNormal;
        /// Weak field (Google-internal).
        #[deprecated]
        10 => weak: optional bool = false;
        /// Whether a message field may be parsed lazily, without verification.
        15 => unverified_lazy: optional bool = false;
        /// Whether the field's value is redacted when printed by debug formatting.
        16 => debug_redact: optional bool = false;
        /// For fields of option messages: whether the option is kept at runtime.
        17 => retention: optional enumeration(field_options::OptionRetention, set_retention);
        /// For fields of option messages: which kinds of entity the option may be set on.
        19 => targets: repeated enumeration(field_options::OptionTargetType, push_targets);
        /// For fields of `FeatureSet` and its extensions: the default per edition.
        20 => edition_defaults: repeated message(field_options::EditionDefault);
        /// Features set explicitly on the field (unresolved).
        21 => features: optional boxed(FeatureSet);
        /// For features: the editions in which the feature exists.
        22 => feature_support: optional boxed(field_options::FeatureSupport);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

/// Types nested in [`FieldOptions`].
pub mod field_options {
    use super::*;

    enumeration! {
        /// The C++ type of a string or bytes field.
        pub enum CType {
            /// `std::string` (the default).
            String = 0 => "STRING",
            /// `absl::Cord`.
            Cord = 1 => "CORD",
            /// A string piece (legacy).
            StringPiece = 2 => "STRING_PIECE",
        }
    }

    enumeration! {
        /// The JavaScript type of a 64-bit integer field.
        pub enum JsType {
            /// The generator's default type.
            JsNormal = 0 => "JS_NORMAL",
            /// A JavaScript string.
            JsString = 1 => "JS_STRING",
            /// A JavaScript number (may lose precision).
            JsNumber = 2 => "JS_NUMBER",
        }
    }

    enumeration! {
        /// When an option is kept.
        pub enum OptionRetention {
            /// Not specified: same as runtime.
            RetentionUnknown = 0 => "RETENTION_UNKNOWN",
            /// Kept in the descriptors given to generated code.
            RetentionRuntime = 1 => "RETENTION_RUNTIME",
            /// Only visible to protoc and plugins; stripped from runtime descriptors.
            RetentionSource = 2 => "RETENTION_SOURCE",
        }
    }

    enumeration! {
        /// A kind of entity an option can be set on.
        pub enum OptionTargetType {
            /// Not specified.
            TargetTypeUnknown = 0 => "TARGET_TYPE_UNKNOWN",
            /// A file.
            TargetTypeFile = 1 => "TARGET_TYPE_FILE",
            /// An extension range.
            TargetTypeExtensionRange = 2 => "TARGET_TYPE_EXTENSION_RANGE",
            /// A message.
            TargetTypeMessage = 3 => "TARGET_TYPE_MESSAGE",
            /// A field.
            TargetTypeField = 4 => "TARGET_TYPE_FIELD",
            /// A oneof.
            TargetTypeOneof = 5 => "TARGET_TYPE_ONEOF",
            /// An enum.
            TargetTypeEnum = 6 => "TARGET_TYPE_ENUM",
            /// An enum value.
            TargetTypeEnumEntry = 7 => "TARGET_TYPE_ENUM_ENTRY",
            /// A service.
            TargetTypeService = 8 => "TARGET_TYPE_SERVICE",
            /// A method.
            TargetTypeMethod = 9 => "TARGET_TYPE_METHOD",
        }
    }

    message! {
        /// The default value of a feature from a given edition on.
        pub struct EditionDefault("google.protobuf", "FieldOptions.EditionDefault") {
            /// The value, in text format.
            2 => value: optional proto_string(value_bytes);
            /// The first edition this default applies to.
            3 => edition: optional enumeration(Edition, set_edition);
        }
    }

    message! {
        /// The editions in which a feature (or enum value of a feature) can be used.
        pub struct FeatureSupport("google.protobuf", "FieldOptions.FeatureSupport") {
            /// The first edition in which it may be set.
            1 => edition_introduced: optional enumeration(Edition, set_edition_introduced);
            /// The first edition in which setting it gives a deprecation warning.
            2 => edition_deprecated: optional enumeration(Edition, set_edition_deprecated);
            /// The warning given when it is set in a deprecated edition.
            3 => deprecation_warning: optional proto_string(deprecation_warning_bytes);
            /// The first edition in which it may no longer be set.
            4 => edition_removed: optional enumeration(Edition, set_edition_removed);
            /// The error given when it is set in an edition that removed it.
            5 => removal_error: optional proto_string(removal_error_bytes);
        }
    }
}

message! {
    /// Oneof-level options.
    pub struct OneofOptions("google.protobuf", "OneofOptions") {
        /// Features set explicitly on the oneof (unresolved).
        1 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

message! {
    /// Enum-level options.
    pub struct EnumOptions("google.protobuf", "EnumOptions") {
        /// Whether several values may share a number.
        2 => allow_alias: optional bool;
        /// Whether the enum is deprecated.
        3 => deprecated: optional bool = false;
        /// Temporary opt-out of the JSON name conflict checks.
        #[deprecated]
        6 => deprecated_legacy_json_field_conflicts: optional bool;
        /// Features set explicitly on the enum (unresolved).
        7 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

message! {
    /// Options of an enum value.
    pub struct EnumValueOptions("google.protobuf", "EnumValueOptions") {
        /// Whether the value is deprecated.
        1 => deprecated: optional bool = false;
        /// Features set explicitly on the value (unresolved).
        2 => features: optional boxed(FeatureSet);
        /// Whether the value is redacted when printed by debug formatting.
        3 => debug_redact: optional bool = false;
        /// For values of feature enums: the editions in which the value can be used.
        4 => feature_support: optional boxed(field_options::FeatureSupport);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

message! {
    /// Service-level options.
    pub struct ServiceOptions("google.protobuf", "ServiceOptions") {
        /// Whether the service is deprecated.
        33 => deprecated: optional bool = false;
        /// Features set explicitly on the service (unresolved).
        34 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

message! {
    /// Method-level options.
    pub struct MethodOptions("google.protobuf", "MethodOptions") {
        /// Whether the method is deprecated.
        33 => deprecated: optional bool = false;
        /// Whether calling the method has side effects.
        34 => idempotency_level: optional enumeration(
            method_options::IdempotencyLevel,
            set_idempotency_level
        ) = method_options::IdempotencyLevel::IdempotencyUnknown;
        /// Features set explicitly on the method (unresolved).
        35 => features: optional boxed(FeatureSet);
        /// Options that were not interpreted yet. protoc's output leaves this empty.
        999 => uninterpreted_option: repeated message(UninterpretedOption);
    }
}

/// Types nested in [`MethodOptions`].
pub mod method_options {
    use crate::macros::enumeration;

    enumeration! {
        /// How safe a method is to retry.
        pub enum IdempotencyLevel {
            /// Not specified.
            IdempotencyUnknown = 0 => "IDEMPOTENCY_UNKNOWN",
            /// No side effects at all (safe, like HTTP GET).
            NoSideEffects = 1 => "NO_SIDE_EFFECTS",
            /// Side effects, but repeating a call changes nothing more.
            Idempotent = 2 => "IDEMPOTENT",
        }
    }
}

message! {
    /// An option as written in the source, before it is resolved to a field of an options
    /// message. Parsers produce these; protoc interprets them all before writing
    /// descriptors, so they only appear in unprocessed descriptors.
    pub struct UninterpretedOption("google.protobuf", "UninterpretedOption") {
        /// The option's name, one part per dot-separated component; `(foo.bar).baz` is
        /// `[("foo.bar", true), ("baz", false)]`.
        2 => name: repeated message(uninterpreted_option::NamePart);
        /// The value, if it was an identifier.
        3 => identifier_value: optional string;
        /// The value, if it was a non-negative integer.
        4 => positive_int_value: optional uint64;
        /// The value, if it was a negative integer.
        5 => negative_int_value: optional int64;
        /// The value, if it was a floating-point number.
        6 => double_value: optional double;
        /// The value, if it was a string literal (unescaped bytes).
        7 => string_value: optional bytes;
        /// The value, if it was an aggregate `{ ... }`, as text.
        8 => aggregate_value: optional string;
    }
}

/// Types nested in [`UninterpretedOption`].
pub mod uninterpreted_option {
    use crate::macros::message;

    message! {
        /// One dot-separated component of an option name.
        pub struct NamePart("google.protobuf", "UninterpretedOption.NamePart") {
            /// The component's text.
            1 => name_part: required string;
            /// Whether the component was parenthesized, i.e. names an extension.
            2 => is_extension: required bool;
        }
    }
}
