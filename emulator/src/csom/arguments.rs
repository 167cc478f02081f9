//! Reading a method's `<Parameter>` list into typed values, with the service's kinds of
//! failure: a wrong count or type is an invalid query, an enum number outside its range is
//! an `ArgumentException`.

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
