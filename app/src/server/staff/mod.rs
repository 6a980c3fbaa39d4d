//! Staff accounts: their lifecycle (admins disable, re-enable, re-role and
//! reset them, never leaving no active admin), one's own password and
//! sessions, and two-factor sign-in. Every change is audited in the same
//! transaction. The plain HTML forms are in `http.rs` (sign-in, users) and
//! `account.rs` (one's own account).

pub mod account;
pub mod http;
pub mod pages;

use crate::domain::Role;
use crate::dto::staff::{PasswordError, UserActionError};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::auth::{self, WeakPassword, check_new_password, totp};
use crate::server::db::Db;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::{staff_sessions, users};

/// What an admin does to an account on the users page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserChange {
    Disable,
    Enable,
    Role(Role),
    /// A temporary password, shown once; every session ends.
    ResetPassword,
    EndSessions,
}

/// Why a change was not made.
#[derive(Debug)]
pub enum Refused {
    Action(UserActionError),
    Failed(AppError),
}

impl<E: Into<AppError>> From<E> for Refused {
    fn from(error: E) -> Self {
        Self::Failed(error.into())
    }
}

/// Makes `change` to account `id` as admin `admin`; returns the temporary
/// password of a reset. Disabling or demoting the last active admin is
/// refused, whoever asks.
pub async fn change_user(
    state: &AppState,
    admin: i64,
    id: i64,
    change: UserChange,
) -> Result<Option<String>, Refused> {
    let now = state.clock.now().as_second();
    let temporary = match change {
        UserChange::ResetPassword => {
            let password = auth::generate_password();
            let hash = auth::hash_blocking(password.clone())
                .await
                .map_err(|_| AppError::Internal)?;
            Some((hash, password))
        }
        _ => None,
    };
    let mut tx = state.db.begin_write().await?;
    let Some(user) = users::by_id(&mut tx, &state.key, id).await? else {
        return Err(Refused::Action(UserActionError::Invalid));
    };
    let last_admin = user.role == Role::Admin
        && !user.disabled
        && users::count_active_admins(&mut tx).await? <= 1;
    let mut actions = Vec::new();
    match change {
        UserChange::Disable | UserChange::Role(Role::Moderator) if last_admin => {
            return Err(Refused::Action(UserActionError::LastAdmin));
        }
        UserChange::Disable => {
            users::set_disabled(&mut tx, id, true).await?;
            actions.push(AuditAction::UserDisabled { user: id });
        }
        UserChange::Enable => {
            users::set_disabled(&mut tx, id, false).await?;
            actions.push(AuditAction::UserEnabled { user: id });
        }
        UserChange::Role(role) => {
            if role == user.role {
                return Ok(None);
            }
            users::set_role(&mut tx, id, role).await?;
            actions.push(AuditAction::RoleChanged { user: id, role });
        }
        UserChange::ResetPassword => {
            if let Some((hash, _)) = &temporary {
                users::set_password(&mut tx, id, hash, true).await?;
            }
            actions.push(AuditAction::PasswordReset { user: id });
        }
        UserChange::EndSessions => {}
    }
    // Disabling, resetting and ending sessions end every session at once.
    let ended = if matches!(
        change,
        UserChange::Disable | UserChange::ResetPassword | UserChange::EndSessions
    ) {
        staff_sessions::end_all(&mut tx, id, None).await?
    } else {
        0
    };
    let count = ended.to_string();
    if ended > 0 || change == UserChange::EndSessions {
        actions.push(AuditAction::SessionsEnded {
            user: id,
            count: &count,
        });
    }
    for action in &actions {
        audit::record(&mut tx, &state.key, Actor::Staff(admin), *action, now).await?;
    }
    tx.commit().await?;
    audit::log_committed(admin, &actions, "staff account changed");
    Ok(temporary.map(|(_, password)| password))
}

