//! The data behind the staff accounts page (admins only) and one's own
//! account page.

use crate::domain::{Lang, Staff};
use crate::dto::staff::{AccountData, SessionItem, UserItem, UsersData};
use crate::error::AppError;
use crate::server::db::{staff_sessions, users};
use crate::server::{AppState, format};

/// The users page's data (admins only).
pub async fn users_data(state: &AppState, me: Staff, lang: Lang) -> Result<UsersData, AppError> {
    let users = users::list(&state.db, &state.key)
        .await?
        .into_iter()
        .filter_map(|row| {
            let role = row.role;
            let created = jiff::Timestamp::from_second(row.created_at).ok()?;
            let date = created.to_zoned(jiff::tz::TimeZone::UTC).date();
            Some(UserItem {
                id: row.id,
                email: row.email,
                name: row.display_name,
                role,
                created: format::date(lang, date),
                created_iso: created.to_string(),
                disabled: row.disabled,
                last_sign_in: row.last_sign_in_at.map(|at| format::staff_moment(lang, at)),
                totp: row.totp,
            })
        })
        .collect();
    Ok(UsersData { me, users })
}

/// One's own account page: `current` is this session's record.
pub async fn account(
    state: &AppState,
    me: Staff,
    must_change_password: bool,
    current: Option<Vec<u8>>,
    lang: Lang,
) -> Result<AccountData, AppError> {
    let user = users::by_id(&state.db, &state.key, me.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sessions = staff_sessions::of_user(&state.db, me.id)
        .await?
        .into_iter()
        .map(|s| SessionItem {
            id: s.id.iter().map(|b| format!("{b:02x}")).collect(),
            started: format::staff_moment(lang, s.started_at),
            last_seen: format::staff_moment(lang, s.last_seen_at),
            browser: s.browser,
            current: current.as_deref() == Some(s.id.as_slice()),
        })
        .collect();
    Ok(AccountData {
        me,
        must_change_password,
        totp: user.totp,
        recovery_codes_left: users::recovery_codes_left(&state.db, user.id).await?,
        sessions,
    })
}
