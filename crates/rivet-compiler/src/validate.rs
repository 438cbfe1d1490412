//! Checks protoc's `DescriptorBuilder` makes on a linked file: field numbers, reservations and
//! duplicates.

use std::collections::{BTreeSet, HashMap};

use rivet_descriptor::{DescriptorProto, FileDescriptorProto};

use crate::link::LinkError;
use crate::lower::{ErrorKind, Syntax, tag};

/// The largest valid field number.
const MAX_FIELD_NUMBER: i32 = 536_870_911;

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// Validates `proto`, returning every error found.
pub(crate) fn validate(proto: &FileDescriptorProto, _syntax: Syntax) -> Vec<LinkError> {
    let mut errors = Vec::new();
    let package = proto.package.clone().unwrap_or_default();
    for (i, message) in proto.message_type.iter().enumerate() {
        validate_message(
            message,
            &package,
            &[tag::FILE_MESSAGE, i as i32],
            &mut errors,
        );
    }
    errors
}

fn error(errors: &mut Vec<LinkError>, path: &[i32], kind: ErrorKind, message: String) {
    errors.push(LinkError {
        path: path.to_vec(),
        kind,
        message,
    });
}

fn validate_message(
    message: &DescriptorProto,
    scope: &str,
    path: &[i32],
    errors: &mut Vec<LinkError>,
) {
    let full_name = join(scope, message.name());
    let mut by_number: HashMap<i32, &str> = HashMap::new();
    for (i, field) in message.field.iter().enumerate() {
        let mut field_path = path.to_vec();
        field_path.extend([tag::MESSAGE_FIELD, i as i32]);
        let number = field.number();
        if number <= 0 {
            error(
                errors,
                &field_path,
                ErrorKind::Number,
                "Field numbers must be positive integers.".into(),
            );
        } else if number > MAX_FIELD_NUMBER {
            error(
                errors,
                &field_path,
                ErrorKind::Number,
                format!("Field numbers cannot be greater than {MAX_FIELD_NUMBER}."),
            );
        }
        if let Some(previous) = by_number.get(&number) {
            let next = next_available_number(message);
            let hint = if next <= MAX_FIELD_NUMBER as i64 {
                format!("Next available field number is {next}")
            } else {
                "There are no available field numbers".to_string()
            };
            error(
                errors,
                &field_path,
                ErrorKind::Number,
                format!(
                    "Field number {number} has already been used in \"{full_name}\" by field \"{previous}\". {hint}."
                ),
            );
        } else {
            by_number.insert(number, field.name());
        }
    }
    for (j, range) in message.reserved_range.iter().enumerate() {
        for field in &message.field {
            if range.start() <= field.number() && field.number() < range.end() {
                let mut range_path = path.to_vec();
                range_path.extend([tag::MESSAGE_RESERVED_RANGE, j as i32]);
                error(
                    errors,
                    &range_path,
                    ErrorKind::Number,
                    format!(
                        "Field \"{}\" uses reserved number {}.",
                        field.name(),
                        field.number()
                    ),
                );
            }
        }
    }
    for (i, nested) in message.nested_type.iter().enumerate() {
        let mut nested_path = path.to_vec();
        nested_path.extend([tag::MESSAGE_NESTED, i as i32]);
        validate_message(nested, &full_name, &nested_path, errors);
    }
}

/// The hint protoc gives for a duplicate number: the lowest number not used by a field,
/// extension range or reserved range.
fn next_available_number(message: &DescriptorProto) -> i64 {
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
