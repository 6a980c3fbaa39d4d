//! Queries on `questions` and `question_votes`. The question's text, its
//! translation and a hiding reason are sealed with the data key; rows come
//! back opened. An anonymous question's row has no registration id: only
//! `author_key`, a keyed hash of the link it was asked from (see the
//! migration).

use super::backend::{Exec, run};
use crate::domain::{Lang, QuestionState};
use crate::server::crypto::{
    DataKey, QUESTION_AUTHOR, QUESTION_REASON, QUESTION_TEXT, QUESTION_TRANSLATION, QUESTION_VOTER,
};

/// The keyed hash of the private link (or device) token a question is
/// asked from: that token alone finds it again.
pub fn author_key(key: &DataKey, token: &str) -> Vec<u8> {
    key.lookup(QUESTION_AUTHOR, token)
}

/// The keyed hash of the registration that votes: one vote each.
pub fn voter(key: &DataKey, registration: i64) -> Vec<u8> {
    key.lookup(QUESTION_VOTER, &registration.to_string())
}

/// One question, opened.
#[derive(Clone, Debug)]
pub struct QuestionRow {
    pub id: i64,
    pub event_id: i64,
    pub session_id: i64,
    /// Only for a named question.
    pub registration_id: Option<i64>,
    pub author_key: Vec<u8>,
    pub text: String,
    pub lang: Lang,
    pub translation: Option<String>,
    pub state: QuestionState,
    pub reason: Option<String>,
    pub merged_into: Option<i64>,
    pub votes: i64,
    pub created_at: i64,
}

struct SealedRow {
    id: i64,
    event_id: i64,
    session_id: i64,
    registration_id: Option<i64>,
    author_key: Vec<u8>,
    text: Vec<u8>,
    lang: Lang,
    translation: Option<Vec<u8>>,
    state: QuestionState,
    reason: Option<Vec<u8>>,
    merged_into: Option<i64>,
    votes: i64,
    created_at: i64,
}

impl SealedRow {
    fn open(self, key: &DataKey) -> sqlx::Result<QuestionRow> {
        Ok(QuestionRow {
            id: self.id,
            event_id: self.event_id,
            session_id: self.session_id,
            registration_id: self.registration_id,
            author_key: self.author_key,
            text: key.open(QUESTION_TEXT, &self.text)?,
            lang: self.lang,
            translation: key.open_opt(QUESTION_TRANSLATION, self.translation.as_deref())?,
            state: self.state,
            reason: key.open_opt(QUESTION_REASON, self.reason.as_deref())?,
            merged_into: self.merged_into,
            votes: self.votes,
            created_at: self.created_at,
        })
    }
}

fn open_all(key: &DataKey, rows: Vec<SealedRow>) -> sqlx::Result<Vec<QuestionRow>> {
    rows.into_iter().map(|r| r.open(key)).collect()
}

/// A question's times are kept to the minute (see the migration).
fn minute(now: i64) -> i64 {
    now - now.rem_euclid(60)
}

pub struct NewQuestion<'a> {
    pub event_id: i64,
    pub session_id: i64,
    pub registration_id: Option<i64>,
    pub author_key: &'a [u8],
    pub text: &'a str,
    pub lang: Lang,
    pub now: i64,
}

pub async fn insert(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    q: &NewQuestion<'_>,
) -> sqlx::Result<i64> {
    let text = key.seal(QUESTION_TEXT, q.text)?;
    let at = minute(q.now);
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO questions (event_id, session_id, registration_id, author_key, text,
               lang, state, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)
           RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO questions (event_id, session_id, registration_id, author_key, text,
               lang, state, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)
           RETURNING id AS "id!: i64""#,
            q.event_id,
            q.session_id,
            q.registration_id,
            q.author_key,
            text,
            q.lang as _,
            at,
        )
    )
}

/// Questions asked under `author_key` since `since` (to limit how many one
/// link asks).
pub async fn count_by_author_since(
    db: impl Into<Exec<'_>>,
    author_key: &[u8],
    since: i64,
) -> sqlx::Result<i64> {
    run!(
        db,
        fetch_one,
        query_scalar!(
            sqlite: r#"SELECT COUNT(*) AS "n!: i64" FROM questions WHERE author_key = ? AND created_at >= ?"#,
            postgres: r#"SELECT COUNT(*) AS "n!: i64" FROM questions WHERE author_key = $1 AND created_at >= $2"#,
            author_key,
            since,
        )
    )
}

