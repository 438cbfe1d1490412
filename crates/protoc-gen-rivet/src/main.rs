//! `protoc-gen-rivet`: a protoc / buf plugin that generates prost messages and tonic services
//! with `rivet-codegen`.
//!
//! ```text
//! protoc --plugin=protoc-gen-rivet --rivet_out=OUT_DIR --rivet_opt=client=false foo.proto
//! ```
//!
//! One file per protobuf package, `<package>.rs`, as prost-build writes them, so
//! `tonic::include_proto!` and `include!` work unchanged.
//!
//! Parameters are comma-separated; a literal comma inside a value is written `\,`:
//!
//! | parameter | meaning |
//! | --- | --- |
//! | `client=BOOL`, `server=BOOL` | generate tonic clients / servers (default `true`) |
//! | `transport=BOOL` | clients get `connect` helpers (default `true`) |
//! | `codec_path=PATH` | the tonic codec (default `tonic_prost::ProstCodec`) |
//! | `compile_well_known_types[=BOOL]` | generate `google.protobuf` types instead of using `prost-types` |
//! | `retain_enum_prefix[=BOOL]` | keep the enum name's prefix on variant names |
//! | `type_names[=BOOL]` | implement `prost::Name` for messages |
//! | `extern_path=PROTO=RUST` | use existing Rust code for a package or type |
//! | `type_attribute=PATH=ATTR`, `message_attribute=...`, `enum_attribute=...`, `field_attribute=...` | add attributes |
//! | `boxed=PATH`, `btree_map=PATH`, `bytes=PATH`, `disable_comments=PATH`, `skip_debug=PATH` | per-path options |
//! | `type_name_domain=PATH=DOMAIN` | the domain of `type_url()` |
//! | `include_file=NAME` | also write a module-tree file |
//!
//! Problems with the input (including bad parameters) are reported in the response's `error`
//! field, which protoc shows to the user.

use std::io::{Read, Write};

use anyhow::Context as _;
use prost::Message;
use rivet_codegen::Generator;
use rivet_descriptor::FileDescriptorSet;
use rivet_descriptor::compiler::code_generator_response::{Feature, File};
use rivet_descriptor::compiler::{CodeGeneratorRequest, CodeGeneratorResponse};

/// `EDITION_PROTO2` in `descriptor.proto`.
const MINIMUM_EDITION: i32 = 998;
/// `EDITION_2024` in `descriptor.proto`.
const MAXIMUM_EDITION: i32 = 1001;

fn main() -> anyhow::Result<()> {
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .context("reading the CodeGeneratorRequest from standard input")?;
    let request = CodeGeneratorRequest::decode(input.as_slice())
        .context("decoding the CodeGeneratorRequest")?;
    let response = respond(request);
    std::io::stdout()
        .write_all(&response.encode_to_vec())
        .context("writing the CodeGeneratorResponse to standard output")?;
    Ok(())
}

/// Generates the response to one request; failures become the response's `error`.
fn respond(request: CodeGeneratorRequest) -> CodeGeneratorResponse {
    let mut response = CodeGeneratorResponse {
        supported_features: Some(Feature::Proto3Optional as u64 | Feature::SupportsEditions as u64),
        minimum_edition: Some(MINIMUM_EDITION),
        maximum_edition: Some(MAXIMUM_EDITION),
        ..Default::default()
    };
    match generate(request) {
        Ok(files) => response.file = files,
        Err(error) => response.error = Some(error),
    }
    response
}

fn generate(request: CodeGeneratorRequest) -> Result<Vec<File>, String> {
    let generator = configure(request.parameter.as_deref().unwrap_or(""))?;
    let set = FileDescriptorSet {
        file: request.proto_file,
        ..Default::default()
    };
    let generated = generator
        .generate(&set, &request.file_to_generate)
        .map_err(|error| error.to_string())?;
    Ok(generated
        .into_iter()
        .map(|file| File {
            name: Some(file.name),
            content: Some(file.content),
            ..Default::default()
        })
        .collect())
}

