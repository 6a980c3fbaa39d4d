//! Staff passwords: argon2id hashing (OWASP parameters) on a blocking
//! thread, generated passwords, and creating an account.

use std::sync::LazyLock;

use crate::server::db::Db;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::{Email, Role};
use crate::server::crypto::DataKey;
use crate::server::db::users;

/// The shortest password a person may choose (generated ones are longer).
pub const MIN_PASSWORD_LEN: usize = 12;

/// Longer input is refused before hashing, so it cannot be used to burn CPU.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// Length of [`generate_password`]'s passwords.
pub const GENERATED_PASSWORD_LEN: usize = 24;

/// argon2id with OWASP's parameters: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    let params = Params::new(
        Params::DEFAULT_M_COST,
        Params::DEFAULT_T_COST,
        Params::DEFAULT_P_COST,
        None,
    )?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password to a PHC string (algorithm, parameters, salt, hash).
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .map_err(|e| AuthError::Hash(e.to_string()))?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `phc` (parameters are read from it).
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        tracing::error!("a stored password hash cannot be parsed");
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Password hashes computed at once: each takes 19 MiB and a core, so a
/// burst of sign-ins waits its turn instead of exhausting memory.
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// The most hashes that ran at once so far (tests read it).
static HASHING_PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static HASHING_NOW: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many password hashes ran at once at most, and the bound.
pub fn hashing_peak() -> (usize, usize) {
    use std::sync::atomic::Ordering;
    (
        HASHING_PEAK.load(Ordering::Relaxed),
        std::thread::available_parallelism().map_or(2, |n| n.get()),
    )
}

/// Runs `work` (argon2) on a blocking thread, at most one per core at once.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    use std::sync::atomic::Ordering;
    // The permit goes with the work: a request given up on (a client gone,
    // a deadline) cannot release it while the hash still runs.
    let permit = HASHING.acquire().await.ok()?;
    tokio::task::spawn_blocking(move || {
        let now = HASHING_NOW.fetch_add(1, Ordering::Relaxed) + 1;
        HASHING_PEAK.fetch_max(now, Ordering::Relaxed);
        let done = work();
        HASHING_NOW.fetch_sub(1, Ordering::Relaxed);
        drop(permit);
        done
    })
    .await
    .ok()
}

/// [`hash_password`] on a blocking thread, bounded like every hash.
pub async fn hash_blocking(password: String) -> Result<String, AuthError> {
    bounded(move || hash_password(&password))
        .await
        .unwrap_or_else(|| Err(AuthError::Hash("the hashing task failed".to_owned())))
}

/// A hash of a password nobody knows, verified when the email is unknown so
/// that a wrong email takes as long as a wrong password.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_password(&generate_password()).ok());

/// Verifies on a blocking thread (argon2 is deliberately slow). `None` runs
/// the dummy verification and is always false.
pub(super) async fn verify_blocking(password: String, phc: Option<String>) -> bool {
    let checked = bounded(move || match phc {
        Some(phc) => verify_password(&password, &phc),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                let _ = verify_password(&password, dummy);
            }
            false
        }
    })
    .await;
    checked.unwrap_or(false)
}

/// Why a password a person chose is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeakPassword {
    TooShort,
    TooLong,
    /// On the bundled list of common passwords (or one of them with digits
    /// and symbols added at the end), or one character repeated.
    Common,
}

const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

/// Whether a password a person chose may be used: at least 12 characters,
/// at most 1024, and not a common one.
pub fn check_new_password(password: &str) -> Result<(), WeakPassword> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Err(WeakPassword::TooShort);
    }
    if length > MAX_PASSWORD_LEN {
        return Err(WeakPassword::TooLong);
    }
    let lower = password.to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    let common = COMMON_PASSWORDS
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == lower || (stem.len() >= 8 && l.starts_with(stem) && lower.starts_with(l)));
    let repeated = lower.chars().all(|c| lower.starts_with(c));
    if common || repeated {
        return Err(WeakPassword::Common);
    }
    Ok(())
}

/// A random password of 24 letters and digits (about 139 bits) from the OS
/// random number generator, without look-alikes (0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes at or above this would make some characters likelier than others.
    let limit = 256 - 256 % ALPHABET.len();
    let mut password = String::with_capacity(GENERATED_PASSWORD_LEN);
    while password.len() < GENERATED_PASSWORD_LEN {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        for byte in bytes.map(usize::from).into_iter().filter(|&b| b < limit) {
            if password.len() < GENERATED_PASSWORD_LEN {
                password.push(char::from(ALPHABET[byte % ALPHABET.len()]));
            }
        }
    }
    password
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this email address already exists")]
    DuplicateEmail,
    #[error("the password must be at least {MIN_PASSWORD_LEN} characters long")]
    PasswordTooShort,
    #[error("the password must be at most {MAX_PASSWORD_LEN} characters long")]
    PasswordTooLong,
    #[error("the name must not be empty or longer than 100 characters")]
    BadName,
    #[error(transparent)]
    Internal(#[from] AuthError),
}

/// Creates a staff account and returns its id. The password is hashed here.
pub async fn create_user(
    db: &Db,
    key: &DataKey,
    email: &Email,
    name: &str,
    role: Role,
    password: &str,
) -> Result<i64, CreateUserError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(CreateUserError::BadName);
    }
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Err(CreateUserError::PasswordTooShort);
    }
    if length > MAX_PASSWORD_LEN {
        return Err(CreateUserError::PasswordTooLong);
    }
    let hash = hash_blocking(password.to_owned()).await?;
    match users::insert(db, key, email.as_str(), name, role, &hash).await {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(CreateUserError::DuplicateEmail)
        }
        Err(e) => Err(AuthError::Database(e).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.chars().count(), GENERATED_PASSWORD_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn common_passwords_are_refused() {
        assert_eq!(check_new_password("short"), Err(WeakPassword::TooShort));
        assert_eq!(
            check_new_password("Password1234"),
            Err(WeakPassword::Common)
        );
        assert_eq!(
            check_new_password("password1234!!"),
            Err(WeakPassword::Common)
        );
        assert_eq!(
            check_new_password("aaaaaaaaaaaaaa"),
            Err(WeakPassword::Common)
        );
        assert_eq!(
            check_new_password("QWERTYUIOP12"),
            Err(WeakPassword::Common)
        );
        assert_eq!(check_new_password("olive tree by the river"), Ok(()));
        assert_eq!(
            check_new_password(&"x".repeat(2000)),
            Err(WeakPassword::TooLong)
        );
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("x", "not a phc string"));
    }
}
