//! Unused imports (protoc's `LogUnusedDependency`): a file named on the command line warns
//! about each import none of whose symbols it looked up, except public imports and imports
//! that themselves have public imports.

use std::borrow::Cow;

use crate::file_names;
use crate::link::Level;
use crate::lower::ErrorKind;

use super::{Checker, FileInput};

impl Checker<'_> {
    pub(super) fn unused_imports(&mut self, input: &FileInput<'_>) {
        if !input.is_input {
            return;
        }
        let proto = self.proto;
        let mut unused: Vec<(Cow<'_, str>, usize)> = Vec::new();
        for dep in proto.dependency.iter().chain(&proto.option_dependency) {
            let dep = file_names::of(dep);
            let Some(&index) = self.pool.by_name.get(dep.as_ref()) else {
                continue;
            };
            if index == self.file
                || !self.pool.files[index].ok
                || !self.pool.files[index].proto.public_dependency.is_empty()
                || unused.iter().any(|&(_, i)| i == index)
            {
                continue;
            }
            unused.push((dep, index));
        }
        for &public in &proto.public_dependency {
            if let Some(name) = proto.dependency.get(public as usize) {
                let name = file_names::of(name);
                unused.retain(|(dep, _)| *dep != name);
            }
        }
        unused.retain(|&(_, index)| !self.pool.used_files.contains(index));
        for (dep, _) in unused {
            let message = file_names::message(format!("Import {dep} is unused."));
            self.report(
                &[],
                ErrorKind::Import(dep.into_owned()),
                message,
                Level::Warning,
            );
        }
    }
}
