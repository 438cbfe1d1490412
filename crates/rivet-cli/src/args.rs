//! Command-line arguments, spelled as protoc spells them.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use rivet_compiler::ErrorFormat;

/// The `rivet` command line.
#[derive(Debug, Parser)]
#[command(
    name = "rivet",
    version,
    about = "Compile .proto files exactly as protoc does, without protoc",
    after_help = "Arguments of the form @FILE are replaced by the lines of FILE, one argument \
                  per line, as protoc does."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile .proto files into a FileDescriptorSet (protoc --descriptor_set_out)
    Compile(ProtocArgs),
    /// Report diagnostics for .proto files without writing anything
    Check(ProtocArgs),
}

/// protoc's flags for parsing and descriptor output.
#[derive(Debug, Args)]
pub struct ProtocArgs {
    /// Directory to search for imports, optionally mounted at a virtual path (VIRTUAL=DIR).
    /// Repeatable; several may be joined with ':'. Without any, the current directory
    #[arg(short = 'I', long = "proto_path", value_name = "PATH")]
    pub proto_path: Vec<String>,

    /// Write a FileDescriptorSet (a protobuf, as defined in descriptor.proto) to FILE
    /// (ignored by `check`)
    #[arg(short = 'o', long = "descriptor_set_out", value_name = "FILE")]
    pub descriptor_set_out: Vec<PathBuf>,

    /// Also include all dependencies of the input files in the set
    #[arg(long = "include_imports")]
    pub include_imports: bool,

    /// Keep SourceCodeInfo (locations and comments) in the set
    #[arg(long = "include_source_info")]
    pub include_source_info: bool,

    /// Keep options whose retention is RETENTION_SOURCE
    #[arg(long = "retain_options")]
    pub retain_options: bool,

    /// Accept files of editions later than the latest supported one (such as UNSTABLE)
    #[arg(long = "experimental_editions")]
    pub experimental_editions: bool,

    /// How errors are printed: 'gcc' (the default) or 'msvs'
    #[arg(long = "error_format", value_name = "FORMAT", default_value = "gcc")]
    pub error_format: String,

    /// Fail (exit code 1) if there are warnings
    #[arg(long = "fatal_warnings")]
    pub fatal_warnings: bool,

    /// The .proto files to compile: paths on disk inside an include path, or virtual paths
    /// relative to one
    #[arg(value_name = "PROTO_FILES")]
    pub files: Vec<String>,
}

/// A usage error, reported as protoc reports it (one line on stderr, exit code 1).
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// One include path: `-I DIR` or `-I VIRTUAL=DIR`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtoPath {
    /// The virtual prefix (empty for a plain directory).
    pub virtual_prefix: String,
    /// The directory on disk.
    pub disk: PathBuf,
}

/// The settings a compile or check runs with, validated.
#[derive(Debug)]
pub struct Settings {
    /// Include paths in search order.
    pub proto_paths: Vec<ProtoPath>,
    /// Output file (`compile` only).
    pub descriptor_set_out: Option<PathBuf>,
    /// `--include_imports`.
    pub include_imports: bool,
    /// `--include_source_info`.
    pub include_source_info: bool,
    /// `--retain_options`.
    pub retain_options: bool,
    /// `--experimental_editions`.
    pub experimental_editions: bool,
    /// `--error_format`.
    pub error_format: ErrorFormat,
    /// `--fatal_warnings`.
    pub fatal_warnings: bool,
    /// Input files, as given.
    pub files: Vec<String>,
    /// Warnings about the arguments themselves (for example a missing include directory).
    pub warnings: Vec<String>,
}

impl ProtocArgs {
    /// Validates the arguments as protoc does. `wants_output` is true for `compile`.
    pub fn settings(self, wants_output: bool) -> Result<Settings, UsageError> {
        let mut warnings = Vec::new();
        let mut proto_paths = Vec::new();
        for value in &self.proto_path {
            proto_paths.extend(parse_proto_path(value, &mut warnings)?);
        }
        // Like protoc: with no --proto_path at all, files are looked up in the current directory.
        if proto_paths.is_empty() {
            proto_paths.push(ProtoPath {
                virtual_prefix: String::new(),
                disk: PathBuf::from("."),
            });
        }
        if self.descriptor_set_out.len() > 1 {
            return Err(UsageError(
                "--descriptor_set_out may only be passed once.".into(),
            ));
        }
        if self
            .descriptor_set_out
            .iter()
            .any(|p| p.as_os_str().is_empty())
        {
            return Err(UsageError(
                "--descriptor_set_out requires a non-empty value.".into(),
            ));
        }
        let error_format = match self.error_format.as_str() {
            "gcc" => ErrorFormat::Gcc,
            "msvs" => ErrorFormat::Msvs,
            other => return Err(UsageError(format!("Unknown error format: {other}"))),
        };
        if self.files.iter().any(String::is_empty) {
            return Err(UsageError(
                "You seem to have passed an empty string as one of the arguments to rivet.  \
                 This is actually sort of hard to do.  Congrats.  Unfortunately it is not valid \
                 input so the program is going to die now."
                    .into(),
            ));
        }
        if self.files.is_empty() {
            return Err(UsageError("Missing input file.".into()));
        }
        let descriptor_set_out = self.descriptor_set_out.into_iter().next();
        if wants_output && descriptor_set_out.is_none() {
            return Err(UsageError("Missing output directives.".into()));
        }
        Ok(Settings {
            proto_paths,
            descriptor_set_out,
            include_imports: self.include_imports,
            include_source_info: self.include_source_info,
            retain_options: self.retain_options,
            experimental_editions: self.experimental_editions,
            error_format,
            fatal_warnings: self.fatal_warnings,
            files: self.files,
            warnings,
        })
    }
}

