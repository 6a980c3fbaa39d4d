//! The hearing forms' HTTP side: feedback from the private page, and the
//! admins' topics and "what we heard" summary.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::post;

use crate::domain::{BulletinSlug, FieldError};
use crate::server::auth::RequireAdmin;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::hearing::{self as rows, HeardRow};
use crate::server::db::signals::Signal;
use crate::server::extract::PathLang;
use crate::server::forms::{PostedForm, Refusal, refused, see_other};
use crate::server::{AppState, db};

/// The longest summary, in characters (each language).
const SUMMARY_CHARS: usize = 20_000;

/// `POST /{lang}/r/{token}/feedback`.
pub async fn feedback(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    Path((_, token)): Path<(String, String)>,
    mut form: PostedForm,
) -> Response {
    let page = crate::paths::private_page(lang, &token);
    match super::give_feedback(&state, &token, &form.fields).await {
        Ok(()) => see_other(&format!("{page}?done=feedback#feedback")),
        Err(why) => {
            if let Ok(uri) = page.parse::<Uri>() {
                form.parts.uri = uri;
            }
            refused(&state, &form, why).await
        }
    }
}

/// `POST /{lang}/staff/events/{slug}/hearing` (admins): what the mechanism
/// heard and answered (the topics are set in the events editor).
pub async fn save(
    State(state): State<AppState>,
    PathLang(lang): PathLang,
    admin: RequireAdmin,
    Path((_, slug)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let page = crate::paths::staff_hearing(lang, &slug);
    match save_fields(&state, admin.0.id, &slug, &form.fields).await {
        Ok(()) => see_other(&format!("{page}?done=saved")),
        Err(why) => refused(&state, &form, why).await,
    }
}

async fn save_fields(
    state: &AppState,
    admin: i64,
    slug: &str,
    fields: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    let event = db::events::seats_by_slug(&state.db, slug)
        .await?
        .ok_or(Refusal::NotFound)?;
    let field = |name: &str| fields.get(name).map_or("", String::as_str);
    let mut errors = BTreeMap::new();
    let mut summary = |name: &str| {
        crate::domain::form::optional_text(field(name), SUMMARY_CHARS, true)
            .map_err(|e| errors.insert(name.to_owned(), e))
            .ok()
            .filter(|t| !t.is_empty())
    };
    let heard_en = summary("heard_en");
    let heard_ar = summary("heard_ar");
    let bulletin = match field("heard_bulletin").trim() {
        "" => None,
        slug => match BulletinSlug::parse(slug) {
            Some(slug)
                if db::bulletins::published_by_slug(&state.db, slug.as_str())
                    .await?
                    .is_some() =>
            {
                Some(slug.as_str().to_owned())
            }
            _ => {
                errors.insert("heard_bulletin".to_owned(), FieldError::Choice);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(Refusal::Fields(errors));
    }
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    rows::set_heard(
        &mut tx,
        event.id,
        &HeardRow {
            heard_en,
            heard_ar,
            heard_bulletin: bulletin,
        },
    )
    .await?;
    let action = AuditAction::EventUpdated { event: event.id };
    audit::record(&mut tx, &state.key, Actor::Staff(admin), action, now).await?;
    state
        .live
        .announce(&mut tx, Signal::Edited(event.id))
        .await?;
    tx.commit().await?;
    state.live.signal(Signal::Edited(event.id));
    audit::log_committed(admin, &[action], "editor change");
    Ok(())
}

/// Feedback, and the admins' hearing form.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/r/{token}/feedback", post(feedback))
        .route("/{lang}/staff/events/{slug}/hearing", post(save))
}
