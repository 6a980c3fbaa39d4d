//! An event's materials (admins): attach a document (title in each
//! language, the whole event or one session, public or for approved
//! participants), and remove one.
//! Server: `api/materials.rs` → `server/materials/pages.rs`; the forms post
//! to `server/materials/http.rs`.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::materials::staff_materials_view;
use crate::api::staff::current_staff;
use crate::components::form::{Field, FormErrors, GroupError, use_form};
use crate::components::loaded::Loaded;
use crate::components::locale::use_lang;
use crate::components::staff_nav::StaffNav;
use crate::domain::material::MAX_TITLE;
use crate::domain::{Lang, Staff};
use crate::dto::materials::MaterialsPage;
use crate::error::AppError;
use crate::i18n::*;

#[component]
pub fn StaffMaterialsPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let data = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let staff = current_staff().await?;
            let page = staff_materials_view(lang, slug).await?;
            Ok::<_, AppError>((staff, page))
        },
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Loaded resource=data view=move |(staff, m)| view! { <MaterialsView lang staff m done=done.clone()/> }/>
    }
}

#[component]
fn MaterialsView(
    lang: Lang,
    staff: Staff,
    m: MaterialsPage,
    done: Option<String>,
) -> impl IntoView {
    let locale = lang.locale();
    let form = use_form();
    let action = crate::paths::staff_materials(lang, &m.event_slug);
    let chosen_session = form.value("session").to_owned();
    let participants_only = form.value("visibility") == "participants";
    let labels = vec![
        ("title_en", td_string!(locale, materials.title_en)),
        ("title_ar", td_string!(locale, materials.title_ar)),
        ("session", td_string!(locale, materials.session)),
        ("visibility", td_string!(locale, materials.visibility)),
        ("file", td_string!(locale, materials.file)),
    ];
    let done = done.and_then(|d| match d.as_str() {
        "added" => Some(td_string!(locale, materials.added)),
        "removed" => Some(td_string!(locale, materials.removed)),
        _ => None,
    });
    let slug = m.event_slug.clone();
    // Boxed (`into_any`): the page's view type is too deep for the release
    // build otherwise.
    let form = view! {
        <form class="stack-form" method="post" action=action enctype="multipart/form-data" novalidate>
            <Field lang name="title_en" label=td_string!(locale, materials.title_en) max=MAX_TITLE/>
            <Field lang name="title_ar" label=td_string!(locale, materials.title_ar) max=MAX_TITLE/>
            <p class="hint">{td_string!(locale, materials.title_hint)}</p>
            <div class="field">
                <label for="session">{td_string!(locale, materials.session)}</label>
                <GroupError lang name="session"/>
                <select id="session" name="session">
                    <option value="">{td_string!(locale, materials.whole_event)}</option>
                    {m.sessions.iter().map(|(id, title)| view! {
                        <option value=*id selected=chosen_session == id.to_string()>{title.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="field" id="visibility">
                <legend>{td_string!(locale, materials.visibility)}</legend>
                <GroupError lang name="visibility"/>
                <div class="choice">
                    <input type="radio" id="visibility-public" name="visibility" value="public" checked=!participants_only/>
                    <label for="visibility-public">{td_string!(locale, materials.public)}</label>
                </div>
                <div class="choice">
                    <input type="radio" id="visibility-participants" name="visibility" value="participants" checked=participants_only/>
                    <label for="visibility-participants">{td_string!(locale, materials.participants)}</label>
                </div>
            </fieldset>
            <div class="field">
                <label for="file">{td_string!(locale, materials.file)}</label>
                <GroupError lang name="file"/>
                <input type="file" id="file" name="file"
                    accept=".pdf,.docx,.odt,.pptx,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp"/>
            </div>
            <p class="actions"><button type="submit" class="button">{td_string!(locale, materials.attach)}</button></p>
        </form>
    }
    .into_any();
    view! {
        <Title text=format!("{} · {}", td_string!(locale, materials.title), m.event_title)/>
        <StaffNav staff/>
        <div class="wrap staff-page">
            <h1>{td_string!(locale, materials.title)}" · "{m.event_title.clone()}</h1>
            <p class="hint">{td_string!(locale, materials.intro)}</p>
            {done.map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })}
            <FormErrors lang labels/>
            {form}
            <h2>{td_string!(locale, materials.heading)}</h2>
            {m.materials.is_empty().then(|| view! { <p class="empty">{td_string!(locale, materials.none)}</p> })}
            <ul class="staff-materials">
                {m.materials.into_iter().map(|item| {
                    let who = if item.public { td_string!(locale, materials.public) } else { td_string!(locale, materials.participants) };
                    let title = match item.href.clone() {
                        Some(href) => view! { <a href=href download><span lang="en" dir="auto">{item.title_en.clone()}</span></a> }.into_any(),
                        None => view! { <span lang="en" dir="auto">{item.title_en.clone()}</span> }.into_any(),
                    };
                    view! {
                        <li data-material=item.id>
                            <p>{title}" · "<span lang="ar" dir="auto">{item.title_ar.clone()}</span></p>
                            <p class="hint">{item.kind.label()}{if lang == Lang::Ar { "، " } else { ", " }}{item.size.clone()}" · "{who}
                                {item.session.clone().map(|s| view! { " · "<span dir="auto">{s}</span> })}</p>
                            <form method="post" action=crate::paths::staff_material_delete(lang, &slug, item.id)>
                                <button type="submit" class="button button-quiet">{td_string!(locale, materials.remove)}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
