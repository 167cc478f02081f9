//! Writes the ProcessQuery XML for one method call on the Tenant object (protocol.md §4), and
//! knows the service's limit on the size of that XML.

use super::xml_text::{escape, escaped_len};
use std::fmt::Write as _;
use time::OffsetDateTime;
use uuid::Uuid;

/// The CSOM type id of `Microsoft.Online.SharePoint.TenantAdministration.Tenant` (confirmed).
pub const TENANT_TYPE_ID: &str = "{268004ae-ef6b-4e9b-8425-127220d84719}";
/// Request schema understood by SharePoint Online; others are rejected by the server.
pub const SCHEMA_VERSION: &str = "15.0.0.0";
/// The CSOM client library version the request claims to come from (not this library's
/// version); the server only uses it for telemetry.
pub const CLIENT_LIBRARY_VERSION: &str = "16.0.0.0";
/// Namespace of the CSOM request document.
pub const NAMESPACE: &str = "http://schemas.microsoft.com/sharepoint/clientquery/2009";

/// The largest request SharePoint Online takes: a bigger one is refused with HTTP 400, "The
/// request message is too big. The server does not allow messages larger than 2,097,152
/// bytes." (confirmed, protocol.md §12).
pub const MAX_REQUEST_BYTES: usize = 2_097_152;

/// Id of the Tenant constructor object path.
const TENANT_PATH_ID: u32 = 1;
/// Id of the action that materialises the Tenant object.
const TENANT_OBJECT_ACTION_ID: u32 = 2;
/// Id of the method action (or of the query of a client object list); the response echoes it
/// next to the method's return value.
pub const METHOD_ACTION_ID: u32 = 3;
/// Id of the object path of a method that returns a client object.
const METHOD_PATH_ID: u32 = 4;
/// Id of the action that materialises that client object.
const METHOD_OBJECT_ACTION_ID: u32 = 5;

/// The XML around each item of a `string[]` parameter.
const ARRAY_ITEM_OPEN: &str = r#"<Object Type="String">"#;
const ARRAY_ITEM_CLOSE: &str = "</Object>";

/// How a method's result comes back, which decides how CSOM asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallShape {
    /// A `<Method>` action: void, or a value (`ClientResult<T>`, `IList<string>`).
    Value,
    /// A `ClientObjectList<T>`: the method is an object path, and a `<Query>` asks for every
    /// property of the list and of its items (the answer's `_Child_Items_`).
    ObjectList,
}

/// One `<Parameter>` of a CSOM method call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parameter {
    /// Enums travel as their integer value.
    Enum(u32),
    String(String),
    Boolean(bool),
    Int32(i32),
    UInt32(u32),
    /// Written in braces, lower case: `{3f2c...}`.
    Guid(Uuid),
    /// Sent in UTC with milliseconds; `None` is .NET's `DateTime.MinValue`, which CSOM
    /// methods read as "not given".
    DateTime(Option<OffsetDateTime>),
    /// `string[]`: one `<Object Type="String">` per item.
    StringArray(Vec<String>),
}

/// How a `DateTime` parameter that was not given travels.
pub const DATE_TIME_NOT_GIVEN: &str = "0001-01-01T00:00:00.000Z";

