//! Enums and services.

use super::Parser;
use crate::ast::*;

impl Parser<'_> {
    pub(super) fn parse_enum_definition(
        &mut self,
        visibility: Option<(Visibility, Span)>,
    ) -> Option<Enum> {
        let start = self.cur().start;
        self.consume("enum")?;
        let name = self.consume_identifier("Expected enum name.")?;
        let mut comments = Comments::default();
        self.consume_end_of_decl("{", Some(&mut comments))?;
        let mut items = Vec::new();
        // What protoc's checks see: every option statement and every value statement, also
        // those that failed to parse.
        let mut allow_alias = None;
        let mut numbers = Vec::new();
        while !self.try_consume_end_of_decl(b"}", None) {
            if self.at_end() {
                self.error("Reached end of input in enum definition (missing '}').");
                return None;
            }
            let is_option = self.looking_at(b"option");
            let is_value = !is_option && !self.looking_at(b";") && !self.looking_at(b"reserved");
            self.last_enum_number = 0;
            match self.parse_enum_statement() {
                Some(item) => items.push(item),
                None => self.skip_statement(),
            }
            let probe = &self.last_option;
            if is_option
                && allow_alias.is_none()
                && probe.parts <= 1
                && !probe.first_is_extension
                && probe.first_part == "allow_alias"
            {
                allow_alias = Some(probe.identifier.as_deref() == Some("true"));
            }
            if is_value {
                numbers.push(self.last_enum_number);
            }
        }
        self.validate_enum(&name.name, allow_alias, &mut numbers)?;
        Some(Enum {
            visibility,
            name,
            items,
            span: self.span_from(start),
            comments,
        })
    }

    /// protoc's `ValidateEnum`: `allow_alias` must be `true` and must be needed.
    fn validate_enum(
        &mut self,
        name: &str,
        allow_alias: Option<bool>,
        numbers: &mut [i64],
    ) -> Option<()> {
        match allow_alias {
            None => Some(()),
            Some(false) => {
                self.error(format!(
                    "\"{name}\" declares 'option allow_alias = false;' which has no effect. \
                     Please remove the declaration."
                ));
                None
            }
            Some(true) => {
                numbers.sort_unstable();
                if numbers.windows(2).any(|pair| pair[0] == pair[1]) {
                    Some(())
                } else {
                    self.error(format!(
                        "\"{name}\" declares support for enum aliases but no enum values share \
                         field numbers. Please remove the unnecessary 'option allow_alias = \
                         true;' declaration."
                    ));
                    None
                }
            }
        }
    }

    fn parse_enum_statement(&mut self) -> Option<EnumItem> {
        let token = self.cur();
        if self.try_consume_end_of_decl(b";", None) {
            Some(EnumItem::Empty(token.span()))
        } else if self.looking_at(b"option") {
            self.parse_option_statement().map(EnumItem::Option)
        } else if self.looking_at(b"reserved") {
            self.parse_reserved(true).map(EnumItem::Reserved)
        } else {
            self.parse_enum_constant().map(EnumItem::Value)
        }
    }

    fn parse_enum_constant(&mut self) -> Option<EnumValue> {
        let start = self.cur().start;
        let name = self.consume_identifier("Expected enum constant name.")?;
        self.consume_or("=", "Missing numeric value for enum constant.")?;
        let number = self.consume_signed_integer("Expected integer.")?;
        self.last_enum_number = enum_number(&number);
        let options = self.parse_compact_options()?;
        let mut comments = Comments::default();
        self.consume_end_of_decl(";", Some(&mut comments))?;
        Some(EnumValue {
            name,
            number,
            options,
            span: self.span_from(start),
            comments,
        })
    }

    pub(super) fn parse_service_definition(&mut self) -> Option<Service> {
        let start = self.cur().start;
        self.consume("service")?;
        let name = self.consume_identifier("Expected service name.")?;
        let mut comments = Comments::default();
        self.consume_end_of_decl("{", Some(&mut comments))?;
        let mut items = Vec::new();
        while !self.try_consume_end_of_decl(b"}", None) {
            if self.at_end() {
                self.error("Reached end of input in service definition (missing '}').");
                return None;
            }
            let token = self.cur();
            let item = if self.try_consume_end_of_decl(b";", None) {
                Some(ServiceItem::Empty(token.span()))
            } else if self.looking_at(b"option") {
                self.parse_option_statement().map(ServiceItem::Option)
            } else {
                self.parse_service_method().map(ServiceItem::Method)
            };
            match item {
                Some(item) => items.push(item),
                None => self.skip_statement(),
            }
        }
        Some(Service {
            name,
            items,
            span: self.span_from(start),
            comments,
        })
    }

    /// `(stream? Type)` of an rpc.
    fn parse_method_type(&mut self) -> Option<MethodType> {
        self.consume("(")?;
        let mut stream = None;
        if self.looking_at(b"stream") {
            stream = Some(self.consume("stream")?);
        }
        let ty = self.parse_user_defined_type()?;
        self.consume(")")?;
        Some(MethodType { stream, ty })
    }

    fn parse_service_method(&mut self) -> Option<Method> {
        let start = self.cur().start;
        self.consume("rpc")?;
        let name = self.consume_identifier("Expected method name.")?;
        let input = self.parse_method_type()?;
        self.consume("returns")?;
        let output = self.parse_method_type()?;
        let mut comments = Comments::default();
        let mut options = Vec::new();
        let mut body = None;
        if self.looking_at(b"{") {
            let body_start = self.cur().start;
            self.consume_end_of_decl("{", Some(&mut comments))?;
            while !self.try_consume_end_of_decl(b"}", None) {
                if self.at_end() {
                    self.error("Reached end of input in method options (missing '}').");
                    return None;
                }
                if self.try_consume_end_of_decl(b";", None) {
                    continue;
                }
                match self.parse_option_statement() {
                    Some(option) => options.push(option),
                    None => self.skip_statement(),
                }
            }
            body = Some(self.span_from(body_start));
        } else {
            self.consume_end_of_decl(";", Some(&mut comments))?;
        }
        Some(Method {
            name,
            input,
            output,
            options,
            body,
            span: self.span_from(start),
            comments,
        })
    }
}

/// An enum value's number as protoc stores it (an out-of-range number, already reported,
/// reads as 0).
fn enum_number(lit: &IntLit) -> i64 {
    let magnitude = lit.value as i64;
    if lit.negative { -magnitude } else { magnitude }
}
