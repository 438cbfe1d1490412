//! rivet-compiler: resolves `.proto` files from include paths, links them and emits
//! `FileDescriptorProto`s byte-identical to protoc's.

mod compile;
mod diagnostic;
mod encode;
mod features;
pub mod file_names;
mod finalize;
mod hash;
mod link;
mod lower;
mod options;
mod pipeline;
mod pool;
mod schema;
mod scope;
mod source_tree;
mod text;
mod validate;
mod wire;
mod wkt;

pub use diagnostic::{CompileError, Diagnostic, ErrorFormat, Severity, describe_io_error};

use std::path::{Path, PathBuf};

use rivet_descriptor::{FileDescriptorProto, FileDescriptorSet};

/// Where `.proto` files are looked up: a directory, optionally mounted under a virtual prefix
/// (protoc's `-Ivirtual=disk`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncludePath {
    /// The virtual path prefix (empty for a plain `-I DIR`), in the form of [`file_names`].
    pub virtual_prefix: String,
    /// The directory on disk.
    pub disk_path: PathBuf,
}

/// Compiles `.proto` files into descriptors, like protoc's front end.
#[derive(Clone, Debug, Default)]
pub struct Compiler {
    include_paths: Vec<IncludePath>,
    virtual_files: Vec<(String, Vec<u8>)>,
    pub(crate) include_source_info: bool,
    pub(crate) include_imports: bool,
    pub(crate) retain_options: bool,
    pub(crate) experimental_editions: bool,
    pub(crate) restrictions: validate::InputRestrictions,
}

/// protoc's message for an import that `--direct_dependencies` does not list
/// ([`Compiler::allowed_imports`]); `%s` stands for the imported file.
pub const DIRECT_DEPENDENCIES_VIOLATION: &str =
    "File is imported but not declared in --direct_dependencies: %s";

/// protoc's message for an option import that `--option_dependencies` does not list
/// ([`Compiler::allowed_option_imports`]); `%s` stands for the imported file.
pub const OPTION_DEPENDENCIES_VIOLATION: &str =
    "File is option imported but not declared in --option_dependencies: %s";

/// A file that a compilation needed: see [`Compilation::sources`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The virtual name (in the form of [`file_names`] when it is not UTF-8).
    pub name: String,
    /// The path it was read from, as protoc prints it (for `-I dir`, `dir/` followed by the
    /// name); `None` for a file that is not on disk: an embedded well-known type, or a file
    /// given with [`Compiler::virtual_file`].
    pub disk_path: Option<PathBuf>,
}

/// The result of a successful compilation.
#[derive(Clone, Debug, Default)]
pub struct Compilation {
    /// The output files in protoc's `--descriptor_set_out` order: every file after its
    /// dependencies; without `include_imports`, only the requested files (still in dependency
    /// order among themselves).
    pub files: Vec<FileDescriptorProto>,
    /// Warnings (for example unused imports), in protoc's order.
    pub warnings: Vec<Diagnostic>,
    /// The virtual names of the requested files, in argument order (bytes that are not
    /// UTF-8 shown as U+FFFD).
    pub requested: Vec<String>,
    /// Every file read from disk (requested files and their imports), for build-system
    /// dependency tracking. Embedded well-known types are not listed.
    pub disk_files: Vec<PathBuf>,
    /// Every file the requested files need, themselves included, each after its imports:
    /// the order of protoc's `--dependency_out` (and of the descriptor set with
    /// `include_imports`).
    pub sources: Vec<SourceFile>,
}

/// The result of [`Compiler::compile_encoded`].
#[derive(Clone, Debug, Default)]
pub struct EncodedCompilation {
    /// The encoded `FileDescriptorSet`, the bytes protoc writes for `--descriptor_set_out`, in
    /// pieces: one `file` entry per output file, in output order. Their concatenation is the
    /// set ([`EncodedCompilation::descriptor_set_bytes`]); writing them one after the other
    /// ([`EncodedCompilation::write_descriptor_set`]) avoids copying them into one buffer.
    pub descriptor_set: Vec<Vec<u8>>,
    /// The virtual names of the requested files, in argument order (bytes that are not
    /// UTF-8 shown as U+FFFD).
    pub requested: Vec<String>,
    /// Warnings (for example unused imports), in protoc's order.
    pub warnings: Vec<Diagnostic>,
    /// Every file read from disk (requested files and their imports).
    pub disk_files: Vec<PathBuf>,
    /// Every file the requested files need, in order (see [`Compilation::sources`]).
    pub sources: Vec<SourceFile>,
}

