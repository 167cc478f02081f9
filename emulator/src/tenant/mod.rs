//! The tenants and their cross-tenant relations: plain data and pure rules, with time
//! passed in. `directory` holds the tenants and relations, `site_layout` where their sites
//! live (`real_names`: their real host names, for `--proxy`), `host_url` what a partner host
//! URL is, `verification` the rules of `VerifySPOTenantOrgRelation`, `compatibility` those
//! of the compatibility check and its forced answers, `persistence` the `--state` file.
//!
//! Migration after trust: `content` (users, sites with files, groups) and
//! `default_content` (what every tenant starts with), `identity_map` (per target tenant),
//! `moves` (each move's timeline, the book of moves), `move_rules` (what Start and Stop
//! check, what a finished move changes), `move_query` (the state filters), `move_faults`
//! (injected failures), `long_paths` (file URLs too long after a site rename).

pub mod compatibility;
pub mod content;
pub mod content_specs;
pub mod default_content;
pub mod directory;
pub mod host_url;
pub mod identity_map;
pub mod long_paths;
pub mod move_faults;
pub mod move_query;
pub mod move_rules;
pub mod moves;
pub mod persistence;
pub mod real_names;
pub mod serde_forms;
pub mod site_layout;
pub mod verification;

pub use directory::{Directory, Relation, SetOutcome, Tenant, validate_scenario};
pub use site_layout::SiteLayout;
