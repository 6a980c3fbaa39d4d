//! Materials: the admins' page, and what a participant may download.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::materials::{MaterialLink, MaterialsPage};
use crate::error::AppError;

/// An event's materials (admins).
#[server(prefix = "/api", endpoint = "staff/materials")]
pub async fn staff_materials_view(lang: Lang, slug: String) -> Result<MaterialsPage, AppError> {
    use crate::server::{AppState, auth::require_staff, materials::pages};
    require_staff(crate::domain::Role::Admin).await?;
    pages::staff(&AppState::current()?, lang, &slug).await
}

/// The materials the participant behind `token` may download.
#[server(prefix = "/api", endpoint = "materials/private")]
pub async fn private_materials(lang: Lang, token: String) -> Result<Vec<MaterialLink>, AppError> {
    use crate::server::{AppState, materials::pages};
    pages::private(&AppState::current()?, lang, &token).await
}
