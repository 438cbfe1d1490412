//! Option interpretation (protoc's `OptionInterpreter`): option statements become fields of the
//! `*Options` messages, encoded as protobuf wire data and merged into the typed options.
//!
//! Every option, standard or custom, is interpreted the same way against the message schema:
//! standard options against `descriptor.proto`'s own definitions, custom options against the
//! extensions visible in the pool. Values are first written as raw wire data in statement
//! order, exactly like protoc's `UnknownFieldSet`, then decoded into the typed message.
//!
//! Like protoc, a file's options are interpreted in two passes with feature resolution between
//! them ([`interpret_file`]), and errors do not stop the later steps.

use prost::Message;
use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto, FileDescriptorProto, field_descriptor_proto::Type,
};
use rivet_syntax::ast::{self, OptionNamePart, OptionValue};

use crate::hash::{FastMap, FastSet};
use crate::link::LinkError;
use crate::lower::Syntax;
use crate::lower::{ErrorKind, Locations, OptionsKind, PendingOption, tag};
use crate::pool::{LookupMiss, Pool, Symbol, SymbolKind};
use crate::schema::{Site, field_schema};

use crate::wire;

pub(crate) mod compiled_in;
mod literal;

/// A resolved field of a schema message.
#[derive(Clone, Debug)]
struct FieldInfo {
    number: i32,
    ty: Type,
    repeated: bool,
    /// Repeated scalars are written packed.
    packed: bool,
    /// A singular scalar without presence (its default value is not written).
    implicit_presence: bool,
    /// Full name (without leading dot) of the message or enum type, if any.
    type_name: Option<String>,
    /// The field's name as protoc prints it in errors.
    display: String,
    /// The field's own name (for extensions, without scope).
    name: String,
    /// The field's full name (`google.protobuf.FileOptions.java_package`, `pkg.my_ext`).
    full_name: String,
    /// The pool file declaring the field (`None`: descriptor.proto's built-in schema).
    file: Option<usize>,
}

impl FieldInfo {
    fn new(
        field: &FieldDescriptorProto,
        display: String,
        full_name: String,
        site: Site<'_>,
        in_map_entry: bool,
        file: Option<usize>,
    ) -> Self {
        let schema = field_schema(field, site);
        FieldInfo {
            number: schema.number,
            ty: schema.ty,
            repeated: schema.repeated,
            packed: schema.packed,
            // Map entries always write their key and value.
            implicit_presence: schema.implicit_presence && !in_map_entry,
            type_name: schema.type_name,
            display,
            name: field.name().to_string(),
            full_name,
            file,
        }
    }
}

/// Where a message is declared: the message, its file's syntax, its file, its path, its full
/// name and its pool file (`None`: descriptor.proto's built-in schema).
type MessageSite<'a> = (
    &'a DescriptorProto,
    Syntax,
    Option<&'a FileDescriptorProto>,
    Box<[i32]>,
    String,
    Option<usize>,
);

/// Interprets the options of one file.
pub(crate) struct Interpreter<'a> {
    pub pool: &'a Pool,
    pub file: usize,
    pub proto: &'a FileDescriptorProto,
    pub errors: Vec<LinkError>,
    /// Option-name lookups already made: (the scope a lookup starts from, the name written) to
    /// the result. Files set the same few custom options on many elements.
    lookups: FastMap<String, FastMap<String, NameLookup<'a>>>,
    /// The name scope of the last element asked for (options come element by element).
    last_scope: Option<(Vec<i32>, OptionsKind, String)>,
}

/// The result of [`Pool::lookup`].
type NameLookup<'a> = Result<(String, Symbol<'a>), LookupMiss>;

