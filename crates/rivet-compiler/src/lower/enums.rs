//! Lowering of enums, services and methods.

use rivet_descriptor::{
    EnumDescriptorProto, EnumValueDescriptorProto, MethodDescriptorProto, ServiceDescriptorProto,
    enum_descriptor_proto,
};
use rivet_syntax::ast;

use super::{ErrorKind, Lowerer, OptionsKind, tag};

impl Lowerer {
    pub(super) fn enum_(&mut self, enum_: &mut ast::Enum) -> EnumDescriptorProto {
        self.record(&[], enum_.span, Some(&mut enum_.comments));
        self.record(&[tag::ENUM_NAME], enum_.name.span, None);
        self.error_at(&[], ErrorKind::Name, enum_.name.span.start);
        let mut proto = EnumDescriptorProto {
            name: Some(enum_.name.name.clone()),
            ..Default::default()
        };
        proto.value.reserve_exact(
            enum_
                .items
                .iter()
                .filter(|item| matches!(item, ast::EnumItem::Value(_)))
                .count(),
        );
        let mut option_count = 0;
        for item in &mut enum_.items {
            match item {
                ast::EnumItem::Value(value) => {
                    let index = proto.value.len() as i32;
                    self.path.extend([tag::ENUM_VALUE, index]);
                    proto.value.push(self.enum_value(value));
                    self.path.truncate(self.path.len() - 2);
                }
                ast::EnumItem::Option(option) => {
                    self.record(&[tag::ENUM_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::ENUM_OPTIONS,
                        OptionsKind::Enum,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::EnumItem::Reserved(reserved) => {
                    let ranges = self.reserved(
                        reserved,
                        (tag::ENUM_RESERVED_RANGE, tag::ENUM_RESERVED_NAME),
                        true,
                        proto.reserved_range.len(),
                        &mut proto.reserved_name,
                    );
                    proto
                        .reserved_range
                        .extend(ranges.into_iter().map(|(start, end)| {
                            enum_descriptor_proto::EnumReservedRange {
                                start: Some(start),
                                end: Some(end),
                                ..Default::default()
                            }
                        }));
                }
                ast::EnumItem::Empty(_) => {}
            }
        }
        if let Some((visibility, _)) = enum_.visibility {
            proto.visibility = Some(visibility_number(visibility));
        }
        proto
    }

    fn enum_value(&mut self, value: &mut ast::EnumValue) -> EnumValueDescriptorProto {
        self.record(&[], value.span, Some(&mut value.comments));
        self.record(&[tag::ENUM_VALUE_NAME], value.name.span, None);
        self.error_at(&[], ErrorKind::Name, value.name.span.start);
        self.record(&[tag::ENUM_VALUE_NUMBER], value.number.span, None);
        self.error_at(&[], ErrorKind::Number, value.number.span.start);
        let magnitude = value.number.value.min(i32::MAX as u64 + 1) as i64;
        let number = if value.number.negative {
            -magnitude
        } else {
            magnitude
        };
        let proto = EnumValueDescriptorProto {
            name: Some(value.name.name.clone()),
            number: Some(number.clamp(i32::MIN as i64, i32::MAX as i64) as i32),
            ..Default::default()
        };
        if let Some(options) = &value.options {
            self.record(&[tag::ENUM_VALUE_OPTIONS], options.span, None);
            let list: Vec<&ast::CompactOption> = options.options.iter().collect();
            self.compact_options(tag::ENUM_VALUE_OPTIONS, OptionsKind::EnumValue, 0, &list);
        }
        proto
    }

    pub(super) fn service(&mut self, service: &mut ast::Service) -> ServiceDescriptorProto {
        self.record(&[], service.span, Some(&mut service.comments));
        self.record(&[tag::SERVICE_NAME], service.name.span, None);
        self.error_at(&[], ErrorKind::Name, service.name.span.start);
        let mut proto = ServiceDescriptorProto {
            name: Some(service.name.name.clone()),
            ..Default::default()
        };
        let mut option_count = 0;
        for item in &mut service.items {
            match item {
                ast::ServiceItem::Method(method) => {
                    let index = proto.method.len() as i32;
                    self.path.extend([tag::SERVICE_METHOD, index]);
                    proto.method.push(self.method(method));
                    self.path.truncate(self.path.len() - 2);
                }
                ast::ServiceItem::Option(option) => {
                    self.record(&[tag::SERVICE_OPTIONS], option.span, None);
                    self.option_statement(
                        &[],
                        tag::SERVICE_OPTIONS,
                        OptionsKind::Service,
                        option_count,
                        option,
                    );
                    option_count += 1;
                }
                ast::ServiceItem::Empty(_) => {}
            }
        }
        proto
    }

    fn method(&mut self, method: &mut ast::Method) -> MethodDescriptorProto {
        self.record(&[], method.span, Some(&mut method.comments));
        self.record(&[tag::METHOD_NAME], method.name.span, None);
        self.error_at(&[], ErrorKind::Name, method.name.span.start);
        let mut proto = MethodDescriptorProto {
            name: Some(method.name.name.clone()),
            input_type: Some(method.input.ty.to_text()),
            output_type: Some(method.output.ty.to_text()),
            ..Default::default()
        };
        if let Some(span) = method.input.stream {
            self.record(&[tag::METHOD_CLIENT_STREAMING], span, None);
            self.error_at(&[], ErrorKind::Other, span.start);
            proto.client_streaming = Some(true);
        }
        self.record(&[tag::METHOD_INPUT], method.input.ty.span, None);
        self.error_at(&[], ErrorKind::InputType, method.input.ty.span.start);
        if let Some(span) = method.output.stream {
            self.record(&[tag::METHOD_SERVER_STREAMING], span, None);
            self.error_at(&[], ErrorKind::Other, span.start);
            proto.server_streaming = Some(true);
        }
        self.record(&[tag::METHOD_OUTPUT], method.output.ty.span, None);
        self.error_at(&[], ErrorKind::OutputType, method.output.ty.span.start);
        if method.body.is_some() {
            proto.options = Some(Default::default());
        }
        for (index, option) in method.options.iter_mut().enumerate() {
            self.record(&[tag::METHOD_OPTIONS], option.span, None);
            self.option_statement(&[], tag::METHOD_OPTIONS, OptionsKind::Method, index, option);
        }
        proto
    }
}

pub(super) fn visibility_number(visibility: ast::Visibility) -> i32 {
    match visibility {
        ast::Visibility::Local => 1,
        ast::Visibility::Export => 2,
    }
}
