//! Channels: the posters, bus-stop boards, LED screens and leaflets whose QR code leads to the
//! report flow (`/q/{code}` → `/report?c={code}`), their admin API bodies, and the funnel figures
//! counted per channel (scans → reports started → reports submitted).

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::report::{FieldError, SHORT_FIELD_MAX_CHARS, validate_channel_code};
use crate::taxonomy::Taxonomy;

/// Where a QR code is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChannelKind {
    /// A poster in a street, a community centre or a building.
    Poster,
    /// A board at a bus stop.
    BusStop,
    /// An LED screen.
    LedScreen,
    /// A leaflet handed out.
    Leaflet,
}

impl ChannelKind {
    /// The snake_case name stored in D1.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Poster => "poster",
            ChannelKind::BusStop => "bus_stop",
            ChannelKind::LedScreen => "led_screen",
            ChannelKind::Leaflet => "leaflet",
        }
    }

    /// Reads the stored name back.
    pub fn from_name(name: &str) -> Option<ChannelKind> {
        [ChannelKind::Poster, ChannelKind::BusStop, ChannelKind::LedScreen, ChannelKind::Leaflet]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// `POST /api/admin/channels` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewChannel {
    /// 1–32 letters, digits and dashes; stored lower-case. It is printed in the QR's URL.
    pub code: String,
    /// The place, as a citizen would name it (人民广场公交站).
    pub place: String,
    /// District code from the taxonomy; pre-fills the report flow's district.
    #[serde(default)]
    pub district: Option<String>,
    /// Kind of placement.
    pub kind: ChannelKind,
    /// The office its reports land at (the admin's own office or one below it); the admin's own
    /// office when absent.
    #[serde(default)]
    pub office: Option<String>,
}

/// `PATCH /api/admin/channels/{code}` body: the fields to change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelPatch {
    /// New place name.
    #[serde(default)]
    pub place: Option<String>,
    /// New district; `""` clears it.
    #[serde(default)]
    pub district: Option<String>,
    /// New kind.
    #[serde(default)]
    pub kind: Option<ChannelKind>,
    /// Take the poster out of use (its QR then leads to the plain report flow) or back in.
    #[serde(default)]
    pub active: Option<bool>,
    /// Move the poster (its future reports) to another office within the admin's reach.
    #[serde(default)]
    pub office: Option<String>,
}

/// A channel as admins see it, with its funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Channel {
    /// Its code.
    pub code: String,
    /// Place name.
    pub place: String,
    /// District code.
    #[serde(default)]
    pub district: Option<String>,
    /// Kind of placement.
    pub kind: ChannelKind,
    /// Whether scans count and lead to the report flow with the channel attached.
    pub active: bool,
    /// The office its reports land at.
    #[serde(default = "root_office")]
    pub office: String,
    /// The staff id that registered it.
    pub created_by: i64,
    /// When, milliseconds since the Unix epoch.
    pub created_at: i64,
    /// The short URL path its QR encodes (`/q/{code}`).
    pub short_path: String,
    /// Scans, reports started and reports submitted.
    pub funnel: Funnel,
}

fn root_office() -> String {
    crate::office::ROOT.to_owned()
}

/// The funnel of one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funnel {
    /// Times its QR was opened (`/q/{code}`).
    pub scans: u64,
    /// Drafts started from it (once per idempotency key).
    pub started: u64,
    /// Reports submitted from it.
    pub submitted: u64,
}

/// `GET /api/admin/channels` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelList {
    /// Every channel, newest first.
    pub items: Vec<Channel>,
}

/// `GET /api/channels/{code}` answer, public: what the report flow pre-fills. Nothing else about
/// a channel (who registered it, its figures) is public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelPublic {
    /// District code, if the channel has one.
    #[serde(default)]
    pub district: Option<String>,
    /// Place name.
    pub place: String,
}

/// `POST /api/channels/{code}/started` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelStarted {
    /// The draft's idempotency key: a draft counts once however often it is sent.
    pub idempotency_key: String,
}

/// A channel that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidChannel {
    /// Lower-case code.
    pub code: String,
    /// Trimmed place name.
    pub place: String,
    /// Known district code.
    pub district: Option<String>,
    /// Kind.
    pub kind: ChannelKind,
}

fn place(value: &str) -> Result<String, FieldError> {
    let field = |code| FieldError { field: "place".to_owned(), code };
    let trimmed = crate::text::written(value);
    if trimmed.is_empty() {
        return Err(field(ErrorCode::FieldRequired));
    }
    if trimmed.chars().count() > SHORT_FIELD_MAX_CHARS {
        return Err(field(ErrorCode::FieldTooLong));
    }
    Ok(trimmed)
}

