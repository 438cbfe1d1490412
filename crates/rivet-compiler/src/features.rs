//! Editions features as protoc resolves them (`FeatureResolver`): each element's features are
//! its edition's defaults, overridden by the features set on the file and on every enclosing
//! element, then on the element itself. proto2 and proto3 are editions too: their files may not
//! set features, but some of their syntax implies features (`required`, groups, `packed`).

use rivet_descriptor::{
    DescriptorProto, FeatureSet, FieldDescriptorProto, FileDescriptorProto,
    field_descriptor_proto::{Label, Type},
};

use crate::lower::{Syntax, tag};

/// `Edition` numbers (descriptor.proto).
pub(crate) mod edition {
    pub const PROTO2: i32 = 998;
    pub const PROTO3: i32 = 999;
    pub const E2023: i32 = 1000;
    pub const E2024: i32 = 1001;
    pub const E2026: i32 = 1002;
}

/// Values of the core features (the enum numbers of descriptor.proto's `FeatureSet`).
pub(crate) mod value {
    pub const EXPLICIT: i32 = 1;
    pub const IMPLICIT: i32 = 2;
    pub const LEGACY_REQUIRED: i32 = 3;
    pub const OPEN: i32 = 1;
    pub const CLOSED: i32 = 2;
    pub const PACKED: i32 = 1;
    pub const EXPANDED: i32 = 2;
    pub const VERIFY: i32 = 2;
    pub const NONE: i32 = 3;
    pub const LENGTH_PREFIXED: i32 = 1;
    pub const DELIMITED: i32 = 2;
    pub const ALLOW: i32 = 1;
    pub const LEGACY_BEST_EFFORT: i32 = 2;
    pub const STYLE2024: i32 = 1;
    pub const STYLE_LEGACY: i32 = 2;
    pub const STYLE2026: i32 = 3;
    pub const EXPORT_ALL: i32 = 1;
    pub const EXPORT_TOP_LEVEL: i32 = 2;
    pub const STRICT: i32 = 4;
    pub const LEGACY_NO_EXPLICIT_LIMITS: i32 = 1;
    pub const PROTO_LIMITS2026: i32 = 2;
}

/// The edition number of a file's syntax.
pub(crate) fn edition_of(syntax: Syntax) -> i32 {
    match syntax {
        Syntax::Proto2 => edition::PROTO2,
        Syntax::Proto3 => edition::PROTO3,
        Syntax::Editions(edition) => edition,
    }
}

/// The resolved core features of an element (0: unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Features {
    pub field_presence: i32,
    pub enum_type: i32,
    pub repeated_field_encoding: i32,
    pub utf8_validation: i32,
    pub message_encoding: i32,
    pub json_format: i32,
    pub enforce_naming_style: i32,
    pub default_symbol_visibility: i32,
    pub enforce_proto_limits: i32,
}

impl Features {
    /// The defaults of `edition` (descriptor.proto's `edition_defaults`).
    pub(crate) fn defaults(edition: i32) -> Features {
        use value::*;
        let modern = edition >= edition::PROTO3;
        Features {
            field_presence: if edition == edition::PROTO3 {
                IMPLICIT
            } else {
                EXPLICIT
            },
            enum_type: if modern { OPEN } else { CLOSED },
            repeated_field_encoding: if modern { PACKED } else { EXPANDED },
            utf8_validation: if modern { VERIFY } else { NONE },
            message_encoding: LENGTH_PREFIXED,
            json_format: if modern { ALLOW } else { LEGACY_BEST_EFFORT },
            enforce_naming_style: if edition >= edition::E2026 {
                STYLE2026
            } else if edition >= edition::E2024 {
                STYLE2024
            } else {
                STYLE_LEGACY
            },
            default_symbol_visibility: if edition >= edition::E2026 {
                STRICT
            } else if edition >= edition::E2024 {
                EXPORT_TOP_LEVEL
            } else {
                EXPORT_ALL
            },
            enforce_proto_limits: if edition >= edition::E2026 {
                PROTO_LIMITS2026
            } else {
                LEGACY_NO_EXPLICIT_LIMITS
            },
        }
    }

