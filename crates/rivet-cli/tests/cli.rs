//! The `rivet` binary, driven as a user (or a build script) drives protoc: every flag spelling,
//! the output file, diagnostics and exit codes, checked against the real protoc where protoc
//! has the same behaviour.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RIVET: &str = env!("CARGO_BIN_EXE_rivet");

fn protoc_path() -> PathBuf {
    protoc_bin_vendored::protoc_bin_path().expect("vendored protoc")
}

fn run(program: &Path, cwd: &Path, args: &[impl AsRef<OsStr>]) -> Output {
    Command::new(program)
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()))
}

/// `rivet compile ARGS` in `cwd`.
fn rivet_compile(cwd: &Path, args: &[impl AsRef<OsStr>]) -> Output {
    let mut all = vec![OsStr::new("compile")];
    all.extend(args.iter().map(AsRef::as_ref));
    run(Path::new(RIVET), cwd, &all)
}

fn protoc(cwd: &Path, args: &[impl AsRef<OsStr>]) -> Output {
    run(&protoc_path(), cwd, args)
}

/// Runs `tool` ("protoc", or "rivet" for `rivet compile`) with `args` in `cwd`.
fn run_tool(tool: &str, cwd: &Path, args: &[impl AsRef<OsStr>]) -> Output {
    if tool == "protoc" {
        protoc(cwd, args)
    } else {
        rivet_compile(cwd, args)
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

/// A scratch workspace with a few .proto files.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Self {
        let ws = Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        ws.write(
            "protos/greet.proto",
            "syntax = \"proto3\";\n\npackage greet;\n\nimport \"common/types.proto\";\n\n\
             // Says hello.\nmessage Hello {\n  common.Name name = 1;\n}\n",
        );
        ws.write(
            "protos/common/types.proto",
            "syntax = \"proto3\";\n\npackage common;\n\nmessage Name {\n  string value = 1;\n}\n",
        );
        ws.write(
            "protos/broken.proto",
            "syntax = \"proto3\";\n\nimport \"google/protobuf/empty.proto\";\n\n\
             message Broken {\n  int32 a = 1;\n  int32 b = 1;\n  Missing c = 2;\n}\n",
        );
        ws.write(
            "protos/unused.proto",
            "syntax = \"proto3\";\n\nimport \"google/protobuf/empty.proto\";\n\nmessage Unused {}\n",
        );
        ws
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, content: impl AsRef<[u8]>) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn read(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.path().join(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    fn exists(&self, relative: &str) -> bool {
        self.path().join(relative).exists()
    }

    /// Every file name in the workspace root (to spot stray temporary files).
    fn root_entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Runs protoc and rivet with the same arguments (each writing its own output file, named by
/// `{out}` in the arguments) and asserts identical exit codes, stderr and output bytes.
fn assert_same_as_protoc(ws: &Workspace, args: &[&str]) {
    let args: Vec<&[u8]> = args.iter().map(|arg| arg.as_bytes()).collect();
    assert_same_as_protoc_bytes(ws, &args);
}

/// [`assert_same_as_protoc`] with arguments that are bytes (Unix arguments need not be UTF-8).
fn assert_same_as_protoc_bytes(ws: &Workspace, args: &[&[u8]]) {
    let with_out = |name: &str| -> Vec<OsString> {
        args.iter()
            .map(|arg| {
                let arg = match arg.windows(5).position(|w| w == b"{out}") {
                    Some(at) => [&arg[..at], name.as_bytes(), &arg[at + 5..]].concat(),
                    None => arg.to_vec(),
                };
                os_string(arg)
            })
            .collect()
    };
    let protoc_args = with_out("protoc.pb");
    let rivet_args = with_out("rivet.pb");
    let expected = protoc(ws.path(), &protoc_args);
    let actual = rivet_compile(ws.path(), &rivet_args);
    let shown = rivet_args
        .iter()
        .map(|arg| arg.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    // stderr is compared as bytes: diagnostics can quote bytes that are not UTF-8.
    assert!(
        (code(&actual), &actual.stderr) == (code(&expected), &expected.stderr),
        "exit code and stderr of `rivet compile {shown}` (left) vs protoc (right):\n{:?}\n{:?}",
        (code(&actual), stderr(&actual)),
        (code(&expected), stderr(&expected)),
    );
    assert_eq!(
        ws.exists("rivet.pb"),
        ws.exists("protoc.pb"),
        "output file presence for {shown}"
    );
    if ws.exists("protoc.pb") {
        assert!(
            ws.read("rivet.pb") == ws.read("protoc.pb"),
            "descriptor set of `rivet compile {shown}` differs from protoc's"
        );
    }
    let _ = std::fs::remove_file(ws.path().join("protoc.pb"));
    let _ = std::fs::remove_file(ws.path().join("rivet.pb"));
}

/// An argument from its bytes (on Unix; elsewhere they must be UTF-8).
fn os_string(bytes: Vec<u8>) -> OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        OsString::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        OsString::from(String::from_utf8(bytes).expect("UTF-8 argument"))
    }
}

#[test]
fn include_path_spellings() {
    let ws = Workspace::new();
    for args in [
        &["-I", "protos", "-o", "{out}", "protos/greet.proto"][..],
        &["-Iprotos", "-o{out}", "protos/greet.proto"],
        &[
            "--proto_path=protos",
            "--descriptor_set_out={out}",
            "protos/greet.proto",
        ],
        &[
            "--proto_path",
            "protos",
            "--descriptor_set_out",
            "{out}",
            "greet.proto",
        ],
        &["-I", "protos:protos/common", "-o", "{out}", "types.proto"],
        &[
            "-Iprotos",
            "-Iprotos/common",
            "-o",
            "{out}",
            "--include_imports",
            "greet.proto",
        ],
    ] {
        assert_same_as_protoc(&ws, args);
    }
}

#[test]
fn output_flags() {
    let ws = Workspace::new();
    for flags in [
        &["--include_imports"][..],
        &["--include_source_info"],
        &["--include_imports", "--include_source_info"],
        &[
            "--include_imports",
            "--include_source_info",
            "--retain_options",
        ],
    ] {
        let mut args = vec!["-Iprotos", "-o{out}"];
        args.extend_from_slice(flags);
        args.push("protos/greet.proto");
        assert_same_as_protoc(&ws, &args);
    }
}

#[test]
fn virtual_path_mappings() {
    let ws = Workspace::new();
    ws.write(
        "vendored/lib.proto",
        "syntax = \"proto3\";\npackage lib;\nmessage Lib {}\n",
    );
    ws.write(
        "app.proto",
        "syntax = \"proto3\";\nimport \"third_party/lib.proto\";\nmessage App { lib.Lib lib = 1; }\n",
    );
    assert_same_as_protoc(
        &ws,
        &[
            "-Ithird_party=vendored",
            "-I.",
            "-o{out}",
            "--include_imports",
            "app.proto",
        ],
    );
    assert_same_as_protoc(
        &ws,
        &[
            "-I",
            "third_party=vendored",
            "-o",
            "{out}",
            "third_party/lib.proto",
        ],
    );
}

#[test]
fn current_directory_is_the_default_include_path() {
    let ws = Workspace::new();
    // protoc without any -I searches ".", so these are found relative to the working directory.
    assert_same_as_protoc(&ws, &["-o{out}", "protos/common/types.proto"]);
    assert_same_as_protoc(&ws, &["-o{out}", "./protos/common/types.proto"]);
    // ... and imports resolve against "." too, so greet.proto's import is not found.
    assert_same_as_protoc(&ws, &["-o{out}", "protos/greet.proto"]);
}

#[test]
fn argument_files() {
    let ws = Workspace::new();
    ws.write("args.txt", "-Iprotos\n--include_imports\ngreet.proto\n");
    assert_same_as_protoc(&ws, &["-o{out}", "@args.txt"]);
    let missing = rivet_compile(ws.path(), &["@no-such-file"]);
    assert_eq!(code(&missing), 1);
    assert_eq!(
        stderr(&missing),
        "Failed to open argument file: no-such-file\n"
    );
}

#[test]
fn errors_in_gcc_and_msvs_formats() {
    let ws = Workspace::new();
    assert_same_as_protoc(&ws, &["-Iprotos", "-o{out}", "protos/broken.proto"]);
    assert_same_as_protoc(
        &ws,
        &["-Iprotos", "-o{out}", "--error_format=gcc", "broken.proto"],
    );
    assert_same_as_protoc(
        &ws,
        &["-Iprotos", "-o{out}", "--error_format=msvs", "broken.proto"],
    );
    assert_same_as_protoc(
        &ws,
        &[
            "-Iprotos",
            "-o{out}",
            "--error_format",
            "msvs",
            "unused.proto",
        ],
    );
    // A missing input file.
    assert_same_as_protoc(&ws, &["-Iprotos", "-o{out}", "protos/nope.proto"]);
}

#[test]
fn warnings_do_not_fail_unless_fatal() {
    let ws = Workspace::new();
    assert_same_as_protoc(&ws, &["-Iprotos", "-o{out}", "unused.proto"]);
    assert_same_as_protoc(
        &ws,
        &["-Iprotos", "-o{out}", "--fatal_warnings", "unused.proto"],
    );
    // Like protoc, --fatal_warnings still writes the output, then exits with 1.
    let fatal = rivet_compile(
        ws.path(),
        &["-Iprotos", "-oout.pb", "--fatal_warnings", "unused.proto"],
    );
    assert_eq!(code(&fatal), 1);
    assert!(ws.exists("out.pb"));
}

#[test]
fn no_output_file_on_error() {
    let ws = Workspace::new();
    let before = ws.root_entries();
    let failed = rivet_compile(ws.path(), &["-Iprotos", "-oout.pb", "broken.proto"]);
    assert_eq!(code(&failed), 1);
    assert!(!ws.exists("out.pb"));
    assert_eq!(
        ws.root_entries(),
        before,
        "nothing written, no temporary files left"
    );
}

#[test]
fn failed_run_leaves_an_existing_output_untouched() {
    let ws = Workspace::new();
    ws.write("out.pb", "previous content");
    let failed = rivet_compile(ws.path(), &["-Iprotos", "-oout.pb", "broken.proto"]);
    assert_eq!(code(&failed), 1);
    assert_eq!(ws.read("out.pb"), b"previous content");
}

#[test]
fn output_is_replaced_atomically_and_only_when_it_changes() {
    let ws = Workspace::new();
    let ok = rivet_compile(
        ws.path(),
        &["-Iprotos", "-oout.pb", "greet.proto", "common/types.proto"],
    );
    assert_eq!(code(&ok), 0, "{}", stderr(&ok));
    let first = ws.read("out.pb");
    let modified = |ws: &Workspace| {
        std::fs::metadata(ws.path().join("out.pb"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let first_time = modified(&ws);
    std::thread::sleep(std::time::Duration::from_millis(20));

    // Same content: the file is not rewritten.
    let again = rivet_compile(
        ws.path(),
        &["-Iprotos", "-oout.pb", "greet.proto", "common/types.proto"],
    );
    assert_eq!(code(&again), 0);
    assert_eq!(
        modified(&ws),
        first_time,
        "identical output must not be rewritten"
    );

    // Different content: replaced, and no temporary files are left behind.
    let imports = rivet_compile(
        ws.path(),
        &[
            "-Iprotos",
            "-oout.pb",
            "--include_source_info",
            "greet.proto",
        ],
    );
    assert_eq!(code(&imports), 0);
    assert_ne!(ws.read("out.pb"), first);
    let entries = ws.root_entries();
    assert!(
        entries.iter().all(|e| !e.contains(".rivet-")),
        "stray temp files: {entries:?}"
    );
}

/// Messages that quote bytes of a `.proto` file print them as they are, UTF-8 or not, in
/// both error formats (warnings of an accepted file too).
#[test]
fn non_utf8_bytes_in_diagnostics_are_printed_as_they_are() {
    let ws = Workspace::new();
    ws.write(
        "protos/latin1.proto",
        b"syntax = \"proto2\";\nmessage M {\n  reserved \"caf\xe9\", \"caf\xe9\";\n}\n",
    );
    ws.write(
        "protos/warning.proto",
        b"syntax = \"proto2\";\nmessage M {\n  reserved \"caf\xe9\";\n}\n",
    );
    ws.write("protos/syntax.proto", b"syntax = \"proto\xff\";\n");
    for file in ["latin1.proto", "warning.proto", "syntax.proto"] {
        for format in ["--error_format=gcc", "--error_format=msvs"] {
            assert_same_as_protoc(&ws, &["-Iprotos", "-o{out}", format, file]);
        }
    }
    let output = rivet_compile(ws.path(), &["-Iprotos", "-o/dev/null", "latin1.proto"]);
    assert!(
        output.stderr.windows(6).any(|w| w == b"\"caf\xe9\""),
        "{}",
        stderr(&output)
    );
}

/// File names are bytes, as for protoc: an import or an argument that is not UTF-8 finds its
/// file, is printed as it is in diagnostics and is written as it is into the descriptors.
#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_bytes() {
    let ws = Workspace::new();
    let write = |name: &[u8], content: &str| {
        use std::os::unix::ffi::OsStrExt;
        let path = ws.path().join("bytes").join(OsStr::from_bytes(name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    };
    write(
        b"dep\xff.proto",
        "syntax = \"proto3\";\npackage d;\nmessage M {}\n",
    );
    write(
        b"d\xe9/user.proto",
        "syntax = \"proto3\";\nimport \"dep\\xff.proto\";\nimport public \"dep\\377.proto\";\n\
         message N { d.M m = 1; }\n",
    );
    write(
        b"b\xfe.proto",
        "syntax = \"proto3\";\nimport \"dep\\xff.proto\";\nmessage K { Q q = 1; }\n",
    );
    write(
        b"ok\xfe.proto",
        "syntax = \"proto3\";\nimport \"dep\\xff.proto\";\nmessage K { d.M m = 1; }\n",
    );
    write(
        b"unused.proto",
        "syntax = \"proto3\";\nimport \"dep\\xff.proto\";\nmessage U {}\n",
    );
    write(
        b"missing.proto",
        "syntax = \"proto3\";\nimport \"gone\\xff.proto\";\n",
    );
    let inputs: [&[u8]; 6] = [
        b"d\xe9/user.proto",
        b"b\xfe.proto",
        b"ok\xfe.proto",
        b"unused.proto",
        b"missing.proto",
        b"bytes/dep\xff.proto",
    ];
    for input in inputs {
        for flags in [
            &[][..],
            &[&b"--include_imports"[..], b"--include_source_info"],
            &[b"--error_format=msvs"],
        ] {
            let mut args: Vec<&[u8]> = vec![b"-Ibytes", b"-o{out}"];
            args.extend_from_slice(flags);
            args.push(input);
            assert_same_as_protoc_bytes(&ws, &args);
        }
    }
    // A virtual directory mapping whose prefix is not UTF-8.
    assert_same_as_protoc_bytes(
        &ws,
        &[
            b"-Iv\xf0=bytes",
            b"-o{out}",
            b"--include_imports",
            b"v\xf0/ok\xfe.proto",
        ],
    );
    let output = rivet_compile(
        ws.path(),
        &[
            os_string(b"-Ibytes".to_vec()),
            os_string(b"-o/dev/null".to_vec()),
            os_string(b"b\xfe.proto".to_vec()),
        ],
    );
    assert!(
        output.stderr.starts_with(b"bytes/b\xfe.proto:3:13: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unwritable_output_is_an_error() {
    let ws = Workspace::new();
    let failed = rivet_compile(
        ws.path(),
        &["-Iprotos", "-ono/such/dir/out.pb", "greet.proto"],
    );
    assert_eq!(code(&failed), 1);
    assert_eq!(
        stderr(&failed),
        "no/such/dir/out.pb: No such file or directory\n"
    );
}

#[test]
fn usage_errors_match_protoc() {
    let ws = Workspace::new();
    for (args, message) in [
        (
            &["-Iprotos", "greet.proto"][..],
            "Missing output directives.\n",
        ),
        (&["-Iprotos", "-oout.pb"], "Missing input file.\n"),
        (
            &["-oout.pb", "--error_format=json", "protos/greet.proto"],
            "Unknown error format: json\n",
        ),
        (
            &["-Ivirtual=", "-oout.pb", "greet.proto"],
            "--proto_path passed empty directory name.  (Use \".\" for current directory.)\n",
        ),
    ] {
        let expected = protoc(ws.path(), args);
        assert_eq!(
            (code(&expected), stderr(&expected).as_str()),
            (1, message),
            "protoc {args:?}"
        );
        let actual = rivet_compile(ws.path(), args);
        assert_eq!(
            (code(&actual), stderr(&actual).as_str()),
            (1, message),
            "rivet compile {args:?}"
        );
        assert!(!ws.exists("out.pb"));
    }
}

#[test]
fn missing_include_directory_is_a_warning() {
    let ws = Workspace::new();
    assert_same_as_protoc(&ws, &["-Inot_there", "-Iprotos", "-o{out}", "greet.proto"]);
}

#[test]
fn experimental_editions_accepts_later_editions() {
    let ws = Workspace::new();
    ws.write(
        "protos/unstable.proto",
        "edition = \"UNSTABLE\";\n\npackage u;\n\nmessage M {\n  int32 f = 1;\n}\n",
    );
    // Refused outside protoc's exempt paths without the flag, compiled with it.
    for flags in [
        &[][..],
        &["--experimental_editions"],
        &[
            "--experimental_editions",
            "--include_source_info",
            "--include_imports",
        ],
    ] {
        let mut args = vec!["-Iprotos", "-o{out}"];
        args.extend_from_slice(flags);
        args.push("unstable.proto");
        assert_same_as_protoc(&ws, &args);
    }
    let refused = rivet_compile(ws.path(), &["-Iprotos", "-oout.pb", "unstable.proto"]);
    assert_eq!(code(&refused), 1);
    let accepted = rivet_compile(
        ws.path(),
        &[
            "-Iprotos",
            "-oout.pb",
            "--experimental_editions",
            "unstable.proto",
        ],
    );
    assert_eq!(code(&accepted), 0, "{}", stderr(&accepted));
    assert!(ws.exists("out.pb"));
}

#[test]
fn output_given_twice_is_an_error() {
    let ws = Workspace::new();
    let twice = rivet_compile(ws.path(), &["-Iprotos", "-oa.pb", "-ob.pb", "greet.proto"]);
    assert_eq!(code(&twice), 1);
    assert!(
        stderr(&twice).contains("may only be passed once."),
        "{}",
        stderr(&twice)
    );
    assert!(!ws.exists("a.pb") && !ws.exists("b.pb"));
}

#[test]
fn malformed_command_lines_exit_with_1() {
    let ws = Workspace::new();
    for args in [
        &["compile", "--no-such-flag", "x.proto"][..],
        &["compile", "-I"],
        &["compile", "-o"],
        &["frobnicate"],
        &[],
    ] {
        let output = run(Path::new(RIVET), ws.path(), args);
        assert_eq!(code(&output), 1, "rivet {args:?}: {}", stderr(&output));
    }
}

#[test]
fn help_and_version_exit_with_0() {
    let ws = Workspace::new();
    for args in [
        &["--help"][..],
        &["--version"],
        &["compile", "--help"],
        &["check", "-h"],
    ] {
        let output = run(Path::new(RIVET), ws.path(), args);
        assert_eq!(code(&output), 0, "rivet {args:?}");
        assert!(!output.stdout.is_empty());
    }
    let help = run(Path::new(RIVET), ws.path(), &["compile", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--proto_path",
        "--descriptor_set_out",
        "--include_imports",
        "--include_source_info",
        "--retain_options",
        "--experimental_editions",
        "--error_format",
    ] {
        assert!(help.contains(flag), "compile --help lists {flag}");
    }
}

#[test]
fn check_reports_diagnostics_and_writes_nothing() {
    let ws = Workspace::new();
    let ok = run(
        Path::new(RIVET),
        ws.path(),
        &["check", "-Iprotos", "greet.proto"],
    );
    assert_eq!((code(&ok), stderr(&ok).as_str()), (0, ""));

    let compile = rivet_compile(ws.path(), &["-Iprotos", "-oout.pb", "broken.proto"]);
    let _ = std::fs::remove_file(ws.path().join("out.pb"));
    for format in ["gcc", "msvs"] {
        let flag = format!("--error_format={format}");
        let check = run(
            Path::new(RIVET),
            ws.path(),
            &["check", "-Iprotos", &flag, "broken.proto"],
        );
        let protoc = protoc(ws.path(), &["-Iprotos", "-oout.pb", &flag, "broken.proto"]);
        assert_eq!(code(&check), 1);
        assert_eq!(
            stderr(&check),
            stderr(&protoc),
            "check --error_format={format}"
        );
    }
    assert_eq!(
        stderr(&compile),
        stderr(&protoc(
            ws.path(),
            &["-Iprotos", "-oout.pb", "broken.proto"]
        ))
    );

    // The descriptor flags are accepted, and -o is ignored.
    let flags = run(
        Path::new(RIVET),
        ws.path(),
        &[
            "check",
            "-Iprotos",
            "--include_imports",
            "--include_source_info",
            "--retain_options",
            "-oout.pb",
            "greet.proto",
        ],
    );
    assert_eq!(code(&flags), 0, "{}", stderr(&flags));
    assert!(!ws.exists("out.pb"));

    let warned = run(
        Path::new(RIVET),
        ws.path(),
        &["check", "-Iprotos", "unused.proto"],
    );
    assert_eq!(code(&warned), 0);
    assert_eq!(
        stderr(&warned),
        stderr(&protoc(
            ws.path(),
            &["-Iprotos", "-oout.pb", "unused.proto"]
        ))
    );
    let fatal = run(
        Path::new(RIVET),
        ws.path(),
        &["check", "--fatal_warnings", "-Iprotos", "unused.proto"],
    );
    assert_eq!(code(&fatal), 1);
}

/// On a terminal, each error gets the source line and a caret under it; the diagnostic line
/// itself stays in protoc's format. Uses `script` (util-linux) to provide a terminal.
#[test]
fn source_snippets_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let ws = Workspace::new();
    let command = format!("{RIVET} check -Iprotos broken.proto");
    let output = Command::new("script")
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&output.stdout).replace('\r', "");
    let expected_error = "protos/broken.proto:7:13: Field number 1 has already been used in \"Broken\" by field \"a\". Next available field number is 3.";
    let protoc_says = stderr(&protoc(
        ws.path(),
        &["-Iprotos", "-oout.pb", "broken.proto"],
    ));
    assert!(
        protoc_says.contains(expected_error),
        "protoc's wording changed: {protoc_says}"
    );
    assert!(
        text.contains(&format!(
            "{expected_error}\n 7 |   int32 b = 1;\n   |             ^\n"
        )),
        "snippet missing or misplaced:\n{text}"
    );
    // Not on a terminal: no snippets.
    let piped = run(
        Path::new(RIVET),
        ws.path(),
        &["check", "-Iprotos", "broken.proto"],
    );
    assert_eq!(stderr(&piped), protoc_says);
}

/// Flags are read as protoc reads them: `--flag=value` and `--flag value`, `-Xvalue` and
/// `-X value`, values ignored on flags that take none, repeats refused or allowed flag by
/// flag, and protoc's messages for unknown flags and missing values.
#[test]
fn flags_are_parsed_as_protoc_parses_them() {
    let ws = Workspace::new();
    for args in [
        &["-Iprotos", "-o{out}", "-oother.pb", "greet.proto"][..],
        &[
            "-Iprotos",
            "--descriptor_set_out={out}",
            "-o",
            "other.pb",
            "greet.proto",
        ],
        &[
            "--proto_path",
            "protos",
            "--descriptor_set_out",
            "{out}",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--include_imports",
            "--include_imports",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--include_source_info=yes",
            "greet.proto",
        ],
        &["-Iprotos", "-o{out}", "--include_imports=1", "greet.proto"],
        &[
            "-Iprotos",
            "-o{out}",
            "--retain_options",
            "--retain_options",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--fatal_warnings",
            "--fatal_warnings",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--error_format=msvs",
            "--error_format",
            "gcc",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--experimental_editions",
            "--experimental_editions",
            "greet.proto",
        ],
        &["-Iprotos", "-o{out}", "--no_such_flag", "greet.proto"],
        &["-Iprotos", "-o{out}", "-Z", "greet.proto"],
        &["-Iprotos", "-o{out}", "--=x", "greet.proto"],
        &["-Iprotos", "-o{out}", "--", "greet.proto"],
        &["-o{out}", "greet.proto", "-I"],
        &["-o{out}", "-I", "-Iprotos", "greet.proto"],
        &[
            "-Iprotos",
            "-o{out}",
            "--deterministic_output",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--experimental_allow_proto3_optional",
            "greet.proto",
        ],
        &["-Iprotos", "-o{out}", "-", "greet.proto"],
        &["-Iprotos", "--descriptor_set_out=", "greet.proto"],
    ] {
        assert_same_as_protoc(&ws, args);
    }
    // `-o=` names a file called `=`.
    let written = rivet_compile(ws.path(), &["-Iprotos", "-o=", "greet.proto"]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    assert!(ws.exists("="));
    // protoc's code generation and plugin flags are refused by name.
    let refused = rivet_compile(
        ws.path(),
        &["-Iprotos", "-oout.pb", "--cpp_out=.", "greet.proto"],
    );
    assert_eq!(code(&refused), 1);
    assert!(stderr(&refused).starts_with("--cpp_out: this protoc flag is not supported"));
    assert!(!ws.exists("out.pb"));
}

/// A workspace with a service, an option import and generic services, for the flags that
/// restrict what the requested files may contain.
fn restricted_workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "protos/svc.proto",
        "syntax = \"proto3\";\n\nimport \"common/types.proto\";\n\n\
         service Greeter {\n  rpc Greet(common.Name) returns (common.Name);\n}\n",
    );
    ws.write(
        "protos/ext.proto",
        "edition = \"2024\";\n\nimport \"google/protobuf/descriptor.proto\";\n\n\
         extend google.protobuf.FieldOptions {\n  int32 tag = 50000;\n}\n",
    );
    ws.write(
        "protos/opts.proto",
        "edition = \"2024\";\n\nimport \"common/types.proto\";\nimport option \"ext.proto\";\n\n\
         message Tagged {\n  common.Name name = 1 [(tag) = 7];\n}\n",
    );
    ws.write(
        "protos/generic.proto",
        "syntax = \"proto2\";\n\noption cc_generic_services = true;\n\nmessage G {}\n",
    );
    ws
}

#[test]
fn disallow_services_as_in_protoc() {
    let ws = restricted_workspace();
    for args in [
        &["-Iprotos", "-o{out}", "--disallow_services", "greet.proto"][..],
        &["-Iprotos", "-o{out}", "--disallow_services", "svc.proto"],
        // The requested files are checked in order, each once it is built; the first with a
        // service stops the run, before the files after it are even read.
        &[
            "-Iprotos",
            "-o{out}",
            "--disallow_services",
            "greet.proto",
            "svc.proto",
            "broken.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--disallow_services",
            "broken.proto",
            "svc.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--disallow_services",
            "--error_format=msvs",
            "svc.proto",
        ],
    ] {
        assert_same_as_protoc(&ws, args);
    }
}

#[test]
fn direct_and_option_dependencies_as_in_protoc() {
    let ws = restricted_workspace();
    ws.write(
        "protos/pubweak.proto",
        "syntax = \"proto2\";\n\nimport public \"common/types.proto\";\n\
         import weak \"greet.proto\";\n",
    );
    for args in [
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=common/types.proto",
            "greet.proto",
        ][..],
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=",
            "greet.proto",
        ],
        // ':'-separated, empty parts skipped; option imports are not imports here.
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies",
            "::common/types.proto:",
            "opts.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=x.proto",
            "greet.proto",
            "svc.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=x.proto",
            "--direct_dependencies_violation_msg=%s is not allowed (%s)",
            "svc.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=a",
            "--direct_dependencies=b",
            "greet.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--option_dependencies=ext.proto",
            "opts.proto",
        ],
        // Public and weak imports are imports.
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=",
            "pubweak.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=greet.proto",
            "pubweak.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--direct_dependencies=greet.proto:common/types.proto",
            "pubweak.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--option_dependencies=",
            "opts.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--option_dependencies=google/protobuf/descriptor.proto",
            "--option_dependencies_violation_msg=option import %s",
            "opts.proto",
        ],
        // Services first, then imports, then option imports: only the first is reported.
        &[
            "-Iprotos",
            "-o{out}",
            "--option_dependencies=",
            "--direct_dependencies=",
            "opts.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--disallow_services",
            "--direct_dependencies=",
            "svc.proto",
        ],
        &[
            "-Iprotos",
            "-o{out}",
            "--option_dependencies=x",
            "--option_dependencies=y",
            "opts.proto",
        ],
    ] {
        assert_same_as_protoc(&ws, args);
    }
}

#[test]
fn the_generic_services_warning_is_not_fatal() {
    let ws = restricted_workspace();
    // protoc prints the deprecation warning for generic services, but --fatal_warnings does
    // not count it; other warnings still fail the run.
    for args in [
        &["-Iprotos", "-o{out}", "--fatal_warnings", "generic.proto"][..],
        &[
            "-Iprotos",
            "-o{out}",
            "--fatal_warnings",
            "generic.proto",
            "unused.proto",
        ],
    ] {
        assert_same_as_protoc(&ws, args);
    }
}

#[test]
fn dependency_out_as_in_protoc() {
    let ws = restricted_workspace();
    ws.write(
        "protos/deep/chain.proto",
        "edition = \"2024\";\n\nimport \"greet.proto\";\nimport option \"svc.proto\";\n\n\
         message Chain {\n  greet.Hello hello = 1;\n}\n",
    );
    // Both tools name the same output files (the rule names the descriptor set), one after
    // the other.
    let run_both = |args: &[&str]| {
        let mut results = Vec::new();
        for tool in ["protoc", "rivet"] {
            let output = run_tool(tool, ws.path(), args);
            let depfile = std::fs::read(ws.path().join("deps.d")).ok();
            // The files left behind (no temporary file among them) and the dependency file.
            let entries = ws.root_entries();
            let _ = std::fs::remove_file(ws.path().join("deps.d"));
            let _ = std::fs::remove_file(ws.path().join("out.pb"));
            results.push((code(&output), stderr(&output), depfile, entries));
        }
        assert_eq!(
            results[1], results[0],
            "rivet (left) vs protoc (right) for {args:?}"
        );
        results.remove(0)
    };
    for args in [
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "greet.proto",
        ][..],
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "deep/chain.proto",
        ],
        &[
            "-Iprotos/",
            "-oout.pb",
            "--dependency_out",
            "deps.d",
            "protos/deep/chain.proto",
        ],
        &[
            "-Iv=protos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "v/svc.proto",
        ],
        &[
            "-oout.pb",
            "--dependency_out=deps.d",
            "-Iprotos",
            "common/types.proto",
        ],
        // Errors: nothing is written.
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "broken.proto",
        ],
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "greet.proto",
            "svc.proto",
        ],
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "--dependency_out=x",
            "greet.proto",
        ],
        &["-Iprotos", "-oout.pb", "--dependency_out=", "greet.proto"],
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=nowhere/deps.d",
            "greet.proto",
        ],
    ] {
        run_both(args);
    }
    let (_, _, depfile, _) = run_both(&[
        "-Iprotos",
        "-oout.pb",
        "--dependency_out=deps.d",
        "deep/chain.proto",
    ]);
    assert_eq!(
        String::from_utf8(depfile.expect("a dependency file")).unwrap(),
        "out.pb: protos/common/types.proto\\\n protos/greet.proto\\\n protos/svc.proto\\\n \
         protos/deep/chain.proto"
    );
    // protoc writes the dependency file first: when that fails, a descriptor set that is
    // written through (a symlink here) is not touched either.
    #[cfg(unix)]
    for tool in ["protoc", "rivet"] {
        ws.write("real.pb", "old");
        std::os::unix::fs::symlink("real.pb", ws.path().join("link.pb")).unwrap();
        let args = [
            "-Iprotos",
            "-olink.pb",
            "--dependency_out=nowhere/deps.d",
            "greet.proto",
        ];
        let output = run_tool(tool, ws.path(), &args);
        assert_eq!(code(&output), 1, "{tool}");
        assert_eq!(ws.read("real.pb"), b"old", "{tool}");
        std::fs::remove_file(ws.path().join("link.pb")).unwrap();
    }
}

