//! Reading a method's `<Parameter>` list into typed values, with the service's kinds of
//! failure: a wrong count or type is an invalid query, an enum number outside its range is
//! an `ArgumentException`. Scalars are read with the service's tolerance: surrounding
//! whitespace is ignored, booleans in any case (or 1/0), GUIDs with or without braces.

use std::time::{Duration, SystemTime};

use uuid::Uuid;

use crate::csom::request::{Parameter, ParameterValue};
use crate::wire::status_codes::{Failure, FailureKind};

pub struct Arguments<'a> {
    method: &'a str,
    parameters: &'a [Parameter],
}

impl<'a> Arguments<'a> {
    /// Checks that exactly `count` parameters were sent.
    pub fn expect(
        method: &'a str,
        parameters: &'a [Parameter],
        count: usize,
    ) -> Result<Self, Failure> {
        if parameters.len() != count {
            return Err(Failure::invalid_query(format!(
                "The method {method} takes {count} parameter(s), but {} were sent.",
                parameters.len()
            )));
        }
        Ok(Arguments { method, parameters })
    }

    /// An enum parameter: `Type="Enum"` with an integer in range.
    pub fn enumeration<E>(
        &self,
        index: usize,
        parameter_name: &str,
        type_name: &str,
        from_number: fn(i64) -> Option<E>,
    ) -> Result<E, Failure> {
        let text = self.text_of(index, "Enum")?;
        let number: i64 = text.trim().parse().map_err(|_| {
            Failure::invalid_query(format!(
                "Parameter {} of {} must be an enum number, not '{text}'.",
                index + 1,
                self.method
            ))
        })?;
        from_number(number).ok_or_else(|| {
            Failure::new(
                FailureKind::InvalidArgument,
                format!("The value {number} is not defined in {type_name}.\r\nParameter name: {parameter_name}"),
            )
        })
    }

    /// A string parameter; `Type="Null"` reads as the empty string.
    pub fn string(&self, index: usize) -> Result<String, Failure> {
        if self.parameters[index].type_name == "Null" {
            return Ok(String::new());
        }
        self.text_of(index, "String").map(str::to_string)
    }

    /// A `Type="Boolean"` parameter: `true`/`false` in any case, or `1`/`0`.
    pub fn boolean(&self, index: usize) -> Result<bool, Failure> {
        let text = self.text_of(index, "Boolean")?;
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(self.unreadable(index, "a Boolean", text)),
        }
    }

    /// A `Type="Int32"` parameter.
    pub fn int32(&self, index: usize) -> Result<i32, Failure> {
        let text = self.text_of(index, "Int32")?;
        text.trim()
            .parse()
            .map_err(|_| self.unreadable(index, "an Int32", text))
    }

    /// A `Type="UInt32"` parameter.
    pub fn uint32(&self, index: usize) -> Result<u32, Failure> {
        let text = self.text_of(index, "UInt32")?;
        text.trim()
            .parse()
            .map_err(|_| self.unreadable(index, "a UInt32", text))
    }

    /// A `Type="Guid"` parameter (`{...}` or bare); `Type="Null"` reads as the nil GUID.
    pub fn guid(&self, index: usize) -> Result<Uuid, Failure> {
        if self.parameters[index].type_name == "Null" {
            return Ok(Uuid::nil());
        }
        let text = self.text_of(index, "Guid")?;
        Uuid::parse_str(text.trim()).map_err(|_| self.unreadable(index, "a Guid", text))
    }

    /// A `Type="DateTime"` parameter in UTC; `None` when "not given": the .NET default
    /// `0001-01-01T00:00:00` (any date before 1970 counts as that), or `Type="Null"`.
    pub fn date_time(&self, index: usize) -> Result<Option<SystemTime>, Failure> {
        if self.parameters[index].type_name == "Null" {
            return Ok(None);
        }
        let text = self.text_of(index, "DateTime")?;
        parse_date_time(text).ok_or_else(|| self.unreadable(index, "a DateTime", text))
    }

    /// A `Type="Array"` of `<Object Type="String">` items; `Null` items read as "".
    pub fn string_array(&self, index: usize) -> Result<Vec<String>, Failure> {
        let parameter = &self.parameters[index];
        let items = match (&parameter.value, parameter.type_name.as_str()) {
            (ParameterValue::Array(items), "Array") => items,
            // An empty array may come as `<Parameter Type="Array"></Parameter>` with only whitespace.
            (ParameterValue::Text(text), "Array") if text.trim().is_empty() => {
                return Ok(Vec::new());
            }
            _ => {
                return Err(Failure::invalid_query(format!(
                    "Parameter {} of {} must have type Array, not '{}'.",
                    index + 1,
                    self.method,
                    parameter.type_name
                )));
            }
        };
        items
            .iter()
            .map(|item| match (&item.value, item.type_name.as_str()) {
                (_, "Null") => Ok(String::new()),
                (ParameterValue::Text(text), "String") => Ok(text.clone()),
                _ => Err(Failure::invalid_query(format!(
                    "Parameter {} of {} must be an array of String, not of '{}'.",
                    index + 1,
                    self.method,
                    item.type_name
                ))),
            })
            .collect()
    }

    fn unreadable(&self, index: usize, what: &str, text: &str) -> Failure {
        Failure::invalid_query(format!(
            "Parameter {} of {} must be {what}, not '{text}'.",
            index + 1,
            self.method
        ))
    }

    fn text_of(&self, index: usize, expected_type: &str) -> Result<&'a str, Failure> {
        let parameter = &self.parameters[index];
        match &parameter.value {
            ParameterValue::Text(text) if parameter.type_name == expected_type => Ok(text),
            _ => Err(Failure::invalid_query(format!(
                "Parameter {} of {} must have type {expected_type}, not '{}'.",
                index + 1,
                self.method,
                parameter.type_name
            ))),
        }
    }
}