impl<'a> Interpreter<'a> {
    /// A message of the pool (this file included) or, failing that, of descriptor.proto.
    fn message_site(&self, full_name: &str) -> Option<MessageSite<'a>> {
        if let Some(symbol) = self.pool.symbols.get(full_name)
            && symbol.kind == SymbolKind::Message
        {
            let proto = self.pool.proto(symbol.file, (self.file, self.proto));
            let syntax = self.pool.files[symbol.file].syntax;
            return Pool::message_at(proto, symbol.path).map(|m| {
                (
                    m,
                    syntax,
                    Some(proto),
                    symbol.path.into(),
                    full_name.to_string(),
                    Some(symbol.file),
                )
            });
        }
        bootstrap_site(full_name)
    }

    /// The message type of `field`. The field types of descriptor.proto's built-in schema are
    /// built-in too (protoc's `field->message_type()` of a generated descriptor), even when a
    /// loaded file defines a message of the same name (`google.protobuf.FeatureSet` of one's
    /// own); a pool field's type is the pool's.
    fn field_message_site(&self, field: &FieldInfo) -> Option<MessageSite<'a>> {
        let type_name = field.type_name.as_deref().unwrap_or_default();
        if field.file.is_some() {
            return self.message_site(type_name);
        }
        bootstrap_site(type_name)
    }

    /// The field named `name` of the message `site`.
    fn field_of(
        &self,
        site: &MessageSite<'a>,
        matches: impl Fn(&FieldDescriptorProto) -> bool,
        display: String,
    ) -> Option<FieldInfo> {
        let (message, syntax, file, path, message_name, pool_file) = site;
        let field = message.field.iter().find(|f| matches(f))?;
        let in_map_entry = message.options.as_ref().and_then(|o| o.map_entry) == Some(true);
        let site = Site {
            syntax: *syntax,
            file: *file,
            scope_path: path,
        };
        let full_name = format!("{message_name}.{}", field.name());
        Some(FieldInfo::new(
            field,
            display,
            full_name,
            site,
            in_map_entry,
            *pool_file,
        ))
    }

    /// The extension at `symbol`.
    fn extension_info(
        &self,
        symbol: Symbol<'a>,
        full_name: &str,
        display: String,
    ) -> Option<(FieldInfo, String)> {
        let proto = self.pool.proto(symbol.file, (self.file, self.proto));
        let ext = Pool::field_at(proto, symbol.path)?;
        let site = Site {
            syntax: self.pool.files[symbol.file].syntax,
            file: Some(proto),
            scope_path: &symbol.path[..symbol.path.len() - 2],
        };
        let extendee = ext.extendee().trim_start_matches('.').to_string();
        Some((
            FieldInfo::new(
                ext,
                display,
                full_name.to_string(),
                site,
                false,
                Some(symbol.file),
            ),
            extendee,
        ))
    }

    fn error(&mut self, option: &PendingOption, kind: ErrorKind, message: impl Into<Vec<u8>>) {
        let mut path = option.element_path.clone();
        path.extend([
            option.options_field,
            tag::UNINTERPRETED_OPTION,
            option.index as i32,
        ]);
        self.errors.push(LinkError {
            path,
            kind,
            message: message.into(),
            level: crate::link::Level::Error,
        });
    }

    /// The element whose name scope option extensions are resolved in.
    fn name_scope(&mut self, option: &PendingOption) -> String {
        if let Some((path, kind, scope)) = &self.last_scope
            && *path == option.element_path
            && *kind == option.kind
        {
            return scope.clone();
        }
        let scope = crate::scope::element_full_name(self.proto, &option.element_path, option.kind);
        self.last_scope = Some((option.element_path.clone(), option.kind, scope.clone()));
        scope
    }

    /// [`Pool::lookup`] of an option name from `scope`, remembered for the rest of the pass.
    /// A lookup depends only on the scope's parent (the search starts there), so elements of
    /// the same message share their results.
    fn lookup_option_name(&mut self, written: &str, scope: &str) -> NameLookup<'a> {
        let start = scope.rfind('.').map_or("", |dot| &scope[..dot]);
        if let Some(found) = self.lookups.get(start).and_then(|names| names.get(written)) {
            return found.clone();
        }
        let found = self.pool.lookup(written, scope, self.file, false);
        self.lookups
            .entry(start.to_string())
            .or_default()
            .insert(written.to_string(), found.clone());
        found
    }

    /// Interprets the options of one of protoc's passes (`pass` 0: options whose name starts
    /// with a field of the options message, features included; 1: custom options), element by
    /// element in protoc's order (`order`, from `interpretation_order`). Like protoc, the
    /// first failing option of an element ends that element's pass, and only the elements
    /// whose options of this pass all succeeded get their values: the wire bytes returned per
    /// element path. The locations of interpreted options are rewritten to their interpreted
    /// paths.
    fn interpret_pass<'o>(
        &mut self,
        options: &'o [PendingOption],
        order: &[(usize, u8)],
        pass: u8,
        locations: &mut Locations,
        repeated_counts: &mut FastMap<Vec<i32>, i32>,
    ) -> FastMap<&'o [i32], (OptionsKind, Vec<u8>)> {
        // At most one entry per option: sized once, never rehashed.
        let mut raw: FastMap<&'o [i32], (OptionsKind, Vec<u8>)> =
            FastMap::with_capacity_and_hasher(options.len(), Default::default());
        let mut failed: FastSet<&[i32]> = FastSet::default();
        // protoc parses each element's options back as its own types once they are all
        // interpreted, which may fail (see `compiled_in`), before going on to the next.
        let mut current: Option<&'o PendingOption> = None;
        let read_back = |errors: &mut Vec<LinkError>,
                         raw: &FastMap<&'o [i32], (OptionsKind, Vec<u8>)>,
                         failed: &FastSet<&[i32]>,
                         element: Option<&'o PendingOption>| {
            let Some(element) = element else {
                return;
            };
            let path = element.element_path.as_slice();
            if !failed.contains(path)
                && let Some((kind, bytes)) = raw.get(path)
                && compiled_in::fails_to_parse(*kind, bytes)
            {
                errors.push(unparsable_options());
            }
        };
        for &(i, option_pass) in order {
            let option = &options[i];
            if option_pass != pass {
                continue;
            }
            if current.is_some_and(|c| c.element_path != option.element_path) {
                read_back(&mut self.errors, &raw, &failed, current);
            }
            current = Some(option);
            if failed.contains(option.element_path.as_slice()) {
                continue;
            }
            let errors_before = self.errors.len();
            let existing = raw
                .get(option.element_path.as_slice())
                .map(|(_, bytes)| bytes.as_slice());
            let interpreted = self.interpret_one(option, existing);
            if self.errors.len() > errors_before {
                failed.insert(option.element_path.as_slice());
            }
            let Some((bytes, mut dest_path, repeated)) = interpreted else {
                continue;
            };
            match raw.get_mut(option.element_path.as_slice()) {
                Some((_, existing)) => existing.extend(bytes),
                None => {
                    raw.insert(&option.element_path, (option.kind, bytes));
                }
            }
            if repeated {
                let index = match repeated_counts.get_mut(dest_path.as_slice()) {
                    Some(count) => {
                        *count += 1;
                        *count - 1
                    }
                    None => {
                        repeated_counts.insert(dest_path.clone(), 1);
                        0
                    }
                };
                dest_path.push(index);
            }
            if let Some(index) = option.location {
                locations.set_path(index, &dest_path);
            }
        }
        read_back(&mut self.errors, &raw, &failed, current);
        raw.retain(|path, _| !failed.contains(path));
        raw
    }

    /// Interprets one option statement: its name, then (unless protoc's `ExamineIfOptionIsSet`
    /// finds a singular option already set in `existing`, the element's values so far) its
    /// value. Returns the value's wire bytes, its location path and whether it is repeated.
    fn interpret_one(
        &mut self,
        option: &PendingOption,
        existing: Option<&[u8]>,
    ) -> Option<(Vec<u8>, Vec<i32>, bool)> {
        let options_message = option.kind.message_name();
        let mut dest_path = option.element_path.clone();
        dest_path.push(option.options_field);
        let parts = &option.name.parts;
        if let Some(OptionNamePart::Simple(first)) = parts.first()
            && first.name == "uninterpreted_option"
        {
            self.error(
                option,
                ErrorKind::OptionName,
                "Option must not use reserved name \"uninterpreted_option\".",
            );
            return None;
        }
        // protoc looks the options message up by name among all loaded files for every option
        // it interprets, which counts as a use of the file defining it (descriptor.proto, when
        // imported, is then not an unused import).
        if let Some(symbol) = self.pool.symbols.get(options_message)
            && symbol.kind != SymbolKind::Package
        {
            self.pool.used_files.mark(symbol.file);
        }
        let Some(mut message) = self.message_site(options_message) else {
            self.error(
                option,
                ErrorKind::OptionName,
                format!("Option message \"{options_message}\" is not available."),
            );
            return None;
        };
        let mut chain: Vec<FieldInfo> = Vec::new();
        let mut display = String::new();
        let mut message_full = options_message.to_string();
        for (i, part) in parts.iter().enumerate() {
            if !display.is_empty() {
                display.push('.');
            }
            let field = match part {
                OptionNamePart::Simple(ident) => {
                    display.push_str(&ident.name);
                    self.field_of(&message, |f| f.name() == ident.name, display.clone())
                }
                OptionNamePart::Extension(name, _) => {
                    let written = name.to_text();
                    display.push('(');
                    display.push_str(&written);
                    display.push(')');
                    let scope = self.name_scope(option);
                    match self.lookup_option_name(&written, &scope) {
                        Ok((full_name, symbol)) if symbol.kind == SymbolKind::Extension => {
                            let (info, extendee) =
                                self.extension_info(symbol, &full_name, display.clone())?;
                            if extendee != message_full {
                                let short =
                                    message_full.rsplit('.').next().unwrap_or(&message_full);
                                self.error(option, ErrorKind::OptionName, format!(
                                    "Option field \"{display}\" is not a field or extension of message \"{short}\"."
                                ));
                                return None;
                            }
                            Some(info)
                        }
                        // protoc takes any field the name resolves to, a regular one too, as
                        // long as it belongs to the message being set.
                        Ok((full_name, symbol)) if symbol.kind == SymbolKind::Field => {
                            let (parent, field_name) =
                                full_name.rsplit_once('.').unwrap_or(("", &full_name));
                            if parent != message_full {
                                let short =
                                    message_full.rsplit('.').next().unwrap_or(&message_full);
                                self.error(option, ErrorKind::OptionName, format!(
                                    "Option field \"{display}\" is not a field or extension of message \"{short}\"."
                                ));
                                return None;
                            }
                            self.field_of(&message, |f| f.name() == field_name, display.clone())
                        }
                        Ok(_) => None,
                        Err(miss) => {
                            if let Some(resolved) = miss.resolved_undefined {
                                self.error(option, ErrorKind::OptionName, format!(
                                    "Option \"{display}\" is resolved to \"({resolved})\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \"(.{}\") to start from the outermost scope.",
                                    &display[1..]
                                ));
                                return None;
                            }
                            None
                        }
                    }
                }
            };
            let Some(field) = field else {
                self.error(option, ErrorKind::OptionName, format!(
                    "Option \"{display}\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024)."
                ));
                return None;
            };
            dest_path.push(field.number);
            // protoc refuses features defined in the file being built.
            if field.file == Some(self.file)
                && matches!(parts.first(), Some(OptionNamePart::Simple(first)) if first.name == "features")
            {
                self.error(
                    option,
                    ErrorKind::OptionName,
                    format!(
                        "Feature \"{display}\" can't be used in the same file it's defined in."
                    ),
                );
                return None;
            }
            if i + 1 < parts.len() {
                if !matches!(field.ty, Type::Message | Type::Group) {
                    self.error(
                        option,
                        ErrorKind::OptionName,
                        format!("Option \"{display}\" is an atomic type, not a message."),
                    );
                    return None;
                }
                if field.repeated {
                    self.error(option, ErrorKind::OptionName, format!(
                        "Option field \"{display}\" is a repeated message. Repeated message options must be initialized using an aggregate value."
                    ));
                    return None;
                }
                message = self.field_message_site(&field)?;
                message_full = field.type_name.clone().unwrap_or_default();
            }
            chain.push(field);
        }
        let leaf = chain.pop()?;
        // A singular option may be set once; protoc checks that before reading the value.
        let numbers = dest_path
            .get(option.element_path.len() + 1..)
            .unwrap_or_default();
        if !leaf.repeated
            && let Some(existing) = existing
            && crate::validate::option_already_set(existing, numbers)
        {
            let name = option_display_name(&option.name);
            self.error(
                option,
                ErrorKind::OptionName,
                format!("Option \"{name}\" was already set."),
            );
            return None;
        }
        let mut bytes = Vec::new();
        self.encode_value(option, &leaf, &option.value, &mut bytes)?;
        for field in chain.iter().rev() {
            let mut outer = Vec::new();
            if field.ty == Type::Group {
                wire::key(&mut outer, field.number, 3);
                outer.extend_from_slice(&bytes);
                wire::key(&mut outer, field.number, 4);
            } else {
                wire::length_delimited(&mut outer, field.number, &bytes);
            }
            bytes = outer;
        }
        Some((bytes, dest_path, leaf.repeated))
    }

    /// Encodes `value` as the field `field` (key included).
    fn encode_value(
        &mut self,
        option: &PendingOption,
        field: &FieldInfo,
        value: &OptionValue,
        out: &mut Vec<u8>,
    ) -> Option<()> {
        match field.ty {
            Type::Message | Type::Group => {
                let OptionValue::Aggregate(literal) = value else {
                    let short = &field.name;
                    self.error(option, ErrorKind::OptionValue, format!(
                        "Option \"{}\" is a message. To set the entire message, use syntax like \"{short} = {{ <proto text format> }}\". To set fields within it, use syntax like \"{short}.foo = value\".", field.full_name
                    ));
                    return None;
                };
                let mut payload = Vec::new();
                if let Err(message) = self.encode_literal(field, literal, &mut payload, 0) {
                    // The text-format error can quote a string token's bytes, UTF-8 or not.
                    let mut text =
                        format!("Error while parsing option value for \"{}\": ", field.name)
                            .into_bytes();
                    text.extend_from_slice(&message);
                    self.error(option, ErrorKind::OptionValue, text);
                    return None;
                }
                if field.ty == Type::Group {
                    wire::key(out, field.number, 3);
                    out.extend(payload);
                    wire::key(out, field.number, 4);
                } else {
                    wire::length_delimited(out, field.number, &payload);
                }
                Some(())
            }
            _ => match self.encode_scalar(field, value) {
                Ok(bytes) => {
                    out.extend(bytes);
                    Some(())
                }
                Err(message) => {
                    self.error(option, ErrorKind::OptionValue, message);
                    None
                }
            },
        }
    }

    /// Encodes a scalar option value with protoc's checks and messages.
    fn encode_scalar(&self, field: &FieldInfo, value: &OptionValue) -> Result<Vec<u8>, String> {
        let name = &field.full_name;
        let mut out = Vec::new();
        let int = match value {
            OptionValue::Int(lit) => Some((lit.negative, lit.value)),
            _ => None,
        };
        let signed = |min: i64, max: i64, type_name: &str| -> Result<i64, String> {
            match int {
                Some((false, v)) if v <= max as u64 => Ok(v as i64),
                Some((true, v)) if v <= min.unsigned_abs() => Ok((v as i64).wrapping_neg()),
                Some(_) => Err(format!(
                    "Value out of range, {min} to {max}, for {type_name} option \"{name}\"."
                )),
                None => Err(format!(
                    "Value must be integer, from {min} to {max}, for {type_name} option \"{name}\"."
                )),
            }
        };
        let unsigned = |max: u64, type_name: &str| -> Result<u64, String> {
            match int {
                Some((false, v)) if v <= max => Ok(v),
                Some((false, _)) => Err(format!(
                    "Value out of range, 0 to {max}, for {type_name} option \"{name}\"."
                )),
                _ => Err(format!(
                    "Value must be integer, from 0 to {max}, for {type_name} option \"{name}\"."
                )),
            }
        };
        let number = field.number;
        match field.ty {
            Type::Int32 => {
                let v = signed(i32::MIN as i64, i32::MAX as i64, "int32")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v as u64);
            }
            Type::Int64 => {
                let v = signed(i64::MIN, i64::MAX, "int64")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v as u64);
            }
            Type::Sint32 => {
                let v = signed(i32::MIN as i64, i32::MAX as i64, "int32")? as i32;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, ((v << 1) ^ (v >> 31)) as u32 as u64);
            }
            Type::Sint64 => {
                let v = signed(i64::MIN, i64::MAX, "int64")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, ((v << 1) ^ (v >> 63)) as u64);
            }
            Type::Sfixed32 => {
                let v = signed(i32::MIN as i64, i32::MAX as i64, "int32")? as i32;
                wire::key(&mut out, number, 5);
                out.extend(v.to_le_bytes());
            }
            Type::Sfixed64 => {
                let v = signed(i64::MIN, i64::MAX, "int64")?;
                wire::key(&mut out, number, 1);
                out.extend(v.to_le_bytes());
            }
            Type::Uint32 => {
                let v = unsigned(u32::MAX as u64, "uint32")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v);
            }
            Type::Uint64 => {
                let v = unsigned(u64::MAX, "uint64")?;
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v);
            }
            Type::Fixed32 => {
                let v = unsigned(u32::MAX as u64, "uint32")? as u32;
                wire::key(&mut out, number, 5);
                out.extend(v.to_le_bytes());
            }
            Type::Fixed64 => {
                let v = unsigned(u64::MAX, "uint64")?;
                wire::key(&mut out, number, 1);
                out.extend(v.to_le_bytes());
            }
            Type::Float | Type::Double => {
                let v = match value {
                    // protoc keeps a negative integer as an int64 and converts that: `-0`
                    // is 0, a positive zero.
                    OptionValue::Int(lit) if lit.negative && lit.value <= 1 << 63 => {
                        (lit.value as i64).wrapping_neg() as f64
                    }
                    OptionValue::Int(lit) if lit.negative => -(lit.value as f64),
                    OptionValue::Int(lit) => lit.value as f64,
                    OptionValue::Float { value, .. } => *value,
                    OptionValue::Ident {
                        negative, ident, ..
                    } if ident.name == "inf" => {
                        if *negative {
                            f64::NEG_INFINITY
                        } else {
                            f64::INFINITY
                        }
                    }
                    OptionValue::Ident { ident, .. } if ident.name == "nan" => f64::NAN,
                    _ => {
                        let kind = if field.ty == Type::Float {
                            "float"
                        } else {
                            "double"
                        };
                        return Err(format!(
                            "Value must be number for {kind} option \"{name}\"."
                        ));
                    }
                };
                if field.ty == Type::Float {
                    wire::key(&mut out, number, 5);
                    out.extend((v as f32).to_le_bytes());
                } else {
                    wire::key(&mut out, number, 1);
                    out.extend(v.to_le_bytes());
                }
            }
            Type::Bool => {
                let v = match value {
                    OptionValue::Ident {
                        negative: false,
                        ident,
                        ..
                    } if ident.name == "true" => 1,
                    OptionValue::Ident {
                        negative: false,
                        ident,
                        ..
                    } if ident.name == "false" => 0,
                    OptionValue::Ident {
                        negative: false, ..
                    } => {
                        return Err(format!(
                            "Value must be \"true\" or \"false\" for boolean option \"{name}\"."
                        ));
                    }
                    _ => {
                        return Err(format!(
                            "Value must be identifier for boolean option \"{name}\"."
                        ));
                    }
                };
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v);
            }
            Type::Enum => {
                let OptionValue::Ident {
                    negative: false,
                    ident,
                    ..
                } = value
                else {
                    return Err(format!(
                        "Value must be identifier for enum-valued option \"{name}\"."
                    ));
                };
                let enum_name = field.type_name.clone().unwrap_or_default();
                let v = match self.option_enum_value(field, &enum_name, &ident.name) {
                    Ok(v) => v,
                    Err(sibling) => {
                        let hint = if sibling {
                            " This appears to be a value from a sibling type."
                        } else {
                            ""
                        };
                        return Err(format!(
                            "Enum type \"{enum_name}\" has no value named \"{}\" for option \"{name}\".{hint}",
                            ident.name
                        ));
                    }
                };
                wire::key(&mut out, number, 0);
                wire::varint(&mut out, v as i64 as u64);
            }
            Type::String | Type::Bytes => {
                let OptionValue::String(lit) = value else {
                    return Err(format!(
                        "Value must be quoted string for string option \"{name}\"."
                    ));
                };
                wire::length_delimited(&mut out, number, &lit.value);
            }
            Type::Message | Type::Group => unreachable!("handled by encode_value"),
        }
        Ok(out)
    }

    /// The number of the value `value` of `enum_name`, the type of the option field `field`,
    /// the way protoc's option interpreter finds it: an enum of the pool's own files is
    /// searched by the value's full name (a sibling of the enum's) among all loaded symbols,
    /// so that a value of another enum of the same scope can be named in the error
    /// (`Err(true)`); an enum of descriptor.proto's built-in schema by name in the enum.
    fn option_enum_value(
        &self,
        field: &FieldInfo,
        enum_name: &str,
        value: &str,
    ) -> Result<i32, bool> {
        let Some(enum_symbol) = self
            .pool
            .symbols
            .get(enum_name)
            .filter(|symbol| field.file.is_some() && symbol.kind == SymbolKind::Enum)
        else {
            return bootstrap_enum(enum_name)
                .and_then(|enum_| enum_.value.iter().find(|v| v.name() == value))
                .map(|v| v.number())
                .ok_or(false);
        };
        let scope = &enum_name[..enum_name.rfind('.').map_or(0, |dot| dot + 1)];
        let value_name = [scope, value].concat();
        let symbol = self.pool.symbols.get(&value_name).ok_or(false)?;
        if symbol.kind != SymbolKind::Package {
            self.pool.used_files.mark(symbol.file);
        }
        if symbol.kind != SymbolKind::EnumValue {
            return Err(false);
        }
        let (enum_path, index) = symbol.path.split_at(symbol.path.len().saturating_sub(2));
        if symbol.file != enum_symbol.file || enum_path != enum_symbol.path {
            return Err(true);
        }
        let proto = self.pool.proto(symbol.file, (self.file, self.proto));
        Pool::enum_at(proto, enum_path)
            .and_then(|enum_| enum_.value.get(*index.get(1)? as usize))
            .map(|v| v.number())
            .ok_or(false)
    }

    /// The number of the value `value` of `enum_name` in an aggregate (text-format) value.
    fn enum_value_number(&self, enum_name: &str, value: &str) -> Option<i32> {
        let enum_ = match self.pool.symbols.get(enum_name) {
            Some(symbol) if symbol.kind == SymbolKind::Enum => {
                // protoc looks the value up by name, which uses the enum's file.
                self.pool.used_files.mark(symbol.file);
                let proto = self.pool.proto(symbol.file, (self.file, self.proto));
                Pool::enum_at(proto, symbol.path)?
            }
            _ => bootstrap_enum(enum_name)?,
        };
        enum_
            .value
            .iter()
            .find(|v| v.name() == value)
            .map(|v| v.number())
    }

    /// Whether the closed enum `enum_name` has no value numbered `number` (an open enum
    /// accepts any number).
    fn closed_enum_lacks(&self, enum_name: &str, number: i32) -> bool {
        let (enum_, closed) = match self.pool.symbols.get(enum_name) {
            Some(symbol) if symbol.kind == SymbolKind::Enum => {
                let proto = self.pool.proto(symbol.file, (self.file, self.proto));
                let syntax = self.pool.files[symbol.file].syntax;
                let Some(enum_) = Pool::enum_at(proto, symbol.path) else {
                    return false;
                };
                let features = crate::features::resolve(proto, syntax, symbol.path);
                (enum_, features.enum_type == crate::features::value::CLOSED)
            }
            // descriptor.proto's enums (proto2) are closed.
            _ => match bootstrap_enum(enum_name) {
                Some(enum_) => (enum_, true),
                None => return false,
            },
        };
        closed && !enum_.value.iter().any(|v| v.number() == number)
    }
}

