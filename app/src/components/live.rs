//! Pages that update themselves: islands that follow the live stream
//! (server-sent events, `server::updates`) and change in place. The server
//! renders each with the state it knows, so the page is whole without WASM
//! and when the stream is down; the stream only brings it up to date.
//!
//! One stream per page, shared by its islands: the first island to ask opens
//! it; it reconnects with growing pauses and resumes where it left off.

use leptos::prelude::*;

use crate::domain::{AttendanceMode, Lang, LiveMessage, RegistrationState};
use crate::i18n::*;
use crate::labels::{seats_text, state_body, state_label};

/// What the stream has said so far; `None` where it has said nothing yet
/// (the server-rendered value stands).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveState {
    seats: Vec<(AttendanceMode, i64)>,
    registration_open: Option<bool>,
    sessions: Vec<(i64, bool, bool)>,
    participant: Option<(RegistrationState, bool)>,
    changed: bool,
}

impl LiveState {
    pub fn apply(&mut self, message: LiveMessage) {
        match message {
            LiveMessage::Seats { mode, left } => {
                self.seats.retain(|(m, _)| *m != mode);
                self.seats.push((mode, left));
            }
            LiveMessage::Registration { open } => self.registration_open = Some(open),
            LiveMessage::Session {
                session,
                live,
                join_open,
            } => {
                self.sessions.retain(|(s, _, _)| *s != session);
                self.sessions.push((session, live, join_open));
            }
            LiveMessage::EventChanged => self.changed = true,
            LiveMessage::Participant { state, can_join } => {
                self.participant = Some((state, can_join));
            }
        }
    }

    fn seats(&self, mode: AttendanceMode) -> Option<i64> {
        self.seats.iter().find(|(m, _)| *m == mode).map(|(_, n)| *n)
    }

    /// (live, join window open)
    fn session(&self, id: i64) -> Option<(bool, bool)> {
        self.sessions
            .iter()
            .find(|(s, _, _)| *s == id)
            .map(|(_, live, open)| (*live, *open))
    }
}

/// Places left in one mode, e.g. "12 places left".
#[island]
pub fn LiveSeats(
    lang: Lang,
    stream: String,
    mode: AttendanceMode,
    left: i64,
    waitlist: bool,
) -> impl IntoView {
    let live = client::connect(stream);
    let left = move || live.with(|s| s.seats(mode)).unwrap_or(left);
    view! {
        <span class="seats-left" class:seats-full=move || left() == 0 data-mode=mode.code()>
            {move || seats_text(lang, left(), waitlist)}
        </span>
    }
}

/// A quiet note when the event changes under the reader's eyes.
#[island]
pub fn LiveEventNotice(lang: Lang, stream: String, registration_open: bool) -> impl IntoView {
    let locale = lang.locale();
    let live = client::connect(stream);
    move || {
        let (changed, open) = live.with(|s| (s.changed, s.registration_open));
        let text = if changed {
            Some(td_string!(locale, live.event_changed))
        } else {
            match open {
                Some(true) if !registration_open => {
                    Some(td_string!(locale, live.registration_opened))
                }
                Some(false) if registration_open => {
                    Some(td_string!(locale, live.registration_closed))
                }
                _ => None,
            }
        };
        text.map(|text| view! { <p class="notice live-notice" role="status">{text}</p> })
    }
}

/// "Live now" beside a session (or an event) while it runs.
#[island]
pub fn LiveBadge(lang: Lang, stream: String, session: i64, live: bool) -> impl IntoView {
    let locale = lang.locale();
    let state = client::connect(stream);
    let running = move || state.with(|s| s.session(session)).map_or(live, |(l, _)| l);
    move || {
        running().then(|| view! { <span class="live-badge">{td_string!(locale, live.now)}</span> })
    }
}

/// The participant's state on their private page.
#[island]
pub fn LiveStatus(lang: Lang, stream: String, state: RegistrationState) -> impl IntoView {
    let live = client::connect(stream);
    let state = move || live.with(|s| s.participant).map_or(state, |(s, _)| s);
    view! {
        <p>
            <span class=move || format!("state state-{}", state().code()) data-state=move || state().code()>
                {move || state_label(lang, state())}
            </span>
        </p>
        <p>{move || state_body(lang, state())}</p>
    }
}

/// One online session on the private page: "Join" while its window is open
/// (for an approved online participant), otherwise when it opens, with a
/// countdown, or that it is over.
#[island]
#[allow(clippy::too_many_arguments)]
pub fn JoinButton(
    lang: Lang,
    stream: String,
    session: i64,
    href: String,
    can_join: bool,
    join_open: bool,
    /// When the window opens and closes, Unix milliseconds.
    opens_ms: i64,
    ends_ms: i64,
    /// The opening time in the event's zone, written by the server.
    opens: String,
    time_zone: String,
) -> impl IntoView {
    let locale = lang.locale();
    let live = client::connect(stream);
    let may = move || {
        live.with(|s| s.participant)
            .map_or(can_join, |(_, may)| may)
    };
    let open = move || {
        live.with(|s| s.session(session))
            .map_or(join_open, |(_, open)| open)
    };
    let now = client::now_ms();
    let reader_time = super::local_time::reader_moment(lang, opens_ms, &time_zone);
    move || {
        let now = now.get();
        if !may() {
            view! { <p class="join-state">{td_string!(locale, join.after_approval)}</p> }.into_any()
        } else if open() {
            view! {
                <a class="button join-button" href=href.clone() rel="noreferrer">{td_string!(locale, join.button)}</a>
            }
            .into_any()
        } else if now.is_some_and(|n| n >= ends_ms) || (now.is_none() && opens_ms >= ends_ms) {
            view! { <p class="join-state">{td_string!(locale, join.over)}</p> }.into_any()
        } else {
            let countdown = now.map(|n| countdown(lang, opens_ms - n));
            view! {
                <p class="join-state">
                    {td_string!(locale, join.opens, when = opens.clone())}
                    {reader_time.clone().map(|t| view! { <span class="local-time">{td_string!(locale, event.your_time)}": "{t}</span> })}
                    {countdown.map(|c| view! { <span class="countdown">{c}</span> })}
                </p>
            }
            .into_any()
        }
    }
}

