//! The check-in page's data: today's count, and the registrations a search
//! finds (by name, organisation or code).

use crate::domain::checkin::{CheckinCode, CheckinRefusal};
use crate::domain::search::normalize;
use crate::domain::{Lang, RegistrationState};
use crate::dto::checkin::{Arrival, CheckinPage, MAX_RESULTS};
use crate::error::AppError;
use crate::server::db::{self, checkins as rows};
use crate::server::{AppState, format};

pub async fn staff(
    state: &AppState,
    lang: Lang,
    slug: &str,
    query: &str,
) -> Result<CheckinPage, AppError> {
    let event = super::event_of(state, slug)
        .await
        .map_err(|_| AppError::NotFound)?;
    let now = state.clock.now().as_second();
    let day = super::day_of(&event, now);
    let counts = rows::count_day(&state.db, event.id, &day).await?;
    let tz = format::time_zone(&event.time_zone);
    let query = query.trim().chars().take(100).collect::<String>();
    let mut arrivals = Vec::new();
    let mut refusal = None;
    if !query.is_empty() {
        let checked = rows::of_day(&state.db, event.id, &day).await?;
        let people = db::registrations::of_event(&state.db, &state.key, event.id).await?;
        let code = CheckinCode::parse(&query);
        let words = normalize(&query);
        let found: Vec<_> = match &code {
            Some(code) => people
                .iter()
                .filter(|r| super::code_of(&state.key, r.id) == *code)
                .collect(),
            None => people
                .iter()
                .filter(|r| {
                    normalize(&r.name).contains(&words)
                        || normalize(&r.organisation).contains(&words)
                })
                .collect(),
        };
        if found.is_empty()
            && let Some(code) = &code
        {
            refusal = super::find_code(state, event.id, code).await.err();
        }
        arrivals = found
            .into_iter()
            .map(|r| Arrival {
                registration: r.id,
                name: r.name.clone(),
                organisation: r.organisation.clone(),
                state: r.state,
                mode: r.mode,
                refusal: CheckinRefusal::of(r.state, r.mode),
                checked_in: checked
                    .iter()
                    .find(|c| c.registration_id == r.id)
                    .map(|c| format::time_of_day(lang, &format::zoned(c.checked_in_at, &tz))),
            })
            .collect();
        // Those who may come in first, then by name.
        arrivals.sort_by_key(|a| {
            (
                a.refusal.is_some(),
                a.state != RegistrationState::Approved,
                normalize(&a.name),
            )
        });
        arrivals.truncate(MAX_RESULTS);
    }
    Ok(CheckinPage {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        today: format::day_heading(lang, format::zoned(now, &tz).date()),
        arrived: counts.arrived,
        expected: counts.expected,
        query,
        arrivals,
        refusal,
    })
}
