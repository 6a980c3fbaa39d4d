//! Personal data at rest. Names, emails, organisation contact details,
//! accessibility needs, staff's decision reasons (registrations and audit
//! log) and the outbox's addresses, bodies and unsubscribe links are stored
//! sealed with XChaCha20-Poly1305: a version byte, a random 24-byte nonce,
//! then the ciphertext and its tag. The column's name (`table.column`) is the
//! associated data, so a sealed value cannot be moved to another column. An
//! email that must be found by equality also gets a keyed hash
//! ([`DataKey::lookup`], HMAC-SHA256 of the lowercased address), which is
//! what the unique indexes cover. A copy of the database file alone reveals
//! no name or address.
//!
//! The key: `LAUSANNE_DATA_KEY` (64 hex digits), or else the file `data.key`
//! beside the database, created with mode 0600 at the first start. Two
//! subkeys are derived from it (HMAC-SHA256 with distinct labels), one to
//! seal and one for lookups. Losing the key loses the data.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The first byte of every sealed value: the format (and key derivation) in use.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// The name of the key file in the database's folder.
pub const KEY_FILE: &str = "data.key";

/// The data key, with its two derived subkeys. Cheap to clone; its `Debug`
/// shows nothing of it.
#[derive(Clone)]
pub struct DataKey(Arc<Subkeys>);

struct Subkeys {
    seal: XChaCha20Poly1305,
    lookup: [u8; 32],
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// Where the data key comes from (see [`crate::server::Config::data_key`]).
#[derive(Clone, Debug)]
pub enum KeySource {
    /// `LAUSANNE_DATA_KEY`.
    Given(DataKey),
    /// The key file, created on first use.
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error(
        "cannot decrypt {column}: the data key is not the one this data was encrypted with, \
         or the data is damaged"
    )]
    Open { column: String },
    #[error("the operating system's random number generator failed: {0}")]
    Random(getrandom::Error),
    #[error("cannot encrypt {column}")]
    Seal { column: String },
}

/// Database functions return `sqlx::Error`; a value that cannot be sealed or
/// opened is a decoding (or encoding) failure of its column.
impl From<CryptoError> for sqlx::Error {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::Open { .. } => sqlx::Error::Decode(Box::new(e)),
            _ => sqlx::Error::Encode(Box::new(e)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or create the data key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the data key file {path} is not valid: {reason}")]
    Invalid { path: String, reason: String },
    #[error(
        "the data key file {path} may be read by other users (mode {mode:o}); \
         make it private with `chmod 600 {path}`"
    )]
    Permissions { path: String, mode: u32 },
    #[error("the operating system's random number generator failed: {0}")]
    Random(getrandom::Error),
    #[error(
        "the data key does not open this database's data: LAUSANNE_DATA_KEY (or the key file \
         beside the database) is not the key the data was encrypted with"
    )]
    Mismatch,
    #[error(
        "the database's personal data is encrypted, but the data key file {path} is missing: \
         restore it (or give the key in LAUSANNE_DATA_KEY); a new key could read none of the data"
    )]
    Missing { path: String },
    #[error("cannot prepare the database's encrypted data: {0}")]
    Database(#[from] sqlx::Error),
}

fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    let mut mac = hmac_with(master);
    mac.update(label);
    mac.finalize().into_bytes().into()
}

