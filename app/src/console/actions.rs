//! The forms of the case page's actions, one small component per action: [`ActionForm`] picks the
//! one for an action kind, and each puts its own fields inside [`ActionShell`], which sends the
//! request the fields build and shows the refusal. A new workflow action is a new component here and
//! one arm in [`ActionForm`].

use std::sync::Arc;

use leptos::prelude::*;
use qinglang_domain::Lang;
use qinglang_domain::api::{CaseActionRequest, EscalationTarget, StaffName};
use qinglang_domain::workflow::{
    ActionKind, CaseId, RejectReason, Role, SHANGHAI_UTC_OFFSET_MINUTES, StaffId, local_day_end, may_be_assigned,
};

use super::api;
use super::i18n::Text;
use super::{console, ct, staff_label};
use crate::state;

/// The label of an action's button and form.
pub fn action_label(kind: ActionKind) -> Text {
    match kind {
        ActionKind::Accept => Text::ActAccept,
        ActionKind::Reject => Text::ActReject,
        ActionKind::Transfer => Text::ActTransfer,
        ActionKind::Feedback => Text::ActFeedback,
        ActionKind::Resolve => Text::ActResolve,
        ActionKind::Merge => Text::ActMerge,
        ActionKind::Assign => Text::ActAssign,
        ActionKind::Remind => Text::ActRemind,
        ActionKind::Supervise => Text::ActSupervise,
        ActionKind::Reply => Text::ActReply,
        ActionKind::Return => Text::ActReturn,
        ActionKind::Refer => Text::ActRefer,
        ActionKind::Extend => Text::ActExtend,
        ActionKind::GrantExtension => Text::ActGrantExtension,
        ActionKind::RefuseExtension => Text::ActRefuseExtension,
        ActionKind::Consult => Text::ActConsult,
        ActionKind::Opinion => Text::ActOpinion,
        ActionKind::Conclude => Text::ActConclude,
        ActionKind::Assist => Text::ActAssist,
        ActionKind::AssistReply => Text::ActAssistReply,
        ActionKind::EscalateToParent => Text::ActEscalateToParent,
        ActionKind::TakeOver => Text::ActTakeOver,
        ActionKind::Guide => Text::ActGuide,
        ActionKind::Delegate => Text::ActDelegate,
        ActionKind::Approve => Text::ActApprove,
        ActionKind::SendBack => Text::ActSendBack,
        // Reopen, rate and escalate are never offered to staff (not in allowed_actions).
        ActionKind::Note | ActionKind::Reopen | ActionKind::Rate | ActionKind::Escalate => Text::ActNote,
    }
}

/// Why an action form was not sent: a console text, or the sentence of the refusal the server would
/// give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Text(Text),
    Code(qinglang_domain::ErrorCode),
}

impl From<Text> for Problem {
    fn from(text: Text) -> Problem {
        Problem::Text(text)
    }
}

impl Problem {
    fn message(self, lang: Lang) -> String {
        match self {
            Problem::Text(text) => text.text(lang).to_owned(),
            Problem::Code(code) => code.message(lang).to_owned(),
        }
    }
}

/// Reply templates: common closing texts, in the console's language.
const TEMPLATES: [Text; 4] = [Text::TplResolved, Text::TplRemoved, Text::TplNeedInfo, Text::TplNotFound];

/// What every action form gets from the case page.
#[derive(Clone)]
pub struct FormContext {
    /// The case.
    pub case_id: i64,
    /// Called with the case's new `updated_at` and the office holding it now, once the action went
    /// through.
    pub on_done: Callback<(i64, String)>,
    /// Called when the form is closed without sending.
    pub on_cancel: Callback<()>,
}

