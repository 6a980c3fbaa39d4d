//! Email through an outbox. A message is stored first, in the same
//! transaction as the change that causes it ([`enqueue`]); the worker
//! (`server::delivery`) then delivers it, over SMTP when `LAUSANNE_SMTP_URL` is
//! set and otherwise as an `.eml` file in the outbox folder. It is marked sent
//! only once the transport has accepted it, so a crash in between sends it
//! again (at least once) rather than never. Failed attempts are retried with
//! exponential backoff; after a few attempts the message is given up on.
//!
//! Logs carry message ids only: never addresses, names, subjects or bodies.

pub mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Notify;

use crate::domain::Lang;
use crate::server::crypto::DataKey;
use crate::server::db::backend::Exec;
use crate::server::db::outbox::{self, NewMail};
pub use transport::TransportError;

/// An email to send.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub lang: Lang,
    pub subject: &'a str,
    pub body: &'a str,
    /// The registration the message is about; deleting it deletes the message.
    pub registration_id: Option<i64>,
}

/// Stores `mail` in the outbox, due now. Call it inside the transaction that
/// makes the change the message tells about, and call [`Mailer::wake`] after
/// the commit.
pub async fn enqueue(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    mail: &Outgoing<'_>,
    now: Timestamp,
) -> sqlx::Result<i64> {
    outbox::insert(
        db,
        key,
        &NewMail {
            registration_id: mail.registration_id,
            to_address: mail.to,
            lang: mail.lang,
            subject: mail.subject,
            body_text: mail.body,
            created_at: now.as_millisecond(),
            due_at: now.as_millisecond(),
        },
    )
    .await
}

/// [`enqueue`] a message that may be sent from `due_ms` (Unix
/// milliseconds) on: announcements, spread at the bulletin rate.
pub async fn enqueue_due(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    mail: &Outgoing<'_>,
    now: Timestamp,
    due_ms: i64,
) -> sqlx::Result<i64> {
    outbox::insert(
        db,
        key,
        &NewMail {
            registration_id: mail.registration_id,
            to_address: mail.to,
            lang: mail.lang,
            subject: mail.subject,
            body_text: mail.body,
            created_at: now.as_millisecond(),
            due_at: due_ms.max(now.as_millisecond()),
        },
    )
    .await
}

/// Stores a mailing-list message to `subscriber_id`, with the one-click
/// unsubscribe URL its headers carry. Unsubscribing erases it.
pub async fn enqueue_list(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    mail: &Outgoing<'_>,
    subscriber_id: i64,
    unsubscribe_url: &str,
    now: Timestamp,
) -> sqlx::Result<i64> {
    outbox::insert_list_mail(
        db,
        key,
        &NewMail {
            registration_id: None,
            to_address: mail.to,
            lang: mail.lang,
            subject: mail.subject,
            body_text: mail.body,
            created_at: now.as_millisecond(),
            due_at: now.as_millisecond(),
        },
        subscriber_id,
        unsubscribe_url,
    )
    .await
}

/// A handle on the outbox worker: cheap to clone, kept in [`AppState`].
#[derive(Clone, Default)]
pub struct Mailer(Arc<Signals>);

#[derive(Default)]
struct Signals {
    wake: Notify,
    stop: AtomicBool,
    /// Wakes the bulletin mailing job (`server::bulletins::mailing::spawn_mailing`).
    mailing: Notify,
}

impl Mailer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Tells the worker that new mail is waiting. A wake that arrives while
    /// the worker is busy is kept for its next wait, so none is lost.
    pub fn wake(&self) {
        self.0.wake.notify_one();
    }

    /// Asks the worker to stop after the message it is delivering; what is
    /// left stays in the outbox for the next start.
    pub fn stop(&self) {
        self.0.stop.store(true, Ordering::SeqCst);
        self.0.wake.notify_one();
        self.0.mailing.notify_one();
    }

    pub fn stopping(&self) -> bool {
        self.0.stop.load(Ordering::SeqCst)
    }

    /// The delivery worker's pause: `wait`, or less when woken.
    pub async fn wait_for_mail(&self, wait: Duration) {
        tokio::select! {
            () = self.0.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }

    /// Tells the bulletin mailing job that an issue was published.
    pub fn wake_mailing(&self) {
        self.0.mailing.notify_one();
    }

    /// The mailing job's pause: `wait`, or less when woken or stopped.
    pub async fn wait_mailing(&self, wait: Duration) {
        tokio::select! {
            () = self.0.mailing.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}
