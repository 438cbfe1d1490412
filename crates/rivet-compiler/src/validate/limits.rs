//! The size limits of edition 2026 (protoc's `ValidateProtoLimits`): at most 1500 fields and
//! 1000 real oneofs per message, 1200 fields per oneof and 1700 values per enum, checked on
//! every message, oneof and enum whose `enforce_proto_limits` feature is not
//! `LEGACY_NO_EXPLICIT_LIMITS`. protoc runs it after the naming style, on files without
//! errors, and reports each at the element's name.

use rivet_descriptor::DescriptorProto;

use crate::features::value;
use crate::hash::FastSet;
use crate::lower::{ErrorKind, tag};
use crate::pool::Pool;

use super::Checker;
use super::visit::{Element, Visit};

const FIELDS_PER_MESSAGE: usize = 1500;
const ONEOFS_PER_MESSAGE: usize = 1000;
const FIELDS_PER_ONEOF: usize = 1200;
const VALUES_PER_ENUM: usize = 1700;

const OPT_OUT: &str = " (features.enforce_proto_limits = LEGACY_NO_EXPLICIT_LIMITS can be used to opt out of this check)";

impl<'a> Checker<'a> {
    /// The proto-limit errors of every message, oneof and enum of the file.
    pub(super) fn proto_limits(&mut self, visits: &[Visit<'a>]) {
        for visit in visits {
            if visit.features.enforce_proto_limits == value::LEGACY_NO_EXPLICIT_LIMITS {
                continue;
            }
            let report = |checker: &mut Self, what: &str, name: &str, limit, items: &str| {
                checker.error(
                    &visit.path,
                    ErrorKind::Name,
                    format!(
                        "{what} name {name} should not contain more than {limit} {items}{OPT_OUT}"
                    ),
                );
            };
            match visit.element {
                Element::Message(message) => {
                    if message.field.len() > FIELDS_PER_MESSAGE {
                        report(
                            self,
                            "Message",
                            message.name(),
                            FIELDS_PER_MESSAGE,
                            "fields",
                        );
                    }
                    // Synthetic oneofs (of proto3 `optional` fields) do not count.
                    if message.oneof_decl.len() > ONEOFS_PER_MESSAGE
                        && real_oneofs(message) > ONEOFS_PER_MESSAGE
                    {
                        report(
                            self,
                            "Message",
                            message.name(),
                            ONEOFS_PER_MESSAGE,
                            "oneofs",
                        );
                    }
                }
                Element::Oneof(oneof) => {
                    let [message_path @ .., tag::MESSAGE_ONEOF, index] = &visit.path[..] else {
                        continue;
                    };
                    let Some(message) = Pool::message_at(self.proto, message_path) else {
                        continue;
                    };
                    if message.field.len() > FIELDS_PER_ONEOF
                        && oneof_fields(message, *index) > FIELDS_PER_ONEOF
                    {
                        report(self, "Oneof", oneof.name(), FIELDS_PER_ONEOF, "fields");
                    }
                }
                Element::Enum(enum_) if enum_.value.len() > VALUES_PER_ENUM => {
                    report(self, "Enum", enum_.name(), VALUES_PER_ENUM, "values");
                }
                _ => {}
            }
        }
    }
}

/// protoc's `real_oneof_decl_count`: the oneofs that are not a proto3 `optional` field's.
fn real_oneofs(message: &DescriptorProto) -> usize {
    let synthetic: FastSet<i32> = message
        .field
        .iter()
        .filter(|f| f.proto3_optional == Some(true))
        .filter_map(|f| f.oneof_index)
        .collect();
    message.oneof_decl.len().saturating_sub(synthetic.len())
}

/// The number of fields of `message` in its oneof `index`.
fn oneof_fields(message: &DescriptorProto, index: i32) -> usize {
    message
        .field
        .iter()
        .filter(|f| f.oneof_index == Some(index))
        .count()
}
