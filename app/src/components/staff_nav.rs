//! The staff header: where staff can go, who is signed in, and signing out.
//! Every staff page shows it above its content.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::locale::use_lang;
use crate::domain::Staff;
use crate::i18n::*;
use crate::labels::role_label;

#[component]
pub fn StaffNav(staff: Staff) -> impl IntoView {
    let lang = use_lang();
    let locale = lang.locale();
    let here = use_location().pathname.get_untracked();
    let mut links = vec![
        (
            crate::paths::staff(lang),
            td_string!(locale, staff.dashboard),
        ),
        (
            crate::paths::staff_registrations(lang),
            td_string!(locale, staff.moderation),
        ),
        (
            crate::paths::staff_organisations(lang),
            td_string!(locale, staff.organisations),
        ),
    ];
    links.push((
        crate::paths::staff_audit(lang),
        td_string!(locale, audit.title),
    ));
    if staff.role.is_admin() {
        links.push((
            crate::paths::staff_events(lang),
            td_string!(locale, staff.events),
        ));
        links.push((
            crate::paths::staff_bulletins(lang),
            td_string!(locale, bulletin_editor.title),
        ));
        links.push((
            crate::paths::staff_users(lang),
            td_string!(locale, staff.users),
        ));
    }
    links.push((
        crate::paths::staff_account(lang),
        td_string!(locale, staff.user_account),
    ));
    let role = role_label(lang, staff.role);
    view! {
        <div class="staff-bar">
            <div class="wrap staff-bar-row">
                <nav class="staff-nav" aria-label=td_string!(locale, staff.nav_label)>
                    {links.into_iter().map(|(href, label)| {
                        let current = (href == here).then_some("page");
                        view! { <a href=href aria-current=current>{label}</a> }
                    }).collect_view()}
                </nav>
                <p class="staff-who">
                    {td_string!(locale, staff.signed_in_as, name = staff.name.clone(), role = role)}
                </p>
                <form method="post" action=crate::paths::staff_logout(lang) class="staff-logout">
                    <button type="submit" class="button button-quiet">{td_string!(locale, staff.logout)}</button>
                </form>
            </div>
        </div>
    }
}
