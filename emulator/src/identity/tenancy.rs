//! Which tenant a sign-in is for, and which resource (admin site) its token is for.
//!
//! The tenant comes from the path segment of `/{tenant}/oauth2/v2.0/...`: the tenant's
//! name (`contoso`), its tenant id, or its domain (`contoso.onmicrosoft.com`), or
//! `organizations` / `common`, where user sign-in takes the tenant from the user's domain.
//!
//! The resource comes from the scope `<resource>/.default`: either one tenant's admin URL
//! (`http://127.0.0.1:PORT/contoso-admin`), or the emulator's base URL, the origin that
//! every admin URL here shares. Clients that take the origin of the admin URL as the
//! resource (as is right for `https://contoso-admin.sharepoint.com`) send the latter; it
//! then means "the admin site of the tenant signed in to".

use uuid::Uuid;

use super::platform_error::PlatformError;

/// The suffix of every tenant's domain.
pub const DOMAIN_SUFFIX: &str = ".onmicrosoft.com";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantInfo {
    pub name: String,
    pub id: Uuid,
    pub admin_url: String,
    /// `<name>.onmicrosoft.com`.
    pub domain: String,
}

impl TenantInfo {
    pub fn new(name: &str, id: Uuid, admin_url: String) -> Self {
        TenantInfo {
            name: name.to_string(),
            id,
            admin_url,
            domain: format!("{name}{DOMAIN_SUFFIX}"),
        }
    }
}

/// What the `{tenant}` path segment names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience<'a> {
    Tenant(&'a TenantInfo),
    /// `organizations` or `common`: the user's own tenant.
    AnyOrganization,
}

/// The resource a scope asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// One tenant's admin URL, by tenant name.
    Site(String),
    /// The emulator's base URL: the admin site of whichever tenant is signed in to.
    OwnSite,
}

/// A parsed `scope` parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub resource: Resource,
    /// The resource as it was asked for (echoed in answers and errors).
    pub resource_text: String,
    pub offline_access: bool,
    /// `openid`, `profile` or `email` were asked for too (ignored; no id token is issued).
    pub has_user_scopes: bool,
}

impl Scope {
    /// The `scope` of a token answer.
    pub fn granted(&self) -> String {
        let mut granted = format!("{}/.default", self.resource_text);
        if self.offline_access {
            granted.push_str(" offline_access");
        }
        granted
    }

    /// App-only sign-in takes exactly `<resource>/.default`.
    pub fn check_app_only(&self) -> Result<(), PlatformError> {
        if self.offline_access || self.has_user_scopes {
            return Err(PlatformError::new(
                "invalid_scope",
                1002012,
                format!(
                    "The provided value for scope {} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
                    self.granted()
                ),
            ));
        }
        Ok(())
    }
}

/// The tenants as the identity endpoints see them (fixed once the emulator runs).
#[derive(Clone, Debug)]
pub struct Realm {
    /// `scheme://127.0.0.1:PORT`, no trailing slash: the authority.
    base_url: String,
    tenants: Vec<TenantInfo>,
    /// Further authorities the endpoints answer at, e.g. `https://login.microsoftonline.com`
    /// through the rehearsal proxy (`--proxy`).
    other_authorities: Vec<String>,
}

impl Realm {
    pub fn new(base_url: &str, tenants: Vec<TenantInfo>) -> Self {
        Realm {
            base_url: base_url.trim_end_matches('/').to_string(),
            tenants,
            other_authorities: Vec::new(),
        }
    }

    /// The same realm, answering at these authorities too (`https://host`).
    pub fn also_at(mut self, authorities: impl IntoIterator<Item = String>) -> Self {
        self.other_authorities
            .extend(authorities.into_iter().map(|a| normalized(&a)));
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn tenants(&self) -> &[TenantInfo] {
        &self.tenants
    }

    pub fn tenant(&self, name: &str) -> Option<&TenantInfo> {
        self.tenants.iter().find(|t| t.name == name)
    }

    /// The tenant a path segment names: name, tenant id or domain.
    pub fn tenant_named(&self, segment: &str) -> Option<&TenantInfo> {
        let segment = segment.trim().to_ascii_lowercase();
        self.tenants.iter().find(|t| {
            t.name == segment
                || t.domain == segment
                || Uuid::parse_str(&segment).is_ok_and(|id| id == t.id)
        })
    }

    /// What the `{tenant}` segment of an identity URL means; unknown tenants are refused
    /// (AADSTS90002), as is `consumers` (no personal accounts here).
    pub fn audience(&self, segment: &str) -> Result<Audience<'_>, PlatformError> {
        match segment.trim().to_ascii_lowercase().as_str() {
            "organizations" | "common" => Ok(Audience::AnyOrganization),
            other => self
                .tenant_named(other)
                .map(Audience::Tenant)
                .ok_or_else(|| PlatformError::tenant_not_found(segment)),
        }
    }

