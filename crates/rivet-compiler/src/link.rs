//! Linking one lowered file into the pool: symbol definition, type resolution and the checks
//! protoc's `DescriptorBuilder` makes, in protoc's order.

use rivet_descriptor::{
    DescriptorProto, FieldDescriptorProto, FileDescriptorProto, field_descriptor_proto,
};

use crate::file_names;
use crate::lower::{ErrorKind, tag};
use crate::pool::{Pool, SymbolKind};
use crate::validate::{Hints, NumberTable, built_field_name, built_full_name, visibility_error};

/// An error located by element path and kind (resolved to line:column by the caller).
#[derive(Clone, Debug)]
pub(crate) struct LinkError {
    pub path: Vec<i32>,
    pub kind: ErrorKind,
    /// protoc's message, as bytes: it can quote bytes of a `.proto` file that are not UTF-8.
    pub message: Vec<u8>,
    pub level: Level,
}

/// How serious a [`LinkError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// The file fails to build.
    Error,
    /// Reported; the file builds.
    Warning,
    /// An error found once the file is built (protoc's deferred feature validation): the
    /// file stays built and importable, but the compilation fails. Deferred findings are
    /// reported once the requested file being loaded is built, with its imports.
    Deferred,
    /// A warning of protoc's deferred feature validation.
    DeferredWarning,
}

