//! Queries on `event_topics`, `priorities` and `feedback`, and the events'
//! "what we heard" columns. Priorities and feedback are found by
//! `respondent_key` (a keyed hash of the registration), never by a
//! registration id; their free text and attributed organisation are sealed.

use super::backend::{Exec, run};
use crate::domain::hearing::PriorityAnswer;
use crate::server::crypto::{
    DataKey, FEEDBACK_CHANGE, PRIORITY_ORGANISATION, PRIORITY_TEXT, RESPONDENT,
};

/// The keyed hash under which a registration's answers are kept.
pub fn respondent_key(key: &DataKey, registration: i64) -> Vec<u8> {
    key.lookup(RESPONDENT, &registration.to_string())
}

/// Keeps a new registration's priorities (nothing when it gave none).
pub async fn store_priorities(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event: i64,
    registration: i64,
    organisation: &str,
    answer: &PriorityAnswer,
    now: i64,
) -> sqlx::Result<()> {
    if answer.is_empty() {
        return Ok(());
    }
    insert_priorities(
        db,
        key,
        &NewPriorities {
            event_id: event,
            respondent_key: &respondent_key(key, registration),
            topics: &answer.topics,
            text: answer.text.as_deref(),
            organisation: answer.attribute.then_some(organisation),
            now,
        },
    )
    .await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicRow {
    pub id: i64,
    pub title_en: String,
    pub title_ar: String,
}

pub async fn topics(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<Vec<TopicRow>> {
    run!(
        db,
        fetch_all,
        query_as!(TopicRow,
            sqlite: r#"SELECT id AS "id!", title_en, title_ar FROM event_topics WHERE event_id = ? ORDER BY position"#,
            postgres: r#"SELECT id, title_en, title_ar FROM event_topics WHERE event_id = $1 ORDER BY position"#,
            event_id,
        )
    )
}

/// Sets an event's topics: the title at each position is updated in place
/// (so answers keep counting for it), positions beyond the new list go
/// (with their place in answers), new ones are added.
pub async fn set_topics(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    topics: &[(String, String)],
) -> sqlx::Result<()> {
    let mut db = db.into();
    let count = i64::try_from(topics.len()).unwrap_or(i64::MAX);
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM event_topics WHERE event_id = ? AND position >= ?",
            postgres: "DELETE FROM event_topics WHERE event_id = $1 AND position >= $2",
            event_id,
            count,
        )
    )?;
    for (position, (en, ar)) in (0_i64..).zip(topics) {
        run!(
            &mut db,
            execute,
            query!(
                sqlite: "INSERT INTO event_topics (event_id, position, title_en, title_ar) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (event_id, position) DO UPDATE SET title_en = ?3, title_ar = ?4",
                postgres: "INSERT INTO event_topics (event_id, position, title_en, title_ar) VALUES ($1, $2, $3, $4)
             ON CONFLICT (event_id, position) DO UPDATE SET title_en = $3, title_ar = $4",
                event_id,
                position,
                en,
                ar,
            )
        )?;
    }
    Ok(())
}

pub struct NewPriorities<'a> {
    pub event_id: i64,
    pub respondent_key: &'a [u8],
    pub topics: &'a [i64],
    pub text: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_priorities(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    p: &NewPriorities<'_>,
) -> sqlx::Result<()> {
    let topics = p
        .topics
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let text = key.seal_opt(PRIORITY_TEXT, p.text)?;
    let organisation = key.seal_opt(PRIORITY_ORGANISATION, p.organisation)?;
    // Kept to the day: the second would line up with the registration's.
    let day = p.now - p.now.rem_euclid(86_400);
    run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO priorities (event_id, respondent_key, topics, text, organisation, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, respondent_key) DO NOTHING",
            postgres: "INSERT INTO priorities (event_id, respondent_key, topics, text, organisation, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, respondent_key) DO NOTHING",
            p.event_id,
            p.respondent_key,
            topics,
            text,
            organisation,
            day,
        )
    )?;
    Ok(())
}

/// One registration's priorities, opened.
#[derive(Clone, Debug)]
pub struct PriorityRow {
    pub topics: Vec<i64>,
    pub text: Option<String>,
    pub organisation: Option<String>,
}

struct SealedPriority {
    topics: String,
    text: Option<Vec<u8>>,
    organisation: Option<Vec<u8>>,
}

pub async fn priorities(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
) -> sqlx::Result<Vec<PriorityRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedPriority,
            sqlite: "SELECT topics, text, organisation FROM priorities WHERE event_id = ? ORDER BY id",
            postgres: "SELECT topics, text, organisation FROM priorities WHERE event_id = $1 ORDER BY id",
            event_id,
        )
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(PriorityRow {
                topics: r.topics.split(',').filter_map(|t| t.parse().ok()).collect(),
                text: key.open_opt(PRIORITY_TEXT, r.text.as_deref())?,
                organisation: key.open_opt(PRIORITY_ORGANISATION, r.organisation.as_deref())?,
            })
        })
        .collect()
}

pub struct NewFeedback<'a> {
    pub event_id: i64,
    pub respondent_key: &'a [u8],
    pub usefulness: i64,
    pub safety: i64,
    pub change: Option<&'a str>,
    pub now: i64,
}

/// Stores feedback once per registration; returns whether it was new.
pub async fn insert_feedback(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    f: &NewFeedback<'_>,
) -> sqlx::Result<bool> {
    let change = key.seal_opt(FEEDBACK_CHANGE, f.change)?;
    let day = f.now - f.now.rem_euclid(86_400);
    let added = run!(
        db,
        execute,
        query!(
            sqlite: "INSERT INTO feedback (event_id, respondent_key, usefulness, safety, change, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, respondent_key) DO NOTHING",
            postgres: "INSERT INTO feedback (event_id, respondent_key, usefulness, safety, change, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, respondent_key) DO NOTHING",
            f.event_id,
            f.respondent_key,
            f.usefulness,
            f.safety,
            change,
            day,
        )
    )?;
    Ok(added > 0)
}

