//! The set of files built so far in a compilation and their symbols, with protoc's name
//! lookup rules (`DescriptorBuilder::LookupSymbol` / `FindSymbol`).

use std::cell::{Cell, RefCell};

use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use std::hash::Hasher;

use crate::hash::{FastHasher, FastMap, FastSet};
use crate::lower::{Syntax, tag};

/// What a symbol names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SymbolKind {
    Package,
    Message,
    Enum,
    EnumValue,
    Field,
    Extension,
    Oneof,
    Service,
    Method,
}

impl SymbolKind {
    /// Whether names can be looked up inside it (protoc's `IsAggregate`).
    pub(crate) fn is_aggregate(self) -> bool {
        matches!(
            self,
            SymbolKind::Package | SymbolKind::Message | SymbolKind::Enum | SymbolKind::Service
        )
    }

    /// Whether it is a message or enum (protoc's `IsType`).
    pub(crate) fn is_type(self) -> bool {
        matches!(self, SymbolKind::Message | SymbolKind::Enum)
    }
}

/// A defined name: its kind, the file defining it and its path inside that file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Symbol<'a> {
    pub kind: SymbolKind,
    pub file: usize,
    pub path: &'a [i32],
}

/// One row of [`Symbols`]: the name and path as ranges of the table's buffers.
#[derive(Clone, Copy, Debug)]
struct SymbolEntry {
    name_start: u32,
    name_len: u32,
    path_start: u32,
    path_len: u32,
    file: u32,
    kind: SymbolKind,
}

/// Every defined name of the compilation (protoc's `tables_->symbols_by_name_`).
///
/// A large tree defines hundreds of thousands of names, all kept to the end: the names and
/// paths are stored back to back in two buffers and the hash table holds small fixed-size
/// rows pointing into them (a `String` and a boxed path per symbol took twice the memory and
/// two allocations each).
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    table: hashbrown::HashTable<SymbolEntry>,
    names: Vec<u8>,
    paths: Vec<i32>,
}

fn hash_name(name: &[u8]) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(name);
    hasher.finish()
}

/// A buffer offset as stored in a [`SymbolEntry`]. Four GiB of symbol names or paths would
/// take source files many times larger than any machine's memory.
fn offset(value: usize) -> u32 {
    u32::try_from(value).expect("symbol table larger than 4 GiB")
}

impl Symbols {
    /// Makes room for `additional` more symbols (with names and paths of a typical length: a
    /// buffer grown by doubling copies itself, and touches fresh memory, again and again).
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.names.reserve(additional.saturating_mul(48));
        self.paths.reserve(additional.saturating_mul(5));
        let names = &self.names;
        self.table.reserve(additional, |entry| {
            hash_name(&names[entry.name_start as usize..][..entry.name_len as usize])
        });
    }

    fn name_of(&self, entry: &SymbolEntry) -> &[u8] {
        &self.names[entry.name_start as usize..][..entry.name_len as usize]
    }

    fn symbol(&self, entry: &SymbolEntry) -> Symbol<'_> {
        Symbol {
            kind: entry.kind,
            file: entry.file as usize,
            path: &self.paths[entry.path_start as usize..][..entry.path_len as usize],
        }
    }

    /// The symbol named `name` (a full name, without a leading dot).
    pub(crate) fn get(&self, name: &str) -> Option<Symbol<'_>> {
        let name = name.as_bytes();
        self.table
            .find(hash_name(name), |entry| self.name_of(entry) == name)
            .map(|entry| self.symbol(entry))
    }

    /// Defines `name`, or returns the file that already defines it.
    pub(crate) fn insert(
        &mut self,
        name: &str,
        kind: SymbolKind,
        file: usize,
        path: &[i32],
    ) -> Result<(), usize> {
        let name = name.as_bytes();
        let hash = hash_name(name);
        let names = &self.names;
        match self.table.entry(
            hash,
            |entry| &names[entry.name_start as usize..][..entry.name_len as usize] == name,
            |entry| hash_name(&names[entry.name_start as usize..][..entry.name_len as usize]),
        ) {
            hashbrown::hash_table::Entry::Occupied(existing) => Err(existing.get().file as usize),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let entry = SymbolEntry {
                    name_start: offset(self.names.len()),
                    name_len: offset(name.len()),
                    path_start: offset(self.paths.len()),
                    path_len: offset(path.len()),
                    file: offset(file),
                    kind,
                };
                slot.insert(entry);
                self.names.extend_from_slice(name);
                self.paths.extend_from_slice(path);
                Ok(())
            }
        }
    }

    /// Removes the symbols of `file` (a file whose build failed). Their bytes stay in the
    /// buffers: this only happens on errors.
    pub(crate) fn remove_file(&mut self, file: usize) {
        self.table.retain(|entry| entry.file as usize != file);
    }

    /// Every symbol, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Symbol<'_>> {
        self.table.iter().map(|entry| self.symbol(entry))
    }
}

