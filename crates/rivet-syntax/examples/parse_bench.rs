//! Times `rivet_syntax::parse` on the given files (best of 5 runs each).
//!
//! `cargo run --release -p rivet-syntax --example parse_bench -- FILE...`

use std::time::Instant;

fn main() {
    for arg in std::env::args().skip(1) {
        let source = std::fs::read(&arg).unwrap_or_else(|e| panic!("{arg}: {e}"));
        let mut best = f64::MAX;
        let mut items = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let parsed = rivet_syntax::parse(&source);
            best = best.min(start.elapsed().as_secs_f64());
            items = parsed.file.items.len();
        }
        let mb = source.len() as f64 / 1e6;
        println!(
            "{arg}: {mb:.1} MB, {items} items, {:.1} ms, {:.0} MB/s",
            best * 1e3,
            mb / best
        );
    }
}
