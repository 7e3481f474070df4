//! The versioning promise of `/api/v1` (issue 34): `openapi/openapi.json` is compared with the
//! last released document, `openapi/released/v1.json`, and every breaking change must be
//! acknowledged in `openapi/CHANGELOG.md` under the heading `## Unreleased — breaking`, on a line naming
//! the operation (`POST /api/v1/memos`) or its operationId (`submit_memo`). A step of
//! `cargo xtask test`; `cargo xtask api-compat` runs it alone.
//!
//! No registry offers a breaking-change diff that runs offline on OpenAPI 3.1 (oasdiff is a Go
//! binary from GitHub; npm's `openapi-diff` reads 3.0 only; `@pb33f/openapi-changes` downloads
//! its binary on install), so this is a small one. What breaks a client:
//!
//! * a path or an operation removed; a response status code or a media type removed;
//! * a parameter that became required, or a new required one; a request body that became
//!   required or lost a media type;
//! * in a request body or parameter: a field that became required or a new required one;
//! * anywhere: an enum value removed (a client sends it, or matches on it);
//! * in a response: a property removed;
//! * a changed type: in a request, a type no longer accepted; in a response, a new one (e.g.
//!   `null`) a client does not expect.
//!
//! Added operations, optional fields, new responses and new enum values are not breaking.
//! Schemas are compared through their `$ref`s; `oneOf`/`anyOf` with `null` count as nullable,
//! `allOf` as the union of its parts.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::step;

pub const RELEASED: &str = "openapi/released/v1.json";
pub const CHANGELOG: &str = "openapi/CHANGELOG.md";
const HEADING: &str = "## Unreleased — breaking";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One breaking change: the operation it is in (`POST /api/v1/memos`, its operationId) and what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Break {
    pub operation: String,
    pub operation_id: String,
    pub what: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.operation, self.operation_id, self.what
        )
    }
}

pub fn check(root: &Path) -> Result<()> {
    step(&format!(
        "API compatibility: openapi/openapi.json against {RELEASED}"
    ));
    let read = |p: &str| -> Result<Value> {
        let text = std::fs::read_to_string(root.join(p)).with_context(|| format!("reading {p}"))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {p}"))
    };
    let (released, current) = (read(RELEASED)?, read("openapi/openapi.json")?);
    let breaks = breaking_changes(&released, &current);
    let changelog = std::fs::read_to_string(root.join(CHANGELOG)).unwrap_or_default();
    let acknowledged = acknowledged_lines(&changelog);
    let open: Vec<&Break> = breaks
        .iter()
        .filter(|b| {
            !acknowledged.iter().any(|line| {
                line.contains(&b.operation)
                    || (!b.operation_id.is_empty() && line.contains(&b.operation_id))
            })
        })
        .collect();
    eprintln!(
        "    {} breaking changes since {RELEASED}, {} acknowledged in {CHANGELOG}",
        breaks.len(),
        breaks.len() - open.len()
    );
    if open.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = open.iter().map(|b| format!("  - {b}")).collect();
    bail!(
        "breaking changes to /api/v1 that {CHANGELOG} does not acknowledge:\n{}\n\
         Undo them, or name each operation on a line under `{HEADING}` in {CHANGELOG} \
         (and plan the release that carries them).",
        list.join("\n")
    )
}

