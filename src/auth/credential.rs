//! The ways an admin can prove who they are, and the secrets each one carries.
//!
//! Secrets live in `Zeroizing` buffers, so memory is wiped when the credential is dropped,
//! and the Debug output names the fields without their values.

use crate::error::{Error, ErrorKind};
use std::fmt;
use zeroize::Zeroizing;

/// How to sign in.
pub enum Credential {
    /// A token the caller already has (Connect-SPOService -AccessToken). It cannot be
    /// renewed: when it expires the admin connects again.
    AccessToken(Zeroizing<String>),
    /// Interactive sign-in on any device: the user opens a page and types a code.
    DeviceCode { client_id: String },
    /// A user name and password (-Credential). Accounts with MFA or Conditional Access
    /// cannot use it.
    Password {
        client_id: String,
        username: String,
        password: Zeroizing<String>,
    },
    /// App-only sign-in with a certificate registered on the app (SharePoint refuses
    /// app-only tokens obtained with a client secret).
    Certificate {
        client_id: String,
        tenant_id: String,
        key: CertificateKey,
    },
    /// The managed identity of the Azure App Service, Functions or Container Apps host we
    /// run on; `client_id` picks a user-assigned identity.
    ManagedIdentity { client_id: Option<String> },
}

/// A certificate and its private key, as the admin has them.
pub enum CertificateKey {
    /// A PKCS#12 (.pfx/.p12) file with the certificate and its private key.
    Pfx {
        bytes: Zeroizing<Vec<u8>>,
        password: Option<Zeroizing<String>>,
    },
    /// PEM text: the certificate, and its unencrypted RSA private key (PKCS#8 `PRIVATE KEY`
    /// or PKCS#1 `RSA PRIVATE KEY`). Both may come from the same file; the first
    /// certificate and the first key found are used.
    Pem {
        certificate: String,
        private_key: Zeroizing<String>,
    },
}

/// The sign-in method, as shown to the admin (never with a secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignInMethod {
    AccessToken,
    DeviceCode,
    Password,
    Certificate,
    ManagedIdentity,
}

impl SignInMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInMethod::AccessToken => "AccessToken",
            SignInMethod::DeviceCode => "DeviceCode",
            SignInMethod::Password => "Password",
            SignInMethod::Certificate => "Certificate",
            SignInMethod::ManagedIdentity => "ManagedIdentity",
        }
    }
}

impl fmt::Display for SignInMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Credential {
    pub fn method(&self) -> SignInMethod {
        match self {
            Credential::AccessToken(_) => SignInMethod::AccessToken,
            Credential::DeviceCode { .. } => SignInMethod::DeviceCode,
            Credential::Password { .. } => SignInMethod::Password,
            Credential::Certificate { .. } => SignInMethod::Certificate,
            Credential::ManagedIdentity { .. } => SignInMethod::ManagedIdentity,
        }
    }
}

const REDACTED: &str = "<redacted>";

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::AccessToken(_) => f.debug_tuple("AccessToken").field(&REDACTED).finish(),
            Credential::DeviceCode { client_id } => f
                .debug_struct("DeviceCode")
                .field("client_id", client_id)
                .finish(),
            Credential::Password {
                client_id,
                username,
                ..
            } => f
                .debug_struct("Password")
                .field("client_id", client_id)
                .field("username", username)
                .field("password", &REDACTED)
                .finish(),
            Credential::Certificate {
                client_id,
                tenant_id,
                key,
            } => f
                .debug_struct("Certificate")
                .field("client_id", client_id)
                .field("tenant_id", tenant_id)
                .field("key", key)
                .finish(),
            Credential::ManagedIdentity { client_id } => f
                .debug_struct("ManagedIdentity")
                .field("client_id", client_id)
                .finish(),
        }
    }
}

impl fmt::Debug for CertificateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertificateKey::Pfx { bytes, password } => f
                .debug_struct("Pfx")
                .field("bytes", &format_args!("{} bytes", bytes.len()))
                .field("password", &password.as_ref().map(|_| REDACTED))
                .finish(),
            CertificateKey::Pem { .. } => f
                .debug_struct("Pem")
                .field("private_key", &REDACTED)
                .finish_non_exhaustive(),
        }
    }
}

/// Why the module refuses -ClientSecret: SharePoint Online rejects app-only tokens that
/// were obtained with a client secret ("Unsupported app only token"), so a secret would
/// sign in and then fail on the first call.
pub const CLIENT_SECRET_REFUSED: &str = "SharePoint Online does not accept app-only tokens obtained with a client secret: every call would fail with 'Unsupported app only token'. Upload a certificate to the app registration and sign in with -ClientId, -TenantId and -Certificate (or -CertificatePath).";

