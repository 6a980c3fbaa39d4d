//! Boots the real server on 127.0.0.1:0 with a fresh SQLite file and the
//! demo programme, for tests to drive over HTTP. Its outbox worker writes
//! emails into a temporary folder ([`TestApp::outbox_dir`]) unless a test
//! points it at an SMTP server with [`spawn_app_with`].

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod postgres;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

use app::domain::{Email, Role};
use app::server::auth::{create_user, generate_password};
use app::server::{AppState, Clock, Config, bulletins, crypto, demo};
use sqlx::SqlitePool;

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: app::server::db::Db,
    /// The same database for a test's own SQL: see [`TestApp::sql`].
    any: sqlx::AnyPool,
    /// A client without cookies that does not follow redirects.
    pub client: reqwest::Client,
    /// The database URL, for running the `lausanne` binary on the same data.
    pub database_url: String,
    /// Seconds added to [`now`] by the app's clock; see [`TestApp::advance`].
    clock_offset: Arc<AtomicI64>,
    staff_count: AtomicUsize,
    /// The state the server runs with (its clock, its mailer).
    pub state: AppState,
    /// Where the outbox worker writes `.eml` files when there is no SMTP URL.
    pub outbox_dir: PathBuf,
    /// The outbox worker (a test may abort it and start another).
    pub worker: tokio::task::JoinHandle<()>,
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

/// Like [`spawn_app`], on SQLite whatever the run's database: for a test of
/// what only SQLite has.
pub async fn spawn_sqlite_app() -> TestApp {
    spawn_app_on(false, |_| {}).await
}

/// Like [`spawn_app`], after `configure` has changed the configuration or
/// the clock (which is [`now`], moved by [`TestApp::advance`], unless changed).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Setup)) -> TestApp {
    spawn_app_on(on_postgres(), configure).await
}

async fn spawn_app_on(on_postgres: bool, configure: impl FnOnce(&mut Setup)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = if on_postgres {
        postgres::fresh_database().await.1
    } else {
        format!("sqlite://{}/test.db?mode=rwc", dir.path().display())
    };
    let db = app::server::db::Db::open(&url).await.unwrap();
    // The site root holds the public files, as cargo-leptos lays them out.
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    for entry in std::fs::read_dir(public).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), site.join(entry.file_name())).unwrap();
    }
    let outbox_dir = dir.path().join("outbox");
    let media_dir = dir.path().join("media");
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".to_owned()),
        "LEPTOS_SITE_ROOT" => Some(site.display().to_string()),
        "LAUSANNE_OUTBOX_DIR" => Some(outbox_dir.display().to_string()),
        "LAUSANNE_MEDIA_DIR" => Some(media_dir.display().to_string()),
        // Tests post many forms from one address; the limits test sets its own.
        "LAUSANNE_FORM_LIMIT" => Some("1000000".to_owned()),
        // PostgreSQL has no folder for a key file.
        "LAUSANNE_DATA_KEY" if on_postgres => Some(POSTGRES_KEY.to_owned()),
        _ => None,
    })
    .unwrap();
    // On SQLite no LAUSANNE_DATA_KEY: the key file is created beside the database.
    let key = app::server::db::sealing::load_for(&db, &config.data_key)
        .await
        .unwrap();
    db.migrate(&key).await.unwrap();
    demo::load(&db, &key, now()).await.unwrap();
    let clock_offset = Arc::new(AtomicI64::new(0));
    let clock = Clock::from_fn({
        let offset = Arc::clone(&clock_offset);
        move || now() + jiff::SignedDuration::from_secs(offset.load(Ordering::SeqCst))
    });
    let mut setup = Setup { config, clock };
    configure(&mut setup);
    let state = AppState::new(db.clone(), setup.config, key, setup.clock);
    let worker = app::server::delivery::spawn_worker(state.clone()).unwrap();
    bulletins::mailing::spawn_mailing(state.clone());
    let addr = server::spawn("127.0.0.1:0".parse().unwrap(), state.clone())
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    sqlx::any::install_default_drivers();
    let any = sqlx::AnyPool::connect(&url).await.unwrap();
    TestApp {
        addr,
        db,
        any,
        client,
        database_url: url,
        clock_offset,
        staff_count: AtomicUsize::new(0),
        state,
        outbox_dir,
        worker,
        _dir: dir,
    }
}

