//! Symbol visibility (edition 2024's `export` and `local`): a message or enum used from
//! another file must be exported, explicitly or by its file's `default_symbol_visibility`;
//! and under `STRICT`, nested types may not be exported (protoc's `SymbolChecker`), except
//! enums namespaced in a `local` message reserving `1 to max`.

use rivet_descriptor::DescriptorProto;

use crate::features::value;
use crate::lower::{ErrorKind, tag};
use crate::pool::{Pool, SymbolKind};

use super::visit::{Element, Visit};
use super::{Checker, MAX_FIELD_NUMBER};

const LOCAL: i32 = 1;
const EXPORT: i32 = 2;
const LOCAL_ALL: i32 = 3;

fn visibility_name(value: i32) -> &'static str {
    match value {
        1 => "EXPORT_ALL",
        2 => "EXPORT_TOP_LEVEL",
        3 => "LOCAL_ALL",
        4 => "STRICT",
        _ => "DEFAULT_SYMBOL_VISIBILITY_UNKNOWN",
    }
}

/// The `default_symbol_visibility` resolved for the element at `path` of pool file `file`
/// (protoc reads the type's own features, whatever its message says about the file level).
fn default_visibility(pool: &Pool, file: usize, path: &[i32]) -> i32 {
    let pool_file = &pool.files[file];
    crate::features::resolve(&pool_file.proto, pool_file.syntax, path).default_symbol_visibility
}

/// protoc's `GetVisibilityError` when the type `name` (full name, resolved) may not be used
/// from pool file `from`; `usage` says how it is used (`target of extend`, or empty). The
/// message is bytes: it quotes file names.
pub(crate) fn visibility_error(
    pool: &Pool,
    from: usize,
    name: &str,
    usage: &str,
) -> Option<Vec<u8>> {
    let symbol = pool.symbols.get(name)?;
    if symbol.file == from || !matches!(symbol.kind, SymbolKind::Message | SymbolKind::Enum) {
        return None;
    }
    let proto = &pool.files[symbol.file].proto;
    let keyword = if symbol.kind == SymbolKind::Message {
        Pool::message_at(proto, symbol.path)?.visibility
    } else {
        Pool::enum_at(proto, symbol.path)?.visibility
    };
    let default = default_visibility(pool, symbol.file, symbol.path);
    let nested = symbol.path.len() > 2;
    let exported = match keyword {
        Some(EXPORT) => true,
        Some(LOCAL) => false,
        _ => match default {
            value::EXPORT_TOP_LEVEL => !nested,
            LOCAL_ALL | value::STRICT => false,
            _ => true,
        },
    };
    if exported {
        return None;
    }
    let reason = if keyword == Some(LOCAL) {
        "It is explicitly marked 'local'".to_string()
    } else {
        format!(
            "It defaulted to local from file-level 'option features.default_symbol_visibility = '{}';",
            visibility_name(default)
        )
    };
    Some(crate::file_names::message(format!(
        "Symbol \"{name}\", defined in \"{}\" {usage} is not visible from \"{}\". {reason} and cannot be accessed outside its own file",
        pool.files[symbol.file].name, pool.files[from].name
    )))
}

impl<'a> Checker<'a> {
    /// protoc's `CheckSymbolVisibilityRules`: nested messages, then nested enums, exported
    /// under `STRICT`.
    pub(super) fn check_symbol_visibility(&mut self, visits: &[Visit<'a>]) {
        let default =
            crate::features::resolve(self.proto, self.syntax, &[]).default_symbol_visibility;
        if default != value::STRICT {
            return;
        }
        let mut enums = Vec::new();
        for visit in visits {
            let nested = visit.path.len() > 2;
            match visit.element {
                Element::Message(message) if nested && message.visibility == Some(EXPORT) => {
                    self.error(
                        &visit.path,
                        ErrorKind::Other,
                        format!(
                            "\"{}\" is a nested message and cannot be `export` with STRICT default_symbol_visibility. It must be moved to top-level, ideally in its own file in order to be `export`.",
                            visit.full_name(self.proto)
                        ),
                    );
                }
                Element::Enum(enum_)
                    if nested
                        && enum_.visibility == Some(EXPORT)
                        && !self.is_namespaced_enum(&visit.path) =>
                {
                    enums.push((visit.path.clone(), visit.full_name(self.proto)));
                }
                _ => {}
            }
        }
        for (path, name) in enums {
            self.error(
                &path,
                ErrorKind::Other,
                format!(
                    "\"{name}\" is a nested enum and cannot be marked `export` with STRICT default_symbol_visibility. It must be moved to top-level, ideally in its own file in order to be `export`. For C++ namespacing of enums in a messages use: `local message <OuterNamespace> {{ export enum {name} {{...}} reserved 1 to max; }}`"
                ),
            );
        }
    }

    /// An enum exported from a top-level `local` message that only reserves `1 to max`.
    fn is_namespaced_enum(&self, path: &[i32]) -> bool {
        let [tag::FILE_MESSAGE, index, ..] = path else {
            return false;
        };
        if path.len() != 4 {
            return false;
        }
        let Some(container) = self.proto.message_type.get(*index as usize) else {
            return false;
        };
        is_namespace_message(container)
    }
}

/// protoc's `IsEnumNamespaceMessage` for a top-level message of a `STRICT` file.
fn is_namespace_message(container: &DescriptorProto) -> bool {
    let local = matches!(container.visibility, Some(LOCAL) | None);
    let [range] = container.reserved_range.as_slice() else {
        return false;
    };
    local && range.start() == 1 && range.end() == MAX_FIELD_NUMBER + 1
}