    /// Overrides the features `set` sets.
    pub(crate) fn merge(&mut self, set: Option<&FeatureSet>) {
        let Some(set) = set else { return };
        let apply = |slot: &mut i32, value: Option<i32>| {
            if let Some(value) = value {
                *slot = value;
            }
        };
        apply(&mut self.field_presence, set.field_presence);
        apply(&mut self.enum_type, set.enum_type);
        apply(
            &mut self.repeated_field_encoding,
            set.repeated_field_encoding,
        );
        apply(&mut self.utf8_validation, set.utf8_validation);
        apply(&mut self.message_encoding, set.message_encoding);
        apply(&mut self.json_format, set.json_format);
        apply(&mut self.enforce_naming_style, set.enforce_naming_style);
        apply(
            &mut self.default_symbol_visibility,
            set.default_symbol_visibility,
        );
        apply(&mut self.enforce_proto_limits, set.enforce_proto_limits);
    }

    /// Applies what a proto2/proto3 field's syntax implies (protoc's
    /// `InferLegacyProtoFeatures`).
    pub(crate) fn infer_legacy(&mut self, edition: i32, field: &FieldDescriptorProto) {
        if edition >= edition::E2023 {
            return;
        }
        if field.label == Some(Label::Required as i32) {
            self.field_presence = value::LEGACY_REQUIRED;
        }
        if field.r#type == Some(Type::Group as i32) {
            self.message_encoding = value::DELIMITED;
        }
        let packed = field.options.as_ref().and_then(|o| o.packed);
        if packed == Some(true) {
            self.repeated_field_encoding = value::PACKED;
        }
        if edition == edition::PROTO3 && packed == Some(false) {
            self.repeated_field_encoding = value::EXPANDED;
        }
    }

    /// The first core feature that resolved to its `*_UNKNOWN` value, as protoc's
    /// `ValidateMergedFeatures` reports it.
    pub(crate) fn unknown_feature(&self) -> Option<String> {
        let checks: [(i32, &str, &str, &[i32]); 9] = [
            (
                self.field_presence,
                "field_presence",
                "FIELD_PRESENCE",
                &[1, 2, 3],
            ),
            (self.enum_type, "enum_type", "ENUM_TYPE", &[1, 2]),
            (
                self.repeated_field_encoding,
                "repeated_field_encoding",
                "REPEATED_FIELD_ENCODING",
                &[1, 2],
            ),
            (
                self.utf8_validation,
                "utf8_validation",
                "UTF8_VALIDATION",
                &[2, 3],
            ),
            (
                self.message_encoding,
                "message_encoding",
                "MESSAGE_ENCODING",
                &[1, 2],
            ),
            (self.json_format, "json_format", "JSON_FORMAT", &[1, 2]),
            (
                self.enforce_naming_style,
                "enforce_naming_style",
                "ENFORCE_NAMING_STYLE",
                &[1, 2, 3],
            ),
            (
                self.default_symbol_visibility,
                "default_symbol_visibility",
                "VisibilityFeature::DEFAULT_SYMBOL_VISIBILITY",
                &[1, 2, 3, 4],
            ),
            (
                self.enforce_proto_limits,
                "enforce_proto_limits",
                "ProtoLimitsFeature::PROTO_LIMITS",
                &[1, 2],
            ),
        ];
        checks
            .into_iter()
            .find(|(value, _, _, known)| !known.contains(value))
            .map(|(_, field, upper, _)| {
                format!(
                    "Feature field `{field}` must resolve to a known value, found {upper}_UNKNOWN"
                )
            })
    }
}

fn message_features(message: &DescriptorProto) -> Option<&FeatureSet> {
    message.options.as_ref()?.features.as_ref()
}

fn field_features(field: &FieldDescriptorProto) -> Option<&FeatureSet> {
    field.options.as_ref()?.features.as_ref()
}

