//! Number and string formatting exactly as protoc prints them into descriptors.

/// Formats like C's `printf("%.{precision}g", value)` for finite values.
fn format_g(value: f64, precision: usize) -> String {
    let precision = precision.max(1);
    let exponential = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = exponential
        .split_once('e')
        .expect("exponential format has an exponent");
    let exponent: i32 = exponent.parse().expect("exponent is an integer");
    if exponent < -4 || exponent >= precision as i32 {
        let mantissa = strip_fraction_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        strip_fraction_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

fn strip_fraction_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

fn non_finite(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("nan")
    } else if value == f64::INFINITY {
        Some("inf")
    } else if value == f64::NEG_INFINITY {
        Some("-inf")
    } else {
        None
    }
}

/// protoc's `SimpleDtoa`: the shortest of `%.15g` / `%.17g` that reads back as `value`.
pub(crate) fn format_double(value: f64) -> String {
    if let Some(text) = non_finite(value) {
        return text.to_string();
    }
    let short = format_g(value, 15);
    if short.parse::<f64>().ok() == Some(value) {
        short
    } else {
        format_g(value, 17)
    }
}

/// protoc's `SimpleFtoa`: the shortest of `%.6g` / `%.9g` that reads back as `value`.
pub(crate) fn format_float(value: f32) -> String {
    if let Some(text) = non_finite(value as f64) {
        return text.to_string();
    }
    let short = format_g(value as f64, 6);
    if short.parse::<f32>().ok() == Some(value) {
        short
    } else {
        format_g(value as f64, 9)
    }
}

/// C-style escaping as protoc writes `bytes` default values (absl's `CEscape`).
pub(crate) fn c_escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &byte in bytes {
        match byte {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'"' => out.push_str("\\\""),
            b'\'' => out.push_str("\\'"),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("\\{byte:03o}")),
        }
    }
    out
}

/// protoc's default JSON name: underscores removed, the following letter upper-cased.
pub(crate) fn json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut capitalize_next = false;
    for c in name.chars() {
        if c == '_' {
            capitalize_next = true;
        } else if capitalize_next {
            out.push(c.to_ascii_uppercase());
            capitalize_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_format_like_simple_dtoa() {
        assert_eq!(format_double(1.0), "1");
        assert_eq!(format_double(0.1), "0.1");
        assert_eq!(format_double(1e5), "100000");
        assert_eq!(format_double(1e15), "1e+15");
        assert_eq!(format_double(1.5e-7), "1.5e-07");
        assert_eq!(
            format_double(123456789012345678.0),
            "1.2345678901234568e+17"
        );
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(0.30000000000000004), "0.30000000000000004");
    }

    #[test]
    fn floats_format_like_simple_ftoa() {
        assert_eq!(format_float(0.1), "0.1");
        assert_eq!(format_float(3.4028235e38), "3.40282347e+38");
        assert_eq!(format_float(1.5), "1.5");
    }

    #[test]
    fn escapes_like_c_escape() {
        assert_eq!(c_escape(b"a\"b\\\n\x01\xff'"), "a\\\"b\\\\\\n\\001\\377\\'");
    }

    #[test]
    fn json_names() {
        assert_eq!(json_name("foo_bar_baz"), "fooBarBaz");
        assert_eq!(json_name("_foo"), "Foo");
        assert_eq!(json_name("foo__bar"), "fooBar");
        assert_eq!(json_name("FOO_bar"), "FOOBar");
    }
}