/// A second instance of the app on a [`TestApp`]'s database, as the
/// second server behind a load balancer: its own pool, server, outbox
/// worker and bulletin mailing, the same key and clock.
pub struct Instance {
    pub addr: SocketAddr,
    pub state: AppState,
    pub worker: tokio::task::JoinHandle<()>,
}

/// The data key of an app on PostgreSQL (there is no folder for a key file).
pub const POSTGRES_KEY: &str = "0707070707070707070707070707070707070707070707070707070707070707";

/// Whether this run's tests boot on PostgreSQL (`LAUSANNE_TEST_BACKEND=postgres`,
/// with the cluster of `scripts/with-postgres.sh`) instead of SQLite.
pub fn on_postgres() -> bool {
    std::env::var("LAUSANNE_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

impl TestApp {
    /// Starts another instance on this database; `configure` may change
    /// its configuration (a copy of this instance's).
    pub async fn second_instance(&self, configure: impl FnOnce(&mut Config)) -> Instance {
        let db = app::server::db::Db::open(&self.database_url).await.unwrap();
        let mut config = (*self.state.config).clone();
        configure(&mut config);
        let state = AppState::new(db, config, self.state.key.clone(), self.state.clock.clone());
        let worker = app::server::delivery::spawn_worker(state.clone()).unwrap();
        bulletins::mailing::spawn_mailing(state.clone());
        let addr = server::spawn("127.0.0.1:0".parse().unwrap(), state.clone())
            .await
            .unwrap();
        Instance {
            addr,
            state,
            worker,
        }
    }

    /// The `lausanne` binary on this test's database (and its data key,
    /// which PostgreSQL needs given).
    pub fn lausanne(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lausanne"));
        cmd.env("DATABASE_URL", &self.database_url);
        if self.db.backend() == app::server::db::Backend::Postgres {
            cmd.env("LAUSANNE_DATA_KEY", POSTGRES_KEY);
        }
        cmd
    }

    /// The database for a test's own SQL, on whichever database the app
    /// runs: placeholders are `$1, $2, …` (SQLite reads them too), flags
    /// are read as integers (`CASE WHEN cancelled THEN 1 ELSE 0 END`), times
    /// are Unix seconds bound from Rust (no `unixepoch()`).
    pub fn sql(&self) -> &sqlx::AnyPool {
        &self.any
    }

    /// The SQLite pool, for a test of what only SQLite has (its file, its
    /// WAL, `VACUUM INTO`); such a test boots with [`spawn_sqlite_app`].
    pub fn pool(&self) -> &SqlitePool {
        self.db
            .as_sqlite()
            .expect("a test of SQLite itself boots with spawn_sqlite_app")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// GET a path; returns the status and the body text.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// Moves the app's clock forward (the session cookie's own idle expiry
    /// uses real time and is not affected).
    pub fn advance(&self, seconds: i64) {
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Creates a staff account; returns its email and password.
    pub async fn create_staff(&self, role: Role) -> (String, String) {
        let n = self.staff_count.fetch_add(1, Ordering::SeqCst);
        let email = format!("{}{n}@staff.example.org", role.code());
        let password = generate_password();
        let name = format!("Test {} {n}", role.code());
        create_user(
            &self.db,
            &self.state.key,
            &Email::parse(&email).unwrap(),
            &name,
            role,
            &password,
        )
        .await
        .unwrap();
        (email, password)
    }

    /// A client with a cookie store that does not follow redirects.
    pub fn cookie_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap()
    }

    /// The text of the page at `path` as `client` (say, a signed-in staff
    /// member) sees it.
    pub async fn page_as(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Posts the sign-in form with `client`; returns the response.
    pub async fn post_login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/en/staff/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    /// A client signed in as `email` (its cookie store holds the session).
    /// Panics if signing in fails. At most 10 sign-ins a minute per app.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.cookie_client();
        let response = self.post_login(&client, email, password).await;
        assert_eq!(response.status().as_u16(), 303, "sign-in as {email} failed");
        client
    }

    /// A new staff member of `role`, signed in.
    pub async fn staff_client(&self, role: Role) -> reqwest::Client {
        let (email, password) = self.create_staff(role).await;
        self.login(&email, &password).await
    }

    /// The slug of the demo's upcoming hybrid Lausanne Platform meeting.
    pub async fn platform_slug(&self) -> String {
        sqlx::query_scalar::<_, String>(
            "SELECT slug FROM events WHERE kind = 'platform_meeting' AND format = 'hybrid'",
        )
        .fetch_one(self.sql())
        .await
        .unwrap()
    }

    /// The id of the event `slug`.
    pub async fn event_id(&self, slug: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM events WHERE slug = $1")
            .bind(slug)
            .fetch_one(self.sql())
            .await
            .unwrap()
    }

    /// Waits up to five seconds for the number of open live streams to be
    /// `n`; tells whether it got there.
    pub async fn live_streams_reach(&self, n: usize) -> bool {
        for _ in 0..100 {
            if self.state.live.stream_count() == n {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        false
    }

    /// The demo's upcoming online briefing: first come, first served.
    pub async fn briefing_slug(&self) -> String {
        sqlx::query_scalar::<_, String>(
            "SELECT slug FROM events WHERE kind = 'briefing' AND format = 'online' AND ends_at > $1",
        )
        .bind(now().as_second())
        .fetch_one(self.sql())
        .await
        .unwrap()
    }

    /// POSTs a form (without cookies, not following redirects).
    pub async fn post_form<V: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        fields: &V,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// The private page path (`/{lang}/r/{token}`) in the latest email to `email`.
    pub async fn private_link(&self, email: &str) -> String {
        let body = self
            .mails_to(email)
            .await
            .into_iter()
            .rev()
            .map(|m| m.body)
            .find(|b| b.contains("/r/"))
            .unwrap_or_else(|| panic!("no email with a private link to {email}"));
        let start = body.find("/r/").expect("a link") - 3;
        body[start..start + 3 + 3 + 32].to_owned()
    }

    /// The keyed hash under which `value` is found in the sealed `column`
    /// (e.g. `crypto::REGISTRATION_EMAIL`).
    pub fn lookup(&self, column: &str, value: &str) -> Vec<u8> {
        self.state.key.lookup(column, value)
    }

    /// Every message in the outbox to `address` (compared without regard to
    /// case), oldest first, opened with the app's data key.
    pub async fn mails_to(&self, address: &str) -> Vec<StoredMail> {
        self.mails()
            .await
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(address))
            .collect()
    }

    /// Every message in the outbox, oldest first, opened.
    pub async fn mails(&self) -> Vec<StoredMail> {
        let rows: Vec<MailRow> = sqlx::query_as(
            "SELECT id, to_address, lang, subject, body_text, sent_at, subscriber_id
                 FROM outbox ORDER BY id",
        )
        .fetch_all(self.sql())
        .await
        .unwrap();
        let key = &self.state.key;
        rows.into_iter()
            .map(
                |(id, to, lang, subject, body, sent_at, subscriber_id)| StoredMail {
                    id,
                    to: key.open(crypto::OUTBOX_TO, &to).unwrap(),
                    lang,
                    subject,
                    body: key.open(crypto::OUTBOX_BODY, &body).unwrap(),
                    sent_at,
                    subscriber_id,
                },
            )
            .collect()
    }
}

/// id, to_address, lang, subject, body_text, sent_at, subscriber_id.
type MailRow = (
    i64,
    Vec<u8>,
    String,
    String,
    Vec<u8>,
    Option<i64>,
    Option<i64>,
);

/// An outbox row as [`TestApp::mails`] opens it.
#[derive(Debug, Clone)]
pub struct StoredMail {
    pub id: i64,
    pub to: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub sent_at: Option<i64>,
    pub subscriber_id: Option<i64>,
}
