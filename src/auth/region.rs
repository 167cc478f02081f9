//! The Microsoft clouds that Connect-SPOService -Region names, and where each one signs in.

use crate::error::Error;
use std::fmt;
use std::str::FromStr;

/// A Microsoft cloud, as Connect-SPOService -Region spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// The commercial cloud (and GCC, which signs in there too).
    #[default]
    Default,
    /// US government high (GCC High, DoD).
    Itar,
    /// The former Microsoft Cloud Deutschland.
    Germany,
    /// The cloud operated by 21Vianet.
    China,
}

/// Every region with its -Region name and its login host, in one place so that a cloud
/// is added or corrected on one line.
const REGIONS: [(Region, &str, &str); 4] = [
    (
        Region::Default,
        "Default",
        "https://login.microsoftonline.com",
    ),
    (Region::Itar, "ITAR", "https://login.microsoftonline.us"),
    // Microsoft Cloud Deutschland closed in 2021; -Region still accepts the name, so we
    // keep its host rather than silently sending German tenants elsewhere.
    (
        Region::Germany,
        "Germany",
        "https://login.microsoftonline.de",
    ),
    (Region::China, "China", "https://login.chinacloudapi.cn"),
];

impl Region {
    /// Every region, in -Region order.
    pub fn all() -> impl Iterator<Item = Region> {
        REGIONS.iter().map(|(region, _, _)| *region)
    }

    /// The name Connect-SPOService -Region uses.
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// The identity platform host of this cloud, e.g. `https://login.microsoftonline.com`.
    pub fn login_host(self) -> &'static str {
        self.entry().2
    }

    fn entry(self) -> &'static (Region, &'static str, &'static str) {
        // The table covers every variant (a test checks it), so the fallback is never used.
        REGIONS
            .iter()
            .find(|(region, _, _)| *region == self)
            .unwrap_or(&REGIONS[0])
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Reads a -Region value, ignoring case and surrounding blanks.
    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        REGIONS
            .iter()
            .find(|(_, name, _)| name.eq_ignore_ascii_case(text))
            .map(|(region, _, _)| *region)
            .ok_or_else(|| {
                let names: Vec<&str> = REGIONS.iter().map(|(_, name, _)| *name).collect();
                Error::invalid_argument(
                    "RegionInvalid",
                    "Region",
                    format!("'{text}' is not a region. Use one of {}.", names.join(", ")),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_its_own_https_login_host() {
        let hosts: Vec<&str> = Region::all().map(Region::login_host).collect();
        assert_eq!(hosts.len(), 4);
        for (i, host) in hosts.iter().enumerate() {
            assert!(host.starts_with("https://login."), "{host}");
            assert!(!hosts[i + 1..].contains(host), "{host} repeated");
        }
        assert_eq!(Region::China.login_host(), "https://login.chinacloudapi.cn");
        assert_eq!(
            Region::Itar.login_host(),
            "https://login.microsoftonline.us"
        );
    }

    #[test]
    fn names_read_back_ignoring_case() {
        for region in Region::all() {
            assert_eq!(region.name().parse::<Region>().unwrap(), region);
            assert_eq!(
                format!(" {} ", region.name().to_lowercase())
                    .parse::<Region>()
                    .unwrap(),
                region
            );
        }
        let error = "Mars".parse::<Region>().unwrap_err();
        assert_eq!(error.id(), "RegionInvalid");
        assert!(error.message().contains("ITAR"));
    }
}
