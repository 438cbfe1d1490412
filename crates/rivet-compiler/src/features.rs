//! Editions features of the compiler's elements: resolution by element path (the edition
//! defaults, merging and the legacy proto2/proto3 inference are `rivet_descriptor`'s
//! [`ResolvedFeatures`]) and protoc's feature resolution errors.

use rivet_descriptor::{
    DescriptorProto, FeatureSet, FieldDescriptorProto, FileDescriptorProto, ResolvedFeatures,
};

use crate::lower::{Syntax, tag};

/// `Edition` numbers (descriptor.proto).
pub(crate) mod edition {
    use rivet_descriptor::Edition;

    pub const PROTO2: i32 = Edition::Proto2 as i32;
    pub const PROTO3: i32 = Edition::Proto3 as i32;
    pub const E2023: i32 = Edition::Edition2023 as i32;
    pub const E2024: i32 = Edition::Edition2024 as i32;
    pub const E2026: i32 = Edition::Edition2026 as i32;
}

/// Values of the core features (the enum numbers of descriptor.proto's `FeatureSet`), for
/// comparisons with the raw numbers [`ResolvedFeatures`] holds.
pub(crate) mod value {
    use rivet_descriptor::feature_set::{
        EnforceNamingStyle, EnumType, FieldPresence, JsonFormat, MessageEncoding,
        RepeatedFieldEncoding, proto_limits_feature::EnforceProtoLimits,
        visibility_feature::DefaultSymbolVisibility,
    };

    pub const IMPLICIT: i32 = FieldPresence::Implicit as i32;
    pub const LEGACY_REQUIRED: i32 = FieldPresence::LegacyRequired as i32;
    pub const CLOSED: i32 = EnumType::Closed as i32;
    pub const PACKED: i32 = RepeatedFieldEncoding::Packed as i32;
    pub const DELIMITED: i32 = MessageEncoding::Delimited as i32;
    pub const LEGACY_BEST_EFFORT: i32 = JsonFormat::LegacyBestEffort as i32;
    pub const STYLE2024: i32 = EnforceNamingStyle::Style2024 as i32;
    pub const STYLE_LEGACY: i32 = EnforceNamingStyle::StyleLegacy as i32;
    pub const STYLE2026: i32 = EnforceNamingStyle::Style2026 as i32;
    pub const EXPORT_TOP_LEVEL: i32 = DefaultSymbolVisibility::ExportTopLevel as i32;
    pub const STRICT: i32 = DefaultSymbolVisibility::Strict as i32;
    pub const LEGACY_NO_EXPLICIT_LIMITS: i32 = EnforceProtoLimits::LegacyNoExplicitLimits as i32;
}

/// The edition number of a file's syntax.
pub(crate) fn edition_of(syntax: Syntax) -> i32 {
    match syntax {
        Syntax::Proto2 => edition::PROTO2,
        Syntax::Proto3 => edition::PROTO3,
        Syntax::Editions(edition) => edition,
    }
}

/// The first core feature of `features` that resolved to its `*_UNKNOWN` value (or any
/// number its enum does not name), as protoc's `ValidateMergedFeatures` reports it.
pub(crate) fn unknown_feature(features: &ResolvedFeatures) -> Option<String> {
    let checks: [(i32, &str, &str, &[i32]); 9] = [
        (
            features.field_presence,
            "field_presence",
            "FIELD_PRESENCE",
            &[1, 2, 3],
        ),
        (features.enum_type, "enum_type", "ENUM_TYPE", &[1, 2]),
        (
            features.repeated_field_encoding,
            "repeated_field_encoding",
            "REPEATED_FIELD_ENCODING",
            &[1, 2],
        ),
        (
            features.utf8_validation,
            "utf8_validation",
            "UTF8_VALIDATION",
            &[2, 3],
        ),
        (
            features.message_encoding,
            "message_encoding",
            "MESSAGE_ENCODING",
            &[1, 2],
        ),
        (features.json_format, "json_format", "JSON_FORMAT", &[1, 2]),
        (
            features.enforce_naming_style,
            "enforce_naming_style",
            "ENFORCE_NAMING_STYLE",
            &[1, 2, 3],
        ),
        (
            features.default_symbol_visibility,
            "default_symbol_visibility",
            "VisibilityFeature::DEFAULT_SYMBOL_VISIBILITY",
            &[1, 2, 3, 4],
        ),
        (
            features.enforce_proto_limits,
            "enforce_proto_limits",
            "ProtoLimitsFeature::PROTO_LIMITS",
            &[1, 2],
        ),
    ];
    checks
        .into_iter()
        .find(|(value, _, _, known)| !known.contains(value))
        .map(|(_, field, upper, _)| {
            format!("Feature field `{field}` must resolve to a known value, found {upper}_UNKNOWN")
        })
}

