//! Feature resolution: the semantics of every element come from resolved features, never from
//! the `syntax` string.
//!
//! A file's edition (proto2 and proto3 are editions too) selects a set of defaults, the values
//! in `descriptor.proto`'s `edition_defaults`. Each element inherits its parent's resolved
//! features (file -> message -> nested message -> oneof -> field, file -> enum -> value) and
//! overrides the ones its own `options.features` sets. proto2 and proto3 files cannot set
//! features; their legacy spellings (`required`, groups, `[packed = ...]`) are mapped onto
//! features the way protoc does.
//!
//! Field presence decides `Option<T>` and `required`, repeated field encoding decides
//! `packed = "false"`, message encoding decides `group`. Enum closedness and UTF-8 validation
//! are resolved too, but prost's generated code has a single representation for both cases
//! (enum fields are `i32` that keep unknown values, strings are always validated), so they do
//! not change the output.

use rivet_descriptor::FeatureSet;
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::{FieldDescriptorProto, FileDescriptorProto};

use crate::Error;

/// An edition, or one of the two legacy syntaxes, as numbered in `descriptor.proto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Edition {
    Proto2,
    Proto3,
    E2023,
    E2024,
}

impl Edition {
    /// The edition of a file: `syntax` for legacy files, `edition` for editions files.
    pub(crate) fn of_file(file: &FileDescriptorProto) -> Result<Edition, Error> {
        let unsupported = |what: String| Error::UnsupportedEdition {
            file: file.name().to_owned(),
            edition: what,
        };
        match file.syntax.as_deref() {
            None | Some("") | Some("proto2") => Ok(Edition::Proto2),
            Some("proto3") => Ok(Edition::Proto3),
            Some("editions") => match file.edition {
                Some(1000) => Ok(Edition::E2023),
                Some(1001) => Ok(Edition::E2024),
                Some(other) => Err(unsupported(format!("edition number {other}"))),
                None => Err(unsupported("editions without an edition".to_owned())),
            },
            Some(other) => Err(unsupported(format!("syntax \"{other}\""))),
        }
    }

    /// Whether this is proto2 or proto3, whose features come from legacy syntax.
    fn is_legacy(self) -> bool {
        matches!(self, Edition::Proto2 | Edition::Proto3)
    }
}

/// Whether a singular field tracks presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldPresence {
    Explicit,
    Implicit,
    LegacyRequired,
}

/// Whether unknown enum values are kept in the field (open) or moved to unknown fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnumType {
    Open,
    Closed,
}

/// Wire encoding of repeated scalar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RepeatedFieldEncoding {
    Packed,
    Expanded,
}

/// Whether string fields are checked for UTF-8 when parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Utf8Validation {
    Verify,
    None,
}

/// Wire encoding of message fields: length-prefixed, or delimited by group tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MessageEncoding {
    LengthPrefixed,
    Delimited,
}

/// The features that affect generated code, fully resolved for one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Features {
    pub(crate) field_presence: FieldPresence,
    pub(crate) enum_type: EnumType,
    pub(crate) repeated_field_encoding: RepeatedFieldEncoding,
    pub(crate) utf8_validation: Utf8Validation,
    pub(crate) message_encoding: MessageEncoding,
}

impl Features {
    /// The defaults of an edition (`edition_defaults` in `descriptor.proto`).
    pub(crate) fn defaults(edition: Edition) -> Features {
        match edition {
            Edition::Proto2 => Features {
                field_presence: FieldPresence::Explicit,
                enum_type: EnumType::Closed,
                repeated_field_encoding: RepeatedFieldEncoding::Expanded,
                utf8_validation: Utf8Validation::None,
                message_encoding: MessageEncoding::LengthPrefixed,
            },
            Edition::Proto3 => Features {
                field_presence: FieldPresence::Implicit,
                enum_type: EnumType::Open,
                repeated_field_encoding: RepeatedFieldEncoding::Packed,
                utf8_validation: Utf8Validation::Verify,
                message_encoding: MessageEncoding::LengthPrefixed,
            },
            Edition::E2023 | Edition::E2024 => Features {
                field_presence: FieldPresence::Explicit,
                enum_type: EnumType::Open,
                repeated_field_encoding: RepeatedFieldEncoding::Packed,
                utf8_validation: Utf8Validation::Verify,
                message_encoding: MessageEncoding::LengthPrefixed,
            },
        }
    }

    /// These features with the ones `overrides` sets replaced. Unknown values are ignored
    /// (protoc rejects them before a plugin runs).
    pub(crate) fn merge(mut self, overrides: Option<&FeatureSet>) -> Features {
        let Some(set) = overrides else {
            return self;
        };
        match set.field_presence {
            Some(1) => self.field_presence = FieldPresence::Explicit,
            Some(2) => self.field_presence = FieldPresence::Implicit,
            Some(3) => self.field_presence = FieldPresence::LegacyRequired,
            _ => {}
        }
        match set.enum_type {
            Some(1) => self.enum_type = EnumType::Open,
            Some(2) => self.enum_type = EnumType::Closed,
            _ => {}
        }
        match set.repeated_field_encoding {
            Some(1) => self.repeated_field_encoding = RepeatedFieldEncoding::Packed,
            Some(2) => self.repeated_field_encoding = RepeatedFieldEncoding::Expanded,
            _ => {}
        }
        match set.utf8_validation {
            Some(2) => self.utf8_validation = Utf8Validation::Verify,
            Some(3) => self.utf8_validation = Utf8Validation::None,
            _ => {}
        }
        match set.message_encoding {
            Some(1) => self.message_encoding = MessageEncoding::LengthPrefixed,
            Some(2) => self.message_encoding = MessageEncoding::Delimited,
            _ => {}
        }
        self
    }

