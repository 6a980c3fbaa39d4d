//! Boots the real server on 127.0.0.1:0 with a fresh SQLite file and the
//! demo programme, for tests to drive over HTTP. Its outbox worker writes
//! emails into a temporary folder ([`TestApp::outbox_dir`]) unless a test
//! points it at an SMTP server with [`spawn_app_with`].

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::PathBuf;

use app::server::{AppState, Clock, Config, db, demo, mail};
use sqlx::SqlitePool;

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: SqlitePool,
    pub client: reqwest::Client,
    /// The state the server runs with (its clock, its mailer).
    pub state: AppState,
    /// Where the outbox worker writes `.eml` files when there is no SMTP URL.
    pub outbox_dir: PathBuf,
    _dir: tempfile::TempDir,
}

/// What [`spawn_app_with`] lets a test change before the server starts.
pub struct Setup {
    pub config: Config,
    pub clock: Clock,
}

/// "Now" for every test: a fixed instant, so upcoming and past never drift.
pub fn now() -> jiff::Timestamp {
    "2026-11-29T12:00:00Z".parse().unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], after `configure` has changed the configuration or
/// the clock (which is fixed at [`now`] unless changed).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Setup)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    let pool = db::open(&url).await.unwrap();
    db::migrate(&pool).await.unwrap();
    demo::load(&pool, now()).await.unwrap();
    // The site root holds the public files, as cargo-leptos lays them out.
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    for entry in std::fs::read_dir(public).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), site.join(entry.file_name())).unwrap();
    }
    let outbox_dir = dir.path().join("outbox");
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".to_owned()),
        "LEPTOS_SITE_ROOT" => Some(site.display().to_string()),
        "LAUSANNE_OUTBOX_DIR" => Some(outbox_dir.display().to_string()),
        _ => None,
    })
    .unwrap();
    let mut setup = Setup {
        config,
        clock: Clock::fixed(now()),
    };
    configure(&mut setup);
    let state = AppState::new(pool.clone(), setup.config, setup.clock);
    mail::spawn_worker(state.clone()).unwrap();
    let addr = server::spawn("127.0.0.1:0".parse().unwrap(), state.clone())
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        pool,
        client,
        state,
        outbox_dir,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// GET a path; returns the status and the body text.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// The slug of the demo's upcoming hybrid Lausanne Platform meeting.
    pub async fn platform_slug(&self) -> String {
        sqlx::query_scalar::<_, String>(
            "SELECT slug FROM events WHERE kind = 'platform_meeting' AND format = 'hybrid'",
        )
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }
}
