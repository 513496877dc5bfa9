//! `/stats`: the public figures (事事有回应、件件有着落), counts only.

use leptos::prelude::*;

use crate::components::{Page, Tab};
use qinglang_domain::api::PublicStats;

use crate::i18n::{Msg, fill};
use crate::tr;
use crate::{api, state};

/// The public figures page: the counts, the on-time rate and median days to close, and two
/// inline SVG bar charts (by category, by month of receipt), from the full `/api/stats`.
#[component]
pub fn Stats() -> impl IntoView {
    let s = state();
    let stats = crate::load(api::stats_full());
    view! {
        <Page title=Msg::FiguresTitle tab=Tab::Home>
            {move || match stats.get() {
                None => view! { <section class="card"><p class="muted">{s.t(Msg::Loading)}</p></section> }.into_any(),
                Some(Err(e)) => view! { <section class="card"><p class="error">{e.message(s.lang.get())}</p></section> }.into_any(),
                Some(Ok(st)) => view! { <FullFigures st=st/> }.into_any(),
            }}
            <p class="muted small">{tr(Msg::FiguresNote)}</p>
        </Page>
    }
}

/// A rate in 0..=1 as a whole percentage.
fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

#[component]
fn FullFigures(st: PublicStats) -> impl IntoView {
    let s = state();
    let rows = [
        (Msg::FigReceived, st.received),
        (Msg::FigPending, st.pending),
        (Msg::FigInProgress, st.in_progress),
        (Msg::FigClosed, st.closed),
        (Msg::FigRejected, st.rejected),
    ];
    let (on_time, median) = (st.on_time_rate, st.median_days_to_close);
    let on_time = move || on_time.map(percent).unwrap_or_else(|| s.t(Msg::StatsNone).to_owned());
    let median = move || {
        median
            .map(|d| fill(s.t(Msg::StatsDays), &[("n", &format!("{d:.1}"))]))
            .unwrap_or_else(|| s.t(Msg::StatsNone).to_owned())
    };
    let (satisfaction, rated) = (st.satisfaction_rate, st.rated);
    // 满意率, with the number of ratings it rests on below it.
    let satisfaction = move || satisfaction.map(percent).unwrap_or_else(|| s.t(Msg::StatsNone).to_owned());
    let ratings = move || fill(s.t(Msg::StatsRatings), &[("n", &rated.to_string())]);
    let categories = st.by_category.iter().map(|c| (c.category.clone(), c.figures.received)).collect::<Vec<_>>();
    let months = st.by_month.iter().map(|m| (m.month.clone(), m.figures.received)).collect::<Vec<_>>();
    let sources = st.by_source.iter().map(|c| (c.source.clone(), c.figures.received)).collect::<Vec<_>>();
    let source_name = move |name: &str| {
        qinglang_domain::intake::Source::from_name(name)
            .map_or_else(|| name.to_owned(), |c| c.label(s.lang.get()).to_owned())
    };
    let category_name = move |code: &str| s.category_name(code);
    view! {
        <section class="card">
            <dl class="figures figures-list" data-testid="figures">
                {rows
                    .into_iter()
                    .map(|(label, n)| view! { <div><dt>{s.t(label)}</dt><dd>{n}</dd></div> })
                    .collect_view()}
                <div><dt>{tr(Msg::StatsOnTime)}</dt><dd data-testid="on-time">{on_time}</dd></div>
                <div><dt>{tr(Msg::StatsMedian)}</dt><dd data-testid="median">{median}</dd></div>
                <div>
                    <dt>{tr(Msg::StatsSatisfaction)}</dt>
                    <dd data-testid="satisfaction">{satisfaction}<br/><span class="muted small">{ratings}</span></dd>
                </div>
            </dl>
        </section>
        <section class="card">
            <h3>{tr(Msg::StatsByCategory)}</h3>
            {move || {
                let named = categories.iter().map(|(code, n)| (category_name(code), *n)).collect::<Vec<_>>();
                view! { <BarsAcross title=s.t(Msg::StatsByCategory) rows=named testid="chart-category"/> }
            }}
        </section>
        <section class="card">
            <h3>{tr(Msg::StatsBySource)}</h3>
            {move || {
                let named = sources.iter().map(|(name, n)| (source_name(name), *n)).collect::<Vec<_>>();
                view! { <BarsAcross title=s.t(Msg::StatsBySource) rows=named testid="chart-source"/> }
            }}
        </section>
        <section class="card">
            <h3>{tr(Msg::StatsByMonth)}</h3>
            {move || view! { <BarsUp title=s.t(Msg::StatsByMonth) columns=months.clone() testid="chart-month"/> }}
        </section>
    }
}

