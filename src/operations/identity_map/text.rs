//! Decoding the identity map as Excel and Notepad save it: UTF-8 with or without a byte
//! order mark, or UTF-16 (little or big endian) with one. Anything else is refused with
//! how to re-save the file, rather than guessed at.

use super::file::PARAMETER;
use crate::error::Error;
use encoding_rs::{UTF_16BE, UTF_16LE};

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const UTF16LE_BOM: &[u8] = &[0xFF, 0xFE];
const UTF16BE_BOM: &[u8] = &[0xFE, 0xFF];
const RESAVE: &str = "Open it in Excel and use Save As > 'CSV UTF-8 (Comma delimited) (*.csv)', or in PowerShell: Get-Content <file> | Set-Content -Encoding utf8 <new file>.";

/// The file's text.
pub fn decode(bytes: &[u8]) -> Result<String, Error> {
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(UTF16LE_BOM) {
        return utf16(UTF_16LE, rest, "UTF-16 LE");
    }
    if let Some(rest) = bytes.strip_prefix(UTF16BE_BOM) {
        return utf16(UTF_16BE, rest, "UTF-16 BE");
    }
    // UTF-16 without a byte order mark: ASCII text with every other byte zero.
    if bytes.len() >= 2 && bytes.iter().take(64).any(|b| *b == 0) {
        return Err(unsupported(
            "it looks like UTF-16 without a byte order mark",
        ));
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(unsupported(&format!(
            "byte {} is not UTF-8; the file was probably saved as ANSI (Windows-1252 or another code page)",
            e.valid_up_to() + 1
        ))),
    }
}

fn utf16(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    name: &str,
) -> Result<String, Error> {
    if !bytes.len().is_multiple_of(2) {
        return Err(unsupported(&format!(
            "it starts as {name} but has an odd number of bytes"
        )));
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| {
            unsupported(&format!(
                "it starts as {name} but holds invalid {name} text"
            ))
        })
}

fn unsupported(why: &str) -> Error {
    Error::invalid_argument(
        "IdentityMapEncodingUnsupported",
        PARAMETER,
        format!("The identity map's text encoding is not supported: {why}. {RESAVE}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { UTF16LE_BOM.to_vec() } else { vec![] };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn reads_every_form_excel_saves() {
        let text = "User,é,ü\r\n";
        assert_eq!(decode(text.as_bytes()).unwrap(), text);
        assert_eq!(decode(&[UTF8_BOM, text.as_bytes()].concat()).unwrap(), text);
        assert_eq!(decode(&utf16le(text, true)).unwrap(), text);
        let mut be = UTF16BE_BOM.to_vec();
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), text);
        assert_eq!(decode(b"").unwrap(), "");
    }

    #[test]
    fn other_encodings_are_refused_with_how_to_resave() {
        for bytes in [
            b"User,M\xFCller\r\n".to_vec(),
            utf16le("User,a", false),
            [UTF16LE_BOM, b"abc"].concat(),
            [UTF16LE_BOM, &[0x00, 0xD8, 0x41, 0x00][..]].concat(),
        ] {
            let error = decode(&bytes).unwrap_err();
            assert_eq!(error.id(), "IdentityMapEncodingUnsupported");
            assert_eq!(error.parameter(), Some(PARAMETER));
            assert!(error.message().contains("CSV UTF-8"), "{}", error.message());
        }
    }
}
