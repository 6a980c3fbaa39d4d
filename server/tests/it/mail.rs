//! The outbox: stored first, then delivered as `.eml` files or over a real
//! SMTP server on loopback (Python's aiosmtpd, installed by scripts/setup.sh).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestApp, now, spawn_app, spawn_app_with};
use app::domain::Lang;
use app::server::mail::{self, Outgoing};
use app::server::{Clock, config::SmtpUrl};

const SUBJECT: &str = "تم استلام تسجيلكم في منصة لوزان";
const BODY: &str = "مرحباً سارة،\n\nشكراً لتسجيلكم في اجتماع منصة لوزان.\nسنراسلكم عند مراجعة طلبكم.\n\n— Lausanne Platform";

/// One outbox row, as the tests look at it.
#[derive(Debug)]
struct Row {
    attempts: i64,
    next_attempt_at: i64,
    sent_at: Option<i64>,
    failed_at: Option<i64>,
    last_error: Option<String>,
}

async fn row(app: &TestApp, id: i64) -> Row {
    let (attempts, next_attempt_at, sent_at, failed_at, last_error) = sqlx::query_as::<
        _,
        (i64, i64, Option<i64>, Option<i64>, Option<String>),
    >(
        "SELECT attempts, next_attempt_at, sent_at, failed_at, last_error FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.sql())
    .await
    .unwrap();
    Row {
        attempts,
        next_attempt_at,
        sent_at,
        failed_at,
        last_error,
    }
}

/// Stores an Arabic message in a transaction, commits, wakes the worker.
async fn enqueue_arabic(app: &TestApp) -> i64 {
    let mut tx = app.db.begin_write().await.unwrap();
    let id = mail::enqueue(
        &mut tx,
        &app.state.key,
        &Outgoing {
            to: "Sara <sara@example.org>",
            lang: Lang::Ar,
            subject: SUBJECT,
            body: BODY,
            registration_id: None,
        },
        app.state.clock.now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.state.mail.wake();
    id
}

/// Polls `check` until it is true, for at most `limit`.
pub async fn eventually<F: Future<Output = bool>>(
    limit: Duration,
    mut check: impl FnMut() -> F,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    false
}

pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Checks an email as it was written or received: Arabic intact once decoded.
fn assert_arabic_message(raw: &[u8]) {
    assert!(
        raw.is_ascii(),
        "headers and body are encoded for 7-bit transport"
    );
    let message = mail_parser::MessageParser::default().parse(raw).unwrap();
    assert_eq!(message.subject(), Some(SUBJECT));
    assert_eq!(
        message
            .body_text(0)
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        BODY
    );
    assert_eq!(
        message.header_raw("Content-Language").map(str::trim),
        Some("ar")
    );
    assert!(
        message
            .message_id()
            .is_some_and(|id| id.ends_with("@127.0.0.1"))
    );
    assert!(message.date().is_some());
    let to = message.to().and_then(|to| to.first()).unwrap();
    assert_eq!(to.address(), Some("sara@example.org"));
}

#[tokio::test]
async fn without_smtp_an_arabic_email_is_written_as_an_eml_file() {
    let app = spawn_app().await;
    let id = enqueue_arabic(&app).await;

    let sent = eventually(Duration::from_secs(10), || async {
        row(&app, id).await.sent_at.is_some()
    })
    .await;
    assert!(
        sent,
        "the worker marks the message sent: {:?}",
        row(&app, id).await
    );

    let files = files_in(&app.outbox_dir);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "eml");
    assert_arabic_message(&std::fs::read(&files[0]).unwrap());
    let row = row(&app, id).await;
    assert_eq!(row.attempts, 1);
    assert_eq!(row.sent_at, Some(now().as_millisecond()));
    assert!(row.failed_at.is_none() && row.last_error.is_none());
}

/// A real SMTP server on loopback (aiosmtpd), storing what it receives in a
/// Maildir. Stopped when dropped.
pub struct SmtpServer {
    child: Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start(port: u16) -> Self {
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/python");
        assert!(
            python.is_file(),
            "{} is missing: run scripts/setup.sh, which installs aiosmtpd for the mail tests",
            python.display()
        );
        let maildir = tempfile::tempdir().unwrap();
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            // A Maildir it creates (it would not fill in an existing folder).
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self { child, maildir };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let start = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start listening on {addr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// The messages received so far.
    pub fn received(&self) -> Vec<PathBuf> {
        files_in(&self.maildir.path().join("mail/new"))
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn smtp_url(port: u16) -> SmtpUrl {
    SmtpUrl::parse(&format!("smtp://127.0.0.1:{port}")).unwrap()
}

#[tokio::test]
async fn with_smtp_the_email_reaches_a_real_server() {
    let port = free_port();
    let smtp = SmtpServer::start(port);
    let app = spawn_app_with(|setup| setup.config.smtp_url = Some(smtp_url(port))).await;
    let id = enqueue_arabic(&app).await;

    let sent = eventually(Duration::from_secs(10), || async {
        row(&app, id).await.sent_at.is_some()
    })
    .await;
    assert!(sent, "delivered over SMTP: {:?}", row(&app, id).await);
    let received = smtp.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_arabic_message(&std::fs::read(&received[0]).unwrap());
    assert!(
        files_in(&app.outbox_dir).is_empty(),
        "no file when SMTP is set"
    );
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_backoff_and_sent_once() {
    let port = free_port();
    let app = spawn_app_with(|setup| {
        setup.config.smtp_url = Some(smtp_url(port));
        setup.config.mail_retry_base = Duration::from_millis(200);
        setup.clock = Clock::running_from(now());
    })
    .await;
    let id = enqueue_arabic(&app).await;

    // Nobody listens on the port: the attempts fail and are spaced out.
    let failed_twice = eventually(Duration::from_secs(10), || async {
        row(&app, id).await.attempts >= 2
    })
    .await;
    let failing = row(&app, id).await;
    assert!(failed_twice, "{failing:?}");
    assert!(failing.sent_at.is_none() && failing.failed_at.is_none());
    assert!(
        failing.next_attempt_at > app.state.clock.now().as_millisecond(),
        "the next attempt waits: {failing:?}"
    );
    let error = failing.last_error.unwrap();
    assert!(error.contains("Connection"), "{error}");
    assert!(
        !error.contains('@'),
        "no address in the stored error: {error}"
    );

    // The server comes up: the next retry delivers the message, once.
    let smtp = SmtpServer::start(port);
    let sent = eventually(Duration::from_secs(20), || async {
        row(&app, id).await.sent_at.is_some()
    })
    .await;
    let delivered = row(&app, id).await;
    assert!(sent, "{delivered:?}");
    assert!(delivered.attempts > failing.attempts);
    assert!(delivered.last_error.is_none());
    app.state.mail.wake();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = smtp.received();
    assert_eq!(received.len(), 1, "delivered exactly once: {received:?}");
    assert_arabic_message(&std::fs::read(&received[0]).unwrap());
}

/// Two instances on one database, each with its outbox worker, as behind a
/// load balancer: 500 messages reach a real SMTP server once each.
#[tokio::test]
async fn two_instances_deliver_each_message_exactly_once() {
    const MESSAGES: usize = 500;
    let port = free_port();
    let smtp = SmtpServer::start(port);
    let app = spawn_app_with(|setup| setup.config.smtp_url = Some(smtp_url(port))).await;
    let other = app.second_instance(|_| {}).await;
    // Whatever the demo queued goes first.
    let settled = eventually(Duration::from_secs(20), || async {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(app.sql())
        .await
        .unwrap();
        waiting == 0
    })
    .await;
    assert!(settled, "the demo's mail was delivered first");
    let before = smtp.received().len();

    let mut tx = app.db.begin_write().await.unwrap();
    for i in 0..MESSAGES {
        mail::enqueue(
            &mut tx,
            &app.state.key,
            &Outgoing {
                to: &format!("participant{i}@example.org"),
                lang: Lang::En,
                subject: "Your registration",
                body: &format!("Message {i}"),
                registration_id: None,
            },
            app.state.clock.now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    app.state.mail.wake();
    other.state.mail.wake();

    let started = Instant::now();
    let all = eventually(Duration::from_secs(60), || async {
        smtp.received().len() >= before + MESSAGES
    })
    .await;
    let elapsed = started.elapsed();
    // Time for a duplicate to arrive, if there were one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = smtp.received();
    assert!(all, "{} of {MESSAGES} arrived", received.len() - before);
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for file in &received {
        let raw = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        if let Some(to) = raw
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .filter(|to| to.starts_with("participant"))
        {
            *seen.entry(to.trim().to_owned()).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), MESSAGES, "every address got its message");
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "delivered more than once: {twice:?}");
    println!(
        "two instances delivered {MESSAGES} messages once each in {} ms",
        elapsed.as_millis()
    );
}
