//! Every element of a file in protoc's `VisitDescriptors` order (the order of its
//! `ValidateOptions` errors), with its location path and resolved features. Built for every
//! file, so it allocates nothing per element: paths are stored inline and full names are
//! computed only when a message needs one.

use std::ops::Deref;

use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, FeatureSet,
    FieldDescriptorProto, FileDescriptorProto, MethodDescriptorProto, OneofDescriptorProto,
    ServiceDescriptorProto, descriptor_proto::ExtensionRange,
};

use crate::features::edition_of;
use crate::lower::{Syntax, tag};
use rivet_descriptor::ResolvedFeatures;

use super::join;

/// One element of a file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Element<'a> {
    File,
    Message(&'a DescriptorProto),
    Enum(&'a EnumDescriptorProto),
    EnumValue(&'a EnumValueDescriptorProto),
    Oneof(&'a OneofDescriptorProto),
    /// A field of `parent`, or an extension declared in `parent` (`None`: at file level).
    Field {
        field: &'a FieldDescriptorProto,
        parent: Option<&'a DescriptorProto>,
        extension: bool,
    },
    ExtensionRange(&'a ExtensionRange),
    Service(&'a ServiceDescriptorProto),
    Method(&'a MethodDescriptorProto),
}

impl<'a> Element<'a> {
    /// The features set on the element itself.
    pub(crate) fn own_features(&self, file: &'a FileDescriptorProto) -> Option<&'a FeatureSet> {
        match self {
            Element::File => file.options.as_ref()?.features.as_deref(),
            Element::Message(m) => m.options.as_ref()?.features.as_deref(),
            Element::Enum(e) => e.options.as_ref()?.features.as_deref(),
            Element::EnumValue(v) => v.options.as_ref()?.features.as_deref(),
            Element::Oneof(o) => o.options.as_ref()?.features.as_deref(),
            Element::Field { field, .. } => field.options.as_ref()?.features.as_deref(),
            Element::ExtensionRange(r) => r.options.as_ref()?.features.as_deref(),
            Element::Service(s) => s.options.as_ref()?.features.as_deref(),
            Element::Method(m) => m.options.as_ref()?.features.as_deref(),
        }
    }
}

/// A location path, inline up to a nesting depth that real files do not exceed.
#[derive(Clone, Debug)]
pub(crate) enum ElementPath {
    Inline(u8, [i32; 14]),
    Heap(Vec<i32>),
}

impl ElementPath {
    pub(crate) fn new(parent: &[i32], field: i32, index: usize) -> Self {
        let len = parent.len() + 2;
        if len <= 14 {
            let mut inline = [0; 14];
            inline[..parent.len()].copy_from_slice(parent);
            inline[parent.len()] = field;
            inline[parent.len() + 1] = index as i32;
            ElementPath::Inline(len as u8, inline)
        } else {
            let mut heap = parent.to_vec();
            heap.extend([field, index as i32]);
            ElementPath::Heap(heap)
        }
    }
}

impl Deref for ElementPath {
    type Target = [i32];

    fn deref(&self) -> &[i32] {
        match self {
            ElementPath::Inline(len, inline) => &inline[..*len as usize],
            ElementPath::Heap(heap) => heap,
        }
    }
}

/// An element with its location path and resolved features.
#[derive(Clone, Debug)]
pub(crate) struct Visit<'a> {
    pub path: ElementPath,
    pub element: Element<'a>,
    pub features: ResolvedFeatures,
}

impl Visit<'_> {
    /// protoc's full name of the element (enum values are siblings of their enum; an
    /// extension range is named after its message).
    pub(crate) fn full_name(&self, file: &FileDescriptorProto) -> String {
        full_name(file, &self.path)
    }
}

/// protoc's full name of the element at `path` of `file`.
pub(crate) fn full_name(file: &FileDescriptorProto, path: &[i32]) -> String {
    let mut name = file.package().to_string();
    let mut message: Option<&DescriptorProto> = None;
    let mut rest = path;
    while let [field, index, tail @ ..] = rest {
        let index = *index as usize;
        rest = tail;
        let part = match (message, *field) {
            (None, tag::FILE_MESSAGE) | (Some(_), tag::MESSAGE_NESTED) => {
                let list = message.map_or(&file.message_type, |m| &m.nested_type);
                message = list.get(index);
                message.map(|m| m.name())
            }
            (None, tag::FILE_ENUM) | (Some(_), tag::MESSAGE_ENUM) => {
                let list = message.map_or(&file.enum_type, |m| &m.enum_type);
                let enum_ = list.get(index);
                if let ([tag::ENUM_VALUE, value, ..], Some(e)) = (tail, enum_) {
                    // Enum values are siblings of their enum.
                    let value = e.value.get(*value as usize).map(|v| v.name());
                    return join(&name, value.unwrap_or_default());
                }
                enum_.map(|e| e.name())
            }
            (None, tag::FILE_SERVICE) => {
                let service = file.service.get(index);
                let service_name = service.map(|s| s.name()).unwrap_or_default();
                name = join(&name, service_name);
                if let ([tag::SERVICE_METHOD, method, ..], Some(s)) = (tail, service) {
                    let method = s.method.get(*method as usize).map(|m| m.name());
                    return join(&name, method.unwrap_or_default());
                }
                return name;
            }
            (None, tag::FILE_EXTENSION) => file.extension.get(index).map(|f| f.name()),
            (Some(m), tag::MESSAGE_FIELD) => m.field.get(index).map(|f| f.name()),
            (Some(m), tag::MESSAGE_EXTENSION) => m.extension.get(index).map(|f| f.name()),
            (Some(m), tag::MESSAGE_ONEOF) => m.oneof_decl.get(index).map(|o| o.name()),
            (Some(_), tag::MESSAGE_EXTENSION_RANGE) => return name,
            _ => None,
        };
        name = join(&name, part.unwrap_or_default());
    }
    name
}

struct Visitor<'a> {
    edition: i32,
    out: Vec<Visit<'a>>,
}

/// How many elements [`visit_file`] lists for `proto`.
fn element_count(proto: &FileDescriptorProto) -> usize {
    fn in_message(message: &DescriptorProto) -> usize {
        1 + message.field.len()
            + message.extension.len()
            + message.oneof_decl.len()
            + message.extension_range.len()
            + message.enum_type.iter().map(in_enum).sum::<usize>()
            + message.nested_type.iter().map(in_message).sum::<usize>()
    }
    fn in_enum(enum_: &EnumDescriptorProto) -> usize {
        1 + enum_.value.len()
    }
    1 + proto.message_type.iter().map(in_message).sum::<usize>()
        + proto.enum_type.iter().map(in_enum).sum::<usize>()
        + proto.extension.len()
        + proto
            .service
            .iter()
            .map(|service| 1 + service.method.len())
            .sum::<usize>()
}

/// Every element of `proto`, in `VisitDescriptors` order.
pub(crate) fn visit_file<'a>(proto: &'a FileDescriptorProto, syntax: Syntax) -> Vec<Visit<'a>> {
    let edition = edition_of(syntax);
    let mut features = ResolvedFeatures::edition_defaults(edition);
    features.merge(Element::File.own_features(proto));
    let mut visitor = Visitor {
        edition,
        // (Sized up front: a large file's list, grown by doubling, was copied again and again.)
        out: Vec::with_capacity(element_count(proto)),
    };
    visitor.push(ElementPath::Heap(Vec::new()), Element::File, features);
    for (i, message) in proto.message_type.iter().enumerate() {
        visitor.message(
            message,
            ElementPath::new(&[], tag::FILE_MESSAGE, i),
            features,
        );
    }
    for (i, enum_) in proto.enum_type.iter().enumerate() {
        visitor.enum_(enum_, ElementPath::new(&[], tag::FILE_ENUM, i), features);
    }
    for (i, extension) in proto.extension.iter().enumerate() {
        let path = ElementPath::new(&[], tag::FILE_EXTENSION, i);
        visitor.field(extension, None, true, path, features);
    }
    for (i, service) in proto.service.iter().enumerate() {
        let path = ElementPath::new(&[], tag::FILE_SERVICE, i);
        let mut service_features = features;
        service_features.merge(Element::Service(service).own_features(proto));
        visitor.push(path.clone(), Element::Service(service), service_features);
        for (j, method) in service.method.iter().enumerate() {
            let mut method_features = service_features;
            method_features.merge(Element::Method(method).own_features(proto));
            let method_path = ElementPath::new(&path, tag::SERVICE_METHOD, j);
            visitor.push(method_path, Element::Method(method), method_features);
        }
    }
    visitor.out
}

fn options_features<T>(
    options: Option<&T>,
    get: impl Fn(&T) -> Option<&FeatureSet>,
) -> Option<&FeatureSet> {
    options.and_then(get)
}

impl<'a> Visitor<'a> {
    fn push(&mut self, path: ElementPath, element: Element<'a>, features: ResolvedFeatures) {
        self.out.push(Visit {
            path,
            element,
            features,
        });
    }

    fn message(
        &mut self,
        message: &'a DescriptorProto,
        path: ElementPath,
        parent: ResolvedFeatures,
    ) {
        let mut features = parent;
        features.merge(options_features(message.options.as_ref(), |o| {
            o.features.as_deref()
        }));
        self.push(path.clone(), Element::Message(message), features);
        for (i, enum_) in message.enum_type.iter().enumerate() {
            self.enum_(
                enum_,
                ElementPath::new(&path, tag::MESSAGE_ENUM, i),
                features,
            );
        }
        let oneofs_start = self.out.len();
        for (i, oneof) in message.oneof_decl.iter().enumerate() {
            let mut own = features;
            own.merge(options_features(oneof.options.as_ref(), |o| {
                o.features.as_deref()
            }));
            self.push(
                ElementPath::new(&path, tag::MESSAGE_ONEOF, i),
                Element::Oneof(oneof),
                own,
            );
        }
        for (i, field) in message.field.iter().enumerate() {
            let parent_features = field
                .oneof_index
                .and_then(|index| usize::try_from(index).ok())
                .filter(|&index| index < message.oneof_decl.len())
                .map_or(features, |index| self.out[oneofs_start + index].features);
            let field_path = ElementPath::new(&path, tag::MESSAGE_FIELD, i);
            self.field(field, Some(message), false, field_path, parent_features);
        }
        for (i, nested) in message.nested_type.iter().enumerate() {
            self.message(
                nested,
                ElementPath::new(&path, tag::MESSAGE_NESTED, i),
                features,
            );
        }
        for (i, extension) in message.extension.iter().enumerate() {
            let extension_path = ElementPath::new(&path, tag::MESSAGE_EXTENSION, i);
            self.field(extension, Some(message), true, extension_path, features);
        }
        for (i, range) in message.extension_range.iter().enumerate() {
            let mut own = features;
            own.merge(options_features(range.options.as_ref(), |o| {
                o.features.as_deref()
            }));
            self.push(
                ElementPath::new(&path, tag::MESSAGE_EXTENSION_RANGE, i),
                Element::ExtensionRange(range),
                own,
            );
        }
    }

    fn field(
        &mut self,
        field: &'a FieldDescriptorProto,
        parent: Option<&'a DescriptorProto>,
        extension: bool,
        path: ElementPath,
        parent_features: ResolvedFeatures,
    ) {
        let mut features = parent_features;
        features.merge(options_features(field.options.as_ref(), |o| {
            o.features.as_deref()
        }));
        features.infer_legacy(self.edition, field);
        let element = Element::Field {
            field,
            parent,
            extension,
        };
        self.push(path, element, features);
    }

    fn enum_(
        &mut self,
        enum_: &'a EnumDescriptorProto,
        path: ElementPath,
        parent: ResolvedFeatures,
    ) {
        let mut features = parent;
        features.merge(options_features(enum_.options.as_ref(), |o| {
            o.features.as_deref()
        }));
        self.push(path.clone(), Element::Enum(enum_), features);
        for (i, value) in enum_.value.iter().enumerate() {
            let mut own = features;
            own.merge(options_features(value.options.as_ref(), |o| {
                o.features.as_deref()
            }));
            self.push(
                ElementPath::new(&path, tag::ENUM_VALUE, i),
                Element::EnumValue(value),
                own,
            );
        }
    }
}

/// Calls `f` with every element of `file` in `VisitDescriptors` order (without paths or
/// features, for checks that need neither).
pub(crate) fn each_element<'a>(file: &'a FileDescriptorProto, f: &mut impl FnMut(Element<'a>)) {
    fn message_elements<'a>(message: &'a DescriptorProto, f: &mut impl FnMut(Element<'a>)) {
        f(Element::Message(message));
        for enum_ in &message.enum_type {
            enum_elements(enum_, f);
        }
        for oneof in &message.oneof_decl {
            f(Element::Oneof(oneof));
        }
        for field in &message.field {
            f(Element::Field {
                field,
                parent: Some(message),
                extension: false,
            });
        }
        for nested in &message.nested_type {
            message_elements(nested, f);
        }
        for extension in &message.extension {
            f(Element::Field {
                field: extension,
                parent: Some(message),
                extension: true,
            });
        }
        for range in &message.extension_range {
            f(Element::ExtensionRange(range));
        }
    }
    fn enum_elements<'a>(enum_: &'a EnumDescriptorProto, f: &mut impl FnMut(Element<'a>)) {
        f(Element::Enum(enum_));
        for value in &enum_.value {
            f(Element::EnumValue(value));
        }
    }
    f(Element::File);
    for m in &file.message_type {
        message_elements(m, f);
    }
    for enum_ in &file.enum_type {
        enum_elements(enum_, f);
    }
    for extension in &file.extension {
        f(Element::Field {
            field: extension,
            parent: None,
            extension: true,
        });
    }
    for service in &file.service {
        f(Element::Service(service));
        for method in &service.method {
            f(Element::Method(method));
        }
    }
}
