//! The checks protoc's command line makes once every requested file is built
//! (`CommandLineInterface::ParseInputFiles` and what follows it): generic services warnings,
//! field numbers reserved for the implementation, and the target types of options. protoc
//! reports all of them without a position.

use rivet_descriptor::field_options::OptionTargetType;

use crate::link::Level;
use crate::pool::Pool;

use super::visit::{Element, each_element};

/// A finding about a requested file: the file's pool index, the message and its level.
pub(crate) type InputFinding = (usize, String, Level);

/// protoc's checks on the requested files `inputs` (pool indexes, all built).
pub(crate) fn check_inputs(pool: &Pool, inputs: &[usize]) -> Vec<InputFinding> {
    let mut out = Vec::new();
    for &file in inputs {
        let proto = &pool.files[file].proto;
        let options = proto.options.as_ref();
        if options.is_some_and(|o| {
            o.cc_generic_services() || o.java_generic_services() || o.py_generic_services()
        }) {
            out.push((
                file,
                "Generic services (cc_generic_services, java_generic_services, and py_generic_services) are deprecated in favor of using plugins that generate code specific to your particular RPC system. Additional code generator options may be required to enable generic services and total removal of these options is planned in future breaking releases.".to_string(),
                Level::Warning,
            ));
        }
        each_element(proto, &mut |element| {
            if let Element::Field { field, .. } = element
                && (19_000..=19_999).contains(&field.number())
            {
                out.push((
                    file,
                    "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.".to_string(),
                    Level::Error,
                ));
            }
        });
    }
    for file in inputs {
        if let Some(errors) = pool.target_errors.get(file) {
            out.extend(errors.iter().map(|e| (*file, e.clone(), Level::Error)));
        }
    }
    out
}

pub(super) fn target_type(element: Element<'_>) -> OptionTargetType {
    match element {
        Element::File => OptionTargetType::TargetTypeFile,
        Element::Message(_) => OptionTargetType::TargetTypeMessage,
        Element::Field { .. } => OptionTargetType::TargetTypeField,
        Element::Oneof(_) => OptionTargetType::TargetTypeOneof,
        Element::ExtensionRange(_) => OptionTargetType::TargetTypeExtensionRange,
        Element::Enum(_) => OptionTargetType::TargetTypeEnum,
        Element::EnumValue(_) => OptionTargetType::TargetTypeEnumEntry,
        Element::Service(_) => OptionTargetType::TargetTypeService,
        Element::Method(_) => OptionTargetType::TargetTypeMethod,
    }
}

pub(super) fn target_name(target: OptionTargetType) -> &'static str {
    match target {
        OptionTargetType::TargetTypeFile => "file",
        OptionTargetType::TargetTypeExtensionRange => "extension range",
        OptionTargetType::TargetTypeMessage => "message",
        OptionTargetType::TargetTypeField => "field",
        OptionTargetType::TargetTypeOneof => "oneof",
        OptionTargetType::TargetTypeEnum => "enum",
        OptionTargetType::TargetTypeEnumEntry => "enum entry",
        OptionTargetType::TargetTypeService => "service",
        OptionTargetType::TargetTypeMethod => "method",
        OptionTargetType::TargetTypeUnknown => "unknown",
    }
}
