//! Reading a ProcessQuery request body (the CSOM `<Request>` XML) into plain data.
//!
//! Only the shape is checked here; what the actions mean is decided in `dispatch`.
//! Anything we cannot read becomes an `InvalidClientQueryException` failure.

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::wire::status_codes::Failure;

/// One entry of `<Actions>`, in request order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// "Give me this object": answered with `{"IsNull":false}`.
    ObjectPath { id: i64, object_path_id: i64 },
    Method {
        id: i64,
        object_path_id: i64,
        name: String,
        parameters: Vec<Parameter>,
    },
    /// "Give me this object's properties": how a client object list is read. What it selects
    /// is not read; every property is answered.
    Query { id: i64, object_path_id: i64 },
    /// An action element we do not implement (`SetProperty`, ...).
    Unsupported { element: String },
}

/// One entry of `<ObjectPaths>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectPathDefinition {
    Constructor {
        type_id: String,
    },
    /// The object a method of another path returns (a client object list, for us).
    Method {
        parent_id: i64,
        name: String,
        parameters: Vec<Parameter>,
    },
    Unsupported {
        element: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The `Type` attribute: `Enum`, `String`, `Boolean`, `Null`, ...
    pub type_name: String,
    pub value: ParameterValue,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParameterValue {
    /// The text content, with entities and CDATA resolved.
    Text(String),
    /// A `Type="Array"` parameter: its `<Object Type="...">` items, in order.
    Array(Vec<Parameter>),
    /// The parameter held other child elements (an `Object` with fields, nested arrays);
    /// none of our methods take one.
    Structured,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientRequest {
    pub schema_version: Option<String>,
    pub actions: Vec<Action>,
    pub object_paths: Vec<(i64, ObjectPathDefinition)>,
}

impl ClientRequest {
    pub fn object_path(&self, id: i64) -> Option<&ObjectPathDefinition> {
        self.object_paths
            .iter()
            .find(|(path_id, _)| *path_id == id)
            .map(|(_, definition)| definition)
    }

    /// The method names, for the request log: methods called by an action, then methods
    /// whose result an action queries.
    pub fn method_names(&self) -> Vec<&str> {
        let called = self.actions.iter().filter_map(|action| match action {
            Action::Method { name, .. } => Some(name.as_str()),
            _ => None,
        });
        let queried = self.actions.iter().filter_map(|action| match action {
            Action::Query { object_path_id, .. } => match self.object_path(*object_path_id) {
                Some(ObjectPathDefinition::Method { name, .. }) => Some(name.as_str()),
                _ => None,
            },
            _ => None,
        });
        called.chain(queried).collect()
    }
}

/// A method whose `<Parameters>` we are still reading.
struct OpenMethod {
    id: i64,
    /// An action's object path, or an object path's parent.
    object_path_id: i64,
    /// An object path (`<ObjectPaths><Method>`) rather than an action.
    is_path: bool,
    name: String,
    parameters: Vec<Parameter>,
    /// How many elements were open once `<Method>` was, to spot its end tag.
    depth: usize,
}

/// A parameter whose content we are still reading.
struct OpenParameter {
    type_name: String,
    text: String,
    structured: bool,
    depth: usize,
    /// The finished items of an `Array`.
    items: Vec<Parameter>,
    /// The `<Object>` item being read: its type, text and depth.
    item: Option<(String, String, usize)>,
}

/// Parses the request body.
pub fn parse(body: &[u8]) -> Result<ClientRequest, Failure> {
    let text = std::str::from_utf8(body)
        .map_err(|_| Failure::invalid_query("The request body is not UTF-8 text."))?;
    let mut reader = Reader::from_str(text.trim_start_matches('\u{feff}'));
    let mut parser = Parser::default();
    loop {
        let event = reader.read_event().map_err(|error| {
            Failure::invalid_query(format!(
                "The request XML is malformed near byte {}: {error}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(element) => parser.open(&element, false)?,
            Event::Empty(element) => parser.open(&element, true)?,
            Event::End(_) => parser.close(),
            Event::Text(text) => parser.text(&text.xml10_content()),
            Event::CData(data) => parser.text(&data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    reference
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                } else {
                    resolve_predefined_entity(&reference).map(String::from)
                };
                let Some(resolved) = resolved else {
                    return Err(Failure::invalid_query(format!(
                        "The request XML uses an unknown entity '&{};'.",
                        &*reference
                    )));
                };
                parser.text(&resolved);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    parser.finish()
}

#[derive(Default)]
struct Parser {
    request: ClientRequest,
    open_elements: Vec<String>,
    method: Option<OpenMethod>,
    parameter: Option<OpenParameter>,
    saw_root: bool,
}

impl Parser {
    fn open(&mut self, element: &BytesStart, self_closing: bool) -> Result<(), Failure> {
        let name = String::from(element.local_name().as_ref());
        let depth = self.open_elements.len() + 1;
        if let Some(parameter) = self.parameter.as_mut() {
            let array_item = parameter.type_name == "Array"
                && name == "Object"
                && depth == parameter.depth + 1
                && parameter.item.is_none();
            if array_item {
                let type_name = attribute(element, "Type")?.unwrap_or_default();
                if self_closing {
                    parameter.items.push(Parameter {
                        type_name,
                        value: ParameterValue::Text(String::new()),
                    });
                } else {
                    parameter.item = Some((type_name, String::new(), depth));
                }
            } else {
                // Other child elements (object fields, nested arrays) make it structured.
                parameter.structured = true;
            }
        } else {
            let parent = self.open_elements.last().map(String::as_str);
            match (parent, name.as_str()) {
                (None, "Request") if !self.saw_root => {
                    self.saw_root = true;
                    self.request.schema_version = attribute(element, "SchemaVersion")?;
                }
                (None, other) => {
                    return Err(Failure::invalid_query(format!(
                        "The request must hold exactly one <Request> element, found <{other}>."
                    )));
                }
                (Some("Actions"), "ObjectPath") => self.request.actions.push(Action::ObjectPath {
                    id: number_attribute(element, "Id")?,
                    object_path_id: number_attribute(element, "ObjectPathId")?,
                }),
                (Some("Actions"), "Method") => {
                    self.open_method(element, "ObjectPathId", false, depth, self_closing)?;
                }
                (Some("Actions"), "Query") => self.request.actions.push(Action::Query {
                    id: number_attribute(element, "Id")?,
                    object_path_id: number_attribute(element, "ObjectPathId")?,
                }),
                (Some("Actions"), other) => self.request.actions.push(Action::Unsupported {
                    element: other.to_string(),
                }),
                (Some("Parameters"), "Parameter") if self.method.is_some() => {
                    self.parameter = Some(OpenParameter {
                        type_name: attribute(element, "Type")?.unwrap_or_default(),
                        text: String::new(),
                        structured: false,
                        depth,
                        items: Vec::new(),
                        item: None,
                    });
                    if self_closing {
                        self.finish_parameter();
                    }
                }
                (Some("ObjectPaths"), "Method") => {
                    self.open_method(element, "ParentId", true, depth, self_closing)?;
                }
                (Some("ObjectPaths"), other) => {
                    let id = number_attribute(element, "Id")?;
                    let definition = if other == "Constructor" {
                        ObjectPathDefinition::Constructor {
                            type_id: required_attribute(element, "TypeId")?,
                        }
                    } else {
                        ObjectPathDefinition::Unsupported {
                            element: other.to_string(),
                        }
                    };
                    self.request.object_paths.push((id, definition));
                }
                // Containers (<Actions>, <Parameters>, <ObjectPaths>) and anything else.
                _ => {}
            }
        }
        if !self_closing {
            self.open_elements.push(name);
        }
        Ok(())
    }

    /// A `<Method>`: an action on the object path `ObjectPathId`, or an object path below `ParentId`.
    fn open_method(
        &mut self,
        element: &BytesStart,
        path_attribute: &str,
        is_path: bool,
        depth: usize,
        self_closing: bool,
    ) -> Result<(), Failure> {
        self.method = Some(OpenMethod {
            id: number_attribute(element, "Id")?,
            object_path_id: number_attribute(element, path_attribute)?,
            is_path,
            name: required_attribute(element, "Name")?,
            parameters: Vec::new(),
            depth,
        });
        if self_closing {
            self.finish_method();
        }
        Ok(())
    }

    fn close(&mut self) {
        let depth = self.open_elements.len();
        self.open_elements.pop();
        if let Some(parameter) = self.parameter.as_mut()
            && parameter.item.as_ref().is_some_and(|item| item.2 == depth)
        {
            let (type_name, text, _) = parameter.item.take().unwrap_or_default();
            parameter.items.push(Parameter {
                type_name,
                value: ParameterValue::Text(text),
            });
        } else if self.parameter.as_ref().is_some_and(|p| p.depth == depth) {
            self.finish_parameter();
        } else if self.method.as_ref().is_some_and(|m| m.depth == depth) {
            self.finish_method();
        }
    }

    fn text(&mut self, text: &str) {
        let depth = self.open_elements.len();
        let Some(parameter) = self.parameter.as_mut() else {
            return;
        };
        match parameter.item.as_mut() {
            Some(item) if item.2 == depth => item.1.push_str(text),
            Some(_) => {}
            None if parameter.depth == depth => parameter.text.push_str(text),
            None => {}
        }
    }

    fn finish_parameter(&mut self) {
        let Some(open) = self.parameter.take() else {
            return;
        };
        let value = if open.structured {
            ParameterValue::Structured
        } else if open.type_name == "Array" {
            ParameterValue::Array(open.items)
        } else {
            ParameterValue::Text(open.text)
        };
        if let Some(method) = self.method.as_mut() {
            method.parameters.push(Parameter {
                type_name: open.type_name,
                value,
            });
        }
    }

    fn finish_method(&mut self) {
        let Some(open) = self.method.take() else {
            return;
        };
        if open.is_path {
            self.request.object_paths.push((
                open.id,
                ObjectPathDefinition::Method {
                    parent_id: open.object_path_id,
                    name: open.name,
                    parameters: open.parameters,
                },
            ));
        } else {
            self.request.actions.push(Action::Method {
                id: open.id,
                object_path_id: open.object_path_id,
                name: open.name,
                parameters: open.parameters,
            });
        }
    }

    fn finish(self) -> Result<ClientRequest, Failure> {
        if !self.saw_root {
            return Err(Failure::invalid_query(
                "The request body holds no <Request> element.",
            ));
        }
        if !self.open_elements.is_empty() {
            return Err(Failure::invalid_query(
                "The request XML ends before all its elements are closed.",
            ));
        }
        Ok(self.request)
    }
}

fn attribute(element: &BytesStart, key: &str) -> Result<Option<String>, Failure> {
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|error| {
            Failure::invalid_query(format!("A request XML attribute is malformed: {error}"))
        })?;
        if attribute.key.local_name().as_ref() == key {
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|error| {
                    Failure::invalid_query(format!("The attribute {key} is malformed: {error}"))
                })?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

fn required_attribute(element: &BytesStart, key: &str) -> Result<String, Failure> {
    attribute(element, key)?.ok_or_else(|| {
        Failure::invalid_query(format!(
            "The element <{}> lacks its {key} attribute.",
            element.local_name().as_ref()
        ))
    })
}

fn number_attribute(element: &BytesStart, key: &str) -> Result<i64, Failure> {
    let text = required_attribute(element, key)?;
    text.trim().parse().map_err(|_| {
        Failure::invalid_query(format!(
            "The {key} attribute of <{}> must be a number, not '{text}'.",
            element.local_name().as_ref()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::status_codes::FailureKind;

    const TENANT: &str = "{268004ae-ef6b-4e9b-8425-127220d84719}";

    fn request_with(actions: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="test">
  <Actions>{actions}</Actions>
  <ObjectPaths><Constructor Id="1" TypeId="{TENANT}" /></ObjectPaths>
</Request>"#
        )
    }

    fn text(value: &str) -> ParameterValue {
        ParameterValue::Text(value.to_string())
    }

    #[test]
    fn reads_the_documented_request() {
        let body = request_with(
            r#"<ObjectPath Id="2" ObjectPathId="1" />
            <Method Name="NewSPOTenantOrgRelation" Id="3" ObjectPathId="1">
              <Parameters>
                <Parameter Type="Enum">1</Parameter>
                <Parameter Type="Enum">2</Parameter>
                <Parameter Type="String">https://contoso-my.sharepoint.com</Parameter>
              </Parameters>
            </Method>"#,
        );
        let request = parse(body.as_bytes()).unwrap();
        assert_eq!(request.schema_version.as_deref(), Some("15.0.0.0"));
        assert_eq!(
            request.actions[0],
            Action::ObjectPath {
                id: 2,
                object_path_id: 1
            }
        );
        let Action::Method {
            id,
            object_path_id,
            name,
            parameters,
        } = &request.actions[1]
        else {
            panic!("expected a method, got {:?}", request.actions[1]);
        };
        assert_eq!(
            (*id, *object_path_id, name.as_str()),
            (3, 1, "NewSPOTenantOrgRelation")
        );
        let values: Vec<_> = parameters
            .iter()
            .map(|p| (p.type_name.as_str(), p.value.clone()))
            .collect();
        assert_eq!(
            values,
            vec![
                ("Enum", text("1")),
                ("Enum", text("2")),
                ("String", text("https://contoso-my.sharepoint.com")),
            ]
        );
        assert_eq!(
            request.object_path(1),
            Some(&ObjectPathDefinition::Constructor {
                type_id: TENANT.to_string()
            })
        );
        assert_eq!(request.method_names(), vec!["NewSPOTenantOrgRelation"]);
    }

    #[test]
    fn resolves_entities_character_references_and_cdata() {
        let body = request_with(
            r#"<Method Name="GetSPOTenantOrgRelationByPartner" Id="3" ObjectPathId="1"><Parameters>
            <Parameter Type="String">a&amp;b&lt;c&gt;&quot;&apos;&#65;&#x42;<![CDATA[<raw & text>]]></Parameter>
            </Parameters></Method>"#,
        );
        let request = parse(body.as_bytes()).unwrap();
        let Action::Method { parameters, .. } = &request.actions[0] else {
            panic!("expected a method");
        };
        assert_eq!(parameters[0].value, text("a&b<c>\"'AB<raw & text>"));
    }

    #[test]
    fn keeps_several_actions_in_order() {
        let body = request_with(
            r#"<ObjectPath Id="2" ObjectPathId="1" />
            <Method Name="GetMySiteHostUrl" Id="3" ObjectPathId="1" />
            <Method Name="GetSPOTenantOrgRelationAll" Id="4" ObjectPathId="1"><Parameters /></Method>
            <SetProperty Id="5" ObjectPathId="1" Name="X" />"#,
        );
        let request = parse(body.as_bytes()).unwrap();
        assert_eq!(request.actions.len(), 4);
        assert_eq!(
            request.method_names(),
            vec!["GetMySiteHostUrl", "GetSPOTenantOrgRelationAll"]
        );
        assert_eq!(
            request.actions[3],
            Action::Unsupported {
                element: "SetProperty".to_string()
            }
        );
    }

    #[test]
    fn reads_a_client_object_list_query_of_a_method_path() {
        let body = r#"<Request SchemaVersion="15.0.0.0"><Actions><ObjectPath Id="2" ObjectPathId="1" /><ObjectPath Id="5" ObjectPathId="4" />
            <Query Id="3" ObjectPathId="4"><Query SelectAllProperties="true"><Properties /></Query><ChildItemQuery SelectAllProperties="true"><Properties /></ChildItemQuery></Query></Actions>
            <ObjectPaths><Constructor Id="1" TypeId="{x}" /><Method Id="4" ParentId="1" Name="GetTenantUserIdentityMappingItem"><Parameters>
            <Parameter Type="Enum">0</Parameter><Parameter Type="String">a@b.com</Parameter></Parameters></Method>
            <Method Id="6" ParentId="1" Name="Other" /></ObjectPaths></Request>"#;
        let request = parse(body.as_bytes()).unwrap();
        assert_eq!(
            request.actions[2],
            Action::Query {
                id: 3,
                object_path_id: 4
            }
        );
        let Some(ObjectPathDefinition::Method {
            parent_id,
            name,
            parameters,
        }) = request.object_path(4)
        else {
            panic!("a method path: {:?}", request.object_path(4));
        };
        assert_eq!(
            (*parent_id, name.as_str()),
            (1, "GetTenantUserIdentityMappingItem")
        );
        assert_eq!(parameters[1].value, text("a@b.com"));
        assert!(matches!(
            request.object_path(6),
            Some(ObjectPathDefinition::Method { parameters, .. }) if parameters.is_empty()
        ));
        assert_eq!(
            request.method_names(),
            vec!["GetTenantUserIdentityMappingItem"]
        );
    }

    #[test]
    fn arrays_keep_their_items_in_order() {
        let body = request_with(
            r#"<Method Name="X" Id="3" ObjectPathId="1"><Parameters>
            <Parameter Type="Array">
              <Object Type="String">a,&amp;b</Object><Object Type="String"><![CDATA[c<d]]></Object>
              <Object Type="Null" /><Object Type="String"></Object>
            </Parameter>
            <Parameter Type="Array" />
            </Parameters></Method>"#,
        );
        let request = parse(body.as_bytes()).unwrap();
        let Action::Method { parameters, .. } = &request.actions[0] else {
            panic!("expected a method");
        };
        let ParameterValue::Array(items) = &parameters[0].value else {
            panic!("expected an array: {:?}", parameters[0]);
        };
        let texts: Vec<_> = items
            .iter()
            .map(|item| (item.type_name.as_str(), item.value.clone()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("String", text("a,&b")),
                ("String", text("c<d")),
                ("Null", text("")),
                ("String", text("")),
            ]
        );
        assert_eq!(parameters[1].value, ParameterValue::Array(Vec::new()));
    }

    #[test]
    fn structured_and_empty_parameters_are_recognized() {
        let body = request_with(
            r#"<Method Name="X" Id="3" ObjectPathId="1"><Parameters>
            <Parameter Type="Array"><Object Type="String"><Property Name="x">a</Property></Object></Parameter>
            <Parameter Type="Null" />
            <Parameter Type="String"></Parameter>
            </Parameters></Method>"#,
        );
        let request = parse(body.as_bytes()).unwrap();
        let Action::Method { parameters, .. } = &request.actions[0] else {
            panic!("expected a method");
        };
        assert_eq!(parameters.len(), 3);
        assert_eq!(parameters[0].value, ParameterValue::Structured);
        assert_eq!(parameters[1].type_name, "Null");
        assert_eq!(parameters[1].value, text(""));
        assert_eq!(parameters[2].value, text(""));
    }

    #[test]
    fn other_object_path_kinds_are_kept_as_unsupported() {
        let body = r#"<Request SchemaVersion="15.0.0.0"><Actions /><ObjectPaths>
            <StaticProperty Id="7" TypeId="{x}" Name="Current" /></ObjectPaths></Request>"#;
        let request = parse(body.as_bytes()).unwrap();
        assert_eq!(
            request.object_path(7),
            Some(&ObjectPathDefinition::Unsupported {
                element: "StaticProperty".to_string()
            })
        );
    }

    #[test]
    fn malformed_bodies_are_invalid_client_queries() {
        for body in [
            "",
            "not xml at all",
            "<Request SchemaVersion=\"15.0.0.0\"><Actions>",
            "<Request><Actions></Request>",
            "<Other />",
            "<Request /><Request />",
            &request_with(r#"<Method Name="X" Id="three" ObjectPathId="1" />"#),
            &request_with(r#"<Method Id="3" ObjectPathId="1" />"#),
            &request_with(
                r#"<Method Name="X" Id="3" ObjectPathId="1"><Parameters><Parameter Type="String">&bogus;</Parameter></Parameters></Method>"#,
            ),
        ] {
            let failure = parse(body.as_bytes()).unwrap_err();
            assert_eq!(failure.kind, FailureKind::InvalidClientQuery, "{body}");
        }
        let failure = parse(&[0xff, 0xfe, 0x00]).unwrap_err();
        assert_eq!(failure.kind, FailureKind::InvalidClientQuery);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn escape(text: &str) -> String {
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        }

        fn string_parameter_of(body: &str) -> ParameterValue {
            let request = parse(body.as_bytes()).unwrap();
            let Action::Method { parameters, .. } = &request.actions[0] else {
                panic!("expected a method");
            };
            parameters[0].value.clone()
        }

        proptest! {
            #[test]
            fn never_panics_on_arbitrary_bytes(body in proptest::collection::vec(any::<u8>(), 0..300)) {
                let _ = parse(&body);
            }

            #[test]
            fn never_panics_on_xml_like_text(body in "[<>/=\"a-zA-Z &;#x0-9!\\[\\]]{0,200}") {
                let _ = parse(body.as_bytes());
            }

            // Carriage returns are left out: XML turns them into line feeds.
            #[test]
            fn escaped_strings_come_back_unchanged(value in "[ -~\u{a0}-\u{2fff}\n\t]{0,60}") {
                let method = format!(
                    r#"<Method Name="M" Id="3" ObjectPathId="1"><Parameters><Parameter Type="String">{}</Parameter></Parameters></Method>"#,
                    escape(&value)
                );
                prop_assert_eq!(string_parameter_of(&request_with(&method)), text(&value));
            }

            #[test]
            fn cdata_strings_come_back_unchanged(value in "[ -~\u{a0}-\u{2fff}\n\t]{0,60}") {
                prop_assume!(!value.contains("]]>"));
                let method = format!(
                    r#"<Method Name="M" Id="3" ObjectPathId="1"><Parameters><Parameter Type="String"><![CDATA[{value}]]></Parameter></Parameters></Method>"#
                );
                prop_assert_eq!(string_parameter_of(&request_with(&method)), text(&value));
            }
        }
    }
}
