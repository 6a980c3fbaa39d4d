//! The live updates' worker and stream: recomputes what open pages show
//! when an event is marked dirty or the clock moves (once a second), and
//! publishes the differences on the [`Live`] hub; `/live` streams them to
//! the browser as server-sent events.

pub mod fanout;
pub mod http;

use std::collections::HashMap;
use std::time::Duration;

use crate::domain::question::BoardQuestion;
use crate::domain::{AttendanceMode, EventStatus, LiveMessage, SessionTimes};
use crate::server::Clock;
use crate::server::crypto::DataKey;
use crate::server::db::Db;
use crate::server::db::{self, registrations as rows};
use crate::server::registrations::{Terms, seats, window_error};

use crate::server::live::{Live, Topic};

/// How often time-driven changes are looked for.
const TICK: Duration = Duration::from_secs(1);

/// What an event's pages show that can change while they are open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    slug: String,
    cancelled: bool,
    seats: Vec<(AttendanceMode, i64)>,
    registration_open: bool,
    /// Session id, live, join window open (online sessions only).
    sessions: Vec<(i64, bool, bool)>,
}

impl Snapshot {
    pub async fn of(pool: &Db, event_id: i64, now: i64) -> sqlx::Result<Self> {
        let event = db::events::seats_by_id(pool, event_id).await?;
        // A cancelled (or unpublished) event offers nothing: no seats, no
        // registration, no session to join.
        let offered = event.status == EventStatus::Published;
        let mut seats_left = Vec::new();
        let modes = AttendanceMode::offered_by(Terms::of(&event).format);
        for &mode in modes.iter().filter(|_| offered) {
            let taken = rows::count_approved(pool, event_id, mode).await?;
            seats_left.push((mode, (seats(&event, mode) - taken).max(0)));
        }
        let sessions = db::sessions::public_agenda(pool, event_id)
            .await?
            .into_iter()
            .map(|s| {
                let times = SessionTimes {
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                    join_opens_minutes_before: s.join_opens_minutes_before,
                };
                let join_open = offered
                    && s.online
                    && times.join_window(now) == crate::domain::JoinWindow::Open;
                (s.id, offered && times.is_live(now), join_open)
            })
            .collect();
        Ok(Self {
            registration_open: offered && window_error(&event, now).is_none(),
            slug: event.slug,
            cancelled: event.status == EventStatus::Cancelled,
            seats: seats_left,
            sessions,
        })
    }

    /// The messages that turn `before` (nothing: everything) into `self`.
    pub fn changes_since(&self, before: Option<&Snapshot>) -> Vec<LiveMessage> {
        let mut messages = Vec::new();
        let event = || self.slug.clone();
        if self.cancelled && before.is_none_or(|b| !b.cancelled) {
            messages.push(LiveMessage::Cancelled { event: event() });
        }
        for &(mode, left) in &self.seats {
            if before.is_none_or(|b| !b.seats.contains(&(mode, left))) {
                messages.push(LiveMessage::Seats {
                    event: event(),
                    mode,
                    left,
                });
            }
        }
        if before.is_none_or(|b| b.registration_open != self.registration_open) {
            messages.push(LiveMessage::Registration {
                event: event(),
                open: self.registration_open,
            });
        }
        for &(session, live, join_open) in &self.sessions {
            if before.is_none_or(|b| !b.sessions.contains(&(session, live, join_open))) {
                messages.push(LiveMessage::Session {
                    session,
                    live,
                    join_open,
                });
            }
        }
        messages
    }
}

pub async fn participant(pool: &Db, registration: i64) -> sqlx::Result<Option<LiveMessage>> {
    let Some(standing) = rows::standing(pool, registration).await? else {
        return Ok(None);
    };
    Ok(Some(LiveMessage::Participant {
        state: standing.state,
        can_join: standing.may_join(),
    }))
}

/// The messages that turn board `before` (unknown: everything) into `now`.
pub fn board_changes(
    session: i64,
    before: Option<&[BoardQuestion]>,
    now: &[BoardQuestion],
) -> Vec<LiveMessage> {
    let Some(before) = before else {
        return vec![LiveMessage::Board {
            session,
            questions: now.to_vec(),
        }];
    };
    let mut messages: Vec<LiveMessage> = before
        .iter()
        .filter(|old| !now.iter().any(|q| q.id == old.id))
        .map(|old| LiveMessage::QuestionGone { question: old.id })
        .collect();
    for question in now {
        match before.iter().find(|old| old.id == question.id) {
            Some(old) if old == question => {}
            Some(old)
                if BoardQuestion {
                    votes: old.votes,
                    ..question.clone()
                } == *old =>
            {
                messages.push(LiveMessage::Votes {
                    question: question.id,
                    votes: question.votes,
                });
            }
            _ => messages.push(LiveMessage::Question {
                session,
                question: question.clone(),
            }),
        }
    }
    messages
}

