//! Uploading a checked identity map: the requests of its [`RequestPlan`] (one whenever the map
//! fits, see `request_parts`), one `AddOrUpdateTenantIdentityMap(string[])` call each, progress
//! as `Progress: <percent> <text>` lines, the server's rejections (`<index in that call>:
//! <reason>`) turned back into CSV line numbers, and then the read-back of the first and last
//! row of every request (`read_back`). The value is the summary JSON of [`Summary`]; a failure
//! after the service answered a request hands the summary back with the error, so the rows the
//! service refused are reported whatever happened next.

use super::read_back::{self, Sample};
use super::request_parts::{self, RequestPlan, thousands};
use super::rows::MapItem;
use crate::connection::Connection;
use crate::csom::request::METHOD_ACTION_ID;
use crate::error::{Error, ErrorKind};
use crate::operations::Outcome;
use crate::operations::migration_call::read_texts;
use crate::transport::Progress;
use serde::Serialize;
use std::collections::HashSet;

/// A checked map and the requests it goes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityMapUpload {
    items: Vec<MapItem>,
    plan: RequestPlan,
}

/// What the command returns (shape of docs/migration-wire.md): how many rows the file had, how
/// many the server took, each rejected row with its CSV line, how many requests carried the
/// map, and the rows read back afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub rows: usize,
    pub uploaded: usize,
    pub rejected: Vec<Rejection>,
    pub requests: usize,
    pub request_bytes: Vec<usize>,
    pub read_back: Vec<Sample>,
}

/// A row the server did not take, and the TraceCorrelationId of the answer that said so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub line: usize,
    pub item: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

impl IdentityMapUpload {
    /// The map's items, planned into requests under the service's limit.
    pub fn new(items: Vec<MapItem>) -> Result<Self, Error> {
        let plan = request_parts::plan(&items)?;
        Ok(IdentityMapUpload { items, plan })
    }

    /// Rows to upload.
    pub fn rows(&self) -> usize {
        self.items.len()
    }

    /// The map items, in file order.
    pub fn items(&self) -> &[MapItem] {
        &self.items
    }

    /// The requests it goes in.
    pub fn plan(&self) -> &RequestPlan {
        &self.plan
    }

    /// Uploads every request in order, then reads rows back; a failure stops the upload, says
    /// how far it got, and carries the summary of the requests the service answered.
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        let total = self.items.len();
        let requests = self.plan.parts.len();
        let mut summary = Summary {
            rows: total,
            uploaded: 0,
            rejected: Vec::new(),
            requests,
            request_bytes: self.plan.bytes.clone(),
            read_back: Vec::new(),
        };
        let mut correlation_id = None;
        for (number, part) in self.plan.parts.iter().enumerate() {
            let chunk = &self.items[part.clone()];
            progress.say(if requests == 1 {
                format!(
                    "Progress: 0 Uploading the identity map: {} rows in one request ({} bytes)",
                    thousands(total),
                    thousands(self.plan.bytes[0])
                )
            } else {
                format!(
                    "Progress: {} Uploading identity map rows {}-{} of {total} (request {} of {requests})",
                    part.start * 100 / total,
                    part.start + 1,
                    part.end,
                    number + 1
                )
            });
            let response = connection
                .process_query(&request_parts::request(chunk), progress)
                .await
                .map_err(|e| stopped_after(e, &summary, part.start))?;
            let mut rejections = read_texts(response.value_of(METHOD_ACTION_ID))
                .and_then(|texts| rejections(&texts, chunk))
                .map_err(|e| e.with_correlation_id(response.correlation_id.clone()))
                .map_err(|e| stopped_after(e, &summary, part.start))?;
            for rejection in &mut rejections {
                rejection.correlation_id = response.correlation_id.clone();
            }
            summary.uploaded += chunk.len() - rejections.len();
            summary.rejected.extend(rejections);
            correlation_id = response.correlation_id;
        }
        progress.say(format!(
            "Progress: 100 Uploaded {} of {total} identity map rows",
            summary.uploaded
        ));
        let refused: HashSet<usize> = summary.rejected.iter().map(|r| r.line).collect();
        summary.read_back = read_back::samples(&self.items, &self.plan, &refused);
        read_back::read(&mut summary.read_back, connection, progress)
            .await
            .and_then(|()| {
                read_back::confirm(&summary.read_back, &self.plan, &self.items)
                    .map_err(|e| e.with_correlation_id(correlation_id.clone()))
            })
            .map_err(|error| error.with_value(summary.to_json()))?;
        Ok(Outcome {
            value: summary.to_json(),
            correlation_id,
        })
    }
}

