//! What protoc does to each file between building it and writing `--descriptor_set_out`:
//! `StripSourceRetentionOptions`.
//!
//! Without `--retain_options`, protoc removes every option field declared with
//! `retention = RETENTION_SOURCE`. It walks the file as a message of the run's own
//! `google.protobuf.FileDescriptorProto` when the pool has one (the options messages are those
//! its fields lead to, whatever file declares them; what its schema does not declare is left
//! as it is), re-parsing each file through a dynamic message that knows every custom option:
//! the options come out re-encoded canonically (fields and extensions by number, repeated
//! values packed as declared, several statements setting the same message-typed option merged
//! into one, a oneof keeping only its last member, MessageSet extensions written as items, a
//! map entry's key and value always written, records whose wire type does not fit their field
//! kept as unknown fields after the known ones). Without a `FileDescriptorProto` in the pool,
//! protoc strips through its own compiled-in descriptor.proto, which knows no custom option.
//! An `*Options` message emptied by stripping is removed only if its type is declared in a
//! file named `google/protobuf/descriptor.proto` (a copy under another path leaves it empty).

use prost::Message;
use rivet_descriptor::field_descriptor_proto::Type;
use rivet_descriptor::{DescriptorProto, FileDescriptorProto};

use crate::hash::{FastMap, FastSet};
use crate::lower::{Syntax, tag};
use crate::options::compiled_in::ReadBack;
use crate::schema::{FieldSchema, Site, field_schema};
use crate::wire;

/// A path inside the file (as in `SourceCodeInfo`) of an option that was stripped.
type StrippedPaths = Vec<Vec<i32>>;
use crate::pool::{Pool, SymbolKind};

/// The message a file is walked as.
const FILE_DESCRIPTOR_PROTO: &str = "google.protobuf.FileDescriptorProto";

/// Where an extension is declared: its file and path in that file.
type ExtensionSite = (usize, Box<[i32]>);

/// Schemas of messages by full name, from the pool (or the embedded descriptor.proto).
#[derive(Clone)]
pub(crate) struct Finalizer {
    /// Whether the pool contains descriptor.proto (protoc then re-encodes canonically).
    canonical: bool,
    /// Every message type reachable from the options messages: field number to schema.
    schemas: FastMap<String, FastMap<i32, FieldSchema>>,
    /// The `*Options` messages among `schemas` declared in a file named
    /// `google/protobuf/descriptor.proto`: one emptied by stripping is removed rather than
    /// written empty.
    options_messages: FastSet<String>,
    /// The messages among `schemas` declared `message_set_wire_format`.
    message_sets: FastSet<String>,
    /// The map entries among `schemas`: protoc writes every field of an entry, set or not;
    /// here each field's number and its record holding the default value.
    map_entries: FastMap<String, Vec<(i32, Vec<u8>)>>,
    stripped: StrippedPaths,
}

/// Where a message is declared: the message, its file's syntax, its file and path.
type MessageSite<'p> = (
    &'p DescriptorProto,
    Syntax,
    Option<&'p FileDescriptorProto>,
    Box<[i32]>,
);