impl EncodedCompilation {
    /// The encoded `FileDescriptorSet` as one buffer.
    pub fn descriptor_set_bytes(&self) -> Vec<u8> {
        self.descriptor_set.concat()
    }

    /// Writes the encoded `FileDescriptorSet` to `out`.
    pub fn write_descriptor_set(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        self.descriptor_set
            .iter()
            .try_for_each(|piece| out.write_all(piece))
    }
}

impl Compilation {
    /// The output files as a `FileDescriptorSet`.
    pub fn descriptor_set(&self) -> FileDescriptorSet {
        FileDescriptorSet {
            file: self.files.clone(),
            ..Default::default()
        }
    }

    /// The encoded `FileDescriptorSet`, the bytes protoc writes for `--descriptor_set_out`.
    pub fn encode_descriptor_set(&self) -> Vec<u8> {
        // Field 1 of FileDescriptorSet, once per file, without copying the files into a set.
        let len: usize = self
            .files
            .iter()
            .map(|file| prost::encoding::message::encoded_len(1, file))
            .sum();
        let mut out = Vec::with_capacity(len);
        for file in &self.files {
            prost::encoding::message::encode(1, file, &mut out);
        }
        out
    }
}

impl Compiler {
    /// A compiler with no include paths (the well-known types are always available).
    pub fn new() -> Self {
        Compiler::default()
    }

    /// Adds an include directory (`-I DIR`). Directories are searched in the order added.
    pub fn include_path(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.include_mapping("", dir)
    }

    /// Adds an include directory mounted under a virtual prefix (`-Ivirtual=disk`). A prefix
    /// that is not UTF-8 is given in the escaped form of [`file_names`].
    pub fn include_mapping(
        &mut self,
        virtual_prefix: impl Into<String>,
        dir: impl Into<PathBuf>,
    ) -> &mut Self {
        self.include_paths.push(IncludePath {
            virtual_prefix: virtual_prefix.into(),
            disk_path: dir.into(),
        });
        self
    }

    /// Keeps `SourceCodeInfo` in the output (`--include_source_info`).
    pub fn include_source_info(&mut self, yes: bool) -> &mut Self {
        self.include_source_info = yes;
        self
    }

    /// Outputs all transitive imports too (`--include_imports`).
    pub fn include_imports(&mut self, yes: bool) -> &mut Self {
        self.include_imports = yes;
        self
    }

    /// Keeps options with `retention = RETENTION_SOURCE` (`--retain_options`).
    pub fn retain_options(&mut self, yes: bool) -> &mut Self {
        self.retain_options = yes;
        self
    }

    /// Accepts requested files of editions later than the latest one protoc supports (such
    /// as `UNSTABLE`) whatever their path (`--experimental_editions`).
    pub fn experimental_editions(&mut self, yes: bool) -> &mut Self {
        self.experimental_editions = yes;
        self
    }

    /// Fails the compilation when a requested file defines a service (`--disallow_services`).
    /// As in protoc, the requested files are checked in order, each as soon as it is built,
    /// and the first one that defines a service stops the compilation.
    pub fn disallow_services(&mut self, yes: bool) -> &mut Self {
        self.restrictions.disallow_services = yes;
        self
    }

    /// Allows the requested files to import only the files `names` (`--direct_dependencies`;
    /// plain, `public` and `weak` imports alike, but not option imports). Each import of
    /// another file is reported with `violation_message`, in which every `%s` is replaced by
    /// the file's name (protoc's default is [`DIRECT_DEPENDENCIES_VIOLATION`]), and the first
    /// requested file with such imports stops the compilation. Names are virtual paths, given
    /// in the form of [`file_names`] when they are not UTF-8, as is the message.
    pub fn allowed_imports(
        &mut self,
        names: impl IntoIterator<Item = impl AsRef<str>>,
        violation_message: impl AsRef<str>,
    ) -> &mut Self {
        self.restrictions.imports = Some(validate::AllowedImports::new(names, violation_message));
        self
    }

