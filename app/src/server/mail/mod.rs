//! Email through an outbox. A message is stored first, in the same
//! transaction as the change that causes it ([`enqueue`]); the worker
//! ([`spawn_worker`]) then delivers it, over SMTP when `LAUSANNE_SMTP_URL` is
//! set and otherwise as an `.eml` file in the outbox folder. It is marked sent
//! only once the transport has accepted it, so a crash in between sends it
//! again (at least once) rather than never. Failed attempts are retried with
//! exponential backoff; after [`MAX_ATTEMPTS`] the message is given up on.
//!
//! Logs carry message ids only: never addresses, names, subjects or bodies.

mod transport;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use sqlx::SqliteExecutor;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::AppState;
use super::crypto::DataKey;
use super::db::outbox::{self, NewMail, PendingMail};
use crate::domain::Lang;
pub use transport::TransportError;
use transport::{Failure, Transport};

/// Attempts after which a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// The worker looks at the outbox at least this often, even unwoken.
const IDLE_WAKE: Duration = Duration::from_secs(30);
/// Messages fetched per query.
const BATCH: i64 = 32;
/// How long a message taken for delivery stays out of other workers' sight;
/// if the process dies mid-attempt, it is due again after this.
const LEASE: Duration = Duration::from_secs(300);

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
    db: impl SqliteExecutor<'_>,
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
            lang: mail.lang.code(),
            subject: mail.subject,
            body_text: mail.body,
            created_at: now.as_millisecond(),
        },
    )
    .await
}

/// Stores a mailing-list message to `subscriber_id`, with the one-click
/// unsubscribe URL its headers carry. Unsubscribing erases it.
pub async fn enqueue_list(
    db: impl SqliteExecutor<'_>,
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
            lang: mail.lang.code(),
            subject: mail.subject,
            body_text: mail.body,
            created_at: now.as_millisecond(),
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
    /// Wakes the bulletin mailing job (`server::bulletins::spawn_mailing`).
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

/// Starts the worker that delivers the outbox of `state`, with the transport
/// its configuration names. Fails if the outbox folder cannot be created.
/// Stop it with [`Mailer::stop`] and await the handle.
pub fn spawn_worker(state: AppState) -> Result<JoinHandle<()>, TransportError> {
    let transport = Transport::from_config(&state.config)?;
    match &transport {
        Transport::Smtp(_) => tracing::info!("outbox: delivering over SMTP"),
        Transport::Files { dir, .. } => {
            tracing::info!(dir = %dir.display(), "outbox: writing emails as files")
        }
    }
    Ok(tokio::spawn(run(state, Arc::new(transport))))
}

async fn run(state: AppState, transport: Arc<Transport>) {
    let mail = state.mail.clone();
    while !mail.stopping() {
        if let Err(error) = deliver_due(&state, &transport).await {
            tracing::error!(%error, "outbox: database error");
        }
        if mail.stopping() {
            break;
        }
        let wait = match outbox::next_due_at(&state.pool).await {
            Ok(Some(at)) => {
                let ms = at.saturating_sub(state.clock.now().as_millisecond());
                Duration::from_millis(u64::try_from(ms).unwrap_or(0)).clamp(
                    // Something still due means it could not be marked: no busy loop.
                    Duration::from_millis(50),
                    IDLE_WAKE,
                )
            }
            Ok(None) => IDLE_WAKE,
            Err(error) => {
                tracing::error!(%error, "outbox: database error");
                IDLE_WAKE
            }
        };
        tokio::select! {
            () = mail.0.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
    tracing::info!("outbox: worker stopped");
}

/// Delivers every message due now, one at a time. Each message is first
/// claimed (see [`LEASE`]); its attempt and the record of its outcome then
/// run as a task of their own, so that stopping or aborting the worker never
/// cuts between "the server accepted it" and "marked sent" (which would send
/// it again).
async fn deliver_due(state: &AppState, transport: &Arc<Transport>) -> sqlx::Result<()> {
    let now = state.clock.now().as_millisecond();
    let lease_until = now.saturating_add(i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX));
    loop {
        let batch = outbox::due(&state.pool, &state.key, now, BATCH).await?;
        if batch.is_empty() {
            return Ok(());
        }
        for message in batch {
            let message = match message {
                Ok(message) => message,
                Err(id) => {
                    tracing::error!(id, "outbox: a message cannot be decrypted; given up on");
                    outbox::mark_failed(&state.pool, id, now, "cannot be decrypted").await?;
                    continue;
                }
            };
            if state.mail.stopping() {
                return Ok(());
            }
            if !outbox::claim(&state.pool, message.id, now, lease_until).await? {
                continue;
            }
            let attempt = tokio::spawn({
                let state = state.clone();
                let transport = Arc::clone(transport);
                async move { deliver(&state, &transport, &message).await }
            });
            match attempt.await {
                Ok(result) => result?,
                Err(error) => tracing::error!(%error, "outbox: a delivery task failed"),
            }
        }
    }
}

async fn deliver(
    state: &AppState,
    transport: &Transport,
    message: &PendingMail,
) -> sqlx::Result<()> {
    let result = transport.send(message, &state.config).await;
    let now = state.clock.now().as_millisecond();
    let attempts = message.attempts + 1;
    match result {
        Ok(()) => {
            outbox::mark_sent(&state.pool, message.id, now).await?;
            tracing::info!(id = message.id, attempts, "outbox: message sent");
        }
        Err(Failure { reason, permanent }) if permanent || attempts >= MAX_ATTEMPTS => {
            outbox::mark_failed(&state.pool, message.id, now, &reason).await?;
            tracing::error!(
                id = message.id,
                attempts,
                error = %reason,
                "outbox: giving up on a message"
            );
        }
        Err(Failure { reason, .. }) => {
            let delay = backoff(state.config.mail_retry_base, attempts);
            let retry_at = now.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
            outbox::mark_retry(&state.pool, message.id, retry_at, &reason).await?;
            tracing::warn!(
                id = message.id,
                attempts,
                retry_in_ms = delay.as_millis(),
                error = %reason,
                "outbox: delivery failed, will retry"
            );
        }
    }
    Ok(())
}

/// The wait after the `attempts`-th failure: `base`, then twice as long
/// each time, at most [`MAX_BACKOFF`].
pub fn backoff(base: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 31)).unwrap_or(31);
    base.saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 7), Duration::from_secs(30 * 64));
        assert_eq!(backoff(base, 8), MAX_BACKOFF);
        assert_eq!(backoff(base, 1000), MAX_BACKOFF);
        assert_eq!(
            backoff(Duration::from_millis(200), 3),
            Duration::from_millis(800)
        );
    }
}