impl Finalizer {
    /// Precomputes the schemas of the options messages and of every message type reachable
    /// from them through fields and extensions.
    pub(crate) fn new(pool: &Pool) -> Self {
        let canonical = pool
            .symbols
            .get(FILE_DESCRIPTOR_PROTO)
            .is_some_and(|symbol| symbol.kind == SymbolKind::Message);
        let mut extensions: FastMap<String, Vec<ExtensionSite>> = FastMap::default();
        if canonical {
            for symbol in pool.symbols.iter() {
                if symbol.kind != SymbolKind::Extension {
                    continue;
                }
                let proto = &pool.files[symbol.file].proto;
                if let Some(field) = Pool::field_at(proto, symbol.path) {
                    let extendee = field.extendee().trim_start_matches('.').to_string();
                    extensions
                        .entry(extendee)
                        .or_default()
                        .push((symbol.file, symbol.path.into()));
                }
            }
            // Two extensions of one message may share a number (protoc only warns about
            // options): protoc's pool reads the number as the one registered first, in build
            // order (files in load order).
            for sites in extensions.values_mut() {
                sites.sort_unstable();
            }
        }
        let message = |full_name: &str| -> Option<MessageSite<'_>> {
            if canonical {
                let symbol = pool.symbols.get(full_name)?;
                if symbol.kind != SymbolKind::Message {
                    return None;
                }
                let file = &pool.files[symbol.file];
                return Pool::message_at(&file.proto, symbol.path)
                    .map(|m| (m, file.syntax, Some(&file.proto), symbol.path.into()));
            }
            crate::options::bootstrap_message(full_name)
                .map(|m| (m, Syntax::Proto2, None, Box::default()))
        };
        let mut schemas: FastMap<String, FastMap<i32, FieldSchema>> = FastMap::default();
        let mut options_messages = FastSet::default();
        let mut message_sets = FastSet::default();
        let mut map_entries = FastMap::default();
        // protoc walks the file as a message of the descriptor.proto in use (the pool's, else
        // its own), reaching the options messages through its fields.
        let mut queue = vec![FILE_DESCRIPTOR_PROTO.to_string()];
        while let Some(name) = queue.pop() {
            if schemas.contains_key(&name) {
                continue;
            }
            let Some((descriptor, syntax, file, path)) = message(&name) else {
                continue;
            };
            let in_descriptor_proto = match file {
                Some(_) => pool.symbols.get(&name).is_some_and(|symbol| {
                    pool.files[symbol.file].name == "google/protobuf/descriptor.proto"
                }),
                None => true,
            };
            if in_descriptor_proto && descriptor.name().ends_with("Options") {
                options_messages.insert(name.clone());
            }
            if descriptor
                .options
                .as_ref()
                .and_then(|o| o.message_set_wire_format)
                == Some(true)
            {
                message_sets.insert(name.clone());
            }
            let mut fields = FastMap::default();
            for field in &descriptor.field {
                let site = Site {
                    syntax,
                    file,
                    scope_path: &path,
                };
                fields.insert(field.number(), field_schema(field, site));
            }
            if canonical && descriptor.options.as_ref().and_then(|o| o.map_entry) == Some(true) {
                let mut defaults = Vec::new();
                for field in &descriptor.field {
                    let Some(schema) = fields.get_mut(&field.number()) else {
                        continue;
                    };
                    schema.implicit_presence = false;
                    defaults.push((schema.number, default_record(schema)));
                }
                map_entries.insert(name.clone(), defaults);
            }
            for (ext_file, ext_path) in extensions.get(&name).into_iter().flatten() {
                let pool_file = &pool.files[*ext_file];
                if let Some(field) = Pool::field_at(&pool_file.proto, ext_path) {
                    let scope = &ext_path[..ext_path.len() - 2];
                    let site = Site {
                        syntax: pool_file.syntax,
                        file: Some(&pool_file.proto),
                        scope_path: scope,
                    };
                    let schema = field_schema(field, site);
                    fields.entry(field.number()).or_insert(schema);
                }
            }
            for schema in fields.values() {
                if let Some(type_name) = &schema.type_name
                    && matches!(schema.ty, Type::Message | Type::Group)
                {
                    queue.push(type_name.clone());
                }
            }
            schemas.insert(name, fields);
        }
        Finalizer {
            canonical,
            schemas,
            options_messages,
            message_sets,
            map_entries,
            stripped: Vec::new(),
        }
    }
}

