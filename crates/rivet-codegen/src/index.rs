//! An index of every message and enum in a descriptor set, and the facts about message types
//! that need the whole set: which fields must be boxed (recursive types), and which messages
//! can derive `Copy` and `Eq`/`Hash`.

use std::cell::RefCell;
use std::collections::HashMap;

use rivet_descriptor::field_descriptor_proto::{Label, Type};
use rivet_descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet,
};

use crate::Error;
use crate::messages::MAX_NESTING;

/// Every message and enum of a descriptor set by fully qualified name (with a leading dot).
#[derive(Debug)]
pub(crate) struct TypeIndex<'a> {
    messages: HashMap<String, &'a DescriptorProto>,
    enums: HashMap<String, &'a EnumDescriptorProto>,
    graph: MessageGraph,
    copy_cache: RefCell<HashMap<String, bool>>,
    eq_cache: RefCell<HashMap<String, bool>>,
}

impl<'a> TypeIndex<'a> {
    /// Indexes a descriptor set and checks that every field refers to a known type.
    pub(crate) fn new(set: &'a FileDescriptorSet) -> Result<TypeIndex<'a>, Error> {
        let mut index = TypeIndex {
            messages: HashMap::new(),
            enums: HashMap::new(),
            graph: MessageGraph::default(),
            copy_cache: RefCell::default(),
            eq_cache: RefCell::default(),
        };
        for file in &set.file {
            let scope = match file.package() {
                "" => String::new(),
                package => format!(".{package}"),
            };
            for message in &file.message_type {
                index.add_message(&scope, message, 0)?;
            }
            for enumeration in &file.enum_type {
                index
                    .enums
                    .insert(format!("{scope}.{}", enumeration.name()), enumeration);
            }
        }
        let mut edges = Vec::new();
        let names: Vec<String> = index.messages.keys().cloned().collect();
        for name in &names {
            index.graph.node(name);
        }
        for (name, message) in &index.messages {
            for field in &message.field {
                let ty = index.field_type(field, name)?;
                if ty == Type::Message && field.label() != Label::Repeated {
                    edges.push((name.clone(), field.type_name().to_owned()));
                }
            }
        }
        for (from, to) in edges {
            index.graph.add_edge(&from, &to);
        }
        index.graph.compute_components();
        Ok(index)
    }

    fn add_message(
        &mut self,
        scope: &str,
        message: &'a DescriptorProto,
        depth: usize,
    ) -> Result<(), Error> {
        if depth >= MAX_NESTING {
            return Err(Error::InvalidDescriptor(format!(
                "messages are nested more than {MAX_NESTING} levels deep"
            )));
        }
        let name = format!("{scope}.{}", message.name());
        for nested in &message.nested_type {
            self.add_message(&name, nested, depth + 1)?;
        }
        for enumeration in &message.enum_type {
            self.enums
                .insert(format!("{name}.{}", enumeration.name()), enumeration);
        }
        self.messages.insert(name, message);
        Ok(())
    }

    /// The message named `fq_name`.
    pub(crate) fn message(&self, fq_name: &str) -> Option<&'a DescriptorProto> {
        self.messages.get(fq_name).copied()
    }

    /// The declared type of a field, checking that a message or enum type exists. A field whose
    /// type is unset but whose type name is known gets the type of that name.
    pub(crate) fn field_type(
        &self,
        field: &FieldDescriptorProto,
        fq_message: &str,
    ) -> Result<Type, Error> {
        let unknown = || Error::UnknownType {
            type_name: field.type_name().to_owned(),
            referenced_from: format!("{fq_message}.{}", field.name()),
        };
        let declared = field.r#type.and_then(|t| Type::try_from(t).ok());
        match declared {
            Some(Type::Message | Type::Group) => {
                self.message(field.type_name()).ok_or_else(unknown)?;
            }
            Some(Type::Enum) => {
                if !self.enums.contains_key(field.type_name()) {
                    return Err(unknown());
                }
            }
            Some(_) => {}
            None if field.type_name.is_none() => {
                return Err(Error::InvalidDescriptor(format!(
                    "field {fq_message}.{} has no type",
                    field.name()
                )));
            }
            None if self.messages.contains_key(field.type_name()) => return Ok(Type::Message),
            None if self.enums.contains_key(field.type_name()) => return Ok(Type::Enum),
            None => return Err(unknown()),
        }
        Ok(declared.unwrap_or(Type::Message))
    }

    /// Checks that a method's input or output type is a known message.
    pub(crate) fn check_message(&self, fq_name: &str, referenced_from: &str) -> Result<(), Error> {
        match self.messages.contains_key(fq_name) {
            true => Ok(()),
            false => Err(Error::UnknownType {
                type_name: fq_name.to_owned(),
                referenced_from: referenced_from.to_owned(),
            }),
        }
    }

    /// Whether a value of message type `inner` can (transitively, through singular message
    /// fields) contain a value of message type `outer`; such a field must be boxed.
    pub(crate) fn contains(&self, inner: &str, outer: &str) -> bool {
        self.graph.reaches(inner, outer)
    }

    /// Whether the struct of message `fq_name` can derive `Copy`.
    pub(crate) fn message_is_copy(
        &self,
        fq_name: &str,
        boxed: &dyn Fn(&str, &str) -> bool,
    ) -> bool {
        if let Some(known) = self.copy_cache.borrow().get(fq_name) {
            return *known;
        }
        let result = self.message(fq_name).is_some_and(|message| {
            message
                .field
                .iter()
                .all(|field| self.field_is_copy(fq_name, field, boxed))
        });
        self.copy_cache
            .borrow_mut()
            .insert(fq_name.to_owned(), result);
        result
    }