/// Parses one `-I`/`--proto_path` value as protoc does: ':'-separated parts (empty parts
/// skipped), each `DIR` or `VIRTUAL=DIR`. A part whose DIR does not exist but that exists as a
/// whole (a directory with '=' in its name) is a plain directory; otherwise a missing directory
/// is only a warning.
pub fn parse_proto_path(
    value: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<ProtoPath>, UsageError> {
    let mut paths = Vec::new();
    for part in value.split(':').filter(|p| !p.is_empty()) {
        let (mut virtual_prefix, mut disk) = match part.split_once('=') {
            Some((virtual_prefix, disk)) => (virtual_prefix, disk),
            None => ("", part),
        };
        if disk.is_empty() {
            return Err(UsageError(
                "--proto_path passed empty directory name.  (Use \".\" for current directory.)"
                    .into(),
            ));
        }
        if !Path::new(disk).exists() {
            if Path::new(part).exists() {
                virtual_prefix = "";
                disk = part;
            } else {
                warnings.push(format!("{disk}: warning: directory does not exist."));
            }
        }
        paths.push(ProtoPath {
            virtual_prefix: virtual_prefix.to_string(),
            disk: PathBuf::from(disk),
        });
    }
    Ok(paths)
}

/// Replaces every `@FILE` argument (after the program name) by the lines of FILE, as protoc
/// does: one argument per line, no quoting, no shell expansion.
pub fn expand_argument_files(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Result<Vec<std::ffi::OsString>, UsageError> {
    let mut expanded = Vec::new();
    for (i, arg) in args.into_iter().enumerate() {
        let file = arg.to_str().and_then(|s| s.strip_prefix('@'));
        match file {
            Some(file) if i > 0 => {
                let content = std::fs::read(file)
                    .map_err(|_| UsageError(format!("Failed to open argument file: {file}")))?;
                let content = String::from_utf8_lossy(&content);
                let content = content.strip_suffix('\n').unwrap_or(&content);
                if content.is_empty() {
                    continue;
                }
                expanded.extend(content.split('\n').map(std::ffi::OsString::from));
            }
            _ => expanded.push(arg),
        }
    }
    Ok(expanded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(disk: &str) -> ProtoPath {
        ProtoPath {
            virtual_prefix: String::new(),
            disk: PathBuf::from(disk),
        }
    }

    #[test]
    fn proto_path_splits_on_colons_and_skips_empty_parts() {
        let mut warnings = Vec::new();
        let paths = parse_proto_path(".::no-such-dir", &mut warnings).unwrap();
        assert_eq!(paths, vec![plain("."), plain("no-such-dir")]);
        assert_eq!(
            warnings,
            vec!["no-such-dir: warning: directory does not exist."]
        );
    }

    #[test]
    fn proto_path_mapping() {
        let mut warnings = Vec::new();
        let paths = parse_proto_path("vendor/x=.", &mut warnings).unwrap();
        assert_eq!(
            paths,
            vec![ProtoPath {
                virtual_prefix: "vendor/x".into(),
                disk: PathBuf::from(".")
            }]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn proto_path_with_equals_in_an_existing_directory_name() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("a=b");
        std::fs::create_dir(&odd).unwrap();
        let mut warnings = Vec::new();
        let paths = parse_proto_path(odd.to_str().unwrap(), &mut warnings).unwrap();
        assert_eq!(paths, vec![plain(odd.to_str().unwrap())]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn proto_path_rejects_empty_directory() {
        let err = parse_proto_path("virtual=", &mut Vec::new()).unwrap_err();
        assert!(
            err.0
                .starts_with("--proto_path passed empty directory name.")
        );
    }

    #[test]
    fn argument_files_expand_line_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("args");
        std::fs::write(&file, "-Iprotos\na b.proto\n").unwrap();
        let args = [
            "rivet",
            "compile",
            &format!("@{}", file.display()),
            "c.proto",
        ];
        let expanded = expand_argument_files(args.iter().map(Into::into)).unwrap();
        assert_eq!(
            expanded,
            ["rivet", "compile", "-Iprotos", "a b.proto", "c.proto"].map(std::ffi::OsString::from)
        );
        let missing = expand_argument_files(["rivet", "@/no/such/file"].map(Into::into));
        assert_eq!(
            missing.unwrap_err().0,
            "Failed to open argument file: /no/such/file"
        );
    }
}
