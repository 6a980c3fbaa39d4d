//! Mailing a published issue to the list, paced and resumable: each step
//! queues the next few subscribers' copies in the outbox in one transaction.

use std::time::Duration;

use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::bulletins::{self as rows};
use crate::server::db::signals::Signal;
use crate::server::mail::{self, Outgoing};
use crate::server::token::Token;

/// Emails queued per step of the mailing, and the pause between steps, for
/// `per_minute` emails a minute.
fn pace(per_minute: u32) -> (i64, Duration) {
    let per_step = (per_minute / 60).max(1);
    let pause = Duration::from_millis(60_000 * u64::from(per_step) / u64::from(per_minute.max(1)));
    (i64::from(per_step), pause)
}

/// Starts the job that mails published issues to the list: each step, in
/// one transaction, queues the next few subscribers' copies in the outbox and
/// records each delivery (unique per issue and subscriber), so a crash
/// resumes where it stopped and nobody gets an issue twice. The pace is
/// `LAUSANNE_BULLETIN_RATE` emails a minute.
pub fn spawn_mailing(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let (per_step, pause) = pace(state.config.bulletin_rate);
        // One instance mails, whatever their number: the rate is the site's.
        let mut leader = state.leader.clone();
        while !state.mail.stopping() {
            leader.until_leading().await;
            let wait = match mailing_step(&state, per_step).await {
                Ok(true) => pause,
                Ok(false) => Duration::from_secs(30),
                Err(error) => {
                    tracing::error!(%error, "bulletin mailing: database error");
                    Duration::from_secs(5)
                }
            };
            state.mail.wait_mailing(wait).await;
        }
    })
}

/// Queues up to `limit` copies of the issue being mailed. `true` when there
/// may be more to do.
async fn mailing_step(state: &AppState, limit: i64) -> Result<bool, AppError> {
    let mut tx = state.db.begin_write().await?;
    let Some((id, started)) = rows::mailing_due(&mut tx).await? else {
        return Ok(false);
    };
    let Some(issue) = rows::by_id(&state.db, id).await? else {
        return Ok(false);
    };
    let now = state.clock.now();
    let recipients = rows::recipients(&mut tx, &state.key, id, started, limit).await?;
    if recipients.is_empty() {
        rows::mailing_done(&mut tx, id, now.as_second()).await?;
        tx.commit().await?;
        tracing::info!(bulletin = id, "bulletin mailing: done");
        return Ok(true);
    }
    for r in &recipients {
        let lang = r.lang;
        let token = Token::generate()?;
        let unsubscribe = format!(
            "{}/{}/unsubscribe/{}",
            state.config.public_url,
            lang.code(),
            token.as_str()
        );
        let (subject, body) = crate::server::subscriptions::bulletin_email(
            &state.config.public_url,
            lang,
            &issue,
            &unsubscribe,
        );
        let outbox_id = mail::enqueue_list(
            &mut tx,
            &state.key,
            &Outgoing {
                to: &r.email,
                lang,
                subject: &subject,
                body: &body,
                registration_id: None,
            },
            r.id,
            &unsubscribe,
            now,
        )
        .await?;
        rows::insert_delivery(&mut tx, id, r.id, outbox_id, &token.hash(), now.as_second()).await?;
    }
    // Every instance's worker takes a share of the copies.
    state.live.announce(&mut tx, Signal::Mail).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_the_mailing() {
        assert_eq!(pace(600), (10, Duration::from_secs(1)));
        assert_eq!(pace(30), (1, Duration::from_secs(2)));
        assert_eq!(pace(60_000), (1000, Duration::from_secs(1)));
    }
}
