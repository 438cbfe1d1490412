//! Feature resolution: the core editions features of an element, as protoc's `FeatureResolver`
//! computes them.
//!
//! An element's features are its edition's defaults, overridden by the [`FeatureSet`] of the
//! file, then of every enclosing element (file -> message -> nested message -> oneof -> field;
//! file -> enum -> value; file -> service -> method), then of the element itself. proto2 and
//! proto3 are editions too: their files may not set features, but some of their syntax implies
//! features (`required`, groups, `[packed = ...]`), which [`ResolvedFeatures::infer_legacy`]
//! applies.
//!
//! ```
//! use rivet_descriptor::{Edition, FeatureSet, ResolvedFeatures, feature_set::FieldPresence};
//!
//! let mut features = ResolvedFeatures::edition_defaults(Edition::Edition2023 as i32);
//! assert_eq!(features.field_presence(), FieldPresence::Explicit);
//! // `option features.field_presence = IMPLICIT;` on the file.
//! let file = FeatureSet {
//!     field_presence: Some(FieldPresence::Implicit as i32),
//!     ..Default::default()
//! };
//! features.merge(Some(&file));
//! assert_eq!(features.field_presence(), FieldPresence::Implicit);
//! ```

use crate::feature_set::proto_limits_feature::EnforceProtoLimits;
use crate::feature_set::visibility_feature::DefaultSymbolVisibility;
use crate::feature_set::{
    EnforceNamingStyle, EnumType, FieldPresence, JsonFormat, MessageEncoding,
    RepeatedFieldEncoding, Utf8Validation,
};
use crate::field_descriptor_proto::{Label, Type};
use crate::{Edition, FeatureSet, FieldDescriptorProto};

/// The resolved core features of one element (descriptor.proto's `FeatureSet` fields 1 to 9).
///
/// Like the enum fields of the descriptor messages, each feature holds its enum's raw number,
/// so that a value no enum variant names (such as an explicitly set `*_UNKNOWN`, 0) survives
/// resolution for the caller to report; the accessors of the same names return the enums.
/// The value is `Copy` and resolution never allocates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResolvedFeatures {
    /// [`FieldPresence`]: whether singular fields track presence.
    pub field_presence: i32,
    /// [`EnumType`]: whether enums are open or closed.
    pub enum_type: i32,
    /// [`RepeatedFieldEncoding`]: whether repeated scalar fields are packed.
    pub repeated_field_encoding: i32,
    /// [`Utf8Validation`]: whether string fields are checked for UTF-8.
    pub utf8_validation: i32,
    /// [`MessageEncoding`]: whether message fields are length-prefixed or delimited.
    pub message_encoding: i32,
    /// [`JsonFormat`]: whether the JSON mapping must be fully supported.
    pub json_format: i32,
    /// [`EnforceNamingStyle`]: which naming style rules protoc enforces.
    pub enforce_naming_style: i32,
    /// [`DefaultSymbolVisibility`]: the visibility of messages and enums without
    /// `export`/`local`.
    pub default_symbol_visibility: i32,
    /// [`EnforceProtoLimits`]: which limits on the size of definitions protoc enforces.
    pub enforce_proto_limits: i32,
}

/// `then` if `condition` holds, else `otherwise`.
const fn pick(condition: bool, then: i32, otherwise: i32) -> i32 {
    if condition { then } else { otherwise }
}

/// Overwrites `slot` with `value` if it is set and `keep` accepts it.
fn apply(slot: &mut i32, value: Option<i32>, keep: impl Fn(i32) -> bool) {
    if let Some(value) = value
        && keep(value)
    {
        *slot = value;
    }
}

