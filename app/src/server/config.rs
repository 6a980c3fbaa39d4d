//! Configuration from the environment, with defaults that run on a laptop.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`, default `sqlite://data/lausanne.db?mode=rwc`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`, default `127.0.0.1:3000`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: where the built CSS, JS and WASM are, default `target/site`.
    pub site_root: PathBuf,
    /// `LAUSANNE_PUBLIC_URL`: the canonical origin, never taken from `Host`.
    pub public_url: String,
    /// `LAUSANNE_SMTP_URL`: unset means emails are written to `data/outbox/`.
    pub smtp_url: Option<String>,
}

impl Config {
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
        Ok(Self {
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            site_addr,
            site_root: lookup("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| "target/site".to_owned())
                .into(),
            public_url,
            smtp_url: lookup("LAUSANNE_SMTP_URL"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        let config = Config::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);

        let bad = Config::from_lookup(|n| (n == "LEPTOS_SITE_ADDR").then(|| "nowhere".to_owned()));
        assert!(bad.is_err());
        let bad =
            Config::from_lookup(|n| (n == "LAUSANNE_PUBLIC_URL").then(|| "ftp://x".to_owned()));
        assert!(bad.is_err());
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
}
