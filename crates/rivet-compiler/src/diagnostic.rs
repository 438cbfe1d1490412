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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file's virtual path as protoc prints it (empty when the diagnostic has no file).
    pub file: String,
    /// 1-based line (0 when the diagnostic has no location).
    pub line: u32,
    /// 1-based column, tabs advancing to the next multiple of 8 as in protoc (0: none).
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// Error or warning.
    pub severity: Severity,
}

impl Diagnostic {
    /// An error that is not tied to a place in a file.
    pub fn error_without_location(message: impl Into<String>) -> Self {
        Diagnostic {
            file: String::new(),
            line: 0,
            column: 0,
            message: message.into(),
            severity: Severity::Error,
        }
    }

    /// Formats the diagnostic as protoc would with the given `--error_format`.
    pub fn display(&self, format: ErrorFormat) -> String {
        let warning = if self.severity == Severity::Warning {
            "warning: "
        } else {
            ""
        };
        if self.file.is_empty() {
            return format!("{warning}{}", self.message);
        }
        if self.line == 0 {
            return format!("{}: {warning}{}", self.file, self.message);
        }
        match format {
            ErrorFormat::Gcc => format!(
                "{}:{}:{}: {warning}{}",
                self.file, self.line, self.column, self.message
            ),
            ErrorFormat::Msvs => {
                let kind = if self.severity == Severity::Warning {
                    "warning"
                } else {
                    "error"
                };
                // protoc repeats "warning: " before a warning's text in this format.
                format!(
                    "{}({}) : {kind} in column={}: {warning}{}",
                    self.file, self.line, self.column, self.message
                )
            }
        }
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