/// The resolved features of the element at `path` (a `SourceCodeInfo` path: `[4, 0, 2, 1]` is
/// field 1 of message 0) in `proto`, a file of syntax `syntax`. Paths naming no element resolve
/// to the features of the deepest element they do name.
pub(crate) fn resolve(proto: &FileDescriptorProto, syntax: Syntax, path: &[i32]) -> Features {
    let edition = edition_of(syntax);
    let mut features = Features::defaults(edition);
    features.merge(proto.options.as_ref().and_then(|o| o.features.as_ref()));
    let mut message: Option<&DescriptorProto> = None;
    let mut rest = path;
    while let [field, index, tail @ ..] = rest {
        let index = *index as usize;
        rest = tail;
        match (message, *field) {
            (None, tag::FILE_MESSAGE) | (Some(_), tag::MESSAGE_NESTED) => {
                let list = match message {
                    None => &proto.message_type,
                    Some(m) => &m.nested_type,
                };
                let Some(m) = list.get(index) else { break };
                features.merge(message_features(m));
                message = Some(m);
            }
            (None, tag::FILE_ENUM) | (Some(_), tag::MESSAGE_ENUM) => {
                let list = match message {
                    None => &proto.enum_type,
                    Some(m) => &m.enum_type,
                };
                let Some(e) = list.get(index) else { break };
                features.merge(e.options.as_ref().and_then(|o| o.features.as_ref()));
                if let [tag::ENUM_VALUE, value, ..] = rest
                    && let Some(v) = e.value.get(*value as usize)
                {
                    features.merge(v.options.as_ref().and_then(|o| o.features.as_ref()));
                }
                break;
            }
            (None, tag::FILE_SERVICE) => {
                let Some(s) = proto.service.get(index) else {
                    break;
                };
                features.merge(s.options.as_ref().and_then(|o| o.features.as_ref()));
                if let [tag::SERVICE_METHOD, method, ..] = rest
                    && let Some(m) = s.method.get(*method as usize)
                {
                    features.merge(m.options.as_ref().and_then(|o| o.features.as_ref()));
                }
                break;
            }
            (None, tag::FILE_EXTENSION) | (Some(_), tag::MESSAGE_EXTENSION) => {
                let list = match message {
                    None => &proto.extension,
                    Some(m) => &m.extension,
                };
                if let Some(f) = list.get(index) {
                    features.merge(field_features(f));
                    features.infer_legacy(edition, f);
                }
                break;
            }
            (Some(m), tag::MESSAGE_FIELD) => {
                if let Some(f) = m.field.get(index) {
                    if let Some(oneof) = f.oneof_index.and_then(|i| m.oneof_decl.get(i as usize)) {
                        features.merge(oneof.options.as_ref().and_then(|o| o.features.as_ref()));
                    }
                    features.merge(field_features(f));
                    features.infer_legacy(edition, f);
                }
                break;
            }
            (Some(m), tag::MESSAGE_ONEOF) => {
                if let Some(o) = m.oneof_decl.get(index) {
                    features.merge(o.options.as_ref().and_then(|o| o.features.as_ref()));
                }
                break;
            }
            (Some(m), tag::MESSAGE_EXTENSION_RANGE) => {
                if let Some(r) = m.extension_range.get(index) {
                    features.merge(r.options.as_ref().and_then(|o| o.features.as_ref()));
                }
                break;
            }
            _ => break,
        }
    }
    features
}

/// protoc's feature resolution (`ResolveFeatures` on every element of a file, in
/// `VisitDescriptors` order), which runs between its two option passes with the features the
/// first pass set: an element of a proto2/proto3 file may not set features, and the features an
/// element sets (the file's always merged) must leave every core feature at a known value.
///
/// An element's merged features are the edition defaults, then its parent's merged features
/// (known values, or none at all after a failed merge), then its own: so a merge fails only on
/// values the element sets itself, and the defaults can stand in for the parent.
pub(crate) fn resolution_errors(
    proto: &FileDescriptorProto,
    syntax: Syntax,
) -> Vec<crate::link::LinkError> {
    let mut resolver = Resolution {
        edition: edition_of(syntax),
        path: Vec::new(),
        errors: Vec::new(),
    };
    resolver.file(proto);
    resolver.errors
}

/// The state of [`resolution_errors`].
struct Resolution {
    edition: i32,
    path: Vec<i32>,
    errors: Vec<crate::link::LinkError>,
}

