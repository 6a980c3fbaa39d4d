//! Pages that update themselves: islands that follow the live stream
//! (server-sent events, `server::updates`) and change in place. The server
//! renders each with the state it knows, so the page is whole without WASM
//! and when the stream is down; the stream only brings it up to date.
//!
//! One stream per page, shared by its islands: the first island to ask opens
//! it; it reconnects with growing pauses and resumes where it left off.

use leptos::prelude::*;

use crate::domain::question::{BoardQuestion, board_order};
use crate::domain::{
    AttendanceMode, EventFormat, EventKind, Lang, LiveMessage, QuestionState, RegistrationState,
};
use crate::dto::questions::BoardVoter;
use crate::i18n::*;
use crate::labels::{mode_label, seats_text, state_body, state_label};

/// What the stream has said so far; `None` where it has said nothing yet
/// (the server-rendered value stands). Events are named by slug: a list's
/// stream carries several.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveState {
    seats: Vec<(String, AttendanceMode, i64)>,
    registration_open: Vec<(String, bool)>,
    sessions: Vec<(i64, bool, bool)>,
    participant: Option<(RegistrationState, bool)>,
    changed: Vec<String>,
    cancelled: Vec<String>,
    /// Events published since the page was rendered.
    listed: Vec<(String, EventKind, EventFormat)>,
    /// A question board, once the stream has shown it whole.
    board: Option<Vec<BoardQuestion>>,
    /// Checked in today, of those expected (the staff's check-in page).
    checkins: Option<(i64, i64)>,
}

impl LiveState {
    pub fn apply(&mut self, message: LiveMessage) {
        match message {
            LiveMessage::Seats { event, mode, left } => {
                self.seats.retain(|(e, m, _)| *e != event || *m != mode);
                self.seats.push((event, mode, left));
            }
            LiveMessage::Registration { event, open } => {
                self.registration_open.retain(|(e, _)| *e != event);
                self.registration_open.push((event, open));
            }
            LiveMessage::Session {
                session,
                live,
                join_open,
            } => {
                self.sessions.retain(|(s, _, _)| *s != session);
                self.sessions.push((session, live, join_open));
            }
            LiveMessage::EventChanged { event } => push_once(&mut self.changed, event),
            LiveMessage::Cancelled { event } => push_once(&mut self.cancelled, event),
            LiveMessage::Listed {
                event,
                kind,
                format,
            } => {
                if !self.listed.iter().any(|(e, _, _)| *e == event) {
                    self.listed.push((event, kind, format));
                }
            }
            LiveMessage::Participant { state, can_join } => {
                self.participant = Some((state, can_join));
            }
            LiveMessage::Board { questions, .. } => self.board = Some(questions),
            LiveMessage::Question { question, .. } => {
                if let Some(board) = &mut self.board {
                    board.retain(|q| q.id != question.id);
                    board.push(question);
                    board_order(board);
                }
            }
            LiveMessage::Votes { question, votes } => {
                if let Some(board) = &mut self.board {
                    for q in board.iter_mut().filter(|q| q.id == question) {
                        q.votes = votes;
                    }
                    board_order(board);
                }
            }
            LiveMessage::QuestionGone { question } => {
                if let Some(board) = &mut self.board {
                    board.retain(|q| q.id != question);
                }
            }
            LiveMessage::Checkins {
                arrived, expected, ..
            } => self.checkins = Some((arrived, expected)),
        }
    }

    fn seats(&self, event: &str, mode: AttendanceMode) -> Option<i64> {
        self.seats
            .iter()
            .find(|(e, m, _)| e == event && *m == mode)
            .map(|(_, _, n)| *n)
    }

    fn registration_open(&self, event: &str) -> Option<bool> {
        self.registration_open
            .iter()
            .find(|(e, _)| e == event)
            .map(|(_, open)| *open)
    }

    fn changed(&self, event: &str) -> bool {
        self.changed.iter().any(|e| e == event)
    }

    fn cancelled(&self, event: &str) -> bool {
        self.cancelled.iter().any(|e| e == event)
    }

