//! Delivering the outbox: a worker that takes each due message, hands it to
//! the transport (SMTP, or `.eml` files), and marks it sent, retried with
//! exponential backoff, or given up on. A message is marked sent only once
//! the transport has accepted it, so a crash in between sends it again
//! rather than never. Several workers (or processes) never deliver the same
//! message at once: each message is claimed for a lease first.
//!
//! Logs carry message ids only: never addresses, names, subjects or bodies.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::server::AppState;
use crate::server::db::outbox::{self, PendingMail};
use crate::server::mail::TransportError;
use crate::server::mail::transport::{Failure, Transport};

/// Attempts after which a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The worker looks at the outbox at least this often, even unwoken.
const IDLE_WAKE: Duration = Duration::from_secs(30);

/// How long a message taken for delivery stays out of other workers' sight;
/// if the process dies mid-attempt, it is due again after this.
const LEASE: Duration = Duration::from_secs(300);

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
        let wait = match outbox::next_due_at(&state.db).await {
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
        mail.wait_for_mail(wait).await;
    }
    tracing::info!("outbox: worker stopped");
}

/// Delivers every message due now, one at a time. Each message's claim
/// (see [`LEASE`]), attempt and the record of its outcome run as a task of
/// their own, so that stopping or aborting the worker never cuts between
/// "claimed" and "tried", nor between "the server accepted it" and "marked
/// sent" (which would send it again).
async fn deliver_due(state: &AppState, transport: &Arc<Transport>) -> sqlx::Result<()> {
    let now = state.clock.now().as_millisecond();
    let lease_until = now.saturating_add(i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX));
    while !state.mail.stopping() {
        let attempt = tokio::spawn({
            let state = state.clone();
            let transport = Arc::clone(transport);
            async move {
                match outbox::claim_next(&state.db, &state.key, now, lease_until).await? {
                    None => return Ok(false),
                    Some(Ok(message)) => deliver(&state, &transport, &message, lease_until).await?,
                    Some(Err(id)) => {
                        tracing::error!(id, "outbox: a message cannot be decrypted; given up on");
                        outbox::mark_failed(
                            &state.db,
                            id,
                            Some(lease_until),
                            now,
                            "cannot be decrypted",
                        )
                        .await?;
                    }
                }
                sqlx::Result::Ok(true)
            }
        });
        match attempt.await {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => return Ok(()),
            Ok(Err(error)) => return Err(error),
            Err(error) => {
                tracing::error!(%error, "outbox: a delivery task failed");
                return Ok(());
            }
        }
    }
    Ok(())
}

async fn deliver(
    state: &AppState,
    transport: &Transport,
    message: &PendingMail,
    lease: i64,
) -> sqlx::Result<()> {
    let result = transport.send(message, &state.config).await;
    let now = state.clock.now().as_millisecond();
    let attempts = message.attempts + 1;
    match result {
        Ok(()) => {
            outbox::mark_sent(&state.db, message.id, now).await?;
            tracing::info!(id = message.id, attempts, "outbox: message sent");
        }
        Err(Failure { reason, permanent }) if permanent || attempts >= MAX_ATTEMPTS => {
            outbox::mark_failed(&state.db, message.id, Some(lease), now, &reason).await?;
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
            outbox::mark_retry(&state.db, message.id, lease, retry_at, &reason).await?;
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
