//! The shapes of the names admins type for accounts: user principal names, e-mail
//! addresses and group aliases. Shape only: whether the account exists is the server's
//! business. Shared by the identity map rows and the move commands.

/// Longest UPN Entra ID accepts (113 characters before the @ is its own limit; the whole
/// name stays well below this).
const MAX_ADDRESS: usize = 256;
/// Longest mail nickname (alias) of a Microsoft 365 group.
const MAX_ALIAS: usize = 64;

/// `name@domain.tld`: what a user principal name looks like.
pub fn is_user_principal_name(text: &str) -> bool {
    is_address(text)
}

/// `name@domain.tld`: what an e-mail address looks like (the same shape as a UPN).
pub fn is_email_address(text: &str) -> bool {
    is_address(text)
}

/// One `@`, a local part of printable characters without spaces or address syntax, and a
/// DNS domain with at least two labels.
fn is_address(text: &str) -> bool {
    if text.len() > MAX_ADDRESS {
        return false;
    }
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_control() && !c.is_whitespace() && !"@()<>[]\\,;:\"".contains(c));
    local_ok && is_domain(domain)
}

/// `contoso.onmicrosoft.com`: labels of letters, digits and inner hyphens, two or more.
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// A group's mail nickname: 1 to 64 ASCII characters, no spaces, none of the characters
/// Exchange refuses in an alias, and no dot at either end.
pub fn is_group_alias(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_ALIAS
        && !text.starts_with('.')
        && !text.ends_with('.')
        && text
            .chars()
            .all(|c| c.is_ascii_graphic() && !"@()<>[]\\,;:\"".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_principal_names_need_a_local_part_and_a_dotted_domain() {
        for good in [
            "alex@contoso.onmicrosoft.com",
            "a.b+c@fabrikam.com",
            "jörg@müller.de",
            "x@a-b.co",
        ] {
            assert!(is_user_principal_name(good), "{good}");
        }
        for bad in [
            "",
            "alex",
            "alex@",
            "@contoso.com",
            "alex@contoso",
            "a b@contoso.com",
            "a@b@contoso.com",
            "alex@contoso..com",
            "alex@-contoso.com",
            ".alex@contoso.com",
            "al..ex@contoso.com",
            "alex@contoso.com ",
            "a,b@contoso.com",
        ] {
            assert!(!is_user_principal_name(bad), "{bad:?}");
        }
        assert!(!is_email_address(&format!("{}@c.com", "a".repeat(300))));
        assert!(is_email_address("alex@fabrikam.com"));
    }

    #[test]
    fn group_aliases_are_short_ascii_words() {
        for good in ["sales", "Sales-EMEA_2026", "a.b", "x"] {
            assert!(is_group_alias(good), "{good}");
        }
        for bad in [
            "",
            "sales team",
            "sales@contoso.com",
            ".sales",
            "sales.",
            "straße",
            "a,b",
            &"a".repeat(65),
        ] {
            assert!(!is_group_alias(bad), "{bad:?}");
        }
    }
}