/// protoc's option interpretation of a file, with the feature resolution between its passes:
/// first the options naming a field of the options message (features included) of every
/// element, then the features of every element are resolved from what that pass set, then
/// the custom options of every element, whose schemas may depend on those features. An error
/// stops neither the other elements nor the later steps; it only keeps the failing element's
/// values of that pass out. The interpreted options are merged into `proto` (all of them only
/// if nothing failed); returns the errors in protoc's order.
pub(crate) fn interpret_file(
    pool: &Pool,
    file: usize,
    proto: &mut FileDescriptorProto,
    syntax: Syntax,
    options: &[PendingOption],
    locations: &mut Locations,
) -> Vec<LinkError> {
    let order = crate::validate::interpretation_order(options);
    let mut repeated_counts = FastMap::with_capacity_and_hasher(options.len(), Default::default());
    let mut errors = Vec::new();
    let mut run_pass = |proto: &mut FileDescriptorProto, pass: u8, errors: &mut Vec<LinkError>| {
        let mut interpreter = Interpreter {
            pool,
            file,
            proto,
            errors: Vec::new(),
            lookups: FastMap::default(),
            last_scope: None,
        };
        let raw =
            interpreter.interpret_pass(options, &order, pass, locations, &mut repeated_counts);
        errors.append(&mut interpreter.errors);
        raw
    };
    let raw = run_pass(proto, 0, &mut errors);
    if apply_options(proto, raw).is_err() {
        errors.push(unparsable_options());
    }
    errors.extend(crate::features::resolution_errors(proto, syntax));
    let raw = run_pass(proto, 1, &mut errors);
    if !errors.iter().any(|e| e.level.is_error()) && apply_options(proto, raw).is_err() {
        errors.push(unparsable_options());
    }
    errors
}