impl ResolvedFeatures {
    /// The defaults of `edition` (an [`Edition`] number: proto2 is 998, proto3 999, 2023 is
    /// 1000, ...): the `edition_defaults` of descriptor.proto's `FeatureSet` fields, as protoc
    /// 36.2 compiles them (`protoc --edition_defaults_out`). Editions after the last one known
    /// get the last one's defaults.
    pub const fn edition_defaults(edition: i32) -> ResolvedFeatures {
        const PROTO3: i32 = Edition::Proto3 as i32;
        const E2024: i32 = Edition::Edition2024 as i32;
        const E2026: i32 = Edition::Edition2026 as i32;
        let modern = edition >= PROTO3;
        ResolvedFeatures {
            field_presence: if edition == PROTO3 {
                FieldPresence::Implicit as i32
            } else {
                FieldPresence::Explicit as i32
            },
            enum_type: pick(modern, EnumType::Open as i32, EnumType::Closed as i32),
            repeated_field_encoding: pick(
                modern,
                RepeatedFieldEncoding::Packed as i32,
                RepeatedFieldEncoding::Expanded as i32,
            ),
            utf8_validation: pick(
                modern,
                Utf8Validation::Verify as i32,
                Utf8Validation::None as i32,
            ),
            message_encoding: MessageEncoding::LengthPrefixed as i32,
            json_format: pick(
                modern,
                JsonFormat::Allow as i32,
                JsonFormat::LegacyBestEffort as i32,
            ),
            enforce_naming_style: if edition >= E2026 {
                EnforceNamingStyle::Style2026 as i32
            } else if edition >= E2024 {
                EnforceNamingStyle::Style2024 as i32
            } else {
                EnforceNamingStyle::StyleLegacy as i32
            },
            default_symbol_visibility: if edition >= E2026 {
                DefaultSymbolVisibility::Strict as i32
            } else if edition >= E2024 {
                DefaultSymbolVisibility::ExportTopLevel as i32
            } else {
                DefaultSymbolVisibility::ExportAll as i32
            },
            enforce_proto_limits: if edition >= E2026 {
                EnforceProtoLimits::ProtoLimits2026 as i32
            } else {
                EnforceProtoLimits::LegacyNoExplicitLimits as i32
            },
        }
    }

    /// Overrides every feature `set` sets, whatever its value (protoc's merge: a value that
    /// is not known, such as an explicit `*_UNKNOWN`, is kept for validation to report).
    /// `None` (no `features` on the element's options) changes nothing.
    pub fn merge(&mut self, set: Option<&FeatureSet>) {
        self.merge_where(set, |_, _| true);
    }

    /// Overrides the features `set` sets to a known value (a variant of the feature's enum
    /// other than `*_UNKNOWN`), ignoring the others: for consumers of descriptors that protoc
    /// has already validated (it rejects unknown values), which have no errors to report.
    pub fn merge_known(&mut self, set: Option<&FeatureSet>) {
        self.merge_where(set, |feature, value| {
            value != 0
                && match feature {
                    1 => FieldPresence::try_from(value).is_ok(),
                    2 => EnumType::try_from(value).is_ok(),
                    3 => RepeatedFieldEncoding::try_from(value).is_ok(),
                    4 => Utf8Validation::try_from(value).is_ok(),
                    5 => MessageEncoding::try_from(value).is_ok(),
                    6 => JsonFormat::try_from(value).is_ok(),
                    7 => EnforceNamingStyle::try_from(value).is_ok(),
                    8 => DefaultSymbolVisibility::try_from(value).is_ok(),
                    _ => EnforceProtoLimits::try_from(value).is_ok(),
                }
        });
    }

    /// Overrides the features `set` sets for which `keep(field number, value)` holds.
    fn merge_where(&mut self, set: Option<&FeatureSet>, keep: impl Fn(i32, i32) -> bool) {
        let Some(set) = set else { return };
        apply(&mut self.field_presence, set.field_presence, |v| keep(1, v));
        apply(&mut self.enum_type, set.enum_type, |v| keep(2, v));
        apply(
            &mut self.repeated_field_encoding,
            set.repeated_field_encoding,
            |v| keep(3, v),
        );
        apply(&mut self.utf8_validation, set.utf8_validation, |v| {
            keep(4, v)
        });
        apply(&mut self.message_encoding, set.message_encoding, |v| {
            keep(5, v)
        });
        apply(&mut self.json_format, set.json_format, |v| keep(6, v));
        apply(
            &mut self.enforce_naming_style,
            set.enforce_naming_style,
            |v| keep(7, v),
        );
        apply(
            &mut self.default_symbol_visibility,
            set.default_symbol_visibility,
            |v| keep(8, v),
        );
        apply(
            &mut self.enforce_proto_limits,
            set.enforce_proto_limits,
            |v| keep(9, v),
        );
    }

