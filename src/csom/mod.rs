//! What SharePoint's admin endpoints speak: the ProcessQuery XML request we write, the one
//! reader of its JSON answer, the OData error body of the REST endpoints, the Tenant type
//! id, and the enum tables.

pub mod enums;
pub mod odata_error;
pub mod request;
pub mod response;
pub mod xml_text;

pub use enums::{
    EnumTable, MnAWorkManagerContentType, MoveDirection, MoveState, OrgRelationRole,
    OrgRelationScenario, OrgRelationVerificationStatus, TenantIdentityMappingGroupField,
    TenantIdentityMappingGroupType, TenantIdentityMappingUserField, TenantIdentityMappingUserType,
};
pub use request::{MethodCall, Parameter};
pub use response::CsomResponse;