/// The error for a caller that offers a client secret.
pub fn client_secret_refused() -> Error {
    Error::invalid_argument(
        "ClientSecretNotSupported",
        "ClientSecret",
        CLIENT_SECRET_REFUSED,
    )
}

/// Checks an application (client) id: Entra ID only knows apps by GUID.
pub(crate) fn checked_client_id(client_id: &str) -> Result<String, Error> {
    let id = client_id.trim();
    let groups: Vec<&str> = id.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    let is_guid = groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    if is_guid {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(Error::invalid_argument(
            "ClientIdInvalid",
            "ClientId",
            format!(
                "'{id}' is not an application (client) id. Use the GUID shown as 'Application (client) ID' on the app registration."
            ),
        ))
    }
}

/// Checks a pasted token before it is ever put in a header: trims blanks and a leading
/// `Bearer `, and refuses characters an HTTP header cannot carry.
pub(crate) fn checked_access_token(token: &str) -> Result<Zeroizing<String>, Error> {
    let mut token = token.trim();
    if let Some(prefix) = token.get(..7)
        && prefix.eq_ignore_ascii_case("bearer ")
    {
        token = token[7..].trim_start();
    }
    if token.is_empty() {
        return Err(Error::invalid_argument(
            "AccessTokenInvalid",
            "AccessToken",
            "The access token is empty.",
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_argument(
            "AccessTokenInvalid",
            "AccessToken",
            "The access token contains spaces or characters that cannot be sent in a header; paste it again without line breaks.",
        ));
    }
    Ok(Zeroizing::new(token.to_owned()))
}

pub(crate) fn checked_username(username: &str) -> Result<String, Error> {
    let username = username.trim();
    if username.is_empty() {
        return Err(Error::invalid_argument(
            "UserNameMissing",
            "Credential",
            "The credential has no user name.",
        ));
    }
    Ok(username.to_owned())
}

/// The error a renewal-free token gives once it has expired.
pub(crate) fn access_token_expired() -> Error {
    Error::new(
        ErrorKind::Unauthorized,
        "AccessTokenExpired",
        "The access token has expired, and a token passed with -AccessToken cannot be renewed. Get a new token and run Connect-SPOService again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_names_fields_but_never_secrets() {
        let credentials = [
            Credential::AccessToken(Zeroizing::new("eyJ-secret-token".into())),
            Credential::Password {
                client_id: DEFAULT.into(),
                username: "admin@contoso.com".into(),
                password: Zeroizing::new("hunter2-secret".into()),
            },
            Credential::Certificate {
                client_id: DEFAULT.into(),
                tenant_id: "contoso.com".into(),
                key: CertificateKey::Pem {
                    certificate: "CERT".into(),
                    private_key: Zeroizing::new("-----BEGIN PRIVATE KEY----- secret".into()),
                },
            },
            Credential::Certificate {
                client_id: DEFAULT.into(),
                tenant_id: "contoso.com".into(),
                key: CertificateKey::Pfx {
                    bytes: Zeroizing::new(b"pfx-secret".to_vec()),
                    password: Some(Zeroizing::new("pfx-password-secret".into())),
                },
            },
        ];
        for credential in &credentials {
            let text = format!("{credential:?} {credential:#?}");
            assert!(!text.contains("secret"), "{text}");
        }
        assert!(format!("{:?}", credentials[1]).contains("admin@contoso.com"));
    }

    const DEFAULT: &str = super::super::options::DEFAULT_CLIENT_ID;

    #[test]
    fn client_ids_must_be_guids() {
        assert_eq!(
            checked_client_id(" 9BC3AB49-B65D-410A-85AD-DE819FEBFDDC ").unwrap(),
            DEFAULT
        );
        for bad in [
            "",
            "contoso",
            "9bc3ab49b65d410a85adde819febfddc",
            "9bc3ab49-b65d-410a-85ad-de819febfddz",
        ] {
            assert_eq!(checked_client_id(bad).unwrap_err().id(), "ClientIdInvalid");
        }
    }

    #[test]
    fn pasted_tokens_lose_bearer_and_blanks_but_not_their_content() {
        assert_eq!(
            &*checked_access_token("  Bearer abc.def.ghi \n").unwrap(),
            "abc.def.ghi"
        );
        assert_eq!(&*checked_access_token("abc").unwrap(), "abc");
        assert_eq!(
            checked_access_token("abc\ndef").unwrap_err().id(),
            "AccessTokenInvalid"
        );
        assert_eq!(
            checked_access_token("  ").unwrap_err().id(),
            "AccessTokenInvalid"
        );
    }

    #[test]
    fn client_secret_refusal_explains_why() {
        let error = client_secret_refused();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(error.message().contains("certificate"));
    }
}
