//! Field numbers of `FileDescriptorProto`, `DescriptorProto`, ... used in location paths.

pub const FILE_PACKAGE: i32 = 2;
pub const FILE_DEPENDENCY: i32 = 3;
pub const FILE_MESSAGE: i32 = 4;
pub const FILE_ENUM: i32 = 5;
pub const FILE_SERVICE: i32 = 6;
pub const FILE_EXTENSION: i32 = 7;
pub const FILE_OPTIONS: i32 = 8;
pub const FILE_PUBLIC_DEPENDENCY: i32 = 10;
pub const FILE_WEAK_DEPENDENCY: i32 = 11;
pub const FILE_SYNTAX: i32 = 12;
pub const FILE_OPTION_DEPENDENCY: i32 = 15;

pub const MESSAGE_NAME: i32 = 1;
pub const MESSAGE_FIELD: i32 = 2;
pub const MESSAGE_NESTED: i32 = 3;
pub const MESSAGE_ENUM: i32 = 4;
pub const MESSAGE_EXTENSION_RANGE: i32 = 5;
pub const MESSAGE_EXTENSION: i32 = 6;
pub const MESSAGE_OPTIONS: i32 = 7;
pub const MESSAGE_ONEOF: i32 = 8;
pub const MESSAGE_RESERVED_RANGE: i32 = 9;
pub const MESSAGE_RESERVED_NAME: i32 = 10;

pub const RANGE_START: i32 = 1;
pub const RANGE_END: i32 = 2;
pub const EXTENSION_RANGE_OPTIONS: i32 = 3;

pub const FIELD_NAME: i32 = 1;
pub const FIELD_EXTENDEE: i32 = 2;
pub const FIELD_NUMBER: i32 = 3;
pub const FIELD_LABEL: i32 = 4;
pub const FIELD_TYPE: i32 = 5;
pub const FIELD_TYPE_NAME: i32 = 6;
pub const FIELD_DEFAULT: i32 = 7;
pub const FIELD_OPTIONS: i32 = 8;
pub const FIELD_JSON_NAME: i32 = 10;

pub const ONEOF_NAME: i32 = 1;
pub const ONEOF_OPTIONS: i32 = 2;

pub const ENUM_NAME: i32 = 1;
pub const ENUM_VALUE: i32 = 2;
pub const ENUM_OPTIONS: i32 = 3;
pub const ENUM_RESERVED_RANGE: i32 = 4;
pub const ENUM_RESERVED_NAME: i32 = 5;

pub const ENUM_VALUE_NAME: i32 = 1;
pub const ENUM_VALUE_NUMBER: i32 = 2;
pub const ENUM_VALUE_OPTIONS: i32 = 3;

pub const SERVICE_NAME: i32 = 1;
pub const SERVICE_METHOD: i32 = 2;
pub const SERVICE_OPTIONS: i32 = 3;

pub const METHOD_NAME: i32 = 1;
pub const METHOD_INPUT: i32 = 2;
pub const METHOD_OUTPUT: i32 = 3;
pub const METHOD_OPTIONS: i32 = 4;
pub const METHOD_CLIENT_STREAMING: i32 = 5;
pub const METHOD_SERVER_STREAMING: i32 = 6;

pub const UNINTERPRETED_OPTION: i32 = 999;
