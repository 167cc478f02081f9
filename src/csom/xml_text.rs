//! Escaping text for CSOM request XML.

/// Escapes `text` for use as XML character data or inside a double-quoted attribute.
///
/// XML 1.0 cannot carry most C0 control characters even as references, so those become
/// U+FFFD; callers validate input first, so this only matters for text nobody checked.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match escaped(c) {
            Escaped::Reference(reference) => out.push_str(reference),
            Escaped::Char(c) => out.push(c),
        }
    }
    out
}

/// The length in bytes of `escape(text)`, without building it (sizing large requests).
pub fn escaped_len(text: &str) -> usize {
    text.chars()
        .map(|c| match escaped(c) {
            Escaped::Reference(reference) => reference.len(),
            Escaped::Char(c) => c.len_utf8(),
        })
        .sum()
}

/// What one character becomes in request XML.
enum Escaped {
    Reference(&'static str),
    Char(char),
}

fn escaped(c: char) -> Escaped {
    match c {
        '&' => Escaped::Reference("&amp;"),
        '<' => Escaped::Reference("&lt;"),
        '>' => Escaped::Reference("&gt;"),
        '"' => Escaped::Reference("&quot;"),
        '\'' => Escaped::Reference("&apos;"),
        // Kept as references so that XML parsers do not normalise them away.
        '\t' => Escaped::Reference("&#9;"),
        '\n' => Escaped::Reference("&#10;"),
        '\r' => Escaped::Reference("&#13;"),
        c if is_xml_char(c) => Escaped::Char(c),
        _ => Escaped::Char('\u{FFFD}'),
    }
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
    fn the_escaped_length_is_the_length_of_the_escaped_text() {
        for text in ["", "plain", r#"a&b<c>d"e'f"#, "t\tn\nr\r", "é€😀", "\u{1}x"] {
            assert_eq!(escaped_len(text), escape(text).len(), "{text:?}");
        }
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