impl Finalizer {
    /// Re-encodes `bytes` (a message of type `full_name` at `path` in the file) as protoc's
    /// pass would, recording the paths of stripped fields.
    fn rewrite(
        &self,
        full_name: &str,
        bytes: &[u8],
        path: &mut Vec<i32>,
        stripped: &mut StrippedPaths,
    ) -> Vec<u8> {
        let Some(schema) = self.schemas.get(full_name) else {
            return bytes.to_vec();
        };
        if path.len() > 200 {
            return bytes.to_vec();
        }
        let message_set = self.canonical && self.message_sets.contains(full_name);
        let normalized;
        let bytes = if message_set {
            // Items are read as the extensions they hold.
            let Some(plain) = message_set_items_as_fields(bytes) else {
                return bytes.to_vec();
            };
            normalized = plain;
            &normalized[..]
        } else {
            bytes
        };
        let Some(records) = parse_records(bytes) else {
            return bytes.to_vec();
        };
        let records = if self.canonical {
            last_oneof_members(records, schema)
        } else {
            records
        };
        // A record whose wire type does not fit its field is parsed as an unknown field.
        let is_known = |r: &Record<'_>| schema.get(&r.number).is_some_and(|f| f.accepts(r));
        let mut known: Vec<i32> = records
            .iter()
            .filter(|r| is_known(r))
            .map(|r| r.number)
            .collect();
        known.sort_unstable();
        known.dedup();
        let map_entry = self.map_entries.get(full_name);
        let mut out = Vec::with_capacity(bytes.len());
        // A map entry's fields are all written, in declaration order.
        let order: Vec<i32> = match map_entry {
            Some(defaults) => defaults.iter().map(|(number, _)| *number).collect(),
            None => known,
        };
        for number in order {
            let field = &schema[&number];
            path.push(number);
            let values: Vec<&Record> = records
                .iter()
                .filter(|r| r.number == number && is_known(r))
                .collect();
            if field.source_retention {
                if !values.is_empty() {
                    stripped.push(path.clone());
                }
            } else if let Some(defaults) = map_entry
                && values.is_empty()
            {
                if let Some((_, record)) = defaults.iter().find(|(n, _)| *n == number) {
                    out.extend_from_slice(record);
                }
            } else {
                let item = message_set && field.ty == Type::Message && !field.repeated;
                self.write_field(field, &values, &mut out, path, stripped, item);
            }
            path.pop();
        }
        // Fields the schema does not know keep their order, after the known ones; a message
        // set keeps only the length-delimited ones, as items.
        for record in records.iter().filter(|r| !is_known(r)) {
            if !message_set {
                out.extend_from_slice(record.raw);
            } else if record.wire_type == 2 {
                write_message_set_item(&mut out, record.number, record.payload);
            }
        }
        out
    }

    /// Writes the records of one known field; `path` ends with its number. `item`: the field
    /// is written as a MessageSet item.
    fn write_field(
        &self,
        field: &FieldSchema,
        values: &[&Record],
        out: &mut Vec<u8>,
        path: &mut Vec<i32>,
        stripped: &mut StrippedPaths,
        item: bool,
    ) {
        let number = field.number;
        let is_message = matches!(field.ty, Type::Message | Type::Group);
        if is_message {
            let type_name = field.type_name.clone().unwrap_or_default();
            let payloads: Vec<Vec<u8>> = if field.repeated || !self.canonical {
                values.iter().map(|r| r.payload.to_vec()).collect()
            } else {
                // Singular message fields set several times are merged.
                vec![
                    values
                        .iter()
                        .flat_map(|r| r.payload.iter().copied())
                        .collect(),
                ]
            };
            for (index, payload) in payloads.into_iter().enumerate() {
                if field.repeated {
                    path.push(index as i32);
                }
                let inner = self.rewrite(&type_name, &payload, path, stripped);
                if field.repeated {
                    path.pop();
                } else if inner.is_empty()
                    && !payload.is_empty()
                    && self.options_messages.contains(&type_name)
                {
                    // A singular options message that only held stripped options is removed.
                    stripped.push(path.clone());
                    continue;
                }
                if item {
                    write_message_set_item(out, number, &inner);
                } else if field.ty == Type::Group {
                    wire::key(out, number, 3);
                    out.extend(inner);
                    wire::key(out, number, 4);
                } else {
                    wire::key(out, number, 2);
                    wire::varint(out, inner.len() as u64);
                    out.extend(inner);
                }
            }
            return;
        }
        if !self.canonical {
            // Only stripping: the records stay as they were.
            for record in values {
                out.extend_from_slice(record.raw);
            }
            return;
        }
        if !field.repeated {
            if let Some(last) = values.last() {
                // A field without presence holding its default is not serialized.
                let is_default = last.payload.iter().all(|&b| b == 0) && last.payload.len() <= 8;
                if !(field.implicit_presence && is_default) {
                    out.extend_from_slice(last.raw);
                }
            }
            return;
        }
        // Repeated scalars: split packed runs into single values, then write as declared.
        let mut elements: Vec<Vec<u8>> = Vec::new();
        let wire_type = scalar_wire_type(field.ty);
        for record in values {
            if record.wire_type == 2 && wire_type != 2 {
                let mut rest = record.payload;
                while !rest.is_empty() {
                    let len = match wire_type {
                        0 => rest
                            .iter()
                            .position(|b| b & 0x80 == 0)
                            .map_or(rest.len(), |i| i + 1),
                        1 => 8.min(rest.len()),
                        _ => 4.min(rest.len()),
                    };
                    elements.push(rest[..len].to_vec());
                    rest = &rest[len..];
                }
            } else {
                elements.push(record.payload.to_vec());
            }
        }
        if field.packed {
            let payload: Vec<u8> = elements.concat();
            wire::key(out, number, 2);
            wire::varint(out, payload.len() as u64);
            out.extend(payload);
        } else {
            for element in elements {
                if wire_type == 2 {
                    wire::key(out, number, 2);
                    wire::varint(out, element.len() as u64);
                } else {
                    wire::key(out, number, wire_type);
                }
                out.extend(element);
            }
        }
    }

