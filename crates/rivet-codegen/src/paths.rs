//! Protobuf paths: matchers for per-element options, and extern paths (protobuf packages or
//! types provided by other crates).
//!
//! Matchers follow prost-build's rules. A matcher with a leading `.` is fully qualified and
//! matches that element and everything inside it (`.pkg`, `.pkg.Message`,
//! `.pkg.Message.field`); one without a leading dot matches a suffix (`Message.field`,
//! `field`); `.` matches everything.

use std::collections::HashMap;

use crate::Error;
use crate::naming::{camel_name, snake_name};

/// Values attached to protobuf paths, in insertion order.
#[derive(Debug, Clone)]
pub(crate) struct PathMap<T> {
    entries: Vec<(String, T)>,
}

impl<T> Default for PathMap<T> {
    fn default() -> Self {
        PathMap {
            entries: Vec::new(),
        }
    }
}

impl<T> PathMap<T> {
    /// Adds a matcher.
    pub(crate) fn insert(&mut self, matcher: impl Into<String>, value: T) {
        self.entries.push((matcher.into(), value));
    }

    /// All values whose matcher matches `fq_path`, in insertion order.
    pub(crate) fn all<'a>(&'a self, fq_path: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        self.entries
            .iter()
            .filter(move |(matcher, _)| candidates(fq_path).any(|c| c == matcher))
            .map(|(_, value)| value)
    }

    /// All values matching the field `fq_path.field`.
    pub(crate) fn all_for_field(&self, fq_path: &str, field: &str) -> Vec<&T> {
        let full = format!("{fq_path}.{field}");
        self.entries
            .iter()
            .filter(|(matcher, _)| candidates(&full).any(|c| c == matcher))
            .map(|(_, value)| value)
            .collect()
    }

    /// Whether any matcher matches `fq_path`.
    pub(crate) fn matches(&self, fq_path: &str) -> bool {
        self.all(fq_path).next().is_some()
    }

    /// The value of the best matcher for `fq_path`: the exact path, then the longest suffix,
    /// then the longest prefix, then `.`.
    pub(crate) fn best(&self, fq_path: &str) -> Option<&T> {
        candidates(fq_path).find_map(|candidate| {
            self.entries
                .iter()
                .find(|(matcher, _)| matcher == candidate)
                .map(|(_, value)| value)
        })
    }

    /// The value of the best matcher for the field `fq_path.field`.
    pub(crate) fn best_for_field(&self, fq_path: &str, field: &str) -> Option<&T> {
        self.best(&format!("{fq_path}.{field}"))
    }
}

/// The matchers that select `path`, best first: `path` itself, its suffixes (`a.b.c`, `b.c`,
/// `c` for `.a.b.c`), its prefixes (`.a.b`, `.a`) and finally `.`.
fn candidates(path: &str) -> impl Iterator<Item = &str> {
    let suffixes = std::iter::successors(Some(path), |p| {
        p.split_once('.')
            .map(|(_, rest)| rest)
            .filter(|rest| !rest.is_empty())
    })
    .skip(1);
    let prefixes = std::iter::successors(Some(path), |p| {
        p.rsplit_once('.')
            .map(|(head, _)| head)
            .filter(|head| !head.is_empty())
    })
    .skip(1);
    std::iter::once(path)
        .chain(suffixes)
        .chain(prefixes)
        .chain(std::iter::once("."))
}

/// Protobuf packages and types whose Rust code lives elsewhere.
#[derive(Debug, Default)]
pub(crate) struct ExternPaths {
    by_proto_path: HashMap<String, String>,
}

impl ExternPaths {
    /// The user's extern paths, plus the well-known types (mapped onto `prost_types` and plain
    /// Rust types) unless they are compiled.
    pub(crate) fn new(
        user_paths: &[(String, String)],
        well_known_in_prost_types: bool,
    ) -> Result<ExternPaths, Error> {
        let mut paths = ExternPaths::default();
        for (proto, rust) in user_paths {
            paths.insert(proto, rust)?;
        }
        if well_known_in_prost_types {
            for (proto, rust) in WELL_KNOWN_PATHS {
                paths.insert(proto, rust)?;
            }
        }
        Ok(paths)
    }

    fn insert(&mut self, proto: &str, rust: &str) -> Result<(), Error> {
        let invalid = |reason: &str| Error::InvalidExternPath {
            path: proto.to_owned(),
            reason: reason.to_owned(),
        };
        if !proto.starts_with('.') {
            return Err(invalid("it must be fully qualified (start with '.')"));
        }
        if proto.split('.').skip(1).any(str::is_empty) {
            return Err(invalid("it has an empty component"));
        }
        if self
            .by_proto_path
            .insert(proto.to_owned(), rust.to_owned())
            .is_some()
        {
            return Err(invalid("it is given twice"));
        }
        Ok(())
    }

