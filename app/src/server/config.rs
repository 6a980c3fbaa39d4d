//! Configuration from the environment, with defaults that run on a laptop.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};

use crate::server::crypto::{self, DataKey, KeySource};
pub use crate::server::db::backend::{Backend, DatabaseUrl};

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`, default `sqlite://data/lausanne.db?mode=rwc`.
    pub database_url: DatabaseUrl,
    /// `LEPTOS_SITE_ADDR`, default `127.0.0.1:3000`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: where the built CSS, JS and WASM are, default `target/site`.
    pub site_root: PathBuf,
    /// `LAUSANNE_PUBLIC_URL`: the canonical origin, never taken from `Host`.
    pub public_url: String,
    /// `LAUSANNE_SMTP_URL`: unset means emails are written to [`Config::outbox_dir`].
    pub smtp_url: Option<SmtpUrl>,
    /// `LAUSANNE_OUTBOX_DIR`: where emails are written as `.eml` files when
    /// there is no SMTP server, default `data/outbox`.
    pub outbox_dir: PathBuf,
    /// `LAUSANNE_MAIL_FROM`: the sender of every email, default
    /// `Lausanne Platform <no-reply@HOST>` with the host of the public URL.
    pub mail_from: Mailbox,
    /// `LAUSANNE_MAIL_RETRY_BASE_MS`: the first retry delay of a failed
    /// delivery (doubling each time, at most an hour), default 30 s.
    pub mail_retry_base: Duration,
    /// `LAUSANNE_LIVE_PER_CLIENT`: live-update streams one client address may
    /// hold open at once (more are refused with 429), default 32.
    pub live_per_client: usize,
    /// `LAUSANNE_MEDIA_DIR`: images uploaded for bulletins, served at
    /// `/media/…`, default `data/media`.
    pub media_dir: PathBuf,
    /// `LAUSANNE_BULLETIN_RATE`: bulletin emails queued per minute when an
    /// issue is published, default 600.
    pub bulletin_rate: u32,
    /// `LAUSANNE_TRUSTED_PROXIES`: comma-separated addresses of reverse
    /// proxies in front of the app. Only a request from one of them has its
    /// client address read from `X-Forwarded-For`; default none (the
    /// header is ignored: behind a proxy that does not overwrite it, every
    /// client could claim any address).
    pub trusted_proxies: Vec<IpAddr>,
    /// `LAUSANNE_MAX_CONNECTIONS`: open connections served at once (more
    /// wait to be accepted), default 10,000, and never more than the
    /// process's open-files limit allows.
    pub max_connections: usize,
    /// `LAUSANNE_FORM_LIMIT`: posts of each public form (registration,
    /// organisation, subscription) one client address may send per hour, all
    /// at once or spread out; default 20.
    pub form_limit: NonZeroU32,
    /// `LAUSANNE_READ_TIMEOUT_SECS`: how long a client may take to send a
    /// request's headers, and then its body, and how long an idle connection
    /// stays open; default 15.
    pub read_timeout: Duration,
    /// `LAUSANNE_RETENTION_DAYS`: registrations and attendance are deleted
    /// this many days after their event ends, default 90.
    pub retention_days: u32,
    /// `LAUSANNE_FEEDBACK_RETENTION_DAYS`: questions (anonymous ones too),
    /// votes, priorities and feedback are deleted this many days after
    /// their event ends; default: `retention_days`.
    pub feedback_retention_days: u32,
    /// `LAUSANNE_UNCONFIRMED_DAYS`: subscribers who never confirmed are
    /// deleted after this many days, default 7.
    pub unconfirmed_days: u32,
    /// `LAUSANNE_MAIL_RETENTION_DAYS`: delivered emails (their addresses and
    /// bodies) are deleted this many days after sending, default 30.
    pub mail_retention_days: u32,
    /// `LAUSANNE_PAGE_CACHE_MB`: the most memory public pages kept rendered
    /// and compressed may take, in MiB, default 16 (0 keeps none).
    pub page_cache_bytes: usize,
    /// `LAUSANNE_DATA_KEY` (64 hex digits): the key personal data is
    /// encrypted with; unset means the file `data.key` in the database's
    /// folder, created on first use (see `server::crypto`).
    pub data_key: KeySource,
}

