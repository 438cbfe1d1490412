//! The number checks protoc makes while cross-linking (`CrossLinkField`): an extension's
//! number must be in one of its extendee's extension ranges, and field and extension numbers
//! must be unique per containing type, within the file (an error) and across files (a warning
//! for extensions).

use std::collections::BTreeSet;

use rivet_descriptor::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};

use crate::hash::FastMap;
use crate::link::{Level, LinkError, Linker};
use crate::lower::ErrorKind;
use crate::pool::Pool;

use super::{MAX_FIELD_NUMBER, join};

/// The fields and extensions of the file being linked, by containing type and number.
/// A field or extension holding a number.
#[derive(Debug)]
enum Numbered {
    /// A field of the containing message, by name.
    Field(Box<str>),
    /// An extension, by full name.
    Extension(String),
}

#[derive(Debug, Default)]
pub(crate) struct NumberTable {
    /// Per containing type, number to the first field or extension using it.
    /// Keyed by the containing message's file and path (two messages may share a name when
    /// one failed to define its symbol).
    by_number: FastMap<usize, FastMap<Vec<i32>, FastMap<i32, Numbered>>>,
    /// The extension ranges of this file's messages, by path (its proto is being rewritten
    /// while linking).
    local_ranges: FastMap<Vec<i32>, Vec<(i32, i32)>>,
    /// The names of the leading sequential fields (see [`sequential_len`]) of this file's
    /// messages, by path.
    local_sequential: FastMap<Vec<i32>, Vec<Box<str>>>,
}

fn collect_ranges(message: &DescriptorProto, path: &mut Vec<i32>, table: &mut NumberTable) {
    for (i, nested) in message.nested_type.iter().enumerate() {
        path.extend([crate::lower::tag::MESSAGE_NESTED, i as i32]);
        collect_ranges(nested, path, table);
        path.truncate(path.len() - 2);
    }
    if !message.extension_range.is_empty() {
        let ranges = message
            .extension_range
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect();
        table.local_ranges.insert(path.clone(), ranges);
    }
    let sequential = sequential_len(message);
    if sequential > 0 {
        let names = message.field[..sequential]
            .iter()
            .map(|f| f.name().into())
            .collect();
        table.local_sequential.insert(path.clone(), names);
    }
}

/// How many of `message`'s fields lead it numbered 1, 2, ... in declaration order (protoc's
/// `sequential_field_limit_`, at most 65,535). protoc's file tables find those by index rather
/// than by number: they hold their numbers whatever happens to them while linking, and an
/// extension numbered among them always conflicts with them.
fn sequential_len(message: &DescriptorProto) -> usize {
    message
        .field
        .iter()
        .take(usize::from(u16::MAX))
        .enumerate()
        .take_while(|(i, f)| f.number() == *i as i32 + 1)
        .count()
}

impl NumberTable {
    /// A table for linking `proto`.
    pub(crate) fn new(proto: &FileDescriptorProto) -> Self {
        let mut table = NumberTable::default();
        for (i, message) in proto.message_type.iter().enumerate() {
            let mut path = vec![crate::lower::tag::FILE_MESSAGE, i as i32];
            collect_ranges(message, &mut path, &mut table);
        }
        table
    }

    fn numbers(&self, file: usize, message: &[i32]) -> Option<&FastMap<i32, Numbered>> {
        self.by_number.get(&file)?.get(message)
    }

    fn numbers_mut(&mut self, file: usize, message: &[i32]) -> &mut FastMap<i32, Numbered> {
        let by_message = self.by_number.entry(file).or_default();
        if !by_message.contains_key(message) {
            by_message.insert(message.to_vec(), FastMap::default());
        }
        by_message.get_mut(message).expect("inserted just above")
    }

    /// Once an extension's extendee is resolved: its number must be in an extension range.
    pub(crate) fn check_extension_number(
        &self,
        linker: &mut Linker<'_>,
        extendee: &str,
        number: i32,
        path: &[i32],
    ) {
        let declared = match linker.pool.symbols.get(extendee) {
            Some(symbol) if symbol.file == linker.file => self
                .local_ranges
                .get(symbol.path)
                .is_some_and(|ranges| ranges.iter().any(|&(s, e)| s <= number && number < e)),
            Some(symbol) => Pool::message_at(&linker.pool.files[symbol.file].proto, symbol.path)
                .is_some_and(|message| {
                    message
                        .extension_range
                        .iter()
                        .any(|r| r.start() <= number && number < r.end())
                }),
            None => true,
        };
        if !declared {
            linker.error(
                path,
                ErrorKind::Number,
                format!("\"{extendee}\" does not declare {number} as an extension number."),
            );
        }
    }

