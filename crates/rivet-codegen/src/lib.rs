//! Rust code generation from protobuf descriptors.
//!
//! `rivet-codegen` turns a [`FileDescriptorSet`] into Rust source: message structs deriving
//! `prost::Message`, enums deriving `prost::Enumeration`, oneof enums, and tonic clients and
//! servers (through `tonic-build`'s [`tonic_build::CodeGenBuilder`]). Its only input is
//! descriptors, so the same code serves the protoc plugin and `rivet-build`.
//!
//! The output is a drop-in for prost-build 0.14 + tonic-prost-build 0.14: one file per protobuf
//! package named `<package>.rs` (`_.rs` without a package), so `tonic::include_proto!` works,
//! with the same names, attributes, derives and formatting. Semantics (presence, packed
//! encoding, groups) come from resolved features, so proto2, proto3 and editions 2023/2024 are
//! handled alike.
//!
//! ```no_run
//! # fn run(set: &rivet_descriptor::FileDescriptorSet) -> Result<(), rivet_codegen::Error> {
//! let files = rivet_codegen::Generator::new()
//!     .build_client(true)
//!     .build_server(true)
//!     .generate(set, &["helloworld.proto"])?;
//! for file in files {
//!     println!("{}: {} bytes", file.name, file.content.len());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Deliberate differences from prost-build are listed in [`Generator`]'s documentation.

mod comments;
mod enums;
mod error;
mod generate;
mod index;
mod messages;
mod naming;
mod options;
mod paths;
mod services;
mod types;

pub use error::Error;
pub use options::Generator;

#[doc(no_inline)]
pub use rivet_descriptor::FileDescriptorSet;

/// One generated Rust source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The file name: `<package>.rs` (`_.rs` for files without a package), or the name given
    /// to [`Generator::include_file`].
    pub name: String,
    /// The formatted Rust source.
    pub content: String,
}
