//! The bulletin editor (admins): the list of issues with image upload, and
//! one issue's form with its preview beside it. "Preview" is a submit button
//! that renders the Markdown on the server, so it works without JavaScript.
//! Server: `api/bulletins.rs` → `server/bulletins/pages.rs`; the forms post to
//! `server/bulletins/http.rs` (the image upload to `server/media.rs`).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::dto::bulletins::{PreviewHtml, StaffBulletinEdit, StaffBulletinList};

use crate::api::bulletins::{staff_bulletin, staff_bulletins};
use crate::components::form::{Field, FormErrors};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::Lang;
use crate::domain::bulletin::limits;
use crate::i18n::*;

#[component]
pub fn StaffBulletinsPage() -> impl IntoView {
    let lang = use_lang();
    let (uploaded, upload_error) =
        use_query_map().with_untracked(|q| (q.get("uploaded"), q.get("upload_error")));
    let data = Resource::new(|| (), move |()| staff_bulletins(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |b| {
            view! { <ListView lang b uploaded=uploaded.clone() upload_error=upload_error.clone()/> }
        }/>
    }
}

#[component]
fn ListView(
    lang: Lang,
    b: StaffBulletinList,
    uploaded: Option<String>,
    upload_error: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let uploaded = uploaded.filter(|name| {
        name.len() <= 40 && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.')
    });
    view! {
        <Title text=td_string!(locale, bulletin_editor.title)/>
        <StaffNav staff=b.viewer.clone()/>
        <div class="wrap">
            <h1>{td_string!(locale, bulletin_editor.title)}</h1>
            <p>{td_string!(locale, bulletin_editor.subscribers, count = lang.digits(&b.subscribers.to_string()))}</p>
            <p><a class="button" href=crate::paths::staff_bulletin(lang, None)>{td_string!(locale, bulletin_editor.new_issue)}</a></p>
            <table class="staff-table">
                <thead><tr>
                    <th scope="col">{td_string!(locale, bulletin_editor.number)}</th>
                    <th scope="col">{td_string!(locale, bulletin_editor.issue_title)}</th>
                    <th scope="col">{td_string!(locale, bulletin_editor.state)}</th>
                    <th scope="col">{td_string!(locale, bulletin_editor.sent)}</th>
                    <th scope="col">{td_string!(locale, bulletin_editor.updated)}</th>
                </tr></thead>
                <tbody>
                    {b.items.into_iter().map(|item| {
                        let title = if item.title_en.is_empty() { item.title_ar.clone() } else { item.title_en.clone() };
                        let other = (!item.title_en.is_empty() && !item.title_ar.is_empty()).then(|| item.title_ar.clone());
                        view! {
                            <tr>
                                <td>{lang.digits(&item.number.to_string())}</td>
                                <td>
                                    <a href=crate::paths::staff_bulletin(lang, Some(item.id))>{title}</a>
                                    {other.map(|t| view! { <br/><span lang="ar" dir="rtl">{t}</span> })}
                                </td>
                                <td>
                                    {if item.published { td_string!(locale, bulletin_editor.published) } else { td_string!(locale, bulletin_editor.draft) }}
                                    {item.sample.then(|| view! { " · "{td_string!(locale, bulletins.sample)} })}
                                </td>
                                <td>{lang.digits(&item.sent.to_string())}</td>
                                <td>{item.updated}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <section class="panel upload" aria-labelledby="upload-heading">
                <h2 id="upload-heading">{td_string!(locale, bulletin_editor.upload_title)}</h2>
                <p class="hint">{td_string!(locale, bulletin_editor.upload_hint)}</p>
                {uploaded.map(|name| view! {
                    <p class="notice notice-ok" role="status">{td_string!(locale, bulletin_editor.uploaded)}" "
                        <code dir="ltr">{format!("![](/media/{name})")}</code></p>
                })}
                {upload_error.map(|_| view! {
                    <p class="notice notice-error" role="alert">{td_string!(locale, bulletin_editor.upload_error)}</p>
                })}
                <form method="post" action=crate::paths::staff_media_upload(lang) enctype="multipart/form-data">
                    <label for="image">{td_string!(locale, bulletin_editor.image)}</label>
                    <input id="image" name="image" type="file" accept="image/png,image/jpeg,image/webp,image/gif" required/>
                    <button type="submit" class="button button-small">{td_string!(locale, bulletin_editor.upload)}</button>
                </form>
            </section>
        </div>
    }
}

#[component]
pub fn StaffBulletinNewPage() -> impl IntoView {
    editor(None)
}

#[component]
pub fn StaffBulletinEditPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    match id {
        Some(id) => editor(Some(id)).into_any(),
        None => view! { <crate::pages::NotFound/> }.into_any(),
    }
}

fn editor(id: Option<i64>) -> impl IntoView {
    let lang = use_lang();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let data = Resource::new(|| (), move |()| staff_bulletin(id));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |b| view! { <EditView lang b done=done.clone()/> }/>
    }
}

#[component]
fn EditView(lang: Lang, b: StaffBulletinEdit, done: Option<String>) -> impl IntoView {
    let locale = lang.locale();
    let preview = use_context::<PreviewHtml>();
    let previewing = preview.is_some();
    let (html_en, html_ar) = match preview {
        Some(p) => (p.html_en, p.html_ar),
        None => (b.html_en.clone(), b.html_ar.clone()),
    };
    let action = match b.id {
        Some(id) => crate::paths::staff_bulletin(lang, Some(id)),
        None => crate::paths::staff_bulletin(lang, None),
    };
    let value = |name: &str| b.values.get(name).cloned().unwrap_or_default();
    let labels = vec![
        ("number", td_string!(locale, bulletin_editor.number)),
        ("slug", td_string!(locale, bulletin_editor.slug)),
        ("title_en", td_string!(locale, bulletin_editor.title_en)),
        ("summary_en", td_string!(locale, bulletin_editor.summary_en)),
        ("body_en", td_string!(locale, bulletin_editor.body_en)),
        ("title_ar", td_string!(locale, bulletin_editor.title_ar)),
        ("summary_ar", td_string!(locale, bulletin_editor.summary_ar)),
        ("body_ar", td_string!(locale, bulletin_editor.body_ar)),
    ];
    let done_text = done.map(|d| match d.as_str() {
        "published" => td_string!(locale, bulletin_editor.done_published),
        "unpublished" => td_string!(locale, bulletin_editor.done_unpublished),
        _ => td_string!(locale, bulletin_editor.done_saved),
    });
    let state = if b.published {
        td_string!(locale, bulletin_editor.published)
    } else {
        td_string!(locale, bulletin_editor.draft)
    };
    let view_link = (b.published).then(|| crate::paths::bulletin(lang, &value("slug")));
    view! {
        <Title text=td_string!(locale, bulletin_editor.edit_title)/>
        <StaffNav staff=b.viewer.clone()/>
        <div class="wrap wide">
            <p><a href=crate::paths::staff_bulletins(lang)>{td_string!(locale, bulletin_editor.title)}</a></p>
            <h1>{td_string!(locale, bulletin_editor.edit_title)}" "<span class="state">{state}</span></h1>
            {b.sample.then(|| view! { <p class="badge badge-sample">{td_string!(locale, bulletins.sample)}</p> })}
            {done_text.map(|t| view! { <p class="notice notice-ok" role="status">{t}</p> })}
            {view_link.map(|href| view! { <p><a href=href>{td_string!(locale, bulletin_editor.view)}</a></p> })}
            <FormErrors lang labels/>
            <div class="editor">
                <form class="stack-form editor-form" method="post" action=action novalidate>
                    <div class="field-row">
                        <Field lang name="number" kind="number" label=td_string!(locale, bulletin_editor.number) required=true max=6 initial=value("number")/>
                        <Field lang name="slug" label=td_string!(locale, bulletin_editor.slug) hint=td_string!(locale, bulletin_editor.slug_hint) required=true max=80 initial=value("slug")/>
                    </div>
                    <fieldset lang="en" dir="ltr" class="version">
                        <legend>"English"</legend>
                        <Field lang name="title_en" label=td_string!(locale, bulletin_editor.title_en) max=limits::TITLE initial=value("title_en")/>
                        <Field lang name="summary_en" label=td_string!(locale, bulletin_editor.summary_en) max=limits::SUMMARY multiline=true initial=value("summary_en")/>
                        <Field lang name="body_en" label=td_string!(locale, bulletin_editor.body_en) hint=td_string!(locale, bulletin_editor.body_hint) max=limits::BODY multiline=true initial=value("body_en")/>
                    </fieldset>
                    <fieldset lang="ar" dir="rtl" class="version">
                        <legend>"العربية"</legend>
                        <Field lang name="title_ar" label=td_string!(locale, bulletin_editor.title_ar) max=limits::TITLE initial=value("title_ar")/>
                        <Field lang name="summary_ar" label=td_string!(locale, bulletin_editor.summary_ar) max=limits::SUMMARY multiline=true initial=value("summary_ar")/>
                        <Field lang name="body_ar" label=td_string!(locale, bulletin_editor.body_ar) hint=td_string!(locale, bulletin_editor.body_hint) max=limits::BODY multiline=true initial=value("body_ar")/>
                    </fieldset>
                    <div class="row-actions">
                        <button type="submit" name="action" value="preview" class="button button-quiet">{td_string!(locale, bulletin_editor.preview)}</button>
                        <button type="submit" name="action" value="save" class="button">{td_string!(locale, bulletin_editor.save)}</button>
                        {if b.published {
                            view! { <button type="submit" name="action" value="unpublish" class="button button-danger">{td_string!(locale, bulletin_editor.unpublish)}</button> }.into_any()
                        } else {
                            view! { <button type="submit" name="action" value="publish" class="button">{td_string!(locale, bulletin_editor.publish)}</button> }.into_any()
                        }}
                    </div>
                    <p class="hint">{td_string!(locale, bulletin_editor.publish_hint)}</p>
                </form>
                <section class="editor-preview" aria-labelledby="preview-heading">
                    <h2 id="preview-heading">
                        {if previewing { td_string!(locale, bulletin_editor.preview_title) } else { td_string!(locale, bulletin_editor.saved_title) }}
                    </h2>
                    <div class="prose" lang="en" dir="ltr" inner_html=html_en></div>
                    <hr/>
                    <div class="prose" lang="ar" dir="rtl" inner_html=html_ar></div>
                </section>
            </div>
        </div>
    }
}
