//! The retention schedule: personal data is deleted a fixed time after it
//! stops being needed. Registrations (with their attendance, emails and the
//! reasons in their audit entries) go `LAUSANNE_RETENTION_DAYS` after their
//! event ends, subscribers who never confirmed after
//! `LAUSANNE_UNCONFIRMED_DAYS`, and delivered emails after
//! `LAUSANNE_MAIL_RETENTION_DAYS`. `lausanne purge` runs it once; the server
//! runs it at start and then daily. The privacy notice states the same
//! numbers, read from the same configuration.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::server::crypto::DataKey;
use crate::server::db::Db;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::{self, outbox, registrations, subscribers};
use crate::server::{AppState, Config};

pub use crate::domain::retention::{Purged, RetentionPolicy as Policy};

/// The policy `config` sets.
pub fn policy(config: &Config) -> Policy {
    Policy {
        registration_days: config.retention_days,
        hearing_days: config.feedback_retention_days,
        unconfirmed_days: config.unconfirmed_days,
        mail_days: config.mail_retention_days,
    }
}

/// Days after an admin changes an event's end during which the schedule
/// leaves its registrations alone: time to notice an end moved into the past
/// by mistake.
pub const EDIT_GRACE_DAYS: u32 = 7;

fn days_before(now: Timestamp, days: u32) -> Timestamp {
    now - SignedDuration::from_hours(24 * i64::from(days))
}

/// Deletes what the policy says has been kept long enough, in one
/// transaction, and records in the audit log how much went.
pub async fn purge(
    pool: &Db,
    key: &DataKey,
    policy: Policy,
    now: Timestamp,
) -> sqlx::Result<Purged> {
    let mut tx = pool.begin_write().await?;
    let ended_before = days_before(now, policy.registration_days).as_second();
    let edited_after = days_before(now, EDIT_GRACE_DAYS).as_second();
    for (event, held) in registrations::held_back(&mut tx, ended_before, edited_after).await? {
        tracing::warn!(
            event,
            registrations = held,
            grace_days = EDIT_GRACE_DAYS,
            "retention: the event's end was changed recently; its registrations are kept \
             until the grace period is over (check the event's dates)"
        );
    }
    // What participants told us, on its own schedule (by default the
    // registrations'), and before the registrations: anonymous questions
    // and answers have no registration to go with.
    let hearing_before = days_before(now, policy.hearing_days).as_second();
    let hearing =
        db::questions::delete_of_events_ended_before(&mut tx, hearing_before, edited_after).await?
            + db::hearing::delete_of_events_ended_before(&mut tx, hearing_before, edited_after)
                .await?;
    let (registrations, attendance) =
        registrations::delete_of_events_ended_before(&mut tx, ended_before, edited_after).await?;
    let subscribers = subscribers::delete_unconfirmed(
        &mut tx,
        days_before(now, policy.unconfirmed_days).as_second(),
    )
    .await?;
    // Browsers remembered past their registration's retention.
    registrations::devices::delete_expired(&mut tx, now.as_second()).await?;
    // Staff sessions unused for longer than any session lasts.
    db::staff_sessions::delete_stale(&mut tx, now.as_second() - 24 * 60 * 60).await?;
    // Yesterday's and today's counts are all the daily cap needs.
    outbox::delete_quota_before(&mut tx, now.as_second().div_euclid(86_400) - 1).await?;
    let emails =
        outbox::delete_finished(&mut tx, days_before(now, policy.mail_days).as_millisecond())
            .await?;
    let purged = Purged {
        registrations,
        attendance,
        subscribers,
        emails,
        hearing,
    };
    if purged != Purged::default() {
        audit::record(
            &mut tx,
            key,
            Actor::System,
            AuditAction::Purged {
                counts: &purged.code(),
            },
            now.as_second(),
        )
        .await?;
    }
    tx.commit().await?;
    if purged != Purged::default() {
        db::scrub_wal(pool).await;
    }
    // The shared rate limits' spent counts (PostgreSQL only; SQLite's live
    // in memory and are tidied there).
    if let Db::Postgres(pool) = pool {
        db::limits::delete_expired(pool).await?;
    }
    Ok(purged)
}

/// How often the server purges.
const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// Purges now, then once a day, while the server runs; with several
/// instances, on the one that leads (`server::leader`).
pub fn spawn_daily(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        let mut leader = state.leader.clone();
        loop {
            ticks.tick().await;
            leader.until_leading().await;
            match purge(
                &state.db,
                &state.key,
                policy(&state.config),
                state.clock.now(),
            )
            .await
            {
                Ok(purged) => tracing::info!(
                    registrations = purged.registrations,
                    attendance = purged.attendance,
                    subscribers = purged.subscribers,
                    emails = purged.emails,
                    hearing = purged.hearing,
                    "retention purge"
                ),
                Err(error) => tracing::error!(%error, "retention purge failed; retrying tomorrow"),
            }
        }
    })
}
