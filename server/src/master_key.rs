//! The master key: where it comes from, and what the start-up does with it. It seals the
//! secrets the database keeps (`app::db::sealed`), so it must live outside the database: in
//! `ETAPE_MASTER_KEY`, or in a key file (`ETAPE_MASTER_KEY_FILE`, default `data/master.key`)
//! that only its owner may read, made on the first start of an empty database.

use app::db::sealed::MasterKey;
use app::db::{secrets, ticket_keys, Db, DbError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file when none is named.
pub const DEFAULT_KEY_FILE: &str = "data/master.key";

/// Where this process takes its master key from.
#[derive(Clone)]
pub enum MasterKeySource {
    /// The key itself, as `ETAPE_MASTER_KEY` gives it (43 base64url characters).
    Value(String),
    /// A key file, made when missing and the database holds nothing sealed yet.
    File(PathBuf),
    /// A key already in memory: tests and benchmarks.
    Key(MasterKey),
}

impl std::fmt::Debug for MasterKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MasterKeySource::Value(_) => f.write_str("ETAPE_MASTER_KEY"),
            MasterKeySource::File(path) => write!(f, "key file {}", path.display()),
            MasterKeySource::Key(_) => f.write_str("a key in memory"),
        }
    }
}

impl MasterKeySource {
    /// `ETAPE_MASTER_KEY` when set (and not empty), otherwise the key file `file`.
    pub fn from_env_or_file(file: PathBuf) -> Self {
        match std::env::var("ETAPE_MASTER_KEY") {
            Ok(value) if !value.trim().is_empty() => MasterKeySource::Value(value),
            _ => MasterKeySource::File(file),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error("ETAPE_MASTER_KEY is not a master key: expected 43 base64url characters, as `etape master-key` prints")]
    InvalidValue,
    #[error("the key file {path} does not hold a master key (43 base64url characters)")]
    InvalidFile { path: String },
    #[error("cannot read the key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the key file {path} may be read by other users (mode {mode:o}): run `chmod 600 {path}`"
    )]
    Readable { path: String, mode: u32 },
    #[error("cannot create the key file {path}: {source}")]
    Create {
        path: String,
        source: std::io::Error,
    },
    #[error("this database's secrets are sealed with a master key, and there is no key file at {path}: restore it from your backup, or set ETAPE_MASTER_KEY")]
    Missing { path: String },
    #[error("the master key from {from} does not open this database's secrets: they were sealed with another key")]
    Wrong { from: String },
    #[error("the database failed while checking the master key: {0}")]
    Storage(DbError),
}

/// Gives `db` its master key, then seals what older versions kept plain. Makes the key file
/// when it is missing and the database holds nothing sealed; refuses a key that does not open
/// what is sealed, before anything is written with it.
pub async fn unlock(db: &Db, source: &MasterKeySource) -> Result<(), MasterKeyError> {
    let sealed_before = has_sealed(db).await?;
    let key = match source {
        MasterKeySource::Key(key) => key.clone(),
        MasterKeySource::Value(raw) => {
            MasterKey::decode(raw).ok_or(MasterKeyError::InvalidValue)?
        }
        MasterKeySource::File(path) => match read_key_file(path)? {
            Some(key) => key,
            None if sealed_before => {
                return Err(MasterKeyError::Missing {
                    path: path.display().to_string(),
                })
            }
            None => create_key_file(path)?,
        },
    };
    db.unlock(key);
    let wrong = |error| match error {
        DbError::WrongMasterKey => MasterKeyError::Wrong {
            from: format!("{source:?}"),
        },
        other => MasterKeyError::Storage(other),
    };
    secrets::check_master_key(db).await.map_err(wrong)?;
    ticket_keys::check_master_key(db).await.map_err(wrong)?;
    let sealed = secrets::seal_plain_secrets(db).await.map_err(wrong)?
        + ticket_keys::seal_plain_seeds(db).await.map_err(wrong)?;
    if sealed > 0 {
        tracing::info!(
            sealed,
            "sealed the secrets kept in clear by an earlier version"
        );
    }
    Ok(())
}

async fn has_sealed(db: &Db) -> Result<bool, MasterKeyError> {
    let secrets = secrets::count_sealed(db).await;
    let seeds = ticket_keys::count_sealed(db).await;
    Ok(secrets.map_err(MasterKeyError::Storage)? + seeds.map_err(MasterKeyError::Storage)? > 0)
}

/// The key in `path`, or `None` when there is no such file.
fn read_key_file(path: &Path) -> Result<Option<MasterKey>, MasterKeyError> {
    let shown = || path.display().to_string();
    let raw = match std::fs::read_to_string(path) {
        Ok(raw) => raw,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(MasterKeyError::Read {
                path: shown(),
                source,
            })
        }
    };
    refuse_loose_permissions(path)?;
    MasterKey::decode(&raw)
        .map(Some)
        .ok_or_else(|| MasterKeyError::InvalidFile { path: shown() })
}

#[cfg(unix)]
fn refuse_loose_permissions(path: &Path) -> Result<(), MasterKeyError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|source| MasterKeyError::Read {
            path: path.display().to_string(),
            source,
        })?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(MasterKeyError::Readable {
            path: path.display().to_string(),
            mode: mode & 0o777,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_loose_permissions(_path: &Path) -> Result<(), MasterKeyError> {
    Ok(())
}

/// A new key in a new file that only its owner can read. `create_new`: two processes starting
/// together cannot both write one; the second reads the first's.
fn create_key_file(path: &Path) -> Result<MasterKey, MasterKeyError> {
    let failed = |source| MasterKeyError::Create {
        path: path.display().to_string(),
        source,
    };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let key = MasterKey::generate().map_err(MasterKeyError::Storage)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            writeln!(file, "{}", key.encode())
                .and_then(|()| file.sync_all())
                .map_err(failed)?;
            tracing::warn!(
                path = %path.display(),
                "made a new master key: back this file up apart from the database (README)"
            );
            Ok(key)
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => read_key_file(path)?
            .ok_or_else(|| MasterKeyError::InvalidFile {
                path: path.display().to_string(),
            }),
        Err(source) => Err(failed(source)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("etape_key_{}_{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("keys").join("master.key")
    }

    #[test]
    fn a_new_key_file_is_readable_by_its_owner_only_and_reads_back() {
        let path = scratch("new");
        let made = create_key_file(&path).unwrap();
        let read = read_key_file(&path).unwrap().unwrap();
        assert_eq!(made.encode(), read.encode());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A second start finds the file and keeps its key.
        assert_eq!(create_key_file(&path).unwrap().encode(), made.encode());
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_may_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let path = scratch("loose");
        create_key_file(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = read_key_file(&path).unwrap_err();
        assert!(matches!(
            refused,
            MasterKeyError::Readable { mode: 0o644, .. }
        ));
        assert!(refused.to_string().contains("chmod 600"));
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn a_damaged_key_file_is_refused() {
        let path = scratch("damaged");
        create_key_file(&path).unwrap();
        std::fs::write(&path, "not a key\n").unwrap();
        assert!(matches!(
            read_key_file(&path),
            Err(MasterKeyError::InvalidFile { .. })
        ));
        let _ = std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap());
    }
}
