//! Values of literal tokens: protoc's `ParseInteger`, `ParseFloat` and `ParseStringAppend`.

fn digit_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'a'..=b'z' => u32::from(c - b'a') + 10,
        b'A'..=b'Z' => u32::from(c - b'A') + 10,
        _ => 36,
    }
}

/// The value of an integer token (decimal, `0x` hex or `0` octal), or `None` if it is larger
/// than `max` or not a valid number in its base (such as `09`).
pub(crate) fn parse_integer(text: &[u8], max: u64) -> Option<u64> {
    let (base, digits) = match text {
        [b'0', b'x' | b'X', rest @ ..] => (16u64, rest),
        [b'0', ..] => (8, text),
        _ => (10, text),
    };
    let mut result: u64 = 0;
    for &c in digits {
        let digit = u64::from(digit_value(c));
        if digit >= base {
            return None;
        }
        result = result.checked_mul(base)?.checked_add(digit)?;
    }
    (result <= max).then_some(result)
}

/// The value of a float token (or of a decimal integer token too large for `u64`), as C's
/// `strtod` reads it. Tokens with a dangling exponent (`1e`, which the tokenizer reports as an
/// error) read as their number part.
pub(crate) fn parse_float(text: &[u8]) -> f64 {
    let mut end = text.len();
    // Strip a dangling exponent marker ("1e", "1e+").
    while end > 0 && matches!(text[end - 1], b'e' | b'E' | b'+' | b'-') {
        end -= 1;
    }
    let text = &text[..end];
    let Ok(text) = std::str::from_utf8(text) else {
        return 0.0;
    };
    if let Ok(value) = text.parse::<f64>() {
        return value;
    }
    // Forms Rust does not take directly ("1.", ".5e3" are fine; be defensive anyway).
    let fixed = format!("{text}0");
    fixed.parse::<f64>().unwrap_or(0.0)
}

const ESCAPES: &[(u8, u8)] = &[
    (b'a', 0x07),
    (b'b', 0x08),
    (b'f', 0x0c),
    (b'n', b'\n'),
    (b'r', b'\r'),
    (b't', b'\t'),
    (b'v', 0x0b),
    (b'\\', b'\\'),
    (b'?', b'?'),
    (b'\'', b'\''),
    (b'"', b'"'),
];

/// protoc's `ReadHexDigits`: the value of the next `len` bytes as hex digits. Like protoc it
/// only fails at the end of the text (or a NUL); any other byte counts with its
/// `DigitValue` (`x` is 33, a quote 36), wrapping around: the tokenizer has already reported
/// such an escape, and the value only shows in later messages (`syntax = "\u12xy"`).
fn read_hex(text: &[u8], len: usize) -> Option<u32> {
    let digits = text.get(..len)?;
    let mut value = 0u32;
    for &c in digits {
        if c == 0 {
            return None;
        }
        value = (value << 4).wrapping_add(digit_value(c));
    }
    Some(value)
}

