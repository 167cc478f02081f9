//! What travels on the wire as names and numbers: the enums of the cross-tenant methods and
//! the failure codes. The bottom layer: the tenant model, CSOM and the REST endpoint all
//! speak these.

pub mod enums;
pub mod status_codes;
