//! Materials shaped for the pages: the admins' list, the public ones on the
//! event page, and a participant's on their private page.

use crate::domain::material::size_text;
use crate::domain::{Lang, RegistrationState};
use crate::dto::materials::{MaterialLink, MaterialsPage, StaffMaterial};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::db::materials::{self as rows, MaterialRow};
use crate::server::db::{self, Db, Exec};

/// Session id → title in `lang`.
async fn session_titles(
    db: impl Into<Exec<'_>>,
    lang: Lang,
    event: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    Ok(db::sessions::for_editor(db, event)
        .await?
        .into_iter()
        .filter(|s| !s.cancelled)
        .map(|s| (s.id, lang.pick(&s.title_en, &s.title_ar).to_owned()))
        .collect())
}

fn title_of(sessions: &[(i64, String)], id: Option<i64>) -> Option<String> {
    let id = id?;
    sessions
        .iter()
        .find(|(s, _)| *s == id)
        .map(|(_, t)| t.clone())
}

pub async fn staff(state: &AppState, lang: Lang, slug: &str) -> Result<MaterialsPage, AppError> {
    let event = super::event_of(state, slug)
        .await
        .map_err(|_| AppError::NotFound)?;
    let sessions = session_titles(&state.db, lang, event.id).await?;
    let materials = rows::of_event(&state.db, event.id)
        .await?
        .into_iter()
        .map(|m| StaffMaterial {
            id: m.id,
            size: size_text(lang, m.size),
            session: title_of(&sessions, m.session_id),
            href: m.public.then(|| crate::paths::material(m.id)),
            title_en: m.title_en,
            title_ar: m.title_ar,
            kind: m.kind,
            public: m.public,
        })
        .collect();
    Ok(MaterialsPage {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        materials,
        sessions,
    })
}

fn link(lang: Lang, m: &MaterialRow, sessions: &[(i64, String)], href: String) -> MaterialLink {
    MaterialLink {
        title: lang.pick(&m.title_en, &m.title_ar).to_owned(),
        kind: m.kind,
        size: size_text(lang, m.size),
        href,
        session: title_of(sessions, m.session_id),
        private: !m.public,
    }
}

/// An event's public materials (never the others).
pub async fn public(db: &Db, lang: Lang, event: i64) -> sqlx::Result<Vec<MaterialLink>> {
    let sessions = session_titles(db, lang, event).await?;
    Ok(rows::of_event(db, event)
        .await?
        .iter()
        .filter(|m| m.public)
        .map(|m| link(lang, m, &sessions, crate::paths::material(m.id)))
        .collect())
}

/// What a participant's private page lists: every material of their event
/// once they are approved, the public ones otherwise; each through their
/// private link (a closed event's public ones have no other).
pub async fn private(
    state: &AppState,
    lang: Lang,
    token: &str,
) -> Result<Vec<MaterialLink>, AppError> {
    let found = crate::server::registrations::open(state, token).await?;
    let event = found.event.id;
    let sessions = session_titles(&state.db, lang, event).await?;
    let approved = found.registration.state == RegistrationState::Approved;
    Ok(rows::of_event(&state.db, event)
        .await?
        .iter()
        .filter(|m| m.public || approved)
        .map(|m| {
            let href = crate::paths::private_material(lang, token, m.id);
            link(lang, m, &sessions, href)
        })
        .collect())
}
