//! Message structs: fields, map fields, oneof fields, the nested-types module and the oneof
//! enums inside it.

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use rivet_descriptor::feature_set::{FieldPresence, MessageEncoding, RepeatedFieldEncoding};
use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto, OneofDescriptorProto, ResolvedFeatures,
};

use crate::Error;
use crate::generate::FileGen;
use crate::naming::{camel_name, snake_name, strip_variant_prefix};
use crate::types::{is_packable, tokens, unescape_c};

/// How deep messages may be nested; deeper input is rejected rather than risking the stack.
pub(crate) const MAX_NESTING: usize = 64;

/// A field with its index in the message (for `SourceCodeInfo` paths) and resolved semantics.
struct Field<'a> {
    descriptor: &'a FieldDescriptorProto,
    index: usize,
    /// The declared type.
    declared: Type,
    /// The type on the wire: `Group` for delimited message fields.
    wire: Type,
    /// The field's resolved features. Field presence decides `Option<T>` and `required`,
    /// repeated field encoding `packed = "false"`, message encoding `group`. Enum closedness
    /// and UTF-8 validation do not change prost's code (enum fields are `i32`s that keep
    /// unknown values, strings are always validated).
    features: ResolvedFeatures,
}

/// A (non-synthetic) oneof with its member fields.
struct Oneof<'a> {
    descriptor: &'a OneofDescriptorProto,
    index: usize,
    fields: Vec<Field<'a>>,
    /// The Rust enum name.
    type_name: String,
}

