//! The well-known `.proto` files of protobuf 36.2, embedded (see `third_party/protobuf/NOTICE`).

/// `(virtual path, contents)` of every embedded file, sorted by path.
pub(crate) static EMBEDDED: &[(&str, &str)] = &[
    (
        "google/protobuf/any.proto",
        include_str!("../third_party/protobuf/google/protobuf/any.proto"),
    ),
    (
        "google/protobuf/api.proto",
        include_str!("../third_party/protobuf/google/protobuf/api.proto"),
    ),
    (
        "google/protobuf/c_sharp_features.proto",
        include_str!("../third_party/protobuf/google/protobuf/c_sharp_features.proto"),
    ),
    (
        "google/protobuf/compiler/plugin.proto",
        include_str!("../third_party/protobuf/google/protobuf/compiler/plugin.proto"),
    ),
    (
        "google/protobuf/cpp_features.proto",
        include_str!("../third_party/protobuf/google/protobuf/cpp_features.proto"),
    ),
    (
        "google/protobuf/cpp_file_options.proto",
        include_str!("../third_party/protobuf/google/protobuf/cpp_file_options.proto"),
    ),
    (
        "google/protobuf/cpp_options.proto",
        include_str!("../third_party/protobuf/google/protobuf/cpp_options.proto"),
    ),
    (
        "google/protobuf/descriptor.proto",
        include_str!("../third_party/protobuf/google/protobuf/descriptor.proto"),
    ),
    (
        "google/protobuf/duration.proto",
        include_str!("../third_party/protobuf/google/protobuf/duration.proto"),
    ),
    (
        "google/protobuf/empty.proto",
        include_str!("../third_party/protobuf/google/protobuf/empty.proto"),
    ),
    (
        "google/protobuf/field_mask.proto",
        include_str!("../third_party/protobuf/google/protobuf/field_mask.proto"),
    ),
    (
        "google/protobuf/go_features.proto",
        include_str!("../third_party/protobuf/google/protobuf/go_features.proto"),
    ),
    (
        "google/protobuf/java_features.proto",
        include_str!("../third_party/protobuf/google/protobuf/java_features.proto"),
    ),
    (
        "google/protobuf/json_enumvalue_options.proto",
        include_str!("../third_party/protobuf/google/protobuf/json_enumvalue_options.proto"),
    ),
    (
        "google/protobuf/json_options.proto",
        include_str!("../third_party/protobuf/google/protobuf/json_options.proto"),
    ),
    (
        "google/protobuf/source_context.proto",
        include_str!("../third_party/protobuf/google/protobuf/source_context.proto"),
    ),
    (
        "google/protobuf/struct.proto",
        include_str!("../third_party/protobuf/google/protobuf/struct.proto"),
    ),
    (
        "google/protobuf/timestamp.proto",
        include_str!("../third_party/protobuf/google/protobuf/timestamp.proto"),
    ),
    (
        "google/protobuf/type.proto",
        include_str!("../third_party/protobuf/google/protobuf/type.proto"),
    ),
    (
        "google/protobuf/wrappers.proto",
        include_str!("../third_party/protobuf/google/protobuf/wrappers.proto"),
    ),
];

/// The embedded file at `path`, if any.
pub(crate) fn embedded_file(path: &str) -> Option<&'static str> {
    EMBEDDED
        .binary_search_by(|(name, _)| (*name).cmp(path))
        .ok()
        .map(|index| EMBEDDED[index].1)
}
