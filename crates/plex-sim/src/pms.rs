//! The simulated Plex Media Server (plex-api.md §6, §8.17–8.20).
#![expect(
    clippy::result_large_err,
    reason = "handlers pass ready-made HttpResponses up; the simulator is not a hot path"
)]

use std::fmt::Write as _;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use crate::SharedWorld;
use crate::params::Params;
use crate::render::{Format, pms_unauthorized, xml, xml_attr};
use crate::sessions::LiveSession;
use crate::world::World;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/identity", web::get().to(identity))
        .route("/", web::get().to(root))
        .route("/library/sections", web::get().to(sections))
        .route("/status/sessions", web::get().to(sessions))
        .route("/status/sessions/terminate", web::get().to(terminate))
        .route("/status/sessions/terminate", web::post().to(terminate))
        .route("/accounts", web::get().to(accounts))
        .route("/status/sessions/history/all", web::get().to(history))
        .route("/transcode/sessions", web::get().to(transcode_sessions))
        .default_service(web::to(HttpResponse::NotFound));
}

/// Who a PMS request comes from.
enum Caller {
    Owner,
    /// A friend's per-server token (§8.17): sees only the shared sections.
    Friend {
        section_ids: Vec<u64>,
        all: bool,
    },
}

fn caller(world: &World, req: &HttpRequest) -> Option<Caller> {
    let token = Params::read(req, None).get(req, "X-Plex-Token")?;
    if world.owner().is_some_and(|o| o.token == token) {
        return Some(Caller::Owner);
    }
    world
        .shares
        .iter()
        .find(|s| s.access_token == token && !s.pending)
        .map(|s| Caller::Friend {
            section_ids: s.section_ids.clone(),
            all: s.all_libraries,
        })
}

/// Locks the world; an HTML 401 (§0.4) unless the owner's token came.
fn owner_only<'a>(
    world: &'a web::Data<SharedWorld>,
    req: &HttpRequest,
) -> Result<std::sync::MutexGuard<'a, World>, HttpResponse> {
    let world = world
        .lock()
        .map_err(|_| HttpResponse::InternalServerError().finish())?;
    match caller(&world, req) {
        Some(Caller::Owner) => Ok(world),
        _ => Err(pms_unauthorized()),
    }
}

/// §6.1: no token required.
async fn identity(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let server = match world.lock() {
        Ok(world) => world.server.clone(),
        Err(_) => return HttpResponse::InternalServerError().finish(),
    };
    match Format::of(&req) {
        Format::Json => HttpResponse::Ok().json(json!({
            "MediaContainer": {
                "size": 0,
                "claimed": true,
                "machineIdentifier": server.machine_identifier,
                "version": server.version,
            }
        })),
        Format::Xml => xml(&format!(
            "<MediaContainer size=\"0\" claimed=\"1\" machineIdentifier=\"{}\" version=\"{}\"/>",
            xml_attr(&server.machine_identifier),
            xml_attr(&server.version)
        )),
    }
}

/// §6.2: the server root needs a token.
async fn root(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let world = match owner_only(&world, &req) {
        Ok(world) => world,
        Err(response) => return response,
    };
    let email = world
        .owner()
        .and_then(|o| o.email.clone())
        .unwrap_or_default();
    let server = &world.server;
    match Format::of(&req) {
        Format::Json => HttpResponse::Ok().json(json!({
            "MediaContainer": {
                "size": 0,
                "friendlyName": server.name,
                "machineIdentifier": server.machine_identifier,
                "version": server.version,
                "platform": "Linux",
                "myPlex": true,
                "myPlexUsername": email,
                "myPlexSigninState": "ok",
                "multiuser": true,
                "allowSharing": true,
            }
        })),
        Format::Xml => xml(&format!(
            "<MediaContainer size=\"0\" friendlyName=\"{}\" machineIdentifier=\"{}\" version=\"{}\" \
             platform=\"Linux\" myPlex=\"1\" myPlexUsername=\"{}\" myPlexSigninState=\"ok\" \
             multiuser=\"1\" allowSharing=\"1\"/>",
            xml_attr(&server.name),
            xml_attr(&server.machine_identifier),
            xml_attr(&server.version),
            xml_attr(&email)
        )),
    }
}

