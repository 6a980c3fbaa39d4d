//! The bulletin as pages show it: the archive, one issue, the editor's data,
//! and the subscription links.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::{Lang, Staff};

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

/// The two links a subscription email carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    Confirm,
    Unsubscribe,
}

/// The rendered bodies after "Preview" (set by the server's handler).
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewHtml {
    pub html_en: String,
    pub html_ar: String,
}

/// A link that is not (or no longer) good: the page says so, with 404.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidLink;
