//! Reading, parsing and lowering files on a second thread while the linker works.
//!
//! The linker loads files depth-first: a file, then each of its imports (recursively), then
//! it builds the file. The producer walks the same graph in the same pre-order, so the files
//! arrive in the order they are needed. A bounded channel keeps the producer only a little
//! ahead, which bounds memory. Anything the linker asks for that did not arrive in order (a
//! file whose importer failed to parse, say) is kept aside or prepared on the spot.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::compile::{Prepared, prepare};
use crate::hash::{FastMap, FastSet};
use crate::source_tree::SourceTree;

/// How many prepared files may wait for the linker.
const AHEAD: usize = 256;

/// A prepared file, or `None` when it was not found.
type Item = (String, Option<Box<Prepared>>);

/// The linker's end of the pipeline.
pub(crate) struct Pipeline {
    receiver: Option<Receiver<Item>>,
    /// Files that arrived before the linker asked for them.
    early: FastMap<String, Option<Box<Prepared>>>,
}

impl Pipeline {
    /// A pipeline and the producer's sending end.
    pub(crate) fn new() -> (Self, SyncSender<Item>) {
        let (sender, receiver) = sync_channel(AHEAD);
        let pipeline = Pipeline {
            receiver: Some(receiver),
            early: FastMap::default(),
        };
        (pipeline, sender)
    }

    /// The prepared file `name`: from the producer if it makes it, else prepared here.
    pub(crate) fn take(&mut self, tree: &SourceTree, name: &str) -> Option<Box<Prepared>> {
        if let Some(prepared) = self.early.remove(name) {
            return prepared;
        }
        while let Some(receiver) = &self.receiver {
            match receiver.recv() {
                Ok((produced, prepared)) if produced == name => return prepared,
                Ok((produced, prepared)) => {
                    self.early.insert(produced, prepared);
                }
                // The producer is done: whatever is still missing is prepared here.
                Err(_) => self.receiver = None,
            }
        }
        prepare(tree, name)
    }

    /// Stops the producer (it exits at its next send).
    pub(crate) fn close(&mut self) {
        self.receiver = None;
        self.early.clear();
    }
}

/// Prepares `inputs` and, depth-first, everything they import, in the linker's order.
/// Returns when everything is sent or the linker hung up.
pub(crate) fn produce(tree: &SourceTree, inputs: &[String], sender: SyncSender<Item>) {
    let mut seen: FastSet<String> = FastSet::default();
    // An explicit stack (not recursion): import chains can be arbitrarily long.
    let mut stack: Vec<String> = inputs.iter().rev().cloned().collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let prepared = prepare(tree, &name);
        if let Some(prepared) = &prepared {
            let proto = &prepared.lowered.proto;
            // The linker loads `dependency` in order, then `option_dependency`.
            for dep in proto
                .option_dependency
                .iter()
                .rev()
                .chain(proto.dependency.iter().rev())
            {
                let dep = crate::file_names::of(dep);
                if !seen.contains(dep.as_ref()) {
                    stack.push(dep.into_owned());
                }
            }
        }
        if sender.send((name, prepared)).is_err() {
            return;
        }
    }
}
