//! The string the `GetSPOTenantOrgRelation*` methods return.
//!
//! The service's serialized format is unpublished. This is **our own definition**, and this
//! file is the only place that writes it: a JSON array (carried as a JSON *string* value in
//! the ProcessQuery answer) of objects like
//!
//! ```json
//! {"Scenario":"MnA","PartnerRole":"Target",
//!  "PartnerCrossTenantHostUrl":"http://127.0.0.1:PORT/fabrikam-my/",
//!  "CreatedTime":"2025-01-31T09:30:00Z"}
//! ```
//!
//! Enums are written by name, the URL with its trailing slash, the time as RFC 3339 UTC to
//! the second. Relations come in creation order; no relation gives `[]`.

use serde::Serialize;

use crate::tenant::Relation;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RelationRecord<'a> {
    scenario: &'a str,
    partner_role: &'a str,
    partner_cross_tenant_host_url: String,
    created_time: String,
}

/// Serializes relations into the list string.
pub fn serialize<'a>(relations: impl IntoIterator<Item = &'a Relation>) -> String {
    let records: Vec<RelationRecord> = relations
        .into_iter()
        .map(|relation| RelationRecord {
            scenario: relation.scenario.name(),
            partner_role: relation.partner_role.name(),
            partner_cross_tenant_host_url: relation.partner_host_url.with_trailing_slash(),
            created_time: humantime::format_rfc3339_seconds(relation.created).to_string(),
        })
        .collect();
    serde_json::to_string(&records).expect("plain records always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::host_url::HostUrl;
    use crate::wire::enums::{Role, Scenario};
    use std::time::{Duration, SystemTime};

    #[test]
    fn writes_the_documented_shape() {
        let relation = Relation {
            scenario: Scenario::MnA,
            partner_role: Role::Target,
            partner_host_url: HostUrl::parse("http://127.0.0.1:9000/fabrikam-my").unwrap(),
            created: SystemTime::UNIX_EPOCH + Duration::from_secs(1_738_315_800),
        };
        assert_eq!(
            serialize([&relation]),
            r#"[{"Scenario":"MnA","PartnerRole":"Target","PartnerCrossTenantHostUrl":"http://127.0.0.1:9000/fabrikam-my/","CreatedTime":"2025-01-31T09:30:00Z"}]"#
        );
    }

    #[test]
    fn no_relations_is_an_empty_array() {
        assert_eq!(serialize([]), "[]");
    }
}