pub async fn by_id(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
) -> sqlx::Result<Option<QuestionRow>> {
    let row = run!(
        db,
        fetch_optional,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions WHERE id = ?"#,
            postgres: r#"SELECT id, event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions WHERE id = $1"#,
            id,
        )
    )?;
    row.map(|r| r.open(key)).transpose()
}

/// The questions of an event asked under `author_key` (the asker's own,
/// for their private page), newest first.
pub async fn by_author(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
    author_key: &[u8],
) -> sqlx::Result<Vec<QuestionRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions WHERE event_id = ? AND author_key = ?
           ORDER BY id DESC"#,
            postgres: r#"SELECT id, event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions WHERE event_id = $1 AND author_key = $2
           ORDER BY id DESC"#,
            event_id,
            author_key,
        )
    )?;
    open_all(key, rows)
}

/// A session's board: approved, answering and answered questions, the one
/// being answered first, then by votes, then oldest first.
pub async fn board(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    session_id: i64,
) -> sqlx::Result<Vec<QuestionRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions
           WHERE session_id = ? AND state IN ('approved', 'answering', 'answered')
           ORDER BY state = 'answering' DESC, state = 'answered', "votes!: i64" DESC, id"#,
            postgres: r#"SELECT id, event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions
           WHERE session_id = $1 AND state IN ('approved', 'answering', 'answered')
           ORDER BY state = 'answering' DESC, state = 'answered', 12 DESC, id"#,
            session_id,
        )
    )?;
    open_all(key, rows)
}

/// Every question of an event, for staff: pending first, then by session
/// and votes.
pub async fn of_event(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    event_id: i64,
) -> sqlx::Result<Vec<QuestionRow>> {
    let rows = run!(
        db,
        fetch_all,
        query_as!(SealedRow,
            sqlite: r#"SELECT id AS "id!", event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions WHERE event_id = ?
           ORDER BY state <> 'pending', session_id, "votes!: i64" DESC, id"#,
            postgres: r#"SELECT id, event_id, session_id, registration_id, author_key, text,
                  lang AS "lang: Lang", translation, state AS "state: QuestionState", reason,
                  merged_into,
                  (SELECT COUNT(*) FROM question_votes v WHERE v.question_id = questions.id) AS "votes!: i64",
                  created_at
           FROM questions WHERE event_id = $1
           ORDER BY state <> 'pending', session_id, 12 DESC, id"#,
            event_id,
        )
    )?;
    open_all(key, rows)
}

/// Moves a question to `state`, with a reason for its author when hiding
/// (and none otherwise). Returns whether it was there.
pub async fn set_state(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    state: QuestionState,
    reason: Option<&str>,
    now: i64,
) -> sqlx::Result<bool> {
    let reason = key.seal_opt(QUESTION_REASON, reason)?;
    let at = minute(now);
    let changed = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE questions SET state = ?, reason = ?, updated_at = ? WHERE id = ?",
            postgres: "UPDATE questions SET state = $1, reason = $2, updated_at = $3 WHERE id = $4",
            state as _,
            reason,
            at,
            id,
        )
    )?;
    Ok(changed > 0)
}

/// The question being answered in a session, if any, becomes answered
/// (one is highlighted at a time).
pub async fn finish_answering(
    db: impl Into<Exec<'_>>,
    session_id: i64,
    now: i64,
) -> sqlx::Result<u64> {
    let at = minute(now);
    run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE questions SET state = 'answered', updated_at = ? WHERE session_id = ? AND state = 'answering'",
            postgres: "UPDATE questions SET state = 'answered', updated_at = $1 WHERE session_id = $2 AND state = 'answering'",
            at,
            session_id,
        )
    )
}

pub async fn set_translation(
    db: impl Into<Exec<'_>>,
    key: &DataKey,
    id: i64,
    translation: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let sealed = key.seal(QUESTION_TRANSLATION, translation)?;
    let at = minute(now);
    let changed = run!(
        db,
        execute,
        query!(
            sqlite: "UPDATE questions SET translation = ?, updated_at = ? WHERE id = ?",
            postgres: "UPDATE questions SET translation = $1, updated_at = $2 WHERE id = $3",
            sealed,
            at,
            id,
        )
    )?;
    Ok(changed > 0)
}

