//! Editions features: `FeatureSet` and the compiled defaults `FeatureSetDefaults`.
//!
//! Language-specific features (`pb.cpp`, `pb.java`, ...) are extensions of `FeatureSet`; they
//! are kept in its `unknown_fields`.

use crate::Edition;
use crate::macros::message;

message! {
    /// A set of editions features. On an entity's options it holds only the features set
    /// explicitly there; resolution combines it with the parents' and the edition's defaults.
    pub struct FeatureSet("google.protobuf", "FeatureSet") {
        /// Whether singular fields track presence.
        1 => field_presence: optional enumeration(feature_set::FieldPresence, set_field_presence);
        /// Whether enums are open or closed.
        2 => enum_type: optional enumeration(feature_set::EnumType, set_enum_type);
        /// Whether repeated scalar fields are packed.
        3 => repeated_field_encoding: optional enumeration(
            feature_set::RepeatedFieldEncoding,
            set_repeated_field_encoding
        );
        /// Whether string fields are checked for valid UTF-8 when parsing.
        4 => utf8_validation: optional enumeration(
            feature_set::Utf8Validation,
            set_utf8_validation
        );
        /// Whether message fields are length-prefixed or delimited by group tags.
        5 => message_encoding: optional enumeration(
            feature_set::MessageEncoding,
            set_message_encoding
        );
        /// Whether the JSON mapping must be fully supported.
        6 => json_format: optional enumeration(feature_set::JsonFormat, set_json_format);
        /// Which naming style rules protoc enforces. A source-retention feature.
        7 => enforce_naming_style: optional enumeration(
            feature_set::EnforceNamingStyle,
            set_enforce_naming_style
        );
        /// Visibility of messages and enums without `export`/`local`. A source-retention
        /// feature.
        8 => default_symbol_visibility: optional enumeration(
            feature_set::visibility_feature::DefaultSymbolVisibility,
            set_default_symbol_visibility
        );
        /// Which limits on the size of definitions protoc enforces. A source-retention
        /// feature.
        9 => enforce_proto_limits: optional enumeration(
            feature_set::proto_limits_feature::EnforceProtoLimits,
            set_enforce_proto_limits
        );
    }
}

/// Types nested in [`FeatureSet`].
pub mod feature_set {
    use crate::macros::{enumeration, message};

    enumeration! {
        /// Values of the `field_presence` feature.
        pub enum FieldPresence {
            /// Not set.
            Unknown = 0 => "FIELD_PRESENCE_UNKNOWN",
            /// Presence is tracked: an explicitly set default value is still "set".
            Explicit = 1 => "EXPLICIT",
            /// Presence is not tracked: a field holding its default is not serialized.
            Implicit = 2 => "IMPLICIT",
            /// The field is required (proto2 `required`).
            LegacyRequired = 3 => "LEGACY_REQUIRED",
        }
    }

    enumeration! {
        /// Values of the `enum_type` feature.
        pub enum EnumType {
            /// Not set.
            Unknown = 0 => "ENUM_TYPE_UNKNOWN",
            /// Unknown numbers are stored in the field.
            Open = 1 => "OPEN",
            /// Unknown numbers are treated as unknown fields.
            Closed = 2 => "CLOSED",
        }
    }

    enumeration! {
        /// Values of the `repeated_field_encoding` feature.
        pub enum RepeatedFieldEncoding {
            /// Not set.
            Unknown = 0 => "REPEATED_FIELD_ENCODING_UNKNOWN",
            /// All elements in one length-delimited record.
            Packed = 1 => "PACKED",
            /// One record per element.
            Expanded = 2 => "EXPANDED",
        }
    }

    enumeration! {
        /// Values of the `utf8_validation` feature.
        pub enum Utf8Validation {
            /// Not set.
            Unknown = 0 => "UTF8_VALIDATION_UNKNOWN",
            /// Parsers reject strings that are not valid UTF-8.
            Verify = 2 => "VERIFY",
            /// Parsers do not check.
            None = 3 => "NONE",
        }
    }

    enumeration! {
        /// Values of the `message_encoding` feature.
        pub enum MessageEncoding {
            /// Not set.
            Unknown = 0 => "MESSAGE_ENCODING_UNKNOWN",
            /// Length-prefixed (the usual encoding).
            LengthPrefixed = 1 => "LENGTH_PREFIXED",
            /// Delimited by start- and end-group tags.
            Delimited = 2 => "DELIMITED",
        }
    }

