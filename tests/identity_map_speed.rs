//! How fast a big identity map is read and checked: 100,000 rows (users and groups, as
//! Excel saves them: UTF-8 with BOM, CRLF, some quoted fields) must decode, parse and check
//! well under a second in a release build. Timing means nothing in a debug build, so there
//! it only checks the result:
//! `cargo test --release --test identity_map_speed -- --nocapture` prints the figures.

use spo_crosstenant::operations::identity_map;
use std::time::Instant;

const ROWS: usize = 100_000;

fn map(rows: usize) -> Vec<u8> {
    let company = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let mut text = String::from("\u{feff}");
    for n in 0..rows {
        if n % 10 == 9 {
            text.push_str(&format!(
                "Group,{company},{n:08x}-d9cb-469f-a165-70867728950e,{n:08x}-7425-40de-944b-e07fc1f90ae7,\"Team {n}, \"\"EMEA\"\"\",O365Group\r\n"
            ).replace(", \"\"EMEA", " \"\"EMEA"));
        } else {
            text.push_str(&format!(
                "User,{company},user{n}@contoso.onmicrosoft.com,user{n}@fabrikam.onmicrosoft.com,\"user{n}@fabrikam.com\",RegularUser\r\n"
            ));
        }
    }
    text.into_bytes()
}

#[test]
fn a_100k_row_map_is_read_and_checked_well_under_a_second() {
    let bytes = map(ROWS);
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        let upload = identity_map::from_bytes(&bytes, "map.csv").unwrap();
        best = best.min(started.elapsed().as_secs_f64());
        assert_eq!(upload.rows(), ROWS);
    }
    println!(
        "identity map: {ROWS} rows, {:.1} MB: decode+parse+check best of 5 = {:.1} ms",
        bytes.len() as f64 / 1_048_576.0,
        best * 1000.0
    );
    if !cfg!(debug_assertions) {
        assert!(best < 0.5, "100k rows took {best:.3} s");
    }
}
