//! Control endpoints for migration after trust, to build any situation and to look at it:
//!
//! - `GET /_emulator/tenants/{tenant}/content`: users, sites (with files) and groups.
//! - `POST /_emulator/tenants/{tenant}/users`: add users, body specs like `--user`
//!   (`"gus@contoso.onmicrosoft.com,unlicensed,no-onedrive"`, a JSON array, or lines).
//! - `POST /_emulator/tenants/{tenant}/sites`, `.../groups`: add sites or groups, specs like
//!   `--site` / `--group`, the `TENANT:` prefix optional (`"legal=Docs/a.docx;Docs/b.docx"`).
//! - `DELETE /_emulator/tenants/{tenant}/users`, `.../sites`, `.../groups`: remove users (and
//!   their OneDrives), sites (a OneDrive's user then has none) or groups (and their sites);
//!   body the UPNs, site URLs (or names) or aliases, in the same shapes. 404 if one is unknown
//!   (then nothing is removed).
//! - `GET /_emulator/tenants/{tenant}/identity-map`: the map uploaded to the tenant.
//! - `GET /_emulator/tenants/{tenant}/moves`: every move in or out of the tenant, as
//!   move state objects.
//! - `GET`/`POST`/`DELETE /_emulator/move-faults`: failures injected into new moves,
//!   `KEY=PHASE` like `--move-fault`.
//!
//! Bodies are all or nothing: one bad spec and nothing is added (400).

use std::time::SystemTime;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use crate::csom::move_state;
use crate::emulator::Emulator;
use crate::http::control::{parse_specs, spec_texts};
use crate::http::replies::{self, Body};
use crate::tenant::Directory;
use crate::tenant::content_specs::SpecKind;
use crate::tenant::move_faults::MoveFault;
use crate::wire::enums::MoveDirection;

const MAX_BODY: usize = 1024 * 1024;