/// The form for `kind`.
#[component]
pub fn ActionForm(
    kind: ActionKind,
    cx: FormContext,
    /// The routing rules' department for a transfer.
    proposed: Option<String>,
    /// Whether the case has been with a department (a re-transfer needs a reason).
    has_department: bool,
    my_id: StaffId,
    /// The case's primary and backup handler now: the assign form starts from them.
    assigned: (Option<StaffId>, Option<StaffId>),
    /// The names the case carries, for a current handler the directory no longer lists.
    names: Arc<[StaffName]>,
    /// The office holding the case and the case's due time: a delegation goes below it, by then.
    held_by: (String, Option<i64>),
) -> impl IntoView {
    match kind {
        ActionKind::Accept => {
            view! { <ActionShell kind=kind cx=cx request=Callback::new(|()| Ok(CaseActionRequest::Accept {}))/> }
                .into_any()
        }
        ActionKind::Reject => view! { <RejectForm cx=cx/> }.into_any(),
        ActionKind::Transfer => {
            view! { <TransferForm cx=cx proposed=proposed has_department=has_department office=held_by.0/> }.into_any()
        }
        ActionKind::Merge => view! { <MergeForm cx=cx/> }.into_any(),
        ActionKind::Assign => view! { <AssignForm cx=cx my_id=my_id assigned=assigned names=names/> }.into_any(),
        ActionKind::Extend => view! { <ExtendForm cx=cx/> }.into_any(),
        ActionKind::Consult => view! { <ConsultForm cx=cx office=held_by.0/> }.into_any(),
        ActionKind::Assist => view! { <AssistForm cx=cx office=held_by.0/> }.into_any(),
        ActionKind::Refer => view! { <ReferForm cx=cx/> }.into_any(),
        ActionKind::AssistReply => view! { <AssistReplyForm cx=cx/> }.into_any(),
        ActionKind::Delegate => view! { <DelegateForm cx=cx held_by=held_by/> }.into_any(),
        _ => view! { <TextForm kind=kind cx=cx/> }.into_any(),
    }
}

/// The frame of every action form: heading, the action's own fields (`children`), the refusal, and
/// confirm and cancel. Confirm builds the request with `request` and sends it; a local problem is
/// shown without sending.
#[component]
fn ActionShell(
    kind: ActionKind,
    cx: FormContext,
    request: Callback<(), Result<CaseActionRequest, Problem>>,
    /// The error line, for fields that clear it as they change.
    #[prop(optional)]
    error: Option<RwSignal<Option<String>>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let s = state();
    let busy = RwSignal::new(false);
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    let lang = move || s.lang.get_untracked();
    let FormContext { case_id, on_done, on_cancel } = cx;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = match request.run(()) {
            Ok(action) => action,
            Err(problem) => {
                error.set(Some(problem.message(lang())));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::act(case_id, action).await {
                Ok(done) => on_done.run((done.case.updated_at, done.case.office)),
                Err(e) => {
                    error.try_set(Some(e.message(lang())));
                }
            }
            busy.try_set(false);
        });
    };
    view! {
        <form class="c-action-form" on:submit=submit aria-label=ct(action_label(kind))>
            <h3>{ct(action_label(kind))}</h3>
            {children.map(|children| children())}
            <p class="error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <div class="c-form-buttons">
                <button type="submit" class="c-btn c-btn-primary" disabled=move || busy.get()>
                    {move || if busy.get() { Text::Working.text(s.lang.get()) } else { Text::Confirm.text(s.lang.get()) }}
                </button>
                <button type="button" class="c-btn" on:click=move |_| on_cancel.run(())>{ct(Text::Cancel)}</button>
            </div>
        </form>
    }
}

/// A free-text field of an action form.
#[component]
fn TextField(label: Text, text: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="act-text">{ct(label)}</label>
            <textarea id="act-text" rows="4" maxlength="2000" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
        </div>
    }
}

