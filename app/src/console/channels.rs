//! `/admin/channels` (admins): the QR channels — posters, bus-stop boards, LED screens, leaflets —
//! with their funnel (scans → reports started → reports submitted), a form to register one, the
//! A4 poster (SVG) and the bare QR code (PNG) to download, and taking a channel out of use.
//! The worker validates every field again (`qinglang_domain::channel`); its refusals name the field.

use leptos::prelude::*;
use qinglang_domain::channel::{Channel, ChannelKind, ChannelList, ChannelPatch, NewChannel};

use super::api::{self, ApiFailure};
use super::ct;
use super::i18n::Text;
use crate::state;

const KINDS: [ChannelKind; 4] =
    [ChannelKind::Poster, ChannelKind::BusStop, ChannelKind::LedScreen, ChannelKind::Leaflet];

fn kind_text(kind: ChannelKind) -> Text {
    match kind {
        ChannelKind::Poster => Text::KindPoster,
        ChannelKind::BusStop => Text::KindBusStop,
        ChannelKind::LedScreen => Text::KindLedScreen,
        ChannelKind::Leaflet => Text::KindLeaflet,
    }
}

/// A refusal with the field it names, or any other failure.
fn failure(e: &ApiFailure) -> impl IntoView + use<> {
    let lang = state().lang;
    let e = e.clone();
    move || match &e {
        ApiFailure::Refused(body) => {
            let field = body.field.clone().map(|f| format!("{f}: ")).unwrap_or_default();
            format!("{field}{}", body.error.message(lang.get()))
        }
        other => other.message(lang.get()).to_owned(),
    }
}

/// The district's name from the loaded taxonomy, else its code.
fn district_name(code: &str) -> String {
    let s = state();
    let lang = s.lang.get();
    s.taxonomy
        .with(|t| {
            t.as_ref()
                .and_then(|t| t.as_ref().ok())
                .and_then(|t| t.districts.iter().find(|d| d.code == code).map(|d| d.name(lang).to_owned()))
        })
        .unwrap_or_else(|| code.to_owned())
}

