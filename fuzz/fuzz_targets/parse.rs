//! Fuzz target: any bytes parse without panicking, and every diagnostic points into the input.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = rivet_syntax::parse(data);
    let index = rivet_syntax::LineIndex::new(data);
    for diagnostic in &parsed.diagnostics {
        assert!(diagnostic.span.start as usize <= data.len());
        let _ = index.line_col(diagnostic.span.start);
    }
});
