//! Property tests: the response parser survives any bytes, and escaped text survives a
//! round trip through a real XML parser.

use proptest::prelude::*;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use spo_crosstenant::csom::xml_text::{escape, is_xml_char};
use spo_crosstenant::csom::{odata_error, response};
use spo_crosstenant::operations::compatibility;
use spo_crosstenant::site_url;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        let _ = response::parse(&body, status);
    }

    #[test]
    fn arbitrary_json_arrays_never_panic(items in proptest::collection::vec(json_value(), 0..8)) {
        let body = serde_json::to_vec(&serde_json::Value::Array(items)).unwrap();
        let _ = response::parse(&body, 200);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_odata_error_reader(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = odata_error::parse(&body);
    }

    #[test]
    fn arbitrary_json_never_panics_the_compatibility_reader(value in json_value()) {
        let _ = compatibility::read_result(&value);
        let _ = compatibility::read_result(&serde_json::json!({ "d": value }));
    }

    #[test]
    fn arbitrary_text_never_panics_the_url_checks(text in "\\PC{0,80}") {
        let _ = site_url::partner_host_url(&text);
        let _ = site_url::admin_site_url(&text);
        let _ = compatibility::check_path(&text);
    }

    #[test]
    fn escaped_text_round_trips_through_an_xml_parser(text in "\\PC*") {
        let text: String = text.chars().filter(|c| is_xml_char(*c)).collect();
        let document = format!(r#"<p a="{}">{}</p>"#, escape(&text), escape(&text));
        let mut reader = Reader::from_str(&document);
        let mut attribute = None;
        let mut content = String::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Start(start) => {
                    let attr = start.try_get_attribute("a").unwrap().unwrap();
                    attribute = Some(attr.normalized_value(XmlVersion::Implicit1_0).unwrap().to_string());
                }
                Event::Text(t) => content.push_str(&t.into_inner()),
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => match r.into_inner().as_ref() {
                            "amp" => "&".to_string(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            other => panic!("unknown entity {other}"),
                        },
                    };
                    content.push_str(&resolved);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        prop_assert_eq!(attribute.unwrap(), text.clone());
        prop_assert_eq!(content, text);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|n| serde_json::json!(n)),
        "[a-zA-Z]{0,8}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::hash_map(
                prop_oneof![
                    Just("ErrorInfo".to_string()),
                    Just("TraceCorrelationId".to_string()),
                    Just("ErrorCode".to_string()),
                    Just("ErrorMessage".to_string()),
                    Just("XTenantMoveCompatibilityResult".to_string()),
                    Just("odata.error".to_string()),
                    "[a-z]{1,5}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
