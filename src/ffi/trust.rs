//! The trust operations: each checks its arguments synchronously, then starts the request
//! and hands back an `spo_operation` to wait on.

use super::boundary::{self, Failure};
use super::connection::spo_connection;
use super::error::spo_error;
use super::operation::spo_operation;
use super::status::spo_status;
use crate::error::Error;
use crate::operation::Operation;
use crate::trust::{self, TenantCall};
use libc::c_char;
use std::sync::Arc;

/// The shared body of every `_begin` export.
fn begin(
    connection: *const spo_connection,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
    build: impl FnOnce() -> Result<TenantCall, Failure>,
) -> spo_status {
    boundary::call(error_out, || {
        boundary::check_out(operation_out, "operation_out")?;
        // SAFETY: the exports forward the caller's promise that the handle is NULL or live.
        let connection =
            Arc::clone(&unsafe { boundary::handle_ref(connection, "connection") }?.inner);
        let call = build()?;
        let operation =
            Operation::start(|progress| async move { connection.execute(&call, &progress).await })?;
        // SAFETY: checked above.
        unsafe {
            boundary::write_out(
                operation_out,
                boundary::into_handle(spo_operation { inner: operation }),
            )
        }
    })
}

fn relation(
    partner_host_url: *const c_char,
    make: impl FnOnce(&str) -> Result<TenantCall, Error>,
) -> Result<TenantCall, Failure> {
    // SAFETY: the exports forward the caller's promise that the text is NULL or NUL-terminated.
    let url = unsafe { boundary::text_in(partner_host_url, "partner_host_url") }?;
    make(url).map_err(Failure::from)
}

/// Starts `NewSPOTenantOrgRelation` (Set-SPOCrossTenantRelationship). The value is "".
///
/// # Safety
/// `connection` NULL or live; `partner_host_url` NULL or NUL-terminated; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_relation_set_begin(
    connection: *const spo_connection,
    scenario: u32,
    partner_role: u32,
    partner_host_url: *const c_char,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        relation(partner_host_url, |url| {
            trust::set_relation(scenario, partner_role, url)
        })
    })
}

/// Starts `VerifySPOTenantOrgRelation`. The value is the verification status number as
/// decimal text (NotEstablished=0 ... CouldNotContactPartner=5).
///
/// # Safety
/// As for `spo_relation_set_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_relation_verify_begin(
    connection: *const spo_connection,
    scenario: u32,
    partner_role: u32,
    partner_host_url: *const c_char,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        relation(partner_host_url, |url| {
            trust::verify_relation(scenario, partner_role, url)
        })
    })
}

/// Starts `RemoveSPOTenantOrgRelation`. The value is "".
///
/// # Safety
/// As for `spo_relation_set_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_relation_remove_begin(
    connection: *const spo_connection,
    scenario: u32,
    partner_role: u32,
    partner_host_url: *const c_char,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        relation(partner_host_url, |url| {
            trust::remove_relation(scenario, partner_role, url)
        })
    })
}

/// Starts `GetSPOTenantOrgRelationAll`. The value is the server's serialized list.
///
/// # Safety
/// `connection` NULL or live; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_relation_list_begin(
    connection: *const spo_connection,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        Ok(trust::list_relations())
    })
}

/// Starts `GetSPOTenantOrgRelationByPartner`. The value is the server's serialized list.
///
/// # Safety
/// As for `spo_relation_set_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_relation_list_by_partner_begin(
    connection: *const spo_connection,
    partner_host_url: *const c_char,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        relation(partner_host_url, trust::list_relations_by_partner)
    })
}

/// Starts `GetSPOTenantOrgRelationByScenario`. The value is the server's serialized list.
///
/// # Safety
/// `connection` NULL or live; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_relation_list_by_scenario_begin(
    connection: *const spo_connection,
    scenario: u32,
    partner_role: u32,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        trust::list_relations_by_scenario(scenario, partner_role).map_err(Failure::from)
    })
}

/// Starts `GetMySiteHostUrl` (Get-SPOCrossTenantHostUrl). The value is this tenant's
/// cross-tenant host URL.
///
/// # Safety
/// `connection` NULL or live; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_host_url_begin(
    connection: *const spo_connection,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    begin(connection, operation_out, error_out, || {
        Ok(trust::host_url())
    })
}
