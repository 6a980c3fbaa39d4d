//! Materials (`materials`, their bytes in `material_files`).

use super::backend::{Exec, run};
use crate::domain::material::MaterialKind;

pub struct MaterialRow {
    pub id: i64,
    pub event_id: i64,
    pub session_id: Option<i64>,
    pub title_en: String,
    pub title_ar: String,
    pub kind: MaterialKind,
    pub size: i64,
    pub public: bool,
}

pub struct NewMaterial<'a> {
    pub event_id: i64,
    pub session_id: Option<i64>,
    pub title_en: &'a str,
    pub title_ar: &'a str,
    pub kind: MaterialKind,
    pub public: bool,
    pub bytes: &'a [u8],
    pub now: i64,
}

/// Stores a material and its bytes; returns its id.
pub async fn insert(tx: &mut super::Tx, m: &NewMaterial<'_>) -> sqlx::Result<i64> {
    let size = i64::try_from(m.bytes.len()).unwrap_or(i64::MAX);
    let kind = m.kind.code();
    let id = run!(
        &mut *tx,
        fetch_one,
        query_scalar!(
            sqlite: r#"INSERT INTO materials (event_id, session_id, title_en, title_ar, kind, size, public, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id AS "id!: i64""#,
            postgres: r#"INSERT INTO materials (event_id, session_id, title_en, title_ar, kind, size, public, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id AS "id!: i64""#,
            m.event_id,
            m.session_id,
            m.title_en,
            m.title_ar,
            kind,
            size,
            m.public,
            m.now,
        )
    )?;
    run!(
        &mut *tx,
        execute,
        query!(
            sqlite: "INSERT INTO material_files (material_id, bytes) VALUES (?, ?)",
            postgres: "INSERT INTO material_files (material_id, bytes) VALUES ($1, $2)",
            id,
            m.bytes,
        )
    )?;
    Ok(id)
}

/// An event's materials, public and private, in the order they were added.
pub async fn of_event(db: impl Into<Exec<'_>>, event_id: i64) -> sqlx::Result<Vec<MaterialRow>> {
    run!(
        db,
        fetch_all,
        query_as!(MaterialRow,
            sqlite: r#"SELECT id AS "id!: i64", event_id, session_id, title_en, title_ar,
                  kind AS "kind: MaterialKind", size, public AS "public: bool"
           FROM materials WHERE event_id = ? ORDER BY id"#,
            postgres: r#"SELECT id, event_id, session_id, title_en, title_ar,
                  kind AS "kind: MaterialKind", size, public
           FROM materials WHERE event_id = $1 ORDER BY id"#,
            event_id,
        )
    )
}

pub async fn by_id(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<MaterialRow>> {
    run!(
        db,
        fetch_optional,
        query_as!(MaterialRow,
            sqlite: r#"SELECT id AS "id!: i64", event_id, session_id, title_en, title_ar,
                  kind AS "kind: MaterialKind", size, public AS "public: bool"
           FROM materials WHERE id = ?"#,
            postgres: r#"SELECT id, event_id, session_id, title_en, title_ar,
                  kind AS "kind: MaterialKind", size, public
           FROM materials WHERE id = $1"#,
            id,
        )
    )
}

/// A material's bytes.
pub async fn bytes(db: impl Into<Exec<'_>>, id: i64) -> sqlx::Result<Option<Vec<u8>>> {
    run!(
        db,
        fetch_optional,
        query_scalar!(
            sqlite: "SELECT bytes FROM material_files WHERE material_id = ?",
            postgres: "SELECT bytes FROM material_files WHERE material_id = $1",
            id,
        )
    )
}

/// Removes a material of event `event_id` (its bytes go with it); `false`
/// when it has no such material.
pub async fn delete(db: impl Into<Exec<'_>>, event_id: i64, id: i64) -> sqlx::Result<bool> {
    let removed = run!(
        db,
        execute,
        query!(
            sqlite: "DELETE FROM materials WHERE event_id = ? AND id = ?",
            postgres: "DELETE FROM materials WHERE event_id = $1 AND id = $2",
            event_id,
            id,
        )
    )?;
    Ok(removed == 1)
}