pub async fn has_feedback(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    respondent_key: &[u8],
) -> sqlx::Result<bool> {
    let n = run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM feedback WHERE event_id = ? AND respondent_key = ?"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM feedback WHERE event_id = $1 AND respondent_key = $2"#,
            event_id,
            respondent_key,
        )
    )?;
    Ok(n > 0)
}

#[derive(Clone, Debug)]
pub struct FeedbackRow {
    pub usefulness: i64,
    pub safety: i64,
    pub change: Option<String>,
}

struct SealedFeedback {
    usefulness: i64,
    safety: i64,
    change: Option<Vec<u8>>,
}

pub async fn feedback(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
) -> sqlx::Result<Vec<FeedbackRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedFeedback,
            sqlite: "SELECT usefulness, safety, change FROM feedback WHERE event_id = ? ORDER BY id",
            postgres: "SELECT usefulness, safety, change FROM feedback WHERE event_id = $1 ORDER BY id",
            event_id,
        )
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(FeedbackRow {
                usefulness: r.usefulness,
                safety: r.safety,
                change: key.open_opt(FEEDBACK_CHANGE, r.change.as_deref())?,
            })
        })
        .collect()
}

/// Deletes one registration's priorities and feedback ("delete my data").
pub async fn delete_of_respondent(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    respondent_key: &[u8],
) -> sqlx::Result<()> {
    let mut db = db.into();
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM priorities WHERE event_id = ? AND respondent_key = ?",
            postgres: "DELETE FROM priorities WHERE event_id = $1 AND respondent_key = $2",
            event_id,
            respondent_key,
        )
    )?;
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM feedback WHERE event_id = ? AND respondent_key = ?",
            postgres: "DELETE FROM feedback WHERE event_id = $1 AND respondent_key = $2",
            event_id,
            respondent_key,
        )
    )?;
    Ok(())
}

/// Deletes the priorities and feedback of events that ended before
/// `ended_before` (the same rule as registrations); returns how many rows.
pub async fn delete_of_events_ended_before(
    db: impl Into<Exec<'_>>,
    ended_before: i64,
    ends_edited_after: i64,
) -> sqlx::Result<u64> {
    let mut db = db.into();
    let priorities = run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM priorities WHERE event_id IN (
             SELECT id FROM events WHERE ends_at < ?1 AND (ends_edited_at IS NULL OR ends_edited_at <= ?2))",
            postgres: "DELETE FROM priorities WHERE event_id IN (
             SELECT id FROM events WHERE ends_at < $1 AND (ends_edited_at IS NULL OR ends_edited_at <= $2))",
            ended_before,
            ends_edited_after,
        )
    )?;
    let feedback = run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM feedback WHERE event_id IN (
             SELECT id FROM events WHERE ends_at < ?1 AND (ends_edited_at IS NULL OR ends_edited_at <= ?2))",
            postgres: "DELETE FROM feedback WHERE event_id IN (
             SELECT id FROM events WHERE ends_at < $1 AND (ends_edited_at IS NULL OR ends_edited_at <= $2))",
            ended_before,
            ends_edited_after,
        )
    )?;
    Ok(priorities + feedback)
}

/// Events that ended between `since` and `now` whose feedback emails have
/// not gone out: (id, slug).
pub async fn feedback_due(db: impl Into<Exec<'_>>, since: i64, now: i64) -> sqlx::Result<Vec<i64>> {
    run!(
        db,
        fetch_all,
        query_scalar!(
            sqlite: r#"SELECT id AS "id!: i64" FROM events
           WHERE status = 'published' AND feedback_sent_at IS NULL AND ends_at <= ?2 AND ends_at > ?1
           ORDER BY id"#,
            postgres: r#"SELECT id AS "id!: i64" FROM events
           WHERE status = 'published' AND feedback_sent_at IS NULL AND ends_at <= $2 AND ends_at > $1
           ORDER BY id"#,
            since,
            now,
        )
    )
}

/// Marks an event's feedback emails as sent; false if they already were
/// (another worker got there first).
pub async fn mark_feedback_sent(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let changed = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE events SET feedback_sent_at = ? WHERE id = ? AND feedback_sent_at IS NULL",
            postgres: "UPDATE events SET feedback_sent_at = $1 WHERE id = $2 AND feedback_sent_at IS NULL",
            now,
            event_id,
        )
    )?;
    Ok(changed > 0)
}

/// "What we heard / what we answered", as admins wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeardRow {
    pub heard_en: Option<String>,
    pub heard_ar: Option<String>,
    pub heard_bulletin: Option<String>,
}

pub async fn heard(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<HeardRow> {
    run!(
        db,
        fetch_one,
        query_as!(HeardRow,
            sqlite: "SELECT heard_en, heard_ar, heard_bulletin FROM events WHERE id = ?",
            postgres: "SELECT heard_en, heard_ar, heard_bulletin FROM events WHERE id = $1",
            event_id,
        )
    )
}

pub async fn set_heard(
    db: impl Into<Exec<'_>>,
    event_id: i64,
    heard: &HeardRow,
) -> sqlx::Result<()> {
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE events SET heard_en = ?, heard_ar = ?, heard_bulletin = ? WHERE id = ?",
            postgres: "UPDATE events SET heard_en = $1, heard_ar = $2, heard_bulletin = $3 WHERE id = $4",
            heard.heard_en,
            heard.heard_ar,
            heard.heard_bulletin,
            event_id,
        )
    )?;
    Ok(())
}