    /// Applies what the syntax of `field`, declared in a file of `edition`, implies when that
    /// edition is proto2 or proto3 (protoc's `InferLegacyProtoFeatures`): `required` is
    /// `LEGACY_REQUIRED` presence, a group `DELIMITED` encoding, `[packed = true]` `PACKED`
    /// and, in proto3, `[packed = false]` `EXPANDED`. Does nothing from edition 2023 on.
    ///
    /// Call it after merging the field's own features.
    pub fn infer_legacy(&mut self, edition: i32, field: &FieldDescriptorProto) {
        if edition >= Edition::Edition2023 as i32 {
            return;
        }
        if field.label == Some(Label::Required as i32) {
            self.field_presence = FieldPresence::LegacyRequired as i32;
        }
        if field.r#type == Some(Type::Group as i32) {
            self.message_encoding = MessageEncoding::Delimited as i32;
        }
        let packed = field.options.as_ref().and_then(|o| o.packed);
        if packed == Some(true) {
            self.repeated_field_encoding = RepeatedFieldEncoding::Packed as i32;
        }
        if edition == Edition::Proto3 as i32 && packed == Some(false) {
            self.repeated_field_encoding = RepeatedFieldEncoding::Expanded as i32;
        }
    }

    /// The features of `field`, declared in a file of `edition`, whose parent (message, oneof
    /// or, for an extension, its declaring scope) resolved to `self`: the field's own features
    /// merged as [`merge`](Self::merge) does, then [`infer_legacy`](Self::infer_legacy).
    pub fn for_field(mut self, edition: i32, field: &FieldDescriptorProto) -> ResolvedFeatures {
        self.merge(field.options.as_ref().and_then(|o| o.features.as_deref()));
        self.infer_legacy(edition, field);
        self
    }
}

/// Typed accessors: each returns its feature's enum, or its `Unknown` variant (0) for a
/// number the enum does not name.
impl ResolvedFeatures {
    /// The `field_presence` feature.
    pub fn field_presence(&self) -> FieldPresence {
        FieldPresence::try_from(self.field_presence).unwrap_or(FieldPresence::Unknown)
    }

    /// The `enum_type` feature.
    pub fn enum_type(&self) -> EnumType {
        EnumType::try_from(self.enum_type).unwrap_or(EnumType::Unknown)
    }

    /// The `repeated_field_encoding` feature.
    pub fn repeated_field_encoding(&self) -> RepeatedFieldEncoding {
        RepeatedFieldEncoding::try_from(self.repeated_field_encoding)
            .unwrap_or(RepeatedFieldEncoding::Unknown)
    }

    /// The `utf8_validation` feature.
    pub fn utf8_validation(&self) -> Utf8Validation {
        Utf8Validation::try_from(self.utf8_validation).unwrap_or(Utf8Validation::Unknown)
    }

    /// The `message_encoding` feature.
    pub fn message_encoding(&self) -> MessageEncoding {
        MessageEncoding::try_from(self.message_encoding).unwrap_or(MessageEncoding::Unknown)
    }

    /// The `json_format` feature.
    pub fn json_format(&self) -> JsonFormat {
        JsonFormat::try_from(self.json_format).unwrap_or(JsonFormat::Unknown)
    }

    /// The `enforce_naming_style` feature.
    pub fn enforce_naming_style(&self) -> EnforceNamingStyle {
        EnforceNamingStyle::try_from(self.enforce_naming_style)
            .unwrap_or(EnforceNamingStyle::Unknown)
    }

