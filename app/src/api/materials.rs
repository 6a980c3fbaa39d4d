//! Materials: the admins' page.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::materials::MaterialsPage;
use crate::error::AppError;

/// An event's materials (admins).
#[server(prefix = "/api", endpoint = "staff/materials")]
pub async fn staff_materials_view(lang: Lang, slug: String) -> Result<MaterialsPage, AppError> {
    use crate::server::{AppState, auth::require_staff, materials::pages};
    require_staff(crate::domain::Role::Admin).await?;
    pages::staff(&AppState::current()?, lang, &slug).await
}
