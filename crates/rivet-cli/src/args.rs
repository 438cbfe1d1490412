//! Command-line arguments, spelled as protoc spells them.

use std::borrow::Cow;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rivet_compiler::{ErrorFormat, file_names};

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

/// protoc's flags for parsing and descriptor output, read as protoc reads them (see
/// [`ProtocArgs::action`]): clap only collects them.
#[derive(Debug, Args)]
#[command(
    disable_help_flag = true,
    override_usage = "rivet compile|check [FLAGS] PROTO_FILES",
    after_help = PROTOC_FLAGS_HELP
)]
pub struct ProtocArgs {
    /// protoc's flags (below) and the .proto files: paths on disk inside an include path, or
    /// virtual paths relative to one
    #[arg(
        value_name = "ARGS",
        allow_hyphen_values = true,
        trailing_var_arg = true,
        num_args = 0..,
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub args: Vec<std::ffi::OsString>,
}

/// The flags, as `rivet compile --help` lists them.
const PROTOC_FLAGS_HELP: &str = "\
Flags (spelled and parsed as protoc's: `--flag=VALUE` or `--flag VALUE`, `-IVALUE` or `-I VALUE`):
  -IPATH, --proto_path=PATH    Directory to search for imports, optionally mounted at a
                               virtual path (VIRTUAL=DIR). Repeatable; several may be joined
                               with ':'. Without any, the current directory.
  -oFILE, --descriptor_set_out=FILE
                               Write a FileDescriptorSet (a protobuf, as defined in
                               descriptor.proto) to FILE (ignored by `check`).
  --include_imports            Also include all dependencies of the input files in the set.
  --include_source_info        Keep SourceCodeInfo (locations and comments) in the set.
  --retain_options             Keep options whose retention is RETENTION_SOURCE.
  --experimental_editions      Accept files of editions later than the latest supported one.
  --error_format=FORMAT        How errors are printed: 'gcc' (the default) or 'msvs'.
  --fatal_warnings             Fail (exit code 1) if there are warnings (after writing the
                               output; as in protoc, the deprecation warning for generic
                               services does not count).
  --disallow_services          Fail if a requested file defines a service.
  --direct_dependencies=FILES  The only files (':'-separated) that the requested files may
                               import; any other import fails the run.
  --direct_dependencies_violation_msg=MSG
                               The message for such an import ('%s': the file).
  --option_dependencies=FILES  The same for `import option`.
  --option_dependencies_violation_msg=MSG
                               The message for such an option import ('%s': the file).
  --dependency_out=FILE        Write a make rule to FILE: the output file depends on every
                               .proto file the (one) input file needs (not the embedded
                               well-known types). Like the output, FILE is left untouched
                               when its content is unchanged. Ignored by `check`.
  -h, --help                   Print this help.
  --version                    Print the version.
Arguments of the form @FILE are replaced by the lines of FILE, one argument per line.
protoc's code generation (--X_out, --X_opt), --plugin, --encode, --decode, --decode_raw,
--descriptor_set_in, --print_free_field_numbers, --notices and --edition_defaults_* flags are
not supported (an error names the flag).";

/// What a command line asks for.
#[derive(Debug)]
pub enum Action {
    /// Compile or check with these settings.
    Run(Box<Settings>),
    /// Print the subcommand's help.
    Help,
    /// Print the version.
    Version,
}

/// protoc's flags that take no value (`ParseArgument`): any other flag takes the next
/// argument as its value when it has none of its own.
const FLAGS_WITHOUT_VALUE: &[&str] = &[
    "-h",
    "--help",
    "--disallow_services",
    "--include_imports",
    "--include_source_info",
    "--retain_options",
    "--version",
    "--decode_raw",
    "--notices",
    "--experimental_editions",
    "--print_free_field_numbers",
    "--experimental_allow_proto3_optional",
    "--deterministic_output",
    "--unsafe_allow_out_dir_escape",
    "--fatal_warnings",
];

/// Splits one argument as protoc's `ParseArgument` does: `(name, value, value_follows)`,
/// where an empty name is an input file and `value_follows` says that the next argument is
/// the flag's value.
fn split_argument(arg: &str) -> (Cow<'_, str>, Cow<'_, str>, bool) {
    let Some(rest) = arg.strip_prefix('-') else {
        return ("".into(), arg.into(), false);
    };
    if rest.starts_with('-') {
        // `--name=value` or `--name`.
        return match arg.split_once('=') {
            Some((name, value)) => (name.into(), value.into(), false),
            None => (arg.into(), "".into(), !FLAGS_WITHOUT_VALUE.contains(&arg)),
        };
    }
    if rest.is_empty() {
        // A lone `-` is an input file (which will not be found).
        return ("".into(), arg.into(), false);
    }
    // One dash: a one-byte name (the first byte of a character that is not ASCII, then),
    // the rest is the value.
    let (name, value) = if rest.as_bytes()[0].is_ascii() {
        let (name, value) = arg.split_at(2);
        (Cow::Borrowed(name), Cow::Borrowed(value))
    } else {
        let bytes = file_names::to_bytes(arg);
        (
            Cow::Owned(file_names::from_bytes(&bytes[..2]).into_owned()),
            Cow::Owned(file_names::from_bytes(&bytes[2..]).into_owned()),
        )
    };
    let value_follows = value.is_empty() && !FLAGS_WITHOUT_VALUE.contains(&&*name);
    (name, value, value_follows)
}