/// "in 4 min 05 s", "in 2 h 10 min", or "opening…".
fn countdown(lang: Lang, ms: i64) -> String {
    let locale = lang.locale();
    if ms <= 0 {
        return td_string!(locale, join.opening).to_owned();
    }
    let seconds = ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) > 0);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let text = if h > 0 {
        td_string!(locale, join.in_hours, h = h.to_string(), m = m.to_string())
    } else {
        td_string!(
            locale,
            join.in_minutes,
            m = m.to_string(),
            s = format!("{s:02}")
        )
    };
    lang.digits(&text)
}

#[cfg(feature = "hydrate")]
mod client {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    use leptos::prelude::*;

    use std::time::Duration;

    use super::LiveState;
    use crate::domain::LiveMessage;

    thread_local! {
        static STREAMS: RefCell<HashMap<String, ArcRwSignal<LiveState>>> = RefCell::default();
    }

    /// The state of the stream at `url`, opening it on first use.
    pub fn connect(url: String) -> RwSignal<LiveState> {
        let shared = STREAMS.with(|streams| {
            if let Some(state) = streams.borrow().get(&url) {
                return state.clone();
            }
            let state = ArcRwSignal::new(LiveState::default());
            streams.borrow_mut().insert(url.clone(), state.clone());
            leptos::task::spawn_local(follow(url, state.clone()));
            state
        });
        RwSignal::from(shared)
    }

    /// Reads the stream for ever: reconnecting after 1 s, then 2, 4 … up to
    /// a minute, each time asking for what was missed since the last id.
    async fn follow(url: String, state: ArcRwSignal<LiveState>) {
        let mut last: Option<String> = None;
        let mut pause = 1_000;
        loop {
            let address = match &last {
                Some(id) => format!("{url}&last={id}"),
                None => url.clone(),
            };
            if let Ok(mut source) = EventSource::new(&address) {
                if let Ok(mut messages) = source.subscribe("message") {
                    while let Some(Ok((_, event))) = messages.next().await {
                        pause = 1_000;
                        let id = event.last_event_id();
                        if !id.is_empty() {
                            last = Some(id);
                        }
                        let message = event
                            .data()
                            .as_string()
                            .and_then(|text| serde_json::from_str::<LiveMessage>(&text).ok());
                        if let Some(message) = message {
                            state.update(|s| s.apply(message));
                        }
                    }
                }
                source.close();
            }
            sleep(pause).await;
            pause = (pause * 2).min(60_000);
        }
    }

    async fn sleep(ms: u64) {
        let (done, wait) = futures::channel::oneshot::channel::<()>();
        set_timeout(
            move || {
                let _ = done.send(());
            },
            Duration::from_millis(ms),
        );
        let _ = wait.await;
    }

    /// The browser's clock, ticking each second; `None` until hydrated.
    pub fn now_ms() -> ReadSignal<Option<i64>> {
        let now = RwSignal::new(Some(js_sys::Date::now() as i64));
        let handle = set_interval_with_handle(
            move || now.set(Some(js_sys::Date::now() as i64)),
            Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
        now.read_only()
    }
}

#[cfg(not(feature = "hydrate"))]
mod client {
    use leptos::prelude::*;

    use super::LiveState;

    /// On the server the page shows what it was rendered with.
    pub fn connect(_url: String) -> RwSignal<LiveState> {
        RwSignal::new(LiveState::default())
    }

    pub fn now_ms() -> ReadSignal<Option<i64>> {
        RwSignal::new(None).read_only()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_apply_in_place() {
        let mut state = LiveState::default();
        state.apply(LiveMessage::Seats {
            mode: AttendanceMode::Online,
            left: 4,
        });
        state.apply(LiveMessage::Seats {
            mode: AttendanceMode::Online,
            left: 3,
        });
        assert_eq!(state.seats(AttendanceMode::Online), Some(3));
        assert_eq!(state.seats(AttendanceMode::InPerson), None);
        state.apply(LiveMessage::Session {
            session: 9,
            live: true,
            join_open: true,
        });
        assert_eq!(state.session(9), Some((true, true)));
        assert_eq!(state.session(8), None);
    }

    #[test]
    fn countdowns_round_up_to_the_second() {
        assert_eq!(countdown(Lang::En, 65_001), "in 1 min 06 s");
        assert_eq!(
            countdown(Lang::En, 2 * 3_600_000 + 600_000),
            "in 2 h 10 min"
        );
        assert_eq!(countdown(Lang::En, 0), "opening…");
    }
}