    /// The `default_symbol_visibility` feature.
    pub fn default_symbol_visibility(&self) -> DefaultSymbolVisibility {
        DefaultSymbolVisibility::try_from(self.default_symbol_visibility)
            .unwrap_or(DefaultSymbolVisibility::Unknown)
    }

    /// The `enforce_proto_limits` feature.
    pub fn enforce_proto_limits(&self) -> EnforceProtoLimits {
        EnforceProtoLimits::try_from(self.enforce_proto_limits)
            .unwrap_or(EnforceProtoLimits::ProtoLimitsUnknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldOptions;

    const PROTO2: i32 = Edition::Proto2 as i32;
    const PROTO3: i32 = Edition::Proto3 as i32;
    const E2023: i32 = Edition::Edition2023 as i32;
    const E2024: i32 = Edition::Edition2024 as i32;
    const E2026: i32 = Edition::Edition2026 as i32;

    fn field(label: Label, ty: Type, options: Option<FieldOptions>) -> FieldDescriptorProto {
        FieldDescriptorProto {
            name: Some("f".into()),
            number: Some(1),
            label: Some(label as i32),
            r#type: Some(ty as i32),
            options: options.map(Box::new),
            ..Default::default()
        }
    }

    fn with_features(features: FeatureSet) -> Option<FieldOptions> {
        Some(FieldOptions {
            features: Some(Box::new(features)),
            ..Default::default()
        })
    }

    #[test]
    fn edition_defaults() {
        let p2 = ResolvedFeatures::edition_defaults(PROTO2);
        assert_eq!(p2.field_presence(), FieldPresence::Explicit);
        assert_eq!(p2.enum_type(), EnumType::Closed);
        assert_eq!(
            p2.repeated_field_encoding(),
            RepeatedFieldEncoding::Expanded
        );
        assert_eq!(p2.utf8_validation(), Utf8Validation::None);
        assert_eq!(p2.message_encoding(), MessageEncoding::LengthPrefixed);
        assert_eq!(p2.json_format(), JsonFormat::LegacyBestEffort);
        assert_eq!(p2.enforce_naming_style(), EnforceNamingStyle::StyleLegacy);
        assert_eq!(
            p2.default_symbol_visibility(),
            DefaultSymbolVisibility::ExportAll
        );
        let p3 = ResolvedFeatures::edition_defaults(PROTO3);
        assert_eq!(p3.field_presence(), FieldPresence::Implicit);
        assert_eq!(p3.enum_type(), EnumType::Open);
        assert_eq!(p3.repeated_field_encoding(), RepeatedFieldEncoding::Packed);
        assert_eq!(p3.json_format(), JsonFormat::Allow);
        let e23 = ResolvedFeatures::edition_defaults(E2023);
        assert_eq!(e23.field_presence(), FieldPresence::Explicit);
        assert_eq!(e23.utf8_validation(), Utf8Validation::Verify);
        let e24 = ResolvedFeatures::edition_defaults(E2024);
        assert_eq!(e24.enforce_naming_style(), EnforceNamingStyle::Style2024);
        assert_eq!(
            e24.default_symbol_visibility(),
            DefaultSymbolVisibility::ExportTopLevel
        );
        assert_eq!(
            e24.enforce_proto_limits(),
            EnforceProtoLimits::LegacyNoExplicitLimits
        );
        let e26 = ResolvedFeatures::edition_defaults(E2026);
        assert_eq!(e26.enforce_naming_style(), EnforceNamingStyle::Style2026);
        assert_eq!(
            e26.default_symbol_visibility(),
            DefaultSymbolVisibility::Strict
        );
        assert_eq!(
            e26.enforce_proto_limits(),
            EnforceProtoLimits::ProtoLimits2026
        );
        assert_eq!(ResolvedFeatures::edition_defaults(i32::MAX), e26);
    }

    #[test]
    fn inheritance_chain_overrides() {
        let mut file = ResolvedFeatures::edition_defaults(E2023);
        file.merge(Some(&FeatureSet {
            field_presence: Some(FieldPresence::Implicit as i32),
            ..Default::default()
        }));
        assert_eq!(file.field_presence(), FieldPresence::Implicit);
        let mut message = file;
        message.merge(Some(&FeatureSet {
            repeated_field_encoding: Some(RepeatedFieldEncoding::Expanded as i32),
            ..Default::default()
        }));
        message.merge(None);
        assert_eq!(message.field_presence(), FieldPresence::Implicit);
        let options = with_features(FeatureSet {
            field_presence: Some(FieldPresence::LegacyRequired as i32),
            message_encoding: Some(MessageEncoding::Delimited as i32),
            ..Default::default()
        });
        let f = message.for_field(E2023, &field(Label::Optional, Type::Message, options));
        assert_eq!(f.field_presence(), FieldPresence::LegacyRequired);
        assert_eq!(f.message_encoding(), MessageEncoding::Delimited);
        assert_eq!(f.repeated_field_encoding(), RepeatedFieldEncoding::Expanded);
    }

    #[test]
    fn unknown_values() {
        let set = FeatureSet {
            enum_type: Some(0),
            utf8_validation: Some(1),
            json_format: Some(2),
            ..Default::default()
        };
        let defaults = ResolvedFeatures::edition_defaults(E2023);
        let mut merged = defaults;
        merged.merge(Some(&set));
        assert_eq!(merged.enum_type, 0);
        assert_eq!(merged.enum_type(), EnumType::Unknown);
        assert_eq!(merged.utf8_validation(), Utf8Validation::Unknown);
        let mut known = defaults;
        known.merge_known(Some(&set));
        assert_eq!(known.enum_type(), EnumType::Open);
        assert_eq!(known.utf8_validation(), Utf8Validation::Verify);
        assert_eq!(known.json_format(), JsonFormat::LegacyBestEffort);
    }

    #[test]
    fn legacy_spellings() {
        let p2 = ResolvedFeatures::edition_defaults(PROTO2);
        let req = p2.for_field(PROTO2, &field(Label::Required, Type::Int32, None));
        assert_eq!(req.field_presence(), FieldPresence::LegacyRequired);
        let group = p2.for_field(PROTO2, &field(Label::Optional, Type::Group, None));
        assert_eq!(group.message_encoding(), MessageEncoding::Delimited);
        let packed = FieldOptions {
            packed: Some(true),
            ..Default::default()
        };
        let f = p2.for_field(PROTO2, &field(Label::Repeated, Type::Int32, Some(packed)));
        assert_eq!(f.repeated_field_encoding(), RepeatedFieldEncoding::Packed);
        let unpacked = FieldOptions {
            packed: Some(false),
            ..Default::default()
        };
        // `[packed = false]` is proto2's default already.
        let f = p2.for_field(
            PROTO2,
            &field(Label::Repeated, Type::Int32, Some(unpacked.clone())),
        );
        assert_eq!(f.repeated_field_encoding(), RepeatedFieldEncoding::Expanded);
        let p3 = ResolvedFeatures::edition_defaults(PROTO3);
        let f = p3.for_field(PROTO3, &field(Label::Repeated, Type::Int32, Some(unpacked)));
        assert_eq!(f.repeated_field_encoding(), RepeatedFieldEncoding::Expanded);
        // Other options leave proto3's packed default alone.
        let deprecated = FieldOptions {
            deprecated: Some(true),
            ..Default::default()
        };
        let f = p3.for_field(
            PROTO3,
            &field(Label::Repeated, Type::Int32, Some(deprecated)),
        );
        assert_eq!(f.repeated_field_encoding(), RepeatedFieldEncoding::Packed);
        // Editions spell these as features only.
        let e23 = ResolvedFeatures::edition_defaults(E2023);
        let f = e23.for_field(E2023, &field(Label::Required, Type::Group, None));
        assert_eq!(f, e23);
    }
}
