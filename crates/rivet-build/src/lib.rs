//! `rivet-build`: compile `.proto` files to Rust from `build.rs`, with no `protoc`.
//!
//! Message structs implement `prost::Message`, services get tonic clients and servers; the
//! output is what prost-build + tonic-prost-build would generate, so `tonic::include_proto!`
//! works unchanged.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), rivet_build::Error> {
//!     rivet_build::configure().compile(&["protos/helloworld.proto"], &["protos"])
//! }
//! ```
//!
//! Errors in the `.proto` files fail the build with one `path:line:col: message` line per
//! error, and nothing is written. Generated files are only rewritten when their content
//! changes, so unchanged protos do not trigger recompilation of dependent code.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use rivet_codegen::Generator;
use rivet_compiler::{CompileError, Compiler};

/// Why a build failed.
#[derive(thiserror::Error)]
pub enum Error {
    /// The `.proto` files have errors (every one is listed, `path:line:col: message`).
    #[error("{0}")]
    Compile(#[from] CompileError),
    /// Code generation failed.
    #[error("code generation failed: {0}")]
    Codegen(#[from] rivet_codegen::Error),
    /// `OUT_DIR` is not set and no output directory was chosen.
    #[error("OUT_DIR is not set: call `out_dir` or run from a build script")]
    NoOutDir,
    /// Writing an output file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

// `fn main() -> Result<(), Error>` prints errors with `Debug`: make that the readable form.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{self}")
    }
}

/// Starts configuring a build (clients and servers on, output to `OUT_DIR`).
pub fn configure() -> Builder {
    Builder {
        generator: Generator::new(),
        out_dir: None,
        emit_rerun_if_changed: true,
    }
}

/// Compiles one `.proto` file whose imports resolve from its own directory.
pub fn compile_protos(proto: impl AsRef<Path>) -> Result<(), Error> {
    let proto = proto.as_ref();
    let dir = proto.parent().unwrap_or_else(|| Path::new("."));
    configure().compile(&[proto], &[dir])
}

/// Configures and runs a build.
#[derive(Debug, Clone)]
pub struct Builder {
    generator: Generator,
    out_dir: Option<PathBuf>,
    emit_rerun_if_changed: bool,
}

impl Builder {
    /// Generates tonic clients for services (default: on).
    pub fn build_client(mut self, enable: bool) -> Self {
        self.generator = self.generator.build_client(enable);
        self
    }

    /// Generates tonic servers for services (default: on).
    pub fn build_server(mut self, enable: bool) -> Self {
        self.generator = self.generator.build_server(enable);
        self
    }

    /// Writes into `dir` instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every input and import (default: on).
    pub fn emit_rerun_if_changed(mut self, enable: bool) -> Self {
        self.emit_rerun_if_changed = enable;
        self
    }

    /// Adjusts code generation (extern paths, attributes, map and bytes types, ...): see
    /// [`rivet_codegen::Generator`].
    pub fn generator(mut self, configure: impl FnOnce(Generator) -> Generator) -> Self {
        self.generator = configure(self.generator);
        self
    }

    /// Compiles `protos` (paths inside `includes`, or virtual paths relative to them) and
    /// writes one `<package>.rs` per protobuf package.
    pub fn compile(
        &self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
    ) -> Result<(), Error> {
        self.compile_to_files(protos, includes).map(|_| ())
    }

    /// Like [`Builder::compile`], returning the paths of the generated files.
    pub fn compile_to_files(
        &self,
        protos: &[impl AsRef<Path>],
        includes: &[impl AsRef<Path>],
    ) -> Result<Vec<PathBuf>, Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let mut compiler = Compiler::new();
        for include in includes {
            compiler.include_path(include.as_ref());
        }
        compiler.include_imports(true).include_source_info(true);
        let result = compiler.compile(protos);
        if self.emit_rerun_if_changed {
            // Watch the inputs even when they fail to compile, so fixing them reruns the build.
            for proto in protos {
                println!("cargo:rerun-if-changed={}", proto.as_ref().display());
            }
        }
        let compilation = result?;
        if self.emit_rerun_if_changed {
            for file in &compilation.disk_files {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        for warning in &compilation.warnings {
            println!("cargo:warning={warning}");
        }
        let set = compilation.descriptor_set();
        let generated = self.generator.generate(&set, &compilation.requested)?;
        std::fs::create_dir_all(&out_dir).map_err(|source| Error::Io {
            path: out_dir.clone(),
            source,
        })?;
        let mut written = Vec::new();
        for file in generated {
            let path = out_dir.join(&file.name);
            write_if_changed(&path, file.content.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }
}

/// Writes `content` to `path` atomically, unless the file already has exactly that content.
fn write_if_changed(path: &Path, content: &[u8]) -> Result<(), Error> {
    if std::fs::read(path).is_ok_and(|existing| existing == content) {
        return Ok(());
    }
    let io_error = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io_error)?;
    temp.write_all(content).map_err(io_error)?;
    temp.persist(path).map_err(|e| io_error(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.rs");
        write_if_changed(&path, b"one").unwrap();
        let first = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_if_changed(&path, b"one").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), first);
        write_if_changed(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
    }
}