pub(crate) struct Linker<'a> {
    pub pool: &'a mut Pool,
    pub file: usize,
    pub errors: Vec<LinkError>,
    /// Enum-typed fields with defaults, checked after linking (their enum may be in the file
    /// being linked): (path, enum, default, how many errors there were when protoc would
    /// have checked it, which is where its error goes).
    pub enum_defaults: Vec<(Vec<i32>, String, String, usize)>,
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Linker<'_> {
    pub(crate) fn error(&mut self, path: &[i32], kind: ErrorKind, message: String) {
        self.error_bytes(path, kind, message.into_bytes());
    }

    /// An error whose message quotes bytes of a `.proto` file, UTF-8 or not.
    pub(crate) fn error_bytes(&mut self, path: &[i32], kind: ErrorKind, message: Vec<u8>) {
        self.errors.push(LinkError {
            path: path.to_vec(),
            kind,
            message,
            level: Level::Error,
        });
    }

    /// Building copies each element's options, which must be complete messages: an option
    /// named `()` leaves its name part unset. protoc reports that without a position, once per
    /// element, and then interprets no options (the error fails the file).
    pub(crate) fn check_option_names(&mut self, options: &[crate::lower::PendingOption]) {
        let mut incomplete: Vec<&[i32]> = Vec::new();
        for option in options {
            let empty_name = option.name.parts.iter().any(|part| {
                matches!(part, rivet_syntax::ast::OptionNamePart::Extension(name, _)
                    if !name.leading_dot && name.parts.is_empty())
            });
            if empty_name && !incomplete.contains(&option.element_path.as_slice()) {
                incomplete.push(&option.element_path);
                let mut path = option.element_path.clone();
                path.push(option.options_field);
                self.error(
                    &path,
                    ErrorKind::Other,
                    "Uninterpreted option is missing name or value.".into(),
                );
            }
        }
    }

    // ----- symbol definition -----

    pub(crate) fn validate_name(&mut self, name: &str, full_name: &str, path: &[i32]) {
        if name.is_empty() {
            self.error(path, ErrorKind::Name, "Missing name.".into());
        } else if !is_identifier(name) {
            self.error(
                path,
                ErrorKind::Name,
                format!("\"{name}\" is not a valid identifier."),
            );
        }
        let _ = full_name;
    }

    /// Defines a symbol, reporting protoc's duplicate-definition errors.
    pub(crate) fn add_symbol(&mut self, full_name: &str, kind: SymbolKind, path: &[i32]) -> bool {
        // One probe of the (large) table: defining is the common case, a duplicate the rare one.
        let Err(existing_file) = self.pool.symbols.insert(full_name, kind, self.file, path) else {
            return true;
        };
        let message = if existing_file == self.file {
            match full_name.rfind('.') {
                None => format!("\"{full_name}\" is already defined."),
                Some(dot) => format!(
                    "\"{}\" is already defined in \"{}\".",
                    &full_name[dot + 1..],
                    &full_name[..dot]
                ),
            }
        } else {
            format!(
                "\"{full_name}\" is already defined in file \"{}\".",
                self.pool.files[existing_file].name
            )
        };
        self.error_bytes(path, ErrorKind::Name, file_names::message(message));
        false
    }

    pub(crate) fn add_package(&mut self, name: &str) {
        match self.pool.symbols.get(name) {
            None => {
                let _defined = self
                    .pool
                    .symbols
                    .insert(name, SymbolKind::Package, self.file, &[]);
                match name.rfind('.') {
                    None => self.validate_name(name, name, &[]),
                    Some(dot) => {
                        self.add_package(&name[..dot]);
                        self.validate_name(&name[dot + 1..], name, &[]);
                    }
                }
            }
            Some(existing) if existing.kind != SymbolKind::Package => {
                let other = &self.pool.files[existing.file].name;
                let message = file_names::message(format!(
                    "\"{name}\" is already defined (as something other than a package) in file \"{other}\"."
                ));
                self.error_bytes(&[], ErrorKind::Name, message);
            }
            Some(_) => {}
        }
    }

    /// Defines every symbol of `proto` and makes protoc's build-phase checks (see
    /// `validate::build_file`); returns the field-number hints for after cross-linking.
    pub(crate) fn define_symbols(&mut self, proto: &FileDescriptorProto) -> Hints {
        crate::validate::build_file(self, proto)
    }

    // ----- cross-linking -----

    /// Resolves every type reference in `proto` (protoc's `CrossLinkFile`).
    pub(crate) fn cross_link(&mut self, proto: &mut FileDescriptorProto) {
        let package = proto.package.clone().unwrap_or_default();
        let mut numbers = NumberTable::new(proto);
        for (i, message) in proto.message_type.iter_mut().enumerate() {
            self.link_message(
                message,
                &package,
                &[tag::FILE_MESSAGE, i as i32],
                &mut numbers,
            );
        }
        for i in 0..proto.extension.len() {
            let path = [tag::FILE_EXTENSION, i as i32];
            let scope = built_field_name(&proto.extension[i], &package);
            if self.link_field(&mut proto.extension[i], &scope, &path, &numbers) {
                numbers.add_extension(self, &proto.extension[i], &scope, &path);
            }
        }
        for (i, service) in proto.service.iter_mut().enumerate() {
            let service_name = built_full_name(&package, service.name());
            for (j, method) in service.method.iter_mut().enumerate() {
                let path = [tag::FILE_SERVICE, i as i32, tag::SERVICE_METHOD, j as i32];
                let scope = built_full_name(&service_name, method.name());
                for (is_input, kind) in
                    [(true, ErrorKind::InputType), (false, ErrorKind::OutputType)]
                {
                    let written = if is_input {
                        method.input_type().to_string()
                    } else {
                        method.output_type().to_string()
                    };
                    let resolved =
                        match self.resolve_type(&written, &scope, &path, kind.clone(), false) {
                            Some((name, SymbolKind::Message)) => {
                                match visibility_error(self.pool, self.file, &name, "") {
                                    Some(message) => {
                                        self.error_bytes(&path, kind, message);
                                        None
                                    }
                                    None => Some(format!(".{name}")),
                                }
                            }
                            Some((_, _)) => {
                                self.error(
                                    &path,
                                    kind,
                                    format!("\"{written}\" is not a message type."),
                                );
                                None
                            }
                            None => None,
                        };
                    if let Some(resolved) = resolved {
                        if is_input {
                            method.input_type = Some(resolved);
                        } else {
                            method.output_type = Some(resolved);
                        }
                    }
                }
            }
        }
    }

    /// protoc's `CrossLinkMessage`: nested messages, then fields, then extensions.
    fn link_message(
        &mut self,
        message: &mut DescriptorProto,
        scope: &str,
        path: &[i32],
        numbers: &mut NumberTable,
    ) {
        let full_name = built_full_name(scope, message.name());
        let mut child = path.to_vec();
        // Messages nested deeper than protoc builds were reported and are not linked.
        let nested_built = path.len() / 2 < crate::validate::MAX_MESSAGE_DEPTH;
        for (i, nested) in message.nested_type.iter_mut().enumerate() {
            if !nested_built {
                break;
            }
            child.extend([tag::MESSAGE_NESTED, i as i32]);
            self.link_message(nested, &full_name, &child, numbers);
            child.truncate(path.len());
        }
        for i in 0..message.field.len() {
            child.extend([tag::MESSAGE_FIELD, i as i32]);
            let field_scope = built_field_name(&message.field[i], &full_name);
            if self.link_field(&mut message.field[i], &field_scope, &child, numbers) {
                numbers.add_field(self, message, &full_name, i, &child);
            }
            child.truncate(path.len());
        }
        for i in 0..message.extension.len() {
            child.extend([tag::MESSAGE_EXTENSION, i as i32]);
            let field_scope = built_field_name(&message.extension[i], &full_name);
            if self.link_field(&mut message.extension[i], &field_scope, &child, numbers) {
                numbers.add_extension(self, &message.extension[i], &field_scope, &child);
            }
            child.truncate(path.len());
        }
        // protoc counts each oneof's fields once the message's fields are linked.
        for i in 0..message.oneof_decl.len() {
            if !message
                .field
                .iter()
                .any(|f| f.oneof_index == Some(i as i32))
            {
                child.extend([tag::MESSAGE_ONEOF, i as i32]);
                let message = "Oneof must have at least one field.".to_string();
                self.error(&child, ErrorKind::Name, message);
                child.truncate(path.len());
            }
        }
        // A proto3 `optional` field needs its synthetic oneof, which protoc's parser gives
        // the fields of messages but not those of group bodies.
        for (i, field) in message.field.iter().enumerate() {
            if field.proto3_optional != Some(true) {
                continue;
            }
            let synthetic = field.oneof_index.is_some_and(|oneof| {
                message
                    .field
                    .iter()
                    .filter(|f| f.oneof_index == Some(oneof))
                    .count()
                    == 1
            });
            if !synthetic {
                child.extend([tag::MESSAGE_FIELD, i as i32]);
                let message =
                    "Fields with proto3_optional set must be a member of a one-field oneof";
                self.error(&child, ErrorKind::Other, message.into());
                child.truncate(path.len());
            }
        }
    }

    /// Resolves a type name, reporting protoc's "not defined" errors. Only field types skip
    /// the non-type symbols of inner scopes (`types_only`); extendees and method types take
    /// whatever symbol they find first.
    fn resolve_type(
        &mut self,
        written: &str,
        relative_to: &str,
        path: &[i32],
        kind: ErrorKind,
        types_only: bool,
    ) -> Option<(String, SymbolKind)> {
        match self
            .pool
            .lookup(written, relative_to, self.file, types_only)
        {
            Ok((name, symbol)) => Some((name, symbol.kind)),
            Err(miss) => {
                let mut reported = false;
                if let Some((name, file)) = &miss.undeclared {
                    let message = format!(
                        "\"{name}\" seems to be defined in \"{}\", which is not imported by \"{}\".  To use it here, please add the necessary import.",
                        self.pool.files[*file].name, self.pool.files[self.file].name
                    );
                    self.error_bytes(path, kind.clone(), file_names::message(message));
                    reported = true;
                }
                if let Some(resolved) = &miss.resolved_undefined {
                    let message = format!(
                        "\"{written}\" is resolved to \"{resolved}\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".{written}\") to start from the outermost scope."
                    );
                    self.error(path, kind.clone(), message);
                    reported = true;
                }
                if !reported {
                    self.error(path, kind, format!("\"{written}\" is not defined."));
                }
                None
            }
        }
    }

    /// protoc's `CrossLinkField`; `false` when protoc returns early, before numbering the
    /// field.
    fn link_field(
        &mut self,
        field: &mut FieldDescriptorProto,
        scope: &str,
        path: &[i32],
        numbers: &NumberTable,
    ) -> bool {
        use field_descriptor_proto::Type;
        if let Some(extendee) = field.extendee.clone() {
            match self.resolve_type(&extendee, scope, path, ErrorKind::Extendee, false) {
                Some((name, SymbolKind::Message)) => {
                    let usage = "target of extend";
                    if let Some(message) = visibility_error(self.pool, self.file, &name, usage) {
                        self.error_bytes(path, ErrorKind::Extendee, message);
                        return false;
                    }
                    numbers.check_extension_number(self, &name, field.number(), path);
                    field.extendee = Some(format!(".{name}"));
                }
                Some(_) => {
                    self.error(
                        path,
                        ErrorKind::Extendee,
                        format!("\"{extendee}\" is not a message type."),
                    );
                    return false;
                }
                None => return false,
            }
        }
        let Some(type_name) = field.type_name.clone() else {
            // (Only a map's `group` key or value gets here: the parser gives every other
            // message, group or enum field its type name.)
            let declared = field.r#type.and_then(|t| Type::try_from(t).ok());
            if matches!(declared, Some(Type::Message | Type::Group | Type::Enum)) {
                self.error(
                    path,
                    ErrorKind::Type,
                    "Field with message or enum type missing type_name.".into(),
                );
            }
            return true;
        };
        let Some((name, kind)) = self.resolve_type(&type_name, scope, path, ErrorKind::Type, true)
        else {
            return false;
        };
        if let Some(message) = visibility_error(self.pool, self.file, &name, "") {
            self.error_bytes(path, ErrorKind::Type, message);
            return false;
        }
        let declared = field.r#type.and_then(|t| Type::try_from(t).ok());
        match kind {
            SymbolKind::Message => {
                if declared.is_none() {
                    field.r#type = Some(Type::Message as i32);
                } else if declared != Some(Type::Message) && declared != Some(Type::Group) {
                    self.error(
                        path,
                        ErrorKind::Type,
                        format!("\"{type_name}\" is not an enum type."),
                    );
                    return false;
                }
                if field.default_value.is_some() {
                    self.error(
                        path,
                        ErrorKind::DefaultValue,
                        "Messages can't have default values.".into(),
                    );
                }
            }
            SymbolKind::Enum => {
                if declared.is_none() {
                    field.r#type = Some(Type::Enum as i32);
                } else if declared != Some(Type::Enum) {
                    self.error(
                        path,
                        ErrorKind::Type,
                        format!("\"{type_name}\" is not a message type."),
                    );
                    return false;
                }
                // The default is the token written after `default =`, whatever it is (a string
                // token's bytes need not be UTF-8; such a default is refused unread).
                if let Some(default) = field.default_value.as_ref().map(|d| d.to_string()) {
                    let at = self.errors.len();
                    self.enum_defaults
                        .push((path.to_vec(), name.clone(), default, at));
                }
            }
            _ => {
                self.error(
                    path,
                    ErrorKind::Type,
                    format!("\"{type_name}\" is not a type."),
                );
                return false;
            }
        }
        field.type_name = Some(format!(".{name}"));
        true
    }

    /// Checks enum default values once the file is linked (their enum may be in this file).
    ///
    /// protoc checks a default as it links its field, so each error is placed among the
    /// linking errors where that check would have reported it.
    pub(crate) fn check_enum_defaults(&mut self, file: &FileDescriptorProto) {
        let linking = std::mem::take(&mut self.errors);
        let mut merged = Vec::with_capacity(linking.len());
        let mut linking = linking.into_iter().enumerate().peekable();
        for (path, enum_name, default, at) in std::mem::take(&mut self.enum_defaults) {
            while let Some((_, error)) = linking.next_if(|(index, _)| *index < at) {
                merged.push(error);
            }
            self.check_enum_default(&enum_name, &default, &path, file);
            merged.append(&mut self.errors);
        }
        merged.extend(linking.map(|(_, error)| error));
        self.errors = merged;
    }

    fn check_enum_default(
        &mut self,
        enum_name: &str,
        default: &str,
        path: &[i32],
        file: &FileDescriptorProto,
    ) {
        // protoc takes any token as an enum default, and refuses one that is not an
        // identifier before looking for the value.
        let starts_like_identifier = default
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
        if !starts_like_identifier || !is_identifier(default) {
            self.error(
                path,
                ErrorKind::DefaultValue,
                "Default value for an enum field must be an identifier.".into(),
            );
            return;
        }
        let Some(symbol) = self.pool.symbols.get(enum_name) else {
            return;
        };
        let proto = self.pool.proto(symbol.file, (self.file, file));
        let Some(enum_) = Pool::enum_at(proto, symbol.path) else {
            return;
        };
        if !enum_.value.iter().any(|value| value.name() == default) {
            self.error(
                path,
                ErrorKind::DefaultValue,
                format!("Enum type \"{enum_name}\" has no value named \"{default}\"."),
            );
        }
    }
}
