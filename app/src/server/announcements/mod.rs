//! Announcements: staff (moderators and admins) write to an event's
//! approved participants (optionally the waitlisted too), all of them or
//! only those attending in person or online, in English and Arabic: each
//! gets their own language, the other when theirs is empty. Previewed
//! before sending, queued through the outbox at the bulletin rate, audited
//! with the count only; each recipient sees it on their private page.

pub mod http;
pub mod pages;

use std::collections::BTreeMap;

use crate::domain::form::{FieldError, optional_text};
use crate::domain::{AttendanceMode, Lang};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::events::SeatsRow;
use crate::server::db::registrations::{self as registrations_db, RegistrationRow};
use crate::server::db::reminders::{self as rows, NewAnnouncement};
use crate::server::db::{self, Tx};
use crate::server::forms::Refusal;
use crate::server::mail::{self, Outgoing};

pub use crate::dto::announcements::MAX_CHARS;

/// An announcement as written.
#[derive(Clone, Debug)]
pub struct Draft {
    pub waitlisted: bool,
    pub mode: Option<AttendanceMode>,
    pub body_en: String,
    pub body_ar: String,
}

impl Draft {
    /// `waitlisted`, `mode` (`all`, `in_person`, `online`), `body_en`,
    /// `body_ar` (at least one).
    pub fn parse(fields: &BTreeMap<String, String>) -> Result<Self, BTreeMap<String, FieldError>> {
        let field = |name: &str| fields.get(name).map_or("", String::as_str);
        let mut errors = BTreeMap::new();
        let mode = match field("mode") {
            "" | "all" => None,
            code => match AttendanceMode::parse(code) {
                Some(mode) => Some(mode),
                None => {
                    errors.insert("mode".to_owned(), FieldError::Choice);
                    None
                }
            },
        };
        let mut text = |name: &str| {
            optional_text(field(name), MAX_CHARS, true)
                .map_err(|e| errors.insert(name.to_owned(), e))
                .unwrap_or_default()
        };
        let body_en = text("body_en");
        let body_ar = text("body_ar");
        if body_en.is_empty() && body_ar.is_empty() && !errors.contains_key("body_en") {
            errors.insert("body_en".to_owned(), FieldError::Required);
        }
        if errors.is_empty() {
            Ok(Self {
                waitlisted: crate::domain::form::ticked(fields, "waitlisted"),
                mode,
                body_en,
                body_ar,
            })
        } else {
            Err(errors)
        }
    }

    /// The text for a reader of `lang`: theirs, else the other.
    pub fn text_for(&self, lang: Lang) -> &str {
        let (mine, other) = match lang {
            Lang::En => (&self.body_en, &self.body_ar),
            Lang::Ar => (&self.body_ar, &self.body_en),
        };
        if mine.is_empty() { other } else { mine }
    }
}

/// Who `draft` goes to at event `event`.
pub async fn recipients(
    db: impl Into<db::Exec<'_>>,
    key: &crate::server::crypto::DataKey,
    event: i64,
    draft: &Draft,
) -> sqlx::Result<Vec<RegistrationRow>> {
    let mut people = registrations_db::approved_and(db, key, event, draft.waitlisted).await?;
    people.retain(|r| draft.mode.is_none_or(|mode| r.mode == mode));
    Ok(people)
}

pub async fn event_of(state: &AppState, slug: &str) -> Result<SeatsRow, Refusal> {
    db::events::seats_by_slug(&state.db, slug)
        .await?
        .ok_or(Refusal::NotFound)
}

/// Sends `draft` to its recipients at event `slug`; returns how many.
pub async fn send(
    state: &AppState,
    staff: i64,
    slug: &str,
    draft: &Draft,
) -> Result<usize, Refusal> {
    let event = event_of(state, slug).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    let people = recipients(&mut tx, &state.key, event.id, draft).await?;
    let count = i64::try_from(people.len()).unwrap_or(i64::MAX);
    let id = rows::insert_announcement(
        &mut tx,
        &NewAnnouncement {
            event_id: event.id,
            waitlisted: draft.waitlisted,
            mode: draft.mode,
            body_en: &draft.body_en,
            body_ar: &draft.body_ar,
            recipients: count,
            created_by: staff,
            now: now.as_second(),
        },
    )
    .await?;
    queue(state, &mut tx, &event, id, draft, &people, now).await?;
    let counted = count.to_string();
    let action = AuditAction::Announced {
        event: event.id,
        count: &counted,
    };
    audit::record(
        &mut tx,
        &state.key,
        Actor::Staff(staff),
        action,
        now.as_second(),
    )
    .await?;
    tx.commit().await?;
    audit::log_committed(staff, &[action], "announcement queued");
    state.mail.wake();
    Ok(people.len())
}

/// One email per recipient, due one after another at the bulletin rate.
async fn queue(
    state: &AppState,
    tx: &mut Tx,
    event: &SeatsRow,
    announcement: i64,
    draft: &Draft,
    people: &[RegistrationRow],
    now: jiff::Timestamp,
) -> Result<(), AppError> {
    let gap_ms = 60_000 / i64::from(state.config.bulletin_rate.max(1));
    for (i, r) in (0_i64..).zip(people) {
        rows::add_recipient(&mut *tx, announcement, r.id).await?;
        let lang = r.lang;
        let title = lang.pick(&event.title_en, &event.title_ar);
        let link = format!(
            "{}{}",
            state.config.public_url,
            crate::paths::event(lang, &event.slug)
        );
        let (subject, body) = match lang {
            Lang::En => (
                format!("Announcement: {title}"),
                format!(
                    "{}\n\n--\nLausanne Platform · {title}\n{link}\nYou receive this because you are registered for this event. Your private page shows past announcements.\n",
                    draft.text_for(lang)
                ),
            ),
            Lang::Ar => (
                format!("إعلان: {title}"),
                format!(
                    "{}\n\n--\nمنصة لوزان · {title}\n{link}\nتصلك هذه الرسالة لأنك مسجّل في هذه الفعالية. تعرض صفحتك الخاصة الإعلانات السابقة.\n",
                    draft.text_for(lang)
                ),
            ),
        };
        mail::enqueue_due(
            &mut *tx,
            &state.key,
            &Outgoing {
                to: &r.email,
                lang,
                subject: &subject,
                body: &body,
                registration_id: Some(r.id),
            },
            now,
            now.as_millisecond() + i * gap_ms,
        )
        .await?;
    }
    Ok(())
}