/// Staff member `id` chooses a new password. `current` is checked unless
/// they signed in with a temporary one (which no longer works by then).
/// Every other session of theirs ends.
pub async fn change_password(
    state: &AppState,
    id: i64,
    current: Option<&str>,
    new: &str,
    again: &str,
    keep_session: Option<&[u8]>,
) -> Result<(), Result<PasswordError, AppError>> {
    let user = users::by_id(&state.db, &state.key, id)
        .await
        .map_err(|e| Err(e.into()))?
        .ok_or(Err(AppError::NotFound))?;
    if let Some(current) = current {
        let matches = auth::verify_current(current, &user.password_hash).await;
        if !matches {
            return Err(Ok(PasswordError::Current));
        }
    }
    check_new_password(new).map_err(|weak| {
        Ok(match weak {
            WeakPassword::TooShort => PasswordError::TooShort,
            WeakPassword::TooLong => PasswordError::TooLong,
            WeakPassword::Common => PasswordError::Common,
        })
    })?;
    if new != again {
        return Err(Ok(PasswordError::Mismatch));
    }
    let hash = auth::hash_blocking(new.to_owned())
        .await
        .map_err(|_| Err(AppError::Internal))?;
    let now = state.clock.now().as_second();
    let done = async {
        let mut tx = state.db.begin_write().await?;
        users::set_password(&mut tx, id, &hash, false).await?;
        staff_sessions::end_all(&mut tx, id, keep_session).await?;
        audit::record(
            &mut tx,
            &state.key,
            Actor::Staff(id),
            AuditAction::PasswordChanged { user: id },
            now,
        )
        .await?;
        tx.commit().await
    };
    done.await.map_err(|e| Err(e.into()))
}

/// Staff member `id` confirms enrolment with `code` from their app for
/// `secret`; returns their ten recovery codes, or `None` for a wrong code.
pub async fn enrol_totp(
    state: &AppState,
    id: i64,
    secret: &str,
    code: &str,
) -> Result<Option<Vec<String>>, AppError> {
    let now = state.clock.now().as_second();
    let Some(step) = totp::verify(secret, code, now) else {
        return Ok(None);
    };
    let codes = totp::new_recovery_codes()?;
    let stored: Vec<String> = codes
        .iter()
        .filter_map(|c| totp::normalise_recovery_code(c))
        .collect();
    let mut tx = state.db.begin_write().await?;
    users::set_totp(&mut tx, &state.key, id, secret, step).await?;
    users::set_recovery_codes(&mut tx, &state.key, id, &stored).await?;
    audit::record(
        &mut tx,
        &state.key,
        Actor::Staff(id),
        AuditAction::TwoFactorEnrolled { user: id },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(codes))
}

/// Removes account `id`'s second factor (a moderator's own choice, or the
/// operator's `lausanne user reset-2fa`), and ends its sessions when `by`
/// is the operator.
pub async fn remove_totp(
    pool: &Db,
    key: &crate::server::crypto::DataKey,
    id: i64,
    by: Actor,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    if !users::clear_totp(&mut tx, id).await? {
        return Ok(false);
    }
    if matches!(by, Actor::System) {
        staff_sessions::end_all(&mut tx, id, None).await?;
    }
    audit::record(
        &mut tx,
        key,
        by,
        AuditAction::TwoFactorRemoved { user: id },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether `code` (from the app, or a recovery code) is right for account
/// `id` now, and unused; using it makes it used.
pub async fn check_second_factor(state: &AppState, id: i64, code: &str) -> Result<bool, AppError> {
    let now = state.clock.now().as_second();
    if let Some(recovery) = totp::normalise_recovery_code(code) {
        return Ok(users::use_recovery_code(&state.db, &state.key, id, &recovery, now).await?);
    }
    let Some((secret, _)) = users::totp(&state.db, &state.key, id).await? else {
        return Ok(false);
    };
    match totp::verify(&secret, code, now) {
        Some(step) => Ok(users::use_totp_step(&state.db, id, step).await?),
        None => Ok(false),
    }
}
