//! What Connect-SPOService was given, collected one setting at a time BY NAME (so the C
//! ABI stays a handful of simple calls and the names live here only), then checked and
//! turned into a credential and options before anything is sent.

use super::ConnectOptions;
use super::client_tag;
use crate::auth::{self, CertificateKey, Credential, Region, SignInOptions};
use crate::error::Error;
use crate::site_url;
use crate::transport::retry::RetryPolicy;
use std::collections::BTreeMap;
use std::time::Duration;
use url::Url;
use zeroize::Zeroizing;

macro_rules! settings {
    ($($(#[$doc:meta])* $name:ident,)+) => {
        /// The settings a sign-in takes: the one table of their names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Setting { $($(#[$doc])* $name,)+ }

        impl Setting {
            /// Every setting, in the order `spo_describe` lists them.
            pub const ALL: &'static [Setting] = &[$(Setting::$name,)+];

            /// The name callers pass to `spo_sign_in_set`.
            pub fn name(self) -> &'static str {
                match self { $(Setting::$name => stringify!($name),)+ }
            }
        }
    };
}

settings! {
    AccessToken,
    ClientId,
    TenantId,
    /// Default, ITAR, Germany or China.
    Region,
    /// Replaces the region's login host, e.g. a local emulator.
    AuthenticationUrl,
    /// Sent as X-ClientService-ClientTag on every request.
    ClientTag,
    UserName,
    Password,
    /// PEM text with the certificate (and the private key, unless PrivateKeyPem is set).
    CertificatePem,
    PrivateKeyPem,
    CertificatePassword,
    /// PKCS#12 bytes.
    CertificatePfx,
    /// Use a managed identity; the value is its client id, or "" for the system identity.
    ManagedIdentity,
    /// Request timeout in seconds; 0 means 100.
    TimeoutSeconds,
    /// Attempts in all for a throttled request; 1 turns retrying off.
    MaxAttempts,
    /// Longest time to keep retrying a throttled request, in seconds.
    MaxRetrySeconds,
    /// IDENTITY_ENDPOINT as the caller sees it (hosts may keep their own environment).
    IdentityEndpoint,
    /// IDENTITY_HEADER as the caller sees it.
    IdentityHeader,
}

impl Setting {
    /// The setting with this name, ignoring case; unknown names are refused by the caller.
    pub fn from_name(name: &str) -> Option<Setting> {
        Setting::ALL
            .iter()
            .copied()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// A sign-in being put together. Secret values are wiped when it is dropped.
#[derive(Clone)]
pub struct SignInSettings {
    admin_url: Url,
    values: BTreeMap<Setting, Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for SignInSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names only: values may be secrets.
        f.debug_struct("SignInSettings")
            .field("admin_url", &self.admin_url.as_str())
            .field("settings", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Everything needed to sign in and then to talk to the admin site.
pub struct CheckedSignIn {
    pub credential: Credential,
    pub options: SignInOptions,
    pub connect: ConnectOptions,
    /// Managed identity variables passed in by the caller (see `IdentityEndpoint`).
    pub environment: BTreeMap<String, String>,
}

impl std::fmt::Debug for CheckedSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credential redacts itself; environment values may be secrets.
        f.debug_struct("CheckedSignIn")
            .field("credential", &self.credential)
            .field("options", &self.options)
            .field("connect", &self.connect)
            .field("environment", &self.environment.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl SignInSettings {
    pub fn new(admin_url: &str) -> Result<Self, Error> {
        Ok(SignInSettings {
            admin_url: site_url::admin_site_url(admin_url)?,
            values: BTreeMap::new(),
        })
    }

    /// Records a setting; setting it again replaces it.
    pub fn set(&mut self, setting: Setting, value: &[u8]) {
        self.values.insert(setting, Zeroizing::new(value.to_vec()));
    }

    /// Records a setting given by name; an unknown name is refused.
    pub fn set_by_name(&mut self, name: &str, value: &[u8]) -> Result<(), Error> {
        let setting = Setting::from_name(name).ok_or_else(|| {
            Error::invalid_argument(
                "UnknownSetting",
                "Setting",
                format!("'{name}' is not a sign-in setting."),
            )
        })?;
        self.set(setting, value);
        Ok(())
    }

    /// The text of a setting exactly as given (not trimmed), for rules about its edges.
    fn raw_text(&self, setting: Setting, parameter: &'static str) -> Result<Option<&str>, Error> {
        match self.values.get(&setting) {
            None => Ok(None),
            Some(bytes) => std::str::from_utf8(bytes).map(Some).map_err(|_| {
                Error::invalid_argument(
                    "InvalidUtf8",
                    parameter,
                    format!("-{parameter} is not valid UTF-8 text."),
                )
            }),
        }
    }

    fn text(&self, setting: Setting, parameter: &'static str) -> Result<Option<&str>, Error> {
        match self.values.get(&setting) {
            None => Ok(None),
            Some(bytes) => std::str::from_utf8(bytes)
                .map(|t| Some(t.trim()).filter(|t| !t.is_empty()))
                .map_err(|_| {
                    Error::invalid_argument(
                        "InvalidUtf8",
                        parameter,
                        format!("-{parameter} is not valid UTF-8 text."),
                    )
                }),
        }
    }

    fn secret(
        &self,
        setting: Setting,
        parameter: &'static str,
    ) -> Result<Option<Zeroizing<String>>, Error> {
        Ok(self
            .text(setting, parameter)?
            .map(|t| Zeroizing::new(t.to_owned())))
    }

    fn number(&self, setting: Setting, parameter: &'static str) -> Result<Option<u64>, Error> {
        self.text(setting, parameter)?
            .map(|t| {
                t.parse::<u64>().map_err(|_| {
                    Error::invalid_argument(
                        "NumberInvalid",
                        parameter,
                        format!("-{parameter} must be a whole number, not '{t}'."),
                    )
                })
            })
            .transpose()
    }

    /// Checks the combination and picks the sign-in method: a pasted token, a certificate,
    /// a user name and password, a managed identity, or else the device code flow.
    pub fn check(&self) -> Result<CheckedSignIn, Error> {
        let client_id = self.text(Setting::ClientId, "ClientId")?.map(str::to_owned);
        let tenant = self.text(Setting::TenantId, "TenantId")?.map(str::to_owned);
        let has = |s: Setting| self.values.contains_key(&s);
        let certificate = has(Setting::CertificatePem) || has(Setting::CertificatePfx);
        let chosen = [
            has(Setting::AccessToken),
            certificate,
            has(Setting::UserName),
            has(Setting::ManagedIdentity),
        ]
        .into_iter()
        .filter(|c| *c)
        .count();
        if chosen > 1 {
            return Err(Error::invalid_argument(
                "ConflictingCredentials",
                "AccessToken",
                "Give one way to sign in: -AccessToken, a certificate, -Credential, or -ManagedIdentity.",
            ));
        }

        let credential = if let Some(token) = self.secret(Setting::AccessToken, "AccessToken")? {
            Credential::AccessToken(token)
        } else if has(Setting::AccessToken) {
            return Err(Error::invalid_argument(
                "AccessTokenEmpty",
                "AccessToken",
                "The access token is empty. Get a token for the admin site (audience https://<tenant>-admin.sharepoint.com) and pass it to -AccessToken.",
            ));
        } else if certificate {
            let client_id = client_id.clone().ok_or_else(|| {
                Error::invalid_argument("ClientIdRequired", "ClientId", "Certificate sign-in needs -ClientId, the application (client) id of the app registration.")
            })?;
            let tenant_id = tenant.clone().ok_or_else(|| {
                Error::invalid_argument("TenantIdRequired", "TenantId", "Certificate sign-in needs -TenantId, the tenant id or a domain such as contoso.onmicrosoft.com.")
            })?;
            let key = match self.values.get(&Setting::CertificatePfx) {
                Some(bytes) => CertificateKey::Pfx {
                    bytes: Zeroizing::new(bytes.to_vec()),
                    password: self.secret(Setting::CertificatePassword, "CertificatePassword")?,
                },
                None => {
                    let certificate = self
                        .text(Setting::CertificatePem, "CertificatePath")?
                        .unwrap_or_default()
                        .to_owned();
                    let private_key =
                        match self.secret(Setting::PrivateKeyPem, "CertificatePath")? {
                            Some(key) => key,
                            None => Zeroizing::new(certificate.clone()),
                        };
                    CertificateKey::Pem {
                        certificate,
                        private_key,
                    }
                }
            };
            Credential::Certificate {
                client_id,
                tenant_id,
                key,
            }
        } else if has(Setting::UserName) {
            let username = self.text(Setting::UserName, "Credential")?.ok_or_else(|| {
                Error::invalid_argument(
                    "UserNameEmpty",
                    "Credential",
                    "The user name of -Credential is blank. Give the admin's user name, e.g. admin@contoso.onmicrosoft.com.",
                )
            })?;
            let password = self
                .secret(Setting::Password, "Credential")?
                .unwrap_or_default();
            Credential::Password {
                client_id: client_id
                    .clone()
                    .unwrap_or_else(|| auth::DEFAULT_CLIENT_ID.to_owned()),
                username: username.to_owned(),
                password,
            }
        } else if has(Setting::ManagedIdentity) {
            Credential::ManagedIdentity {
                client_id: self
                    .text(Setting::ManagedIdentity, "ManagedIdentity")?
                    .map(str::to_owned),
            }
        } else {
            Credential::DeviceCode {
                client_id: client_id
                    .clone()
                    .unwrap_or_else(|| auth::DEFAULT_CLIENT_ID.to_owned()),
            }
        };

        let timeout = Duration::from_secs(
            self.number(Setting::TimeoutSeconds, "TimeoutSeconds")?
                .unwrap_or(0),
        );
        let mut options = SignInOptions::new(self.admin_url.clone());
        options.timeout = timeout;
        options.tenant = if matches!(credential, Credential::Certificate { .. }) {
            None
        } else {
            tenant
        };
        if let Some(region) = self.text(Setting::Region, "Region")? {
            options.region = region.parse::<Region>()?;
        }
        if let Some(url) = self.text(Setting::AuthenticationUrl, "AuthenticationUrl")? {
            options.authority_override = Some(Url::parse(url).map_err(|_| {
                Error::invalid_argument(
                    "AuthorityUrlInvalid",
                    "AuthenticationUrl",
                    format!("'{url}' is not an absolute URL."),
                )
            })?);
        }

        let mut retry = RetryPolicy::default();
        if let Some(attempts) = self.number(Setting::MaxAttempts, "MaxAttempts")? {
            retry.max_attempts = u32::try_from(attempts).unwrap_or(u32::MAX).clamp(1, 100);
        }
        if let Some(seconds) = self.number(Setting::MaxRetrySeconds, "MaxRetrySeconds")? {
            retry.max_total = Duration::from_secs(seconds);
        }
        let connect = ConnectOptions {
            timeout,
            client_tag: match self.raw_text(Setting::ClientTag, "ClientTag")? {
                Some(tag) => client_tag::checked(tag)?,
                None => None,
            },
            retry,
        };

        let mut environment = BTreeMap::new();
        for (setting, names) in [
            (
                Setting::IdentityEndpoint,
                ["IDENTITY_ENDPOINT", "MSI_ENDPOINT"],
            ),
            (Setting::IdentityHeader, ["IDENTITY_HEADER", "MSI_SECRET"]),
        ] {
            if let Some(value) = self.text(setting, "ManagedIdentity")? {
                environment.insert(names[0].to_owned(), value.to_owned());
            }
        }
        Ok(CheckedSignIn {
            credential,
            options,
            connect,
            environment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::SignInMethod;

    fn request() -> SignInSettings {
        SignInSettings::new("https://contoso-admin.sharepoint.com").unwrap()
    }

    #[test]
    fn the_method_follows_what_was_given() {
        let mut r = request();
        assert_eq!(
            r.check().unwrap().credential.method(),
            SignInMethod::DeviceCode
        );
        r.set(Setting::AccessToken, b"abc");
        assert_eq!(
            r.check().unwrap().credential.method(),
            SignInMethod::AccessToken
        );

        let mut r = request();
        r.set(Setting::UserName, b"admin@contoso.com");
        r.set(Setting::Password, b"pw");
        assert_eq!(
            r.check().unwrap().credential.method(),
            SignInMethod::Password
        );

        let mut r = request();
        r.set(Setting::ManagedIdentity, b"");
        assert_eq!(
            r.check().unwrap().credential.method(),
            SignInMethod::ManagedIdentity
        );

        let mut r = request();
        r.set(Setting::CertificatePem, b"-----BEGIN CERTIFICATE-----");
        assert_eq!(r.check().unwrap_err().id(), "ClientIdRequired");
        r.set(Setting::ClientId, b"00000000-0000-0000-0000-000000000001");
        assert_eq!(r.check().unwrap_err().id(), "TenantIdRequired");
        r.set(Setting::TenantId, b"contoso.onmicrosoft.com");
        assert_eq!(
            r.check().unwrap().credential.method(),
            SignInMethod::Certificate
        );
    }

    #[test]
    fn two_ways_to_sign_in_at_once_are_refused() {
        let mut r = request();
        r.set(Setting::AccessToken, b"abc");
        r.set(Setting::UserName, b"a@b.c");
        assert_eq!(r.check().unwrap_err().id(), "ConflictingCredentials");
        let mut r = request();
        r.set(Setting::AccessToken, b"  ");
        assert_eq!(r.check().unwrap_err().id(), "AccessTokenEmpty");
    }

    #[test]
    fn options_carry_region_authority_timeouts_and_retry_limits() {
        let mut r = request();
        r.set(Setting::Region, b"itar");
        r.set(Setting::AuthenticationUrl, b"http://127.0.0.1:5/");
        r.set(Setting::TimeoutSeconds, b"30");
        r.set(Setting::MaxAttempts, b"0");
        r.set(Setting::MaxRetrySeconds, b"12");
        r.set(Setting::ClientTag, b"run-7");
        r.set(Setting::IdentityEndpoint, b"http://127.0.0.1:9/msi");
        let checked = r.check().unwrap();
        assert_eq!(checked.options.region, Region::Itar);
        assert_eq!(
            checked.options.authority_override.unwrap().as_str(),
            "http://127.0.0.1:5/"
        );
        assert_eq!(checked.connect.timeout, Duration::from_secs(30));
        assert_eq!(checked.connect.retry.max_attempts, 1);
        assert_eq!(checked.connect.retry.max_total, Duration::from_secs(12));
        assert_eq!(checked.connect.client_tag.as_deref(), Some("run-7"));
        assert_eq!(
            checked.environment["IDENTITY_ENDPOINT"],
            "http://127.0.0.1:9/msi"
        );
        r.set(Setting::MaxAttempts, b"many");
        assert_eq!(r.check().unwrap_err().id(), "NumberInvalid");
    }

    #[test]
    fn debug_output_names_settings_but_never_values() {
        let mut r = request();
        r.set(Setting::Password, b"hunter2-secret");
        let text = format!("{r:?}");
        assert!(text.contains("Password") && !text.contains("hunter2-secret"));
    }

    #[test]
    fn settings_are_set_by_name_ignoring_case_and_unknown_names_are_refused() {
        let mut r = request();
        r.set_by_name("accesstoken", b"abc").unwrap();
        assert_eq!(
            r.check().unwrap().credential.method(),
            SignInMethod::AccessToken
        );
        let error = r.set_by_name("Colour", b"x").unwrap_err();
        assert_eq!(error.id(), "UnknownSetting");
        for setting in Setting::ALL {
            assert_eq!(Setting::from_name(setting.name()), Some(*setting));
        }
    }

    #[test]
    fn blank_user_names_empty_tokens_and_control_characters_in_tags_are_refused() {
        let mut r = request();
        r.set(Setting::UserName, b"   ");
        r.set(Setting::Password, b"pw");
        let error = r.check().unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("UserNameEmpty", Some("Credential"))
        );
        let mut r = request();
        r.set(Setting::AccessToken, b"");
        let error = r.check().unwrap_err();
        assert_eq!(
            (error.id(), error.parameter()),
            ("AccessTokenEmpty", Some("AccessToken"))
        );
        for tag in [&b"run-7\r\n"[..], b"run\n7", b"\trun", b"run\x1b[0m"] {
            let mut r = request();
            r.set(Setting::AccessToken, b"abc");
            r.set(Setting::ClientTag, tag);
            let error = r.check().unwrap_err();
            assert_eq!(
                (error.id(), error.parameter()),
                ("ClientTagInvalid", Some("ClientTag")),
                "{tag:?}"
            );
        }
    }

    #[test]
    fn admin_url_is_checked_first() {
        assert_eq!(
            SignInSettings::new("https://contoso.sharepoint.com")
                .unwrap_err()
                .id(),
            "AdminUrlInvalid"
        );
    }
}
