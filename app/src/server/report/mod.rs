//! The event report staff write afterwards: registrations by state and
//! mode (and sign-ups over time), organisations represented (new and
//! returning, by country or region), attendance (checked in at the door,
//! and per session, in the room or online),
//! interpretation requests, accessibility needs by kind, and what
//! participants asked and told us; every count under 5 reads "fewer than
//! 5". Printable, and exportable as CSV (`http.rs`).

pub mod http;

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::hearing::shown;
use crate::domain::organisation::name_key;
use crate::domain::report::{AccessNeed, needs_in, phrased};
use crate::domain::{
    AttendanceMode, EventSlug, InterpretationLanguage, Lang, QuestionState, RegistrationState,
};
use crate::dto::report::{Line, ReportPage, StateRow};
use crate::dto::staff::DayPoint;
use crate::error::AppError;
use crate::server::db::{self, registrations as rows};
use crate::server::{AppState, format};

fn count<T>(items: impl Iterator<Item = T>) -> i64 {
    i64::try_from(items.count()).unwrap_or(i64::MAX)
}

pub async fn page(state: &AppState, lang: Lang, slug: &str) -> Result<ReportPage, AppError> {
    let slug = EventSlug::parse(slug).ok_or(AppError::NotFound)?;
    let event = db::events::seats_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let all = rows::of_event(&state.db, &state.key, event.id).await?;
    let approved: Vec<_> = all
        .iter()
        .filter(|r| r.state == RegistrationState::Approved)
        .collect();

    let states = RegistrationState::ALL
        .iter()
        .map(|&s| {
            let n = |mode| shown(count(all.iter().filter(|r| r.state == s && r.mode == mode)));
            StateRow {
                state: s,
                in_person: n(AttendanceMode::InPerson),
                online: n(AttendanceMode::Online),
            }
        })
        .collect();

    // Organisations: one per name as typed (folded), vetted ones by id.
    let organisations: BTreeSet<String> =
        approved.iter().map(|r| name_key(&r.organisation)).collect();
    let earlier: BTreeSet<String> =
        db::report::earlier_organisations(&state.db, &state.key, event.id, event.starts_at)
            .await?
            .iter()
            .map(|o| name_key(o))
            .collect();
    let returning = count(organisations.iter().filter(|o| earlier.contains(*o)));
    let total = i64::try_from(organisations.len()).unwrap_or(i64::MAX);
    let countries_of: BTreeMap<i64, String> = db::report::verified_countries(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.country))
        .collect();
    let mut by_country: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &approved {
        let country = r
            .organisation_id
            .and_then(|id| countries_of.get(&id).cloned())
            .unwrap_or_default();
        by_country
            .entry(country)
            .or_default()
            .insert(name_key(&r.organisation));
    }
    let not_vetted = crate::i18n::td_string!(lang.locale(), report.not_vetted).to_owned();
    let countries = by_country
        .into_iter()
        .map(|(country, orgs)| Line {
            label: if country.is_empty() {
                not_vetted.clone()
            } else {
                country
            },
            count: shown(i64::try_from(orgs.len()).unwrap_or(i64::MAX)),
        })
        .collect();

    let sessions = db::sessions::public_agenda(&state.db, event.id).await?;
    let joined_rows = db::report::joined_per_session(&state.db, event.id).await?;
    let checked_in = shown(db::checkins::count_checked_in(&state.db, event.id).await?);
    let joined = sessions
        .iter()
        .map(|s| Line {
            label: lang.pick(&s.title_en, &s.title_ar).to_owned(),
            count: shown(
                joined_rows
                    .iter()
                    .find(|j| j.session_id == s.id)
                    .map_or(0, |j| j.n),
            ),
        })
        .collect();

    let interpretation = InterpretationLanguage::ALL
        .iter()
        .map(|&l| {
            (
                l,
                shown(count(
                    approved.iter().filter(|r| r.interpretation == Some(l)),
                )),
            )
        })
        .collect();
    let needs: Vec<AccessNeed> = approved
        .iter()
        .flat_map(|r| needs_in(&r.accessibility))
        .collect();
    let accessibility = AccessNeed::ALL
        .iter()
        .map(|&k| (k, shown(count(needs.iter().filter(|n| **n == k)))))
        .collect();

    let questions = db::questions::of_event(&state.db, &state.key, event.id).await?;
    let priorities = db::hearing::priorities(&state.db, &state.key, event.id).await?;
    let feedback = db::hearing::feedback(&state.db, &state.key, event.id).await?;
    let signups = db::registrations::signups_per_day(&state.db, 0)
        .await?
        .iter()
        .filter(|d| d.event_id == event.id)
        .map(|d| DayPoint {
            label: crate::server::moderation::pages::day_label(lang, d.day),
            count: d.n,
        })
        .collect();
    let tz = format::time_zone(&event.time_zone);
    Ok(ReportPage {
        event_slug: event.slug.clone(),
        event_title: lang.pick(&event.title_en, &event.title_ar).to_owned(),
        dates: format::date_range(
            lang,
            &format::zoned(event.starts_at, &tz),
            &format::zoned(event.ends_at, &tz),
        ),
        organisations_phrase: phrased(total),
        signups,
        states,
        organisations: shown(total),
        new_organisations: shown(total - returning),
        returning_organisations: shown(returning),
        countries,
        checked_in,
        joined,
        interpretation,
        accessibility,
        questions_asked: shown(count(questions.iter())),
        questions_answered: shown(count(questions.iter().filter(|q| {
            matches!(q.state, QuestionState::Answered | QuestionState::Answering)
        }))),
        priorities: shown(count(priorities.iter())),
        feedback: shown(count(feedback.iter())),
    })
}