impl<'a> FileGen<'_, 'a> {
    /// The struct of a message, its nested-types module and, with type names enabled, its
    /// `prost::Name` implementation. Extern messages give nothing.
    pub(crate) fn message(
        &mut self,
        message: &'a DescriptorProto,
        parent: ResolvedFeatures,
    ) -> Result<TokenStream, Error> {
        let name = required_name(message.name.as_deref(), "message")?;
        if self.type_path.len() >= MAX_NESTING {
            return Err(Error::InvalidDescriptor(format!(
                "messages are nested more than {MAX_NESTING} levels deep"
            )));
        }
        let fq = self.fq_name(name);
        if self.ctx.externs.resolve(&fq).is_some() {
            return Ok(TokenStream::new());
        }
        // Unknown feature values are ignored: protoc rejects them before a plugin runs.
        let mut features = parent;
        features.merge_known(message.options.as_ref().and_then(|o| o.features.as_deref()));

        let mut map_entries = HashMap::new();
        let mut nested = Vec::new();
        for (i, nested_type) in message.nested_type.iter().enumerate() {
            if nested_type.options.as_ref().and_then(|o| o.map_entry) == Some(true) {
                let entry_name = format!("{fq}.{}", nested_type.name());
                map_entries.insert(entry_name, map_entry_fields(nested_type, &fq)?);
            } else {
                nested.push((i, nested_type));
            }
        }

        let mut fields = Vec::new();
        let mut oneof_members: Vec<Vec<Field<'a>>> =
            message.oneof_decl.iter().map(|_| Vec::new()).collect();
        for (i, descriptor) in message.field.iter().enumerate() {
            match descriptor.oneof_index {
                Some(oneof) if !descriptor.proto3_optional() => {
                    let oneof_decl = usize::try_from(oneof)
                        .ok()
                        .and_then(|o| message.oneof_decl.get(o))
                        .ok_or_else(|| {
                            Error::InvalidDescriptor(format!(
                                "field {fq}.{} has an invalid oneof index",
                                descriptor.name()
                            ))
                        })?;
                    let mut oneof_features = features;
                    oneof_features.merge_known(
                        oneof_decl
                            .options
                            .as_ref()
                            .and_then(|o| o.features.as_deref()),
                    );
                    let field = self.resolve_field(descriptor, i, &fq, oneof_features)?;
                    oneof_members[oneof as usize].push(field);
                }
                _ => fields.push(self.resolve_field(descriptor, i, &fq, features)?),
            }
        }
        let oneofs: Vec<Oneof<'a>> = message
            .oneof_decl
            .iter()
            .zip(oneof_members)
            .enumerate()
            .filter(|(_, (_, members))| !members.is_empty())
            .map(|(index, (descriptor, fields))| Oneof {
                type_name: oneof_type_name(message, descriptor.name()),
                descriptor,
                index,
                fields,
            })
            .collect();

        let options = self.ctx.options;
        let doc = self.doc(&fq, None);
        let type_attrs = self.attributes(&options.type_attributes, &fq)?;
        let message_attrs = self.attributes(&options.message_attributes, &fq)?;
        let boxed = |m: &str, f: &str| self.ctx.configured_boxed(m, f);
        let copy = self
            .ctx
            .index
            .message_is_copy(&fq, &boxed)
            .then(|| quote!(Copy,));
        let eq = self.ctx.index.message_is_eq(&fq).then(|| quote!(Eq, Hash,));
        let skip_debug = self.skip_debug(&fq);
        let struct_name = tokens(&camel_name(name))?;

        let mut body = TokenStream::new();
        let base_path = self.path.clone();
        for field in &fields {
            self.path = [&base_path[..], &[2, field.index as i32]].concat();
            let entry = map_entries.get(field.descriptor.type_name());
            body.extend(match entry {
                Some((key, value)) => self.map_field(&fq, field, key, value)?,
                None => self.field(&fq, field)?,
            });
        }
        for oneof in &oneofs {
            self.path = [&base_path[..], &[8, oneof.index as i32]].concat();
            body.extend(self.oneof_field(name, &fq, oneof)?);
        }
        self.path = base_path.clone();

        let mut code = quote! {
            #doc
            #type_attrs
            #message_attrs
            #[derive(Clone, #copy PartialEq, #eq ::prost::Message)]
            #skip_debug
            pub struct #struct_name {
                #body
            }
        };

        if !message.enum_type.is_empty() || !nested.is_empty() || !oneofs.is_empty() {
            let mut inner = TokenStream::new();
            self.type_path.push(name.to_owned());
            for (i, nested_type) in &nested {
                self.path = [&base_path[..], &[3, *i as i32]].concat();
                inner.extend(self.message(nested_type, features)?);
            }
            for (i, enumeration) in message.enum_type.iter().enumerate() {
                self.path = [&base_path[..], &[4, i as i32]].concat();
                inner.extend(self.enumeration(enumeration)?);
            }
            self.path = base_path.clone();
            for oneof in &oneofs {
                inner.extend(self.oneof_enum(&fq, oneof)?);
            }
            self.type_path.pop();
            let module_doc = format!(" Nested message and enum types in `{name}`.");
            let module = tokens(&snake_name(name))?;
            code.extend(quote! {
                #[doc = #module_doc]
                pub mod #module {
                    #inner
                }
            });
        }
        if options.type_names {
            code.extend(self.type_name_impl(name, &fq)?);
        }
        Ok(code)
    }

    /// Resolves a field's types and features.
    fn resolve_field(
        &self,
        descriptor: &'a FieldDescriptorProto,
        index: usize,
        fq_message: &str,
        parent: ResolvedFeatures,
    ) -> Result<Field<'a>, Error> {
        required_name(descriptor.name.as_deref(), "field")?;
        let declared = self.ctx.index.field_type(descriptor, fq_message)?;
        let mut features = parent;
        features.merge_known(
            descriptor
                .options
                .as_ref()
                .and_then(|o| o.features.as_deref()),
        );
        features.infer_legacy(self.edition as i32, descriptor);
        let is_map = self
            .ctx
            .index
            .message(descriptor.type_name())
            .and_then(|m| m.options.as_ref())
            .and_then(|o| o.map_entry)
            == Some(true);
        let wire = match declared {
            Type::Message
                if features.message_encoding() == MessageEncoding::Delimited && !is_map =>
            {
                Type::Group
            }
            other => other,
        };
        Ok(Field {
            descriptor,
            index,
            declared,
            wire,
            features,
        })
    }

    /// Whether a singular field is boxed: it is recursive, or configured so.
    fn is_boxed(&self, field: &Field<'_>, fq_message: &str, config_path: &str) -> bool {
        if field.descriptor.label() == Label::Repeated {
            return false;
        }
        let recursive = matches!(field.declared, Type::Message | Type::Group)
            && self
                .ctx
                .index
                .contains(field.descriptor.type_name(), fq_message);
        recursive
            || self
                .ctx
                .configured_boxed(config_path, field.descriptor.name())
    }

    fn field(&self, fq_message: &str, field: &Field<'_>) -> Result<TokenStream, Error> {
        let descriptor = field.descriptor;
        let repeated = descriptor.label() == Label::Repeated;
        let required =
            !repeated && field.features.field_presence() == FieldPresence::LegacyRequired;
        let optional = !repeated
            && !required
            && (descriptor.proto3_optional()
                || matches!(field.wire, Type::Message | Type::Group)
                || field.features.field_presence() == FieldPresence::Explicit);
        let boxed = self.is_boxed(field, fq_message, fq_message);

        let mut tag = self.type_tag(descriptor, field.wire);
        if field.wire == Type::Bytes {
            tag.push_str(&format!(
                " = \"{}\"",
                self.bytes_annotation(fq_message, descriptor.name())
            ));
        }
        if optional {
            tag.push_str(", optional");
        } else if required {
            tag.push_str(", required");
        } else if repeated {
            tag.push_str(", repeated");
            if is_packable(field.wire)
                && field.features.repeated_field_encoding() == RepeatedFieldEncoding::Expanded
            {
                tag.push_str(", packed = \"false\"");
            }
        }
        if boxed {
            tag.push_str(", boxed");
        }
        tag.push_str(&format!(", tag = \"{}\"", descriptor.number()));
        if let Some(default) = &descriptor.default_value {
            // protoc keeps a string default's bytes as written, but prost's Rust `String`
            // (and its `default = "..."` attribute) can only hold UTF-8. prost-build fails
            // earlier on such a set: prost-types cannot decode it. (Other defaults are ASCII
            // text in any descriptor protoc writes.)
            let default = default.to_str().ok_or_else(|| {
                let why = if field.wire == Type::String {
                    ", which a Rust `String` cannot hold"
                } else {
                    ""
                };
                Error::InvalidDescriptor(format!(
                    "default of {fq_message}.{} is not valid UTF-8 ({default:?}){why}",
                    descriptor.name()
                ))
            })?;
            tag.push_str(", default = ");
            tag.push_str(&self.default_literal(fq_message, field, default)?);
        }
        let prost_attr = tokens(&tag)?;

        let mut ty = self.value_type(descriptor, field.wire, fq_message);
        if boxed {
            ty = format!("::prost::alloc::boxed::Box<{ty}>");
        }
        if repeated {
            ty = format!("::prost::alloc::vec::Vec<{ty}>");
        } else if optional {
            ty = format!("::core::option::Option<{ty}>");
        }
        let ty = tokens(&ty)?;
        let doc = self.doc(fq_message, Some(descriptor.name()));
        let deprecated = is_deprecated(descriptor).then(|| quote!(#[deprecated]));
        let attrs = self.field_attributes(fq_message, descriptor.name())?;
        let name = tokens(&snake_name(descriptor.name()))?;
        Ok(quote! {
            #doc
            #deprecated
            #[prost(#prost_attr)]
            #attrs
            pub #name: #ty,
        })
    }

    /// The string literal of a `default = "..."` attribute.
    fn default_literal(
        &self,
        fq_message: &str,
        field: &Field<'_>,
        default: &str,
    ) -> Result<String, Error> {
        let content = match field.wire {
            Type::Bytes => {
                let bytes = unescape_c(default).map_err(|reason| {
                    Error::InvalidDescriptor(format!(
                        "default of {fq_message}.{}: {reason}",
                        field.descriptor.name()
                    ))
                })?;
                let mut escaped = String::from("b\\\"");
                for byte in bytes {
                    let ascii: String = std::ascii::escape_default(byte).map(char::from).collect();
                    escaped.extend(ascii.chars().flat_map(char::escape_default));
                }
                escaped.push_str("\\\"");
                escaped
            }
            Type::Enum => {
                let variant = camel_name(default);
                if self.ctx.options.strip_enum_prefix {
                    let enum_name = field
                        .descriptor
                        .type_name()
                        .rsplit('.')
                        .next()
                        .unwrap_or("");
                    strip_variant_prefix(&camel_name(enum_name), &variant)
                } else {
                    variant
                }
            }
            _ => default.escape_default().to_string(),
        };
        Ok(format!("\"{content}\""))
    }

    fn map_field(
        &self,
        fq_message: &str,
        field: &Field<'_>,
        key: &FieldDescriptorProto,
        value: &FieldDescriptorProto,
    ) -> Result<TokenStream, Error> {
        let descriptor = field.descriptor;
        let entry = descriptor.type_name();
        let key_type = self.ctx.index.field_type(key, entry)?;
        let value_type = self.ctx.index.field_type(value, entry)?;
        let key_rust = self.value_type(key, key_type, fq_message);
        let value_rust = self.value_type(value, value_type, fq_message);
        let btree = self
            .ctx
            .options
            .btree_map
            .best_for_field(fq_message, descriptor.name())
            .is_some();
        let (kind, map_type) = match btree {
            true => ("btree_map", "::prost::alloc::collections::BTreeMap"),
            false => ("map", "::std::collections::HashMap"),
        };
        let prost_attr = tokens(&format!(
            "{kind} = \"{}, {}\", tag = \"{}\"",
            self.type_tag(key, key_type),
            self.map_value_tag(value, value_type),
            descriptor.number()
        ))?;
        let ty = tokens(&format!("{map_type}<{key_rust}, {value_rust}>"))?;
        let doc = self.doc(fq_message, Some(descriptor.name()));
        let attrs = self.field_attributes(fq_message, descriptor.name())?;
        let name = tokens(&snake_name(descriptor.name()))?;
        Ok(quote! {
            #doc
            #[prost(#prost_attr)]
            #attrs
            pub #name: #ty,
        })
    }

    fn oneof_field(
        &self,
        message_name: &str,
        fq_message: &str,
        oneof: &Oneof<'_>,
    ) -> Result<TokenStream, Error> {
        let type_path = format!("{}::{}", snake_name(message_name), oneof.type_name);
        let tags: Vec<String> = oneof
            .fields
            .iter()
            .map(|f| f.descriptor.number().to_string())
            .collect();
        let prost_attr = tokens(&format!(
            "oneof = \"{type_path}\", tags = \"{}\"",
            tags.join(", ")
        ))?;
        let doc = self.doc(fq_message, None);
        let attrs = self.field_attributes(fq_message, oneof.descriptor.name())?;
        let name = tokens(&snake_name(oneof.descriptor.name()))?;
        let ty = tokens(&type_path)?;
        Ok(quote! {
            #doc
            #[prost(#prost_attr)]
            #attrs
            pub #name: ::core::option::Option<#ty>,
        })
    }

    fn oneof_enum(&mut self, fq_message: &str, oneof: &Oneof<'_>) -> Result<TokenStream, Error> {
        let base_path = self.path.clone();
        self.path = [&base_path[..], &[8, oneof.index as i32]].concat();
        let doc = self.doc(fq_message, None);
        self.path = base_path.clone();

        let fq_oneof = format!("{fq_message}.{}", oneof.descriptor.name());
        let options = self.ctx.options;
        let type_attrs = self.attributes(&options.type_attributes, &fq_oneof)?;
        let enum_attrs = self.attributes(&options.enum_attributes, &fq_oneof)?;
        let index = &self.ctx.index;
        let boxed = |m: &str, f: &str| self.ctx.configured_boxed(m, f);
        let copy = oneof
            .fields
            .iter()
            .all(|f| index.field_is_copy(fq_message, f.descriptor, &boxed))
            .then(|| quote!(Copy,));
        let eq = oneof
            .fields
            .iter()
            .all(|f| index.field_is_eq(fq_message, f.descriptor))
            .then(|| quote!(Eq, Hash,));
        let skip_debug = self.skip_debug(fq_message);

        let mut variants = TokenStream::new();
        for field in &oneof.fields {
            let descriptor = field.descriptor;
            self.path = [&base_path[..], &[2, field.index as i32]].concat();
            let doc = self.doc(fq_message, Some(descriptor.name()));
            self.path = base_path.clone();
            let deprecated = is_deprecated(descriptor).then(|| quote!(#[deprecated]));
            let prost_attr = tokens(&format!(
                "{}, tag = \"{}\"",
                self.type_tag(descriptor, field.wire),
                descriptor.number()
            ))?;
            let attrs = self.field_attributes(&fq_oneof, descriptor.name())?;
            let mut ty = self.value_type(descriptor, field.wire, fq_message);
            if self.is_boxed(field, fq_message, &fq_oneof) {
                ty = format!("::prost::alloc::boxed::Box<{ty}>");
            }
            let ty = tokens(&ty)?;
            let variant = tokens(&camel_name(descriptor.name()))?;
            variants.extend(quote! {
                #doc
                #deprecated
                #[prost(#prost_attr)]
                #attrs
                #variant(#ty),
            });
        }
        let name = tokens(&oneof.type_name)?;
        Ok(quote! {
            #doc
            #type_attrs
            #enum_attrs
            #[derive(Clone, #copy PartialEq, #eq ::prost::Oneof)]
            #skip_debug
            pub enum #name {
                #variants
            }
        })
    }

    /// `#[prost(skip_debug)]` when `Debug` is left to the user for `fq_name`.
    fn skip_debug(&self, fq_name: &str) -> Option<TokenStream> {
        self.ctx
            .options
            .skip_debug
            .matches(fq_name)
            .then(|| quote!(#[prost(skip_debug)]))
    }

    /// `impl prost::Name`, giving the message's full name and type URL.
    fn type_name_impl(&self, name: &str, fq: &str) -> Result<TokenStream, Error> {
        let package = self.package.trim_matches('.');
        let mut full_name = String::new();
        for part in std::iter::once(package)
            .filter(|p| !p.is_empty())
            .chain(self.type_path.iter().map(String::as_str))
        {
            full_name.push_str(part);
            full_name.push('.');
        }
        full_name.push_str(name);
        let domain = self
            .ctx
            .options
            .type_name_domains
            .best(fq)
            .map_or("", String::as_str);
        let type_url = Literal::string(&format!("{domain}/{full_name}"));
        let struct_name = tokens(&camel_name(name))?;
        let name_literal = Literal::string(name);
        let package_literal = Literal::string(self.package);
        let full_name = Literal::string(&full_name);
        Ok(quote! {
            impl ::prost::Name for #struct_name {
                const NAME: &'static str = #name_literal;
                const PACKAGE: &'static str = #package_literal;
                fn full_name() -> ::prost::alloc::string::String { #full_name.into() }
                fn type_url() -> ::prost::alloc::string::String { #type_url.into() }
            }
        })
    }
}

fn required_name<'n>(name: Option<&'n str>, what: &str) -> Result<&'n str, Error> {
    name.filter(|n| !n.is_empty())
        .ok_or_else(|| Error::InvalidDescriptor(format!("a {what} has no name")))
}

fn is_deprecated(field: &FieldDescriptorProto) -> bool {
    field.options.as_ref().and_then(|o| o.deprecated) == Some(true)
}

/// The key and value fields of a map entry message.
fn map_entry_fields<'a>(
    entry: &'a DescriptorProto,
    fq_message: &str,
) -> Result<(&'a FieldDescriptorProto, &'a FieldDescriptorProto), Error> {
    let find = |name: &str| entry.field.iter().find(|f| f.name() == name);
    match (find("key"), find("value")) {
        (Some(key), Some(value)) => Ok((key, value)),
        _ => Err(Error::InvalidDescriptor(format!(
            "map entry {fq_message}.{} lacks a key or value field",
            entry.name()
        ))),
    }
}

/// The Rust name of a oneof's enum: its camel-cased name, with `OneOf` appended when a nested
/// message or enum of the same message already has that name.
fn oneof_type_name(message: &DescriptorProto, oneof: &str) -> String {
    let name = camel_name(oneof);
    let conflicts = message
        .nested_type
        .iter()
        .map(|m| m.name())
        .chain(message.enum_type.iter().map(|e| e.name()))
        .any(|other| camel_name(other) == name);
    match conflicts {
        true => format!("{name}OneOf"),
        false => name,
    }
}
