//! CSOM `ProcessQuery`: the request XML (`request`), typed parameters (`arguments`), running
//! the actions (`dispatch`) as calls of the Tenant object's methods (`tenant_methods`), the
//! relation list string (`relation_list`), and the JSON answer (`response`). The methods
//! of migration after trust are in `migration_methods`, their move state object in
//! `move_state`; the single entries of the identity map in `identity_mapping_methods`.

pub mod arguments;
pub mod dispatch;
pub mod identity_mapping_methods;
pub mod migration_methods;
pub mod move_state;
pub mod relation_list;
pub mod request;
pub mod response;
pub mod tenant_methods;
