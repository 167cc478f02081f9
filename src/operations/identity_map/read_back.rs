//! After an upload, rows are read back from the tenant's map through the single-entry look-ups
//! (`GetTenantUserIdentityMappingItem` by SourceUserKey, `GetTenantGroupIdentityMappingItem`
//! by SourceGroupObjectId): the first and the last row the service took of every request.
//!
//! After one request this confirms that the map is in place. After several (the admin asked
//! for parts), a part whose sampled rows are gone was replaced by a later one: the service
//! keeps only the last map it was sent, and the upload fails naming the parts that are gone.
//!
//! Whether the service applies an uploaded map before it answers is not published, so rows not
//! found at first are looked up again after short waits ([`READ_BACK_WAITS`]) before the
//! upload is declared incomplete.

use super::entry_calls::Lookup;
use super::request_parts::{RequestPlan, rows_that_fit, thousands};
use super::rows::{MapItem, Mapped};
use crate::connection::Connection;
use crate::csom::{TenantIdentityMappingGroupField, TenantIdentityMappingUserField};
use crate::error::{Error, ErrorKind};
use crate::transport::Progress;
use serde::Serialize;
use std::collections::HashSet;
use std::time::Duration;

/// The waits before each further look-up of the rows not found yet; their sum (3 s) bounds how
/// long an upload waits for a service that applies its map a moment after answering.
pub const READ_BACK_WAITS: &[Duration] = &[Duration::from_secs(1), Duration::from_secs(2)];

/// A row read back: which request carried it, its CSV line and source key, and whether the
/// tenant's map holds it (the same key mapped to the same target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub part: usize,
    pub line: usize,
    pub key: String,
    pub found: bool,
    #[serde(skip)]
    mapped: Mapped,
}

/// The rows to read back: the first and last row of each request that the service took
/// (`refused` holds the lines it did not).
pub fn samples(items: &[MapItem], plan: &RequestPlan, refused: &HashSet<usize>) -> Vec<Sample> {
    let mut samples = Vec::with_capacity(plan.parts.len() * 2);
    for (number, part) in plan.parts.iter().enumerate() {
        let taken: Vec<&MapItem> = items[part.clone()]
            .iter()
            .filter(|item| !refused.contains(&item.line))
            .collect();
        let ends = match (taken.first(), taken.last()) {
            (Some(first), Some(last)) if first.line != last.line => vec![*first, *last],
            (Some(only), _) => vec![*only],
            _ => vec![],
        };
        samples.extend(ends.into_iter().map(|item| Sample {
            part: number + 1,
            line: item.line,
            key: key_of(&item.mapped),
            found: false,
            mapped: item.mapped.clone(),
        }));
    }
    samples
}

/// Looks each sample up in the tenant's map; the ones not found are looked up again after each
/// of [`READ_BACK_WAITS`] (progress says so, which -Verbose shows), until all are found.
pub async fn read(
    samples: &mut [Sample],
    connection: &Connection,
    progress: &Progress,
) -> Result<(), Error> {
    look_up(samples.iter_mut(), connection, progress).await?;
    for wait in READ_BACK_WAITS {
        let missing = samples.iter().filter(|s| !s.found).count();
        if missing == 0 {
            break;
        }
        progress.say(format!(
            "{missing} row(s) read back are not in the tenant's identity map yet; looking again in {} s, in case the service applies the upload a moment later (up to {} s in all).",
            wait.as_secs(),
            patience().as_secs()
        ));
        tokio::time::sleep(*wait).await;
        look_up(
            samples.iter_mut().filter(|s| !s.found),
            connection,
            progress,
        )
        .await?;
    }
    Ok(())
}

/// How long the read-back waits in all for rows it did not find at first.
fn patience() -> Duration {
    READ_BACK_WAITS.iter().sum()
}

async fn look_up(
    samples: impl Iterator<Item = &mut Sample>,
    connection: &Connection,
    progress: &Progress,
) -> Result<(), Error> {
    for sample in samples {
        progress.say(format!(
            "Progress: 100 Reading back line {} ({}) from the tenant's identity map",
            sample.line, sample.key
        ));
        let lookup = match &sample.mapped {
            Mapped::User { source, .. } => Lookup::users(
                TenantIdentityMappingUserField::SourceUserKey,
                source.clone(),
            ),
            Mapped::Group { source, .. } => Lookup::groups(
                TenantIdentityMappingGroupField::SourceGroupObjectId,
                source.to_string(),
            ),
        };
        let (entries, _) = lookup.find(connection, progress).await.map_err(|e| {
            e.with_note("The map was uploaded; reading it back to confirm it is in place failed. Look with Get-SPOTenantIdentityMappingUser -Field SourceUserKey -Value <a source UPN of the map>.")
        })?;
        sample.found = entries.holds(&sample.mapped);
    }
    Ok(())
}

