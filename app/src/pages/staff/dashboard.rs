//! `/{lang}/staff`: placeholder dashboard (who is signed in). To be replaced
//! by the real dashboard.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::staff::current_staff;
use crate::components::loaded::Loaded;
use crate::components::staff_nav::{StaffNav, role_label};
use crate::i18n::*;
use crate::pages::use_lang;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let me = Resource::new(|| (), |_| current_staff());
    view! {
        <Title text=format!("{} · {}", td_string!(locale, staff.dashboard), td_string!(locale, site.name))/>
        <Meta name="robots" content="noindex"/>
        <Loaded resource=me view=move |me| {
            let role = role_label(lang, me.role);
            view! {
                <StaffNav staff=me.clone()/>
                <div class="wrap staff-page">
                    <h1>{td_string!(locale, staff.dashboard)}</h1>
                    <p>{td_string!(locale, staff.signed_in_as, name = me.name.clone(), role = role)}</p>
                </div>
            }
        }/>
    }
}