    /// protoc's `AddFieldByNumber` for field `index` of `message` (full name `message_name`),
    /// whose path is `path`.
    pub(crate) fn add_field(
        &mut self,
        linker: &mut Linker<'_>,
        message: &DescriptorProto,
        message_name: &str,
        index: usize,
        path: &[i32],
    ) {
        let Some(field) = message.field.get(index) else {
            return;
        };
        let number = field.number();
        let message_path = &path[..path.len().saturating_sub(2)];
        // (The message's leading sequential fields were listed once, in `new`.)
        let sequential = self
            .local_sequential
            .get(message_path)
            .and_then(|names| names.get(usize::try_from(number).ok()?.checked_sub(1)?));
        let existing = if let Some(holder) = sequential {
            // Found by index: only the field at that index holds the number.
            (number as usize - 1 != index).then_some(&**holder)
        } else {
            self.numbers(linker.file, message_path)
                .and_then(|m| m.get(&number))
                .map(|existing| match existing {
                    Numbered::Field(name) => &**name,
                    Numbered::Extension(name) => name.rsplit('.').next().unwrap_or(name),
                })
        };
        if let Some(short) = existing {
            let next = next_available_number(message);
            let hint = if next <= MAX_FIELD_NUMBER as i64 {
                format!("Next available field number is {next}")
            } else {
                "There are no available field numbers".to_string()
            };
            linker.error(
                path,
                ErrorKind::Number,
                format!(
                    "Field number {number} has already been used in \"{message_name}\" by field \"{short}\". {hint}."
                ),
            );
        } else {
            let field = Numbered::Field(field.name().into());
            self.numbers_mut(linker.file, message_path)
                .insert(number, field);
        }
    }

    /// protoc's `AddFieldByNumber` and `AddExtension` for a linked extension `full_name`.
    pub(crate) fn add_extension(
        &mut self,
        linker: &mut Linker<'_>,
        field: &FieldDescriptorProto,
        full_name: &str,
        path: &[i32],
    ) {
        let extendee = field.extendee().trim_start_matches('.');
        let number = field.number();
        let Some(symbol) = linker.pool.symbols.get(extendee) else {
            return;
        };
        let (file, message_path) = (symbol.file, symbol.path);
        // An extension numbered among the extendee's leading sequential fields conflicts with
        // the field there, whichever file declares the message (see `sequential_len`). Other
        // numbers only conflict with fields and extensions of the file being built.
        let sequential = if file == linker.file {
            self.local_sequential
                .get(message_path)
                .and_then(|names| names.get(usize::try_from(number).ok()?.checked_sub(1)?))
                .map(|name| join(extendee, name))
        } else {
            Pool::message_at(&linker.pool.files[file].proto, message_path)
                .and_then(|message| sequential_field(message, number))
                .map(|field| join(extendee, field.name()))
        };
        let conflict = sequential.or_else(|| {
            let existing = self.numbers(file, message_path)?.get(&number)?;
            Some(match existing {
                Numbered::Extension(name) => name.clone(),
                Numbered::Field(name) => join(extendee, name),
            })
        });
        if let Some(existing) = conflict {
            linker.error(
                path,
                ErrorKind::Number,
                format!(
                    "Extension number {number} has already been used in \"{extendee}\" by extension \"{existing}\"."
                ),
            );
            return;
        }
        let known = linker
            .pool
            .extensions
            .get(extendee)
            .and_then(|m| m.get(&number));
        if let Some((other, file)) = known {
            let message = format!(
                "Extension number {number} has already been used in \"{extendee}\" by extension \"{other}\" defined in {}.",
                linker.pool.files[*file].name
            );
            linker.errors.push(LinkError {
                path: path.to_vec(),
                kind: ErrorKind::Number,
                message: message.into(),
                level: Level::Warning,
            });
        }
        let extension = Numbered::Extension(full_name.to_string());
        self.numbers_mut(file, message_path)
            .insert(number, extension);
    }
}

/// The field of `message` numbered `number` when that number is within the message's leading
/// run of fields numbered 1, 2, ... in declaration order (protoc's `sequential_field_limit_`,
/// at most 65,535 fields).
fn sequential_field(message: &DescriptorProto, number: i32) -> Option<&FieldDescriptorProto> {
    let index = usize::try_from(number).ok()?.checked_sub(1)?;
    (index < sequential_len(message)).then(|| &message.field[index])
}

/// Records the extensions of a successfully built file in the pool's extension table.
pub(crate) fn register_extensions(pool: &mut Pool, file: usize, proto: &FileDescriptorProto) {
    fn visit(pool: &mut Pool, file: usize, scope: &str, extensions: &[FieldDescriptorProto]) {
        for extension in extensions {
            let extendee = extension.extendee().trim_start_matches('.');
            if !pool.extensions.contains_key(extendee) {
                pool.extensions
                    .insert(extendee.to_string(), FastMap::default());
            }
            if let Some(numbers) = pool.extensions.get_mut(extendee) {
                numbers
                    .entry(extension.number())
                    .or_insert_with(|| (join(scope, extension.name()), file));
            }
        }
    }
    fn visit_message(pool: &mut Pool, file: usize, scope: &str, message: &DescriptorProto) {
        let full_name = join(scope, message.name());
        visit(pool, file, &full_name, &message.extension);
        for nested in &message.nested_type {
            visit_message(pool, file, &full_name, nested);
        }
    }
    let package = proto.package();
    visit(pool, file, package, &proto.extension);
    for message in &proto.message_type {
        visit_message(pool, file, package, message);
    }
}

/// The hint protoc gives for a duplicate field number: the lowest number not used by a field,
/// extension range or reserved range.
pub(crate) fn next_available_number(message: &DescriptorProto) -> i64 {
    let mut used: BTreeSet<(i64, i64)> = BTreeSet::new();
    for field in &message.field {
        used.insert((field.number() as i64, field.number() as i64));
    }
    for range in &message.extension_range {
        used.insert((range.start() as i64, range.end() as i64 - 1));
    }
    for range in &message.reserved_range {
        used.insert((range.start() as i64, range.end() as i64 - 1));
    }
    let mut proposed = 1;
    for (start, end) in used {
        if start <= proposed && proposed <= end {
            proposed = end + 1;
        } else {
            break;
        }
    }
    proposed
}
