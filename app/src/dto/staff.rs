//! The staff pages' data: the dashboard, the moderation queue, organisations,
//! the audit log, staff accounts, and the sign-in and add-user forms.

use serde::{Deserialize, Serialize};

use crate::domain::{
    Area, AttendanceMode, InterpretationLanguage, OrganisationState, RegistrationState, Role, Staff,
};

/// A staff account as the users page lists it (never the password hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserItem {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The creation date, formatted for the reader.
    pub created: String,
    pub created_iso: String,
    pub disabled: bool,
    /// The last sign-in, formatted for the reader.
    pub last_sign_in: Option<String>,
    /// Enrolled in two-factor sign-in.
    pub totp: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersData {
    pub me: Staff,
    pub users: Vec<UserItem>,
}

/// Seats of one mode of one event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeLoad {
    pub mode: AttendanceMode,
    pub capacity: i64,
    pub approved: i64,
    pub waitlisted: i64,
    pub pending: i64,
}

/// Sign-ups on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayPoint {
    /// "29 Nov", in the reader's language.
    pub label: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventLoad {
    pub slug: String,
    pub title: String,
    pub dates: String,
    pub pending: i64,
    pub modes: Vec<ModeLoad>,
    pub signups: Vec<DayPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub viewer: Staff,
    pub events: Vec<EventLoad>,
    pub organisations_pending: i64,
}

/// The moderation queue's filter, from the page's query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub event: Option<String>,
    pub mode: Option<AttendanceMode>,
    pub state: Option<RegistrationState>,
    pub confirmed: Option<bool>,
}

/// What staff may believe about the organisation a registration names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Affiliation {
    /// No verified organisation has that name.
    Unknown,
    /// A verified organisation has that name, but nothing shows the person
    /// belongs to it: anyone can type a name.
    Claims(String),
    /// The confirmed address is at a domain the verified organisation
    /// vouches for.
    Verified,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub event_title: String,
    pub name: String,
    pub organisation: String,
    pub affiliation: Affiliation,
    pub role: String,
    pub email: String,
    pub mode: AttendanceMode,
    pub interpretation: Option<InterpretationLanguage>,
    pub accessibility: String,
    pub state: RegistrationState,
    pub reason: Option<String>,
    pub email_confirmed: bool,
    pub registered: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventChoice {
    pub slug: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub viewer: Staff,
    pub filter: QueueFilter,
    pub events: Vec<EventChoice>,
    pub items: Vec<QueueItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationItem {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub areas: Vec<Area>,
    pub description: String,
    pub contact_email: String,
    pub website: Option<String>,
    pub mailing_list: bool,
    pub state: OrganisationState,
    pub sent: String,
    /// The email domains it vouches for, comma-separated.
    pub email_domains: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisations {
    pub viewer: Staff,
    pub items: Vec<OrganisationItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// One audit entry. Codes (`actor`, `action`, `subject_type`) are named in
/// the reader's language by the page.
pub struct AuditItem {
    pub at: String,
    /// The staff member's name; `None` for the participant or the system.
    pub actor_name: Option<String>,
    pub actor: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: i64,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntries {
    pub viewer: Staff,
    pub items: Vec<AuditItem>,
}

/// One's own account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    pub me: Staff,
    /// Signed in with a temporary password: a new one is needed first.
    pub must_change_password: bool,
    pub totp: bool,
    pub recovery_codes_left: i64,
    pub sessions: Vec<SessionItem>,
}

/// A signed-in session as its owner sees it (no address is kept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionItem {
    /// What the "end" button posts.
    pub id: String,
    pub started: String,
    pub last_seen: String,
    pub browser: String,
    /// The session this page was asked for.
    pub current: bool,
}

/// What the account page's forms show again, or made just now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountForm {
    pub password_error: Option<PasswordError>,
    /// Enrolling in two-factor sign-in: the secret to type in, and its QR code.
    pub enrol: Option<TotpEnrol>,
    pub code_error: bool,
    /// Recovery codes just made (shown this once only).
    pub recovery_codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpEnrol {
    pub secret: String,
    /// An inline `<svg>` drawn on the server.
    pub qr_svg: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordError {
    /// The current password is wrong.
    Current,
    TooShort,
    TooLong,
    Common,
    /// The two new passwords differ.
    Mismatch,
}

/// The second step of signing in, shown again after a wrong code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginCodeForm {
    pub error: Option<CodeError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Wrong, already used or expired (one message for all).
    Wrong,
}

/// What the users page shows after an admin acted on an account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserAction {
    /// A password reset: the temporary password, shown this once only.
    pub reset: Option<CreatedUser>,
    pub error: Option<UserActionError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserActionError {
    /// The last active admin cannot be disabled or demoted.
    LastAdmin,
    /// Not something that can be done to this account.
    Invalid,
}

/// What the sign-in page shows again after a failed attempt (never the password).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginForm {
    pub email: String,
    pub next: String,
    pub error: Option<LoginError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Email or password left empty (400).
    Missing,
    /// Unknown email or wrong password: one message for both (401).
    Invalid,
    /// Too many attempts (429).
    TooMany,
}

/// The add-user form as sent, with what was wrong, or the account just made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddUserForm {
    pub email: String,
    pub name: String,
    pub role: String,
    pub email_error: Option<AddUserError>,
    pub name_error: bool,
    pub role_error: bool,
    pub created: Option<CreatedUser>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddUserError {
    Invalid,
    Duplicate,
}

/// An account just created, with its password (shown this once only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedUser {
    pub email: String,
    pub password: String,
}