/// §6.3: the owner sees every library; a friend's server token only the shared ones (§8.17).
async fn sections(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let Ok(world) = world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    let visible: Vec<_> = match caller(&world, &req) {
        None => return pms_unauthorized(),
        Some(Caller::Owner) => world.sections.iter().collect(),
        Some(Caller::Friend { section_ids, all }) => world
            .sections
            .iter()
            .filter(|s| all || section_ids.contains(&s.tv_id))
            .collect(),
    };
    match Format::of(&req) {
        Format::Json => HttpResponse::Ok().json(json!({
            "MediaContainer": {
                "size": visible.len(),
                "allowSync": false,
                "title1": "Plex Library",
                "Directory": visible.iter().map(|s| json!({
                    "key": s.key.to_string(),
                    "type": s.kind,
                    "title": s.title,
                    "agent": "tv.plex.agents.none",
                    "scanner": "Plex Scanner",
                    "uuid": format!("00000000-0000-4000-8000-{:012}", s.tv_id),
                    "hidden": 0,
                    "contentChangedAt": 8_457_612_157_633_039_800_u64,
                    "Location": [{"id": s.key, "path": format!("/data/{}", s.key)}],
                })).collect::<Vec<_>>(),
            }
        })),
        Format::Xml => {
            let mut out = format!(
                "<MediaContainer size=\"{}\" allowSync=\"0\" title1=\"Plex Library\">",
                visible.len()
            );
            for s in visible {
                let _ = write!(
                    out,
                    "<Directory key=\"{}\" type=\"{}\" title=\"{}\" agent=\"tv.plex.agents.none\" \
                     hidden=\"0\"><Location id=\"{}\" path=\"/data/{}\"/></Directory>",
                    s.key,
                    xml_attr(&s.kind),
                    xml_attr(&s.title),
                    s.key,
                    s.key
                );
            }
            out.push_str("</MediaContainer>");
            crate::render::xml_with_faults(&world, &out)
        }
    }
}

fn session_json(s: &LiveSession) -> Value {
    let mut item = json!({
        "sessionKey": s.session_key.to_string(),
        "ratingKey": (1000 + s.session_key).to_string(),
        "key": format!("/library/metadata/{}", 1000 + s.session_key),
        "type": s.kind,
        "title": s.title,
        "librarySectionID": s.library_key.to_string(),
        "duration": s.duration_ms,
        "viewOffset": s.view_offset_ms,
        "Media": [{"id": s.session_key, "selected": true,
                   "Part": [{"id": s.session_key, "selected": true}]}],
        "User": {"id": s.user_id.to_string(), "title": s.user_title,
                 "thumb": format!("https://plex.tv/users/{:016x}/avatar", s.user_id)},
        "Player": {"address": s.address, "product": s.product, "platform": s.platform,
                   "title": s.device, "state": s.state, "local": s.local,
                   "machineIdentifier": format!("client-{}", s.session_key)},
    });
    if let Some(title) = &s.grandparent_title {
        item["grandparentTitle"] = json!(title);
    }
    if s.theme_music {
        item["guid"] = json!("library://theme/1");
    }
    if let Some(id) = &s.session_id {
        item["Session"] = json!({"id": id, "bandwidth": s.bandwidth,
                                 "location": if s.local { "lan" } else { "wan" }});
    }
    if let Some(t) = &s.transcode {
        item["TranscodeSession"] = transcode_json(s.session_key, t);
    }
    item
}

fn transcode_json(session_key: u32, t: &crate::sessions::Transcode) -> Value {
    json!({
        "key": format!("/transcode/sessions/t{session_key}"),
        "videoDecision": t.video_decision, "audioDecision": t.audio_decision,
        "progress": t.progress, "speed": t.speed, "throttled": t.throttled, "size": t.size,
        "protocol": "http", "container": "mkv",
    })
}

fn transcode_xml(session_key: u32, t: &crate::sessions::Transcode) -> String {
    format!(
        "<TranscodeSession key=\"/transcode/sessions/t{session_key}\" videoDecision=\"{}\" \
         audioDecision=\"{}\" progress=\"{}\" speed=\"{}\" throttled=\"{}\" size=\"{}\" \
         protocol=\"http\" container=\"mkv\"/>",
        xml_attr(&t.video_decision),
        xml_attr(&t.audio_decision),
        t.progress,
        t.speed,
        u8::from(t.throttled),
        t.size
    )
}

