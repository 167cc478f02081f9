//! The user accounts: one administrator per tenant, `admin@<name>.onmicrosoft.com`, with a
//! random password per run (printed in the start-up line).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

use super::tenancy::Realm;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The user principal name, lowercased.
    pub upn: String,
    /// The tenant's name.
    pub tenant: String,
    pub password: String,
    /// Whether the account is a SharePoint admin (the `admin` claim).
    pub admin: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Accounts {
    accounts: Vec<Account>,
}

impl Accounts {
    /// `admin@<domain>` for every tenant, with passwords from `password`.
    pub fn for_realm(realm: &Realm, mut password: impl FnMut() -> String) -> Self {
        let accounts = realm
            .tenants()
            .iter()
            .map(|tenant| Account {
                upn: format!("admin@{}", tenant.domain),
                tenant: tenant.name.clone(),
                password: password(),
                admin: true,
            })
            .collect();
        Accounts { accounts }
    }

    /// The account named `upn`, in any case.
    pub fn find(&self, upn: &str) -> Option<&Account> {
        let upn = upn.trim();
        self.accounts
            .iter()
            .find(|account| account.upn.eq_ignore_ascii_case(upn))
    }

    /// The tenant's administrator.
    pub fn admin_of(&self, tenant: &str) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|account| account.tenant == tenant && account.admin)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter()
    }
}

/// A fresh password: 24 random characters (144 bits) after a fixed prefix that gives it
/// upper case, lower case, a digit and a symbol, as password rules like.
pub fn random_password() -> String {
    format!("Emu-1{}", random_text(18))
}

/// `bytes` random bytes as base64url (4/3 as many characters).
pub fn random_text(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buffer)
        .expect("the system random source works");
    URL_SAFE_NO_PAD.encode(buffer)
}

#[cfg(test)]
mod tests {
    use super::super::tenancy::tests::realm;
    use super::*;

    #[test]
    fn every_tenant_has_an_admin_with_its_own_password() {
        let accounts = Accounts::for_realm(&realm(), random_password);
        let contoso = accounts.find("Admin@Contoso.onmicrosoft.com").unwrap();
        assert_eq!(contoso.upn, "admin@contoso.onmicrosoft.com");
        assert_eq!(contoso.tenant, "contoso");
        assert!(contoso.admin);
        let fabrikam = accounts.admin_of("fabrikam").unwrap();
        assert_eq!(fabrikam.upn, "admin@fabrikam.onmicrosoft.com");
        assert_ne!(contoso.password, fabrikam.password);
        assert!(accounts.find("admin@contoso.com").is_none());
        assert!(accounts.admin_of("northwind").is_none());
        assert_eq!(accounts.iter().count(), 2);
    }

    #[test]
    fn passwords_are_long_and_random() {
        let first = random_password();
        assert_eq!(first.len(), 5 + 24);
        assert_ne!(first, random_password());
    }
}
