//! Helpers shared by the integration tests: running the real protoc, formatting Rivet's
//! diagnostics like protoc, and reading `SourceCodeInfo` out of a descriptor set.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rivet_syntax::{LineIndex, Parsed};

/// The vendored protoc and its include directory.
pub fn protoc() -> (PathBuf, PathBuf) {
    let bin = protoc_bin_vendored::protoc_bin_path().expect("vendored protoc");
    let include = protoc_bin_vendored::include_path().expect("vendored protoc includes");
    (bin, include)
}

/// The lines protoc prints (stdout and stderr) when compiling `name` = `source`, and whether
/// it succeeded. `extra` args are added (e.g. `--include_source_info`).
pub fn run_protoc(dir: &Path, name: &str, source: &[u8], extra: &[&str]) -> (bool, Vec<String>) {
    std::fs::write(dir.join(name), source).unwrap();
    let (bin, include) = protoc();
    let output = Command::new(bin)
        .current_dir(dir)
        .arg("-I.")
        .arg(format!("-I{}", include.display()))
        .args(extra)
        .arg(name)
        .output()
        .expect("run protoc");
    let mut lines = Vec::new();
    for stream in [&output.stdout, &output.stderr] {
        for line in exact_text(stream).lines() {
            if !line.is_empty() {
                lines.push(line.to_owned());
            }
        }
    }
    (output.status.success(), lines)
}

/// `bytes` as text without losing any byte (so that comparing texts compares bytes): UTF-8 as
/// is, except `\` written `\\`, and every byte that is not part of UTF-8 as `\xNN`.
/// protoc's messages can quote bytes of a file that are not UTF-8.
pub fn exact_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
    }
    text
}

/// Rivet's diagnostics in protoc's `file:line:col: message` form (without the log-only warning
/// for a missing `syntax` statement, which protoc does not print).
pub fn rivet_lines(name: &str, source: &[u8], parsed: &Parsed) -> Vec<String> {
    let index = LineIndex::new(source);
    parsed
        .diagnostics
        .iter()
        .filter(|d| !(d.is_warning && d.message.starts_with("No edition or syntax")))
        .map(|d| {
            let (line, col) = index.line_col(d.span.start);
            let warning = if d.is_warning { "warning: " } else { "" };
            let message = exact_text(d.message_bytes());
            format!("{name}:{}:{}: {warning}{message}", line + 1, col + 1)
        })
        .collect()
}

/// One `SourceCodeInfo.Location`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: Vec<i32>,
    pub span: Vec<i32>,
    /// Comment bytes, exactly as protoc writes them (not necessarily UTF-8).
    pub leading: Option<Vec<u8>>,
    pub trailing: Option<Vec<u8>>,
    pub detached: Vec<Vec<u8>>,
}

struct Wire<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Wire<'a> {
    fn varint(&mut self) -> u64 {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let byte = self.buf[self.pos];
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return value;
            }
            shift += 7;
        }
    }

    fn bytes(&mut self) -> &'a [u8] {
        let len = self.varint() as usize;
        let bytes = &self.buf[self.pos..self.pos + len];
        self.pos += len;
        bytes
    }

    /// Calls `f(field, wire_type, self)` for each field; skips what `f` leaves unread.
    fn fields(buf: &'a [u8], mut f: impl FnMut(u64, &mut Wire<'a>) -> bool) {
        let mut wire = Wire { buf, pos: 0 };
        while wire.pos < wire.buf.len() {
            let key = wire.varint();
            let (field, wire_type) = (key >> 3, key & 7);
            let start = wire.pos;
            if f(field, &mut wire) && wire.pos > start {
                continue;
            }
            wire.pos = start;
            match wire_type {
                0 => {
                    wire.varint();
                }
                1 => wire.pos += 8,
                2 => {
                    wire.bytes();
                }
                5 => wire.pos += 4,
                other => panic!("unexpected wire type {other}"),
            }
        }
    }
}

fn packed(bytes: &[u8]) -> Vec<i32> {
    let mut wire = Wire { buf: bytes, pos: 0 };
    let mut out = Vec::new();
    while wire.pos < bytes.len() {
        out.push(wire.varint() as i32);
    }
    out
}

/// The `SourceCodeInfo` locations of the first file of an encoded `FileDescriptorSet`.
pub fn source_code_info(descriptor_set: &[u8]) -> Vec<Location> {
    let mut locations = Vec::new();
    let mut first_file = None;
    Wire::fields(descriptor_set, |field, wire| {
        if field == 1 && first_file.is_none() {
            first_file = Some(wire.bytes());
            return true;
        }
        false
    });
    let Some(file) = first_file else {
        return locations;
    };
    Wire::fields(file, |field, wire| {
        if field != 9 {
            return false;
        }
        Wire::fields(wire.bytes(), |field, wire| {
            if field != 1 {
                return false;
            }
            let mut location = Location::default();
            Wire::fields(wire.bytes(), |field, wire| {
                let text = |b: &[u8]| b.to_vec();
                match field {
                    1 => location.path.extend(packed(wire.bytes())),
                    2 => location.span.extend(packed(wire.bytes())),
                    3 => location.leading = Some(text(wire.bytes())),
                    4 => location.trailing = Some(text(wire.bytes())),
                    6 => location.detached.push(text(wire.bytes())),
                    _ => return false,
                }
                true
            });
            locations.push(location);
            true
        });
        true
    });
    locations
}

/// protoc's span encoding of `[start, end)`: `[line, col, end_col]` or
/// `[line, col, end_line, end_col]`.
pub fn protoc_span(index: &LineIndex, start: u32, end: u32) -> Vec<i32> {
    let (l1, c1) = index.line_col(start);
    let (l2, c2) = index.line_col(end);
    if l1 == l2 {
        vec![l1 as i32, c1 as i32, c2 as i32]
    } else {
        vec![l1 as i32, c1 as i32, l2 as i32, c2 as i32]
    }
}