fn session_xml(s: &LiveSession) -> String {
    let element = match s.kind.as_str() {
        "track" => "Track",
        "photo" => "Photo",
        _ => "Video",
    };
    let mut out = format!(
        "<{element} sessionKey=\"{}\" ratingKey=\"{}\" key=\"/library/metadata/{}\" type=\"{}\" \
         title=\"{}\"{}{} librarySectionID=\"{}\" duration=\"{}\" viewOffset=\"{}\">\
         <Media id=\"{}\" selected=\"1\"><Part id=\"{}\" selected=\"1\"/></Media>\
         <User id=\"{}\" title=\"{}\"/>\
         <Player address=\"{}\" product=\"{}\" platform=\"{}\" title=\"{}\" state=\"{}\" local=\"{}\" \
         machineIdentifier=\"client-{}\"/>",
        s.session_key,
        1000 + s.session_key,
        1000 + s.session_key,
        xml_attr(&s.kind),
        xml_attr(&s.title),
        s.grandparent_title
            .as_ref()
            .map(|t| format!(" grandparentTitle=\"{}\"", xml_attr(t)))
            .unwrap_or_default(),
        if s.theme_music {
            " guid=\"library://theme/1\""
        } else {
            ""
        },
        s.library_key,
        s.duration_ms,
        s.view_offset_ms,
        s.session_key,
        s.session_key,
        s.user_id,
        xml_attr(&s.user_title),
        xml_attr(&s.address),
        xml_attr(&s.product),
        xml_attr(&s.platform),
        xml_attr(&s.device),
        xml_attr(&s.state),
        u8::from(s.local),
        s.session_key,
    );
    if let Some(id) = &s.session_id {
        let _ = write!(
            out,
            "<Session id=\"{}\" bandwidth=\"{}\" location=\"{}\"/>",
            xml_attr(id),
            s.bandwidth,
            if s.local { "lan" } else { "wan" }
        );
    }
    if let Some(t) = &s.transcode {
        out.push_str(&transcode_xml(s.session_key, t));
    }
    let _ = write!(out, "</{element}>");
    out
}

/// §6.4 and §8.19: owner only; items collapse into `Metadata[]` in JSON, which omits it when
/// empty; XML uses `Video` for movies and episodes, `Track`, `Photo`.
async fn sessions(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let world = match owner_only(&world, &req) {
        Ok(world) => world,
        Err(response) => return response,
    };
    match Format::of(&req) {
        Format::Json => {
            let mut container = json!({"size": world.sessions.len()});
            if !world.sessions.is_empty() {
                container["Metadata"] = world.sessions.iter().map(session_json).collect();
            }
            HttpResponse::Ok().json(json!({ "MediaContainer": container }))
        }
        Format::Xml => crate::render::xml_with_faults(
            &world,
            &format!(
                "<MediaContainer size=\"{}\">{}</MediaContainer>",
                world.sessions.len(),
                world.sessions.iter().map(session_xml).collect::<String>()
            ),
        ),
    }
}

/// §6.4: the transcoders alone, as bare `TranscodeSession` items (JSON omits an empty list).
async fn transcode_sessions(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let world = match owner_only(&world, &req) {
        Ok(world) => world,
        Err(response) => return response,
    };
    let transcoders: Vec<(u32, &crate::sessions::Transcode)> = world
        .sessions
        .iter()
        .filter_map(|s| s.transcode.as_ref().map(|t| (s.session_key, t)))
        .collect();
    match Format::of(&req) {
        Format::Json => {
            let mut container = json!({"size": transcoders.len()});
            if !transcoders.is_empty() {
                container["TranscodeSession"] = transcoders
                    .iter()
                    .map(|(key, t)| transcode_json(*key, t))
                    .collect();
            }
            HttpResponse::Ok().json(json!({ "MediaContainer": container }))
        }
        Format::Xml => xml(&format!(
            "<MediaContainer size=\"{}\">{}</MediaContainer>",
            transcoders.len(),
            transcoders
                .iter()
                .map(|(key, t)| transcode_xml(*key, t))
                .collect::<String>()
        )),
    }
}

/// §6.6 and §8.20: GET or POST, keyed on `Session@id`; 403 for an empty id, 404 for anything
/// else unknown (a `sessionKey` included), 401 without Plex Pass.
async fn terminate(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let Ok(mut world) = world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    if !matches!(caller(&world, &req), Some(Caller::Owner)) {
        return pms_unauthorized();
    }
    if !world.owner().is_some_and(|o| o.plex_pass) {
        return HttpResponse::Unauthorized()
            .content_type("text/html")
            .body("Server does not have the feature enabled");
    }
    let params = Params::read(&req, None);
    let session_id = params.field("sessionId").unwrap_or_default().to_owned();
    let reason = params.field("reason").unwrap_or_default().to_owned();
    if session_id.is_empty() {
        return HttpResponse::Forbidden()
            .content_type("text/html")
            .body("sessionId is empty");
    }
    let before = world.sessions.len();
    world
        .sessions
        .retain(|s| s.session_id.as_deref() != Some(session_id.as_str()));
    if world.sessions.len() == before {
        return HttpResponse::NotFound()
            .content_type("text/html")
            .body("Session not found");
    }
    world.terminated.push((session_id, reason));
    xml("<MediaContainer size=\"0\"/>")
}