/// One built (or being built) file.
#[derive(Debug)]
pub(crate) struct PoolFile {
    pub name: String,
    /// The file's package (`proto` is moved out of the pool while the file is built, and
    /// lookups during its build need its package).
    pub package: String,
    pub proto: FileDescriptorProto,
    pub syntax: Syntax,
    /// Files whose symbols this file may use: itself, its imports and, transitively, their
    /// public imports.
    pub visible: FastSet<usize>,
    /// Files visible through `import option` (for option extensions only).
    pub option_visible: FastSet<usize>,
    /// Whether the file was built without errors.
    pub ok: bool,
}

/// The outcome of a lookup that found nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct LookupMiss {
    /// A symbol with the name exists, in this file, which is not imported.
    pub undeclared: Option<(String, usize)>,
    /// The first part of the name resolved to a scope in which the rest is not defined.
    pub resolved_undefined: Option<String>,
}

/// The files whose symbols lookups found, per file build (cleared in O(1) by starting a new
/// generation).
#[derive(Debug, Default)]
pub(crate) struct UsedFiles {
    /// Per file index, the generation in which it was last used.
    marks: RefCell<Vec<u32>>,
    generation: Cell<u32>,
}

impl UsedFiles {
    /// Forgets every use (a new file's build starts).
    pub(crate) fn clear(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        if self.generation.get() == 0 {
            self.marks.borrow_mut().fill(0);
            self.generation.set(1);
        }
    }

    /// Records that a lookup found a symbol of `file`.
    pub(crate) fn mark(&self, file: usize) {
        let mut marks = self.marks.borrow_mut();
        if marks.len() <= file {
            marks.resize(file + 1, 0);
        }
        marks[file] = self.generation.get();
    }

    /// Whether a lookup found a symbol of `file` since the last [`UsedFiles::clear`].
    pub(crate) fn contains(&self, file: usize) -> bool {
        self.generation.get() != 0 && self.marks.borrow().get(file) == Some(&self.generation.get())
    }
}

/// All files of the compilation and their symbols.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    pub files: Vec<PoolFile>,
    pub by_name: FastMap<String, usize>,
    pub symbols: Symbols,
    /// The extensions of the files built without errors, by extendee and number: the
    /// extension's full name and file.
    pub extensions: FastMap<String, FastMap<i32, (String, usize)>>,
    /// Files in which lookups found a (non-package) symbol since the current file's build
    /// started: protoc's notion of a used import.
    pub used_files: UsedFiles,
    /// Per requested file, the options set on elements their definition does not target
    /// (protoc reports these once every requested file is built).
    pub target_errors: FastMap<usize, Vec<String>>,
}

