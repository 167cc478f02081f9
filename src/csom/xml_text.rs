//! Escaping text for CSOM request XML.

/// Escapes `text` for use as XML character data or inside a double-quoted attribute.
///
/// XML 1.0 cannot carry most C0 control characters even as references, so those become
/// U+FFFD; callers validate input first, so this only matters for text nobody checked.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as references so that XML parsers do not normalise them away.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// The `Char` production of XML 1.0.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"a&b<c>d"e'f"#), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    }

    #[test]
    fn keeps_ordinary_and_non_ascii_text() {
        assert_eq!(
            escape("https://müller-my.sharepoint.com/ 😀"),
            "https://müller-my.sharepoint.com/ 😀"
        );
    }

    #[test]
    fn replaces_characters_xml_cannot_carry() {
        assert_eq!(
            escape("a\u{0}b\u{1}c\u{FFFF}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(escape("\t\n\r"), "&#9;&#10;&#13;");
    }
}
