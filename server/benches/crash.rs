//! `cargo bench -p server --bench crash`
//!
//! Crash-proofing: runs the release `lausanne` binary on 127.0.0.1 with a
//! fresh SQLite file and the demo data, and ROUNDS times: starts it, sends
//! registrations from CLIENTS concurrent clients, kills it with SIGKILL at a
//! random moment (no graceful shutdown, no flush), and checks the file's
//! integrity. Then it starts the server once more, lets the outbox deliver
//! every email, and checks that each registration that received a 303 is
//! still there: its confirmation email (stored in the same transaction as the
//! registration) carries a private link, and that link still opens the
//! participant's page. Registrations are identified only through what the
//! participant holds (the link), never by reading personal columns, which
//! may be encrypted at rest.
//!
//! Prints one line per round, the SQLite version the build bundles, the
//! totals, and on its last line `lost: N`: acknowledged registrations that
//! are missing (0). Exits non-zero if any is lost or an integrity check
//! fails. Traffic goes only to 127.0.0.1, bounded in count and time.
//!
//! Why 0 is the right expectation: the database runs in WAL mode with
//! `synchronous = FULL` (`app::server::db::open`), and a registration is
//! answered only after its `COMMIT` returned. A commit has then been written
//! to the WAL file through the operating system (and fsync'ed), so killing
//! the process cannot undo it: the next open replays the WAL. (WAL with
//! `synchronous = NORMAL` would survive SIGKILL too, since the OS still holds
//! the written pages; only a power cut or kernel crash could then lose the
//! last commits. FULL keeps those as well; this bench exercises the process
//! kill, not the power cut.)
//!
//! Set `CRASH_SEED` to repeat a run's kill timings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const ROUNDS: usize = 20;
const CLIENTS: usize = 8;
/// The kill comes this long after the server answered its health check.
const KILL_AFTER_MS: std::ops::Range<u64> = 200..1_500;
/// At most this many registrations per client and round (bounds the run).
const PER_CLIENT_ROUND: usize = 2_000;
const START_TIMEOUT: Duration = Duration::from_secs(30);
const DRAIN_TIMEOUT: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run())
}

/// xorshift64*: enough to spread the kills, and repeatable from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn in_range(&mut self, range: &std::ops::Range<u64>) -> u64 {
        range.start + self.next() % (range.end - range.start)
    }
}

struct Paths {
    database_url: String,
    outbox: std::path::PathBuf,
}

fn lausanne(paths: &Paths) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lausanne"));
    cmd.env("DATABASE_URL", &paths.database_url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LAUSANNE_OUTBOX_DIR", &paths.outbox)
        // Every simulated participant posts from 127.0.0.1.
        .env("LAUSANNE_FORM_LIMIT", "1000000")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    cmd
}

/// Starts `lausanne serve`; returns the child and its address once it
/// answers `/healthz`. Its log (warnings only) goes to our stderr.
async fn start(paths: &Paths, client: &reqwest::Client) -> (Child, String) {
    let mut child = lausanne(paths)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = tokio::time::timeout(START_TIMEOUT, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.strip_prefix("Lausanne Platform is running at http://") {
                return rest.split('/').next().unwrap().to_owned();
            }
            eprintln!("{line}");
        }
        panic!("the server exited before it listened");
    })
    .await
    .expect("the server starts");
    // Keep reading what it prints, so that it never blocks on a full pipe.
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            eprintln!("{line}");
        }
    });
    let health = format!("http://{addr}/healthz");
    let started = Instant::now();
    loop {
        if client
            .get(&health)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        assert!(started.elapsed() < START_TIMEOUT, "no answer from /healthz");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (child, addr)
}

/// The private page paths (`/en/r/<token>`) in the delivered emails, by
/// recipient. A file cut short by a kill may hold no link; the message was
/// then not marked sent and is delivered again.
fn links_by_recipient(outbox: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut links: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return links;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "eml") {
            continue;
        }
        let raw = std::fs::read(&path).unwrap();
        let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
            continue;
        };
        let Some(to) = message
            .to()
            .and_then(|to| to.first())
            .and_then(|to| to.address())
        else {
            continue;
        };
        let Some(body) = message.body_text(0) else {
            continue;
        };
        for (at, _) in body.match_indices("/en/r/") {
            let token = &body[at + "/en/r/".len()..];
            let token: String = token.chars().take_while(char::is_ascii_hexdigit).collect();
            if token.len() == 32 {
                links
                    .entry(to.to_ascii_lowercase())
                    .or_default()
                    .insert(format!("/en/r/{token}"));
            }
        }
    }
    links
}

async fn integrity(url: &str) -> String {
    let db = app::server::db::Db::open(url).await.unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    check
}