impl ProtocArgs {
    /// Reads the arguments as protoc does (its `ParseArguments`: flags in order, the same
    /// messages for the same mistakes), for `compile` when `wants_output`, else `check`.
    /// Warnings about the arguments (a missing include directory) go to `warnings` as they
    /// are found: protoc prints them as it goes, before a usage error that follows them.
    pub fn action(
        self,
        wants_output: bool,
        warnings: &mut Vec<String>,
    ) -> Result<Action, UsageError> {
        if self.args.is_empty() {
            // protoc prints its help when given no arguments at all.
            return Ok(Action::Help);
        }
        let mut settings = Settings {
            proto_paths: Vec::new(),
            descriptor_set_out: None,
            include_imports: false,
            include_source_info: false,
            retain_options: false,
            experimental_editions: false,
            error_format: ErrorFormat::Gcc,
            fatal_warnings: false,
            dependency_out: None,
            disallow_services: false,
            direct_dependencies: None,
            direct_dependencies_violation_msg: rivet_compiler::DIRECT_DEPENDENCIES_VIOLATION.into(),
            option_dependencies: None,
            option_dependencies_violation_msg: rivet_compiler::OPTION_DEPENDENCIES_VIOLATION.into(),
            files: Vec::new(),
        };
        let mut deterministic_output = false;
        let once = |name: &str, set: &mut bool| {
            if std::mem::replace(set, true) {
                return Err(UsageError(format!("{name} may only be passed once.")));
            }
            Ok(())
        };
        // Like protoc, arguments are bytes: they are read as text in the form of
        // `file_names`, which keeps bytes that are not UTF-8.
        let texts: Vec<String> = self
            .args
            .iter()
            .map(|arg| file_names::from_os(arg).into_owned())
            .collect();
        let mut args = texts.iter();
        while let Some(arg) = args.next() {
            let (name, value, value_follows) = split_argument(arg);
            let (name, mut value) = (&*name, &*value);
            if value_follows {
                match args.as_slice().first() {
                    Some(next) if !next.starts_with('-') => {
                        value = next;
                        args.next();
                    }
                    _ => return Err(UsageError(format!("Missing value for flag: {name}"))),
                }
            }
            match name {
                "" if value.is_empty() => {
                    return Err(UsageError(
                        "You seem to have passed an empty string as one of the arguments to \
                         rivet.  This is actually sort of hard to do.  Congrats.  \
                         Unfortunately it is not valid input so the program is going to die \
                         now."
                            .into(),
                    ));
                }
                "" => settings.files.push(file_names::to_path(value)),
                "-I" | "--proto_path" => {
                    let paths = parse_proto_path(value, warnings)?;
                    settings.proto_paths.extend(paths);
                }
                "-o" | "--descriptor_set_out" => {
                    output_file(name, value, &mut settings.descriptor_set_out)?;
                }
                "--dependency_out" => output_file(name, value, &mut settings.dependency_out)?,
                "--include_imports" => once(name, &mut settings.include_imports)?,
                "--include_source_info" => once(name, &mut settings.include_source_info)?,
                "--retain_options" => once(name, &mut settings.retain_options)?,
                "--fatal_warnings" => once(name, &mut settings.fatal_warnings)?,
                "--disallow_services" => settings.disallow_services = true,
                "--direct_dependencies" => {
                    dependency_list(name, "direct", value, &mut settings.direct_dependencies)?;
                }
                "--option_dependencies" => {
                    dependency_list(name, "option", value, &mut settings.option_dependencies)?;
                }
                "--direct_dependencies_violation_msg" => {
                    settings.direct_dependencies_violation_msg = value.to_string();
                }
                "--option_dependencies_violation_msg" => {
                    settings.option_dependencies_violation_msg = value.to_string();
                }
                "--experimental_editions" => settings.experimental_editions = true,
                "--error_format" => {
                    settings.error_format = match value {
                        "gcc" => ErrorFormat::Gcc,
                        "msvs" => ErrorFormat::Msvs,
                        other => {
                            return Err(UsageError(format!("Unknown error format: {other}")));
                        }
                    };
                }
                "-h" | "--help" => return Ok(Action::Help),
                "--version" => return Ok(Action::Version),
                // No effect on a descriptor set (protoc accepts them too).
                "--experimental_allow_proto3_optional"
                | "--unsafe_allow_out_dir_escape"
                | "--enable_codegen_trace" => {}
                "--deterministic_output" => deterministic_output = true,
                _ if is_protoc_flag(name) => {
                    return Err(UsageError(format!(
                        "{name}: this protoc flag is not supported by rivet (only \
                         descriptor-set output is; see `rivet compile --help`)."
                    )));
                }
                _ => return Err(UsageError(format!("Unknown flag: {name}"))),
            }
        }
        // Like protoc: with no --proto_path at all, files are looked up in the current directory.
        if settings.proto_paths.is_empty() {
            settings.proto_paths.push(ProtoPath {
                virtual_prefix: String::new(),
                disk: PathBuf::from("."),
            });
        }
        if settings.files.is_empty() {
            return Err(UsageError("Missing input file.".into()));
        }
        if wants_output && settings.descriptor_set_out.is_none() {
            return Err(UsageError("Missing output directives.".into()));
        }
        if deterministic_output {
            return Err(UsageError(
                "Can only use --deterministic_output with --encode.".into(),
            ));
        }
        if wants_output && settings.dependency_out.is_some() && settings.files.len() > 1 {
            return Err(UsageError(
                "Can only process one input file when using --dependency_out=FILE.".into(),
            ));
        }
        Ok(Action::Run(Box::new(settings)))
    }
}