    /// Like [`Compiler::allowed_imports`], for `import option` (`--option_dependencies`;
    /// protoc's default message is [`OPTION_DEPENDENCIES_VIOLATION`]).
    pub fn allowed_option_imports(
        &mut self,
        names: impl IntoIterator<Item = impl AsRef<str>>,
        violation_message: impl AsRef<str>,
    ) -> &mut Self {
        self.restrictions.option_imports =
            Some(validate::AllowedImports::new(names, violation_message));
        self
    }

    /// Provides a file from memory under the virtual path `name` (e.g. `pkg/a.proto`). It
    /// takes precedence over the include paths; diagnostics name it by `name`. (A name that is
    /// not UTF-8 is given in the form of [`file_names`].)
    pub fn virtual_file(
        &mut self,
        name: impl Into<String>,
        contents: impl Into<Vec<u8>>,
    ) -> &mut Self {
        self.virtual_files.push((name.into(), contents.into()));
        self
    }

    /// The include paths, in search order.
    pub fn include_paths(&self) -> &[IncludePath] {
        &self.include_paths
    }

    /// Compiles `files`, given as protoc takes them on its command line: a path on disk inside
    /// one of the include paths, or a virtual path relative to one.
    pub fn compile<P: AsRef<Path>>(&self, files: &[P]) -> Result<Compilation, CompileError> {
        let compiled = self.run(files, compile::Delivery::Files)?;
        let compile::Output::Files(files) = compiled.output else {
            unreachable!("compile without encoding returns files")
        };
        Ok(Compilation {
            files,
            requested: compiled.requested,
            warnings: compiled.warnings,
            disk_files: disk_files(&compiled.sources),
            sources: compiled.sources,
        })
    }

    /// Like [`Compiler::compile`], but returns the encoded `FileDescriptorSet` (protoc's
    /// `--descriptor_set_out` bytes) directly. Each file is encoded and dropped as soon as it
    /// is finished, so this uses much less memory and time on large trees.
    pub fn compile_encoded<P: AsRef<Path>>(
        &self,
        files: &[P],
    ) -> Result<EncodedCompilation, CompileError> {
        self.run(files, compile::Delivery::Encoded)
            .map(encoded_compilation)
    }

    /// Like [`Compiler::compile_encoded`], but passes each piece of the encoded
    /// `FileDescriptorSet` (one `file` entry per output file, in output order; their
    /// concatenation is the set) to `sink` instead of returning them: each as soon as it and
    /// every piece before it are ready, on the calling thread, while later files are still
    /// being encoded. The returned [`EncodedCompilation`] has an empty `descriptor_set`.
    /// `sink` is not called at all when the compilation fails.
    pub fn compile_encoded_to<P: AsRef<Path>>(
        &self,
        files: &[P],
        mut sink: impl FnMut(&[u8]),
    ) -> Result<EncodedCompilation, CompileError> {
        self.run(files, compile::Delivery::Stream(&mut sink))
            .map(encoded_compilation)
    }

    fn run<P: AsRef<Path>>(
        &self,
        files: &[P],
        delivery: compile::Delivery<'_>,
    ) -> Result<compile::Compiled, CompileError> {
        let inputs: Vec<String> = files
            .iter()
            .map(|file| file_names::from_path(file.as_ref()).into_owned())
            .collect();
        compile::compile(self, &inputs, delivery)
    }
}

/// Every file read from disk: the sources that have a path.
fn disk_files(sources: &[SourceFile]) -> Vec<PathBuf> {
    sources
        .iter()
        .filter_map(|source| source.disk_path.clone())
        .collect()
}

/// An encoded compilation's result (a streamed one has no pieces left).
fn encoded_compilation(compiled: compile::Compiled) -> EncodedCompilation {
    let descriptor_set = match compiled.output {
        compile::Output::Encoded(pieces) => pieces,
        compile::Output::Files(_) => Vec::new(),
    };
    EncodedCompilation {
        descriptor_set,
        requested: compiled.requested,
        warnings: compiled.warnings,
        disk_files: disk_files(&compiled.sources),
        sources: compiled.sources,
    }
}
