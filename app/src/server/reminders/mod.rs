//! Reminders before an event: each approved participant gets an email in
//! their language at the event's two reminder times (by default two days
//! and two hours before it starts), with the agenda in the event's time
//! zone, links to their private page and calendar file, and, for approved
//! online participants, their personal join links (`/join/<token>/<session>`,
//! never the meeting itself). None for past, cancelled or unpublished
//! events, or for participants who turned them off. Each reminder goes
//! out once: it is claimed (`reminders_sent`) in the transaction that
//! queues its emails, so restarts and several instances cannot repeat it;
//! when both are due at once (an event published late), only the later
//! one is sent.

pub mod http;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::domain::{AttendanceMode, Lang, Visibility};
use crate::error::AppError;
use crate::server::db::registrations as registrations_db;
use crate::server::db::reminders as rows;
use crate::server::notices::{self, Notice, Recipient};
use crate::server::token::Token;
use crate::server::{AppState, db, format};

/// How often the job looks for reminders that are due.
const EVERY: Duration = Duration::from_secs(60);

/// The agenda of an event in `lang`, one line per session, in its time zone.
fn agenda(
    lang: Lang,
    sessions: &[db::sessions::PublicSessionRow],
    tz: &jiff::tz::TimeZone,
) -> String {
    sessions
        .iter()
        .map(|s| {
            format!(
                "- {} · {}",
                format::day_and_times(
                    lang,
                    &format::zoned(s.starts_at, tz),
                    &format::zoned(s.ends_at, tz)
                ),
                lang.pick(&s.title_en, &s.title_ar)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Queues every reminder that is due; returns how many emails.
pub async fn send_due(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    let mut due: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for d in rows::due(&state.db, now.as_second()).await? {
        due.entry(d.event_id).or_default().push(d.which);
    }
    let mut queued = 0;
    'events: for (event_id, which) in due {
        let mut tx = state.db.begin_event_write(&[event_id]).await?;
        let event = db::events::seats_by_id(&mut tx, event_id).await?;
        let off = rows::opted_out(&mut tx, event_id).await?;
        let people: Vec<_> = registrations_db::approved(&mut tx, &state.key, event_id)
            .await?
            .into_iter()
            .filter(|r| !off.contains(&r.id))
            .collect();
        let sending = which.iter().copied().max().unwrap_or(1);
        for &w in &which {
            let emails = if w == sending { people.len() } else { 0 };
            let emails = i64::try_from(emails).unwrap_or(i64::MAX);
            if !rows::claim(&mut tx, event_id, w, emails, now.as_second()).await? {
                // Another worker sent it.
                continue 'events;
            }
        }
        let sessions = if event.visibility == Visibility::Public || !people.is_empty() {
            db::sessions::public_agenda(&mut tx, event_id).await?
        } else {
            Vec::new()
        };
        let tz = format::time_zone(&event.time_zone);
        for r in &people {
            let lang = r.lang;
            let token = Token::generate()?;
            registrations_db::links::add(&mut tx, r.id, &token.hash(), now.as_second()).await?;
            let link = crate::server::registrations::private_link(state, lang, token.as_str());
            let calendar = format!("{link}/calendar.ics");
            let joins = if r.mode == AttendanceMode::Online {
                sessions
                    .iter()
                    .filter(|s| s.online)
                    .map(|s| {
                        format!(
                            "- {}: {}{}",
                            lang.pick(&s.title_en, &s.title_ar),
                            state.config.public_url,
                            crate::paths::join(token.as_str(), s.id)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                String::new()
            };
            let start = format::zoned(event.starts_at, &tz);
            let when = format!(
                "{} ({})",
                format::moment(lang, &start),
                format::time_zone_label(&event.time_zone, &start)
            );
            let notice = Notice::Reminder {
                when: &when,
                agenda: &agenda(lang, &sessions, &tz),
                joins: &joins,
                link: &link,
                calendar: &calendar,
            };
            let recipient = Recipient {
                registration_id: Some(r.id),
                email: &r.email,
                name: Some(&r.name),
                lang,
                event_title: lang.pick(&event.title_en, &event.title_ar),
            };
            notices::queue(&mut tx, &state.key, &recipient, &notice, now).await?;
            queued += 1;
        }
        tx.commit().await?;
        tracing::info!(
            event = event_id,
            reminder = sending,
            emails = people.len(),
            "reminders queued"
        );
    }
    if queued > 0 {
        state.mail.wake();
    }
    Ok(queued)
}

/// Runs [`send_due`] every minute on the instance that leads.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        let mut leader = state.leader.clone();
        loop {
            ticks.tick().await;
            leader.until_leading().await;
            if let Err(error) = send_due(&state).await {
                tracing::warn!(%error, "reminders: will try again");
            }
        }
    })
}

/// The participant behind `token` turns reminders on or off.
pub async fn set(state: &AppState, token: &str, on: bool) -> Result<(), AppError> {
    let found = crate::server::registrations::open(state, token).await?;
    rows::set_reminders(&state.db, found.registration.id, on).await?;
    Ok(())
}
