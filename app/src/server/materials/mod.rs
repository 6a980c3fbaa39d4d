//! Materials: documents admins attach to an event or one of its sessions
//! (PDF, DOCX, ODT, PPTX, PNG, JPEG, WebP; at most 20 MB), with a title in
//! each language, either public (listed on the event page, served from
//! `/materials/<id>`) or for approved participants only (listed on their
//! private page, served only through their private link). The kind is read
//! from the bytes; a name or a declared type that says otherwise is refused.
//! Every answer is a download (`attachment`, `nosniff`, a sandboxing
//! policy); private ones are never kept by shared caches.
//! The bytes live in the database on both backends: every instance serves
//! them, and a backup holds them.

pub mod http;
pub mod pages;

use crate::domain::material::{MAX_TITLE, MaterialKind};
use crate::domain::{EventSlug, FieldError, form};
use crate::server::AppState;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::events::SeatsRow;
use crate::server::db::materials::{self as rows, NewMaterial};
use crate::server::db::signals::Signal;
use crate::server::db::{self};
use crate::server::forms::Refusal;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The kind of file `bytes` hold, by their contents; `None` for anything
/// else (an SVG, a web page, a program, a ZIP of something else).
pub fn sniff(bytes: &[u8]) -> Option<MaterialKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(MaterialKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(MaterialKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(MaterialKind::Jpeg);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(MaterialKind::Webp);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // OpenDocument: the archive's first entry is `mimetype`, stored, with
    // the type as its contents.
    if bytes.get(30..38) == Some(b"mimetype")
        && bytes
            .get(38..)
            .is_some_and(|rest| rest.starts_with(b"application/vnd.oasis.opendocument.text"))
    {
        return Some(MaterialKind::Odt);
    }
    // Office Open XML: the content types, and the main part's folder, named
    // in the archive's directory.
    if contains(bytes, b"[Content_Types].xml") {
        if contains(bytes, b"word/document.xml") {
            return Some(MaterialKind::Docx);
        }
        if contains(bytes, b"ppt/presentation.xml") {
            return Some(MaterialKind::Pptx);
        }
    }
    None
}

/// An upload as received: the form's fields and the file.
#[derive(Debug, Default)]
pub struct Upload {
    pub title_en: String,
    pub title_ar: String,
    pub session: String,
    pub visibility: String,
    pub file_name: String,
    pub declared_type: String,
    pub bytes: Vec<u8>,
    /// The file was larger than [`MAX_BYTES`] (its bytes were not kept).
    pub too_large: bool,
}

/// An upload checked field by field.
pub struct Checked<'a> {
    pub title_en: String,
    pub title_ar: String,
    pub session: Option<i64>,
    pub public: bool,
    pub kind: MaterialKind,
    pub bytes: &'a [u8],
}

/// Whether the browser's declared type says `kind` (or says nothing).
fn declared_fits(declared: &str, kind: MaterialKind) -> bool {
    let declared = declared
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    declared.is_empty()
        || declared == "application/octet-stream"
        || declared == kind.mime()
        || (kind == MaterialKind::Jpeg && declared == "image/jpg")
}

impl Upload {
    pub fn check(
        &self,
        sessions: &[i64],
    ) -> Result<Checked<'_>, std::collections::BTreeMap<String, FieldError>> {
        let mut errors = std::collections::BTreeMap::new();
        let mut title = |name: &str, text: &str| {
            form::optional_text(text, MAX_TITLE, false)
                .and_then(|t| {
                    if t.contains(['<', '>']) {
                        Err(FieldError::Markup)
                    } else {
                        Ok(t)
                    }
                })
                .map_err(|e| errors.insert(name.to_owned(), e))
                .unwrap_or_default()
        };
        let title_en = title("title_en", &self.title_en);
        let title_ar = title("title_ar", &self.title_ar);
        if title_en.is_empty() && title_ar.is_empty() && !errors.contains_key("title_en") {
            errors.insert("title_en".to_owned(), FieldError::Required);
        }
        let session = match self.session.trim() {
            "" => None,
            id => match id.parse::<i64>().ok().filter(|id| sessions.contains(id)) {
                Some(id) => Some(id),
                None => {
                    errors.insert("session".to_owned(), FieldError::Choice);
                    None
                }
            },
        };
        let public = match self.visibility.as_str() {
            "public" => true,
            "participants" => false,
            _ => {
                errors.insert("visibility".to_owned(), FieldError::Choice);
                false
            }
        };
        let kind = if self.too_large {
            Err(FieldError::FileTooLarge)
        } else if self.bytes.is_empty() {
            Err(FieldError::FileMissing)
        } else {
            match sniff(&self.bytes) {
                None => Err(FieldError::FileKind),
                Some(kind)
                    if kind.named_by(&self.file_name) == Some(false)
                        || !declared_fits(&self.declared_type, kind) =>
                {
                    Err(FieldError::FileLies)
                }
                Some(kind) => Ok(kind),
            }
        };
        let kind = kind.map_err(|e| errors.insert("file".to_owned(), e)).ok();
        match kind {
            Some(kind) if errors.is_empty() => Ok(Checked {
                title_en,
                title_ar,
                session,
                public,
                kind,
                bytes: &self.bytes,
            }),
            _ => Err(errors),
        }
    }
}