    /// The Rust path of a fully qualified protobuf name, when it or an enclosing package or
    /// message is extern.
    pub(crate) fn resolve(&self, fq_name: &str) -> Option<String> {
        if let Some(rust) = self.by_proto_path.get(fq_name) {
            return Some(rust.clone());
        }
        let mut end = fq_name.len();
        while let Some(dot) = fq_name[..end].rfind('.') {
            if let Some(rust) = self.by_proto_path.get(&fq_name[..dot]) {
                let mut inner: Vec<&str> = fq_name[dot + 1..].split('.').collect();
                let type_name = inner.pop().map(camel_name);
                let segments = rust.split("::").chain(inner).enumerate().map(|(i, s)| {
                    if i == 0 && s == "crate" {
                        s.to_owned()
                    } else {
                        snake_name(s)
                    }
                });
                let joined: Vec<String> = segments.chain(type_name).collect();
                return Some(joined.join("::"));
            }
            end = dot;
        }
        None
    }
}

/// Where the well-known types live when they are not compiled.
const WELL_KNOWN_PATHS: &[(&str, &str)] = &[
    (".google.protobuf", "::prost_types"),
    (".google.protobuf.BoolValue", "bool"),
    (
        ".google.protobuf.BytesValue",
        "::prost::alloc::vec::Vec<u8>",
    ),
    (".google.protobuf.DoubleValue", "f64"),
    (".google.protobuf.Empty", "()"),
    (".google.protobuf.FloatValue", "f32"),
    (".google.protobuf.Int32Value", "i32"),
    (".google.protobuf.Int64Value", "i64"),
    (
        ".google.protobuf.StringValue",
        "::prost::alloc::string::String",
    ),
    (".google.protobuf.UInt32Value", "u32"),
    (".google.protobuf.UInt64Value", "u64"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_order() {
        let all: Vec<&str> = candidates(".a.b.c").collect();
        assert_eq!(all, [".a.b.c", "a.b.c", "b.c", "c", ".a.b", ".a", "."]);
    }

    #[test]
    fn best_match_prefers_exact_then_suffix_then_prefix() {
        let mut map = PathMap::default();
        map.insert(".", 1);
        assert_eq!(map.best(".a.b.c"), Some(&1));
        map.insert(".a", 2);
        assert_eq!(map.best(".a.b.c"), Some(&2));
        map.insert("c", 3);
        assert_eq!(map.best(".a.b.c"), Some(&3));
        map.insert(".a.b.c", 4);
        assert_eq!(map.best(".a.b.c"), Some(&4));
        assert_eq!(map.best_for_field(".a.b", "c"), Some(&4));
        assert_eq!(map.all(".a.b.c").copied().collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert!(map.matches("zzz"));
        let mut narrow = PathMap::default();
        narrow.insert(".a.b", ());
        assert!(narrow.matches(".a.b.c"));
        assert!(!narrow.matches(".a.x"));
    }

    #[test]
    fn extern_resolution() {
        let user = [
            (".foo".to_owned(), "::foo1".to_owned()),
            (".foo.bar".to_owned(), "::foo2".to_owned()),
            (".a.b".to_owned(), "crate::ab".to_owned()),
        ];
        let paths = ExternPaths::new(&user, true).unwrap();
        assert_eq!(paths.resolve(".foo.Foo").unwrap(), "::foo1::Foo");
        assert_eq!(paths.resolve(".foo.bar.Bar").unwrap(), "::foo2::Bar");
        assert_eq!(
            paths.resolve(".foo.bar.Baz.Qux").unwrap(),
            "::foo2::baz::Qux"
        );
        assert_eq!(paths.resolve(".a.b.c.D").unwrap(), "crate::ab::c::D");
        assert_eq!(paths.resolve(".google.protobuf.Empty").unwrap(), "()");
        assert_eq!(
            paths.resolve(".google.protobuf.Timestamp").unwrap(),
            "::prost_types::Timestamp"
        );
        assert_eq!(paths.resolve(".other.X"), None);
    }

    #[test]
    fn extern_errors() {
        let bad = [("foo".to_owned(), "x".to_owned())];
        assert!(ExternPaths::new(&bad, false).is_err());
        let dup = [
            (".foo".to_owned(), "x".to_owned()),
            (".foo".to_owned(), "y".to_owned()),
        ];
        assert!(ExternPaths::new(&dup, false).is_err());
        let empty = [(".foo.".to_owned(), "x".to_owned())];
        assert!(ExternPaths::new(&empty, false).is_err());
    }
}
