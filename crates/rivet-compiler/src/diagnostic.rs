//! Diagnostics in protoc's format.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The compilation fails.
    Error,
    /// Reported, but the compilation succeeds.
    Warning,
}

/// How diagnostics are printed (`--error_format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorFormat {
    /// `path:line:col: message` (protoc's default, `gcc`).
    #[default]
    Gcc,
    /// `path(line) : error in column=col: message` (Visual Studio, protoc's `msvs`).
    Msvs,
}

/// One error or warning, located in a file.
///
/// protoc's messages sometimes quote bytes of a `.proto` file as they are (an unknown
/// `syntax` string, a reserved name, a custom JSON name, a text-format token, ...), and those
/// bytes need not be UTF-8. [`message`](Diagnostic::message) is then the text with each
/// invalid sequence replaced by U+FFFD, and [`message_bytes`](Diagnostic::message_bytes) the
/// exact bytes protoc prints; [`display_bytes`](Diagnostic::display_bytes) and
/// [`write_to`](Diagnostic::write_to) render them. The same goes for a file name that is not
/// UTF-8: [`file`](Diagnostic::file) is lossy, [`file_bytes`](Diagnostic::file_bytes) exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file's virtual path as protoc prints it (empty when the diagnostic has no file),
    /// as text (see [`file_bytes`](Diagnostic::file_bytes) for the exact bytes).
    pub file: String,
    /// 1-based line (0 when the diagnostic has no location).
    pub line: u32,
    /// 1-based column, tabs advancing to the next multiple of 8 as in protoc (0: none).
    pub column: u32,
    /// What is wrong, as text (see [`message_bytes`](Diagnostic::message_bytes) for the
    /// exact bytes).
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
    /// The exact bytes of `message` when they are not UTF-8 (`None`: `message` is exact).
    message_bytes: Option<Box<[u8]>>,
    /// The exact bytes of `file` when they are not UTF-8 (`None`: `file` is exact).
    file_bytes: Option<Box<[u8]>>,
    /// A warning that protoc's `--fatal_warnings` does not count.
    uncounted: bool,
}

impl Diagnostic {
    /// A diagnostic at `line` and `column` of `file` (0 for none; an empty `file` for a
    /// diagnostic without a file). `message` is protoc's message as bytes: when they are not
    /// UTF-8, [`message`](Diagnostic::message) holds them lossily and
    /// [`message_bytes`](Diagnostic::message_bytes) exactly.
    pub fn new(
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<Vec<u8>>,
        severity: Severity,
    ) -> Self {
        let (message, message_bytes) = rivet_syntax::split_message(message.into());
        Diagnostic {
            file: file.into(),
            line,
            column,
            message,
            severity,
            message_bytes,
            file_bytes: None,
            uncounted: false,
        }
    }

    /// [`Diagnostic::new`] for a file named by the compiler's escaped form of its name (see
    /// `file_names`), which may stand for bytes that are not UTF-8.
    pub(crate) fn in_file(
        file: &str,
        line: u32,
        column: u32,
        message: impl Into<Vec<u8>>,
        severity: Severity,
    ) -> Self {
        let mut diagnostic = Diagnostic::new(file, line, column, message, severity);
        if let std::borrow::Cow::Owned(bytes) = crate::file_names::to_bytes(file) {
            diagnostic.file = String::from_utf8_lossy(&bytes).into_owned();
            diagnostic.file_bytes = Some(bytes.into());
        }
        diagnostic
    }

    /// Marks a warning that protoc's `--fatal_warnings` does not count.
    pub(crate) fn uncounted(mut self) -> Self {
        self.uncounted = true;
        self
    }

    /// Whether protoc's `--fatal_warnings` fails on this diagnostic: on every error and every
    /// warning but one, the deprecation warning for generic services (which protoc reports
    /// through another channel than its other warnings). This mark is part of the
    /// diagnostic: `==` compares it too.
    pub fn counts_for_fatal_warnings(&self) -> bool {
        self.severity == Severity::Error || !self.uncounted
    }

    /// An error that is not tied to a place in a file.
    pub fn error_without_location(message: impl Into<String>) -> Self {
        Diagnostic::new(String::new(), 0, 0, message.into(), Severity::Error)
    }