pub async fn event_of(state: &AppState, slug: &str) -> Result<SeatsRow, Refusal> {
    EventSlug::parse(slug).ok_or(Refusal::NotFound)?;
    db::events::seats_by_slug(&state.db, slug)
        .await?
        .ok_or(Refusal::NotFound)
}

/// The ids of an event's sessions (a material may belong to one).
pub async fn session_ids(state: &AppState, event: i64) -> sqlx::Result<Vec<i64>> {
    Ok(db::sessions::for_editor(&state.db, event)
        .await?
        .iter()
        .map(|s| s.id)
        .collect())
}

/// Stores a checked upload for `event`; returns its id.
pub async fn add(
    state: &AppState,
    admin: i64,
    event: &SeatsRow,
    upload: &Checked<'_>,
) -> Result<i64, Refusal> {
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    let id = rows::insert(
        &mut tx,
        &NewMaterial {
            event_id: event.id,
            session_id: upload.session,
            title_en: &upload.title_en,
            title_ar: &upload.title_ar,
            kind: upload.kind,
            public: upload.public,
            bytes: upload.bytes,
            now,
        },
    )
    .await?;
    let action = AuditAction::MaterialAdded { material: id };
    changed(state, tx, admin, event.id, action, now).await?;
    Ok(id)
}

/// Removes material `id` of `event`.
pub async fn remove(
    state: &AppState,
    admin: i64,
    event: &SeatsRow,
    id: i64,
) -> Result<(), Refusal> {
    let now = state.clock.now().as_second();
    let mut tx = state.db.begin_event_write(&[event.id]).await?;
    if !rows::delete(&mut tx, event.id, id).await? {
        return Err(Refusal::NotFound);
    }
    let action = AuditAction::MaterialRemoved { material: id };
    changed(state, tx, admin, event.id, action, now).await
}

/// Audits, commits, and tells every instance the event's pages changed.
async fn changed(
    state: &AppState,
    mut tx: db::Tx,
    admin: i64,
    event: i64,
    action: AuditAction<'_>,
    now: i64,
) -> Result<(), Refusal> {
    audit::record(&mut tx, &state.key, Actor::Staff(admin), action, now).await?;
    state.live.announce(&mut tx, Signal::Edited(event)).await?;
    tx.commit().await?;
    audit::log_committed(admin, &[action], "materials changed");
    state.live.signal(Signal::Edited(event));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(MaterialKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(MaterialKind::Png));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"<!doctype html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        let mut odt = b"PK\x03\x04".to_vec();
        odt.resize(30, 0);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(sniff(&odt), Some(MaterialKind::Odt));
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert_eq!(sniff(docx), Some(MaterialKind::Docx));
        let pptx = b"PK\x03\x04....[Content_Types].xml....ppt/presentation.xml";
        assert_eq!(sniff(pptx), Some(MaterialKind::Pptx));
        assert_eq!(sniff(b"PK\x03\x04 just a zip"), None);
    }

    #[test]
    fn names_and_types_must_agree_with_the_bytes() {
        let upload = |name: &str, declared: &str| Upload {
            title_en: "Agenda".into(),
            visibility: "public".into(),
            file_name: name.into(),
            declared_type: declared.into(),
            bytes: b"%PDF-1.7 ...".to_vec(),
            ..Upload::default()
        };
        assert!(upload("agenda.pdf", "application/pdf").check(&[]).is_ok());
        assert!(upload("agenda", "").check(&[]).is_ok());
        let lies = |u: Upload| u.check(&[]).err().and_then(|e| e.get("file").copied());
        assert_eq!(lies(upload("agenda.docx", "")), Some(FieldError::FileLies));
        assert_eq!(
            lies(upload("agenda.pdf", "text/html")),
            Some(FieldError::FileLies)
        );
        let too_large = Upload {
            too_large: true,
            ..upload("a.pdf", "")
        };
        assert_eq!(lies(too_large), Some(FieldError::FileTooLarge));
        assert_eq!(crate::domain::material::MAX_BYTES, 20 * 1024 * 1024);
    }
}
