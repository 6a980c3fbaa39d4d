//! Shared application state, handed to handlers and server functions.

use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::HeaderValue;
use leptos::prelude::*;

use crate::error::AppError;
use crate::server::crypto::DataKey;
use crate::server::db::Db;
use crate::server::leader::Leader;
use crate::server::limits::{FormLimits, LoginLimits, SharedCounts};
use crate::server::live::Live;
use crate::server::mail::Mailer;
use crate::server::page_cache::PageCache;
use crate::server::static_files::StaticFiles;
use crate::server::{Clock, Config};

/// The state every handler, middleware and server function gets: one
/// pointer, so the per-request clones axum and Leptos make cost one atomic
/// increment (cloning each field made up a third of a kept page's CPU).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    /// Seals and opens personal data in the database (`server::crypto`).
    pub key: DataKey,
    pub leptos: LeptosOptions,
    pub clock: Clock,
    /// Wakes the outbox worker after a commit that enqueued mail.
    pub mail: Mailer,
    /// Rate limits on signing in (per client address and per account).
    pub login_limits: Arc<LoginLimits>,
    /// Rate limits on the public forms (per client address).
    pub form_limits: Arc<FormLimits>,
    /// Whether this instance runs the site's jobs (`server::leader`).
    pub leader: Leader,
    /// Live updates for open pages.
    pub live: Live,
    /// The built assets and site-root files, in memory.
    pub files: Arc<StaticFiles>,
    /// Public pages kept rendered and compressed (`server::page_cache`).
    pub pages: PageCache,
    /// The Content-Security-Policy of every page (`server::csp`).
    pub page_policy: HeaderValue,
}

impl AppState {
    pub fn new(db: Db, config: Config, key: DataKey, clock: Clock) -> Self {
        let leptos = leptos_options(&config);
        // Counted in PostgreSQL when that is the database, so that every
        // instance behind a load balancer counts against one allowance.
        let shared = SharedCounts::of(&db, &key);
        let leader = Leader::for_db(&db);
        let form_limits = Arc::new(FormLimits::new(config.form_limit, shared.clone()));
        let page_policy = crate::server::csp::page_policy(&leptos);
        let pages = PageCache::new(config.page_cache_bytes);
        let files = Arc::new(StaticFiles::load(&config.site_root, leptos.hash_files));
        Self(Arc::new(Shared {
            db,
            config: Arc::new(config),
            key,
            leptos,
            clock,
            mail: Mailer::new(),
            login_limits: Arc::new(LoginLimits::new(shared)),
            leader,
            form_limits,
            live: Live::new(pages.clone()),
            pages,
            files,
            page_policy,
        }))
    }

    /// Puts the state, and the site's origin for absolute links, in the
    /// context of a page being rendered.
    pub fn provide(&self) {
        provide_context(self.clone());
        provide_context(crate::paths::Origin(self.config.public_origin().to_owned()));
    }

    /// The state inside a server function or component rendered on the server.
    pub fn current() -> Result<Self, AppError> {
        use_context::<Self>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// Leptos options built from our configuration rather than cargo-leptos'
/// build-time environment, so the binary runs the same wherever it is started.
/// Hashed asset names are used when cargo-leptos left its `hash.txt` beside
/// the executable.
fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_file = "hash.txt";
    let hashed = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(hash_file)))
        .is_some_and(|path| path.is_file());
    LeptosOptions::builder()
        .output_name("lausanne")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(leptos::config::Env::PROD)
        .hash_files(hashed)
        .hash_file(hash_file.into())
        .build()
}