/// Merges question `from` into `into`: its votes join `into`'s (a
/// participant who voted for both counts once), and it is marked merged.
pub async fn merge(db: impl Into<Exec<'_>>, from: i64, into: i64, now: i64) -> sqlx::Result<()> {
    let mut db = db.into();
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "INSERT OR IGNORE INTO question_votes (question_id, voter)
           SELECT ?1, voter FROM question_votes WHERE question_id = ?2",
            postgres: "INSERT INTO question_votes (question_id, voter)
           SELECT $1, voter FROM question_votes WHERE question_id = $2
           ON CONFLICT DO NOTHING",
            into,
            from,
        )
    )?;
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM question_votes WHERE question_id = ?",
            postgres: "DELETE FROM question_votes WHERE question_id = $1",
            from,
        )
    )?;
    let at = minute(now);
    run!(
        &mut db,
        execute,
        query!(
            sqlite: "UPDATE questions SET state = 'merged', merged_into = ?, reason = NULL, updated_at = ? WHERE id = ?",
            postgres: "UPDATE questions SET state = 'merged', merged_into = $1, reason = NULL, updated_at = $2 WHERE id = $3",
            into,
            at,
            from,
        )
    )?;
    Ok(())
}

/// Deletes question `id` if `author_key` asked it; returns whether it did.
pub async fn withdraw(db: impl Into<Exec<'_>>, id: i64, author_key: &[u8]) -> sqlx::Result<bool> {
    let deleted = run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM questions WHERE id = ? AND author_key = ?",
            postgres: "DELETE FROM questions WHERE id = $1 AND author_key = $2",
            id,
            author_key,
        )
    )?;
    Ok(deleted > 0)
}

/// Counts `voter`'s vote for question `id`, once; returns whether it is new.
pub async fn vote(db: impl Into<Exec<'_>>, id: i64, voter: &[u8]) -> sqlx::Result<bool> {
    let added = run!(
        db,
        execute,
        query!(
            sqlite: "INSERT OR IGNORE INTO question_votes (question_id, voter) VALUES (?, ?)",
            postgres: "INSERT INTO question_votes (question_id, voter) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            id,
            voter,
        )
    )?;
    Ok(added > 0)
}

/// The questions of an event `voter` voted for.
pub async fn voted(db: impl Into<Exec<'_>>, event_id: i64, voter: &[u8]) -> sqlx::Result<Vec<i64>> {
    run!(
        db,
        fetch_all,
        query_scalar!(
            sqlite: r#"SELECT v.question_id AS "id!: i64" FROM question_votes v
           JOIN questions q ON q.id = v.question_id
           WHERE q.event_id = ? AND v.voter = ?"#,
            postgres: r#"SELECT v.question_id AS "id!: i64" FROM question_votes v
           JOIN questions q ON q.id = v.question_id
           WHERE q.event_id = $1 AND v.voter = $2"#,
            event_id,
            voter,
        )
    )
}

/// Deletes the questions (and votes) of events that ended before
/// `ended_before`, by the same rule as their registrations
/// (`registrations::delete_of_events_ended_before`): anonymous ones too.
pub async fn delete_of_events_ended_before(
    db: impl Into<Exec<'_>>,
    ended_before: i64,
    ends_edited_after: i64,
) -> sqlx::Result<u64> {
    run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM questions WHERE event_id IN (
             SELECT id FROM events
             WHERE ends_at < ?1 AND (ends_edited_at IS NULL OR ends_edited_at <= ?2))",
            postgres: "DELETE FROM questions WHERE event_id IN (
             SELECT id FROM events
             WHERE ends_at < $1 AND (ends_edited_at IS NULL OR ends_edited_at <= $2))",
            ended_before,
            ends_edited_after,
        )
    )
}

/// Deletes the questions asked under `author_key` and the votes of
/// `voter` ("delete my data"); returns how many rows went.
pub async fn delete_of_participant(
    db: impl Into<Exec<'_>>,
    author_key: &[u8],
    voter: &[u8],
) -> sqlx::Result<u64> {
    let mut db = db.into();
    let questions = run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM questions WHERE author_key = ?",
            postgres: "DELETE FROM questions WHERE author_key = $1",
            author_key,
        )
    )?;
    let votes = run!(
        &mut db,
        execute,
        query!(
            sqlite: "DELETE FROM question_votes WHERE voter = ?",
            postgres: "DELETE FROM question_votes WHERE voter = $1",
            voter,
        )
    )?;
    Ok(questions + votes)
}
