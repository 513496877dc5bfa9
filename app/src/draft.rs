//! The report being written: its steps, its fields and which rules each step checks.
//!
//! Plain data and pure functions (no signals, no browser), so the flow's logic is unit-tested
//! natively. The rules themselves come from `qinglang-domain`, the same code the worker runs.

use qinglang_domain::api::NewReport;
use qinglang_domain::report::{self, FieldError};
use qinglang_domain::{CategoryKind, Contact, ErrorCode, Report, Taxonomy};
use serde::{Deserialize, Serialize};

/// The steps of the report flow, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Step {
    /// Pick a category.
    #[default]
    Category,
    /// Describe it.
    Details,
    /// Photos and screenshots (optional).
    Evidence,
    /// Contact details or anonymous.
    Contact,
    /// Check and send.
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 5] = [Step::Category, Step::Details, Step::Evidence, Step::Contact, Step::Review];

    /// 1-based position, for "step 2 of 4".
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).map_or(1, |i| i + 1)
    }

    /// The step after this one.
    pub fn next(self) -> Step {
        Step::ALL.get(self.number()).copied().unwrap_or(Step::Review)
    }

    /// The step before this one.
    pub fn previous(self) -> Step {
        Step::ALL.get(self.number().saturating_sub(2)).copied().unwrap_or(Step::Category)
    }
}

/// Everything typed so far. Saved on the phone after each change so a reload loses nothing
/// and a resend reuses the same idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Draft {
    /// Made once when the draft starts; sent with every attempt.
    pub idempotency_key: String,
    /// Where the flow is.
    pub step: Step,
    /// Chosen category code.
    pub category: Option<String>,
    /// What the reporter saw.
    pub description: String,
    /// Link rows (the form always shows at least one).
    pub links: Vec<String>,
    /// Platform, for online items.
    pub platform: String,
    /// Account, for online items.
    pub account: String,
    /// District code, for offline items.
    pub district: String,
    /// Place in words, for offline items.
    pub location: String,
    /// The reporter chose not to leave contact details.
    pub anonymous: bool,
    /// Name, if not anonymous.
    pub name: String,
    /// Phone, if not anonymous.
    pub phone: String,
    /// Poster code from the QR link.
    pub channel: Option<String>,
    /// Whether the channel was told this draft started (once per draft).
    #[serde(default)]
    pub channel_started: bool,
    /// The office's own entry address (`/report?o=CODE`): the report lands there.
    #[serde(default)]
    pub office: Option<String>,
}

impl Draft {
    /// A fresh draft with its idempotency key and the poster it came from.
    pub fn new(idempotency_key: String, channel: Option<String>) -> Draft {
        Draft { idempotency_key, links: vec![String::new()], anonymous: true, channel, ..Draft::default() }
    }

    /// The request body this draft becomes.
    pub fn to_request(&self) -> NewReport {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        NewReport {
            idempotency_key: self.idempotency_key.clone(),
            category: self.category.clone().unwrap_or_default(),
            description: self.description.clone(),
            links: self.links.iter().filter(|l| !l.trim().is_empty()).cloned().collect(),
            platform: opt(&self.platform),
            account: opt(&self.account),
            location: opt(&self.location),
            district: opt(&self.district),
            channel: self.channel.clone(),
            // The upload ids are filled in by the report flow once every picture is uploaded.
            evidence: Vec::new(),
            // The coarse position is added by the outbox (public/outbox.js) if the citizen shared it.
            position: None,
            // The office of the entry address, if any; else the worker follows the poster, then the
            // locality, then the root office.
            office: self.office.clone(),
            contact: if self.anonymous {
                None
            } else {
                Some(Contact { name: opt(&self.name), phone: opt(&self.phone) })
            },
        }
    }

    /// Whether the chosen category is about something in the street.
    pub fn is_offline(&self, taxonomy: &Taxonomy) -> bool {
        self.category.as_deref().and_then(|c| taxonomy.category(c)).is_some_and(|c| c.kind == CategoryKind::Offline)
    }

