//! The data behind the bulletin pages' server functions: the archive (with
//! search), one issue, and the editor's lists (admins only).

use std::collections::BTreeMap;

use super::{ARCHIVE_LIMIT, MAX_QUERY, SEARCH_LIMIT, card, date_of, fts_query, list_row, pick};
use crate::domain::{BulletinSlug, Lang, Staff};
use crate::dto::bulletins::{
    Archive, BulletinCard, BulletinIssue, Neighbour, StaffBulletinEdit, StaffBulletinItem,
    StaffBulletinList,
};
use crate::error::AppError;
use crate::server::db::bulletins::{self as rows, BulletinListRow};
use crate::server::page_cache::{self, Topic};
use crate::server::{AppState, db};

pub async fn archive(
    state: &AppState,
    lang: Lang,
    query: Option<String>,
) -> Result<Archive, AppError> {
    let query = query
        .map(|q| q.trim().chars().take(MAX_QUERY).collect::<String>())
        .filter(|q| !q.is_empty());
    let rows = match query.as_deref().map(fts_query) {
        None => rows::published(&state.db, ARCHIVE_LIMIT).await?,
        Some(None) => Vec::new(),
        Some(Some(fts)) => {
            let ids = rows::search(&state.db, &fts, SEARCH_LIMIT).await?;
            let all = rows::published(&state.db, ARCHIVE_LIMIT).await?;
            ids.iter()
                .filter_map(|id| all.iter().find(|r| r.id == *id).cloned())
                .collect()
        }
    };
    page_cache::shows(&[Topic::Bulletins], None);
    Ok(Archive {
        query,
        items: rows.iter().map(|r| card(lang, r)).collect(),
    })
}

pub async fn latest(state: &AppState, lang: Lang) -> Result<Option<BulletinCard>, AppError> {
    let latest = rows::published(&state.db, 1).await?;
    page_cache::shows(&[Topic::Bulletins], None);
    Ok(latest.first().map(|r| card(lang, r)))
}

pub async fn issue(state: &AppState, lang: Lang, slug: &str) -> Result<BulletinIssue, AppError> {
    let slug = BulletinSlug::parse(slug).ok_or(AppError::NotFound)?;
    let row = rows::published_by_slug(&state.db, slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let shown = card(lang, &list_row(&row));
    let html = (shown.lang == lang).then(|| pick(lang, &row.html_en, &row.html_ar).to_owned());
    let (previous, next) = rows::neighbours(&state.db, row.number).await?;
    page_cache::shows(&[Topic::Bulletins], None);
    let neighbour = |r: BulletinListRow| {
        let c = card(lang, &r);
        Neighbour {
            number: c.number,
            slug: c.slug,
            lang: c.lang,
            title: c.title,
        }
    };
    Ok(BulletinIssue {
        card: shown,
        html,
        previous: previous.map(neighbour),
        next: next.map(neighbour),
    })
}

pub async fn staff_list(
    state: &AppState,
    viewer: Staff,
    lang: Lang,
) -> Result<StaffBulletinList, AppError> {
    let mut items = Vec::new();
    for row in rows::all(&state.db).await? {
        let sent = rows::deliveries(&state.db, row.id).await?;
        items.push(StaffBulletinItem {
            id: row.id,
            number: row.number,
            slug: row.slug,
            title_en: row.title_en,
            title_ar: row.title_ar,
            published: row.published_at.is_some(),
            sample: row.sample,
            updated: date_of(lang, row.updated_at).0,
            sent,
        });
    }
    Ok(StaffBulletinList {
        viewer,
        items,
        subscribers: db::subscribers::confirmed_count(&state.db).await?,
    })
}

pub async fn staff_one(
    state: &AppState,
    viewer: Staff,
    id: Option<i64>,
) -> Result<StaffBulletinEdit, AppError> {
    let Some(id) = id else {
        let number = rows::next_number(&state.db).await?;
        return Ok(StaffBulletinEdit {
            viewer,
            id: None,
            values: BTreeMap::from([
                ("number".to_owned(), number.to_string()),
                ("slug".to_owned(), format!("issue-{number}")),
            ]),
            published: false,
            sample: false,
            html_en: String::new(),
            html_ar: String::new(),
        });
    };
    let row = rows::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let values = BTreeMap::from([
        ("number".to_owned(), row.number.to_string()),
        ("slug".to_owned(), row.slug.clone()),
        ("title_en".to_owned(), row.title_en.clone()),
        ("title_ar".to_owned(), row.title_ar.clone()),
        ("summary_en".to_owned(), row.summary_en.clone()),
        ("summary_ar".to_owned(), row.summary_ar.clone()),
        ("body_en".to_owned(), row.body_en.clone()),
        ("body_ar".to_owned(), row.body_ar.clone()),
    ]);
    Ok(StaffBulletinEdit {
        viewer,
        id: Some(row.id),
        values,
        published: row.published_at.is_some(),
        sample: row.sample,
        html_en: row.html_en,
        html_ar: row.html_ar,
    })
}
