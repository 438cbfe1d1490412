//! How a field is encoded, from its declaration: type, packedness and presence, resolved from
//! the declaring file's syntax or edition features as protobuf defines them.

use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::{FeatureSet, FieldDescriptorProto, FileDescriptorProto};

use crate::lower::Syntax;
use crate::pool::Pool;

/// The encoding-relevant facts about a field.
#[derive(Clone, Debug)]
pub(crate) struct FieldSchema {
    pub number: i32,
    pub ty: Type,
    pub repeated: bool,
    /// Repeated scalars written as one length-delimited run.
    pub packed: bool,
    /// A singular scalar without presence: its default value is not serialized.
    pub implicit_presence: bool,
    /// `retention = RETENTION_SOURCE`.
    pub source_retention: bool,
    /// Full name (no leading dot) of the message or enum type.
    pub type_name: Option<String>,
    /// The index of the oneof declaring the field (never set for extensions).
    pub oneof: Option<i32>,
}

/// Where a field is declared: the file's syntax, the file (if available) and the path of the
/// message containing the declaration (empty for file-level extensions).
#[derive(Clone, Copy)]
pub(crate) struct Site<'a> {
    pub syntax: Syntax,
    pub file: Option<&'a FileDescriptorProto>,
    pub scope_path: &'a [i32],
}

/// The schema of `field` declared at `site`.
pub(crate) fn field_schema(field: &FieldDescriptorProto, site: Site<'_>) -> FieldSchema {
    let mut ty = Type::try_from(field.r#type.unwrap_or(0)).unwrap_or(Type::Message);
    // A message field resolved to `message_encoding = DELIMITED` (2) is encoded as a group,
    // unless it belongs to a map entry or its type is one. (Features set in a proto2 or proto3
    // file are an error, but protoc still resolves them, and interprets custom options with
    // the result: hence the explicit features count under every syntax.)
    if ty == Type::Message
        && resolved_feature(field, site, |f| f.message_encoding) == Some(2)
        && !map_entry_related(field, site)
    {
        ty = Type::Group;
    }
    let repeated = field.label == Some(Label::Repeated as i32);
    let is_message = matches!(ty, Type::Message | Type::Group);
    let packable = !is_message && !matches!(ty, Type::String | Type::Bytes);
    let options = field.options.as_ref();
    let packed = repeated
        && packable
        && match options.and_then(|o| o.packed) {
            Some(packed) => packed,
            // repeated_field_encoding: 1 = PACKED (the editions default), 2 = EXPANDED.
            None => match resolved_feature(field, site, |f| f.repeated_field_encoding) {
                Some(encoding) => encoding != 2,
                None => site.syntax != Syntax::Proto2,
            },
        };
    let singular_scalar = !repeated
        && !is_message
        && field.extendee.is_none()
        && field.oneof_index.is_none()
        && field.proto3_optional != Some(true);
    // field_presence: 2 = IMPLICIT (the editions default is EXPLICIT, proto3's IMPLICIT).
    let implicit_presence = singular_scalar
        && match resolved_feature(field, site, |f| f.field_presence) {
            Some(presence) => presence == 2,
            None => site.syntax == Syntax::Proto3,
        };
    FieldSchema {
        number: field.number(),
        ty,
        repeated,
        packed,
        implicit_presence,
        source_retention: options.and_then(|o| o.retention) == Some(2),
        type_name: field
            .type_name
            .as_deref()
            .map(|n| n.trim_start_matches('.').to_string()),
        oneof: field.oneof_index.filter(|_| field.extendee.is_none()),
    }
}

/// Whether `field` is declared in a map entry or has a map entry as its type (map entries are
/// declared next to the field using them).
fn map_entry_related(field: &FieldDescriptorProto, site: Site<'_>) -> bool {
    if field.extendee.is_some() {
        return false;
    }
    let Some(message) = site
        .file
        .and_then(|proto| Pool::message_at(proto, site.scope_path))
    else {
        return false;
    };
    let is_map_entry = |m: &rivet_descriptor::DescriptorProto| {
        m.options.as_ref().and_then(|o| o.map_entry) == Some(true)
    };
    let type_short_name = field.type_name().rsplit('.').next().unwrap_or_default();
    is_map_entry(message)
        || message
            .nested_type
            .iter()
            .any(|nested| nested.name() == type_short_name && is_map_entry(nested))
}

/// The value of a feature set explicitly on the field or its enclosing oneof, messages or
/// file.
fn resolved_feature(
    field: &FieldDescriptorProto,
    site: Site<'_>,
    get: impl Fn(&FeatureSet) -> Option<i32>,
) -> Option<i32> {
    let explicit = |features: Option<&FeatureSet>| features.and_then(&get);
    if let Some(value) = explicit(field.options.as_ref().and_then(|o| o.features.as_deref())) {
        return Some(value);
    }
    let proto = site.file?;
    if field.extendee.is_none()
        && let Some(oneof) = field.oneof_index
        && field.proto3_optional != Some(true)
        && let Some(message) = Pool::message_at(proto, site.scope_path)
        && let Some(decl) = message.oneof_decl.get(oneof as usize)
        && let Some(value) = explicit(decl.options.as_ref().and_then(|o| o.features.as_deref()))
    {
        return Some(value);
    }
    let mut path = site.scope_path.to_vec();
    while path.len() >= 2 {
        if let Some(message) = Pool::message_at(proto, &path)
            && let Some(value) =
                explicit(message.options.as_ref().and_then(|o| o.features.as_deref()))
        {
            return Some(value);
        }
        path.truncate(path.len() - 2);
    }
    explicit(proto.options.as_ref().and_then(|o| o.features.as_deref()))
}
