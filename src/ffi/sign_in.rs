//! `spo_sign_in`: Connect-SPOService's settings, collected one by one, then a sign-in that
//! runs as an operation (a device code sign-in waits for the admin and must be cancellable).

use super::boundary::{self, Failure};
use super::error::spo_error;
use super::operation::spo_operation;
use super::status::spo_status;
use crate::connection::Connection;
use crate::operation::{Operation, Outcome};
use crate::sign_in_request::{Setting, SignInRequest};
use libc::c_char;
use std::sync::Arc;

/// An opaque sign-in being put together. Not for use from several threads at once.
/// Secret settings are wiped when it is freed.
#[allow(non_camel_case_types)]
pub struct spo_sign_in {
    request: SignInRequest,
}

/// What `spo_sign_in_set` can set. The sign-in method follows from what is set: an access
/// token, a certificate (PEM or PFX, with client id and tenant id), a user name and password,
/// a managed identity, or else the device code flow.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum spo_setting {
    AccessToken = 0,
    ClientId = 1,
    TenantId = 2,
    /// Default, ITAR, Germany or China.
    Region = 3,
    /// Replaces the region's login host, e.g. a local emulator.
    AuthenticationUrl = 4,
    /// Sent as X-ClientService-ClientTag on every request.
    ClientTag = 5,
    UserName = 6,
    Password = 7,
    /// PEM text with the certificate (and the private key, unless PRIVATE_KEY_PEM is set).
    CertificatePem = 8,
    PrivateKeyPem = 9,
    CertificatePassword = 10,
    /// PKCS#12 bytes; use `spo_sign_in_set_bytes`.
    CertificatePfx = 11,
    /// Use a managed identity; the value is its client id, or "" for the system identity.
    ManagedIdentity = 12,
    /// Request timeout in seconds; 0 means 100.
    TimeoutSeconds = 13,
    /// Attempts in all for a throttled request; 1 turns retrying off.
    MaxAttempts = 14,
    /// Longest time to keep retrying a throttled request, in seconds.
    MaxRetrySeconds = 15,
    /// IDENTITY_ENDPOINT as the caller sees it (hosts may keep their own environment).
    IdentityEndpoint = 16,
    /// IDENTITY_HEADER as the caller sees it.
    IdentityHeader = 17,
}

/// Starts putting a sign-in together for a tenant admin site; the URL is checked now.
///
/// # Safety
/// `admin_url` NULL or NUL-terminated; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_new(
    admin_url: *const c_char,
    sign_in_out: *mut *mut spo_sign_in,
    error_out: *mut *mut spo_error,
) -> spo_status {
    boundary::call(error_out, || {
        boundary::check_out(sign_in_out, "sign_in_out")?;
        // SAFETY: forwarded contract.
        let admin_url = unsafe { boundary::text_in(admin_url, "admin_url") }?;
        let request = SignInRequest::new(admin_url).map_err(Failure::from)?;
        // SAFETY: checked above.
        unsafe { boundary::write_out(sign_in_out, boundary::into_handle(spo_sign_in { request })) }
    })
}

/// Sets a text setting (a `spo_setting` value); setting it again replaces it.
///
/// # Safety
/// `sign_in` NULL or live and not used by another thread; `value` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_set(
    sign_in: *mut spo_sign_in,
    setting: u32,
    value: *const c_char,
    error_out: *mut *mut spo_error,
) -> spo_status {
    boundary::call(error_out, || {
        // SAFETY: forwarded contract.
        let value = unsafe { boundary::text_in(value, "value") }?;
        // SAFETY: forwarded contract.
        unsafe { set(sign_in, setting, value.as_bytes()) }
    })
}

/// Sets a binary setting, such as `SPO_SETTING_CERTIFICATE_PFX`, from `len` bytes.
///
/// # Safety
/// `sign_in` NULL or live and not used by another thread; `data` NULL or `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_set_bytes(
    sign_in: *mut spo_sign_in,
    setting: u32,
    data: *const u8,
    len: usize,
    error_out: *mut *mut spo_error,
) -> spo_status {
    boundary::call(error_out, || {
        if data.is_null() {
            return Err(Failure::null("data"));
        }
        // SAFETY: non-NULL and `len` bytes readable per the contract.
        let bytes = unsafe { std::slice::from_raw_parts(data, len) };
        // SAFETY: forwarded contract.
        unsafe { set(sign_in, setting, bytes) }
    })
}

/// # Safety
/// `sign_in` NULL or live and exclusively ours for the call.
unsafe fn set(sign_in: *mut spo_sign_in, setting: u32, value: &[u8]) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    let sign_in = unsafe { sign_in.as_mut() }.ok_or_else(|| Failure::null("sign_in"))?;
    let setting = Setting::from_wire(setting).ok_or_else(|| {
        Failure::Status(
            spo_status::InvalidArgument,
            "UnknownSetting",
            format!("{setting} is not a spo_setting value."),
        )
    })?;
    sign_in.request.set(setting, value);
    Ok(())
}

/// Checks the settings and starts signing in. Bad combinations fail here, synchronously.
/// When the operation succeeds, take the connection with `spo_operation_connection`; its
/// value is the connection's description as JSON. A device code instruction arrives as a
/// progress message starting with "DeviceCode: ".
///
/// # Safety
/// `sign_in` NULL or live; out-pointers NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_begin(
    sign_in: *const spo_sign_in,
    operation_out: *mut *mut spo_operation,
    error_out: *mut *mut spo_error,
) -> spo_status {
    boundary::call(error_out, || {
        boundary::check_out(operation_out, "operation_out")?;
        // SAFETY: forwarded contract.
        let sign_in = unsafe { boundary::handle_ref(sign_in, "sign_in") }?;
        let checked = sign_in.request.check().map_err(Failure::from)?;
        let operation = Operation::start(|progress| async move {
            let connection = Connection::sign_in(checked, &progress).await?;
            Ok(Outcome {
                value: connection.describe().to_string(),
                correlation_id: None,
                connection: Some(Arc::new(connection)),
            })
        })?;
        let handle = boundary::into_handle(spo_operation { inner: operation });
        // SAFETY: checked above.
        unsafe { boundary::write_out(operation_out, handle) }
    })
}

/// Releases the sign-in settings, wiping secrets. NULL is a no-op.
///
/// # Safety
/// `sign_in` NULL or a handle from this library that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spo_sign_in_free(sign_in: *mut spo_sign_in) {
    // SAFETY: forwarded contract.
    boundary::call_void(|| unsafe { boundary::free_handle(sign_in) });
}
