//! The two declarative macros behind every type of this crate.
//!
//! [`message!`] turns a list of `(number, name, kind)` field declarations into a struct with
//! the same fields, types and accessors that prost-build would generate, plus an
//! `unknown_fields` member, and implements `prost::Message` by hand so that nothing is dropped
//! on decode (and `prost::Name` and [`HasUnknownFields`](crate::HasUnknownFields)). [`enumeration!`] declares a protobuf enum the way
//! prost-build does.
//!
//! A field declaration reads `NUMBER => NAME: LABEL KIND [= DEFAULT];` where
//!
//! - `LABEL` is `optional`, `required`, `repeated` (unpacked on the wire) or `packed`;
//! - `KIND` is one of `string`, `bytes`, `bool`, `int32`, `int64`, `uint64`, `double`,
//!   `message(Type)`, `enumeration(EnumType, setter_or_pusher)` or
//!   `proto_string(bytes_getter)` (singular) / `proto_string` (repeated). Enum fields are
//!   stored as `i32` like prost does; the second argument names the generated `set_*`
//!   (singular) or `push_*` (repeated) method, since `macro_rules!` cannot build identifiers.
//!   `proto_string` is a `string` field stored as [`ProtoString`](crate::ProtoString)s, for
//!   the fields whose value protoc copies from the `.proto` file's bytes, UTF-8 or not
//!   (comments, `json_name`, reserved names, defaults, string options); a singular one's
//!   argument names the getter of its bytes;
//! - `DEFAULT` is the `[default = ...]` of the `.proto`, used by the getter when the field is
//!   unset (the type's zero value, or the enum's first value, otherwise).
//!
//! Fields must be declared in increasing number order, which is also the order in which they
//! are encoded (as protoc's C++ runtime does); a compile-time assertion enforces it.

/// Declares a message struct; see the [module documentation](self).
macro_rules! message {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($package:literal, $proto_name:literal) {
            $(
                $(#[$field_meta:meta])*
                $tag:literal => $field:ident : $label:ident $kind:ident
                    $(($($arg:tt)*))? $(= $default:expr)?;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Default, Debug)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $crate::macros::field_type!($label $kind $(($($arg)*))?),
            )*
            /// Fields that this type does not declare (custom options, extensions, fields
            /// added to `descriptor.proto` later), kept byte for byte and re-encoded last.
            pub unknown_fields: $crate::UnknownFields,
        }

        #[allow(deprecated)]
        impl $name {
            $(
                $crate::macros::accessor!(
                    $field, $label $kind $(($($arg)*))?, [$($default)?]
                );
            )*
        }

        const _: () = $crate::macros::assert_ascending(&[$($tag),*]);

        #[allow(deprecated)]
        impl ::prost::Message for $name {
            fn encode_raw(&self, buf: &mut impl ::bytes::BufMut) {
                $(
                    $crate::macros::encode_field!(
                        buf, $tag, self.$field, $label $kind $(($($arg)*))?
                    );
                )*
                self.unknown_fields.encode_raw(buf);
            }

            #[allow(clippy::match_single_binding)]
            fn merge_field(
                &mut self,
                tag: u32,
                wire_type: ::prost::encoding::WireType,
                buf: &mut impl ::bytes::Buf,
                ctx: ::prost::encoding::DecodeContext,
            ) -> ::core::result::Result<(), ::prost::DecodeError> {
                match tag {
                    $(
                        $tag if $crate::macros::accepts_wire_type!(wire_type, $label $kind) => {
                            $crate::macros::merge_field!(
                                wire_type, buf, ctx, self.$field, (tag, self.unknown_fields),
                                $label $kind $(($($arg)*))?
                            )
                            .map_err(|mut error| {
                                error.push(stringify!($name), stringify!($field));
                                error
                            })
                        }
                    )*
                    // Unknown numbers, and known numbers with a wire type the field cannot
                    // have, are kept as unknown fields (as protobuf's C++ runtime does).
                    _ => self.unknown_fields.merge_field(tag, wire_type, buf, ctx),
                }
            }

            fn encoded_len(&self) -> usize {
                0 $(
                    + $crate::macros::field_len!($tag, self.$field, $label $kind $(($($arg)*))?)
                )* + self.unknown_fields.len()
            }

            fn clear(&mut self) {
                *self = <Self as ::core::default::Default>::default();
            }
        }

        impl $crate::HasUnknownFields for $name {
            fn unknown_fields(&self) -> &$crate::UnknownFields {
                &self.unknown_fields
            }

            fn unknown_fields_mut(&mut self) -> &mut $crate::UnknownFields {
                &mut self.unknown_fields
            }
        }

        impl ::prost::Name for $name {
            const NAME: &'static str = $proto_name;
            const PACKAGE: &'static str = $package;
        }
    };
}