    /// (live, join window open)
    fn session(&self, id: i64) -> Option<(bool, bool)> {
        self.sessions
            .iter()
            .find(|(s, _, _)| *s == id)
            .map(|(_, live, open)| (*live, *open))
    }
}

fn push_once(events: &mut Vec<String>, event: String) {
    if !events.contains(&event) {
        events.push(event);
    }
}

/// Places left in one mode, e.g. "12 places left".
#[island]
pub fn LiveSeats(
    lang: Lang,
    stream: String,
    event: String,
    mode: AttendanceMode,
    left: i64,
    waitlist: bool,
) -> impl IntoView {
    let live = client::connect(stream);
    let left = Memo::new(move |_| live.with(|s| s.seats(&event, mode)).unwrap_or(left));
    view! {
        <span class="seats-left" class:seats-full=move || left.get() == 0 data-mode=mode.code()>
            {move || seats_text(lang, left.get(), waitlist)}
        </span>
    }
}

/// A quiet note when the event changes under the reader's eyes.
#[island]
pub fn LiveEventNotice(
    lang: Lang,
    stream: String,
    event: String,
    registration_open: bool,
) -> impl IntoView {
    let locale = lang.locale();
    let live = client::connect(stream);
    move || {
        let (changed, cancelled, open) = live.with(|s| {
            (
                s.changed(&event),
                s.cancelled(&event),
                s.registration_open(&event),
            )
        });
        let text = if cancelled {
            Some(td_string!(locale, live.cancelled))
        } else if changed {
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

/// An event on a list: a badge when it is cancelled or its registration is
/// closed (or not open yet), and the places left per mode ("full", "full:
/// waitlist open"), all kept up to date by the list's stream.
#[island]
pub fn LiveCardStatus(
    lang: Lang,
    stream: String,
    event: String,
    seats: Vec<(AttendanceMode, i64)>,
    waitlist: bool,
    open: bool,
    not_yet: bool,
) -> impl IntoView {
    let locale = lang.locale();
    let live = client::connect(stream);
    let slug = event.clone();
    let cancelled = Memo::new(move |_| live.with(|s| s.cancelled(&slug)));
    let slug = event.clone();
    let open = move || live.with(|s| s.registration_open(&slug)).unwrap_or(open);
    let badge = move || {
        let (text, class) = if cancelled.get() {
            (
                td_string!(locale, live.badge_cancelled),
                "tag tag-cancelled",
            )
        } else if open() {
            return None;
        } else if not_yet {
            (td_string!(locale, live.badge_not_yet), "tag")
        } else {
            (td_string!(locale, live.badge_closed), "tag tag-closed")
        };
        Some(view! { <span class=class>{text}</span> })
    };
    let places = seats
        .into_iter()
        .map(|(mode, left)| {
            let slug = event.clone();
            let left = Memo::new(move |_| live.with(|s| s.seats(&slug, mode)).unwrap_or(left));
            view! {
                <li data-mode=mode.code()>
                    <span class="seats-mode">{mode_label(lang, mode)}</span>
                    ": "
                    <span class="seats-left" class:seats-full=move || left.get() == 0>
                        {move || seats_text(lang, left.get(), waitlist)}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="card-status" data-event=event.clone()>
            {badge}
            <ul class="card-seats" hidden=move || cancelled.get()>{places}</ul>
        </div>
    }
}

/// On a list of upcoming events: "1 new event — show" when events it would
/// list are published while it is open. It never moves the list; "show"
/// fetches it again.
#[island]
pub fn LiveListNotice(
    lang: Lang,
    stream: String,
    /// The list's own address, to show it again.
    href: String,
    /// The list's filters: events of another kind or format are not news here.
    kind: Option<EventKind>,
    format: Option<EventFormat>,
) -> impl IntoView {
    let locale = lang.locale();
    let live = client::connect(stream);
    let new = move || {
        live.with(|s| {
            s.listed
                .iter()
                .filter(|(_, k, f)| {
                    kind.is_none_or(|kind| kind == *k) && format.is_none_or(|format| format == *f)
                })
                .count()
        })
    };
    move || {
        let n = new();
        (n > 0).then(|| {
            let text = if n == 1 {
                td_string!(locale, live.new_one).to_owned()
            } else {
                td_string!(locale, live.new_many, n = lang.digits(&n.to_string()))
            };
            view! {
                <p class="notice live-notice" role="status">
                    {text}" — "<a href=href.clone()>{td_string!(locale, live.show)}</a>
                </p>
            }
        })
    }
}

/// A session's question board: the approved questions with their votes,
/// the one being answered first and highlighted, kept up to date by the
/// stream. With `voter`, a vote button on each (plain forms); in the
/// `room` (the projector), large type and no answered questions.
#[island]
pub fn QuestionBoard(
    lang: Lang,
    stream: String,
    questions: Vec<BoardQuestion>,
    voter: Option<BoardVoter>,
    session: i64,
    room: bool,
) -> impl IntoView {
    let locale = lang.locale();
    let live = client::connect(stream);
    let shown = Memo::new(move |_| {
        let mut all = live
            .with(|s| s.board.clone())
            .unwrap_or_else(|| questions.clone());
        if room {
            all.retain(|q| q.state != QuestionState::Answered);
        }
        all
    });
    let item = move |q: BoardQuestion| {
        let answering = q.state == QuestionState::Answering;
        let other = q
            .other_text(lang)
            .map(|(l, text)| view! { <p class="question-other" lang=l.code() dir="auto">{text.to_owned()}</p> });
        let vote = voter.clone().filter(|_| q.state != QuestionState::Answered).map(|voter| {
            if voter.voted.contains(&q.id) {
                view! { <p class="voted">{td_string!(locale, questions.voted)}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=voter.action class="vote-form">
                        <input type="hidden" name="action" value="vote"/>
                        <input type="hidden" name="question" value=q.id/>
                        <input type="hidden" name="back" value=session/>
                        <button type="submit" class="button button-quiet">{td_string!(locale, questions.vote)}</button>
                    </form>
                }
                .into_any()
            }
        });
        view! {
            <li class="question" class:question-answering=answering class:question-answered=q.state == QuestionState::Answered data-question=q.id>
                {answering.then(|| view! { <p class="question-now">{td_string!(locale, questions.answering_now)}</p> })}
                <p class="question-text" lang=q.lang.code() dir="auto">{q.text_in(lang).to_owned()}</p>
                {(!room).then_some(other)}
                <p class="question-votes">
                    {td_string!(locale, questions.votes)}" "<strong data-votes=q.votes>{lang.digits(&q.votes.to_string())}</strong>
                </p>
                {vote}
            </li>
        }
    };
    view! {
        <ol class="board" class:board-room=room>
            <For each=move || shown.get() key=|q| (q.id, q.votes, q.state, q.translation.clone()) children=item/>
        </ol>
        {move || shown.with(Vec::is_empty).then(|| view! { <p class="hint board-empty">{td_string!(locale, questions.board_empty)}</p> })}
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

/// "12 of 40 checked in today", on every staff device at the door.
#[island]
pub fn LiveCheckins(lang: Lang, stream: String, arrived: i64, expected: i64) -> impl IntoView {
    let live = client::connect(stream);
    let counts = move || live.with(|s| s.checkins).unwrap_or((arrived, expected));
    view! {
        <p class="checkin-count" role="status" aria-live="polite" data-arrived=move || counts().0>
            {move || {
                let (arrived, expected) = counts();
                td_string!(
                    lang.locale(),
                    checkin.count,
                    arrived = lang.digits(&arrived.to_string()),
                    expected = lang.digits(&expected.to_string())
                )
            }}
        </p>
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
    /// Minutes east of UTC of the event's clock at the opening.
    event_offset: i32,
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
    // The first render in the browser must be the server's (no clock, no
    // reader's time): they appear once the island is awake.
    let awake = RwSignal::new(false);
    Effect::new(move |_| awake.set(true));
    let now = client::now_ms();
    let reader_time = super::local_time::reader_moment(lang, opens_ms, event_offset);
    move || {
        let now = if awake.get() { now.get() } else { None };
        let reader_time = reader_time.clone().filter(|_| awake.get());
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
    use futures::future::{AbortHandle, Abortable};
    use gloo_net::eventsource::futures::EventSource;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use std::time::Duration;

    use super::LiveState;
    use crate::domain::LiveMessage;

    thread_local! {
        static STREAMS: RefCell<HashMap<String, (ArcRwSignal<LiveState>, AbortHandle)>> =
            RefCell::default();
        static NOW: RefCell<Option<ArcRwSignal<Option<i64>>>> = const { RefCell::new(None) };
    }

    /// The state of the stream at `url`, opening it on first use.
    pub fn connect(url: String) -> RwSignal<LiveState> {
        let shared = STREAMS.with(|streams| {
            if let Some((state, _)) = streams.borrow().get(&url) {
                return state.clone();
            }
            if streams.borrow().is_empty() {
                close_when_left();
            }
            let state = ArcRwSignal::new(LiveState::default());
            let (abort, registration) = AbortHandle::new_pair();
            streams
                .borrow_mut()
                .insert(url.clone(), (state.clone(), abort));
            let follow = Abortable::new(follow(url, state.clone()), registration);
            leptos::task::spawn_local(async move {
                let _ = follow.await;
            });
            state
        });
        RwSignal::from(shared)
    }

    /// After a client-side navigation, closes the streams no island of the
    /// new page was given: one stream per page, however long the visit.
    /// (Leptos keeps an island's reactive state once its element is gone;
    /// what it held open is closed here.)
    fn close_when_left() {
        thread_local! {
            static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if LISTENING.with(|l| l.replace(true)) {
            return;
        }
        let left = Closure::<dyn Fn()>::new(|| {
            let islands: Vec<String> = document()
                .query_selector_all("leptos-island[data-props]")
                .map(|list| {
                    (0..list.length())
                        .filter_map(|i| list.item(i))
                        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
                        .filter_map(|island| island.get_attribute("data-props"))
                        .collect()
                })
                .unwrap_or_default();
            STREAMS.with(|streams| {
                streams.borrow_mut().retain(|url, (_, abort)| {
                    // As the islands' JSON properties write it (our
                    // stream addresses need no escaping).
                    let quoted = format!("\"{url}\"");
                    let shown = islands.iter().any(|props| props.contains(&quoted));
                    if !shown {
                        abort.abort();
                    }
                    shown
                });
            });
        });
        let _ = window()
            .add_event_listener_with_callback("lausanne:navigated", left.as_ref().unchecked_ref());
        left.forget();
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

    /// The browser's clock, ticking each second; `None` until hydrated. One
    /// clock for every island, so islands a navigation removed leave no
    /// timer behind.
    pub fn now_ms() -> ReadSignal<Option<i64>> {
        let shared = NOW.with(|now| {
            now.borrow_mut()
                .get_or_insert_with(|| {
                    let now = ArcRwSignal::new(Some(js_sys::Date::now() as i64));
                    let tick = now.clone();
                    let _ = set_interval_with_handle(
                        move || tick.set(Some(js_sys::Date::now() as i64)),
                        Duration::from_secs(1),
                    );
                    now
                })
                .clone()
        });
        RwSignal::from(shared).read_only()
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
        let seats = |event: &str, left| LiveMessage::Seats {
            event: event.into(),
            mode: AttendanceMode::Online,
            left,
        };
        state.apply(seats("a", 4));
        state.apply(seats("b", 9));
        state.apply(seats("a", 3));
        assert_eq!(state.seats("a", AttendanceMode::Online), Some(3));
        assert_eq!(state.seats("b", AttendanceMode::Online), Some(9));
        assert_eq!(state.seats("a", AttendanceMode::InPerson), None);
        state.apply(LiveMessage::Cancelled { event: "b".into() });
        assert!(state.cancelled("b") && !state.cancelled("a"));
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