    /// The message type of field `number` of the message type `ty`, as the pool's schema of
    /// the descriptor messages declares it: protoc reaches each options message through
    /// these fields, and leaves untouched what its schema does not declare as a message.
    fn child(&self, ty: Option<&str>, number: i32) -> Option<&str> {
        let field = self.schemas.get(ty?)?.get(&number)?;
        (field.ty == Type::Message).then_some(field.type_name.as_deref()?)
    }

    /// Re-encodes one options message of type `ty` at `path` (as protoc's dynamic round trip
    /// does, then reading the result back as protoc's own class); an options message of
    /// descriptor.proto emptied by stripping is removed.
    fn rewrite_options<T: Message + Default + ReadBack>(
        &self,
        slot: &mut Option<T>,
        ty: Option<&str>,
        path: &mut Vec<i32>,
        stripped: &mut StrippedPaths,
    ) {
        let (Some(options), Some(ty)) = (slot.as_mut(), ty) else {
            return;
        };
        let before = options.encode_to_vec();
        let after = self.rewrite(ty, &before, path, stripped);
        if after == before {
            return;
        }
        if after.is_empty() && !before.is_empty() && self.options_messages.contains(ty) {
            stripped.push(path.clone());
            *slot = None;
        } else if let Ok(mut decoded) = T::decode(after.as_slice()) {
            // protoc parses the result back into its own options class. (What does not parse
            // failed the file when its options were interpreted.)
            let _ = decoded.read_back();
            *options = decoded;
        }
    }

    /// Applies the pass to every options message of `proto`, and drops the source locations
    /// of what was stripped.
    pub(crate) fn finalize(&mut self, proto: &mut FileDescriptorProto) {
        let mut stripped = std::mem::take(&mut self.stripped);
        stripped.clear();
        self.finalize_file(proto, &mut stripped);
        if let Some(info) = proto.source_code_info.as_mut()
            && !stripped.is_empty()
        {
            info.location
                .retain(|location| !stripped.iter().any(|p| location.path.starts_with(p)));
        }
        self.stripped = stripped;
    }

    /// The paths of the options stripped by the last [`Finalizer::finalize`]: their source
    /// locations do not belong in the output.
    pub(crate) fn stripped(&self) -> &[Vec<i32>] {
        &self.stripped
    }

    fn finalize_file(&self, proto: &mut FileDescriptorProto, stripped: &mut StrippedPaths) {
        let file = Some(FILE_DESCRIPTOR_PROTO);
        let mut path = vec![tag::FILE_OPTIONS];
        let options = self.child(file, tag::FILE_OPTIONS);
        self.rewrite_options(&mut proto.options, options, &mut path, stripped);
        let message_ty = self.child(file, tag::FILE_MESSAGE);
        for (i, message) in proto.message_type.iter_mut().enumerate() {
            let mut path = vec![tag::FILE_MESSAGE, i as i32];
            self.finalize_message(message, message_ty, &mut path, stripped);
        }
        let field_options = self.child(self.child(file, tag::FILE_EXTENSION), tag::FIELD_OPTIONS);
        for (i, field) in proto.extension.iter_mut().enumerate() {
            let mut path = vec![tag::FILE_EXTENSION, i as i32, tag::FIELD_OPTIONS];
            self.rewrite_options(&mut field.options, field_options, &mut path, stripped);
        }
        let enum_ty = self.child(file, tag::FILE_ENUM);
        for (i, enum_) in proto.enum_type.iter_mut().enumerate() {
            let mut path = vec![tag::FILE_ENUM, i as i32];
            self.finalize_enum(enum_, enum_ty, &mut path, stripped);
        }
        let service_ty = self.child(file, tag::FILE_SERVICE);
        let service_options = self.child(service_ty, tag::SERVICE_OPTIONS);
        let method_options = self.child(
            self.child(service_ty, tag::SERVICE_METHOD),
            tag::METHOD_OPTIONS,
        );
        for (i, service) in proto.service.iter_mut().enumerate() {
            let mut path = vec![tag::FILE_SERVICE, i as i32, tag::SERVICE_OPTIONS];
            self.rewrite_options(&mut service.options, service_options, &mut path, stripped);
            for (j, method) in service.method.iter_mut().enumerate() {
                let mut path = vec![
                    tag::FILE_SERVICE,
                    i as i32,
                    tag::SERVICE_METHOD,
                    j as i32,
                    tag::METHOD_OPTIONS,
                ];
                self.rewrite_options(&mut method.options, method_options, &mut path, stripped);
            }
        }
    }

