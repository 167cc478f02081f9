//! The bits of OData URL syntax the SharePoint REST functions use:
//! `Function(name=@alias)?@alias='value'` (a parameter alias resolved from the query
//! string) or `Function(name='value')` (an inline literal), string literals in single
//! quotes with `''` for a quote, and percent-encoding in the path and the query.

use crate::wire::status_codes::Failure;

/// The string value of the function's one parameter `parameter` (matched in any case).
/// `arguments` is the text between the function's parentheses, `query` the request's query
/// string (still percent-encoded).
pub fn string_argument(
    arguments: &str,
    parameter: &str,
    query: Option<&str>,
) -> Result<String, Failure> {
    let arguments = percent_decoded(arguments)?;
    let Some((name, value)) = arguments.split_once('=') else {
        return Err(Failure::invalid_query(format!(
            "The function needs its parameter: ({parameter}=@p)?@p='...'."
        )));
    };
    if !name.trim().eq_ignore_ascii_case(parameter) {
        return Err(Failure::invalid_query(format!(
            "The function has no parameter '{}'; its parameter is {parameter}.",
            name.trim()
        )));
    }
    let value = value.trim();
    match value.strip_prefix('@') {
        Some(alias) => {
            let resolved = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .find(|(key, _)| {
                    key.strip_prefix('@')
                        .is_some_and(|key| key.eq_ignore_ascii_case(alias))
                })
                .map(|(_, value)| value.into_owned());
            match resolved {
                Some(literal) => string_literal(&literal),
                None => Err(Failure::invalid_query(format!(
                    "The parameter alias '@{alias}' has no value in the query string."
                ))),
            }
        }
        None => string_literal(value),
    }
}

/// `'it''s'` → `it's`. Anything else (no quotes, a lone quote inside) is refused.
pub fn string_literal(text: &str) -> Result<String, Failure> {
    let text = text.trim();
    let inner = text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
        .filter(|_| text.len() >= 2)
        .ok_or_else(|| {
            Failure::invalid_query(format!(
                "The value {text} is not a string literal in single quotes."
            ))
        })?;
    let mut value = String::with_capacity(inner.len());
    let mut characters = inner.chars();
    while let Some(character) = characters.next() {
        if character == '\'' && characters.next() != Some('\'') {
            return Err(Failure::invalid_query(format!(
                "The string literal {text} has a single quote that is not doubled."
            )));
        }
        value.push(character);
    }
    Ok(value)
}

/// Writes `value` as a string literal, doubling single quotes.
#[cfg(test)]
pub fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Decodes `%XX` escapes (in a path, `+` stays `+`).
fn percent_decoded(text: &str) -> Result<String, Failure> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let byte = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| Failure::invalid_query("The URL has a bad percent escape."))?;
            decoded.push(byte);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded)
        .map_err(|_| Failure::invalid_query("The URL does not decode to UTF-8 text."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::status_codes::FailureKind;

    const PARAMETER: &str = "targetTenantHostUrl";

    fn argument(arguments: &str, query: Option<&str>) -> Result<String, FailureKind> {
        string_argument(arguments, PARAMETER, query).map_err(|failure| failure.kind)
    }

    #[test]
    fn aliases_are_resolved_from_the_query() {
        let url = "http://127.0.0.1:1/fabrikam-my/";
        assert_eq!(
            argument("targetTenantHostUrl=@p", Some(&format!("@p='{url}'"))),
            Ok(url.to_string())
        );
        assert_eq!(
            argument(
                "targettenanthosturl=@p",
                Some("x=1&@P=%27http%3A%2F%2F127.0.0.1%3A1%2Ffabrikam-my%2F%27")
            ),
            Ok(url.to_string())
        );
        assert_eq!(
            argument("targetTenantHostUrl%3D%40v", Some("@v='a''b'")),
            Ok("a'b".to_string())
        );
    }

    #[test]
    fn inline_literals_work_too() {
        assert_eq!(
            argument(
                "targetTenantHostUrl='https://fabrikam-my.sharepoint.com/'",
                None
            ),
            Ok("https://fabrikam-my.sharepoint.com/".to_string())
        );
        assert_eq!(
            argument("targetTenantHostUrl=%27it%27%27s%27", None),
            Ok("it's".to_string())
        );
    }

    #[test]
    fn malformed_calls_are_invalid_queries() {
        for (arguments, query) in [
            ("", None),
            ("targetTenantHostUrl=@p", None),
            ("targetTenantHostUrl=@p", Some("@q='x'")),
            ("otherName=@p", Some("@p='x'")),
            ("targetTenantHostUrl=@p", Some("@p=x")),
            ("targetTenantHostUrl=@p", Some("@p='it's'")),
            ("targetTenantHostUrl='x", None),
            ("targetTenantHostUrl=%zz", None),
            ("targetTenantHostUrl='", None),
        ] {
            assert_eq!(
                argument(arguments, query),
                Err(FailureKind::InvalidClientQuery),
                "{arguments} {query:?}"
            );
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn quoting_then_parsing_gives_the_value_back(value in "\\PC{0,40}") {
                prop_assert_eq!(string_literal(&quoted(&value)), Ok(value.clone()));
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("@p", &quoted(&value))
                    .finish();
                prop_assert_eq!(
                    string_argument("targetTenantHostUrl=@p", PARAMETER, Some(&query)),
                    Ok(value)
                );
            }

            #[test]
            fn parsing_never_panics(arguments in "\\PC{0,40}", query in "\\PC{0,40}") {
                let _ = string_argument(&arguments, PARAMETER, Some(&query));
            }
        }
    }
}
