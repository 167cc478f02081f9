//! Uploading a checked identity map: chunks of at most `CHUNK` (1,000) items, one ProcessQuery
//! call each (`AddOrUpdateTenantIdentityMap(string[])`), progress as `Progress: <percent>
//! <text>` lines, and the server's rejections (`<index in that call>: <reason>`) turned
//! back into CSV line numbers. The value is the summary JSON of [`Summary`].

use super::COMMAND;
use super::rows::MapItem;
use crate::connection::Connection;
use crate::csom::request::METHOD_ACTION_ID;
use crate::csom::{MethodCall, Parameter};
use crate::error::{Error, ErrorKind};
use crate::operations::Outcome;
use crate::operations::migration_call::read_texts;
use crate::transport::Progress;
use serde::Serialize;

/// Most items in one call: keeps each request small enough for the service's limits and
/// each retry cheap.
pub(crate) const CHUNK: usize = 1_000;

/// A checked map, ready to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityMapUpload {
    items: Vec<MapItem>,
}

/// What the command returns (inferred shape, docs/migration-wire.md): how many rows the
/// file had, how many the server took, and each rejected row with its CSV line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rows: usize,
    pub uploaded: usize,
    pub rejected: Vec<Rejection>,
}

/// A row the server did not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub line: usize,
    pub item: String,
    pub reason: String,
}

impl IdentityMapUpload {
    pub fn new(items: Vec<MapItem>) -> Self {
        IdentityMapUpload { items }
    }

    /// Rows to upload.
    pub fn rows(&self) -> usize {
        self.items.len()
    }

    /// The map items, in file order.
    pub fn items(&self) -> &[MapItem] {
        &self.items
    }

    /// Uploads every chunk in order; a failure stops the upload and says how far it got
    /// (the server merges by source key, so running the command again is safe).
    pub async fn run(
        &self,
        connection: &Connection,
        progress: &Progress,
    ) -> Result<Outcome, Error> {
        let total = self.items.len();
        let mut summary = Summary {
            rows: total,
            uploaded: 0,
            rejected: Vec::new(),
        };
        let mut correlation_id = None;
        for (number, chunk) in self.items.chunks(CHUNK).enumerate() {
            let done = number * CHUNK;
            progress.say(format!(
                "Progress: {} Uploading identity map rows {}-{} of {total}",
                done * 100 / total,
                done + 1,
                done + chunk.len()
            ));
            let call = MethodCall {
                name: COMMAND,
                parameters: vec![Parameter::StringArray(
                    chunk.iter().map(|item| item.item.clone()).collect(),
                )],
            };
            let response = connection
                .process_query(&call, progress)
                .await
                .map_err(|e| stopped_after(e, done, total))?;
            let rejections = read_texts(response.value_of(METHOD_ACTION_ID))
                .and_then(|texts| rejections(&texts, chunk))
                .map_err(|e| e.with_correlation_id(response.correlation_id.clone()))
                .map_err(|e| stopped_after(e, done, total))?;
            summary.uploaded += chunk.len() - rejections.len();
            summary.rejected.extend(rejections);
            correlation_id = response.correlation_id;
        }
        progress.say(format!(
            "Progress: 100 Uploaded {} of {total} identity map rows",
            summary.uploaded
        ));
        Ok(Outcome {
            // Serializing this plain struct cannot fail.
            value: serde_json::to_string(&summary).unwrap_or_default(),
            correlation_id,
        })
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
        });
    }
    found.sort_by_key(|r| r.line);
    Ok(found)
}

fn stopped_after(error: Error, done: usize, total: usize) -> Error {
    if done == 0 {
        return error;
    }
    error.with_note(&format!(
        "The first {done} of {total} rows were uploaded before this failure; the server merges rows by source key, so running the command again is safe."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk() -> Vec<MapItem> {
        (0..3)
            .map(|i| MapItem {
                line: 10 + i,
                item: format!("item{i}"),
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
                    reason: "bad".into()
                },
                Rejection {
                    line: 12,
                    item: "item2".into(),
                    reason: "no such user in the target tenant".into()
                },
            ]
        );
        let json = serde_json::to_string(&Summary {
            rows: 3,
            uploaded: 1,
            rejected: found,
        })
        .unwrap();
        assert!(json.starts_with(
            r#"{"rows":3,"uploaded":1,"rejected":[{"line":10,"item":"item0","reason":"bad"}"#
        ));
    }

    #[test]
    fn rejections_outside_the_call_are_malformed() {
        for bad in ["3: x", "-1: x", "x", "one: x", ""] {
            let error = rejections(&[bad.into()], &chunk()).unwrap_err();
            assert_eq!(error.id(), "MalformedResponse", "{bad}");
        }
    }
}