    fn finalize_enum(
        &self,
        enum_: &mut rivet_descriptor::EnumDescriptorProto,
        ty: Option<&str>,
        path: &mut Vec<i32>,
        stripped: &mut StrippedPaths,
    ) {
        path.push(tag::ENUM_OPTIONS);
        let options = self.child(ty, tag::ENUM_OPTIONS);
        self.rewrite_options(&mut enum_.options, options, path, stripped);
        path.pop();
        let value_options = self.child(self.child(ty, tag::ENUM_VALUE), tag::ENUM_VALUE_OPTIONS);
        for (j, value) in enum_.value.iter_mut().enumerate() {
            path.extend([tag::ENUM_VALUE, j as i32, tag::ENUM_VALUE_OPTIONS]);
            self.rewrite_options(&mut value.options, value_options, path, stripped);
            path.truncate(path.len() - 3);
        }
    }

    fn finalize_message(
        &self,
        message: &mut DescriptorProto,
        ty: Option<&str>,
        path: &mut Vec<i32>,
        stripped: &mut StrippedPaths,
    ) {
        path.push(tag::MESSAGE_OPTIONS);
        let options = self.child(ty, tag::MESSAGE_OPTIONS);
        self.rewrite_options(&mut message.options, options, path, stripped);
        path.pop();
        for (number, fields) in [
            (tag::MESSAGE_FIELD, &mut message.field),
            (tag::MESSAGE_EXTENSION, &mut message.extension),
        ] {
            let field_options = self.child(self.child(ty, number), tag::FIELD_OPTIONS);
            for (i, field) in fields.iter_mut().enumerate() {
                path.extend([number, i as i32, tag::FIELD_OPTIONS]);
                self.rewrite_options(&mut field.options, field_options, path, stripped);
                path.truncate(path.len() - 3);
            }
        }
        let oneof_options = self.child(self.child(ty, tag::MESSAGE_ONEOF), tag::ONEOF_OPTIONS);
        for (i, oneof) in message.oneof_decl.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_ONEOF, i as i32, tag::ONEOF_OPTIONS]);
            self.rewrite_options(&mut oneof.options, oneof_options, path, stripped);
            path.truncate(path.len() - 3);
        }
        let range_options = self.child(
            self.child(ty, tag::MESSAGE_EXTENSION_RANGE),
            tag::EXTENSION_RANGE_OPTIONS,
        );
        for (i, range) in message.extension_range.iter_mut().enumerate() {
            path.extend([
                tag::MESSAGE_EXTENSION_RANGE,
                i as i32,
                tag::EXTENSION_RANGE_OPTIONS,
            ]);
            self.rewrite_options(&mut range.options, range_options, path, stripped);
            path.truncate(path.len() - 3);
        }
        let enum_ty = self.child(ty, tag::MESSAGE_ENUM);
        for (i, enum_) in message.enum_type.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_ENUM, i as i32]);
            self.finalize_enum(enum_, enum_ty, path, stripped);
            path.truncate(path.len() - 2);
        }
        let nested_ty = self.child(ty, tag::MESSAGE_NESTED);
        for (i, nested) in message.nested_type.iter_mut().enumerate() {
            path.extend([tag::MESSAGE_NESTED, i as i32]);
            self.finalize_message(nested, nested_ty, path, stripped);
            path.truncate(path.len() - 2);
        }
    }
}

/// The record of a field holding its default value (a message: empty).
fn default_record(field: &FieldSchema) -> Vec<u8> {
    let mut out = Vec::new();
    match field.ty {
        Type::Group => {
            wire::key(&mut out, field.number, 3);
            wire::key(&mut out, field.number, 4);
        }
        ty => {
            let wire_type = scalar_wire_type(ty);
            wire::key(&mut out, field.number, wire_type);
            match wire_type {
                // (A map's enum starts with 0.)
                0 => out.push(0),
                1 => out.extend([0; 8]),
                5 => out.extend([0; 4]),
                _ => out.push(0),
            }
        }
    }
    out
}