fn district(value: Option<&str>, taxonomy: &Taxonomy) -> Result<Option<String>, FieldError> {
    match value.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(code) if taxonomy.selectable_district(code).is_some() => Ok(Some(code.to_owned())),
        Some(_) => Err(FieldError { field: "district".to_owned(), code: ErrorCode::UnknownDistrict }),
    }
}

impl ValidChannel {
    /// Checks a new channel against the rules and the deployment's districts.
    pub fn validate(input: &NewChannel, taxonomy: &Taxonomy) -> Result<ValidChannel, FieldError> {
        let code = validate_channel_code(&input.code).map_err(|code| FieldError { field: "code".to_owned(), code })?;
        Ok(ValidChannel {
            code,
            place: place(&input.place)?,
            district: district(input.district.as_deref(), taxonomy)?,
            kind: input.kind,
        })
    }

    /// Applies a patch to the stored channel; the result is checked as a new one would be.
    pub fn patched(&self, patch: &ChannelPatch, taxonomy: &Taxonomy) -> Result<ValidChannel, FieldError> {
        Ok(ValidChannel {
            code: self.code.clone(),
            place: match &patch.place {
                Some(p) => place(p)?,
                None => self.place.clone(),
            },
            district: match &patch.district {
                Some(d) => district(Some(d), taxonomy)?,
                None => self.district.clone(),
            },
            kind: patch.kind.unwrap_or(self.kind),
        })
    }
}

/// Where a scan of `/q/{code}` leads: the report flow with the channel attached when the code
/// names an active channel, the plain report flow otherwise (a citizen holding an old poster is
/// never sent to a dead end).
pub fn scan_target(code: &str, active: bool) -> String {
    match validate_channel_code(code) {
        Ok(code) if active => format!("/report?c={code}"),
        _ => "/report".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(code: &str, place: &str, district: Option<&str>) -> NewChannel {
        NewChannel {
            code: code.to_owned(),
            place: place.to_owned(),
            district: district.map(str::to_owned),
            kind: ChannelKind::BusStop,
            office: None,
        }
    }

    #[test]
    fn channels_are_validated_field_by_field() {
        let t = Taxonomy::default_set();
        let district = t.districts[0].code.clone();
        let ok = ValidChannel::validate(&new(" Bus-12 ", " 人民广场站 ", Some(&district)), &t).expect("valid");
        assert_eq!((ok.code.as_str(), ok.place.as_str()), ("bus-12", "人民广场站"));
        let table: [(NewChannel, (&str, ErrorCode)); 4] = [
            (new("bus 12", "x", None), ("code", ErrorCode::ChannelInvalid)),
            (new("bus-12", "  ", None), ("place", ErrorCode::FieldRequired)),
            (new("bus-12", &"长".repeat(101), None), ("place", ErrorCode::FieldTooLong)),
            (new("bus-12", "x", Some("atlantis")), ("district", ErrorCode::UnknownDistrict)),
        ];
        for (input, (field, code)) in table {
            let err = ValidChannel::validate(&input, &t).expect_err("refused");
            assert_eq!((err.field.as_str(), err.code), (field, code), "{input:?}");
        }
    }

    #[test]
    fn a_patch_keeps_what_it_does_not_name_and_can_clear_the_district() {
        let t = Taxonomy::default_set();
        let district = t.districts[0].code.clone();
        let stored = ValidChannel::validate(&new("p1", "站台", Some(&district)), &t).expect("valid");
        let patch = ChannelPatch { district: Some(String::new()), ..ChannelPatch::default() };
        let patched = stored.patched(&patch, &t).expect("valid");
        assert_eq!((patched.place.as_str(), patched.district), ("站台", None));
        let bad = ChannelPatch { place: Some(" ".to_owned()), ..ChannelPatch::default() };
        assert_eq!(stored.patched(&bad, &t).expect_err("refused").code, ErrorCode::FieldRequired);
    }

    #[test]
    fn scans_never_lead_to_a_dead_end() {
        assert_eq!(scan_target("bus-12", true), "/report?c=bus-12");
        assert_eq!(scan_target("bus-12", false), "/report");
        assert_eq!(scan_target("<script>", true), "/report");
    }

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for kind in [ChannelKind::Poster, ChannelKind::BusStop, ChannelKind::LedScreen, ChannelKind::Leaflet] {
            assert_eq!(ChannelKind::from_name(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).expect("serialises"), kind.as_str());
        }
    }
}
