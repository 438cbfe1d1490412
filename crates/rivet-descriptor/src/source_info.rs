//! Source locations of a `.proto` file, and of generated code.

use crate::macros::message;

message! {
    /// Where each element of a file is defined in the source, with its comments.
    pub struct SourceCodeInfo("google.protobuf", "SourceCodeInfo") {
        /// One entry per located element. An element may have several (e.g. a `extend`
        /// block's fields), and locations are mostly, but not necessarily, in source order.
        1 => location: repeated message(source_code_info::Location);
    }
}

/// Types nested in [`SourceCodeInfo`].
pub mod source_code_info {
    use crate::macros::message;

    message! {
        /// The source span and comments of one element of a `FileDescriptorProto`.
        pub struct Location("google.protobuf", "SourceCodeInfo.Location") {
            /// Identifies the element: alternating field numbers and repeated-field indexes
            /// walking down from `FileDescriptorProto`. E.g. `[4, 3, 2, 7]` is the `options`
            /// (7) of the fourth `field` (2) of the fourth `message_type` (4).
            1 => path: packed int32;
            /// Zero-based `[start line, start column, end line, end column]`, or three
            /// elements when the end line is the start line. Columns count bytes, with tabs
            /// advancing to the next multiple of eight. The end is exclusive.
            2 => span: packed int32;
            /// The comment directly before the element, without comment markers.
            3 => leading_comments: optional proto_string(leading_comments_bytes);
            /// The comment directly after the element, on the same or the next line.
            4 => trailing_comments: optional proto_string(trailing_comments_bytes);
            /// Comments before the element that are separated from it by blank lines.
            6 => leading_detached_comments: repeated proto_string;
        }
    }
}

message! {
    /// Links generated code back to the `.proto` elements it came from; plugins return it
    /// with each generated file.
    pub struct GeneratedCodeInfo("google.protobuf", "GeneratedCodeInfo") {
        /// One entry per annotated span of the generated file.
        1 => annotation: repeated message(generated_code_info::Annotation);
    }
}

/// Types nested in [`GeneratedCodeInfo`].
pub mod generated_code_info {
    use crate::macros::message;

    message! {
        /// A span of generated code and the element it was generated from.
        pub struct Annotation("google.protobuf", "GeneratedCodeInfo.Annotation") {
            /// Path of the element in its `FileDescriptorProto`, as in
            /// `SourceCodeInfo.Location.path`.
            1 => path: packed int32;
            /// The `.proto` file the element is defined in.
            2 => source_file: optional string;
            /// Offset of the first byte of the span in the generated file.
            3 => begin: optional int32;
            /// Offset just past the last byte of the span (exclusive).
            4 => end: optional int32;
            /// What the annotated code does with the element.
            5 => semantic: optional enumeration(annotation::Semantic, set_semantic);
        }
    }

    /// Types nested in [`Annotation`].
    pub mod annotation {
        use crate::macros::enumeration;

        enumeration! {
            /// What the annotated code does with the element.
            pub enum Semantic {
                /// Nothing in particular; for example a declaration.
                None = 0 => "NONE",
                /// It sets the element's value.
                Set = 1 => "SET",
                /// It creates an alias of the element.
                Alias = 2 => "ALIAS",
            }
        }
    }
}
