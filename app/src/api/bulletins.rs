//! The bulletin: the archive (with search), one issue, and the editor's data
//! (admins only). Bodies arrive as HTML already rendered and sanitised on the
//! server; the browser never gets Markdown code.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{Lang, Staff};
use crate::error::AppError;

/// An issue in a list, in the reader's language when it exists in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulletinCard {
    pub number: i64,
    pub slug: String,
    /// The language `title` and `summary` are in: the reader's, or the
    /// other one when the issue does not exist in the reader's.
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    /// The publication date, formatted for the reader.
    pub date: String,
    pub date_iso: String,
    pub minutes: i64,
    pub sample: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Archive {
    /// The search, as typed (trimmed).
    pub query: Option<String>,
    pub items: Vec<BulletinCard>,
}

/// A link to the previous or next issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    pub number: i64,
    pub slug: String,
    pub lang: Lang,
    pub title: String,
}

/// One issue for its reader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulletinIssue {
    pub card: BulletinCard,
    /// The sanitised body in the reader's language; `None` when the issue
    /// does not exist in it (`card` is then in the other language).
    pub html: Option<String>,
    pub previous: Option<Neighbour>,
    pub next: Option<Neighbour>,
}

/// The archive, newest first; with `query`, the issues that match it in
/// either language.
#[server(prefix = "/api", endpoint = "bulletins/archive")]
pub async fn bulletin_archive(lang: Lang, query: Option<String>) -> Result<Archive, AppError> {
    use crate::server::bulletins;
    bulletins::archive(lang, query).await
}

/// One published issue.
#[server(prefix = "/api", endpoint = "bulletins/show")]
pub async fn get_bulletin(lang: Lang, slug: String) -> Result<BulletinIssue, AppError> {
    use crate::server::bulletins;
    bulletins::issue(lang, &slug).await
}

/// The latest published issue, if any (the home page).
#[server(prefix = "/api", endpoint = "bulletins/latest")]
pub async fn latest_bulletin(lang: Lang) -> Result<Option<BulletinCard>, AppError> {
    use crate::server::bulletins;
    bulletins::latest(lang).await
}

/// An issue in the editor's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffBulletinItem {
    pub id: i64,
    pub number: i64,
    pub slug: String,
    pub title_en: String,
    pub title_ar: String,
    pub published: bool,
    pub sample: bool,
    /// Last change, formatted.
    pub updated: String,
    /// Copies queued to subscribers.
    pub sent: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffBulletinList {
    pub viewer: Staff,
    pub items: Vec<StaffBulletinItem>,
    pub subscribers: i64,
}

/// One issue in the editor: the fields as saved, and the saved rendering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffBulletinEdit {
    pub viewer: Staff,
    /// `None` for a new issue.
    pub id: Option<i64>,
    pub values: BTreeMap<String, String>,
    pub published: bool,
    pub sample: bool,
    pub html_en: String,
    pub html_ar: String,
}

/// The editor's list (admins only).
#[server(prefix = "/api", endpoint = "staff/bulletins")]
pub async fn staff_bulletins(lang: Lang) -> Result<StaffBulletinList, AppError> {
    use crate::server::bulletins;
    bulletins::staff_list(lang).await
}

/// One issue to edit, or a blank one (`id` = `None`); admins only.
#[server(prefix = "/api", endpoint = "staff/bulletin")]
pub async fn staff_bulletin(id: Option<i64>) -> Result<StaffBulletinEdit, AppError> {
    use crate::server::bulletins;
    bulletins::staff_one(id).await
}

/// Whether a link from a subscription email is (still) good.
#[server(prefix = "/api", endpoint = "subscriptions/link")]
pub async fn subscription_link(kind: LinkKind, token: String) -> Result<bool, AppError> {
    use crate::server::subscriptions;
    subscriptions::link_is_valid(kind, &token).await
}

/// The two links a subscription email carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    Confirm,
    Unsubscribe,
}