/// Runs the worker that finds and publishes changes, until the runtime stops.
pub fn spawn_worker(
    pool: Db,
    key: DataKey,
    clock: Clock,
    live: Live,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events: HashMap<i64, Snapshot> = HashMap::new();
        let mut boards: HashMap<i64, Vec<BoardQuestion>> = HashMap::new();
        let mut participants: HashMap<i64, LiveMessage> = HashMap::new();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            let timed = tokio::select! {
                _ = tick.tick() => true,
                () = live.woken() => false,
            };
            let now = clock.now().as_second();
            let touched = live.take_dirty();
            let edited = live.take_edited();
            let asked = live.take_questions();
            let watched_boards = live.watched_boards();
            boards.retain(|session, _| watched_boards.contains_key(session));
            for (&session, event) in &watched_boards {
                // A board first seen is only remembered: its streams began
                // with a snapshot.
                let changed = asked.contains(event);
                if !changed && boards.contains_key(&session) {
                    continue;
                }
                match crate::server::questions::board(&pool, &key, session).await {
                    Ok(now) => {
                        if changed {
                            let before = boards.get(&session).map(Vec::as_slice);
                            for message in board_changes(session, before, &now) {
                                live.publish(Topic::Board(session), &message);
                            }
                        }
                        boards.insert(session, now);
                    }
                    Err(error) => tracing::warn!(%error, session, "live: cannot read a board"),
                }
            }
            for event in live.take_checkins() {
                match crate::server::checkin::count_message(&pool, event, now).await {
                    Ok(message) => live.publish(Topic::Checkin(event), &message),
                    Err(error) => tracing::warn!(%error, event, "live: cannot count check-ins"),
                }
            }
            for event in live.take_published() {
                match db::events::seats_by_id(&pool, event).await {
                    Ok(row) if row.status == EventStatus::Published => {
                        let message = LiveMessage::Listed {
                            event: row.slug,
                            kind: row.kind,
                            format: row.format,
                        };
                        live.publish(Topic::Listing, &message);
                    }
                    Ok(_) | Err(sqlx::Error::RowNotFound) => {}
                    Err(error) => tracing::warn!(%error, event, "live: cannot read event"),
                }
            }
            // Only events someone follows: on a tick all of them (time moves
            // for every one), otherwise those a commit touched.
            let watched = live.watched_events();
            events.retain(|id, _| watched.contains(id));
            let due: Vec<i64> = if timed {
                watched.into_iter().collect()
            } else {
                watched.intersection(&touched).copied().collect()
            };
            for event in due {
                match Snapshot::of(&pool, event, now).await {
                    Ok(snapshot) => {
                        if edited.contains(&event) {
                            let changed = LiveMessage::EventChanged {
                                event: snapshot.slug.clone(),
                            };
                            live.publish(Topic::Event(event), &changed);
                        }
                        for message in snapshot.changes_since(events.get(&event)) {
                            live.publish(Topic::Event(event), &message);
                        }
                        events.insert(event, snapshot);
                    }
                    Err(sqlx::Error::RowNotFound) => {
                        events.remove(&event);
                    }
                    Err(error) => tracing::warn!(%error, event, "live: cannot read event"),
                }
            }
            participants.retain(|registration, _| live.is_watched(*registration));
            for registration in live.watched_in(&touched) {
                match participant(&pool, registration).await {
                    Ok(Some(message)) if participants.get(&registration) != Some(&message) => {
                        live.publish(Topic::Registration(registration), &message);
                        participants.insert(registration, message);
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "live: cannot read registration"),
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_the_differences() {
        let before = Snapshot {
            slug: "x".into(),
            cancelled: false,
            seats: vec![(AttendanceMode::InPerson, 3), (AttendanceMode::Online, 5)],
            registration_open: true,
            sessions: vec![(1, false, false), (2, false, true)],
        };
        let after = Snapshot {
            slug: "x".into(),
            cancelled: false,
            seats: vec![(AttendanceMode::InPerson, 2), (AttendanceMode::Online, 5)],
            registration_open: true,
            sessions: vec![(1, true, true), (2, false, true)],
        };
        assert_eq!(
            after.changes_since(Some(&before)),
            vec![
                LiveMessage::Seats {
                    event: "x".into(),
                    mode: AttendanceMode::InPerson,
                    left: 2
                },
                LiveMessage::Session {
                    session: 1,
                    live: true,
                    join_open: true
                },
            ]
        );
        assert_eq!(after.changes_since(None).len(), 5);
        assert!(after.changes_since(Some(&after)).is_empty());
        let cancelled = Snapshot {
            cancelled: true,
            seats: Vec::new(),
            registration_open: false,
            ..after.clone()
        };
        let messages = cancelled.changes_since(Some(&after));
        assert_eq!(
            messages.first(),
            Some(&LiveMessage::Cancelled { event: "x".into() })
        );
        assert!(cancelled.changes_since(Some(&cancelled)).is_empty());
    }
}