    /// The resource `text` names, if it is one of ours.
    pub fn resource(&self, text: &str) -> Option<Resource> {
        let wanted = normalized(text);
        if wanted == normalized(&self.base_url) {
            return Some(Resource::OwnSite);
        }
        self.tenants
            .iter()
            .find(|t| normalized(&t.admin_url) == wanted)
            .map(|t| Resource::Site(t.name.clone()))
    }

    /// Parses `scope`: one `<resource>/.default`, optionally with `offline_access` (and
    /// `openid`, `profile`, `email`, which are ignored). `tenant_label` names the tenant
    /// in the AADSTS500011 text for a resource we do not serve.
    pub fn scope(&self, scope: &str, tenant_label: &str) -> Result<Scope, PlatformError> {
        let mut resource_text = None;
        let mut offline_access = false;
        let mut has_user_scopes = false;
        for item in scope.split_whitespace() {
            let lowered = item.to_ascii_lowercase();
            match lowered.as_str() {
                "offline_access" => offline_access = true,
                "openid" | "profile" | "email" => has_user_scopes = true,
                _ => match item.strip_suffix("/.default") {
                    Some(resource) if resource_text.is_none() => {
                        resource_text = Some(resource.to_string());
                    }
                    Some(_) => {
                        return Err(PlatformError::invalid_scope(
                            "Ask for one resource at a time ('<admin URL>/.default').",
                        ));
                    }
                    None => {
                        return Err(PlatformError::invalid_scope(&format!(
                            "spo-emulator grants only '<admin URL>/.default' (with optional offline_access), not '{}'.",
                            super::platform_error::shown(item)
                        )));
                    }
                },
            }
        }
        let Some(resource_text) = resource_text else {
            return Err(PlatformError::invalid_scope(
                "Ask for '<admin URL>/.default', e.g. the adminUrl of the start-up line followed by /.default.",
            ));
        };
        let resource = self
            .resource(&resource_text)
            .ok_or_else(|| PlatformError::resource_not_found(&resource_text, tenant_label))?;
        Ok(Scope {
            resource,
            resource_text,
            offline_access,
            has_user_scopes,
        })
    }

    /// The token audience for `resource` when signing in to `tenant`: its admin URL.
    /// Another tenant's admin site is refused with AADSTS500011.
    pub fn audience_for(
        &self,
        resource: &Resource,
        resource_text: &str,
        tenant: &TenantInfo,
    ) -> Result<String, PlatformError> {
        match resource {
            Resource::OwnSite => Ok(tenant.admin_url.clone()),
            Resource::Site(name) if *name == tenant.name => Ok(tenant.admin_url.clone()),
            Resource::Site(_) => Err(PlatformError::resource_not_found(
                resource_text,
                &tenant.domain,
            )),
        }
    }

    /// Whether `url` is our token endpoint for `tenant` at any of our authorities, with any
    /// of its identifiers as the tenant segment (the `aud` of a client assertion).
    /// `localhost` counts as `127.0.0.1`; case and a trailing slash do not matter.
    pub fn is_token_endpoint_of(&self, url: &str, tenant: &TenantInfo) -> bool {
        let url = normalized(url);
        let base = normalized(&self.base_url);
        let Some(rest) = std::iter::once(&base)
            .chain(&self.other_authorities)
            .find_map(|authority| url.strip_prefix(authority.as_str()))
        else {
            return false;
        };
        let Some(segment) = rest
            .strip_prefix('/')
            .and_then(|rest| rest.strip_suffix("/oauth2/v2.0/token"))
        else {
            return false;
        };
        self.tenant_named(segment) == Some(tenant)
    }
}