impl Resolution {
    /// Resolves the element at the current path: `own` is the feature set of its options (if
    /// any), `field` the field whose syntax implies features in proto2/proto3.
    fn element(
        &mut self,
        own: Option<&FeatureSet>,
        field: Option<&FieldDescriptorProto>,
        is_file: bool,
    ) {
        use crate::lower::ErrorKind;
        let kind = if is_file {
            ErrorKind::Editions
        } else {
            ErrorKind::Name
        };
        if self.edition < edition::E2023 && own.is_some() {
            self.error(
                kind.clone(),
                "Features are only valid under editions.".into(),
            );
        }
        // Elements that set nothing (and imply nothing) keep their parent's features.
        if own.is_none() && !is_file && field.is_none() {
            return;
        }
        let mut merged = Features::defaults(self.edition);
        merged.merge(own);
        if let Some(field) = field {
            merged.infer_legacy(self.edition, field);
        }
        if let Some(message) = merged.unknown_feature() {
            self.error(kind, message);
        }
    }

    fn error(&mut self, kind: crate::lower::ErrorKind, message: String) {
        self.errors.push(crate::link::LinkError {
            path: self.path.clone(),
            kind,
            message,
            level: crate::link::Level::Error,
        });
    }

    /// Runs `f` on the child `index` of the current element's list `field`.
    fn child(&mut self, field: i32, index: usize, f: impl FnOnce(&mut Self)) {
        self.path.extend([field, index as i32]);
        f(self);
        self.path.truncate(self.path.len() - 2);
    }

    fn file(&mut self, proto: &FileDescriptorProto) {
        let own = proto.options.as_ref().and_then(|o| o.features.as_ref());
        self.element(own, None, true);
        for (i, message) in proto.message_type.iter().enumerate() {
            self.child(tag::FILE_MESSAGE, i, |r| r.message(message));
        }
        for (i, enum_) in proto.enum_type.iter().enumerate() {
            self.child(tag::FILE_ENUM, i, |r| r.enum_(enum_));
        }
        for (i, extension) in proto.extension.iter().enumerate() {
            self.child(tag::FILE_EXTENSION, i, |r| r.field(extension));
        }
        for (i, service) in proto.service.iter().enumerate() {
            self.child(tag::FILE_SERVICE, i, |r| {
                let own = service.options.as_ref().and_then(|o| o.features.as_ref());
                r.element(own, None, false);
                for (j, method) in service.method.iter().enumerate() {
                    r.child(tag::SERVICE_METHOD, j, |r| {
                        let own = method.options.as_ref().and_then(|o| o.features.as_ref());
                        r.element(own, None, false);
                    });
                }
            });
        }
    }

    fn message(&mut self, message: &DescriptorProto) {
        self.element(message_features(message), None, false);
        for (i, enum_) in message.enum_type.iter().enumerate() {
            self.child(tag::MESSAGE_ENUM, i, |r| r.enum_(enum_));
        }
        for (i, oneof) in message.oneof_decl.iter().enumerate() {
            self.child(tag::MESSAGE_ONEOF, i, |r| {
                let own = oneof.options.as_ref().and_then(|o| o.features.as_ref());
                r.element(own, None, false);
            });
        }
        for (i, field) in message.field.iter().enumerate() {
            self.child(tag::MESSAGE_FIELD, i, |r| r.field(field));
        }
        for (i, nested) in message.nested_type.iter().enumerate() {
            self.child(tag::MESSAGE_NESTED, i, |r| r.message(nested));
        }
        for (i, extension) in message.extension.iter().enumerate() {
            self.child(tag::MESSAGE_EXTENSION, i, |r| r.field(extension));
        }
        for (i, range) in message.extension_range.iter().enumerate() {
            self.child(tag::MESSAGE_EXTENSION_RANGE, i, |r| {
                let own = range.options.as_ref().and_then(|o| o.features.as_ref());
                r.element(own, None, false);
            });
        }
    }

    fn enum_(&mut self, enum_: &rivet_descriptor::EnumDescriptorProto) {
        let own = enum_.options.as_ref().and_then(|o| o.features.as_ref());
        self.element(own, None, false);
        for (i, value) in enum_.value.iter().enumerate() {
            self.child(tag::ENUM_VALUE, i, |r| {
                let own = value.options.as_ref().and_then(|o| o.features.as_ref());
                r.element(own, None, false);
            });
        }
    }

    fn field(&mut self, field: &FieldDescriptorProto) {
        self.element(field_features(field), Some(field), false);
    }
}
