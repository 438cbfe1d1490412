//! Parses `.proto` files and prints their syntax diagnostics as protoc does
//! (`file:line:col: message`). With `--ast`, also prints the AST.
//!
//! `cargo run -p rivet-syntax --example syntax_check -- [--ast] FILE...`

use rivet_syntax::{LineIndex, parse};

fn main() {
    let mut show_ast = false;
    for arg in std::env::args().skip(1) {
        if arg == "--ast" {
            show_ast = true;
            continue;
        }
        let source = std::fs::read(&arg).unwrap_or_else(|e| panic!("{arg}: {e}"));
        let parsed = parse(&source);
        let index = LineIndex::new(&source);
        for diagnostic in &parsed.diagnostics {
            if diagnostic.is_warning && diagnostic.message.starts_with("No edition or syntax") {
                continue;
            }
            let (line, col) = index.line_col(diagnostic.span.start);
            let warning = if diagnostic.is_warning {
                "warning: "
            } else {
                ""
            };
            println!(
                "{arg}:{}:{}: {warning}{}",
                line + 1,
                col + 1,
                diagnostic.message
            );
        }
        if show_ast {
            println!("{:#?}", parsed.file);
        }
    }
}
