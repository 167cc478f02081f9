//! The `--state` file: tenants, their relations, content and identity maps, the moves, and
//! the token signing key, kept across restarts so issued tokens, dormant periods and moves
//! survive. Files written before migration support (no content, maps or moves) still load.
//!
//! Every write is atomic (temporary file in the same directory, fsync, rename, fsync of
//! the directory), so a crash leaves either the old state or the new one, never half.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::tenant::content::Content;
use crate::tenant::host_url::HostUrl;
use crate::tenant::identity_map::IdentityMap;
use crate::tenant::moves::{Move, MoveBook};
use crate::tenant::{Directory, Relation, Tenant};
use crate::wire::enums::{Role, Scenario};

const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedState {
    format_version: u32,
    /// The address last listened on, reused when `--listen` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    listen: Option<SocketAddr>,
    signing_key: String,
    tenants: Vec<SavedTenant>,
    #[serde(default)]
    moves: Vec<Move>,
    /// Written with `--proxy`: the URLs kept are the real names', not the listener's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    real_host_names: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedTenant {
    name: String,
    id: String,
    relations: Vec<SavedRelation>,
    /// `None` in files from before migration support: the tenant gets its default content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content: Option<Content>,
    #[serde(default)]
    identity_map: IdentityMap,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedRelation {
    scenario: Scenario,
    partner_role: Role,
    partner_host_url: String,
    created_unix_ms: u64,
}

impl SavedState {
    pub fn capture(directory: &Directory, signing_key: &[u8], listen: Option<SocketAddr>) -> Self {
        SavedState {
            format_version: FORMAT_VERSION,
            listen,
            signing_key: STANDARD.encode(signing_key),
            tenants: directory
                .tenants()
                .map(|tenant| SavedTenant {
                    name: tenant.name.clone(),
                    id: tenant.id.to_string(),
                    relations: tenant
                        .relations
                        .iter()
                        .map(SavedRelation::capture)
                        .collect(),
                    content: Some(tenant.content.clone()),
                    identity_map: tenant.identity_map.clone(),
                })
                .collect(),
            moves: directory.moves().all().to_vec(),
            real_host_names: directory.layout().uses_real_names(),
        }
    }

    /// Whether the URLs kept are the real names' (`--proxy`).
    pub fn real_host_names(&self) -> bool {
        self.real_host_names
    }

    /// The moves, with their indexes rebuilt.
    pub fn moves(&self) -> MoveBook {
        MoveBook::from_moves(self.moves.clone())
    }

    /// Tenants saved without content (older files), which get their default content.
    pub fn tenants_without_content(&self) -> Vec<String> {
        self.tenants
            .iter()
            .filter(|tenant| tenant.content.is_none())
            .map(|tenant| tenant.name.clone())
            .collect()
    }

    pub fn signing_key<const KEY_LENGTH: usize>(&self) -> Result<[u8; KEY_LENGTH], String> {
        let bytes = STANDARD
            .decode(&self.signing_key)
            .map_err(|_| "the signing key is not base64".to_string())?;
        bytes
            .try_into()
            .map_err(|_| format!("the signing key is not {KEY_LENGTH} bytes"))
    }

    pub fn listen(&self) -> Option<SocketAddr> {
        self.listen
    }

    pub fn tenants(&self) -> Result<Vec<Tenant>, String> {
        self.tenants.iter().map(SavedTenant::restore).collect()
    }
}

impl SavedTenant {
    fn restore(&self) -> Result<Tenant, String> {
        let id = Uuid::parse_str(&self.id)
            .map_err(|_| format!("tenant {} has an invalid id", self.name))?;
        let relations = self
            .relations
            .iter()
            .map(|saved| {
                let partner_host_url = HostUrl::parse(&saved.partner_host_url)
                    .map_err(|failure| format!("tenant {}: {}", self.name, failure.message))?;
                Ok(Relation {
                    scenario: saved.scenario,
                    partner_role: saved.partner_role,
                    partner_host_url,
                    created: UNIX_EPOCH + Duration::from_millis(saved.created_unix_ms),
                })
            })
            .collect::<Result<_, String>>()?;
        let mut tenant = Tenant::new(self.name.clone(), id);
        tenant.relations = relations;
        tenant.content = self.content.clone().unwrap_or_default();
        tenant.identity_map = self.identity_map.clone();
        Ok(tenant)
    }
}

impl SavedRelation {
    fn capture(relation: &Relation) -> Self {
        let since_epoch = relation
            .created
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        SavedRelation {
            scenario: relation.scenario,
            partner_role: relation.partner_role,
            partner_host_url: relation.partner_host_url.as_str().to_string(),
            created_unix_ms: u64::try_from(since_epoch.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// Reads the state file; a missing file is `Ok(None)` (first start).
pub fn load(path: &Path) -> Result<Option<SavedState>, String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    let state: SavedState = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not a state file: {error}", path.display()))?;
    if state.format_version != FORMAT_VERSION {
        return Err(format!(
            "{} has format version {}, this emulator reads {FORMAT_VERSION}",
            path.display(),
            state.format_version
        ));
    }
    Ok(Some(state))
}

pub fn save(path: &Path, state: &SavedState) -> io::Result<()> {
    // Compact: with thousands of moves the file is rewritten often.
    let text = serde_json::to_vec(state).map_err(io::Error::other)?;
    write_atomically(path, &text)
}

/// Replaces `path` with `contents` so readers see the old file or the new one, never a mix.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let temporary = directory.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
        return written;
    }
    // Make the rename itself durable; some platforms cannot open directories, which is fine.
    if let Ok(directory) = File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::directory::tests::two_tenants;

    #[test]
    fn state_round_trips_through_a_file() {
        let mut directory = two_tenants();
        let partner = HostUrl::parse("https://northwind-my.sharepoint.com").unwrap();
        let created = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        directory.set_relation("contoso", Scenario::MnA, Role::Source, partner, created);
        let key = [7u8; 32];

        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        let listen: SocketAddr = "127.0.0.1:4321".parse().unwrap();
        save(&path, &SavedState::capture(&directory, &key, Some(listen))).unwrap();
        let loaded = load(&path).unwrap().unwrap();

        assert_eq!(loaded.listen(), Some(listen));
        assert_eq!(loaded.signing_key::<32>().unwrap(), key);
        let tenants = loaded.tenants().unwrap();
        let original: Vec<Tenant> = directory.tenants().cloned().collect();
        assert_eq!(tenants, original);
        assert_eq!(tenants[0].relations[0].created, created);
        assert!(!loaded.real_host_names());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("realHostNames"), "{text}");
    }

    #[test]
    fn a_state_of_real_names_says_so() {
        let mut directory = Directory::new(crate::tenant::SiteLayout::real_names(
            "http://127.0.0.1:4321",
        ));
        directory.add_tenant(Tenant::new("contoso", Uuid::new_v4()));
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        save(&path, &SavedState::capture(&directory, &[1u8; 32], None)).unwrap();
        assert!(load(&path).unwrap().unwrap().real_host_names());
    }

    #[test]
    fn content_maps_and_moves_round_trip_and_old_files_still_load() {
        use crate::tenant::moves::tests::sample;
        let mut directory = two_tenants();
        let id = directory.tenant("contoso").unwrap().id;
        let content =
            crate::tenant::default_content::default_content(directory.layout(), "contoso", id);
        let contoso = directory.tenant_mut_checked("contoso").unwrap();
        contoso.content = content;
        let item = format!("User,{id},a@b.com,c@d.com,c@d.com,RegularUser");
        contoso.identity_map.merge(&[item]);
        let mut book = MoveBook::default();
        book.add(sample(1));
        let mut stopped = sample(1);
        stopped.stopped = Some(UNIX_EPOCH + Duration::from_millis(1_000_500_000));
        stopped.settled = true;
        book.add(stopped);
        directory.restore_moves(book);

        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        save(&path, &SavedState::capture(&directory, &[1u8; 32], None)).unwrap();
        let loaded = load(&path).unwrap().unwrap();
        let original: Vec<Tenant> = directory.tenants().cloned().collect();
        assert_eq!(loaded.tenants().unwrap(), original);
        assert_eq!(loaded.moves().all(), directory.moves().all());
        assert_eq!(loaded.moves().active_from("contoso"), 1);
        assert!(loaded.tenants_without_content().is_empty());

        fs::write(
            &path,
            r#"{"formatVersion":1,"signingKey":"","tenants":[{"name":"old","id":"9c47d690-0000-4000-8000-000000000001","relations":[]}]}"#,
        )
        .unwrap();
        let old = load(&path).unwrap().unwrap();
        assert_eq!(old.tenants_without_content(), vec!["old".to_string()]);
        assert!(old.moves().all().is_empty());
    }

    #[test]
    fn a_missing_file_is_a_first_start() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(load(&folder.path().join("absent.json")), Ok(None));
    }

    #[test]
    fn garbage_and_future_formats_are_refused() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        fs::write(&path, "{not json").unwrap();
        assert!(load(&path).unwrap_err().contains("not a state file"));
        fs::write(
            &path,
            r#"{"formatVersion":99,"signingKey":"","tenants":[]}"#,
        )
        .unwrap();
        assert!(load(&path).unwrap_err().contains("format version 99"));
    }

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_no_temporary() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        write_atomically(&path, b"a much longer first version").unwrap();
        write_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("state.json");
        write_atomically(&path, b"old").unwrap();
        // Renaming over a directory fails, so the old content must be untouched.
        let blocked = folder.path().join("blocked");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("inside"), b"x").unwrap();
        assert!(write_atomically(&blocked, b"new").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert!(
            !folder
                .path()
                .join(".blocked.".to_string() + &std::process::id().to_string() + ".tmp")
                .exists()
        );
    }
}
