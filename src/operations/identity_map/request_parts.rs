//! How a checked map travels: in ONE `AddOrUpdateTenantIdentityMap` request whenever that
//! request fits the service's limit ([`MAX_REQUEST_BYTES`]), else in parts that each fit.
//!
//! One request is right whether the service replaces the map with each request or merges
//! them; parts are right only if it merges, which is not published (protocol.md §12). So parts
//! are sent only when the admin asks for them, and then read back (see `read_back`).

use super::COMMAND;
use super::file::PARAMETER;
use super::rows::MapItem;
use crate::connection::application_name;
use crate::csom::request::{MAX_REQUEST_BYTES, array_item_len};
use crate::csom::{MethodCall, Parameter};
use crate::error::Error;
use std::ops::Range;

/// The requests a map goes in: each a range of its items, with its size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPlan {
    pub parts: Vec<Range<usize>>,
    pub bytes: Vec<usize>,
    /// The size of the one request that would carry every item.
    pub whole_bytes: usize,
}

/// The upload request carrying `items`.
pub fn request(items: &[MapItem]) -> MethodCall {
    MethodCall::new(
        COMMAND,
        vec![Parameter::StringArray(
            items.iter().map(|item| item.item.clone()).collect(),
        )],
    )
}

/// The requests under the service's limit.
pub fn plan(items: &[MapItem]) -> Result<RequestPlan, Error> {
    plan_within(items, MAX_REQUEST_BYTES)
}

/// The requests of at most `limit` bytes each, filled in file order.
pub fn plan_within(items: &[MapItem], limit: usize) -> Result<RequestPlan, Error> {
    let empty = request(&[]).to_request_xml(application_name()).len();
    let mut plan = RequestPlan {
        parts: Vec::new(),
        bytes: Vec::new(),
        whole_bytes: empty,
    };
    let mut start = 0;
    let mut size = empty;
    for (index, item) in items.iter().enumerate() {
        let added = array_item_len(&item.item);
        if empty + added > limit {
            return Err(Error::invalid_argument(
                "IdentityMapRowTooLong",
                PARAMETER,
                format!(
                    "Line {} of the identity map is {added} bytes long in a request, more than SharePoint Online accepts in one request ({limit} bytes). Nothing was sent. Shorten it: a row holds two ids, two addresses or a name, and a type.",
                    item.line
                ),
            ));
        }
        if size + added > limit {
            plan.parts.push(start..index);
            plan.bytes.push(size);
            start = index;
            size = empty;
        }
        size += added;
        plan.whole_bytes += added;
    }
    if start < items.len() {
        plan.parts.push(start..items.len());
        plan.bytes.push(size);
    }
    Ok(plan)
}

/// About how many rows of this map fit in one request.
pub fn rows_that_fit(plan: &RequestPlan, rows: usize) -> usize {
    rows.saturating_mul(MAX_REQUEST_BYTES) / plan.whole_bytes.max(1)
}

/// Digits in groups of three, as the messages print counts and sizes: 2,097,152.
pub fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::identity_map::rows::Mapped;

    fn items(count: usize, width: usize) -> Vec<MapItem> {
        (0..count)
            .map(|n| MapItem {
                line: n + 1,
                item: "x".repeat(width),
                mapped: Mapped::User {
                    source: format!("u{n}@contoso.com"),
                    target: format!("u{n}@fabrikam.com"),
                },
            })
            .collect()
    }

    #[test]
    fn a_map_that_fits_is_one_request_of_its_exact_size() {
        let map = items(3, 10);
        let plan = plan(&map).unwrap();
        assert_eq!((plan.parts.len(), plan.parts[0].clone()), (1, 0..3));
        let exact = request(&map).to_request_xml(application_name()).len();
        assert_eq!((plan.bytes[0], plan.whole_bytes), (exact, exact));
        assert_eq!(
            plan_within(&[], 1000).unwrap().parts,
            Vec::<Range<usize>>::new()
        );
    }

    #[test]
    fn parts_are_filled_in_order_and_never_over_the_limit() {
        let map = items(10, 100);
        let empty = request(&[]).to_request_xml(application_name()).len();
        let item = array_item_len(&map[0].item);
        let limit = empty + 3 * item + item / 2;
        let plan = plan_within(&map, limit).unwrap();
        assert_eq!(plan.parts, vec![0..3, 3..6, 6..9, 9..10]);
        assert_eq!(
            plan.bytes,
            vec![
                empty + 3 * item,
                empty + 3 * item,
                empty + 3 * item,
                empty + item
            ]
        );
        for (part, bytes) in plan.parts.iter().zip(&plan.bytes) {
            assert_eq!(
                request(&map[part.clone()])
                    .to_request_xml(application_name())
                    .len(),
                *bytes
            );
        }
        assert_eq!(plan.whole_bytes, empty + 10 * item);
        let error = plan_within(&map, empty + item - 1).unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("IdentityMapRowTooLong", Some(PARAMETER))
        );
        assert!(error.message().starts_with("Line 1 "));
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(2_097_152), "2,097,152");
    }
}