    /// Resolves a field's features from its parent's (message, oneof or, for extensions, the
    /// declaring scope), including the legacy proto2/proto3 spellings.
    pub(crate) fn for_field(self, edition: Edition, field: &FieldDescriptorProto) -> Features {
        let options = field.options.as_ref();
        let mut resolved = self.merge(options.and_then(|o| o.features.as_ref()));
        if edition.is_legacy() {
            if field.label() == Label::Required {
                resolved.field_presence = FieldPresence::LegacyRequired;
            }
            if field.r#type() == Type::Group {
                resolved.message_encoding = MessageEncoding::Delimited;
            }
            match options.and_then(|o| o.packed) {
                Some(true) => resolved.repeated_field_encoding = RepeatedFieldEncoding::Packed,
                Some(false) if edition == Edition::Proto3 => {
                    resolved.repeated_field_encoding = RepeatedFieldEncoding::Expanded
                }
                _ => {}
            }
        }
        resolved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rivet_descriptor::FieldOptions;

    fn field(label: Label, ty: Type, options: Option<FieldOptions>) -> FieldDescriptorProto {
        FieldDescriptorProto {
            name: Some("f".into()),
            number: Some(1),
            label: Some(label as i32),
            r#type: Some(ty as i32),
            options,
            ..Default::default()
        }
    }

    #[test]
    fn edition_defaults() {
        let p2 = Features::defaults(Edition::Proto2);
        assert_eq!(p2.field_presence, FieldPresence::Explicit);
        assert_eq!(p2.enum_type, EnumType::Closed);
        assert_eq!(p2.repeated_field_encoding, RepeatedFieldEncoding::Expanded);
        assert_eq!(p2.utf8_validation, Utf8Validation::None);
        let p3 = Features::defaults(Edition::Proto3);
        assert_eq!(p3.field_presence, FieldPresence::Implicit);
        assert_eq!(p3.enum_type, EnumType::Open);
        assert_eq!(p3.repeated_field_encoding, RepeatedFieldEncoding::Packed);
        let e23 = Features::defaults(Edition::E2023);
        assert_eq!(e23.field_presence, FieldPresence::Explicit);
        assert_eq!(e23.utf8_validation, Utf8Validation::Verify);
        assert_eq!(Features::defaults(Edition::E2024), e23);
    }

    #[test]
    fn inheritance_chain_overrides() {
        let file = Features::defaults(Edition::E2023).merge(Some(&FeatureSet {
            field_presence: Some(2),
            ..Default::default()
        }));
        assert_eq!(file.field_presence, FieldPresence::Implicit);
        let message = file.merge(Some(&FeatureSet {
            repeated_field_encoding: Some(2),
            ..Default::default()
        }));
        assert_eq!(message.field_presence, FieldPresence::Implicit);
        let options = FieldOptions {
            features: Some(FeatureSet {
                field_presence: Some(3),
                message_encoding: Some(2),
                ..Default::default()
            }),
            ..Default::default()
        };
        let f = message.for_field(
            Edition::E2023,
            &field(Label::Optional, Type::Message, Some(options)),
        );
        assert_eq!(f.field_presence, FieldPresence::LegacyRequired);
        assert_eq!(f.message_encoding, MessageEncoding::Delimited);
        assert_eq!(f.repeated_field_encoding, RepeatedFieldEncoding::Expanded);
    }

    #[test]
    fn legacy_spellings() {
        let p2 = Features::defaults(Edition::Proto2);
        let req = p2.for_field(Edition::Proto2, &field(Label::Required, Type::Int32, None));
        assert_eq!(req.field_presence, FieldPresence::LegacyRequired);
        let group = p2.for_field(Edition::Proto2, &field(Label::Optional, Type::Group, None));
        assert_eq!(group.message_encoding, MessageEncoding::Delimited);
        let packed = FieldOptions {
            packed: Some(true),
            ..Default::default()
        };
        let f = p2.for_field(
            Edition::Proto2,
            &field(Label::Repeated, Type::Int32, Some(packed)),
        );
        assert_eq!(f.repeated_field_encoding, RepeatedFieldEncoding::Packed);
        let unpacked = FieldOptions {
            packed: Some(false),
            ..Default::default()
        };
        let p3 = Features::defaults(Edition::Proto3);
        let f = p3.for_field(
            Edition::Proto3,
            &field(Label::Repeated, Type::Int32, Some(unpacked.clone())),
        );
        assert_eq!(f.repeated_field_encoding, RepeatedFieldEncoding::Expanded);
        // Other options leave proto3's packed default alone.
        let deprecated = FieldOptions {
            deprecated: Some(true),
            ..Default::default()
        };
        let f = p3.for_field(
            Edition::Proto3,
            &field(Label::Repeated, Type::Int32, Some(deprecated)),
        );
        assert_eq!(f.repeated_field_encoding, RepeatedFieldEncoding::Packed);
    }
}
