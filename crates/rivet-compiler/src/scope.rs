//! Navigation from a location path (`[4, 0, 2, 1]`) to the element it names: its full name and
//! its options.

use prost::Message;
use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, EnumOptions, EnumValueOptions, ExtensionRangeOptions,
    FieldDescriptorProto, FieldOptions, FileDescriptorProto, FileOptions, MessageOptions,
    MethodOptions, OneofOptions, ServiceOptions,
};

use crate::lower::{OptionsKind, tag};
use crate::options::compiled_in::ReadBack;
use crate::options::merge_options;
use crate::validate::join;

/// The full name protoc uses as the name scope of the options of the element at `path`.
pub(crate) fn element_full_name(
    proto: &FileDescriptorProto,
    path: &[i32],
    kind: OptionsKind,
) -> String {
    let package = proto.package.clone().unwrap_or_default();
    if kind == OptionsKind::File {
        return join(&package, "dummy");
    }
    let mut scope = package;
    let mut message: Option<&DescriptorProto> = None;
    let mut enum_: Option<&EnumDescriptorProto> = None;
    let mut rest = path;
    while let [field, index, tail @ ..] = rest {
        let index = *index as usize;
        let name: Option<String> = match (message, enum_, *field) {
            (None, None, tag::FILE_MESSAGE) => {
                message = proto.message_type.get(index);
                message.map(|m| m.name().to_string())
            }
            (None, None, tag::FILE_ENUM) => {
                enum_ = proto.enum_type.get(index);
                enum_.map(|e| e.name().to_string())
            }
            (None, None, tag::FILE_SERVICE) => {
                let service = proto.service.get(index);
                if let [tag::SERVICE_METHOD, method, ..] = tail {
                    let service = service.map(|s| s.name().to_string()).unwrap_or_default();
                    let method = proto.service[index].method.get(*method as usize);
                    return join(
                        &join(&scope, &service),
                        method.map(|m| m.name()).unwrap_or(""),
                    );
                }
                service.map(|s| s.name().to_string())
            }
            (None, None, tag::FILE_EXTENSION) => {
                proto.extension.get(index).map(|f| f.name().to_string())
            }
            (Some(m), _, tag::MESSAGE_NESTED) => {
                message = m.nested_type.get(index);
                message.map(|m| m.name().to_string())
            }
            (Some(m), _, tag::MESSAGE_ENUM) => {
                enum_ = m.enum_type.get(index);
                message = None;
                enum_.map(|e| e.name().to_string())
            }
            (Some(m), _, tag::MESSAGE_FIELD) => m.field.get(index).map(|f| f.name().to_string()),
            (Some(m), _, tag::MESSAGE_EXTENSION) => {
                m.extension.get(index).map(|f| f.name().to_string())
            }
            (Some(m), _, tag::MESSAGE_ONEOF) => {
                m.oneof_decl.get(index).map(|o| o.name().to_string())
            }
            // An extension range's scope is its message.
            (Some(_), _, tag::MESSAGE_EXTENSION_RANGE) => return scope,
            (None, Some(e), tag::ENUM_VALUE) => {
                // Enum values are siblings of their enum.
                let value = e
                    .value
                    .get(index)
                    .map(|v| v.name().to_string())
                    .unwrap_or_default();
                let parent = scope
                    .rsplit_once('.')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default();
                return join(&parent, &value);
            }
            _ => None,
        };
        scope = join(&scope, &name.unwrap_or_default());
        rest = tail;
    }
    scope
}