/// §6.7: id 0 has no name, 1 is the owner, friends by plex.tv id.
async fn accounts(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let world = match owner_only(&world, &req) {
        Ok(world) => world,
        Err(response) => return response,
    };
    let owner_name = world
        .owner()
        .map(|o| o.username.clone())
        .unwrap_or_default();
    let mut list = vec![(0, String::new()), (1, owner_name)];
    list.extend(
        world
            .shares
            .iter()
            .filter(|s| s.user_id != 0 && !s.pending)
            .filter_map(|s| world.account(s.user_id))
            .map(|a| (a.id, a.username.clone())),
    );
    match Format::of(&req) {
        Format::Json => HttpResponse::Ok().json(json!({
            "MediaContainer": {
                "size": list.len(),
                "identifier": "com.plexapp.system.accounts",
                "Account": list.iter().map(|(id, name)| json!({
                    "id": id, "key": format!("/accounts/{id}"), "name": name,
                })).collect::<Vec<_>>(),
            }
        })),
        Format::Xml => xml(&format!(
            "<MediaContainer size=\"{}\" identifier=\"com.plexapp.system.accounts\">{}</MediaContainer>",
            list.len(),
            list.iter().fold(String::new(), |mut out, (id, name)| {
                let _ = write!(
                    out,
                    "<Account id=\"{id}\" key=\"/accounts/{id}\" name=\"{}\"/>",
                    xml_attr(name)
                );
                out
            })
        )),
    }
}

/// §6.5, §6.8 and §8.21: filters (`accountID`, `librarySectionID`, `viewedAt>` with `=` as the
/// separator), `sort=viewedAt:desc|asc`, and paging from headers or query; `offset`, `size` and
/// `totalSize` are always present.
async fn history(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let world = match owner_only(&world, &req) {
        Ok(world) => world,
        Err(response) => return response,
    };
    let params = Params::read(&req, None);
    let number = |name: &str| params.get(&req, name).and_then(|v| v.parse::<u64>().ok());
    let since = params
        .field("viewedAt>")
        .and_then(|v| v.parse::<u64>().ok());
    let account = params
        .field("accountID")
        .and_then(|v| v.parse::<u64>().ok());
    let library = params
        .field("librarySectionID")
        .and_then(|v| v.parse::<u32>().ok());
    let mut items: Vec<_> = world
        .history
        .iter()
        .filter(|h| since.is_none_or(|s| h.viewed_at >= s))
        .filter(|h| account.is_none_or(|a| h.account_id == a))
        .filter(|h| library.is_none_or(|l| h.library_key == l))
        .collect();
    items.sort_by_key(|h| h.viewed_at);
    if params.field("sort") != Some("viewedAt:asc") {
        items.reverse();
    }
    let total = items.len();
    let start =
        number("X-Plex-Container-Start").map_or(0, |v| usize::try_from(v).unwrap_or(usize::MAX));
    let size =
        number("X-Plex-Container-Size").map_or(total, |v| usize::try_from(v).unwrap_or(usize::MAX));
    let page: Vec<_> = items.into_iter().skip(start).take(size).collect();
    match Format::of(&req) {
        Format::Json => {
            let mut container = json!({"offset": start, "size": page.len(), "totalSize": total});
            if !page.is_empty() {
                container["Metadata"] = page
                    .iter()
                    .map(|h| {
                        json!({
                            "historyKey": format!("/status/sessions/history/{}", h.id),
                            "key": format!("/library/metadata/{}", h.rating_key),
                            "ratingKey": h.rating_key.to_string(),
                            "librarySectionID": h.library_key.to_string(),
                            "title": h.title,
                            "type": h.kind,
                            "viewedAt": h.viewed_at,
                            "accountID": h.account_id,
                            "deviceID": h.device_id,
                        })
                    })
                    .collect();
            }
            HttpResponse::Ok().json(json!({ "MediaContainer": container }))
        }
        Format::Xml => {
            let mut out = format!(
                "<MediaContainer offset=\"{start}\" size=\"{}\" totalSize=\"{total}\">",
                page.len()
            );
            for h in page {
                let element = if h.kind == "track" { "Track" } else { "Video" };
                let _ = write!(
                    out,
                    "<{element} historyKey=\"/status/sessions/history/{}\" key=\"/library/metadata/{}\" \
                     ratingKey=\"{}\" librarySectionID=\"{}\" title=\"{}\" type=\"{}\" \
                     viewedAt=\"{}\" accountID=\"{}\" deviceID=\"{}\"/>",
                    h.id,
                    h.rating_key,
                    h.rating_key,
                    h.library_key,
                    xml_attr(&h.title),
                    xml_attr(&h.kind),
                    h.viewed_at,
                    h.account_id,
                    h.device_id
                );
            }
            out.push_str("</MediaContainer>");
            crate::render::xml_with_faults(&world, &out)
        }
    }
}