/// The actions that are a text and nothing else: feedback, resolve and reply (with the reply
/// templates), remind, supervise, note.
#[component]
fn TextForm(kind: ActionKind, cx: FormContext) -> impl IntoView {
    let s = state();
    let text = RwSignal::new(String::new());
    let request = Callback::new(move |()| {
        let t = text.get_untracked().trim().to_owned();
        let optional = matches!(
            kind,
            ActionKind::Remind | ActionKind::GrantExtension | ActionKind::TakeOver | ActionKind::Approve
        );
        if t.is_empty() && !optional {
            return Err(Text::Required.into());
        }
        Ok(match kind {
            ActionKind::EscalateToParent => CaseActionRequest::Escalate { to: EscalationTarget::Parent, reason: t },
            ActionKind::TakeOver => CaseActionRequest::TakeOver { note: t },
            ActionKind::Guide => CaseActionRequest::Guide { text: t },
            ActionKind::Approve => CaseActionRequest::Approve { note: t },
            ActionKind::SendBack => CaseActionRequest::SendBack { reason: t },
            ActionKind::Remind => CaseActionRequest::Remind { note: t },
            ActionKind::Return => CaseActionRequest::Return { reason: t },
            ActionKind::GrantExtension => CaseActionRequest::GrantExtension { note: t },
            ActionKind::RefuseExtension => CaseActionRequest::RefuseExtension { note: t },
            ActionKind::Opinion => CaseActionRequest::Opinion { text: t },
            ActionKind::Conclude => CaseActionRequest::Conclude { text: t },
            ActionKind::Feedback => CaseActionRequest::Feedback { text: t },
            ActionKind::Resolve => CaseActionRequest::Resolve { reply: t },
            ActionKind::Supervise => CaseActionRequest::Supervise { note: t },
            ActionKind::Reply => CaseActionRequest::Reply { text: t },
            _ => CaseActionRequest::Note { text: t },
        })
    });
    let label = match kind {
        ActionKind::Resolve | ActionKind::Reply => Text::ReplyText,
        ActionKind::Feedback => Text::FeedbackText,
        ActionKind::Remind => Text::RemindText,
        ActionKind::Supervise => Text::SuperviseText,
        ActionKind::Return => Text::ReturnReason,
        ActionKind::GrantExtension | ActionKind::RefuseExtension => Text::DecisionNote,
        ActionKind::Opinion => Text::OpinionText,
        ActionKind::Conclude => Text::ConclusionText,
        ActionKind::EscalateToParent => Text::EscalateReason,
        ActionKind::TakeOver => Text::TakeOverNote,
        ActionKind::Guide => Text::GuideText,
        ActionKind::Approve => Text::ApproveNote,
        ActionKind::SendBack => Text::SendBackReason,
        _ => Text::NoteText,
    };
    view! {
        <ActionShell kind=kind cx=cx request=request>
            {matches!(kind, ActionKind::Resolve | ActionKind::Reply).then(|| view! {
                <div class="field">
                    <label for="act-template">{ct(Text::Template)}</label>
                    <select id="act-template" on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>()
                            && let Some(t) = TEMPLATES.get(i)
                        {
                            text.set(t.text(s.lang.get_untracked()).to_owned());
                        }
                    }>
                        <option value="">"—"</option>
                        {TEMPLATES.iter().enumerate().map(|(i, t)| {
                            let t = *t;
                            view! { <option value=i.to_string()>{move || t.text(s.lang.get()).chars().take(24).collect::<String>() + "…"}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <TextField label=label text=text/>
        </ActionShell>
    }
}

/// Reject (不予受理): a reason from the list, and words (required for "other").
#[component]
fn RejectForm(cx: FormContext) -> impl IntoView {
    let s = state();
    let text = RwSignal::new(String::new());
    let reason = RwSignal::new(RejectReason::OutOfScope);
    let request = Callback::new(move |()| {
        let t = text.get_untracked().trim().to_owned();
        if reason.get_untracked() == RejectReason::Other && t.is_empty() {
            return Err(Text::OtherNeedsText.into());
        }
        Ok(CaseActionRequest::Reject { reason: reason.get_untracked(), text: t })
    });
    view! {
        <ActionShell kind=ActionKind::Reject cx=cx request=request>
            <fieldset class="c-reasons">
                <legend>{ct(Text::Reason)}</legend>
                {RejectReason::ALL.into_iter().map(|r| view! {
                    <label class="c-check">
                        <input type="radio" name="reject-reason" prop:checked=move || reason.get() == r on:change=move |_| reason.set(r)/>
                        <span>{move || r.label(s.lang.get())}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <TextField label=Text::MoreWords text=text/>
        </ActionShell>
    }
}

/// Transfer (转办): the department (the routing rules' proposal marked), and a reason when the case
/// has been with a department before.
#[component]
fn TransferForm(cx: FormContext, proposed: Option<String>, has_department: bool, office: String) -> impl IntoView {
    let serves = serving(office);
    let s = state();
    let text = RwSignal::new(String::new());
    let department = RwSignal::new(proposed.clone().unwrap_or_default());
    let request = Callback::new(move |()| {
        let t = text.get_untracked().trim().to_owned();
        let d = department.get_untracked().trim().to_owned();
        if d.is_empty() || (has_department && t.is_empty()) {
            return Err(Text::Required.into());
        }
        Ok(CaseActionRequest::Transfer { department: d, reason: t })
    });
    let list = console().departments;
    view! {
        <ActionShell kind=ActionKind::Transfer cx=cx request=request>
            <div class="field">
                <label for="act-dept">{ct(Text::Department)}</label>
                {move || match list.get() {
                    Some(list) => {
                        let proposed = proposed.clone();
                        view! {
                            <select id="act-dept" on:change=move |ev| department.set(event_target_value(&ev))>
                                <option value="" selected=move || department.get().is_empty()>"—"</option>
                                {list.into_iter().filter(|d| d.active && serves(d)).map(|d| {
                                    let code = d.code.clone();
                                    let mark = (proposed.as_deref() == Some(d.code.as_str())).then(|| Text::ProposedDept.text(s.lang.get()));
                                    view! {
                                        <option value=d.code.clone() selected=move || department.get() == code>
                                            {d.name(s.lang.get()).to_owned()}{mark}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }
                    None => view! {
                        <input id="act-dept" placeholder=ct(Text::DeptCode) prop:value=move || department.get()
                            on:input=move |ev| department.set(event_target_value(&ev))/>
                    }.into_any(),
                }}
            </div>
            <TextField label=Text::TransferReason text=text/>
        </ActionShell>
    }
}

/// Merge (合并): the id of the case this one duplicates.
#[component]
fn MergeForm(cx: FormContext) -> impl IntoView {
    let into = RwSignal::new(String::new());
    let request = Callback::new(move |()| {
        let id = into.get_untracked().trim().parse::<i64>().map_err(|_| Text::NotANumber)?;
        Ok(CaseActionRequest::Merge { into: CaseId(id) })
    });
    view! {
        <ActionShell kind=ActionKind::Merge cx=cx request=request>
            <div class="field">
                <label for="act-first">{ct(Text::MergeInto)}</label>
                <input id="act-first" inputmode="numeric" prop:value=move || into.get() on:input=move |ev| into.set(event_target_value(&ev))/>
            </div>
        </ActionShell>
    }
}

/// Assign (AB角): the primary handler and, optionally, a different backup.
#[component]
fn AssignForm(
    cx: FormContext,
    my_id: StaffId,
    assigned: (Option<StaffId>, Option<StaffId>),
    names: Arc<[StaffName]>,
) -> impl IntoView {
    let s = state();
    let id_text = |id: Option<StaffId>| id.map(|id| id.0.to_string()).unwrap_or_default();
    // Assigning starts from the current pair; without a primary, from the one assigning (who may be
    // assigned: only handlers and admins are offered this action).
    let first = RwSignal::new(id_text(assigned.0.or(Some(my_id))));
    let second = RwSignal::new(id_text(assigned.1));
    let error = RwSignal::new(None::<String>);
    let request = Callback::new(move |()| {
        let primary = first.get_untracked().parse().map(StaffId).map_err(|_| Text::Required)?;
        let backup = second.get_untracked().parse().map(StaffId).ok();
        if backup == Some(primary) {
            // The workflow refuses it too (`same_handler`); saying so here saves a round trip.
            return Err(Problem::Code(qinglang_domain::ErrorCode::SameHandler));
        }
        Ok(CaseActionRequest::Assign { primary, backup })
    });
    let directory = console().directory;
    // Who may be named: the directory's handlers and admins, plus the current pair even if the
    // directory no longer lists them (a disabled account), so the form shows the truth.
    let choices = move || {
        let mut list: Vec<StaffName> =
            directory.get().unwrap_or_default().into_iter().filter(|n| may_be_assigned(n.role)).collect();
        for id in [assigned.0, assigned.1].into_iter().flatten() {
            if !list.iter().any(|n| n.id == id) {
                list.push(names.iter().find(|n| n.id == id).cloned().unwrap_or(StaffName {
                    id,
                    display_name: String::new(),
                    role: Role::Handler,
                    department: None,
                    active: false,
                }));
            }
        }
        list
    };
    let options = move |chosen: RwSignal<String>| {
        let list = choices();
        let lang = s.lang.get();
        let label = |n: &StaffName| staff_label(n.id, std::slice::from_ref(n), lang);
        // Handlers first; a current handler of another role (assigned before roles were checked)
        // still shows, in their own group.
        [Role::Handler, Role::Admin, Role::Supervisor, Role::Liaison, Role::Editor]
            .into_iter()
            .map(|role| {
                let members: Vec<StaffName> = list.iter().filter(|n| n.role == role).cloned().collect();
                (!members.is_empty()).then(|| view! {
                    <optgroup label=role.label(lang)>
                        {members.into_iter().map(|n| {
                            let value = n.id.0.to_string();
                            let selected = value.clone();
                            view! {
                                <option value=value selected=move || chosen.get() == selected>
                                    {if n.display_name.is_empty() { staff_label(n.id, &[], lang) } else { label(&n) }}
                                </option>
                            }
                        }).collect_view()}
                    </optgroup>
                })
            })
            .collect_view()
    };
    let backup_options = options.clone();
    view! {
        <ActionShell kind=ActionKind::Assign cx=cx request=request error=error>
            <div class="field">
                <label for="act-first">{ct(Text::Primary)}</label>
                <select id="act-first" on:change=move |ev| { error.set(None); first.set(event_target_value(&ev)); }>
                    <option value="" disabled=true selected=move || first.get().is_empty()>{ct(Text::ChooseHandler)}</option>
                    {move || options(first)}
                </select>
            </div>
            <div class="field">
                <label for="act-second">{ct(Text::Backup)}</label>
                <select id="act-second" on:change=move |ev| { error.set(None); second.set(event_target_value(&ev)); }>
                    <option value="" selected=move || second.get().is_empty()>{ct(Text::NoBackup)}</option>
                    {move || backup_options(second)}
                </select>
            </div>
        </ActionShell>
    }
}

/// The end of the local day a date input names, in Shanghai time (the office's day).
fn day_end(date: &str) -> Result<i64, Problem> {
    local_day_end(date.trim(), SHANGHAI_UTC_OFFSET_MINUTES).ok_or(Problem::Text(Text::PickDate))
}

/// A date field (`<input type=date>`, which WeChat's browser shows as a date picker).
#[component]
pub(super) fn DateField(id: &'static str, label: Text, date: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{ct(label)}</label>
            <input id=id type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
        </div>
    }
}

/// Extend (申请延期): the new due date and why.
#[component]
fn ExtendForm(cx: FormContext) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let request = Callback::new(move |()| {
        let until = day_end(&date.get_untracked())?;
        let reason = text.get_untracked().trim().to_owned();
        if reason.is_empty() {
            return Err(Text::Required.into());
        }
        Ok(CaseActionRequest::Extend { until, reason })
    });
    view! {
        <ActionShell kind=ActionKind::Extend cx=cx request=request>
            <DateField id="act-until" label=Text::ExtendUntil date=date/>
            <TextField label=Text::ExtendReason text=text/>
        </ActionShell>
    }
}

/// Consult (会商): the departments to ask (several), the question, and the date to answer by.
#[component]
fn ConsultForm(cx: FormContext, office: String) -> impl IntoView {
    let serves = serving(office);
    let s = state();
    let text = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let request = Callback::new(move |()| {
        let departments = chosen.get_untracked();
        if departments.is_empty() {
            return Err(Text::PickDepartments.into());
        }
        let question = text.get_untracked().trim().to_owned();
        if question.is_empty() {
            return Err(Text::Required.into());
        }
        Ok(CaseActionRequest::Consult { departments, question, due_at: day_end(&date.get_untracked())? })
    });
    let list = console().departments;
    view! {
        <ActionShell kind=ActionKind::Consult cx=cx request=request>
            <fieldset class="c-reasons">
                <legend>{ct(Text::ConsultDepartments)}</legend>
                {move || list.get().unwrap_or_default().into_iter().filter(|d| d.active && serves(d)).map(|d| {
                    let code = d.code.clone();
                    let toggle = code.clone();
                    view! {
                        <label class="c-check">
                            <input type="checkbox" name="consult-dept" value=code.clone()
                                prop:checked=move || chosen.with(|c| c.contains(&code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|x| *x != toggle);
                                        if on { c.push(toggle.clone()); }
                                    });
                                }/>
                            <span>{d.name(s.lang.get()).to_owned()}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <TextField label=Text::ConsultQuestion text=text/>
            <DateField id="act-due" label=Text::AnswerBy date=date/>
        </ActionShell>
    }
}

/// Assist (协查): the agency (the police first), what to check, its case number if any, and the date.
#[component]
fn AssistForm(cx: FormContext, office: String) -> impl IntoView {
    let serves = serving(office);
    let s = state();
    let text = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let agency = RwSignal::new("police".to_owned());
    let number = RwSignal::new(String::new());
    let request = Callback::new(move |()| {
        let check = text.get_untracked().trim().to_owned();
        if check.is_empty() || agency.get_untracked().is_empty() {
            return Err(Text::Required.into());
        }
        Ok(CaseActionRequest::Assist {
            agency: agency.get_untracked(),
            check,
            reference: number.get_untracked().trim().to_owned(),
            due_at: day_end(&date.get_untracked())?,
        })
    });
    let list = console().departments;
    view! {
        <ActionShell kind=ActionKind::Assist cx=cx request=request>
            <div class="field">
                <label for="act-agency">{ct(Text::Agency)}</label>
                <select id="act-agency" on:change=move |ev| agency.set(event_target_value(&ev))>
                    {move || list.get().unwrap_or_default().into_iter().filter(|d| d.active && serves(d)).map(|d| {
                        let code = d.code.clone();
                        view! { <option value=d.code.clone() selected=move || agency.get() == code>{d.name(s.lang.get()).to_owned()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <TextField label=Text::AssistCheck text=text/>
            <div class="field">
                <label for="act-ref">{ct(Text::AssistReference)}</label>
                <input id="act-ref" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev))/>
            </div>
            <DateField id="act-due" label=Text::AnswerBy date=date/>
        </ActionShell>
    }
}

/// The agency's answer to an assistance request, with its case number.
#[component]
fn AssistReplyForm(cx: FormContext) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let request = Callback::new(move |()| {
        let t = text.get_untracked().trim().to_owned();
        if t.is_empty() {
            return Err(Text::Required.into());
        }
        Ok(CaseActionRequest::AssistReply { text: t, reference: number.get_untracked().trim().to_owned() })
    });
    view! {
        <ActionShell kind=ActionKind::AssistReply cx=cx request=request>
            <TextField label=Text::AssistAnswerText text=text/>
            <div class="field">
                <label for="act-ref">{ct(Text::AssistReference)}</label>
                <input id="act-ref" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev))/>
            </div>
        </ActionShell>
    }
}

/// Refer (属地外移交): the receiving office (from `GET /api/offices`) and why it belongs there.
#[component]
fn ReferForm(cx: FormContext) -> impl IntoView {
    let s = state();
    let office = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let offices = RwSignal::new(None::<qinglang_domain::office::OfficeTree>);
    leptos::task::spawn_local(async move {
        if let Ok(tree) = api::get::<qinglang_domain::office::OfficeTree>("/api/offices").await {
            offices.try_set(Some(tree));
        }
    });
    let request = Callback::new(move |()| {
        let (office, reason) = (office.get_untracked(), text.get_untracked().trim().to_owned());
        if office.is_empty() || reason.is_empty() {
            return Err(Text::Required.into());
        }
        Ok(CaseActionRequest::Refer { office, reason })
    });
    view! {
        <ActionShell kind=ActionKind::Refer cx=cx request=request>
            <div class="field">
                <label for="act-office">{ct(Text::ReferOffice)}</label>
                <select id="act-office" on:change=move |ev| office.set(event_target_value(&ev))>
                    <option value="" selected=move || office.get().is_empty()>"—"</option>
                    {move || offices.get().map(|tree| tree.offices.iter().map(|o| {
                        let depth = tree.ancestry(&o.code).len().max(1);
                        let label = format!("{}{}", "— ".repeat(depth - 1), o.name(s.lang.get()));
                        let code = o.code.clone();
                        view! { <option value=o.code.clone() selected=move || office.get() == code>{label}</option> }
                    }).collect_view())}
                </select>
            </div>
            <TextField label=Text::ReferReason text=text/>
        </ActionShell>
    }
}

/// Delegate (交办): an office below the one holding the case, a deadline no later than the case's
/// own (a date picked on the due day counts up to the due time itself), and instructions.
#[component]
fn DelegateForm(cx: FormContext, held_by: (String, Option<i64>)) -> impl IntoView {
    let s = state();
    let office = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let (holder, case_due) = held_by;
    let request = Callback::new(move |()| {
        let (office, note) = (office.get_untracked(), text.get_untracked().trim().to_owned());
        if office.is_empty() || note.is_empty() {
            return Err(Text::Required.into());
        }
        let picked = day_end(&date.get_untracked())?;
        let due_at = case_due.map_or(picked, |due| picked.min(due));
        Ok(CaseActionRequest::Delegate { office, due_at, note })
    });
    let offices = console().offices;
    view! {
        <ActionShell kind=ActionKind::Delegate cx=cx request=request>
            <div class="field">
                <label for="act-office">{ct(Text::DelegateOffice)}</label>
                <select id="act-office" on:change=move |ev| office.set(event_target_value(&ev))>
                    <option value="" selected=move || office.get().is_empty()>"—"</option>
                    {move || offices.get().map(|tree| {
                        let base = tree.ancestry(&holder).len();
                        tree.subtree(&holder).into_iter().skip(1).filter_map(|code| tree.get(code)).map(|o| {
                            let depth = tree.ancestry(&o.code).len().saturating_sub(base + 1);
                            let label = format!("{}{}", "— ".repeat(depth), o.name(s.lang.get()));
                            let code = o.code.clone();
                            view! { <option value=o.code.clone() selected=move || office.get() == code>{label}</option> }
                        }).collect_view()
                    })}
                </select>
            </div>
            <DateField id="act-due" label=Text::DelegateDue date=date/>
            <TextField label=Text::DelegateNote text=text/>
        </ActionShell>
    }
}

/// Whether a department serves a case held by `office` (`Department::serves`: its office or one
/// above); every department while the office tree is loading (the worker checks again).
fn serving(office: String) -> impl Fn(&qinglang_domain::taxonomy::Department) -> bool + Clone + Send + Sync + 'static {
    let offices = console().offices;
    move |d| offices.with_untracked(|t| t.as_ref().is_none_or(|t| d.serves(t, &office)))
}