    /// The problems with the fields `step` asks for; empty when the step may be left.
    /// Field names match the API's (`links.0`, `contact.phone` …) so a server refusal lands
    /// on the same field.
    pub fn errors(&self, step: Step, taxonomy: &Taxonomy) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |field: &str, code: ErrorCode| errors.push(FieldError { field: field.to_owned(), code });
        let category = self.category.as_deref().and_then(|c| taxonomy.selectable(c));
        match step {
            Step::Category => {
                if category.is_none() {
                    push("category", ErrorCode::UnknownCategory);
                }
            }
            Step::Details => {
                if let Err(code) = report::validate_description(&self.description) {
                    push("description", code);
                }
                let mut n_links = 0;
                for (i, link) in self.links.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    n_links += 1;
                    if let Err(code) = report::normalise_link(link) {
                        push(&format!("links.{i}"), code);
                    }
                }
                if n_links > report::MAX_LINKS {
                    push("links", ErrorCode::TooManyLinks);
                }
                if category.is_some_and(|c| c.requires_link) && n_links == 0 {
                    push("links", ErrorCode::LinkRequired);
                }
                for (field, value) in
                    [("platform", &self.platform), ("account", &self.account), ("location", &self.location)]
                {
                    if let Err(code) = report::short_field(Some(value)) {
                        push(field, code);
                    }
                }
                if category.is_some_and(|c| c.requires_location) && self.district.trim().is_empty() {
                    push("district", ErrorCode::LocationRequired);
                }
            }
            Step::Evidence => {}
            Step::Contact => {
                let contact = Contact { name: Some(self.name.clone()), phone: Some(self.phone.clone()) };
                if !self.anonymous
                    && let Err(e) = report::validate_contact(&contact)
                {
                    errors.push(e);
                }
            }
            Step::Review => {
                if let Err(e) = Report::validate(&self.to_request(), taxonomy) {
                    errors.push(e);
                }
            }
        }
        errors
    }

    /// The step that asks for `field`, to send the user back to it after a refusal.
    pub fn step_of_field(field: &str) -> Step {
        match field.split('.').next().unwrap_or_default() {
            "category" => Step::Category,
            "contact" => Step::Contact,
            "evidence" => Step::Evidence,
            "idempotency_key" | "channel" => Step::Review,
            _ => Step::Details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        let mut d = Draft::new("0f3c5a9e2b1d4c6e8a7f1234567890ab".to_owned(), Some("bus-12".to_owned()));
        d.category = Some("rumor".to_owned());
        d.description = "群里说明天全市停水".to_owned();
        d.links = vec!["https://weibo.com/1".to_owned(), String::new()];
        d
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, ErrorCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn steps_walk_in_order() {
        assert_eq!(Step::Category.next(), Step::Details);
        assert_eq!(Step::Contact.next(), Step::Review);
        assert_eq!(Step::Review.next(), Step::Review);
        assert_eq!(Step::Details.previous(), Step::Category);
        assert_eq!(Step::Category.previous(), Step::Category);
        assert_eq!(Step::Review.number(), 5);
        assert_eq!(Step::Details.next(), Step::Evidence);
    }

    #[test]
    fn a_complete_draft_passes_every_step() {
        let t = Taxonomy::default_set();
        for step in Step::ALL {
            assert!(draft().errors(step, &t).is_empty(), "{step:?}");
        }
        let request = draft().to_request();
        assert_eq!(request.links, vec!["https://weibo.com/1".to_owned()], "empty link rows are not sent");
        assert_eq!(request.contact, None, "anonymous drafts send no contact");
        assert_eq!(request.channel.as_deref(), Some("bus-12"));
    }

    #[test]
    fn each_step_reports_its_own_fields() {
        let t = Taxonomy::default_set();
        let mut d = draft();
        d.category = None;
        assert_eq!(fields(d.errors(Step::Category, &t)), vec![("category".to_owned(), ErrorCode::UnknownCategory)]);

        let mut d = draft();
        d.description = " ".to_owned();
        d.links = vec![String::new(), "javascript:alert(1)".to_owned()];
        assert_eq!(
            fields(d.errors(Step::Details, &t)),
            vec![
                ("description".to_owned(), ErrorCode::DescriptionEmpty),
                ("links.1".to_owned(), ErrorCode::LinkScheme)
            ]
        );

        let mut d = draft();
        d.category = Some("spitting".to_owned());
        assert_eq!(fields(d.errors(Step::Details, &t)), vec![("district".to_owned(), ErrorCode::LocationRequired)]);

        let mut d = draft();
        d.anonymous = false;
        d.phone = "12345".to_owned();
        assert_eq!(fields(d.errors(Step::Contact, &t)), vec![("contact.phone".to_owned(), ErrorCode::PhoneInvalid)]);
        d.anonymous = true;
        assert!(d.errors(Step::Contact, &t).is_empty(), "an anonymous draft ignores a half-typed phone");
    }

    #[test]
    fn refusals_lead_back_to_their_step() {
        assert_eq!(Draft::step_of_field("links.2"), Step::Details);
        assert_eq!(Draft::step_of_field("contact.phone"), Step::Contact);
        assert_eq!(Draft::step_of_field("category"), Step::Category);
        assert_eq!(Draft::step_of_field("evidence.1"), Step::Evidence);
    }
}