impl Pool {
    /// The proto of `file`, where `current` stands in for the file being built (whose proto is
    /// temporarily moved out of the pool).
    pub(crate) fn proto<'a>(
        &'a self,
        file: usize,
        current: (usize, &'a FileDescriptorProto),
    ) -> &'a FileDescriptorProto {
        if file == current.0 {
            current.1
        } else {
            &self.files[file].proto
        }
    }

    /// Finds a symbol by full name, enforcing that `from` may see it (protoc's `FindSymbol`):
    /// anything of its own file, its imports and their public imports; only fields and
    /// extensions of its option imports (and their public imports).
    pub(crate) fn find_visible(
        &self,
        name: &str,
        from: usize,
        miss: &mut LookupMiss,
    ) -> Option<Symbol<'_>> {
        let symbol = self.symbols.get(name)?;
        if symbol.kind != SymbolKind::Package {
            self.used_files.mark(symbol.file);
        }
        let file = &self.files[from];
        if file.visible.contains(&symbol.file)
            || (file.option_visible.contains(&symbol.file)
                && matches!(symbol.kind, SymbolKind::Field | SymbolKind::Extension))
        {
            return Some(symbol);
        }
        if symbol.kind == SymbolKind::Package {
            let defines = |index: usize| {
                let package = self.files[index].package.as_str();
                package == name
                    || (package.len() > name.len()
                        && package.starts_with(name)
                        && package.as_bytes()[name.len()] == b'.')
            };
            if file
                .visible
                .iter()
                .chain(&file.option_visible)
                .any(|&i| defines(i))
            {
                return Some(symbol);
            }
        }
        miss.undeclared = Some((name.to_string(), symbol.file));
        None
    }

    /// [`Pool::find_visible`] of a full name, for lookups that report no miss.
    pub(crate) fn find_full(&self, name: &str, from: usize) -> Option<Symbol<'_>> {
        self.find_visible(name, from, &mut LookupMiss::default())
    }

    /// Resolves `name` as written inside the element whose full name is `relative_to`
    /// (protoc's `LookupSymbolNoPlaceholder`). With `types_only`, non-type symbols found in an
    /// inner scope are skipped.
    pub(crate) fn lookup(
        &self,
        name: &str,
        relative_to: &str,
        from: usize,
        types_only: bool,
    ) -> Result<(String, Symbol<'_>), LookupMiss> {
        let mut miss = LookupMiss::default();
        if let Some(absolute) = name.strip_prefix('.') {
            return match self.find_visible(absolute, from, &mut miss) {
                Some(symbol) => Ok((absolute.to_string(), symbol)),
                None => Err(miss),
            };
        }
        let first_part = name.split('.').next().unwrap_or(name);
        let mut scope = relative_to.to_string();
        loop {
            let Some(dot) = scope.rfind('.') else {
                return match self.find_visible(name, from, &mut miss) {
                    Some(symbol) => Ok((name.to_string(), symbol)),
                    None => Err(miss),
                };
            };
            scope.truncate(dot);
            let old_len = scope.len();
            scope.push('.');
            scope.push_str(first_part);
            if let Some(symbol) = self.find_visible(&scope, from, &mut miss) {
                if first_part.len() < name.len() {
                    if symbol.kind.is_aggregate() {
                        scope.push_str(&name[first_part.len()..]);
                        return match self.find_visible(&scope, from, &mut miss) {
                            Some(symbol) => Ok((scope, symbol)),
                            None => {
                                miss.resolved_undefined = Some(scope);
                                Err(miss)
                            }
                        };
                    }
                } else if !types_only || symbol.kind.is_type() {
                    return Ok((scope, symbol));
                }
            }
            scope.truncate(old_len);
        }
    }

    /// The message a symbol path points to.
    pub(crate) fn message_at<'a>(
        proto: &'a FileDescriptorProto,
        path: &[i32],
    ) -> Option<&'a DescriptorProto> {
        let (&[first, index], rest) = path.split_first_chunk::<2>()?;
        if first != tag::FILE_MESSAGE {
            return None;
        }
        let mut message = proto.message_type.get(index as usize)?;
        let mut rest = rest;
        while let Some((&[field, index], tail)) = rest.split_first_chunk::<2>() {
            if field != tag::MESSAGE_NESTED {
                return None;
            }
            message = message.nested_type.get(index as usize)?;
            rest = tail;
        }
        Some(message)
    }

    /// The enum a symbol path points to.
    pub(crate) fn enum_at<'a>(
        proto: &'a FileDescriptorProto,
        path: &[i32],
    ) -> Option<&'a EnumDescriptorProto> {
        let (parent, last) = path.split_last_chunk::<2>()?;
        let index = last[1] as usize;
        if parent.is_empty() {
            proto.enum_type.get(index)
        } else {
            Self::message_at(proto, parent)?.enum_type.get(index)
        }
    }

    /// The field or extension a symbol path points to.
    pub(crate) fn field_at<'a>(
        proto: &'a FileDescriptorProto,
        path: &[i32],
    ) -> Option<&'a FieldDescriptorProto> {
        let (parent, last) = path.split_last_chunk::<2>()?;
        let index = last[1] as usize;
        if parent.is_empty() {
            return proto.extension.get(index);
        }
        let message = Self::message_at(proto, parent)?;
        match last[0] {
            tag::MESSAGE_FIELD => message.field.get(index),
            tag::MESSAGE_EXTENSION => message.extension.get(index),
            _ => None,
        }
    }
}