    enumeration! {
        /// Values of the `json_format` feature.
        pub enum JsonFormat {
            /// Not set.
            Unknown = 0 => "JSON_FORMAT_UNKNOWN",
            /// The JSON mapping is supported, so names must not conflict in JSON.
            Allow = 1 => "ALLOW",
            /// JSON support is best effort only (proto2 behaviour).
            LegacyBestEffort = 2 => "LEGACY_BEST_EFFORT",
        }
    }

    enumeration! {
        /// Values of the `enforce_naming_style` feature.
        pub enum EnforceNamingStyle {
            /// Not set.
            Unknown = 0 => "ENFORCE_NAMING_STYLE_UNKNOWN",
            /// The naming rules of edition 2024.
            Style2024 = 1 => "STYLE2024",
            /// No naming rules.
            StyleLegacy = 2 => "STYLE_LEGACY",
            /// The naming rules of edition 2026.
            Style2026 = 3 => "STYLE2026",
        }
    }

    message! {
        /// Holder of the `DefaultSymbolVisibility` enum; it has no fields.
        pub struct VisibilityFeature("google.protobuf", "FeatureSet.VisibilityFeature") {}
    }

    /// Types nested in [`VisibilityFeature`].
    pub mod visibility_feature {
        use crate::macros::enumeration;

        enumeration! {
            /// Values of the `default_symbol_visibility` feature.
            pub enum DefaultSymbolVisibility {
                /// Not set.
                Unknown = 0 => "DEFAULT_SYMBOL_VISIBILITY_UNKNOWN",
                /// Everything is exported (the behaviour before edition 2024).
                ExportAll = 1 => "EXPORT_ALL",
                /// Top-level symbols are exported, nested ones are local.
                ExportTopLevel = 2 => "EXPORT_TOP_LEVEL",
                /// Everything is local.
                LocalAll = 3 => "LOCAL_ALL",
                /// Everything is local, and nested symbols may not be exported (except enums
                /// nested in a message that only reserves all its field numbers).
                Strict = 4 => "STRICT",
            }
        }
    }

    message! {
        /// Holder of the `EnforceProtoLimits` enum; it has no fields.
        pub struct ProtoLimitsFeature("google.protobuf", "FeatureSet.ProtoLimitsFeature") {}
    }

    /// Types nested in [`ProtoLimitsFeature`].
    pub mod proto_limits_feature {
        use crate::macros::enumeration;

        enumeration! {
            /// Values of the `enforce_proto_limits` feature.
            pub enum EnforceProtoLimits {
                /// Not set.
                ProtoLimitsUnknown = 0 => "PROTO_LIMITS_UNKNOWN",
                /// No explicit limits (the behaviour before edition 2026).
                LegacyNoExplicitLimits = 1 => "LEGACY_NO_EXPLICIT_LIMITS",
                /// The limits of edition 2026.
                ProtoLimits2026 = 2 => "PROTO_LIMITS2026",
            }
        }
    }
}

message! {
    /// Feature defaults compiled for a range of editions, as produced by
    /// `protoc --edition_defaults_out`. Generators use it to resolve features without
    /// interpreting `descriptor.proto` at runtime.
    pub struct FeatureSetDefaults("google.protobuf", "FeatureSetDefaults") {
        /// The defaults, one entry per edition in which some default changes, in increasing
        /// edition order.
        1 => defaults: repeated message(feature_set_defaults::FeatureSetEditionDefault);
        /// The lowest edition these defaults cover.
        4 => minimum_edition: optional enumeration(Edition, set_minimum_edition);
        /// The highest edition these defaults cover.
        5 => maximum_edition: optional enumeration(Edition, set_maximum_edition);
    }
}

/// Types nested in [`FeatureSetDefaults`].
pub mod feature_set_defaults {
    use crate::macros::message;
    use crate::{Edition, FeatureSet};

    message! {
        /// The defaults of every feature from one edition on, split into the features a
        /// file may override and those it may not (not yet introduced, or removed).
        pub struct FeatureSetEditionDefault(
            "google.protobuf",
            "FeatureSetDefaults.FeatureSetEditionDefault"
        ) {
            /// The first edition these defaults apply to.
            3 => edition: optional enumeration(Edition, set_edition);
            /// Defaults of the features that may be overridden in this edition.
            4 => overridable_features: optional message(FeatureSet);
            /// Defaults of the features that may not be overridden in this edition.
            5 => fixed_features: optional message(FeatureSet);
        }
    }
}