/// Interpreted option values of an element that do not parse back as protoc's own types (see
/// [`compiled_in`]), or do not decode at all. protoc follows this line with the options before
/// and after, printed by its debug printer, which randomizes its output; those lines are left
/// out.
fn unparsable_options() -> LinkError {
    LinkError {
        path: Vec::new(),
        kind: ErrorKind::Unrecorded,
        message: "Some options could not be correctly parsed using the proto descriptors compiled into this binary.".into(),
        level: crate::link::Level::Error,
    }
}

/// An option name as protoc prints it in errors (`(ext).field`).
fn option_display_name(name: &ast::OptionName) -> String {
    let parts: Vec<String> = name
        .parts
        .iter()
        .map(|part| match part {
            OptionNamePart::Simple(ident) => ident.name.clone(),
            OptionNamePart::Extension(name, _) => format!("({})", name.to_text()),
        })
        .collect();
    parts.join(".")
}

/// `descriptor.proto` lowered and linked on its own (without interpreting its options), used
/// as the schema of the standard options when a compilation does not load descriptor.proto.
fn bootstrap() -> &'static FileDescriptorProto {
    static BOOTSTRAP: std::sync::OnceLock<FileDescriptorProto> = std::sync::OnceLock::new();
    BOOTSTRAP.get_or_init(|| {
        let source = crate::wkt::embedded_file("google/protobuf/descriptor.proto")
            .expect("descriptor.proto is embedded");
        let mut parsed = rivet_syntax::parse(source.as_bytes());
        let lowered = crate::lower::lower_file(
            "google/protobuf/descriptor.proto",
            &mut parsed.file,
            crate::lower::Positions::FileOnly,
        );
        let mut pool = Pool::default();
        let mut proto = lowered.proto;
        pool.files.push(crate::pool::PoolFile {
            name: "google/protobuf/descriptor.proto".into(),
            package: "google.protobuf".into(),
            proto: FileDescriptorProto::default(),
            syntax: lowered.syntax,
            visible: [0].into_iter().collect(),
            option_visible: Default::default(),
            ok: true,
        });
        let mut linker = crate::link::Linker {
            pool: &mut pool,
            file: 0,
            errors: Vec::new(),
            enum_defaults: Vec::new(),
        };
        linker.define_symbols(&proto);
        linker.cross_link(&mut proto);
        mark_source_retention(&mut proto, &lowered.options);
        proto
    })
}