/// Whether protoc knows `name` as a flag (one Rivet does not implement): its other named flags,
/// and the code generator and plugin families (`--X_out`, `--X_opt`, `--X_prefix`).
fn is_protoc_flag(name: &str) -> bool {
    const OTHERS: &[&str] = &[
        "--descriptor_set_in",
        "--encode",
        "--decode",
        "--decode_raw",
        "--plugin",
        "--print_free_field_numbers",
        "--notices",
        "--edition_defaults_out",
        "--edition_defaults_minimum",
        "--edition_defaults_maximum",
    ];
    OTHERS.contains(&name)
        || (name.starts_with("--")
            && (name.ends_with("_out") || name.ends_with("_opt") || name.ends_with("_prefix")))
}

/// Reads an output file's flag (`-o`, `--dependency_out`) as protoc does: given at most once,
/// not empty.
fn output_file(name: &str, value: &str, file: &mut Option<PathBuf>) -> Result<(), UsageError> {
    if file.is_some() {
        return Err(UsageError(format!("{name} may only be passed once.")));
    }
    if value.is_empty() {
        return Err(UsageError(format!("{name} requires a non-empty value.")));
    }
    *file = Some(file_names::to_path(value));
    Ok(())
}

/// Reads a `--direct_dependencies`/`--option_dependencies` value (`kind`: "direct" or
/// "option") as protoc does: ':'-separated names, empty ones skipped; given at most once.
fn dependency_list(
    name: &str,
    kind: &str,
    value: &str,
    list: &mut Option<Vec<String>>,
) -> Result<(), UsageError> {
    if list.is_some() {
        return Err(UsageError(format!(
            "{name} may only be passed once. To specify multiple {kind} dependencies, pass \
             them all as a single parameter separated by ':'."
        )));
    }
    *list = Some(
        value
            .split(':')
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect(),
    );
    Ok(())
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
    /// `--dependency_out` (`compile` only).
    pub dependency_out: Option<PathBuf>,
    /// `--disallow_services`.
    pub disallow_services: bool,
    /// `--direct_dependencies` (`None`: not given), in the form of `file_names`.
    pub direct_dependencies: Option<Vec<String>>,
    /// `--direct_dependencies_violation_msg` (protoc's default unless given).
    pub direct_dependencies_violation_msg: String,
    /// `--option_dependencies` (`None`: not given), in the form of `file_names`.
    pub option_dependencies: Option<Vec<String>>,
    /// `--option_dependencies_violation_msg` (protoc's default unless given).
    pub option_dependencies_violation_msg: String,
    /// Input files, as given.
    pub files: Vec<PathBuf>,
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
        if !file_names::to_path(disk).exists() {
            if file_names::to_path(part).exists() {
                virtual_prefix = "";
                disk = part;
            } else {
                warnings.push(format!("{disk}: warning: directory does not exist."));
            }
        }
        paths.push(ProtoPath {
            virtual_prefix: virtual_prefix.to_string(),
            disk: file_names::to_path(disk),
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
        let text = file_names::from_os(&arg);
        match text.strip_prefix('@') {
            Some(file) if i > 0 => expanded.extend(read_argument_file(file)?),
            _ => expanded.push(arg),
        }
    }
    Ok(expanded)
}

/// The arguments in the file `name` (in the form of `file_names`), one per line, read as
/// protoc reads them (`std::getline`): a last line without a line break counts, an empty
/// file has none, and reading stops at the first read error (a directory opens, and reads as
/// no lines). protoc passes them on as C strings, so each ends at its first NUL byte.
fn read_argument_file(name: &str) -> Result<Vec<std::ffi::OsString>, UsageError> {
    let mut file = std::fs::File::open(file_names::to_path(name))
        .map_err(|_| UsageError(format!("Failed to open argument file: {name}")))?;
    let mut content = Vec::new();
    let _ = std::io::Read::read_to_end(&mut file, &mut content);
    if content.is_empty() {
        return Ok(Vec::new());
    }
    let content = content.strip_suffix(b"\n").unwrap_or(&content);
    Ok(content
        .split(|&byte| byte == b'\n')
        .map(|line| line.split(|&byte| byte == 0).next().unwrap_or(line))
        .map(|line| file_names::to_path(&file_names::from_bytes(line)).into_os_string())
        .collect())
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