    /// The message exactly as protoc prints it: [`message`](Diagnostic::message), unless
    /// the message quotes bytes that are not UTF-8 (and `message` was not changed since).
    pub fn message_bytes(&self) -> &[u8] {
        match &self.message_bytes {
            Some(bytes) if String::from_utf8_lossy(bytes) == self.message => bytes,
            _ => self.message.as_bytes(),
        }
    }

    /// The file name exactly as protoc prints it: [`file`](Diagnostic::file), unless the
    /// name is bytes that are not UTF-8 (and `file` was not changed since).
    pub fn file_bytes(&self) -> &[u8] {
        match &self.file_bytes {
            Some(bytes) if String::from_utf8_lossy(bytes) == self.file => bytes,
            _ => self.file.as_bytes(),
        }
    }

    /// Formats the diagnostic as protoc would with the given `--error_format`, as text
    /// (bytes of the message that are not UTF-8 shown as U+FFFD; see
    /// [`display_bytes`](Diagnostic::display_bytes)).
    pub fn display(&self, format: ErrorFormat) -> String {
        String::from_utf8_lossy(&self.display_bytes(format)).into_owned()
    }

    /// Formats the diagnostic exactly as protoc prints it with the given `--error_format`
    /// (without the line end).
    pub fn display_bytes(&self, format: ErrorFormat) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.file.len() + self.message.len() + 40);
        let _ = self.write_to(&mut out, format);
        out
    }

    /// Writes the diagnostic exactly as protoc prints it with the given `--error_format`
    /// (without the line end).
    pub fn write_to(
        &self,
        out: &mut impl std::io::Write,
        format: ErrorFormat,
    ) -> std::io::Result<()> {
        let warning = if self.severity == Severity::Warning {
            "warning: "
        } else {
            ""
        };
        let file = self.file_bytes();
        if file.is_empty() {
            write!(out, "{warning}")?;
        } else if self.line == 0 {
            out.write_all(file)?;
            write!(out, ": {warning}")?;
        } else {
            out.write_all(file)?;
            match format {
                ErrorFormat::Gcc => write!(out, ":{}:{}: {warning}", self.line, self.column)?,
                ErrorFormat::Msvs => {
                    let kind = if self.severity == Severity::Warning {
                        "warning"
                    } else {
                        "error"
                    };
                    // protoc repeats "warning: " before a warning's text in this format.
                    write!(
                        out,
                        "({}) : {kind} in column={}: {warning}",
                        self.line, self.column
                    )?
                }
            }
        }
        out.write_all(self.message_bytes())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(ErrorFormat::Gcc))
    }
}

/// A failed compilation: every error found (and any warnings), in protoc's order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct CompileError {
    /// The diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileError {
    /// An error from a list of diagnostics.
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        CompileError { diagnostics }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// An I/O error as protoc prints it (C's `strerror` text, as `perror` shows it): Rust's message
/// for the error without its ` (os error N)` suffix.
pub fn describe_io_error(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_that_are_not_utf8_keep_their_bytes() {
        let d = Diagnostic::new(
            "a.proto",
            2,
            9,
            b"Name \"caf\xe9\".".to_vec(),
            Severity::Error,
        );
        assert_eq!(d.message, "Name \"caf\u{fffd}\".");
        assert_eq!(d.message_bytes(), b"Name \"caf\xe9\".");
        assert_eq!(
            d.display_bytes(ErrorFormat::Gcc),
            b"a.proto:2:9: Name \"caf\xe9\"."
        );
        assert_eq!(
            d.display_bytes(ErrorFormat::Msvs),
            b"a.proto(2) : error in column=9: Name \"caf\xe9\"."
        );
        assert_eq!(
            d.display(ErrorFormat::Gcc),
            "a.proto:2:9: Name \"caf\u{fffd}\"."
        );
        assert_eq!(d.to_string(), "a.proto:2:9: Name \"caf\u{fffd}\".");
    }

    #[test]
    fn utf8_messages_and_edited_messages_render_their_text() {
        let d = Diagnostic::new("a.proto", 0, 0, "Fine.", Severity::Warning);
        assert_eq!(d.message_bytes(), b"Fine.");
        assert_eq!(
            d.display_bytes(ErrorFormat::Gcc),
            b"a.proto: warning: Fine."
        );
        // A message changed after construction is rendered as changed.
        let mut d = Diagnostic::new("", 0, 0, b"\xff".to_vec(), Severity::Error);
        d.message = "replaced".into();
        assert_eq!(d.display_bytes(ErrorFormat::Gcc), b"replaced");
    }
}