/// Submitted reports per 100 scans, as a whole number ("—" before the first scan).
fn conversion(scans: u64, submitted: u64) -> String {
    (submitted * 100 + scans / 2).checked_div(scans).map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

/// One channel's row.
fn row(c: Channel, toggle: impl Fn(String, bool) + Copy + 'static) -> impl IntoView {
    let code = c.code.clone();
    let district = c.district.clone();
    let svg = format!("/api/admin/channels/{}/poster.svg", c.code);
    let png = format!("/api/admin/channels/{}/poster.png", c.code);
    let active = c.active;
    view! {
        <tr data-channel=c.code.clone() class:c-internal=!active>
            <td><code class="c-code">{c.code.clone()}</code><br/><span class="muted small">{c.short_path.clone()}</span></td>
            <td>{c.place.clone()}</td>
            <td>{move || district.as_deref().map(district_name)}</td>
            <td>{ct(kind_text(c.kind))}</td>
            <td data-testid="scans">{c.funnel.scans}</td>
            <td data-testid="started">{c.funnel.started}</td>
            <td data-testid="submitted">{c.funnel.submitted}</td>
            <td>{conversion(c.funnel.scans, c.funnel.submitted)}</td>
            <td class="c-nowrap">
                <a class="c-link" href=svg download=format!("poster-{}.svg", c.code)>{ct(Text::PosterSvg)}</a>
                " "
                <a class="c-link" href=png download=format!("poster-{}.png", c.code)>{ct(Text::PosterPng)}</a>
            </td>
            <td>
                {if active { ct(Text::Active)() } else { ct(Text::Disabled)() }}
                " "
                <button type="button" class="c-btn" on:click=move |_| toggle(code.clone(), !active)>
                    {ct(if active { Text::Disable } else { Text::Enable })}
                </button>
            </td>
        </tr>
    }
}

/// `/admin/channels`.
#[component]
pub fn ChannelsPage() -> impl IntoView {
    let s = state();
    let list = RwSignal::new(None::<Result<ChannelList, ApiFailure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let r = api::get::<ChannelList>("/api/admin/channels").await;
            list.try_set(Some(r));
        })
    };
    reload();
    let list_status = RwSignal::new(None::<ApiFailure>);
    let toggle = move |code: String, active: bool| {
        leptos::task::spawn_local(async move {
            let patch = ChannelPatch { active: Some(active), ..ChannelPatch::default() };
            let r = api::patch::<Channel, _>(&format!("/api/admin/channels/{code}"), &patch).await;
            list_status.try_set(r.err());
            reload();
        });
    };
    let code = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let district = RwSignal::new(String::new());
    let kind = RwSignal::new(ChannelKind::Poster);
    let office = RwSignal::new(String::new());
    let offices = super::console().offices;
    let session = super::console().session;
    let office_options = Memo::new(move |_| {
        let mine = session.with(|m| m.as_ref().map(|m| m.staff.office.clone())).unwrap_or_default();
        offices.get().map_or_else(Vec::new, |tree| super::offices_below(&tree, &mine, s.lang.get()))
    });
    let outcome = RwSignal::new(None::<Result<String, ApiFailure>>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewChannel {
            code: code.get_untracked().trim().to_owned(),
            place: place.get_untracked().trim().to_owned(),
            district: Some(district.get_untracked()).filter(|d| !d.is_empty()),
            kind: kind.get_untracked(),
            office: Some(office.get_untracked()).filter(|o| !o.is_empty()),
        };
        leptos::task::spawn_local(async move {
            let r = api::post::<Channel, _>("/api/admin/channels", &input).await;
            if r.is_ok() {
                code.try_set(String::new());
                place.try_set(String::new());
                reload();
            }
            outcome.try_set(Some(r.map(|c| c.code)));
        });
    };
    let district_options = move || {
        let lang = s.lang.get();
        s.taxonomy.get().and_then(Result::ok).map(|t| {
            t.districts
                .into_iter()
                .filter(|d| d.active)
                .map(|d| view! { <option value=d.code.clone()>{d.name(lang).to_owned()}</option> })
                .collect_view()
        })
    };
    view! {
        <section class="c-panel" data-testid="channels">
            <h1>{ct(Text::NavChannels)}</h1>
            <p class="muted small">{ct(Text::ChannelsIntro)}</p>
            {move || match list.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{failure(&e)}</p> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! { <p class="c-empty muted">{ct(Text::NoChannels)}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <div class="c-scroll">
                        <table class="c-table">
                            <thead><tr>
                                <th>{ct(Text::ChannelCode)}</th><th>{ct(Text::Place)}</th><th>{ct(Text::FilterDistrict)}</th>
                                <th>{ct(Text::WebhookKind)}</th><th>{ct(Text::Scans)}</th><th>{ct(Text::Started)}</th>
                                <th>{ct(Text::Submitted)}</th><th>{ct(Text::Conversion)}</th><th>{ct(Text::Posters)}</th>
                                <th>{ct(Text::Active)}</th>
                            </tr></thead>
                            <tbody>{l.items.into_iter().map(|c| row(c, toggle)).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
            {move || list_status.get().map(|e| view! { <p class="error" role="alert">{failure(&e)}</p> })}
        </section>
        <section class="c-panel">
            <h2>{ct(Text::NewChannel)}</h2>
            <form class="c-action-form" on:submit=create>
                <label class="field">{ct(Text::ChannelCodeHint)}
                    <input required bind:value=code autocomplete="off" maxlength="32"/>
                </label>
                <label class="field">{ct(Text::Place)}
                    <input required bind:value=place/>
                </label>
                <label class="field">{ct(Text::FilterDistrict)}
                    <select on:change=move |ev| district.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {district_options}
                    </select>
                </label>
                <label class="field" hidden=move || office_options.with(Vec::len) < 2>{ct(Text::HeldByOffice)}
                    <select data-testid="channel-office" on:change=move |ev| office.set(event_target_value(&ev))>
                        {move || office_options.get().into_iter().enumerate().map(|(i, (code, label))| {
                            let value = if i == 0 { String::new() } else { code };
                            view! { <option value=value>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">{ct(Text::WebhookKind)}
                    <select on:change=move |ev| {
                        if let Some(k) = ChannelKind::from_name(&event_target_value(&ev)) { kind.set(k); }
                    }>
                        {KINDS.into_iter().map(|k| view! { <option value=k.as_str()>{ct(kind_text(k))}</option> }).collect_view()}
                    </select>
                </label>
                <p class="c-form-buttons"><button type="submit" class="c-btn c-btn-primary">{ct(Text::Add)}</button></p>
                {move || outcome.get().map(|r| match r {
                    Ok(code) => view! { <p class="c-ok" role="status">{ct(Text::ChannelCreated)}" "<code class="c-code">{code}</code></p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{failure(&e)}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_is_a_rounded_percentage_of_scans() {
        assert_eq!(conversion(0, 0), "—");
        assert_eq!(conversion(3, 1), "33%");
        assert_eq!(conversion(8, 1), "13%");
        assert_eq!(conversion(4, 4), "100%");
    }
}
