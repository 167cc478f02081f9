//! The tenants and their cross-tenant relations: plain data and pure rules, with time
//! passed in. `directory` holds the tenants and relations, `site_layout` where their sites
//! live, `host_url` what a partner host URL is, `verification` the rules of
//! `VerifySPOTenantOrgRelation`, `compatibility` those of the compatibility check and its
//! forced answers, `persistence` the `--state` file.

pub mod compatibility;
pub mod directory;
pub mod host_url;
pub mod persistence;
pub mod site_layout;
pub mod verification;

pub use directory::{Directory, Relation, SetOutcome, Tenant, validate_scenario};
pub use site_layout::SiteLayout;
