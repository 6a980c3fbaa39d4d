//! Announcement data shaped for the pages.

use crate::domain::{EventSlug, Lang};
use crate::dto::announcements::{AnnouncementsPage, ReceivedAnnouncement, SentAnnouncement};
use crate::error::AppError;
use crate::server::db::reminders as rows;
use crate::server::{AppState, db, format};

pub async fn staff(
    state: &AppState,
    lang: Lang,
    slug: &str,
) -> Result<AnnouncementsPage, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let sent = rows::announcements(&state.db, event.id)
        .await?
        .into_iter()
        .map(|a| SentAnnouncement {
            when: format::staff_moment(lang, a.created_at),
            waitlisted: a.waitlisted,
            mode: a.mode,
            recipients: a.recipients,
            body_en: a.body_en,
            body_ar: a.body_ar,
        })
        .collect();
    Ok(AnnouncementsPage {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        sent,
    })
}

pub async fn received(
    state: &AppState,
    lang: Lang,
    token: &str,
) -> Result<Vec<ReceivedAnnouncement>, AppError> {
    let found = crate::server::registrations::open(state, token).await?;
    Ok(rows::received(&state.db, found.registration.id)
        .await?
        .into_iter()
        .map(|a| {
            let draft = super::Draft {
                waitlisted: a.waitlisted,
                mode: a.mode,
                body_en: a.body_en,
                body_ar: a.body_ar,
            };
            ReceivedAnnouncement {
                when: format::staff_moment(lang, a.created_at),
                text: draft.text_for(lang).to_owned(),
            }
        })
        .collect())
}