/// Drops the records that parsing would discard for oneofs: setting a member of a oneof clears
/// the member set before, so a oneof keeps only the records of its last member written since
/// another member was last written.
fn last_oneof_members<'b>(
    records: Vec<Record<'b>>,
    schema: &FastMap<i32, FieldSchema>,
) -> Vec<Record<'b>> {
    let oneof_of = |record: &Record<'_>| schema.get(&record.number).and_then(|f| f.oneof);
    if !records.iter().any(|r| oneof_of(r).is_some()) {
        return records;
    }
    // For each oneof: its current member and the index of the record that set it.
    let mut current: FastMap<i32, (i32, usize)> = FastMap::default();
    for (index, record) in records.iter().enumerate() {
        if let Some(oneof) = oneof_of(record) {
            let entry = current.entry(oneof).or_insert((record.number, index));
            if entry.0 != record.number {
                *entry = (record.number, index);
            }
        }
    }
    records
        .into_iter()
        .enumerate()
        .filter(|(index, record)| match oneof_of(record) {
            Some(oneof) => {
                let (member, start) = current[&oneof];
                member == record.number && *index >= start
            }
            None => true,
        })
        .map(|(_, record)| record)
        .collect()
}

impl FieldSchema {
    /// Whether parsing reads `record` as this field: its wire type fits the field's type (a
    /// repeated scalar also accepts a packed run).
    fn accepts(&self, record: &Record<'_>) -> bool {
        let wire_type = scalar_wire_type(self.ty);
        record.wire_type == wire_type
            || (self.repeated && wire_type != 2 && wire_type != 3 && record.wire_type == 2)
    }
}

/// One field record of an encoded message.
pub(crate) struct Record<'b> {
    pub(crate) number: i32,
    pub(crate) wire_type: u8,
    /// The whole record, key included.
    pub(crate) raw: &'b [u8],
    /// The value: varint bytes, fixed bytes, length-delimited payload, or group contents.
    pub(crate) payload: &'b [u8],
}

/// [`wire::read_varint`] at offset `pos` of `bytes`, advancing `pos`.
fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut rest = bytes.get(*pos..)?;
    let value = wire::read_varint(&mut rest)?;
    *pos = bytes.len() - rest.len();
    Some(value)
}

/// Splits an encoded message into records; `None` if it is malformed.
pub(crate) fn parse_records(bytes: &[u8]) -> Option<Vec<Record<'_>>> {
    let mut records = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let start = pos;
        let key = read_varint(bytes, &mut pos)?;
        let number = i32::try_from(key >> 3).ok()?;
        let wire_type = (key & 7) as u8;
        let (payload_start, payload_end) = match wire_type {
            0 => {
                let value_start = pos;
                read_varint(bytes, &mut pos)?;
                (value_start, pos)
            }
            1 => {
                pos = pos.checked_add(8)?;
                (pos - 8, pos)
            }
            5 => {
                pos = pos.checked_add(4)?;
                (pos - 4, pos)
            }
            2 => {
                let len = usize::try_from(read_varint(bytes, &mut pos)?).ok()?;
                let value_start = pos;
                pos = pos.checked_add(len)?;
                (value_start, pos)
            }
            3 => {
                let value_start = pos;
                let end = skip_group(bytes, &mut pos, number, 0)?;
                (value_start, end)
            }
            _ => return None,
        };
        if pos > bytes.len() {
            return None;
        }
        records.push(Record {
            number,
            wire_type,
            raw: &bytes[start..pos],
            payload: &bytes[payload_start..payload_end],
        });
    }
    Some(records)
}

/// Skips a group's contents; returns the offset of its end-group key.
fn skip_group(bytes: &[u8], pos: &mut usize, number: i32, depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    loop {
        let key_start = *pos;
        let key = read_varint(bytes, pos)?;
        let wire_type = (key & 7) as u8;
        match wire_type {
            0 => {
                read_varint(bytes, pos)?;
            }
            1 => *pos = pos.checked_add(8)?,
            5 => *pos = pos.checked_add(4)?,
            2 => {
                let len = usize::try_from(read_varint(bytes, pos)?).ok()?;
                *pos = pos.checked_add(len)?;
            }
            3 => {
                skip_group(bytes, pos, (key >> 3) as i32, depth + 1)?;
            }
            4 if (key >> 3) as i32 == number => return Some(key_start),
            _ => return None,
        }
        if *pos > bytes.len() {
            return None;
        }
    }
}

