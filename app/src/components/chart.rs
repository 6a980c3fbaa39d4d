//! A bar chart of sign-ups per day, drawn as inline SVG on the server: no
//! chart library, no script. Time runs in the reading direction (right to
//! left in Arabic). The numbers are also in a visually hidden table for
//! screen readers.

use leptos::prelude::*;

use crate::domain::Lang;
use crate::dto::staff::DayPoint;
use crate::i18n::*;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 96.0;
const GAP: f64 = 2.0;
/// The most recent days drawn; older ones are summed into the first bar's
/// table row only.
const MAX_DAYS: usize = 60;

#[component]
pub fn SignupChart(lang: Lang, points: Vec<DayPoint>, caption: String) -> impl IntoView {
    let locale = lang.locale();
    let points: Vec<DayPoint> = points
        .into_iter()
        .rev()
        .take(MAX_DAYS)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if points.is_empty() {
        return view! { <p class="empty">{td_string!(locale, dashboard.no_signups)}</p> }
            .into_any();
    }
    let max = points.iter().map(|p| p.count).max().unwrap_or(1).max(1);
    #[allow(clippy::cast_precision_loss)]
    let (n, max) = (points.len() as f64, max as f64);
    let bar = (WIDTH / n - GAP).max(1.0);
    let rtl = lang == Lang::Ar;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            #[allow(clippy::cast_precision_loss)]
            let (i, count) = (i as f64, p.count as f64);
            let h = (count / max * (HEIGHT - 14.0)).max(1.0);
            let x = i * (bar + GAP);
            let x = if rtl { WIDTH - x - bar } else { x };
            let title = format!("{}: {}", p.label, lang.digits(&p.count.to_string()));
            view! {
                <rect x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - h) width=format!("{bar:.1}") height=format!("{h:.1}") rx="1">
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let total: i64 = points.iter().map(|p| p.count).sum();
    let first = points.first().map(|p| p.label.clone()).unwrap_or_default();
    let last = points.last().map(|p| p.label.clone()).unwrap_or_default();
    let rows = points
        .iter()
        .map(|p| view! { <tr><th scope="row">{p.label.clone()}</th><td>{lang.digits(&p.count.to_string())}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone() preserveAspectRatio="none">
                <line x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT class="chart-axis"/>
                {bars}
            </svg>
            <figcaption>
                <span>{first}</span>
                <span>{td_string!(locale, dashboard.total, n = lang.digits(&total.to_string()))}</span>
                <span>{last}</span>
            </figcaption>
            // A table never shrinks below its content, so the wrapper hides it.
            <div class="visually-hidden">
                <table>
                    <caption>{caption}</caption>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
    .into_any()
}
