//! SharePoint CSOM `ProcessQuery`: the XML request we write and the JSON answer we read.

pub mod enums;
pub mod request;
pub mod response;
pub mod xml_text;

pub use enums::{OrgRelationRole, OrgRelationScenario, OrgRelationVerificationStatus};
pub use request::{MethodCall, Parameter};
pub use response::CsomResponse;