/// Rewrites the MessageSet items of `bytes` (group 1 holding the type id as field 2 and the
/// message as field 3) as length-delimited fields numbered by their type id, as parsing reads
/// them; other records are kept. `None` if the bytes are malformed.
fn message_set_items_as_fields(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    for record in parse_records(bytes)? {
        if record.number != 1 || record.wire_type != 3 {
            out.extend_from_slice(record.raw);
            continue;
        }
        let mut type_id = None;
        let mut message = None;
        for field in parse_records(record.payload)? {
            match (field.number, field.wire_type) {
                (2, 0) if type_id.is_none() => {
                    let mut pos = 0;
                    type_id = Some(read_varint(field.payload, &mut pos)? as u32);
                }
                (3, 2) if message.is_none() => message = Some(field.payload),
                _ => {}
            }
        }
        // An item missing either part holds nothing.
        if let (Some(type_id), Some(message)) = (type_id, message)
            && type_id != 0
        {
            wire::key(&mut out, type_id as i32, 2);
            wire::varint(&mut out, message.len() as u64);
            out.extend_from_slice(message);
        }
    }
    Some(out)
}

/// Writes a MessageSet item holding `message` as the extension `number`.
fn write_message_set_item(out: &mut Vec<u8>, number: i32, message: &[u8]) {
    wire::key(out, 1, 3);
    wire::key(out, 2, 0);
    wire::varint(out, number as u32 as u64);
    wire::key(out, 3, 2);
    wire::varint(out, message.len() as u64);
    out.extend_from_slice(message);
    wire::key(out, 1, 4);
}

fn scalar_wire_type(ty: Type) -> u8 {
    match ty {
        Type::Double | Type::Fixed64 | Type::Sfixed64 => 1,
        Type::Float | Type::Fixed32 | Type::Sfixed32 => 5,
        Type::String | Type::Bytes | Type::Message => 2,
        Type::Group => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_and_groups() {
        // field 1 varint 150, field 2 "hi", group 3 { field 1 varint 1 }
        let bytes = [
            0x08, 0x96, 0x01, 0x12, 0x02, b'h', b'i', 0x1b, 0x08, 0x01, 0x1c,
        ];
        let records = parse_records(&bytes).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].payload, b"hi");
        assert_eq!(records[2].payload, &[0x08, 0x01]);
        assert!(parse_records(&[0x12, 0x05, b'x']).is_none());
    }

    #[test]
    fn message_set_items_round_trip() {
        let mut item = Vec::new();
        write_message_set_item(&mut item, 100, &[0x08, 0x05]);
        // group 1 { type_id (2) = 100, message (3) = { field 1 = 5 } }
        assert_eq!(item, [0x0b, 0x10, 100, 0x1a, 0x02, 0x08, 0x05, 0x0c]);
        let fields = message_set_items_as_fields(&item).unwrap();
        // field 100, length-delimited: key 100 << 3 | 2 as a varint.
        assert_eq!(fields, [0xa2, 0x06, 0x02, 0x08, 0x05]);
    }

    #[test]
    fn oneof_keeps_its_last_member() {
        let schema: FastMap<i32, FieldSchema> = [1, 2, 3]
            .into_iter()
            .map(|number| {
                let field = FieldSchema {
                    number,
                    ty: Type::Int32,
                    repeated: false,
                    packed: false,
                    implicit_presence: false,
                    source_retention: false,
                    type_name: None,
                    oneof: (number != 3).then_some(0),
                };
                (number, field)
            })
            .collect();
        // 1 = 1, 3 = 1, 2 = 2, 1 = 3, 1 = 4: the oneof keeps field 1 from its last switch.
        let bytes = [0x08, 1, 0x18, 1, 0x10, 2, 0x08, 3, 0x08, 4];
        let kept: Vec<(i32, u8)> = last_oneof_members(parse_records(&bytes).unwrap(), &schema)
            .iter()
            .map(|r| (r.number, r.payload[0]))
            .collect();
        assert_eq!(kept, [(3, 1), (1, 3), (1, 4)]);
    }
}
