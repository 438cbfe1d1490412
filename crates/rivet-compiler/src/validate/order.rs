//! The order in which protoc interprets options: features and other non-extension options of
//! every element first, then extensions (custom options), each pass element by element in the
//! order the build phase allocated their options: a message's oneofs, fields, enums (values
//! first), extension ranges and extensions, then the message itself, then its nested
//! messages; a service's methods before the service; the file last.

use std::cmp::Ordering;

use rivet_syntax::ast::OptionNamePart;

use crate::lower::{PendingOption, tag};

/// What kind of element a path prefix names, for ranking its children.
#[derive(Clone, Copy)]
enum Container {
    File,
    Message,
    Enum,
    Service,
}

/// The rank of a child (by its field number in the container) among its siblings' kinds, and
/// the kind of container it is; `None` for fields that name no element.
fn child_rank(container: Container, field: i32) -> (u8, Container) {
    match (container, field) {
        (Container::File, tag::FILE_MESSAGE) => (0, Container::Message),
        (Container::File, tag::FILE_ENUM) => (1, Container::Enum),
        (Container::File, tag::FILE_SERVICE) => (2, Container::Service),
        (Container::File, tag::FILE_EXTENSION) => (3, Container::File),
        (Container::Message, tag::MESSAGE_ONEOF) => (0, Container::File),
        (Container::Message, tag::MESSAGE_FIELD) => (1, Container::File),
        (Container::Message, tag::MESSAGE_ENUM) => (2, Container::Enum),
        (Container::Message, tag::MESSAGE_EXTENSION_RANGE) => (3, Container::File),
        (Container::Message, tag::MESSAGE_EXTENSION) => (4, Container::File),
        // 5: the message itself.
        (Container::Message, tag::MESSAGE_NESTED) => (6, Container::Message),
        (Container::Enum, tag::ENUM_VALUE) => (0, Container::File),
        (Container::Service, tag::SERVICE_METHOD) => (0, Container::File),
        _ => (7, Container::File),
    }
}

/// The rank of a container itself among its children.
fn self_rank(container: Container) -> u8 {
    match container {
        Container::Message => 5,
        Container::File => 4,
        Container::Enum | Container::Service => 1,
    }
}

/// Compares two element paths by protoc's option-allocation order.
fn compare_elements(a: &[i32], b: &[i32]) -> Ordering {
    let mut container = Container::File;
    let (mut a, mut b) = (a, b);
    loop {
        match (a, b) {
            ([], []) => return Ordering::Equal,
            ([], [field, ..]) => return self_rank(container).cmp(&child_rank(container, *field).0),
            ([field, ..], []) => return child_rank(container, *field).0.cmp(&self_rank(container)),
            ([fa, ia, rest_a @ ..], [fb, ib, rest_b @ ..]) => {
                let (rank_a, next) = child_rank(container, *fa);
                let (rank_b, _) = child_rank(container, *fb);
                let order = rank_a.cmp(&rank_b).then(ia.cmp(ib));
                if order != Ordering::Equal {
                    return order;
                }
                container = next;
                (a, b) = (rest_a, rest_b);
            }
            // Odd-length paths name no element; keep them stable.
            _ => return a.len().cmp(&b.len()),
        }
    }
}

/// protoc's pass of an option: the second for custom options and, to be refused there, names
/// starting with the reserved `uninterpreted_option`.
fn pass(option: &PendingOption) -> u8 {
    u8::from(match option.name.parts.first() {
        Some(OptionNamePart::Simple(ident)) => ident.name == "uninterpreted_option",
        _ => true,
    })
}

/// The indexes of `options` in protoc's interpretation order, each with its pass (0: names
/// starting with a field of the options message, 1: custom options).
pub(crate) fn interpretation_order(options: &[PendingOption]) -> Vec<(usize, u8)> {
    let mut order: Vec<(usize, u8)> = options
        .iter()
        .enumerate()
        .map(|(i, option)| (i, pass(option)))
        .collect();
    // (Stable: options of one element keep their statement order.)
    order.sort_by(|&(x, pass_x), &(y, pass_y)| {
        pass_x
            .cmp(&pass_y)
            .then_with(|| compare_elements(&options[x].element_path, &options[y].element_path))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_before_message_and_nested_after() {
        let field = [4, 0, 2, 0];
        let message = [4, 0];
        let nested = [4, 0, 3, 0];
        let value = [4, 0, 4, 0, 2, 0];
        let enum_ = [4, 0, 4, 0];
        assert_eq!(compare_elements(&field, &message), Ordering::Less);
        assert_eq!(compare_elements(&message, &nested), Ordering::Less);
        assert_eq!(compare_elements(&value, &enum_), Ordering::Less);
        assert_eq!(compare_elements(&enum_, &message), Ordering::Less);
        assert_eq!(compare_elements(&[], &[7, 0]), Ordering::Greater);
        assert_eq!(compare_elements(&[6, 0, 2, 1], &[6, 0]), Ordering::Less);
        assert_eq!(compare_elements(&[4, 1], &[5, 0]), Ordering::Less);
    }
}
