//! Failures injected into moves (`--move-fault`, `/_emulator/move-faults`): `KEY=PHASE`
//! makes every move started for that source key (a UPN, a site URL or a group alias; `*`
//! for every move) fail half-way through that phase, so each failure path can be rehearsed.
//! A rule stays armed until cleared; it is read when a move starts.

use std::fmt;
use std::str::FromStr;

use super::content::key_of;
use super::moves::Phase;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveFault {
    /// Normalized source key; `None` for every move.
    pub key: Option<String>,
    pub phase: Phase,
}

impl FromStr for MoveFault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        // Split at the last '=': site URLs have colons but no '='.
        let Some((key, phase)) = text.trim().rsplit_once('=') else {
            return Err(format!(
                "'{text}' is not KEY=PHASE (for example alex@contoso.onmicrosoft.com=Restore, or *=Backup)"
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("'{text}' names no source key (or *) before '='"));
        }
        let phase = Phase::from_name(phase).ok_or_else(|| {
            format!("'{phase}' is not a move phase: use Validation, Backup, Restore or Cleanup")
        })?;
        Ok(MoveFault {
            key: (key != "*").then(|| key_of(key)),
            phase,
        })
    }
}

impl fmt::Display for MoveFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}",
            self.key.as_deref().unwrap_or("*"),
            self.phase.name()
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct MoveFaults {
    rules: Vec<MoveFault>,
}

impl MoveFaults {
    pub fn add(&mut self, fault: MoveFault) {
        self.rules.retain(|rule| rule.key != fault.key);
        self.rules.push(fault);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The phase a move for this key fails in: a rule for the key wins over `*`.
    pub fn phase_for(&self, source_key: &str) -> Option<Phase> {
        let key = key_of(source_key);
        self.rules
            .iter()
            .find(|rule| rule.key.as_deref() == Some(key.as_str()))
            .or_else(|| self.rules.iter().find(|rule| rule.key.is_none()))
            .map(|rule| rule.phase)
    }

    pub fn specs(&self) -> Vec<String> {
        self.rules.iter().map(ToString::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_the_key_wins_over_the_star() {
        let mut faults = MoveFaults::default();
        faults.add("*=backup".parse().unwrap());
        faults.add("Alex@Contoso.onmicrosoft.com=Restore".parse().unwrap());
        faults.add(
            "http://127.0.0.1:9000/contoso/sites/legal=Cleanup"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            faults.phase_for("alex@contoso.onmicrosoft.com"),
            Some(Phase::Restore)
        );
        assert_eq!(
            faults.phase_for("bianca@contoso.onmicrosoft.com"),
            Some(Phase::Backup)
        );
        assert_eq!(
            faults.phase_for("http://127.0.0.1:9000/contoso/sites/legal/"),
            Some(Phase::Cleanup)
        );
        assert_eq!(faults.specs()[0], "*=Backup");
        faults.clear();
        assert_eq!(faults.phase_for("x"), None);
        for bad in ["alex", "=Restore", "alex=Later"] {
            assert!(bad.parse::<MoveFault>().is_err(), "{bad}");
        }
    }
}
