//! Enums: a `#[repr(i32)]` Rust enum deriving `prost::Enumeration`, with `as_str_name` and
//! `from_str_name`.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use rivet_descriptor::EnumDescriptorProto;

use crate::Error;
use crate::generate::FileGen;
use crate::naming::{camel_name, strip_variant_prefix};
use crate::types::tokens;

/// One Rust variant: the first protobuf value with its number (aliases are skipped).
struct Variant<'a> {
    index: usize,
    proto_name: &'a str,
    number: i32,
    rust_name: String,
    deprecated: bool,
}

impl FileGen<'_, '_> {
    /// The Rust enum of a protobuf enum and its helpers. Extern enums give nothing.
    pub(crate) fn enumeration(
        &mut self,
        enumeration: &EnumDescriptorProto,
    ) -> Result<TokenStream, Error> {
        let proto_name = enumeration
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::InvalidDescriptor("an enum has no name".to_owned()))?;
        let fq = self.fq_name(proto_name);
        if self.ctx.externs.resolve(&fq).is_some() {
            return Ok(TokenStream::new());
        }
        let enum_name = camel_name(proto_name);
        let variants = self.variants(&fq, &enum_name, enumeration)?;

        let options = self.ctx.options;
        let doc = self.doc(&fq, None);
        let type_attrs = self.attributes(&options.type_attributes, &fq)?;
        let enum_attrs = self.attributes(&options.enum_attributes, &fq)?;
        let debug = (!options.skip_debug.matches(&fq)).then(|| quote!(Debug,));

        let base_path = self.path.clone();
        let mut body = TokenStream::new();
        let mut as_str_arms = TokenStream::new();
        let mut from_str_arms = TokenStream::new();
        for variant in &variants {
            self.path = [&base_path[..], &[2, variant.index as i32]].concat();
            let doc = self.doc(&fq, Some(variant.proto_name));
            let attrs = self.field_attributes(&fq, variant.proto_name)?;
            let ident = tokens(&variant.rust_name)?;
            let number = tokens(&variant.number.to_string())?;
            let proto_name = Literal::string(variant.proto_name);
            let (deprecated, allow) = match variant.deprecated {
                true => (
                    Some(quote!(#[deprecated])),
                    Some(quote!(#[allow(deprecated)])),
                ),
                false => (None, None),
            };
            body.extend(quote! {
                #doc
                #attrs
                #deprecated
                #ident = #number,
            });
            as_str_arms.extend(quote!(#allow Self::#ident => #proto_name,));
            from_str_arms.extend(quote!(#proto_name => Some(#allow Self::#ident),));
        }
        self.path = base_path;

        let name = tokens(&enum_name)?;
        Ok(quote! {
            #doc
            #type_attrs
            #enum_attrs
            #[derive(Clone, Copy, #debug PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
            #[repr(i32)]
            pub enum #name {
                #body
            }
            impl #name {
                /// String value of the enum field names used in the ProtoBuf definition.
                ///
                /// The values are not transformed in any way and thus are considered stable
                /// (if the ProtoBuf definition does not change) and safe for programmatic use.
                pub fn as_str_name(&self) -> &'static str {
                    match self {
                        #as_str_arms
                    }
                }
                /// Creates an enum from field names used in the ProtoBuf definition.
                pub fn from_str_name(value: &str) -> ::core::option::Option<Self> {
                    match value {
                        #from_str_arms
                        _ => None,
                    }
                }
            }
        })
    }

    fn variants<'e>(
        &self,
        fq: &str,
        enum_name: &str,
        enumeration: &'e EnumDescriptorProto,
    ) -> Result<Vec<Variant<'e>>, Error> {
        let mut numbers = HashSet::new();
        let mut names: HashMap<String, &str> = HashMap::new();
        let mut variants = Vec::new();
        for (index, value) in enumeration.value.iter().enumerate() {
            // Aliases (`allow_alias`) share the first value's variant.
            if !numbers.insert(value.number()) {
                continue;
            }
            let mut rust_name = camel_name(value.name());
            if self.ctx.options.strip_enum_prefix {
                rust_name = strip_variant_prefix(enum_name, &rust_name);
            }
            if let Some(first) = names.insert(rust_name.clone(), value.name()) {
                return Err(Error::VariantNameConflict {
                    enum_name: fq.trim_start_matches('.').to_owned(),
                    variant: rust_name,
                    first: first.to_owned(),
                    second: value.name().to_owned(),
                });
            }
            variants.push(Variant {
                index,
                proto_name: value.name(),
                number: value.number(),
                rust_name,
                deprecated: value.options.as_ref().and_then(|o| o.deprecated) == Some(true),
            });
        }
        Ok(variants)
    }
}