/// An SMTP URL as `lettre` reads it. It may hold a password, so its `Debug`
/// shows only that it is there.
#[derive(Clone)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    /// Accepts what [`AsyncSmtpTransport::from_url`] accepts.
    pub fn parse(url: &str) -> Result<Self, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map(|_| Self(url.to_owned()))
            .map_err(|e| {
                format!(
                    "{e} (expected smtp://host:port, smtps://user:password@host or \
                     smtp://user:password@host?tls=required)"
                )
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SmtpUrl(..)")
    }
}

impl Config {
    /// Whether people reach us over HTTPS (then cookies are `Secure` and
    /// responses carry HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the public URL: what browsers send as `Origin`.
    pub fn public_origin(&self) -> &str {
        let after_scheme = self.public_url.find("://").map_or(0, |i| i + 3);
        let end = self.public_url[after_scheme..]
            .find('/')
            .map_or(self.public_url.len(), |i| after_scheme + i);
        &self.public_url[..end]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/lausanne.db?mode=rwc";
pub const DEFAULT_OUTBOX_DIR: &str = "data/outbox";
const DEFAULT_MAIL_RETRY_BASE_MS: u32 = 30_000;
const DEFAULT_LIVE_PER_CLIENT: u32 = 32;
pub const DEFAULT_MEDIA_DIR: &str = "data/media";
const DEFAULT_BULLETIN_RATE: u32 = 600;
const DEFAULT_FORM_LIMIT: u32 = 20;
const DEFAULT_READ_TIMEOUT_SECS: u32 = 15;
const DEFAULT_MAX_CONNECTIONS: u32 = 10_000;
/// Hundreds of pages, more than the site has in both languages with every
/// filter; and with it full, the server stays under 64 MiB (measured: 58 MiB
/// after 100,000 made-up query strings; 78 MiB with 32).
const DEFAULT_PAGE_CACHE_MB: u32 = 16;
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
const DEFAULT_UNCONFIRMED_DAYS: u32 = 7;
const DEFAULT_MAIL_RETENTION_DAYS: u32 = 30;

/// A whole number from `lookup(name)`, within `range`, or `default` when unset.
fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<u32>,
    what: &str,
    default: u32,
) -> Result<u32, ConfigError> {
    match lookup(name) {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| ConfigError::Invalid {
                name,
                reason: format!(
                    "it must be a number of {what} from {} to {}",
                    range.start(),
                    range.end()
                ),
            }),
    }
}

/// Comma-separated IP addresses.
fn addresses(text: &str) -> Result<Vec<IpAddr>, ConfigError> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<IpAddr>()
                .map(|ip| ip.to_canonical())
                .map_err(|_| ConfigError::Invalid {
                    name: "LAUSANNE_TRUSTED_PROXIES",
                    reason: format!("{a:?} is not an IP address (expected e.g. 127.0.0.1,::1)"),
                })
        })
        .collect()
}

