//! Fuzz target: any bytes, compiled as a `.proto` file (with the well-known types importable),
//! give descriptors or diagnostics, never a panic, in both option-encoding modes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rivet_compiler::Compiler;

fuzz_target!(|data: &[u8]| {
    for retain in [false, true] {
        let mut compiler = Compiler::new();
        compiler
            .virtual_file("fuzz.proto", data)
            .include_source_info(true)
            .include_imports(true)
            .retain_options(retain);
        match compiler.compile(&["fuzz.proto"]) {
            Ok(compilation) => {
                let _ = compilation.encode_descriptor_set();
            }
            Err(error) => assert!(!error.diagnostics.is_empty()),
        }
    }
});