impl Summary {
    fn to_json(&self) -> String {
        // Serializing this plain struct cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The server's rejections of one call, each tied back to its row. One rejection per
/// item at most; an index outside the call is a malformed answer.
pub fn rejections(texts: &[String], chunk: &[MapItem]) -> Result<Vec<Rejection>, Error> {
    let mut found: Vec<Rejection> = Vec::with_capacity(texts.len());
    let mut seen = vec![false; chunk.len()];
    for text in texts {
        let parsed = text
            .split_once(':')
            .and_then(|(index, reason)| Some((index.trim().parse::<usize>().ok()?, reason.trim())));
        let Some((index, reason)) = parsed.filter(|(index, _)| *index < chunk.len()) else {
            return Err(Error::new(
                ErrorKind::InvalidResponse,
                "MalformedResponse",
                format!(
                    "The server's rejection '{text}' does not name one of the {} rows of its call (expected '<index>: <reason>').",
                    chunk.len()
                ),
            ));
        };
        if std::mem::replace(&mut seen[index], true) {
            continue;
        }
        found.push(Rejection {
            line: chunk[index].line,
            item: chunk[index].item.clone(),
            reason: reason.to_owned(),
            correlation_id: None,
        });
    }
    found.sort_by_key(|r| r.line);
    Ok(found)
}

/// A request that failed after `done` rows had gone in earlier requests: the error says so and
/// carries the summary of those requests (their refused rows).
fn stopped_after(error: Error, summary: &Summary, done: usize) -> Error {
    if done == 0 {
        return error;
    }
    error
        .with_note(&format!(
            "The first {done} of {} rows were sent before this failure. An upload replaces the tenant's map, so run the command again to send the whole map.",
            summary.rows
        ))
        .with_value(summary.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk() -> Vec<MapItem> {
        (0..3)
            .map(|i| MapItem {
                line: 10 + i,
                item: format!("item{i}"),
                mapped: super::super::rows::Mapped::User {
                    source: format!("u{i}@contoso.com"),
                    target: format!("u{i}@fabrikam.com"),
                },
            })
            .collect()
    }

    #[test]
    fn rejections_name_their_csv_line_and_item() {
        let found = rejections(
            &[
                "2: no such user in the target tenant".into(),
                "0 : bad".into(),
            ],
            &chunk(),
        )
        .unwrap();
        assert_eq!(
            found,
            vec![
                Rejection {
                    line: 10,
                    item: "item0".into(),
                    reason: "bad".into(),
                    correlation_id: None
                },
                Rejection {
                    line: 12,
                    item: "item2".into(),
                    reason: "no such user in the target tenant".into(),
                    correlation_id: None
                },
            ]
        );
        let json = serde_json::to_string(&Summary {
            rows: 3,
            uploaded: 1,
            rejected: found,
            requests: 1,
            request_bytes: vec![900],
            read_back: vec![],
        })
        .unwrap();
        assert!(json.starts_with(
            r#"{"rows":3,"uploaded":1,"rejected":[{"line":10,"item":"item0","reason":"bad"}"#
        ));
        assert!(json.ends_with(r#""requests":1,"requestBytes":[900],"readBack":[]}"#));
    }

    #[test]
    fn rejections_outside_the_call_are_malformed() {
        for bad in ["3: x", "-1: x", "x", "one: x", ""] {
            let error = rejections(&[bad.into()], &chunk()).unwrap_err();
            assert_eq!(error.id(), "MalformedResponse", "{bad}");
        }
    }
}