/// The lines of the changelog's `## Unreleased — breaking` section.
fn acknowledged_lines(changelog: &str) -> Vec<&str> {
    changelog
        .lines()
        .skip_while(|l| l.trim() != HEADING)
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// `/a/{id}/b` and `/a/{systemId}/b` are the same route.
fn route(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Every breaking change from `old` to `new`, sorted.
pub fn breaking_changes(old: &Value, new: &Value) -> Vec<Break> {
    let mut found = Vec::new();
    let empty = serde_json::Map::new();
    let new_paths: BTreeMap<String, &Value> = new["paths"]
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .map(|(p, v)| (route(p), v))
        .collect();
    for (path, old_item) in old["paths"].as_object().unwrap_or(&empty) {
        for method in METHODS {
            let Some(old_op) = old_item.get(method) else {
                continue;
            };
            let mut cmp = Comparison {
                old_doc: old,
                new_doc: new,
                operation: format!("{} {path}", method.to_uppercase()),
                operation_id: old_op["operationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                found: &mut found,
            };
            match new_paths
                .get(&route(path))
                .and_then(|item| item.get(method))
            {
                None => cmp.report("the operation was removed".to_owned()),
                Some(new_op) => cmp.operation(old_item, old_op, new_paths[&route(path)], new_op),
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

struct Comparison<'a> {
    old_doc: &'a Value,
    new_doc: &'a Value,
    operation: String,
    operation_id: String,
    found: &'a mut Vec<Break>,
}

/// Which way data flows: what a client sends, or what it receives.
#[derive(Clone, Copy, PartialEq)]
enum Flow {
    Request,
    Response,
}

/// A schema with its `$ref`s followed and `null` alternatives folded into `types`.
struct Shape<'a> {
    types: BTreeSet<String>,
    properties: BTreeMap<String, &'a Value>,
    required: BTreeSet<String>,
    items: Option<&'a Value>,
    enumeration: Option<Vec<Value>>,
}

fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            break;
        };
        match doc.pointer(pointer) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

fn shape<'a>(doc: &'a Value, schema: &'a Value) -> Shape<'a> {
    let schema = resolve(doc, schema);
    let mut out = Shape {
        types: BTreeSet::new(),
        properties: BTreeMap::new(),
        required: BTreeSet::new(),
        items: schema.get("items"),
        enumeration: schema.get("enum").and_then(Value::as_array).cloned(),
    };
    match schema.get("type") {
        Some(Value::String(t)) => {
            out.types.insert(t.clone());
        }
        Some(Value::Array(ts)) => {
            out.types
                .extend(ts.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        _ => {}
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        out.properties
            .extend(props.iter().map(|(k, v)| (k.clone(), v)));
    }
    if let Some(req) = schema.get("required").and_then(Value::as_array) {
        out.required
            .extend(req.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    // `allOf`: the union of its parts.
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.absorb(shape(doc, part));
    }
    // `oneOf`/`anyOf` of one schema and `null` (how a nullable reference is written): that
    // schema, nullable.
    for key in ["oneOf", "anyOf"] {
        let Some(options) = schema.get(key).and_then(Value::as_array) else {
            continue;
        };
        let (nulls, others): (Vec<&Value>, Vec<&Value>) = options
            .iter()
            .partition(|o| resolve(doc, o).get("type") == Some(&Value::from("null")));
        if let [only] = others.as_slice() {
            out.absorb(shape(doc, only));
        }
        if !nulls.is_empty() {
            out.types.insert("null".to_owned());
        }
    }
    out
}

impl<'a> Shape<'a> {
    /// Takes in what a part (of `allOf`, or the non-null alternative) says.
    fn absorb(&mut self, inner: Shape<'a>) {
        self.types.extend(inner.types);
        self.properties.extend(inner.properties);
        self.required.extend(inner.required);
        self.items = self.items.or(inner.items);
        if self.enumeration.is_none() {
            self.enumeration = inner.enumeration;
        }
    }
}

fn parameters<'a>(item: &'a Value, op: &'a Value) -> BTreeMap<(String, String), &'a Value> {
    item.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            op.get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .filter_map(|p| {
            let name = p["name"].as_str()?.to_owned();
            let location = p["in"].as_str()?.to_owned();
            Some(((location, name), p))
        })
        .collect()
}

impl Comparison<'_> {
    fn report(&mut self, what: String) {
        self.found.push(Break {
            operation: self.operation.clone(),
            operation_id: self.operation_id.clone(),
            what,
        });
    }

    fn operation(&mut self, old_item: &Value, old_op: &Value, new_item: &Value, new_op: &Value) {
        // Generated clients name their methods by the operationId.
        if let (Some(old_id), Some(new_id)) = (
            old_op["operationId"].as_str(),
            new_op["operationId"].as_str(),
        ) {
            if old_id != new_id {
                self.report(format!(
                    "operationId `{old_id}` renamed `{new_id}` (generated clients' method)"
                ));
            }
        }
        // Parameters: new required ones, ones that became required, their schemas.
        let (old_params, new_params) = (parameters(old_item, old_op), parameters(new_item, new_op));
        for ((location, name), new_param) in &new_params {
            let required = new_param["required"].as_bool().unwrap_or(false);
            let old_param = old_params.get(&(location.clone(), name.clone()));
            match old_param {
                // Path parameters are matched by position (the route), not by name.
                None if required && location != "path" => {
                    self.report(format!("new required {location} parameter `{name}`"));
                }
                Some(old_param) => {
                    if required && !old_param["required"].as_bool().unwrap_or(false) {
                        self.report(format!("{location} parameter `{name}` became required"));
                    }
                    let at = format!("{location} parameter `{name}`");
                    self.schema(
                        &old_param["schema"],
                        &new_param["schema"],
                        Flow::Request,
                        &at,
                        &mut HashSet::new(),
                    );
                }
                None => {}
            }
        }

        // The request body.
        let (old_body, new_body) = (
            resolve(self.old_doc, &old_op["requestBody"]),
            resolve(self.new_doc, &new_op["requestBody"]),
        );
        if new_body["required"].as_bool().unwrap_or(false)
            && !old_body["required"].as_bool().unwrap_or(false)
        {
            self.report("the request body became required".to_owned());
        }
        if !old_body.is_null() && new_body.is_null() {
            self.report("the request body was removed".to_owned());
        }
        if !old_body.is_null() && !new_body.is_null() {
            self.content(old_body, new_body, Flow::Request, "request body");
        }

        // The responses.
        let empty = serde_json::Map::new();
        let new_responses = new_op["responses"].as_object().unwrap_or(&empty);
        for (status, old_response) in old_op["responses"].as_object().unwrap_or(&empty) {
            match new_responses.get(status) {
                None => self.report(format!("response {status} was removed")),
                Some(new_response) => {
                    let old_response = resolve(self.old_doc, old_response);
                    let new_response = resolve(self.new_doc, new_response);
                    self.content(
                        old_response,
                        new_response,
                        Flow::Response,
                        &format!("response {status}"),
                    );
                }
            }
        }
    }

    /// A body's media types: none may go; each one's schema is compared.
    fn content(&mut self, old: &Value, new: &Value, flow: Flow, at: &str) {
        let empty = serde_json::Map::new();
        let new_content = new["content"].as_object().unwrap_or(&empty);
        for (media, old_media) in old["content"].as_object().unwrap_or(&empty) {
            match new_content.get(media) {
                None => self.report(format!("{at}: media type {media} was removed")),
                Some(new_media) => self.schema(
                    &old_media["schema"],
                    &new_media["schema"],
                    flow,
                    &format!("{at} ({media})"),
                    &mut HashSet::new(),
                ),
            }
        }
    }

    fn schema(
        &mut self,
        old: &Value,
        new: &Value,
        flow: Flow,
        at: &str,
        seen: &mut HashSet<(*const Value, *const Value)>,
    ) {
        if old.is_null() || new.is_null() {
            return;
        }
        let (old_doc, new_doc) = (self.old_doc, self.new_doc);
        let (old_resolved, new_resolved) = (resolve(old_doc, old), resolve(new_doc, new));
        // A recursive schema is compared once per pair.
        if !seen.insert((old_resolved as *const Value, new_resolved as *const Value)) {
            return;
        }
        let (o, n) = (shape(old_doc, old), shape(new_doc, new));

        let number = |types: &BTreeSet<String>| -> BTreeSet<String> {
            types
                .iter()
                .map(|t| {
                    if t == "integer" {
                        "number".to_owned()
                    } else {
                        t.clone()
                    }
                })
                .collect()
        };
        if !o.types.is_empty() && !n.types.is_empty() {
            let (ot, nt) = (number(&o.types), number(&n.types));
            // A request may accept more; a response may answer less.
            let narrower = match flow {
                Flow::Request => !ot.is_subset(&nt),
                Flow::Response => !nt.is_subset(&ot),
            };
            if narrower {
                self.report(format!(
                    "{at}: the type changed from {} to {}",
                    o.types.iter().cloned().collect::<Vec<_>>().join("|"),
                    n.types.iter().cloned().collect::<Vec<_>>().join("|")
                ));
            }
        }

        if let (Some(old_values), Some(new_values)) = (&o.enumeration, &n.enumeration) {
            for value in old_values.iter().filter(|v| !new_values.contains(v)) {
                self.report(format!("{at}: the enum value {value} was removed"));
            }
        }

        match flow {
            Flow::Request => {
                for field in n.required.difference(&o.required) {
                    if o.properties.contains_key(field) {
                        self.report(format!("{at}: field `{field}` became required"));
                    } else {
                        self.report(format!("{at}: new required field `{field}`"));
                    }
                }
            }
            Flow::Response => {
                for field in o
                    .properties
                    .keys()
                    .filter(|f| !n.properties.contains_key(*f))
                {
                    self.report(format!("{at}: property `{field}` was removed"));
                }
            }
        }

        for (field, old_property) in &o.properties {
            if let Some(new_property) = n.properties.get(field) {
                self.schema(
                    old_property,
                    new_property,
                    flow,
                    &format!("{at}.{field}"),
                    seen,
                );
            }
        }
        if let (Some(old_items), Some(new_items)) = (o.items, n.items) {
            self.schema(old_items, new_items, flow, &format!("{at}[]"), seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small API: one memo endpoint with a body, a response and an enum.
    fn api() -> Value {
        json!({
            "openapi": "3.1.0",
            "paths": {
                "/api/v1/memos": {"post": {
                    "operationId": "submit_memo",
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewMemo"}}}},
                    "responses": {
                        "201": {"description": "", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/MemoReceipt"}}}},
                        "409": {"description": ""}
                    }
                }},
                "/api/v1/organisations/{cvr}/memos/{id}": {"get": {
                    "operationId": "find_memo",
                    "parameters": [
                        {"name": "cvr", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": ""}}
                }}
            },
            "components": {"schemas": {
                "NewMemo": {"type": "object", "required": ["messageId", "type"], "properties": {
                    "messageId": {"type": "string"},
                    "type": {"$ref": "#/components/schemas/MessageType"},
                    "body": {"type": ["string", "null"]}
                }},
                "MessageType": {"type": "string", "enum": ["letter", "legal_notice", "nemsms"]},
                "MemoReceipt": {"type": "object", "required": ["messageId"], "properties": {
                    "messageId": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/MessageType"},
                    "valueDate": {"oneOf": [{"type": "null"}, {"type": "string", "format": "date"}]}
                }}
            }}
        })
    }

    fn whats(old: &Value, new: &Value) -> Vec<String> {
        breaking_changes(old, new)
            .into_iter()
            .map(|b| format!("{}: {}", b.operation, b.what))
            .collect()
    }

    #[test]
    fn the_same_document_has_no_breaking_change() {
        assert!(whats(&api(), &api()).is_empty());
    }

    #[test]
    fn a_removed_path_is_caught() {
        let mut new = api();
        new["paths"]
            .as_object_mut()
            .unwrap()
            .remove("/api/v1/organisations/{cvr}/memos/{id}");
        assert_eq!(
            whats(&api(), &new),
            ["GET /api/v1/organisations/{cvr}/memos/{id}: the operation was removed"]
        );
    }

    #[test]
    fn a_renamed_operation_id_is_caught() {
        let text = api().to_string().replace("\"find_memo\"", "\"get_memo\"");
        let new: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            whats(&api(), &new),
            [
                "GET /api/v1/organisations/{cvr}/memos/{id}: operationId `find_memo` renamed \
              `get_memo` (generated clients' method)"
            ]
        );
    }

    #[test]
    fn a_renamed_path_parameter_is_the_same_route() {
        let text = api().to_string().replace("{id}", "{messageId}");
        let new: Value = serde_json::from_str(&text).unwrap();
        assert!(whats(&api(), &new).is_empty());
    }

    #[test]
    fn a_new_required_field_is_caught_and_an_optional_one_is_not() {
        let mut optional = api();
        optional["components"]["schemas"]["NewMemo"]["properties"]["title"] =
            json!({"type": "string"});
        assert!(whats(&api(), &optional).is_empty());

        let mut required = optional.clone();
        required["components"]["schemas"]["NewMemo"]["required"] =
            json!(["messageId", "type", "title"]);
        assert_eq!(
            whats(&api(), &required),
            ["POST /api/v1/memos: request body (application/json): new required field `title`"]
        );
        // A field that was optional and became required.
        let mut body = api();
        body["components"]["schemas"]["NewMemo"]["required"] = json!(["messageId", "type", "body"]);
        assert_eq!(
            whats(&api(), &body),
            ["POST /api/v1/memos: request body (application/json): field `body` became required"]
        );
    }

    #[test]
    fn a_removed_enum_value_is_caught_and_an_added_one_is_not() {
        let mut removed = api();
        removed["components"]["schemas"]["MessageType"]["enum"] = json!(["letter", "nemsms"]);
        assert_eq!(
            whats(&api(), &removed),
            [
                "POST /api/v1/memos: request body (application/json).type: the enum value \"legal_notice\" was removed",
                "POST /api/v1/memos: response 201 (application/json).status: the enum value \"legal_notice\" was removed",
            ]
        );
        let mut added = api();
        added["components"]["schemas"]["MessageType"]["enum"] =
            json!(["letter", "legal_notice", "nemsms", "mandatory"]);
        assert!(whats(&api(), &added).is_empty());
    }

    #[test]
    fn removed_responses_properties_and_changed_types_are_caught() {
        let mut new = api();
        let op = &mut new["paths"]["/api/v1/memos"]["post"];
        op["responses"].as_object_mut().unwrap().remove("409");
        let receipt = &mut new["components"]["schemas"]["MemoReceipt"]["properties"];
        receipt.as_object_mut().unwrap().remove("status");
        // A response that may now be null; a request field that no longer takes null.
        receipt["messageId"] = json!({"type": ["string", "null"]});
        new["components"]["schemas"]["NewMemo"]["properties"]["body"] = json!({"type": "string"});
        assert_eq!(
            whats(&api(), &new),
            [
                "POST /api/v1/memos: request body (application/json).body: the type changed from null|string to string",
                "POST /api/v1/memos: response 201 (application/json).messageId: the type changed from string to null|string",
                "POST /api/v1/memos: response 201 (application/json): property `status` was removed",
                "POST /api/v1/memos: response 409 was removed",
            ]
        );
    }

    #[test]
    fn only_the_unreleased_breaking_section_acknowledges() {
        let changelog = "# Changelog\n\n## Unreleased — breaking\n\n- `POST /api/v1/memos`: `title` is required\n\n## 0.1.0\n\n- DELETE /api/v1/x\n";
        assert_eq!(
            acknowledged_lines(changelog),
            ["- `POST /api/v1/memos`: `title` is required"]
        );
    }
}
