//! The data behind the editor's pages (server functions; admins only).

use std::collections::BTreeMap;

use crate::domain::event_form::limits;
use crate::domain::time_zone::local_input;
use crate::domain::{EventFormat, EventSlug, Lang, Staff, Visibility};
use crate::dto::events_editor::{
    EditorEvent, EditorEventItem, EditorEvents, EditorSession, EditorSessionItem,
};
use crate::error::AppError;
use crate::server::db::{events as event_rows, sessions as session_rows};
use crate::server::{AppState, format};

fn dates(lang: Lang, tz_name: &str, starts_at: i64, ends_at: i64) -> String {
    let tz = format::time_zone(tz_name);
    format::date_range(
        lang,
        &format::zoned(starts_at, &tz),
        &format::zoned(ends_at, &tz),
    )
}

pub async fn events(state: &AppState, viewer: Staff, lang: Lang) -> Result<EditorEvents, AppError> {
    let now = state.clock.now().as_second();
    let items = event_rows::list_for_editor(&state.db, now)
        .await?
        .into_iter()
        .map(|e| EditorEventItem {
            title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
            status: e.status,
            format: e.format,
            visibility: e.visibility,
            dates: dates(lang, &e.time_zone, e.starts_at, e.ends_at),
            ended: e.ends_at < now,
            slug: e.slug,
        })
        .collect();
    Ok(EditorEvents { viewer, items })
}

fn put(values: &mut BTreeMap<String, String>, name: &str, value: impl Into<String>) {
    values.insert(name.to_owned(), value.into());
}

pub async fn event(
    state: &AppState,
    viewer: Staff,
    lang: Lang,
    slug: Option<String>,
) -> Result<EditorEvent, AppError> {
    let mut values = BTreeMap::new();
    let Some(slug) = slug else {
        put(&mut values, "format", EventFormat::Hybrid.code());
        put(&mut values, "visibility", Visibility::Public.code());
        put(&mut values, "time_zone", "Europe/Zurich");
        put(&mut values, "seats_in_person", "0");
        put(&mut values, "seats_online", "0");
        put(&mut values, "waitlist", "on");
        put(&mut values, "requires_approval", "on");
        put(&mut values, "remind_first_hours", "48");
        put(&mut values, "remind_second_hours", "2");
        return Ok(EditorEvent {
            viewer,
            slug: None,
            status: None,
            title: String::new(),
            values,
            sessions: Vec::new(),
        });
    };
    EventSlug::parse(&slug).ok_or(AppError::NotFound)?;
    let e = event_rows::editor_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = format::time_zone(&e.time_zone);
    let reminders = crate::server::db::reminders::hours(&state.db, e.id).await?;
    for (name, value) in [
        ("slug", e.slug.clone()),
        ("kind", e.kind.code().to_owned()),
        ("format", e.format.code().to_owned()),
        ("visibility", e.visibility.code().to_owned()),
        ("title_en", e.title_en.clone()),
        ("title_ar", e.title_ar.clone()),
        ("summary_en", e.summary_en.clone()),
        ("summary_ar", e.summary_ar.clone()),
        ("description_en", e.description_en.clone()),
        ("description_ar", e.description_ar.clone()),
        ("city_en", e.city_en.clone().unwrap_or_default()),
        ("city_ar", e.city_ar.clone().unwrap_or_default()),
        ("country_en", e.country_en.clone().unwrap_or_default()),
        ("country_ar", e.country_ar.clone().unwrap_or_default()),
        ("venue", e.venue.clone().unwrap_or_default()),
        ("time_zone", e.time_zone.clone()),
        ("starts_at", local_input(e.starts_at, &tz)),
        ("ends_at", local_input(e.ends_at, &tz)),
        (
            "registration_opens_at",
            e.registration_opens_at
                .map(|t| local_input(t, &tz))
                .unwrap_or_default(),
        ),
        (
            "registration_closes_at",
            e.registration_closes_at
                .map(|t| local_input(t, &tz))
                .unwrap_or_default(),
        ),
        ("seats_in_person", e.seats_in_person.to_string()),
        ("seats_online", e.seats_online.to_string()),
        ("interpretation", e.interpretation.clone()),
        (
            "remind_first_hours",
            reminders.first.map(|h| h.to_string()).unwrap_or_default(),
        ),
        (
            "remind_second_hours",
            reminders.second.map(|h| h.to_string()).unwrap_or_default(),
        ),
        (
            "topics",
            crate::domain::hearing::topics_text(
                &crate::server::db::hearing::topics(&state.db, e.id)
                    .await?
                    .into_iter()
                    .map(|t| (t.title_en, t.title_ar))
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "invitation_code",
            e.invitation_code.clone().unwrap_or_default(),
        ),
    ] {
        put(&mut values, name, value);
    }
    if e.waitlist {
        put(&mut values, "waitlist", "on");
    }
    if e.requires_approval {
        put(&mut values, "requires_approval", "on");
    }
    let sessions = session_rows::for_editor(&state.db, e.id)
        .await?
        .into_iter()
        .map(|s| {
            let start = format::zoned(s.starts_at, &tz);
            let end = format::zoned(s.ends_at, &tz);
            EditorSessionItem {
                id: s.id,
                title: lang.pick(&s.title_en, &s.title_ar).to_owned(),
                when: format::day_and_times(lang, &start, &end),
                room: s.room,
                online: s.meeting_url.is_some(),
                cancelled: s.cancelled,
            }
        })
        .collect();
    Ok(EditorEvent {
        viewer,
        status: Some(e.status),
        title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
        slug: Some(e.slug),
        values,
        sessions,
    })
}

pub async fn session(
    state: &AppState,
    viewer: Staff,
    lang: Lang,
    slug: String,
    id: Option<i64>,
) -> Result<EditorSession, AppError> {
    EventSlug::parse(&slug).ok_or(AppError::NotFound)?;
    let e = event_rows::editor_by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = format::time_zone(&e.time_zone);
    let mut values = BTreeMap::new();
    let mut cancelled = false;
    match id {
        Some(id) => {
            let s = session_rows::editor_by_id(&state.db, e.id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            cancelled = s.cancelled;
            put(&mut values, "title_en", s.title_en);
            put(&mut values, "title_ar", s.title_ar);
            put(&mut values, "starts_at", local_input(s.starts_at, &tz));
            put(&mut values, "ends_at", local_input(s.ends_at, &tz));
            put(&mut values, "room", s.room.unwrap_or_default());
            put(
                &mut values,
                "meeting_url",
                s.meeting_url.unwrap_or_default(),
            );
            put(
                &mut values,
                "join_minutes_before",
                s.join_opens_minutes_before.to_string(),
            );
            put(&mut values, "interpretation", s.interpretation);
        }
        None => {
            put(&mut values, "starts_at", local_input(e.starts_at, &tz));
            put(&mut values, "ends_at", local_input(e.starts_at + 3600, &tz));
            put(
                &mut values,
                "join_minutes_before",
                limits::JOIN_MINUTES_DEFAULT.to_string(),
            );
        }
    }
    Ok(EditorSession {
        viewer,
        event_dates: dates(lang, &e.time_zone, e.starts_at, e.ends_at),
        event_title: lang.pick(&e.title_en, &e.title_ar).to_owned(),
        event_slug: e.slug,
        format: e.format,
        time_zone: e.time_zone,
        id,
        cancelled,
        values,
    })
}
