//! Each log's search form as data: its fields (query parameter, label, kind of input) and the
//! lists a choice offers.

use adgang_api_types::{ActionEvent, Direction, EventLogKind, MessageEvent, MessageType, Subject};

use crate::i18n::{I18n, Key};

/// How a search field is entered.
#[derive(Clone, Copy)]
pub(super) enum Input {
    Text,
    Date,
    /// A choice among the values of one of the log's lists.
    Choice(fn(I18n) -> Vec<(&'static str, &'static str)>),
}

/// One field of a log's search form: its query parameter, label and kind of input.
#[derive(Clone, Copy)]
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) label: Key,
    pub(super) input: Input,
}

// The options of a choice, as (wire value, label in the language shown: issue 32 item 9, the
// English page is English throughout).

pub(super) fn message_types(i18n: I18n) -> Vec<(&'static str, &'static str)> {
    MessageType::ALL
        .into_iter()
        .map(|t| (t.as_str(), i18n.either(t.danish(), t.english())))
        .collect()
}

fn directions(i18n: I18n) -> Vec<(&'static str, &'static str)> {
    [Direction::Outgoing, Direction::Incoming]
        .into_iter()
        .map(|d| (d.as_str(), i18n.either(d.danish(), d.english())))
        .collect()
}

fn message_events(i18n: I18n) -> Vec<(&'static str, &'static str)> {
    MessageEvent::ALL
        .into_iter()
        .map(|e| (e.as_str(), i18n.either(e.danish(), e.english())))
        .collect()
}

fn subjects(i18n: I18n) -> Vec<(&'static str, &'static str)> {
    Subject::ALL
        .into_iter()
        .map(|s| (s.as_str(), i18n.either(s.danish(), s.english())))
        .collect()
}

fn action_events(i18n: I18n) -> Vec<(&'static str, &'static str)> {
    ActionEvent::ALL
        .into_iter()
        .map(|e| (e.as_str(), i18n.either(e.danish(), e.english())))
        .collect()
}

const PERIOD: [Field; 2] = [
    Field {
        name: "from",
        label: Key::log_from,
        input: Input::Date,
    },
    Field {
        name: "to",
        label: Key::log_to,
        input: Input::Date,
    },
];

const MESSAGE_FIELDS: &[Field] = &[
    PERIOD[0],
    PERIOD[1],
    Field {
        name: "sender",
        label: Key::log_sender,
        input: Input::Text,
    },
    Field {
        name: "recipient",
        label: Key::log_recipient,
        input: Input::Text,
    },
    Field {
        name: "messageType",
        label: Key::log_type,
        input: Input::Choice(message_types),
    },
    Field {
        name: "direction",
        label: Key::log_direction,
        input: Input::Choice(directions),
    },
    Field {
        name: "messageId",
        label: Key::log_message_id,
        input: Input::Text,
    },
    Field {
        name: "systemId",
        label: Key::log_system_id,
        input: Input::Text,
    },
    Field {
        name: "event",
        label: Key::log_event,
        input: Input::Choice(message_events),
    },
];

const ACTION_FIELDS: &[Field] = &[
    PERIOD[0],
    PERIOD[1],
    Field {
        name: "subject",
        label: Key::log_subject,
        input: Input::Choice(subjects),
    },
    Field {
        name: "party",
        label: Key::log_party,
        input: Input::Text,
    },
    Field {
        name: "actor",
        label: Key::log_actor,
        input: Input::Text,
    },
    Field {
        name: "objectId",
        label: Key::log_object_id,
        input: Input::Text,
    },
    Field {
        name: "event",
        label: Key::log_event,
        input: Input::Choice(action_events),
    },
];

const SEARCH_FIELDS: &[Field] = &[
    PERIOD[0],
    PERIOD[1],
    Field {
        name: "rid",
        label: Key::log_rid,
        input: Input::Text,
    },
    Field {
        name: "searchData",
        label: Key::log_search_data,
        input: Input::Text,
    },
];

pub(super) fn fields(log: EventLogKind) -> &'static [Field] {
    match log {
        EventLogKind::Messages => MESSAGE_FIELDS,
        EventLogKind::Actions => ACTION_FIELDS,
        EventLogKind::Searches => SEARCH_FIELDS,
    }
}