pub async fn handle(emulator: &Emulator, path: &str, request: Request<Incoming>) -> Response<Body> {
    let method = request.method().clone();
    if path == "move-faults" {
        return match method {
            Method::GET => faults_answer(emulator),
            Method::DELETE => {
                emulator.directory().move_faults.clear();
                faults_answer(emulator)
            }
            Method::POST => {
                let body = match read_body(request).await {
                    Ok(body) => body,
                    Err(response) => return response,
                };
                match parse_specs::<MoveFault>(&body, "KEY=PHASE") {
                    Ok(faults) => {
                        let mut directory = emulator.directory();
                        for fault in faults {
                            directory.move_faults.add(fault);
                        }
                        drop(directory);
                        faults_answer(emulator)
                    }
                    Err(message) => bad_request(&message),
                }
            }
            _ => replies::method_not_allowed("GET, POST, DELETE"),
        };
    }
    let mut segments = path.split('/').skip(1);
    let (Some(tenant), Some(what), None) = (segments.next(), segments.next(), segments.next())
    else {
        return replies::not_found();
    };
    let tenant = tenant.to_ascii_lowercase();
    if emulator.directory().tenant(&tenant).is_none() {
        return replies::json(
            StatusCode::NOT_FOUND,
            &json!({ "error": format!("there is no tenant '{tenant}'") }),
        );
    }
    let kind = match what {
        "users" => Some(SpecKind::User),
        "sites" => Some(SpecKind::Site),
        "groups" => Some(SpecKind::Group),
        _ => None,
    };
    match (what, method, kind) {
        ("content", Method::GET, _) => {
            let directory = settled(emulator);
            content_answer(&directory, &tenant)
        }
        ("identity-map", Method::GET, _) => {
            let directory = emulator.directory();
            let map = &directory
                .tenant(&tenant)
                .expect("checked above")
                .identity_map;
            let users: Vec<_> = map.users().collect();
            let groups: Vec<_> = map.groups().collect();
            replies::json(StatusCode::OK, &json!({ "users": users, "groups": groups }))
        }
        ("moves", Method::GET, _) => {
            let now = SystemTime::now();
            let directory = settled(emulator);
            let moves: Vec<Value> = directory
                .moves()
                .all()
                .iter()
                .filter_map(|found| {
                    let direction = if found.source_tenant == tenant {
                        MoveDirection::MoveOut
                    } else if found.target_tenant == tenant {
                        MoveDirection::MoveIn
                    } else {
                        return None;
                    };
                    let view = found.view(now);
                    Some(move_state::object(
                        directory.layout(),
                        found,
                        &view,
                        direction,
                        false,
                        now,
                    ))
                })
                .collect();
            replies::json(StatusCode::OK, &json!({ "moves": moves }))
        }
        (_, Method::POST, Some(kind)) => {
            let body = match read_body(request).await {
                Ok(body) => body,
                Err(response) => return response,
            };
            let texts = match spec_texts(&body, "a spec") {
                Ok(texts) => texts,
                Err(message) => return bad_request(&message),
            };
            let specs = texts
                .iter()
                .map(|text| {
                    let head = text.split('=').next().unwrap_or("");
                    let text = if kind != SpecKind::User && !head.contains(':') {
                        format!("{tenant}:{text}")
                    } else {
                        text.clone()
                    };
                    kind.parse(&text)
                })
                .collect::<Result<Vec<_>, String>>();
            let specs = match specs {
                Ok(specs) => specs,
                Err(message) => return bad_request(&message),
            };
            if let Some(other) = specs.iter().find(|spec| spec.tenant() != tenant) {
                return bad_request(&format!(
                    "this endpoint adds to '{tenant}', but a spec names '{}'",
                    other.tenant()
                ));
            }
            let mut directory = emulator.directory();
            for spec in &specs {
                if let Err(message) = directory.apply_content(spec) {
                    return bad_request(&message);
                }
            }
            emulator.persist_soon();
            content_answer(&directory, &tenant)
        }
        (_, Method::DELETE, Some(kind)) => {
            let body = match read_body(request).await {
                Ok(body) => body,
                Err(response) => return response,
            };
            let keys = match spec_texts(&body, "a key") {
                Ok(keys) => keys,
                Err(message) => return bad_request(&message),
            };
            let mut directory = emulator.directory();
            let layout = directory.layout().clone();
            let keys: Vec<String> = keys
                .into_iter()
                .map(|key| match kind {
                    SpecKind::Site if !key.contains("://") => layout.site_url(&tenant, &key),
                    _ => key,
                })
                .collect();
            let content = &mut directory
                .tenant_mut_checked(&tenant)
                .expect("checked above")
                .content;
            let known = |key: &String| match kind {
                SpecKind::User => content.user(key).is_some(),
                SpecKind::Site => content.site(key).is_some(),
                SpecKind::Group => content.group(key).is_some(),
            };
            if let Some(unknown) = keys.iter().find(|key| !known(key)) {
                return replies::json(
                    StatusCode::NOT_FOUND,
                    &json!({ "error": format!("'{unknown}' is not in '{tenant}'") }),
                );
            }
            for key in &keys {
                match kind {
                    SpecKind::User => content.remove_user(key),
                    SpecKind::Site => content.remove_site(key),
                    SpecKind::Group => content.remove_group(key),
                };
            }
            emulator.persist_soon();
            content_answer(&directory, &tenant)
        }
        ("content" | "identity-map" | "moves", _, _) => replies::method_not_allowed("GET"),
        (_, _, Some(_)) => replies::method_not_allowed("POST, DELETE"),
        _ => replies::not_found(),
    }
}

/// The directory, with moves that finished since the last request settled.
fn settled(emulator: &Emulator) -> std::sync::MutexGuard<'_, Directory> {
    let mut directory = emulator.directory();
    if directory.settle_moves(SystemTime::now()) {
        emulator.persist_soon();
    }
    directory
}

fn content_answer(directory: &Directory, tenant: &str) -> Response<Body> {
    let content = &directory
        .tenant(tenant)
        .expect("checked by the caller")
        .content;
    let users: Vec<_> = content.users().collect();
    let sites: Vec<_> = content.sites().collect();
    let groups: Vec<_> = content.groups().collect();
    replies::json(
        StatusCode::OK,
        &json!({ "users": users, "sites": sites, "groups": groups }),
    )
}

fn faults_answer(emulator: &Emulator) -> Response<Body> {
    let specs = emulator.directory().move_faults.specs();
    replies::json(StatusCode::OK, &json!({ "moveFaults": specs }))
}

async fn read_body(request: Request<Incoming>) -> Result<String, Response<Body>> {
    match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => Ok(String::from_utf8_lossy(&collected.to_bytes()).into_owned()),
        Err(_) => Err(bad_request("The body is too large or was cut off.")),
    }
}

fn bad_request(message: &str) -> Response<Body> {
    replies::json(StatusCode::BAD_REQUEST, &json!({ "error": message }))
}