async fn registrations_of(url: &str, event_id: i64) -> i64 {
    let db = app::server::db::Db::open(url).await.unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE event_id = ?")
        .bind(event_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

async fn run() -> ExitCode {
    let bench_started = Instant::now();
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        database_url: format!("sqlite://{}/crash.db?mode=rwc", dir.path().display()),
        outbox: dir.path().join("outbox"),
    };
    let demo = lausanne(&paths)
        .arg("demo")
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(demo.success(), "lausanne demo");

    // The demo's upcoming online briefing: first come, first served, 150
    // seats and then an open waitlist, so every form is accepted (303).
    let db = app::server::db::Db::open(&paths.database_url)
        .await
        .unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    let (event_id, slug): (i64, String) = sqlx::query_as(
        "SELECT id, slug FROM events
         WHERE kind = 'briefing' AND format = 'online' AND ends_at > unixepoch()",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let sqlite_version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (journal, synchronous): (String, i64) = (
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap(),
        sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&pool)
            .await
            .unwrap(),
    );
    pool.close().await;
    let before = registrations_of(&paths.database_url, event_id).await;

    println!(
        "{ROUNDS} rounds: {CLIENTS} clients register for {slug}, SIGKILL after \
         {}..{} ms (seed {seed})",
        KILL_AFTER_MS.start, KILL_AFTER_MS.end
    );
    // Every address whose registration was answered 303.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut refused = 0usize;
    let mut bad_rounds = 0usize;
    for round in 1..=ROUNDS {
        let round_started = Instant::now();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let (mut child, addr) = start(&paths, &client).await;
        let target = Arc::new(format!("http://{addr}/en/events/{slug}/register"));
        let expected = Arc::new(format!("/en/events/{slug}/registered"));
        let stop = Arc::new(AtomicBool::new(false));
        let acked_before = acknowledged.lock().unwrap().len();
        let workers: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (client, target, expected, stop, acknowledged) = (
                    client.clone(),
                    target.clone(),
                    expected.clone(),
                    stop.clone(),
                    acknowledged.clone(),
                );
                tokio::spawn(async move {
                    let mut refused = 0usize;
                    for i in 0..PER_CLIENT_ROUND {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let email = format!("crash-{round}-{c}-{i}@example.org");
                        let form = [
                            ("name", "Crash Test"),
                            ("organisation", "Crash Test Organisation"),
                            ("role", "Tester"),
                            ("email", email.as_str()),
                            ("mode", "online"),
                            ("consent", "yes"),
                        ];
                        match client.post(target.as_str()).form(&form).send().await {
                            Ok(r)
                                if r.status().as_u16() == 303
                                    && r.headers()
                                        .get("location")
                                        .is_some_and(|l| l == expected.as_str()) =>
                            {
                                acknowledged.lock().unwrap().push(email);
                            }
                            // An answer that is not an acceptance.
                            Ok(_) => refused += 1,
                            // The server was killed: no answer, nothing promised.
                            Err(_) => break,
                        }
                    }
                    refused
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(rng.in_range(&KILL_AFTER_MS))).await;
        // `start_kill` sends SIGKILL on Unix.
        child.start_kill().unwrap();
        let status = child.wait().await.unwrap();
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            refused += worker.await.unwrap();
        }
        let acked = acknowledged.lock().unwrap().len();
        let check = integrity(&paths.database_url).await;
        let rows = registrations_of(&paths.database_url, event_id).await - before;
        // Rows may exceed acknowledgements (committed, but killed before the
        // answer went out); fewer rows would mean a loss.
        let ok = check == "ok" && rows >= acked as i64;
        bad_rounds += usize::from(!ok);
        println!(
            "round {round:>2}: {:>5} acknowledged ({acked} in all, {rows} rows), killed ({status}), \
             integrity {check}, {:.2} s",
            acked - acked_before,
            round_started.elapsed().as_secs_f64()
        );
    }

    // One more start: a lease taken by a delivery that the kill interrupted
    // would hold its message back for 5 minutes; expire them now, as time
    // would, and let the worker deliver every email.
    let db = app::server::db::Db::open(&paths.database_url)
        .await
        .unwrap();
    let pool = db.as_sqlite().unwrap().clone();
    sqlx::query(
        "UPDATE outbox SET next_attempt_at = 0 WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .execute(&pool)
    .await
    .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (mut child, addr) = start(&paths, &client).await;
    let drain_started = Instant::now();
    loop {
        let due: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if due == 0 {
            break;
        }
        assert!(
            drain_started.elapsed() < DRAIN_TIMEOUT,
            "{due} emails still undelivered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let failed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;

    // Each acknowledged registration: its email's private link opens its page.
    let links = Arc::new(links_by_recipient(&paths.outbox));
    let acknowledged: Vec<String> = acknowledged.lock().unwrap().clone();
    let total = acknowledged.len();
    let queue = Arc::new(Mutex::new(acknowledged));
    let checkers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, queue, links) = (client.clone(), queue.clone(), links.clone());
            let base = format!("http://{addr}");
            tokio::spawn(async move {
                let (mut lost, mut without_email) = (0usize, 0usize);
                loop {
                    let Some(email) = queue.lock().unwrap().pop() else {
                        return (lost, without_email);
                    };
                    let Some(pages) = links.get(&email) else {
                        without_email += 1;
                        lost += 1;
                        continue;
                    };
                    let mut found = false;
                    for path in pages {
                        let status = client
                            .get(format!("{base}{path}"))
                            .send()
                            .await
                            .unwrap()
                            .status();
                        assert!(
                            status == 200 || status == 404,
                            "{status} for a private page"
                        );
                        if status == 200 {
                            found = true;
                            break;
                        }
                    }
                    lost += usize::from(!found);
                }
            })
        })
        .collect();
    let (mut lost, mut without_email) = (0, 0);
    for checker in checkers {
        let (l, w) = checker.await.unwrap();
        lost += l;
        without_email += w;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let check = integrity(&paths.database_url).await;
    let rows = registrations_of(&paths.database_url, event_id).await - before;

    println!(
        "SQLite {sqlite_version} (bundled), journal_mode={journal}, synchronous={synchronous} \
         (2 = FULL)"
    );
    println!(
        "acknowledged: {total}; rows for the event: {rows}; refused: {refused}; \
         emails failed: {failed}; acknowledged without an email: {without_email}; \
         final integrity {check}; rounds failing a check: {bad_rounds}"
    );
    println!("total time: {:.1} s", bench_started.elapsed().as_secs_f64());
    println!("lost: {lost}");
    if lost == 0 && check == "ok" && bad_rounds == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