impl Parameter {
    fn write(&self, xml: &mut String) {
        // Writing to a String cannot fail.
        let _ = match self {
            Parameter::Enum(value) => write!(xml, r#"<Parameter Type="Enum">{value}</Parameter>"#),
            Parameter::String(text) => write!(
                xml,
                r#"<Parameter Type="String">{}</Parameter>"#,
                escape(text)
            ),
            Parameter::Boolean(value) => {
                write!(xml, r#"<Parameter Type="Boolean">{value}</Parameter>"#)
            }
            Parameter::Int32(value) => {
                write!(xml, r#"<Parameter Type="Int32">{value}</Parameter>"#)
            }
            Parameter::UInt32(value) => {
                write!(xml, r#"<Parameter Type="UInt32">{value}</Parameter>"#)
            }
            Parameter::Guid(value) => write!(
                xml,
                r#"<Parameter Type="Guid">{{{}}}</Parameter>"#,
                value.hyphenated()
            ),
            Parameter::DateTime(value) => write!(
                xml,
                r#"<Parameter Type="DateTime">{}</Parameter>"#,
                value.map_or_else(|| DATE_TIME_NOT_GIVEN.to_owned(), utc_text)
            ),
            Parameter::StringArray(items) => {
                xml.push_str(r#"<Parameter Type="Array">"#);
                for item in items {
                    xml.push_str(ARRAY_ITEM_OPEN);
                    xml.push_str(&escape(item));
                    xml.push_str(ARRAY_ITEM_CLOSE);
                }
                xml.push_str("</Parameter>");
                Ok(())
            }
        };
    }
}

/// `yyyy-MM-ddTHH:mm:ss.fffZ` in UTC, the form CSOM reads without a time zone surprise.
pub fn utc_text(value: OffsetDateTime) -> String {
    // Callers pass UTC already; a date with no UTC form (end of year 9999) stays as is.
    let utc = value
        .checked_to_offset(time::UtcOffset::UTC)
        .unwrap_or(value);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// The bytes one item of a `string[]` parameter adds to a request.
pub fn array_item_len(item: &str) -> usize {
    ARRAY_ITEM_OPEN.len() + escaped_len(item) + ARRAY_ITEM_CLOSE.len()
}

/// A method call on the Tenant object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodCall {
    pub name: &'static str,
    pub parameters: Vec<Parameter>,
    pub shape: CallShape,
}

impl MethodCall {
    /// A call whose result is a value (or nothing): the common shape.
    pub fn new(name: &'static str, parameters: Vec<Parameter>) -> Self {
        MethodCall {
            name,
            parameters,
            shape: CallShape::Value,
        }
    }

    /// A call whose result is a client object list.
    pub fn object_list(name: &'static str, parameters: Vec<Parameter>) -> Self {
        MethodCall {
            name,
            parameters,
            shape: CallShape::ObjectList,
        }
    }

    /// The whole request document, ready to POST. The result is the answer's value for
    /// [`METHOD_ACTION_ID`] in either shape.
    pub fn to_request_xml(&self, application_name: &str) -> String {
        let mut xml = String::with_capacity(640);
        // Writing to a String cannot fail.
        let _ = write!(
            xml,
            r#"<Request xmlns="{NAMESPACE}" AddExpandoFieldTypeSuffix="true" SchemaVersion="{SCHEMA_VERSION}" LibraryVersion="{CLIENT_LIBRARY_VERSION}" ApplicationName="{}">"#,
            escape(application_name)
        );
        let _ = write!(
            xml,
            r#"<Actions><ObjectPath Id="{TENANT_OBJECT_ACTION_ID}" ObjectPathId="{TENANT_PATH_ID}" />"#
        );
        match self.shape {
            CallShape::Value => {
                let _ = write!(
                    xml,
                    r#"<Method Name="{}" Id="{METHOD_ACTION_ID}" ObjectPathId="{TENANT_PATH_ID}">"#,
                    escape(self.name)
                );
                self.write_parameters(&mut xml);
                let _ = write!(
                    xml,
                    r#"</Method></Actions><ObjectPaths><Constructor Id="{TENANT_PATH_ID}" TypeId="{TENANT_TYPE_ID}" /></ObjectPaths></Request>"#
                );
            }
            CallShape::ObjectList => {
                let _ = write!(
                    xml,
                    concat!(
                        r#"<ObjectPath Id="{object}" ObjectPathId="{path}" /><Query Id="{query}" ObjectPathId="{path}">"#,
                        r#"<Query SelectAllProperties="true"><Properties /></Query>"#,
                        r#"<ChildItemQuery SelectAllProperties="true"><Properties /></ChildItemQuery></Query></Actions>"#,
                        r#"<ObjectPaths><Constructor Id="{tenant}" TypeId="{type_id}" /><Method Id="{path}" ParentId="{tenant}" Name="{name}">"#
                    ),
                    object = METHOD_OBJECT_ACTION_ID,
                    path = METHOD_PATH_ID,
                    query = METHOD_ACTION_ID,
                    tenant = TENANT_PATH_ID,
                    type_id = TENANT_TYPE_ID,
                    name = escape(self.name)
                );
                self.write_parameters(&mut xml);
                xml.push_str("</Method></ObjectPaths></Request>");
            }
        }
        xml
    }

    fn write_parameters(&self, xml: &mut String) {
        if self.parameters.is_empty() {
            xml.push_str("<Parameters />");
        } else {
            xml.push_str("<Parameters>");
            for parameter in &self.parameters {
                parameter.write(xml);
            }
            xml.push_str("</Parameters>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_documented_envelope() {
        let call = MethodCall::new(
            "NewSPOTenantOrgRelation",
            vec![
                Parameter::Enum(1),
                Parameter::Enum(2),
                Parameter::String("https://contoso-my.sharepoint.com".into()),
            ],
        );
        let xml = call.to_request_xml("SPOCrossTenant PowerShell (0.1.0)");
        assert_eq!(
            xml,
            concat!(
                r#"<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="SPOCrossTenant PowerShell (0.1.0)">"#,
                r#"<Actions><ObjectPath Id="2" ObjectPathId="1" /><Method Name="NewSPOTenantOrgRelation" Id="3" ObjectPathId="1">"#,
                r#"<Parameters><Parameter Type="Enum">1</Parameter><Parameter Type="Enum">2</Parameter>"#,
                r#"<Parameter Type="String">https://contoso-my.sharepoint.com</Parameter></Parameters>"#,
                r#"</Method></Actions><ObjectPaths><Constructor Id="1" TypeId="{268004ae-ef6b-4e9b-8425-127220d84719}" /></ObjectPaths></Request>"#
            )
        );
    }

    #[test]
    fn escapes_string_parameters_and_application_name() {
        let call = MethodCall::new(
            "GetSPOTenantOrgRelationByPartner",
            vec![Parameter::String("https://a/?x=1&y=<2>".into())],
        );
        let xml = call.to_request_xml("A \"quoted\" & <odd> name");
        assert!(
            xml.contains(r#"<Parameter Type="String">https://a/?x=1&amp;y=&lt;2&gt;</Parameter>"#)
        );
        assert!(xml.contains(r#"ApplicationName="A &quot;quoted&quot; &amp; &lt;odd&gt; name""#));
    }

    #[test]
    fn writes_every_parameter_type_in_order() {
        let guid = Uuid::parse_str("3F2C0000-1111-2222-3333-444455556666").unwrap();
        let when = OffsetDateTime::from_unix_timestamp_nanos(1_796_169_600_123_456_789)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        let call = MethodCall::new(
            "M",
            vec![
                Parameter::Boolean(true),
                Parameter::Boolean(false),
                Parameter::Int32(-8),
                Parameter::UInt32(4_000_000_000),
                Parameter::Guid(guid),
                Parameter::DateTime(Some(when)),
                Parameter::DateTime(None),
                Parameter::StringArray(vec!["a&b".into(), "c".into()]),
                Parameter::StringArray(vec![]),
            ],
        );
        let xml = call.to_request_xml("x");
        assert!(
            xml.contains(concat!(
                r#"<Parameters><Parameter Type="Boolean">true</Parameter><Parameter Type="Boolean">false</Parameter>"#,
                r#"<Parameter Type="Int32">-8</Parameter><Parameter Type="UInt32">4000000000</Parameter>"#,
                r#"<Parameter Type="Guid">{3f2c0000-1111-2222-3333-444455556666}</Parameter>"#,
                r#"<Parameter Type="DateTime">2026-12-02T00:00:00.123Z</Parameter>"#,
                r#"<Parameter Type="DateTime">0001-01-01T00:00:00.000Z</Parameter>"#,
                r#"<Parameter Type="Array"><Object Type="String">a&amp;b</Object><Object Type="String">c</Object></Parameter>"#,
                r#"<Parameter Type="Array"></Parameter></Parameters>"#
            )),
            "{xml}"
        );
    }

    #[test]
    fn a_method_without_parameters_has_an_empty_parameters_element() {
        let call = MethodCall::new("GetMySiteHostUrl", vec![]);
        assert!(call.to_request_xml("x").contains(
            r#"<Method Name="GetMySiteHostUrl" Id="3" ObjectPathId="1"><Parameters /></Method>"#
        ));
    }

    #[test]
    fn an_object_list_is_a_method_path_queried_with_its_items() {
        let call = MethodCall::object_list(
            "GetTenantUserIdentityMappingItem",
            vec![Parameter::Enum(0), Parameter::String("a&b".into())],
        );
        assert_eq!(
            call.to_request_xml("x"),
            concat!(
                r#"<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="x">"#,
                r#"<Actions><ObjectPath Id="2" ObjectPathId="1" /><ObjectPath Id="5" ObjectPathId="4" /><Query Id="3" ObjectPathId="4">"#,
                r#"<Query SelectAllProperties="true"><Properties /></Query><ChildItemQuery SelectAllProperties="true"><Properties /></ChildItemQuery></Query></Actions>"#,
                r#"<ObjectPaths><Constructor Id="1" TypeId="{268004ae-ef6b-4e9b-8425-127220d84719}" />"#,
                r#"<Method Id="4" ParentId="1" Name="GetTenantUserIdentityMappingItem"><Parameters><Parameter Type="Enum">0</Parameter>"#,
                r#"<Parameter Type="String">a&amp;b</Parameter></Parameters></Method></ObjectPaths></Request>"#
            )
        );
    }

    #[test]
    fn an_array_item_adds_exactly_its_written_length() {
        let call = |items: Vec<String>| {
            MethodCall::new("M", vec![Parameter::StringArray(items)])
                .to_request_xml("x")
                .len()
        };
        let item = "User,a&b,<c>".to_owned();
        assert_eq!(
            call(vec![item.clone(), item.clone()]) - call(vec![]),
            2 * array_item_len(&item)
        );
    }
}