#[test]
fn dependency_out_leaves_out_the_embedded_well_known_types() {
    // protoc lists them from its own install directory; they are part of rivet.
    let ws = Workspace::new();
    let output = rivet_compile(
        ws.path(),
        &[
            "-Iprotos",
            "-oout.pb",
            "--dependency_out=deps.d",
            "unused.proto",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(ws.read("deps.d"), b"out.pb: protos/unused.proto");
}

#[test]
fn odd_command_lines_as_in_protoc() {
    let ws = Workspace::new();
    ws.write("lines/one.txt", "-Iprotos\n--include_imports\ngreet.proto");
    // protoc reads each line as a C string: it ends at a NUL byte.
    ws.write(
        "lines/nul.txt",
        "-Iprotos\0x\n--include_imports\0y\ngreet.proto\0z\n",
    );
    ws.write("lines/nul2.txt", "-Iprotos\ngreet.pr\0oto\n");
    std::fs::create_dir_all(ws.path().join("argdir")).unwrap();
    let cases: &[&[&str]] = &[
        // A warning about an include path comes before a later usage error.
        &["-Ino-such-dir", "-o{out}", "--bogus"],
        &["-Ino-such-dir", "-o{out}"],
        // An argument file that is a directory opens and holds no arguments.
        &["@argdir", "-Iprotos", "-o{out}", "greet.proto"],
        // The last line needs no line break.
        &["-o{out}", "@lines/one.txt"],
        &["-o{out}", "@lines/nul.txt"],
        &["-o{out}", "@lines/nul2.txt"],
        // One dash: the name is one byte, even of a character that is not ASCII.
        &["-éx", "-o{out}", "greet.proto"],
        &["-é", "-o{out}", "greet.proto"],
        // `--` is a flag like any other (an unknown one).
        &["--", "-Iprotos", "-o{out}", "greet.proto"],
        &["-Iprotos", "-o{out}", "greet.proto", "--"],
        &["--"],
        // Output paths that name no file fail as protoc's do.
        &["-Iprotos", "-onew.pb/", "greet.proto"],
        &["-Iprotos", "-ono-such-dir/..", "greet.proto"],
        &["-Iprotos", "-oprotos/..", "greet.proto"],
    ];
    for args in cases {
        assert_same_as_protoc(&ws, args);
    }
    ws.write("lines/empty.txt", "\n");
    let empty_line = rivet_compile(ws.path(), &["@lines/empty.txt"]);
    assert_eq!(code(&empty_line), 1);
    assert!(
        stderr(&empty_line).starts_with("You seem to have passed an empty string"),
        "{}",
        stderr(&empty_line)
    );
}

#[cfg(unix)]
#[test]
fn outputs_and_inputs_that_are_not_regular_files_as_in_protoc() {
    let ws = Workspace::new();
    // A dangling symlink: its target is created.
    for tool in ["protoc", "rivet"] {
        std::os::unix::fs::symlink("target.pb", ws.path().join("link.pb")).unwrap();
        let args = ["-Iprotos", "-olink.pb", "greet.proto"];
        let output = run_tool(tool, ws.path(), &args);
        assert_eq!(code(&output), 0, "{tool}: {}", stderr(&output));
        assert!(ws.exists("target.pb"), "{tool}");
        std::fs::remove_file(ws.path().join("link.pb")).unwrap();
        std::fs::remove_file(ws.path().join("target.pb")).unwrap();
    }
    // A character device is a source file like any other.
    assert_same_as_protoc(&ws, &["-I/dev", "-o{out}", "null"]);
}