/// Horizontal bars, one row per label, the count written after each bar.
#[component]
fn BarsAcross(title: &'static str, rows: Vec<(String, u64)>, testid: &'static str) -> impl IntoView {
    const WIDTH: f64 = 340.0;
    const ROW: f64 = 28.0;
    // The label column is as wide as the longest label needs, between 96 and 170 units (longer
    // labels are cut with "…", the whole label in the bar's tooltip): English names such as
    // "Running a red light" no longer run off the left edge.
    const LABEL_MIN: f64 = 96.0;
    const LABEL_MAX: f64 = 170.0;
    let widest = rows.iter().map(|(label, _)| label_width(label)).fold(0.0, f64::max);
    let label_column = (widest + 8.0).clamp(LABEL_MIN, LABEL_MAX);
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let height = (rows.len().max(1) as f64) * ROW;
    let room = WIDTH - label_column - 40.0;
    view! {
        <svg class="chart" data-testid=testid viewBox=format!("0 0 {WIDTH} {height}") width="100%" role="img" aria-label=title>
            {rows.into_iter().enumerate().map(|(i, (label, n))| {
                let y = i as f64 * ROW;
                let w = (n as f64 / max * room).max(if n > 0 { 2.0 } else { 0.0 });
                view! {
                    <g class="bar" data-label=label.clone() data-value=n>
                        <title>{label.clone()}</title>
                        <text x=label_column - 6.0 y=y + 18.0 text-anchor="end" class="chart-label">{fit_label(&label, label_column - 8.0)}</text>
                        <rect x=label_column y=y + 6.0 width=w height=ROW - 10.0 rx="3" class="chart-bar"></rect>
                        <text x=label_column + w + 6.0 y=y + 18.0 class="chart-value">{n}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// About how wide `label` is in 12 px chart text, in SVG units (the chart is drawn 340 units wide,
/// about as many pixels on a phone): ideographs and other wide characters 12, ASCII 7.
fn label_width(label: &str) -> f64 {
    label.chars().map(|c| if c.is_ascii() { 7.0 } else { 12.0 }).sum()
}

/// `label` if it fits in `room` units, else as much of it as fits followed by "…".
fn fit_label(label: &str, room: f64) -> String {
    if label_width(label) <= room {
        return label.to_owned();
    }
    let mut used = label_width("…");
    let mut out = String::new();
    for c in label.chars() {
        used += label_width(c.encode_utf8(&mut [0; 4]));
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Vertical bars, one column per label (a month), the count above each bar and the label below.
#[component]
fn BarsUp(title: &'static str, columns: Vec<(String, u64)>, testid: &'static str) -> impl IntoView {
    const WIDTH: f64 = 340.0;
    const HEIGHT: f64 = 160.0;
    const TOP: f64 = 18.0;
    const BOTTOM: f64 = 22.0;
    let max = columns.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let step = WIDTH / columns.len().max(1) as f64;
    let bar = (step * 0.6).min(36.0);
    let room = HEIGHT - TOP - BOTTOM;
    view! {
        <svg class="chart" data-testid=testid viewBox=format!("0 0 {WIDTH} {HEIGHT}") width="100%" role="img" aria-label=title>
            <line x1="0" x2=WIDTH y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM class="chart-axis"></line>
            {columns.into_iter().enumerate().map(|(i, (label, n))| {
                let cx = step * (i as f64 + 0.5);
                let h = n as f64 / max * room;
                let top = HEIGHT - BOTTOM - h;
                view! {
                    <g class="bar" data-label=label.clone() data-value=n>
                        <rect x=cx - bar / 2.0 y=top width=bar height=h rx="3" class="chart-bar"></rect>
                        <text x=cx y=top - 4.0 text-anchor="middle" class="chart-value">{n}</text>
                        <text x=cx y=HEIGHT - 6.0 text-anchor="middle" class="chart-label">{label.clone()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_cut_to_their_room_and_short_ones_kept() {
        assert_eq!(fit_label("随地吐痰", 88.0), "随地吐痰");
        assert_eq!(fit_label("Running a red light", 162.0), "Running a red light");
        let cut = fit_label("Running a red light through a school zone", 162.0);
        assert!(cut.ends_with('…') && label_width(&cut) <= 162.0, "{cut}");
        assert!("Running a red light through a school zone".starts_with(cut.trim_end_matches('…')));
        assert_eq!(fit_label("网络谣言与不实信息传播行为", 60.0), "网络谣言…");
    }
}