/// Declares a protobuf enum with prost-build's derives and methods; see the
/// [module documentation](self).
macro_rules! enumeration {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $value:literal => $proto:literal,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration,
        )]
        #[repr(i32)]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant = $value,
            )*
        }

        impl $name {
            /// Returns the name of this value as written in the `.proto` file.
            pub fn as_str_name(&self) -> &'static str {
                match self {
                    $(Self::$variant => $proto,)*
                }
            }

            /// Returns the value with the given `.proto` name, or `None` if there is none.
            pub fn from_str_name(value: &str) -> ::core::option::Option<Self> {
                match value {
                    $($proto => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
}

/// The Rust type of a field.
macro_rules! field_type {
    (optional proto_string($($arg:tt)*)) => { ::core::option::Option<$crate::ProtoString> };
    (repeated proto_string) => { ::std::vec::Vec<$crate::ProtoString> };
    (optional string) => { ::core::option::Option<::std::string::String> };
    (required string) => { ::std::string::String };
    (repeated string) => { ::std::vec::Vec<::std::string::String> };
    (optional bytes) => { ::core::option::Option<::std::vec::Vec<u8>> };
    (optional message($ty:ty)) => { ::core::option::Option<$ty> };
    (optional boxed($ty:ty)) => { ::core::option::Option<::std::boxed::Box<$ty>> };
    (repeated message($ty:ty)) => { ::std::vec::Vec<$ty> };
    (optional enumeration($($arg:tt)*)) => { ::core::option::Option<i32> };
    (repeated enumeration($($arg:tt)*)) => { ::std::vec::Vec<i32> };
    (optional $kind:ident) => { ::core::option::Option<$crate::macros::scalar_type!($kind)> };
    (required $kind:ident) => { $crate::macros::scalar_type!($kind) };
    (repeated $kind:ident) => { ::std::vec::Vec<$crate::macros::scalar_type!($kind)> };
    (packed $kind:ident) => { ::std::vec::Vec<$crate::macros::scalar_type!($kind)> };
}

/// The Rust type of a numeric or bool scalar kind.
macro_rules! scalar_type {
    (bool) => {
        bool
    };
    (int32) => {
        i32
    };
    (int64) => {
        i64
    };
    (uint64) => {
        u64
    };
    (double) => {
        f64
    };
}

/// Whether a field of this label and kind may arrive with `$wt`. Repeated numeric fields
/// accept both the packed and the unpacked encoding, as protobuf requires.
macro_rules! accepts_wire_type {
    ($wt:ident, $label:ident proto_string) => {
        $wt == ::prost::encoding::WireType::LengthDelimited
    };
    ($wt:ident, $label:ident string) => {
        $wt == ::prost::encoding::WireType::LengthDelimited
    };
    ($wt:ident, $label:ident bytes) => {
        $wt == ::prost::encoding::WireType::LengthDelimited
    };
    ($wt:ident, $label:ident message) => {
        $wt == ::prost::encoding::WireType::LengthDelimited
    };
    ($wt:ident, $label:ident boxed) => {
        $wt == ::prost::encoding::WireType::LengthDelimited
    };
    ($wt:ident, optional double) => {
        $wt == ::prost::encoding::WireType::SixtyFourBit
    };
    ($wt:ident, optional $kind:ident) => {
        $wt == ::prost::encoding::WireType::Varint
    };
    ($wt:ident, required $kind:ident) => {
        $wt == ::prost::encoding::WireType::Varint
    };
    ($wt:ident, repeated $kind:ident) => {
        matches!(
            $wt,
            ::prost::encoding::WireType::Varint | ::prost::encoding::WireType::LengthDelimited
        )
    };
    ($wt:ident, packed $kind:ident) => {
        matches!(
            $wt,
            ::prost::encoding::WireType::Varint | ::prost::encoding::WireType::LengthDelimited
        )
    };
}

/// Encodes one field (nothing if it is unset or empty).
macro_rules! encode_field {
    ($buf:ident, $tag:literal, $value:expr, optional proto_string($($arg:tt)*)) => {
        if let ::core::option::Option::Some(value) = &$value {
            $crate::string::encoding::encode($tag, value, $buf);
        }
    };
    ($buf:ident, $tag:literal, $value:expr, repeated proto_string) => {
        for value in &$value {
            $crate::string::encoding::encode($tag, value, $buf);
        }
    };
    ($buf:ident, $tag:literal, $value:expr, optional message($ty:ty)) => {
        if let ::core::option::Option::Some(value) = &$value {
            ::prost::encoding::message::encode($tag, value, $buf);
        }
    };
    ($buf:ident, $tag:literal, $value:expr, optional boxed($ty:ty)) => {
        if let ::core::option::Option::Some(value) = &$value {
            ::prost::encoding::message::encode($tag, value, $buf);
        }
    };
    ($buf:ident, $tag:literal, $value:expr, repeated message($ty:ty)) => {
        ::prost::encoding::message::encode_repeated($tag, &$value, $buf);
    };
    ($buf:ident, $tag:literal, $value:expr, optional enumeration($($arg:tt)*)) => {
        if let ::core::option::Option::Some(value) = &$value {
            ::prost::encoding::int32::encode($tag, value, $buf);
        }
    };
    ($buf:ident, $tag:literal, $value:expr, repeated enumeration($($arg:tt)*)) => {
        ::prost::encoding::int32::encode_repeated($tag, &$value, $buf);
    };
    ($buf:ident, $tag:literal, $value:expr, optional $kind:ident) => {
        if let ::core::option::Option::Some(value) = &$value {
            ::prost::encoding::$kind::encode($tag, value, $buf);
        }
    };
    ($buf:ident, $tag:literal, $value:expr, required $kind:ident) => {
        ::prost::encoding::$kind::encode($tag, &$value, $buf);
    };
    ($buf:ident, $tag:literal, $value:expr, repeated $kind:ident) => {
        ::prost::encoding::$kind::encode_repeated($tag, &$value, $buf);
    };
    ($buf:ident, $tag:literal, $value:expr, packed $kind:ident) => {
        ::prost::encoding::$kind::encode_packed($tag, &$value, $buf);
    };
}

/// The encoded length of one field, matching `encode_field!`.
macro_rules! field_len {
    ($tag:literal, $value:expr, optional proto_string($($arg:tt)*)) => {
        $value.as_ref().map_or(0, |value| {
            $crate::string::encoding::encoded_len($tag, value)
        })
    };
    ($tag:literal, $value:expr, repeated proto_string) => {
        $value
            .iter()
            .map(|value| $crate::string::encoding::encoded_len($tag, value))
            .sum::<usize>()
    };
    ($tag:literal, $value:expr, optional message($ty:ty)) => {
        $value.as_ref().map_or(0, |value| {
            ::prost::encoding::message::encoded_len($tag, value)
        })
    };
    ($tag:literal, $value:expr, optional boxed($ty:ty)) => {
        $value.as_ref().map_or(0, |value| {
            ::prost::encoding::message::encoded_len($tag, value)
        })
    };
    ($tag:literal, $value:expr, repeated message($ty:ty)) => {
        ::prost::encoding::message::encoded_len_repeated($tag, &$value)
    };
    ($tag:literal, $value:expr, optional enumeration($($arg:tt)*)) => {
        $value.as_ref().map_or(0, |value| {
            ::prost::encoding::int32::encoded_len($tag, value)
        })
    };
    ($tag:literal, $value:expr, repeated enumeration($($arg:tt)*)) => {
        ::prost::encoding::int32::encoded_len_repeated($tag, &$value)
    };
    ($tag:literal, $value:expr, optional $kind:ident) => {
        $value.as_ref().map_or(0, |value| {
            ::prost::encoding::$kind::encoded_len($tag, value)
        })
    };
    ($tag:literal, $value:expr, required $kind:ident) => {
        ::prost::encoding::$kind::encoded_len($tag, &$value)
    };
    ($tag:literal, $value:expr, repeated $kind:ident) => {
        ::prost::encoding::$kind::encoded_len_repeated($tag, &$value)
    };
    ($tag:literal, $value:expr, packed $kind:ident) => {
        ::prost::encoding::$kind::encoded_len_packed($tag, &$value)
    };
}

/// Decodes one occurrence of a known field into it (singular fields: last one wins, messages
/// merge; repeated fields: append, packed or not).
/// Decodes a string field; a value that is not UTF-8 is kept, verbatim, as an unknown field.
pub(crate) fn merge_string(
    wire_type: ::prost::encoding::WireType,
    buf: &mut impl ::bytes::Buf,
    ctx: ::prost::encoding::DecodeContext,
    tag: u32,
    unknown: &mut crate::UnknownFields,
    set: impl FnOnce(String),
) -> Result<(), ::prost::DecodeError> {
    let mut bytes: Vec<u8> = Vec::new();
    ::prost::encoding::bytes::merge(wire_type, &mut bytes, buf, ctx)?;
    match String::from_utf8(bytes) {
        Ok(text) => set(text),
        Err(error) => unknown.push_length_delimited(tag, error.as_bytes()),
    }
    Ok(())
}

macro_rules! merge_field {
    // Strings that are not valid UTF-8 are kept as unknown fields rather than rejected:
    // protoc (C++) accepts such bytes in proto2 string fields, so Rivet must decode them.
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, ($tag:expr, $unknown:expr), optional string) => {
        $crate::macros::merge_string($wt, $buf, $ctx, $tag, &mut $unknown, |s| $value = Some(s))
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, ($tag:expr, $unknown:expr), repeated string) => {
        $crate::macros::merge_string($wt, $buf, $ctx, $tag, &mut $unknown, |s| $value.push(s))
    };
    // Any bytes are a valid `ProtoString`: kept in place, so they re-encode in order.
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, optional proto_string($($arg:tt)*)) => {
        $crate::string::encoding::merge(
            $wt,
            $value.get_or_insert_with(::core::default::Default::default),
            $buf,
            $ctx,
        )
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, repeated proto_string) => {{
        let mut value = $crate::ProtoString::new();
        $crate::string::encoding::merge($wt, &mut value, $buf, $ctx).map(|()| $value.push(value))
    }};
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, optional message($ty:ty)) => {
        ::prost::encoding::message::merge(
            $wt,
            $value.get_or_insert_with(::core::default::Default::default),
            $buf,
            $ctx,
        )
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, optional boxed($ty:ty)) => {
        ::prost::encoding::message::merge(
            $wt,
            $value.get_or_insert_with(::core::default::Default::default),
            $buf,
            $ctx,
        )
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, repeated message($ty:ty)) => {
        ::prost::encoding::message::merge_repeated($wt, &mut $value, $buf, $ctx)
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, optional enumeration($($arg:tt)*)) => {
        ::prost::encoding::int32::merge(
            $wt,
            $value.get_or_insert_with(::core::default::Default::default),
            $buf,
            $ctx,
        )
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, repeated enumeration($($arg:tt)*)) => {
        ::prost::encoding::int32::merge_repeated($wt, &mut $value, $buf, $ctx)
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, optional $kind:ident) => {
        ::prost::encoding::$kind::merge(
            $wt,
            $value.get_or_insert_with(::core::default::Default::default),
            $buf,
            $ctx,
        )
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, required $kind:ident) => {
        ::prost::encoding::$kind::merge($wt, &mut $value, $buf, $ctx)
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, repeated $kind:ident) => {
        ::prost::encoding::$kind::merge_repeated($wt, &mut $value, $buf, $ctx)
    };
    ($wt:ident, $buf:ident, $ctx:ident, $value:expr, $unknown:tt, packed $kind:ident) => {
        ::prost::encoding::$kind::merge_repeated($wt, &mut $value, $buf, $ctx)
    };
}