/// Sets `options.retention` on the bootstrap's fields declared `[retention = RETENTION_SOURCE]`
/// (their options are not interpreted): protoc strips those fields from its output even when a
/// run does not load descriptor.proto, since its own compiled-in copy knows them.
fn mark_source_retention(proto: &mut FileDescriptorProto, options: &[PendingOption]) {
    for option in options {
        let is_retention = matches!(option.name.parts.as_slice(),
            [OptionNamePart::Simple(name)] if name.name == "retention");
        let is_source = matches!(&option.value,
            OptionValue::Ident { negative: false, ident, .. } if ident.name == "RETENTION_SOURCE");
        if option.kind != OptionsKind::Field || !is_retention || !is_source {
            continue;
        }
        let Some((parent, &[kind, index])) = option.element_path.split_last_chunk::<2>() else {
            continue;
        };
        let Some((&[tag::FILE_MESSAGE, first], mut rest)) = parent.split_first_chunk::<2>() else {
            continue;
        };
        let Some(mut message) = proto.message_type.get_mut(first as usize) else {
            continue;
        };
        while let Some((&[tag::MESSAGE_NESTED, nested], tail)) = rest.split_first_chunk::<2>() {
            let Some(next) = message.nested_type.get_mut(nested as usize) else {
                break;
            };
            message = next;
            rest = tail;
        }
        if !rest.is_empty() || kind != tag::MESSAGE_FIELD {
            continue;
        }
        if let Some(field) = message.field.get_mut(index as usize) {
            field.options.get_or_insert_with(Default::default).retention = Some(2);
        }
    }
}