/// `data.key` in the folder of the SQLite file `url` names (the working
/// directory for an in-memory or unparsable URL; opening it reports that).
fn key_file_beside(url: &str) -> PathBuf {
    use std::str::FromStr;
    let folder = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .ok()
        .and_then(|o| o.get_filename().parent().map(PathBuf::from))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    folder.join(crypto::KEY_FILE)
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let site_addr = lookup("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned())
            .parse::<SocketAddr>()
            .map_err(|e| ConfigError::Invalid {
                name: "LEPTOS_SITE_ADDR",
                reason: e.to_string(),
            })?;
        let public_url = lookup("LAUSANNE_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "LAUSANNE_PUBLIC_URL",
                reason: "it must start with http:// or https://".to_owned(),
            });
        }
        let smtp_url = lookup("LAUSANNE_SMTP_URL")
            .map(|url| SmtpUrl::parse(url.trim()))
            .transpose()
            .map_err(|reason| ConfigError::Invalid {
                name: "LAUSANNE_SMTP_URL",
                reason,
            })?;
        let mail_from = match lookup("LAUSANNE_MAIL_FROM") {
            Some(from) => from
                .trim()
                .parse::<Mailbox>()
                .map_err(|e| ConfigError::Invalid {
                    name: "LAUSANNE_MAIL_FROM",
                    reason: format!(
                        "{e} (expected an address such as no-reply@example.org or \
                     \"Lausanne Platform <no-reply@example.org>\")"
                    ),
                })?,
            None => default_sender(&public_url).ok_or_else(|| ConfigError::Invalid {
                name: "LAUSANNE_MAIL_FROM",
                reason: "it is not set and cannot be derived from the host of \
                         LAUSANNE_PUBLIC_URL; set it to the sender's address"
                    .to_owned(),
            })?,
        };
        let mail_retry_base = Duration::from_millis(u64::from(number(
            &lookup,
            "LAUSANNE_MAIL_RETRY_BASE_MS",
            1..=3_600_000,
            "milliseconds",
            DEFAULT_MAIL_RETRY_BASE_MS,
        )?));
        let live_per_client = number(
            &lookup,
            "LAUSANNE_LIVE_PER_CLIENT",
            1..=100_000,
            "streams",
            DEFAULT_LIVE_PER_CLIENT,
        )? as usize;
        let bulletin_rate = number(
            &lookup,
            "LAUSANNE_BULLETIN_RATE",
            1..=1_000_000,
            "emails per minute",
            DEFAULT_BULLETIN_RATE,
        )?;
        // None by default: trusting a proxy is the operator's explicit choice.
        let trusted_proxies =
            addresses(lookup("LAUSANNE_TRUSTED_PROXIES").as_deref().unwrap_or(""))?;
        let max_connections = number(
            &lookup,
            "LAUSANNE_MAX_CONNECTIONS",
            16..=1_000_000,
            "connections",
            DEFAULT_MAX_CONNECTIONS,
        )? as usize;
        let form_limit = number(
            &lookup,
            "LAUSANNE_FORM_LIMIT",
            1..=1_000_000,
            "posts per hour",
            DEFAULT_FORM_LIMIT,
        )?;
        let read_timeout = number(
            &lookup,
            "LAUSANNE_READ_TIMEOUT_SECS",
            1..=3600,
            "seconds",
            DEFAULT_READ_TIMEOUT_SECS,
        )?;
        let page_cache_mb = number(
            &lookup,
            "LAUSANNE_PAGE_CACHE_MB",
            0..=65_536,
            "MiB",
            DEFAULT_PAGE_CACHE_MB,
        )?;
        let days = |name, default| number(&lookup, name, 1..=3650, "days", default);
        let retention_days = days("LAUSANNE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)?;
        let unconfirmed_days = days("LAUSANNE_UNCONFIRMED_DAYS", DEFAULT_UNCONFIRMED_DAYS)?;
        let feedback_retention_days = days("LAUSANNE_FEEDBACK_RETENTION_DAYS", retention_days)?;
        let mail_retention_days =
            days("LAUSANNE_MAIL_RETENTION_DAYS", DEFAULT_MAIL_RETENTION_DAYS)?;
        let database_url = DatabaseUrl::parse(
            &lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
        )
        .map_err(|reason| ConfigError::Invalid {
            name: "DATABASE_URL",
            reason,
        })?;
        let data_key = match lookup("LAUSANNE_DATA_KEY") {
            Some(text) => DataKey::parse(&text)
                .map(KeySource::Given)
                .map_err(|reason| ConfigError::Invalid {
                    name: "LAUSANNE_DATA_KEY",
                    reason,
                })?,
            None if database_url.backend() == Backend::Postgres => {
                return Err(ConfigError::Invalid {
                    name: "LAUSANNE_DATA_KEY",
                    reason: "must be set with a PostgreSQL database (64 hex digits; there is \
                             no folder beside the database to keep data.key in)"
                        .to_owned(),
                });
            }
            None => KeySource::File(key_file_beside(database_url.as_str())),
        };
        Ok(Self {
            database_url,
            data_key,
            site_addr,
            site_root: lookup("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".to_owned())
                .into(),
            public_url,
            smtp_url,
            outbox_dir: lookup("LAUSANNE_OUTBOX_DIR")
                .unwrap_or_else(|| DEFAULT_OUTBOX_DIR.to_owned())
                .into(),
            mail_from,
            mail_retry_base,
            live_per_client,
            media_dir: lookup("LAUSANNE_MEDIA_DIR")
                .unwrap_or_else(|| DEFAULT_MEDIA_DIR.to_owned())
                .into(),
            bulletin_rate,
            trusted_proxies,
            max_connections,
            form_limit: NonZeroU32::new(form_limit).unwrap_or(NonZeroU32::MIN),
            read_timeout: Duration::from_secs(u64::from(read_timeout)),
            retention_days,
            feedback_retention_days,
            unconfirmed_days,
            mail_retention_days,
            page_cache_bytes: page_cache_mb as usize * 1024 * 1024,
        })
    }
}

