//! Materials as the pages list them, and the admins' page.

use serde::{Deserialize, Serialize};

use crate::domain::material::MaterialKind;

/// A material to download: where, what, how large, for which session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialLink {
    pub title: String,
    pub kind: MaterialKind,
    /// "340 KB".
    pub size: String,
    pub href: String,
    /// The session's title, when it belongs to one.
    pub session: Option<String>,
    /// For approved participants only.
    pub private: bool,
}

/// A material on the admins' page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMaterial {
    pub id: i64,
    pub title_en: String,
    pub title_ar: String,
    pub kind: MaterialKind,
    pub size: String,
    pub public: bool,
    pub session: Option<String>,
    /// Public ones: their address.
    pub href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaterialsPage {
    pub event_slug: String,
    pub event_title: String,
    pub materials: Vec<StaffMaterial>,
    /// The sessions a material may belong to: id and title.
    pub sessions: Vec<(i64, String)>,
}