/// A message of descriptor.proto's built-in schema.
fn bootstrap_site<'a>(full_name: &str) -> Option<MessageSite<'a>> {
    bootstrap_message(full_name).map(|m| {
        (
            m,
            Syntax::Proto2,
            None,
            Box::default(),
            full_name.to_string(),
            None,
        )
    })
}

pub(crate) fn bootstrap_message(full_name: &str) -> Option<&'static DescriptorProto> {
    let rest = full_name.strip_prefix("google.protobuf.")?;
    let mut parts = rest.split('.');
    let first = parts.next()?;
    let mut message = bootstrap()
        .message_type
        .iter()
        .find(|m| m.name() == first)?;
    for part in parts {
        message = message.nested_type.iter().find(|m| m.name() == part)?;
    }
    Some(message)
}

fn bootstrap_enum(full_name: &str) -> Option<&'static rivet_descriptor::EnumDescriptorProto> {
    let (parent, name) = full_name.rsplit_once('.')?;
    if parent == "google.protobuf" {
        return bootstrap().enum_type.iter().find(|e| e.name() == name);
    }
    bootstrap_message(parent)?
        .enum_type
        .iter()
        .find(|e| e.name() == name)
}

/// Merges interpreted option bytes into an options message.
pub(crate) fn merge_options<T: Message + Default>(
    slot: &mut Option<T>,
    raw: &[u8],
) -> Result<(), prost::DecodeError> {
    let mut bytes = slot
        .as_ref()
        .map(Message::encode_to_vec)
        .unwrap_or_default();
    bytes.extend_from_slice(raw);
    *slot = Some(T::decode(bytes.as_slice())?);
    Ok(())
}

/// Applies the interpreted option bytes of every element of `proto`. `Err`: some do not
/// decode (say, groups nested past the decoder's limit). (Options that decode but do not read
/// back as protoc's own types were reported as they were interpreted: see `compiled_in`.)
fn apply_options(
    proto: &mut FileDescriptorProto,
    raw: FastMap<&[i32], (OptionsKind, Vec<u8>)>,
) -> Result<(), prost::DecodeError> {
    for (path, (kind, bytes)) in raw {
        crate::scope::with_element(proto, path, kind, |element| element.merge(&bytes))
            .transpose()?;
    }
    Ok(())
}