fn message_features(message: &DescriptorProto) -> Option<&FeatureSet> {
    message.options.as_ref()?.features.as_deref()
}

fn field_features(field: &FieldDescriptorProto) -> Option<&FeatureSet> {
    field.options.as_ref()?.features.as_deref()
}

/// Whether field `index` of the message at `message_path` in `proto` (a file of `syntax`) is
/// required by its resolved presence, `LEGACY_REQUIRED` (editions only: set on the field or
/// inherited from its message or file).
pub(crate) fn legacy_required(
    proto: &FileDescriptorProto,
    syntax: Syntax,
    message_path: &[i32],
    index: usize,
) -> bool {
    if !matches!(syntax, Syntax::Editions(_)) {
        return false;
    }
    let mut field_path = message_path.to_vec();
    field_path.extend([crate::lower::tag::MESSAGE_FIELD, index as i32]);
    resolve(proto, syntax, &field_path).field_presence == value::LEGACY_REQUIRED
}

/// The resolved features of the element at `path` (a `SourceCodeInfo` path: `[4, 0, 2, 1]` is
/// field 1 of message 0) in `proto`, a file of syntax `syntax`. Paths naming no element resolve
/// to the features of the deepest element they do name.
pub(crate) fn resolve(
    proto: &FileDescriptorProto,
    syntax: Syntax,
    path: &[i32],
) -> ResolvedFeatures {
    let edition = edition_of(syntax);
    let mut features = ResolvedFeatures::edition_defaults(edition);
    features.merge(proto.options.as_ref().and_then(|o| o.features.as_deref()));
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
                features.merge(e.options.as_ref().and_then(|o| o.features.as_deref()));
                if let [tag::ENUM_VALUE, value, ..] = rest
                    && let Some(v) = e.value.get(*value as usize)
                {
                    features.merge(v.options.as_ref().and_then(|o| o.features.as_deref()));
                }
                break;
            }
            (None, tag::FILE_SERVICE) => {
                let Some(s) = proto.service.get(index) else {
                    break;
                };
                features.merge(s.options.as_ref().and_then(|o| o.features.as_deref()));
                if let [tag::SERVICE_METHOD, method, ..] = rest
                    && let Some(m) = s.method.get(*method as usize)
                {
                    features.merge(m.options.as_ref().and_then(|o| o.features.as_deref()));
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
                        features.merge(oneof.options.as_ref().and_then(|o| o.features.as_deref()));
                    }
                    features.merge(field_features(f));
                    features.infer_legacy(edition, f);
                }
                break;
            }
            (Some(m), tag::MESSAGE_ONEOF) => {
                if let Some(o) = m.oneof_decl.get(index) {
                    features.merge(o.options.as_ref().and_then(|o| o.features.as_deref()));
                }
                break;
            }
            (Some(m), tag::MESSAGE_EXTENSION_RANGE) => {
                if let Some(r) = m.extension_range.get(index) {
                    features.merge(r.options.as_ref().and_then(|o| o.features.as_deref()));
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
        let mut merged = ResolvedFeatures::edition_defaults(self.edition);
        merged.merge(own);
        if let Some(field) = field {
            merged.infer_legacy(self.edition, field);
        }
        if let Some(message) = unknown_feature(&merged) {
            self.error(kind, message);
        }
    }

    fn error(&mut self, kind: crate::lower::ErrorKind, message: String) {
        self.errors.push(crate::link::LinkError {
            path: self.path.clone(),
            kind,
            message: message.into(),
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
        let own = proto.options.as_ref().and_then(|o| o.features.as_deref());
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
                let own = service.options.as_ref().and_then(|o| o.features.as_deref());
                r.element(own, None, false);
                for (j, method) in service.method.iter().enumerate() {
                    r.child(tag::SERVICE_METHOD, j, |r| {
                        let own = method.options.as_ref().and_then(|o| o.features.as_deref());
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
                let own = oneof.options.as_ref().and_then(|o| o.features.as_deref());
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
                let own = range.options.as_ref().and_then(|o| o.features.as_deref());
                r.element(own, None, false);
            });
        }
    }

    fn enum_(&mut self, enum_: &rivet_descriptor::EnumDescriptorProto) {
        let own = enum_.options.as_ref().and_then(|o| o.features.as_deref());
        self.element(own, None, false);
        for (i, value) in enum_.value.iter().enumerate() {
            self.child(tag::ENUM_VALUE, i, |r| {
                let own = value.options.as_ref().and_then(|o| o.features.as_deref());
                r.element(own, None, false);
            });
        }
    }

    fn field(&mut self, field: &FieldDescriptorProto) {
        self.element(field_features(field), Some(field), false);
    }
}
