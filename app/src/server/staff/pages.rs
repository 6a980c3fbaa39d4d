//! The data behind the staff accounts page (admins only).

use crate::domain::{Lang, Staff};
use crate::dto::staff::{UserItem, UsersData};
use crate::error::AppError;
use crate::server::AppState;

/// The users page's data (admins only).
pub async fn users_data(state: &AppState, me: Staff, lang: Lang) -> Result<UsersData, AppError> {
    let users = crate::server::db::users::list(&state.pool, &state.key)
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
                created: crate::server::format::date(lang, date),
                created_iso: created.to_string(),
                disabled: row.disabled,
            })
        })
        .collect();
    Ok(UsersData { me, users })
}