/// `Lausanne Platform <no-reply@HOST>`, HOST taken from the public URL.
fn default_sender(public_url: &str) -> Option<Mailbox> {
    let authority = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        // An IPv6 literal keeps its brackets: `no-reply@[::1]`.
        host_port.split_inclusive(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let address = lettre::Address::new("no-reply", host).ok()?;
    Some(Mailbox::new(Some("Lausanne Platform".to_owned()), address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        let config = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.database_url.as_str(), DEFAULT_DATABASE_URL);

        let bad = Config::from_lookup(|n| (n == "LEPTOS_SITE_ADDR").then(|| "nowhere".to_owned()));
        assert!(bad.is_err());
        let bad =
            Config::from_lookup(|n| (n == "LAUSANNE_PUBLIC_URL").then(|| "ftp://x".to_owned()));
        assert!(bad.is_err());
    }

    #[test]
    fn database_urls() {
        let with = |url: &'static str, key: Option<&'static str>| {
            Config::from_lookup(move |name| match name {
                "DATABASE_URL" => Some(url.to_owned()),
                "LAUSANNE_DATA_KEY" => key.map(str::to_owned),
                _ => None,
            })
        };
        let key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let pg = with("postgres://app:s3cret@db.internal:5432/lausanne", Some(key))
            .expect("a PostgreSQL URL");
        assert_eq!(pg.database_url.backend(), Backend::Postgres);
        assert!(!format!("{pg:?}").contains("s3cret"));
        assert_eq!(
            with("postgresql://db/lausanne", Some(key))
                .map(|c| c.database_url.backend())
                .ok(),
            Some(Backend::Postgres)
        );
        // No folder to keep a key file in.
        let keyless = with("postgres://db/lausanne", None).expect_err("needs the key");
        assert!(keyless.to_string().starts_with("LAUSANNE_DATA_KEY"));
        assert_eq!(
            with("SQLITE://x.db", None)
                .map(|c| c.database_url.backend())
                .ok(),
            Some(Backend::Sqlite)
        );
        for wrong in [
            "mysql://root:s3cret@db/lausanne",
            "postgres//db/lausanne",
            "data/lausanne.db",
            "",
        ] {
            let error = with(wrong, Some(key)).expect_err(wrong).to_string();
            assert!(
                error.starts_with("DATABASE_URL is not valid: expected sqlite://"),
                "{error}"
            );
            assert!(!error.contains("s3cret"), "{error}");
        }
    }

    #[test]
    fn origin_of_the_public_url() {
        let config = Config::from_lookup(|n| {
            (n == "LAUSANNE_PUBLIC_URL")
                .then(|| "https://dialogue.example.org/platform/".to_owned())
        })
        .expect("valid");
        assert_eq!(config.public_origin(), "https://dialogue.example.org");
    }

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn mail_defaults() {
        let config = with(&[]).expect("defaults are valid");
        assert!(config.smtp_url.is_none());
        assert_eq!(config.outbox_dir, PathBuf::from("data/outbox"));
        assert_eq!(
            config.mail_from.to_string(),
            "Lausanne Platform <no-reply@127.0.0.1>"
        );
        assert_eq!(config.mail_retry_base, Duration::from_secs(30));
        assert_eq!(config.media_dir, PathBuf::from("data/media"));
        assert_eq!(config.bulletin_rate, 600);
        assert!(with(&[("LAUSANNE_BULLETIN_RATE", "0")]).is_err());
        assert_eq!(config.form_limit.get(), 20);
        assert_eq!(config.read_timeout, Duration::from_secs(15));
        assert_eq!(
            (
                config.retention_days,
                config.unconfirmed_days,
                config.mail_retention_days
            ),
            (90, 7, 30)
        );
        assert!(
            config.trusted_proxies.is_empty(),
            "no proxy is trusted unasked"
        );
        assert_eq!(config.max_connections, 10_000);
        assert!(with(&[("LAUSANNE_MAX_CONNECTIONS", "3")]).is_err());
        let proxies = with(&[("LAUSANNE_TRUSTED_PROXIES", "127.0.0.1, ::1")]).expect("valid");
        assert_eq!(proxies.trusted_proxies.len(), 2);
        assert!(with(&[("LAUSANNE_TRUSTED_PROXIES", "10.0.0.0/8")]).is_err());
        assert!(with(&[("LAUSANNE_RETENTION_DAYS", "0")]).is_err());
        assert!(with(&[("LAUSANNE_FORM_LIMIT", "many")]).is_err());

        let config =
            with(&[("LAUSANNE_PUBLIC_URL", "https://platform.example.org:8443/")]).expect("valid");
        assert_eq!(
            config.mail_from.email.to_string(),
            "no-reply@platform.example.org"
        );
        let config = with(&[("LAUSANNE_PUBLIC_URL", "http://[::1]:3000")]).expect("valid");
        assert_eq!(config.mail_from.email.to_string(), "no-reply@[::1]");
    }

    #[test]
    fn smtp_url_is_validated_and_never_shown() {
        for good in [
            "smtp://127.0.0.1:2525",
            "smtps://user:secret@mail.example.org",
            "smtp://user:secret@mail.example.org:587?tls=required",
        ] {
            let config = with(&[("LAUSANNE_SMTP_URL", good)]).expect(good);
            let url = config.smtp_url.expect("set");
            assert_eq!(url.as_str(), good);
            assert!(!format!("{url:?}").contains("secret"));
        }
        for bad in [
            "mail.example.org",
            "http://mail.example.org",
            "smtp://?tls=maybe",
        ] {
            let error = with(&[("LAUSANNE_SMTP_URL", bad)]).expect_err(bad);
            assert!(
                error
                    .to_string()
                    .starts_with("LAUSANNE_SMTP_URL is not valid"),
                "{error}"
            );
        }
    }

    #[test]
    fn mail_from_and_retry_base_are_validated() {
        let config =
            with(&[("LAUSANNE_MAIL_FROM", "Platform <hello@example.org>")]).expect("valid");
        assert_eq!(config.mail_from.email.to_string(), "hello@example.org");
        let error = with(&[("LAUSANNE_MAIL_FROM", "not an address")]).expect_err("invalid");
        assert!(
            error
                .to_string()
                .starts_with("LAUSANNE_MAIL_FROM is not valid"),
            "{error}"
        );

        let config = with(&[("LAUSANNE_MAIL_RETRY_BASE_MS", "200")]).expect("valid");
        assert_eq!(config.mail_retry_base, Duration::from_millis(200));
        for bad in ["0", "-5", "soon"] {
            assert!(
                with(&[("LAUSANNE_MAIL_RETRY_BASE_MS", bad)]).is_err(),
                "{bad}"
            );
        }
    }
}