/// Builds a generator from the plugin parameter.
fn configure(parameter: &str) -> Result<Generator, String> {
    let mut generator = Generator::new();
    for item in split_parameter(parameter) {
        let (key, value) = match item.split_once('=') {
            Some((key, value)) => (key.trim(), Some(value)),
            None => (item.trim(), None),
        };
        let flag = |value: Option<&str>| -> Result<bool, String> {
            match value {
                None | Some("true") => Ok(true),
                Some("false") => Ok(false),
                Some(other) => Err(format!(
                    "parameter `{key}`: expected true or false, got `{other}`"
                )),
            }
        };
        let text = |value: Option<&str>| -> Result<String, String> {
            value
                .map(str::to_owned)
                .ok_or_else(|| format!("parameter `{key}` needs a value (`{key}=...`)"))
        };
        let pair = |value: Option<&str>| -> Result<(String, String), String> {
            value
                .and_then(|v| v.split_once('='))
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .ok_or_else(|| format!("parameter `{key}` needs two values (`{key}=PATH=VALUE`)"))
        };
        generator = match key {
            "" => generator,
            "client" => generator.build_client(flag(value)?),
            "server" => generator.build_server(flag(value)?),
            "transport" => generator.build_transport(flag(value)?),
            "codec_path" => generator.codec_path(text(value)?),
            "compile_well_known_types" => generator.compile_well_known_types(flag(value)?),
            "retain_enum_prefix" => generator.retain_enum_prefix(flag(value)?),
            "type_names" => generator.enable_type_names(flag(value)?),
            "include_file" => generator.include_file(text(value)?),
            "extern_path" => {
                let (proto, rust) = pair(value)?;
                generator.extern_path(proto, rust)
            }
            "type_attribute" => {
                let (path, attribute) = pair(value)?;
                generator.type_attribute(path, attribute)
            }
            "message_attribute" => {
                let (path, attribute) = pair(value)?;
                generator.message_attribute(path, attribute)
            }
            "enum_attribute" => {
                let (path, attribute) = pair(value)?;
                generator.enum_attribute(path, attribute)
            }
            "field_attribute" => {
                let (path, attribute) = pair(value)?;
                generator.field_attribute(path, attribute)
            }
            "type_name_domain" => {
                let (path, domain) = pair(value)?;
                generator.type_name_domain([path], domain)
            }
            "boxed" => generator.boxed(text(value)?),
            "btree_map" => generator.btree_map([text(value)?]),
            "bytes" => generator.bytes([text(value)?]),
            "disable_comments" => generator.disable_comments([text(value)?]),
            "skip_debug" => generator.skip_debug([text(value)?]),
            other => return Err(format!("unknown parameter `{other}`")),
        };
    }
    Ok(generator)
}

/// Splits the parameter at commas, except escaped ones (`\,`).
fn split_parameter(parameter: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = parameter.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                chars.next();
                current.push(',');
            }
            ',' => items.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    items.push(current);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_split_on_unescaped_commas() {
        assert_eq!(
            split_parameter(r"client=false,type_attribute=.=#[derive(A\, B)]"),
            ["client=false", "type_attribute=.=#[derive(A, B)]"]
        );
        assert_eq!(split_parameter(""), [""]);
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(configure("client=maybe").is_err());
        assert!(configure("no_such_option").is_err());
        assert!(configure("extern_path=.foo").is_err());
        assert!(configure("client=false,server=false,extern_path=.a=::a").is_ok());
    }

    #[test]
    fn response_declares_features_and_editions() {
        let response = respond(CodeGeneratorRequest::default());
        assert_eq!(response.supported_features, Some(3));
        assert_eq!(response.minimum_edition, Some(998));
        assert_eq!(response.maximum_edition, Some(1001));
        assert_eq!(response.error, None);
        let bad = respond(CodeGeneratorRequest {
            parameter: Some("nonsense".into()),
            ..Default::default()
        });
        assert!(bad.error.unwrap().contains("unknown parameter"));
    }
}