fn append_utf8(code_point: u32, out: &mut Vec<u8>) {
    match char::from_u32(code_point) {
        Some(c) => {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        None if code_point <= 0xffff => {
            // A lone surrogate: protoc encodes it like any other 3-byte code point.
            out.push(0xe0 | (code_point >> 12) as u8);
            out.push(0x80 | ((code_point >> 6) & 0x3f) as u8);
            out.push(0x80 | (code_point & 0x3f) as u8);
        }
        None => {
            // Beyond U+10FFFF: protoc writes the escape back out.
            out.extend_from_slice(format!("\\U{code_point:08x}").as_bytes());
        }
    }
}

/// Appends the unescaped value of a string token (with its quotes) to `out`.
pub(crate) fn unescape_string_into(text: &[u8], out: &mut Vec<u8>) {
    let Some(&quote) = text.first() else {
        return;
    };
    let mut i = 1;
    while i < text.len() {
        let c = text[i];
        if c == b'\\' && i + 1 < text.len() {
            i += 1;
            let e = text[i];
            if (b'0'..=b'7').contains(&e) {
                let mut code = u32::from(e - b'0');
                for _ in 0..2 {
                    match text.get(i + 1) {
                        Some(&d @ b'0'..=b'7') => {
                            code = code * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(code as u8);
            } else if e == b'x' || e == b'X' {
                let mut code = 0u32;
                for _ in 0..2 {
                    match text.get(i + 1) {
                        Some(&d) if d.is_ascii_hexdigit() => {
                            code = code * 16 + digit_value(d);
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(code as u8);
            } else if e == b'u' || e == b'U' {
                let len = if e == b'u' { 4 } else { 8 };
                match read_hex(&text[i + 1..], len) {
                    Some(mut code_point) => {
                        let mut next = i + 1 + len;
                        if (0xd800..0xdc00).contains(&code_point)
                            && text.get(next) == Some(&b'\\')
                            && text.get(next + 1) == Some(&b'u')
                            && let Some(trail) = read_hex(&text[next + 2..], 4)
                            && (0xdc00..0xe000).contains(&trail)
                        {
                            code_point =
                                0x10000 + (((code_point - 0xd800) << 10) | (trail - 0xdc00));
                            next += 6;
                        }
                        append_utf8(code_point, out);
                        i = next - 1;
                    }
                    None => out.push(e),
                }
            } else {
                let translated = ESCAPES
                    .iter()
                    .find(|&&(k, _)| k == e)
                    .map_or(b'?', |&(_, v)| v);
                out.push(translated);
            }
        } else if !(c == quote && i + 1 == text.len()) {
            out.push(c);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescape(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        unescape_string_into(text.as_bytes(), &mut out);
        out
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer(b"0", u64::MAX), Some(0));
        assert_eq!(parse_integer(b"123", u64::MAX), Some(123));
        assert_eq!(parse_integer(b"0x1F", u64::MAX), Some(31));
        assert_eq!(parse_integer(b"017", u64::MAX), Some(15));
        assert_eq!(parse_integer(b"09", u64::MAX), None);
        assert_eq!(
            parse_integer(b"18446744073709551615", u64::MAX),
            Some(u64::MAX)
        );
        assert_eq!(parse_integer(b"18446744073709551616", u64::MAX), None);
        assert_eq!(parse_integer(b"2147483648", i32::MAX as u64), None);
        assert_eq!(parse_integer(b"0x", u64::MAX), Some(0));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float(b"1.5"), 1.5);
        assert_eq!(parse_float(b"1."), 1.0);
        assert_eq!(parse_float(b".5"), 0.5);
        assert_eq!(parse_float(b"1e5"), 1e5);
        assert_eq!(parse_float(b"1.5E-3"), 1.5e-3);
        assert_eq!(parse_float(b"1.e2"), 100.0);
        assert_eq!(parse_float(b"2e"), 2.0);
        assert_eq!(parse_float(b"99999999999999999999"), 1e20);
    }

    #[test]
    fn strings() {
        assert_eq!(unescape(r#""abc""#), b"abc");
        assert_eq!(unescape(r#"'a\'b'"#), b"a'b");
        assert_eq!(
            unescape(r#""\a\b\f\n\r\t\v\\\?\'\"""#),
            b"\x07\x08\x0c\n\r\t\x0b\\?'\""
        );
        assert_eq!(unescape(r#""\0\12\101\1012""#), b"\0\n\x41\x412");
        assert_eq!(unescape(r#""\xff\x4G""#), b"\xff\x04G");
        assert_eq!(unescape(r#""\u00e9\U0001F600""#), "é😀".as_bytes());
        assert_eq!(unescape(r#""\ud83d\ude00""#), "😀".as_bytes());
        assert_eq!(unescape(r#""\ud800x""#), b"\xed\xa0\x80x");
        assert_eq!(unescape(r#""\U00110000""#), b"\\U00110000");
        assert_eq!(unescape(r#""\777""#), b"\xff");
        // Malformed \u and \U escapes (reported by the tokenizer) keep protoc's value: any
        // byte is a digit with its base-36 value, the closing quote included.
        assert_eq!(unescape(r#""\u12xy""#), "\u{1432}".as_bytes());
        assert_eq!(unescape(r#""\u00e""#), "\u{104}".as_bytes());
        assert_eq!(unescape(r#""\U0010FFFz""#), b"\\U00110013");
        assert_eq!(unescape(r#""\u12""#), b"u12");
        // Unterminated (error already reported by the tokenizer).
        assert_eq!(unescape(r#""abc"#), b"abc");
    }
}