/// The accessor methods prost generates for a field: a getter returning the default when
/// unset for singular scalars and enums, a setter for singular enums, and an iterator plus a
/// pusher for repeated enums. Other fields get none.
macro_rules! accessor {
    ($field:ident, optional string, [$($default:expr)?]) => {
        #[doc = concat!(
            "Returns the value of `", stringify!($field), "`, or its default if unset."
        )]
        pub fn $field(&self) -> &str {
            match &self.$field {
                ::core::option::Option::Some(value) => value.as_str(),
                ::core::option::Option::None => $crate::macros::default_or!([$($default)?], ""),
            }
        }
    };
    ($field:ident, optional proto_string($bytes_getter:ident), []) => {
        #[doc = concat!(
            "Returns the value of `", stringify!($field), "` as text, or `\"\"` if it is ",
            "unset or not valid UTF-8 (see [`", stringify!($bytes_getter), "`](Self::",
            stringify!($bytes_getter), ") for its exact bytes)."
        )]
        pub fn $field(&self) -> &str {
            self.$field
                .as_ref()
                .and_then($crate::ProtoString::to_str)
                .unwrap_or("")
        }

        #[doc = concat!(
            "Returns the bytes of `", stringify!($field), "` as stored (they need not be ",
            "UTF-8), or no bytes if it is unset."
        )]
        pub fn $bytes_getter(&self) -> &[u8] {
            self.$field.as_ref().map_or(&[], $crate::ProtoString::as_bytes)
        }
    };
    ($field:ident, optional bytes, [$($default:expr)?]) => {
        #[doc = concat!(
            "Returns the value of `", stringify!($field), "`, or its default if unset."
        )]
        pub fn $field(&self) -> &[u8] {
            match &self.$field {
                ::core::option::Option::Some(value) => value.as_slice(),
                ::core::option::Option::None => $crate::macros::default_or!([$($default)?], &[]),
            }
        }
    };
    ($field:ident, optional enumeration($ty:ty, $setter:ident), [$($default:expr)?]) => {
        #[doc = concat!(
            "Returns `", stringify!($field), "` as an enum, or its default if it is unset ",
            "or not a known value."
        )]
        pub fn $field(&self) -> $ty {
            match self.$field.map(<$ty as ::core::convert::TryFrom<i32>>::try_from) {
                ::core::option::Option::Some(::core::result::Result::Ok(value)) => value,
                _ => $crate::macros::default_or!(
                    [$($default)?],
                    <$ty as ::core::default::Default>::default()
                ),
            }
        }

        #[doc = concat!("Sets `", stringify!($field), "` to the given enum value.")]
        pub fn $setter(&mut self, value: $ty) {
            self.$field = ::core::option::Option::Some(value as i32);
        }
    };
    ($field:ident, repeated enumeration($ty:ty, $pusher:ident), []) => {
        #[doc = concat!(
            "Iterates over the values of `", stringify!($field), "` that are known enum ",
            "values, skipping the others."
        )]
        pub fn $field(
            &self,
        ) -> ::core::iter::FilterMap<
            ::core::iter::Cloned<::core::slice::Iter<'_, i32>>,
            fn(i32) -> ::core::option::Option<$ty>,
        > {
            let known: fn(i32) -> ::core::option::Option<$ty> =
                |value| <$ty as ::core::convert::TryFrom<i32>>::try_from(value).ok();
            self.$field.iter().cloned().filter_map(known)
        }

        #[doc = concat!("Appends the given enum value to `", stringify!($field), "`.")]
        pub fn $pusher(&mut self, value: $ty) {
            self.$field.push(value as i32);
        }
    };
    ($field:ident, optional message($($arg:tt)*), []) => {};
    ($field:ident, optional boxed($($arg:tt)*), []) => {};
    ($field:ident, optional $kind:ident, [$($default:expr)?]) => {
        #[doc = concat!(
            "Returns the value of `", stringify!($field), "`, or its default if unset."
        )]
        pub fn $field(&self) -> $crate::macros::scalar_type!($kind) {
            match self.$field {
                ::core::option::Option::Some(value) => value,
                ::core::option::Option::None => $crate::macros::default_or!(
                    [$($default)?],
                    <$crate::macros::scalar_type!($kind) as ::core::default::Default>::default()
                ),
            }
        }
    };
    ($field:ident, $label:ident $kind:ident $(($($arg:tt)*))?, []) => {};
}

/// `[value]` gives `value`, `[]` gives the fallback.
macro_rules! default_or {
    ([$value:expr], $fallback:expr) => {
        $value
    };
    ([], $fallback:expr) => {
        $fallback
    };
}

/// Fails compilation if a message declares its fields out of number order, since the order of
/// declaration is the order of encoding.
pub(crate) const fn assert_ascending(numbers: &[u32]) {
    let mut i = 1;
    while i < numbers.len() {
        assert!(
            numbers[i - 1] < numbers[i],
            "message fields must be declared in increasing field-number order"
        );
        i += 1;
    }
}

pub(crate) use {
    accepts_wire_type, accessor, default_or, encode_field, enumeration, field_len, field_type,
    merge_field, message, scalar_type,
};