/// Reads a UTC date (`2026-12-02T00:00:00.000Z`, without `Z`, or with a space for `T`).
/// `Some(None)`: the "not given" default (a year before 1970); `None`: unreadable.
pub fn parse_date_time(text: &str) -> Option<Option<SystemTime>> {
    let text = text.trim();
    // The JSON form some CSOM clients use: `/Date(milliseconds since 1970)/`.
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        let milliseconds: i64 = inner.parse().ok()?;
        return Some(
            u64::try_from(milliseconds)
                .ok()
                .map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms)),
        );
    }
    let year: i64 = text.get(..4)?.parse().ok()?;
    if year < 1970 {
        return Some(None);
    }
    let parsed = humantime::parse_rfc3339_weak(text.trim_end_matches(['Z', 'z'])).ok()?;
    // Whole microseconds are plenty and keep the value printable.
    let since = parsed.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some(Some(
        SystemTime::UNIX_EPOCH + Duration::from_micros(since.as_micros() as u64),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::enums::Scenario;

    fn parameter(type_name: &str, text: &str) -> Parameter {
        Parameter {
            type_name: type_name.to_string(),
            value: ParameterValue::Text(text.to_string()),
        }
    }

    #[test]
    fn wrong_count_is_an_invalid_query() {
        let parameters = [parameter("Enum", "1")];
        let failure = Arguments::expect("M", &parameters, 3).err().unwrap();
        assert_eq!(failure.kind, FailureKind::InvalidClientQuery);
    }

    #[test]
    fn enums_are_read_and_range_checked() {
        let parameters = [
            parameter("Enum", " 1 "),
            parameter("Enum", "9"),
            parameter("Enum", "x"),
        ];
        let arguments = Arguments::expect("M", &parameters, 3).unwrap();
        let read = |index| {
            arguments.enumeration(
                index,
                "scenario",
                "OrgRelationScenario",
                Scenario::from_number,
            )
        };
        assert_eq!(read(0), Ok(Scenario::MnA));
        let out_of_range = read(1).unwrap_err();
        assert_eq!(out_of_range.kind, FailureKind::InvalidArgument);
        assert!(out_of_range.message.contains("Parameter name: scenario"));
        assert_eq!(read(2).unwrap_err().kind, FailureKind::InvalidClientQuery);
    }

    #[test]
    fn types_must_match() {
        let parameters = [
            parameter("String", "1"),
            parameter("Enum", "1"),
            parameter("Null", ""),
        ];
        let arguments = Arguments::expect("M", &parameters, 3).unwrap();
        let enum_from_string =
            arguments.enumeration(0, "scenario", "OrgRelationScenario", Scenario::from_number);
        assert_eq!(
            enum_from_string.unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
        assert_eq!(
            arguments.string(1).unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
        assert_eq!(arguments.string(2), Ok(String::new()));
        assert_eq!(arguments.string(0), Ok("1".to_string()));
    }

    #[test]
    fn scalars_of_the_migration_methods() {
        let parameters = [
            parameter("Boolean", " TRUE "),
            parameter("Boolean", "0"),
            parameter("Int32", "-3"),
            parameter("UInt32", "4000"),
            parameter("Guid", "{3F2C0000-0000-0000-0000-000000000001}"),
            parameter("DateTime", "2026-12-02T10:20:30.500Z"),
            parameter("DateTime", "0001-01-01T00:00:00.000Z"),
            parameter("Null", ""),
            parameter("Boolean", "maybe"),
            parameter("UInt32", "-1"),
            parameter("DateTime", "tomorrow"),
        ];
        let arguments = Arguments::expect("M", &parameters, 11).unwrap();
        assert_eq!(arguments.boolean(0), Ok(true));
        assert_eq!(arguments.boolean(1), Ok(false));
        assert_eq!(arguments.int32(2), Ok(-3));
        assert_eq!(arguments.uint32(3), Ok(4000));
        assert_eq!(
            arguments.guid(4).unwrap().to_string(),
            "3f2c0000-0000-0000-0000-000000000001"
        );
        let date = arguments.date_time(5).unwrap().unwrap();
        assert_eq!(
            humantime::format_rfc3339_millis(date).to_string(),
            "2026-12-02T10:20:30.500Z"
        );
        assert_eq!(arguments.date_time(6), Ok(None));
        assert_eq!(arguments.date_time(7), Ok(None));
        assert_eq!(arguments.guid(7), Ok(Uuid::nil()));
        for failure in [
            arguments.boolean(8).unwrap_err(),
            arguments.uint32(9).unwrap_err(),
            arguments.date_time(10).unwrap_err(),
            arguments.int32(0).unwrap_err(),
        ] {
            assert_eq!(failure.kind, FailureKind::InvalidClientQuery);
        }
    }

    #[test]
    fn date_forms() {
        let read = |text: &str| {
            parse_date_time(text).map(|date| {
                date.map(humantime::format_rfc3339_millis)
                    .map(|d| d.to_string())
            })
        };
        let expected = Some(Some("2026-12-02T10:20:30.123Z".to_string()));
        assert_eq!(read("2026-12-02T10:20:30.1234567Z"), expected);
        assert_eq!(read("2026-12-02T10:20:30.123"), expected);
        assert_eq!(read("2026-12-02 10:20:30.123Z"), expected);
        assert_eq!(read("/Date(1796206830123)/"), expected);
        assert_eq!(read("0001-01-01T00:00:00"), Some(None));
        assert_eq!(read("/Date(-62135596800000)/"), Some(None));
        assert_eq!(read("2026-13-02T10:20:30Z"), None);
        assert_eq!(read(""), None);
    }

    #[test]
    fn string_arrays() {
        let item = |type_name: &str, text: &str| parameter(type_name, text);
        let parameters = [
            Parameter {
                type_name: "Array".to_string(),
                value: ParameterValue::Array(vec![item("String", "a"), item("Null", "")]),
            },
            Parameter {
                type_name: "Array".to_string(),
                value: ParameterValue::Array(vec![item("Int32", "1")]),
            },
            parameter("String", "a"),
            parameter("Array", " "),
        ];
        let arguments = Arguments::expect("M", &parameters, 4).unwrap();
        assert_eq!(
            arguments.string_array(0),
            Ok(vec!["a".to_string(), String::new()])
        );
        assert!(arguments.string_array(1).is_err());
        assert!(arguments.string_array(2).is_err());
        assert_eq!(arguments.string_array(3), Ok(Vec::new()));
    }

    #[test]
    fn structured_values_are_rejected() {
        let parameters = [Parameter {
            type_name: "String".to_string(),
            value: ParameterValue::Structured,
        }];
        let arguments = Arguments::expect("M", &parameters, 1).unwrap();
        assert_eq!(
            arguments.string(0).unwrap_err().kind,
            FailureKind::InvalidClientQuery
        );
    }
}