fn hmac_with(key: &[u8]) -> HmacSha256 {
    match <HmacSha256 as Mac>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

impl DataKey {
    pub fn from_bytes(master: &[u8; 32]) -> Self {
        let seal = derive(master, b"lausanne v1 seal");
        let lookup = derive(master, b"lausanne v1 lookup");
        Self(Arc::new(Subkeys {
            seal: XChaCha20Poly1305::new(Key::from_slice(&seal)),
            lookup,
        }))
    }

    /// A key written as 64 hexadecimal digits (32 bytes), e.g. the output of
    /// `openssl rand -hex 32`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() != 64 || !bytes.iter().all(u8::is_ascii_hexdigit) {
            return Err(format!(
                "it must be 64 hexadecimal digits (32 bytes; `openssl rand -hex 32` makes one), \
                 not {} characters",
                text.chars().count()
            ));
        }
        let mut master = [0u8; 32];
        for (byte, pair) in master.iter_mut().zip(bytes.chunks_exact(2)) {
            *byte = (hex_digit(pair[0]) << 4) | hex_digit(pair[1]);
        }
        Ok(Self::from_bytes(&master))
    }

    /// Seals `plain` for `column` (`table.column`).
    pub fn seal(&self, column: &str, plain: &str) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(CryptoError::Random)?;
        let sealed = self
            .0
            .seal
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Seal {
                column: column.to_owned(),
            })?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a value [`seal`](Self::seal)ed for `column`.
    pub fn open(&self, column: &str, sealed: &[u8]) -> Result<String, CryptoError> {
        let fail = || CryptoError::Open {
            column: column.to_owned(),
        };
        if sealed.len() < 1 + NONCE_LEN + TAG_LEN || sealed[0] != VERSION {
            return Err(fail());
        }
        let (nonce, ciphertext) = sealed[1..].split_at(NONCE_LEN);
        let plain = self
            .0
            .seal
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: column.as_bytes(),
                },
            )
            .map_err(|_| fail())?;
        String::from_utf8(plain).map_err(|_| fail())
    }

    pub fn seal_opt(
        &self,
        column: &str,
        plain: Option<&str>,
    ) -> Result<Option<Vec<u8>>, CryptoError> {
        plain.map(|p| self.seal(column, p)).transpose()
    }

    pub fn open_opt(
        &self,
        column: &str,
        sealed: Option<&[u8]>,
    ) -> Result<Option<String>, CryptoError> {
        sealed.map(|s| self.open(column, s)).transpose()
    }

    /// The keyed hash that finds `value` in `column` by equality: HMAC-SHA256
    /// of the column's name and the trimmed, lowercased value (emails compare
    /// without regard to case).
    pub fn lookup(&self, column: &str, value: &str) -> Vec<u8> {
        let mut mac = hmac_with(&self.0.lookup);
        mac.update(column.as_bytes());
        mac.update(&[0]);
        mac.update(value.trim().to_lowercase().as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

fn hex_digit(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

/// The key from `source`: the given one, or the key file's, creating the file
/// (mode 0600) when there is none.
pub fn load(source: &KeySource) -> Result<DataKey, KeyError> {
    match source {
        KeySource::Given(key) => Ok(key.clone()),
        KeySource::File(path) => match std::fs::symlink_metadata(path) {
            Ok(_) => read_key_file(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_key_file(path),
            Err(source) => Err(io(path, source)),
        },
    }
}

fn io(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn read_key_file(path: &Path) -> Result<DataKey, KeyError> {
    let metadata = std::fs::metadata(path).map_err(|e| io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Permissions {
                path: path.display().to_string(),
                mode,
            });
        }
    }
    if metadata.len() > 1024 {
        return Err(KeyError::Invalid {
            path: path.display().to_string(),
            reason: "it is far longer than a key".to_owned(),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
    DataKey::parse(&text).map_err(|reason| KeyError::Invalid {
        path: path.display().to_string(),
        reason,
    })
}

/// Writes a fresh key to a private temporary file, then links it into place:
/// the key file appears whole or not at all, and if another process created
/// it meanwhile, theirs is used.
fn create_key_file(path: &Path) -> Result<DataKey, KeyError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut master = [0u8; 32];
    getrandom::fill(&mut master).map_err(KeyError::Random)?;
    let hex: String = master.iter().map(|b| format!("{b:02x}")).collect();
    let temporary = dir.join(format!(".{KEY_FILE}.{}.tmp", std::process::id()));
    // Left over by a process that died here with the same id, if any.
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(format!("{hex}\n").as_bytes())?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => {
            // Info, not warn: shown at the default level, and first-run
            // output stays on one line for scripts that filter to warnings.
            tracing::info!(
                path = %path.display(),
                "generated a new data key: back it up apart from the database, \
                 without it the personal data cannot be read"
            );
            Ok(DataKey::from_bytes(&master))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key_file(path),
        Err(e) => Err(io(path, e)),
    }
}

/// Columns sealed with the data key, as `table.column`.
pub const SEALED: &[&str] = &[
    REGISTRATION_NAME,
    REGISTRATION_ORGANISATION,
    REGISTRATION_ROLE,
    REGISTRATION_EMAIL,
    REGISTRATION_ACCESSIBILITY,
    REGISTRATION_REASON,
    ORGANISATION_CONTACT_EMAIL,
    ORGANISATION_WEBSITE,
    SUBSCRIBER_EMAIL,
    OUTBOX_TO,
    OUTBOX_BODY,
    OUTBOX_LIST_UNSUBSCRIBE,
    USER_EMAIL,
    USER_DISPLAY_NAME,
    USER_TOTP_SECRET,
    AUDIT_REASON,
    QUESTION_TEXT,
    QUESTION_TRANSLATION,
    QUESTION_REASON,
    PRIORITY_TEXT,
    PRIORITY_ORGANISATION,
    FEEDBACK_CHANGE,
];

pub const REGISTRATION_NAME: &str = "registrations.name";
pub const REGISTRATION_ORGANISATION: &str = "registrations.organisation";
pub const REGISTRATION_ROLE: &str = "registrations.role";
pub const REGISTRATION_EMAIL: &str = "registrations.email";
pub const REGISTRATION_ACCESSIBILITY: &str = "registrations.accessibility";
pub const REGISTRATION_REASON: &str = "registrations.reason";
pub const ORGANISATION_CONTACT_EMAIL: &str = "organisations.contact_email";
pub const ORGANISATION_WEBSITE: &str = "organisations.website";
pub const SUBSCRIBER_EMAIL: &str = "subscribers.email";
pub const OUTBOX_TO: &str = "outbox.to_address";
pub const OUTBOX_BODY: &str = "outbox.body_text";
pub const OUTBOX_LIST_UNSUBSCRIBE: &str = "outbox.list_unsubscribe";
pub const USER_EMAIL: &str = "users.email";
pub const USER_DISPLAY_NAME: &str = "users.display_name";
pub const USER_TOTP_SECRET: &str = "users.totp_secret";
/// Not sealed: the lookup hash of a recovery code.
pub const RECOVERY_CODE: &str = "recovery_codes.code_lookup";
pub const AUDIT_REASON: &str = "audit.reason";
pub const QUESTION_TEXT: &str = "questions.text";
pub const QUESTION_TRANSLATION: &str = "questions.translation";
pub const QUESTION_REASON: &str = "questions.reason";
/// Not sealed: the lookup hash of the private link (or device) a question
/// was asked from.
pub const QUESTION_AUTHOR: &str = "questions.author_key";
pub const PRIORITY_TEXT: &str = "priorities.text";
pub const PRIORITY_ORGANISATION: &str = "priorities.organisation";
pub const FEEDBACK_CHANGE: &str = "feedback.change";
/// Not sealed: the lookup hash of the registration that answered
/// (priorities, feedback).
pub const RESPONDENT: &str = "hearing.respondent_key";
/// Not sealed: the lookup hash of the registration that voted.
pub const QUESTION_VOTER: &str = "question_votes.voter";
/// Not stored: the keyed hash a registration's check-in code is made from.
pub const CHECKIN_CODE: &str = "checkins.code";
/// Not sealed: the lookup hash under which confirmation emails are counted.
pub const MAIL_QUOTA: &str = "mail_quota.address_lookup";
/// Not sealed: the lookup hash of what a shared rate limit counts
/// (`rate_limits.key`, `strikes.key`, PostgreSQL only).
pub const LIMIT: &str = "limits.key";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::from_bytes(&[byte; 32])
    }

    #[test]
    fn sealed_values_open_with_their_key_and_column_only() {
        let sealed = key(1).seal(REGISTRATION_NAME, "ريما الحلبي").unwrap();
        assert_eq!(
            key(1).open(REGISTRATION_NAME, &sealed).unwrap(),
            "ريما الحلبي"
        );
        let plain = "ريما".as_bytes();
        assert!(!sealed.windows(plain.len()).any(|w| w == plain));
        let wrong_key = key(2).open(REGISTRATION_NAME, &sealed).unwrap_err();
        assert!(wrong_key.to_string().contains("registrations.name"));
        assert!(key(1).open(REGISTRATION_EMAIL, &sealed).is_err());
        assert!(key(1).open(REGISTRATION_NAME, b"plain").is_err());
        // A fresh nonce each time.
        assert_ne!(
            sealed,
            key(1).seal(REGISTRATION_NAME, "ريما الحلبي").unwrap()
        );
    }

    #[test]
    fn lookups_ignore_case_and_differ_per_key_and_column() {
        let k = key(1);
        assert_eq!(
            k.lookup(USER_EMAIL, "Rima@Example.org"),
            k.lookup(USER_EMAIL, "rima@example.org ")
        );
        assert_ne!(
            k.lookup(USER_EMAIL, "a@b.org"),
            k.lookup(SUBSCRIBER_EMAIL, "a@b.org")
        );
        assert_ne!(
            k.lookup(USER_EMAIL, "a@b.org"),
            key(2).lookup(USER_EMAIL, "a@b.org")
        );
    }

    #[test]
    fn keys_parse_from_64_hex_digits_only() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        let sealed = DataKey::parse(hex).unwrap().seal(USER_EMAIL, "x").unwrap();
        assert_eq!(
            DataKey::parse(&format!(" {hex}\n"))
                .unwrap()
                .open(USER_EMAIL, &sealed)
                .unwrap(),
            "x"
        );
        for bad in ["", "abc", &hex[1..], &format!("{}g", &hex[1..])] {
            assert!(
                DataKey::parse(bad)
                    .unwrap_err()
                    .contains("64 hexadecimal digits")
            );
        }
        assert_eq!(format!("{:?}", DataKey::parse(hex).unwrap()), "DataKey(..)");
    }

    #[test]
    fn the_key_comes_from_the_environment_or_a_file_beside_the_database() {
        use crate::server::Config;
        let config = Config::from_lookup(|n| {
            (n == "DATABASE_URL").then(|| "sqlite:///srv/lausanne/db.sqlite?mode=rwc".to_owned())
        })
        .unwrap();
        match config.data_key {
            KeySource::File(path) => assert_eq!(path, Path::new("/srv/lausanne/data.key")),
            KeySource::Given(_) => panic!("no key was given"),
        }
        let error =
            Config::from_lookup(|n| (n == "LAUSANNE_DATA_KEY").then(|| "secret".to_owned()))
                .unwrap_err()
                .to_string();
        assert!(
            error.starts_with("LAUSANNE_DATA_KEY is not valid: it must be 64 hexadecimal digits"),
            "{error}"
        );
        assert!(!error.contains("secret"));
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile_dir();
        let path = dir.join("nested").join(KEY_FILE);
        let source = KeySource::File(path.clone());
        let first = load(&source).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let sealed = first.seal(USER_EMAIL, "a@b.org").unwrap();
        assert_eq!(
            load(&source).unwrap().open(USER_EMAIL, &sealed).unwrap(),
            "a@b.org"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(load(&source), Err(KeyError::Permissions { .. })));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(&path, "short\n").unwrap();
        assert!(matches!(load(&source), Err(KeyError::Invalid { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).unwrap();
        let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        std::env::temp_dir().join(format!("lausanne-key-test-{name}"))
    }
}