    /// Whether a field of message `fq_message` has a `Copy` Rust type. `boxed` tells whether a
    /// field was configured to be boxed.
    pub(crate) fn field_is_copy(
        &self,
        fq_message: &str,
        field: &FieldDescriptorProto,
        boxed: &dyn Fn(&str, &str) -> bool,
    ) -> bool {
        if field.label() == Label::Repeated {
            return false;
        }
        match self.declared_type(field) {
            Type::Message => {
                !self.contains(field.type_name(), fq_message)
                    && !boxed(fq_message, field.name())
                    && self.message_is_copy(field.type_name(), boxed)
            }
            Type::String | Type::Bytes | Type::Group => false,
            _ => true,
        }
    }

    /// Whether the struct of message `fq_name` can derive `Eq` and `Hash`.
    pub(crate) fn message_is_eq(&self, fq_name: &str) -> bool {
        if let Some(known) = self.eq_cache.borrow().get(fq_name) {
            return *known;
        }
        let result = self.message(fq_name).is_some_and(|message| {
            message
                .field
                .iter()
                .all(|field| self.field_is_eq(fq_name, field))
        });
        self.eq_cache
            .borrow_mut()
            .insert(fq_name.to_owned(), result);
        result
    }

    /// Whether a field of message `fq_message` has an `Eq + Hash` Rust type (no floats, no
    /// maps, no recursion).
    pub(crate) fn field_is_eq(&self, fq_message: &str, field: &FieldDescriptorProto) -> bool {
        match self.declared_type(field) {
            Type::Message => {
                field.label() != Label::Repeated
                    && !self.contains(field.type_name(), fq_message)
                    && self.message_is_eq(field.type_name())
            }
            Type::Float | Type::Double | Type::Group => false,
            _ => true,
        }
    }

    /// The declared type, for fields already checked by [`TypeIndex::field_type`].
    fn declared_type(&self, field: &FieldDescriptorProto) -> Type {
        match field.r#type.and_then(|t| Type::try_from(t).ok()) {
            Some(ty) => ty,
            None if self.enums.contains_key(field.type_name()) => Type::Enum,
            None => Type::Message,
        }
    }
}

/// Messages as nodes, singular message-typed fields as edges.
#[derive(Debug, Default)]
struct MessageGraph {
    ids: HashMap<String, usize>,
    edges: Vec<Vec<usize>>,
    /// Strongly connected component of each node.
    component: Vec<usize>,
}

impl MessageGraph {
    fn node(&mut self, name: &str) -> usize {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.edges.len();
        self.ids.insert(name.to_owned(), id);
        self.edges.push(Vec::new());
        id
    }

    fn add_edge(&mut self, from: &str, to: &str) {
        let from = self.node(from);
        let to = self.node(to);
        self.edges[from].push(to);
    }

    /// Tarjan's algorithm, iterative so deep type chains cannot overflow the stack.
    fn compute_components(&mut self) {
        const UNVISITED: usize = usize::MAX;
        let n = self.edges.len();
        let mut order = vec![UNVISITED; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut component = vec![UNVISITED; n];
        let mut next_order = 0;
        let mut next_component = 0;
        for root in 0..n {
            if order[root] != UNVISITED {
                continue;
            }
            // Frames of (node, index of the next edge to follow).
            let mut frames = vec![(root, 0)];
            order[root] = next_order;
            low[root] = next_order;
            next_order += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (node, ref mut edge)) = frames.last_mut() {
                if let Some(&next) = self.edges[node].get(*edge) {
                    *edge += 1;
                    if order[next] == UNVISITED {
                        order[next] = next_order;
                        low[next] = next_order;
                        next_order += 1;
                        stack.push(next);
                        on_stack[next] = true;
                        frames.push((next, 0));
                    } else if on_stack[next] {
                        low[node] = low[node].min(order[next]);
                    }
                    continue;
                }
                frames.pop();
                if let Some(&(parent, _)) = frames.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == order[node] {
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component[member] = next_component;
                        if member == node {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
        self.component = component;
    }

    /// Whether there is a path (possibly empty) from `from` to `to`.
    fn reaches(&self, from: &str, to: &str) -> bool {
        let (Some(&from), Some(&to)) = (self.ids.get(from), self.ids.get(to)) else {
            return false;
        };
        if self.component[from] == self.component[to] {
            return true;
        }
        // Different components: search (only needed for fields that are not graph edges).
        let mut seen = vec![false; self.edges.len()];
        let mut queue = vec![from];
        seen[from] = true;
        while let Some(node) = queue.pop() {
            for &next in &self.edges[node] {
                if next == to {
                    return true;
                }
                if !seen[next] {
                    seen[next] = true;
                    queue.push(next);
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> MessageGraph {
        let mut g = MessageGraph::default();
        for (a, b) in edges {
            g.add_edge(a, b);
        }
        g.compute_components();
        g
    }

    #[test]
    fn reachability() {
        let g = graph(&[(".A", ".B"), (".B", ".C"), (".C", ".B"), (".D", ".D")]);
        assert!(g.reaches(".A", ".C"));
        assert!(!g.reaches(".C", ".A"));
        assert!(g.reaches(".C", ".B"));
        assert!(g.reaches(".D", ".D"));
        assert!(g.reaches(".A", ".A"));
        assert!(!g.reaches(".X", ".A"));
    }
}