/// Fails when a sampled row is not in the tenant's map, naming the requests whose rows are gone.
pub fn confirm(samples: &[Sample], plan: &RequestPlan, items: &[MapItem]) -> Result<(), Error> {
    let missing: Vec<&Sample> = samples.iter().filter(|s| !s.found).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let rows = missing
        .iter()
        .map(|s| format!("line {} ({})", s.line, s.key))
        .collect::<Vec<_>>()
        .join(", ");
    let count = plan.parts.len();
    if count == 1 {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            "IdentityMapNotInPlace",
            format!(
                "The identity map was uploaded in one request, but reading it back did not find {rows} in the tenant's map (or found it mapped to another target), also after waiting {} s. Upload the map again; if the rows are still missing, open a support case with the TraceCorrelationId of the upload.",
                patience().as_secs()
            ),
        ));
    }
    let mut lost: Vec<usize> = missing.iter().map(|s| s.part).collect();
    lost.dedup();
    let parts = lost
        .iter()
        .map(|&part| {
            let range = &plan.parts[part - 1];
            format!(
                "part {part} (lines {}-{})",
                items[range.start].line,
                items[range.end - 1].line
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let kept: Vec<String> = (1..=count)
        .filter(|part| !lost.contains(part))
        .map(|part| part.to_string())
        .collect();
    let fit = rows_that_fit(plan, items.len());
    Err(Error::new(
        ErrorKind::InvalidResponse,
        "IdentityMapPartsLost",
        format!(
            "The identity map went in {count} requests, and {} of them are gone from the tenant's map: {parts}. Reading back the first and last row of every part did not find {rows}. The service keeps only the last map it was sent{}, so a map this large cannot be uploaded in parts: split the migration into waves whose maps fit in one request (up to about {} rows each) and upload each wave's map before starting its moves.",
            lost.len(),
            if kept.is_empty() {
                String::new()
            } else {
                format!(" (it holds part {} now)", kept.join(", "))
            },
            thousands(fit)
        ),
    ))
}

fn key_of(mapped: &Mapped) -> String {
    match mapped {
        Mapped::User { source, .. } => source.clone(),
        Mapped::Group { source, .. } => source.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(count: usize) -> Vec<MapItem> {
        (1..=count)
            .map(|line| MapItem {
                line,
                item: format!("item{line}"),
                mapped: Mapped::User {
                    source: format!("u{line}@contoso.com"),
                    target: format!("u{line}@fabrikam.com"),
                },
            })
            .collect()
    }

    fn plan(parts: &[std::ops::Range<usize>]) -> RequestPlan {
        let parts = parts.to_vec();
        let bytes = parts.iter().map(|p| p.len() * 10).collect();
        RequestPlan {
            whole_bytes: parts.iter().map(|p| p.len() * 10).sum(),
            parts,
            bytes,
        }
    }

    #[test]
    fn each_request_is_sampled_at_its_first_and_last_taken_row() {
        let items = map(7);
        let refused: HashSet<usize> = [1, 6].into();
        let samples = samples(&items, &plan(&[0..3, 3..4, 4..6, 6..7]), &refused);
        let picked: Vec<(usize, usize)> = samples.iter().map(|s| (s.part, s.line)).collect();
        assert_eq!(picked, vec![(1, 2), (1, 3), (2, 4), (3, 5), (4, 7)]);
        assert_eq!(samples[0].key, "u2@contoso.com");
    }

    #[test]
    fn missing_rows_name_the_lost_parts_or_the_rows_of_one_request() {
        let items = map(6);
        let three = plan(&[0..2, 2..4, 4..6]);
        let mut found = samples(&items, &three, &HashSet::new());
        assert_eq!(found.len(), 6);
        for sample in found.iter_mut() {
            sample.found = sample.part == 3;
        }
        let error = confirm(&found, &three, &items).unwrap_err();
        assert_eq!(error.id(), "IdentityMapPartsLost");
        let message = error.message();
        for fragment in [
            "went in 3 requests, and 2 of them are gone",
            "part 1 (lines 1-2), part 2 (lines 3-4)",
            "line 1 (u1@contoso.com)",
            "it holds part 3 now",
            "rows each) and upload each wave's map",
        ] {
            assert!(message.contains(fragment), "{message}");
        }
        for sample in found.iter_mut() {
            sample.found = true;
        }
        assert!(confirm(&found, &three, &items).is_ok());
        let one = plan(std::slice::from_ref(&(0..6)));
        let mut found = samples(&items, &one, &HashSet::new());
        found[0].found = true;
        let error = confirm(&found, &one, &items).unwrap_err();
        assert_eq!(error.id(), "IdentityMapNotInPlace");
        assert!(
            error
                .message()
                .contains("did not find line 6 (u6@contoso.com)")
        );
    }
}