/// Lowercased, without a trailing slash, with `localhost` as `127.0.0.1`.
fn normalized(url: &str) -> String {
    url.trim()
        .trim_end_matches('/')
        .to_ascii_lowercase()
        .replacen("://localhost:", "://127.0.0.1:", 1)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub const BASE: &str = "http://127.0.0.1:4000";

    pub fn realm() -> Realm {
        Realm::new(
            BASE,
            vec![
                TenantInfo::new(
                    "contoso",
                    Uuid::parse_str("9c47d690-0000-4000-8000-000000000001").unwrap(),
                    format!("{BASE}/contoso-admin"),
                ),
                TenantInfo::new(
                    "fabrikam",
                    Uuid::parse_str("9c47d690-0000-4000-8000-000000000002").unwrap(),
                    format!("{BASE}/fabrikam-admin"),
                ),
            ],
        )
    }

    fn named(audience: Audience<'_>) -> &str {
        match audience {
            Audience::Tenant(tenant) => &tenant.name,
            Audience::AnyOrganization => "*",
        }
    }

    #[test]
    fn tenants_are_known_by_name_id_and_domain() {
        let realm = realm();
        for segment in [
            "contoso",
            "Contoso",
            "contoso.onmicrosoft.com",
            "CONTOSO.onmicrosoft.com",
            "9c47d690-0000-4000-8000-000000000001",
            "9C47D690-0000-4000-8000-000000000001",
        ] {
            assert_eq!(
                named(realm.audience(segment).unwrap()),
                "contoso",
                "{segment}"
            );
        }
        assert_eq!(named(realm.audience("organizations").unwrap()), "*");
        assert_eq!(named(realm.audience("common").unwrap()), "*");
        for unknown in ["consumers", "northwind", "contoso.com", ""] {
            assert_eq!(
                realm.audience(unknown).unwrap_err().code,
                90002,
                "{unknown}"
            );
        }
    }

    #[test]
    fn scopes_name_an_admin_site_or_the_base_url() {
        let realm = realm();
        let scope = realm
            .scope(
                &format!("{BASE}/contoso-admin/.default offline_access"),
                "x",
            )
            .unwrap();
        assert_eq!(scope.resource, Resource::Site("contoso".into()));
        assert!(scope.offline_access);
        assert_eq!(
            scope.granted(),
            format!("{BASE}/contoso-admin/.default offline_access")
        );

        let origin = realm.scope(&format!("{BASE}/.default"), "x").unwrap();
        assert_eq!(origin.resource, Resource::OwnSite);
        assert!(!origin.offline_access);
        let localhost = realm
            .scope("http://LOCALHOST:4000/Fabrikam-Admin/.default openid", "x")
            .unwrap();
        assert_eq!(localhost.resource, Resource::Site("fabrikam".into()));
        assert!(localhost.has_user_scopes);
    }

    #[test]
    fn bad_scopes_are_refused() {
        let realm = realm();
        for (scope, code) in [
            ("", 70011),
            ("offline_access", 70011),
            (
                &format!("{BASE}/contoso-admin/AllSites.FullControl") as &str,
                70011,
            ),
            (
                &format!("{BASE}/contoso-admin/.default {BASE}/fabrikam-admin/.default"),
                70011,
            ),
            ("https://contoso-admin.sharepoint.com/.default", 500011),
            (&format!("{BASE}/contoso-my/.default"), 500011),
        ] {
            assert_eq!(
                realm.scope(scope, "contoso").unwrap_err().code,
                code,
                "{scope}"
            );
        }
    }

    #[test]
    fn app_only_scopes_are_exactly_dot_default() {
        let realm = realm();
        let plain = realm.scope(&format!("{BASE}/.default"), "x").unwrap();
        assert!(plain.check_app_only().is_ok());
        let offline = realm
            .scope(&format!("{BASE}/.default offline_access"), "x")
            .unwrap();
        assert_eq!(offline.check_app_only().unwrap_err().code, 1002012);
    }

    #[test]
    fn the_audience_is_the_tenants_own_admin_site() {
        let realm = realm();
        let contoso = realm.tenant("contoso").unwrap();
        assert_eq!(
            realm
                .audience_for(&Resource::OwnSite, BASE, contoso)
                .unwrap(),
            format!("{BASE}/contoso-admin")
        );
        assert_eq!(
            realm
                .audience_for(&Resource::Site("contoso".into()), "x", contoso)
                .unwrap(),
            format!("{BASE}/contoso-admin")
        );
        let refused = realm
            .audience_for(&Resource::Site("fabrikam".into()), "x", contoso)
            .unwrap_err();
        assert_eq!(refused.code, 500011);
        assert!(refused.text.contains("contoso.onmicrosoft.com"));
    }

    #[test]
    fn token_endpoints_match_with_any_tenant_identifier() {
        let realm = realm();
        let contoso = realm.tenant("contoso").unwrap();
        for url in [
            format!("{BASE}/contoso/oauth2/v2.0/token"),
            format!("{BASE}/contoso.onmicrosoft.com/oauth2/v2.0/token"),
            format!("{BASE}/9c47d690-0000-4000-8000-000000000001/oauth2/v2.0/token"),
            "http://localhost:4000/Contoso/oauth2/v2.0/token/".to_string(),
        ] {
            assert!(realm.is_token_endpoint_of(&url, contoso), "{url}");
        }
        for url in [
            format!("{BASE}/fabrikam/oauth2/v2.0/token"),
            format!("{BASE}/organizations/oauth2/v2.0/token"),
            format!("{BASE}/contoso/oauth2/v2.0/devicecode"),
            "http://127.0.0.1:4001/contoso/oauth2/v2.0/token".to_string(),
            "https://login.microsoftonline.com/contoso/oauth2/v2.0/token".to_string(),
        ] {
            assert!(!realm.is_token_endpoint_of(&url, contoso), "{url}");
        }
    }

    #[test]
    fn token_endpoints_match_at_the_other_authorities_too() {
        let realm = realm().also_at(["https://login.microsoftonline.us".to_string()]);
        let contoso = realm.tenant("contoso").unwrap();
        for url in [
            format!("{BASE}/contoso/oauth2/v2.0/token"),
            "https://LOGIN.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token"
                .to_string(),
        ] {
            assert!(realm.is_token_endpoint_of(&url, contoso), "{url}");
        }
        for url in [
            "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
            "https://login.microsoftonline.us/fabrikam/oauth2/v2.0/token",
            "https://login.microsoftonline.us.example/contoso/oauth2/v2.0/token",
        ] {
            assert!(!realm.is_token_endpoint_of(url, contoso), "{url}");
        }
    }
}