/// A mutable reference to the options of some element.
pub(crate) enum ElementOptions<'a> {
    File(&'a mut Option<FileOptions>),
    Message(&'a mut Option<MessageOptions>),
    Field(&'a mut Option<Box<FieldOptions>>),
    Oneof(&'a mut Option<OneofOptions>),
    ExtensionRange(&'a mut Option<ExtensionRangeOptions>),
    Enum(&'a mut Option<EnumOptions>),
    EnumValue(&'a mut Option<Box<EnumValueOptions>>),
    Service(&'a mut Option<ServiceOptions>),
    Method(&'a mut Option<MethodOptions>),
}

impl ElementOptions<'_> {
    /// Merges encoded option fields into the options, which are then read back as protoc
    /// reads them (see [`crate::options::compiled_in`]). `Err`: they do not decode at all.
    /// (Options that decode but do not read back are reported as they are interpreted; they
    /// are kept as they were.)
    pub(crate) fn merge(self, bytes: &[u8]) -> Result<(), prost::DecodeError> {
        fn merge<T: Message + Default + ReadBack>(
            slot: &mut Option<T>,
            bytes: &[u8],
        ) -> Result<(), prost::DecodeError> {
            merge_options(slot, bytes)?;
            if let Some(options) = slot.as_mut() {
                let _unparsable = options.read_back();
            }
            Ok(())
        }
        match self {
            ElementOptions::File(o) => merge(o, bytes),
            ElementOptions::Message(o) => merge(o, bytes),
            ElementOptions::Field(o) => merge(o, bytes),
            ElementOptions::Oneof(o) => merge(o, bytes),
            ElementOptions::ExtensionRange(o) => merge(o, bytes),
            ElementOptions::Enum(o) => merge(o, bytes),
            ElementOptions::EnumValue(o) => merge(o, bytes),
            ElementOptions::Service(o) => merge(o, bytes),
            ElementOptions::Method(o) => merge(o, bytes),
        }
    }
}

fn field_mut(
    message: &mut DescriptorProto,
    field: i32,
    index: usize,
) -> Option<&mut FieldDescriptorProto> {
    match field {
        tag::MESSAGE_FIELD => message.field.get_mut(index),
        tag::MESSAGE_EXTENSION => message.extension.get_mut(index),
        _ => None,
    }
}

/// Calls `f` with the options of the element at `path`; `None` if the path names no element.
pub(crate) fn with_element<R>(
    proto: &mut FileDescriptorProto,
    path: &[i32],
    kind: OptionsKind,
    f: impl FnOnce(ElementOptions<'_>) -> R,
) -> Option<R> {
    if kind == OptionsKind::File {
        return Some(f(ElementOptions::File(&mut proto.options)));
    }
    let (container_path, last) = match path.split_last_chunk::<2>() {
        Some((container, last)) => (container, *last),
        None => return None,
    };
    let index = last[1] as usize;
    if container_path.is_empty() {
        return match (last[0], kind) {
            (tag::FILE_MESSAGE, OptionsKind::Message) => proto
                .message_type
                .get_mut(index)
                .map(|m| f(ElementOptions::Message(&mut m.options))),
            (tag::FILE_ENUM, OptionsKind::Enum) => proto
                .enum_type
                .get_mut(index)
                .map(|e| f(ElementOptions::Enum(&mut e.options))),
            (tag::FILE_SERVICE, OptionsKind::Service) => proto
                .service
                .get_mut(index)
                .map(|s| f(ElementOptions::Service(&mut s.options))),
            (tag::FILE_EXTENSION, OptionsKind::Field) => proto
                .extension
                .get_mut(index)
                .map(|x| f(ElementOptions::Field(&mut x.options))),
            _ => None,
        };
    }
    // Methods and enum values live under services and enums.
    if kind == OptionsKind::Method {
        if let [tag::FILE_SERVICE, service] = container_path {
            return proto
                .service
                .get_mut(*service as usize)
                .and_then(|s| s.method.get_mut(index))
                .map(|m| f(ElementOptions::Method(&mut m.options)));
        }
        return None;
    }
    if kind == OptionsKind::EnumValue {
        let enum_ = match container_path.split_last_chunk::<2>() {
            Some(([], [tag::FILE_ENUM, e])) => proto.enum_type.get_mut(*e as usize),
            Some((message_path, [tag::MESSAGE_ENUM, e])) => {
                message_mut(proto, message_path).and_then(|m| m.enum_type.get_mut(*e as usize))
            }
            _ => None,
        };
        return enum_
            .and_then(|e| e.value.get_mut(index))
            .map(|v| f(ElementOptions::EnumValue(&mut v.options)));
    }
    let message = message_mut(proto, container_path)?;
    match (last[0], kind) {
        (tag::MESSAGE_NESTED, OptionsKind::Message) => message
            .nested_type
            .get_mut(index)
            .map(|m| f(ElementOptions::Message(&mut m.options))),
        (tag::MESSAGE_ENUM, OptionsKind::Enum) => message
            .enum_type
            .get_mut(index)
            .map(|e| f(ElementOptions::Enum(&mut e.options))),
        (tag::MESSAGE_ONEOF, OptionsKind::Oneof) => message
            .oneof_decl
            .get_mut(index)
            .map(|o| f(ElementOptions::Oneof(&mut o.options))),
        (tag::MESSAGE_EXTENSION_RANGE, OptionsKind::ExtensionRange) => message
            .extension_range
            .get_mut(index)
            .map(|r| f(ElementOptions::ExtensionRange(&mut r.options))),
        (field, OptionsKind::Field) => {
            field_mut(message, field, index).map(|x| f(ElementOptions::Field(&mut x.options)))
        }
        _ => None,
    }
}

/// The message at `path` (`[4, i, 3, j, ...]`).
fn message_mut<'a>(
    proto: &'a mut FileDescriptorProto,
    path: &[i32],
) -> Option<&'a mut DescriptorProto> {
    let ([tag::FILE_MESSAGE, first], mut rest) = path.split_first_chunk::<2>()? else {
        return None;
    };
    let mut message = proto.message_type.get_mut(*first as usize)?;
    while let Some(([tag::MESSAGE_NESTED, index], tail)) = rest.split_first_chunk::<2>() {
        message = message.nested_type.get_mut(*index as usize)?;
        rest = tail;
    }
    rest.is_empty().then_some(message)
}
