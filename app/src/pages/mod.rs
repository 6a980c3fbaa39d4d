//! The page tree: the Leptos router and one module per page.
//! Server: none here (each page names its own); `server/router.rs` serves the
//! tree inside the document of `server/shell.rs`.

pub mod bulletins;
mod events;
mod home;
mod layout;
mod organisation;
mod participant;
mod privacy;
mod questions;
pub mod staff;

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::components::not_found::NotFound;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every page is rendered whole on the server (`Async`), so it reads and
    // works before (and without) the WASM; in islands mode only the
    // interactive islands are hydrated, which keeps the WASM small.
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <ParentRoute path=ParamSegment("lang") view=layout::LocaleLayout ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=home::HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("events") view=events::list::EventsPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("events"), ParamSegment("slug"))
                        view=events::show::EventPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("events"), ParamSegment("slug"), StaticSegment("register"))
                        view=events::register::RegisterPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("events"), ParamSegment("slug"), StaticSegment("registered"))
                        view=events::register::RegisteredPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("events"), ParamSegment("slug"), StaticSegment("sessions"), ParamSegment("session"), StaticSegment("questions"))
                        view=questions::BoardPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("events"), ParamSegment("slug"), StaticSegment("sessions"), ParamSegment("session"), StaticSegment("questions"), StaticSegment("room"))
                        view=questions::RoomPage
                        ssr=SsrMode::Async
                    />
                    <Route path=(StaticSegment("r"), ParamSegment("token")) view=participant::PrivatePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("deleted") view=participant::DeletedPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("privacy") view=privacy::PrivacyPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("organisation") view=organisation::OrganisationPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("organisation"), StaticSegment("thanks"))
                        view=organisation::OrganisationThanksPage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("bulletins") view=bulletins::archive::BulletinsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("bulletins"), ParamSegment("slug")) view=bulletins::issue::BulletinPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("subscribe") view=bulletins::subscribe::SubscribePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("subscribe"), StaticSegment("sent")) view=bulletins::subscribe::SubscribeSentPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("subscribe"), StaticSegment("confirmed")) view=bulletins::subscribe::SubscribeConfirmedPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("subscribe"), StaticSegment("confirm"), ParamSegment("token")) view=bulletins::subscribe::ConfirmPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("unsubscribe"), ParamSegment("token")) view=bulletins::subscribe::UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("unsubscribed") view=bulletins::subscribe::UnsubscribedPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("bulletins")) view=staff::bulletins::StaffBulletinsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("bulletins"), StaticSegment("new")) view=staff::bulletins::StaffBulletinNewPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("bulletins"), ParamSegment("id")) view=staff::bulletins::StaffBulletinEditPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("login")) view=staff::login::LoginPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("login"), StaticSegment("code")) view=staff::login::LoginCodePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("account")) view=staff::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("staff") view=staff::dashboard::DashboardPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("users")) view=staff::users::UsersPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("registrations")) view=staff::moderation::ModerationPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("organisations")) view=staff::organisations::OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("audit")) view=staff::audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("events")) view=staff::events::EventsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("staff"), StaticSegment("events"), StaticSegment("new")) view=staff::events::NewEventPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("edit"))
                        view=staff::events::EditEventPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("report"))
                        view=staff::report::StaffReportPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("materials"))
                        view=staff::materials::StaffMaterialsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("check-in"))
                        view=staff::checkin::StaffCheckinPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("announcements"))
                        view=staff::announcements::StaffAnnouncementsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("hearing"))
                        view=staff::hearing::StaffHearingPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("questions"))
                        view=staff::questions::StaffQuestionsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("sessions"), StaticSegment("new"))
                        view=staff::events::NewSessionPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("staff"), StaticSegment("events"), ParamSegment("slug"), StaticSegment("sessions"), ParamSegment("id"))
                        view=staff::events::EditSessionPage
                        ssr=SsrMode::Async
                    />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
