//! The simulated plex.tv (and clients.plex.tv: the same routes, plex-api.md §0.1).

use std::time::UNIX_EPOCH;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::SharedWorld;
use crate::params::Params;
use crate::render::{Format, rfc3339, tv_error, tv_not_found, utc_text, xml, xml_attr};
use crate::world::{Account, Pin, World};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/users", web::get().to(users_v1))
        .route("/api/home/users", web::get().to(home_users))
        .route("/api/servers/{machine}", web::get().to(server_document))
        .route("/api/v2/resources", web::get().to(resources))
        .route("/api/friends/{id}", web::to(retired))
        .route("/api/invites/requested", web::to(retired))
        .route("/api/invites/requests", web::to(retired))
        .route("/pms/friends/all", web::to(retired))
        .route("/api/v2/user", web::get().to(user))
        .route("/api/v2/user.json", web::get().to(user))
        .route("/api/v2/ping", web::get().to(ping))
        .route("/api/v2/pins", web::post().to(create_pin))
        .route("/api/v2/pins.json", web::post().to(create_pin))
        .route("/api/v2/pins/{id}", web::get().to(poll_pin))
        .route("/auth", web::get().to(crate::auth_page::page))
        .default_service(web::to(not_found));
}

/// plex.tv v2: XML unless `Accept: application/json` or a `.json` URL (§0.3).
fn v2_format(req: &HttpRequest) -> Format {
    if std::path::Path::new(req.path())
        .extension()
        .is_some_and(|ext| ext == "json")
    {
        Format::Json
    } else {
        Format::of(req)
    }
}

/// Counts the request and answers 429/1003 when the rate-limit fault says so (§8.8).
fn rate_limited(world: &mut World, format: Format) -> Option<HttpResponse> {
    world.tv_requests = world.tv_requests.saturating_add(1);
    let limit = world.faults.rate_limit_after?;
    (world.tv_requests > limit).then(|| {
        let mut response = tv_error(format, 429, 1003, "API rate limit exceeded");
        response.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("1"),
        );
        response
    })
}

/// The account of the request's token: 400/1000 without a client identifier, 401/1001 (or the
/// legacy 422, §8.4) for an unknown token.
fn authenticate(
    world: &World,
    req: &HttpRequest,
    params: &Params,
    format: Format,
) -> Result<Account, Box<HttpResponse>> {
    if params.get(req, "X-Plex-Client-Identifier").is_none() {
        return Err(Box::new(tv_error(
            format,
            400,
            1000,
            "X-Plex-Client-Identifier is missing",
        )));
    }
    let account = params
        .get(req, "X-Plex-Token")
        .and_then(|token| world.account_by_token(&token).cloned());
    account.ok_or_else(|| {
        Box::new(if world.faults.legacy_422 {
            HttpResponse::UnprocessableEntity()
                .content_type("application/xml")
                .body(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error>Invalid token</error></errors>",
                )
        } else {
            tv_error(format, 401, 1001, "User could not be authenticated")
        })
    })
}

/// Locks the world for a v2 call: applies the rate-limit fault and authenticates the token.
/// Returns the world, the caller's account and the answer format.
pub(crate) fn v2_guard<'a>(
    world: &'a web::Data<SharedWorld>,
    req: &HttpRequest,
) -> Result<(std::sync::MutexGuard<'a, World>, Account, Format), Box<HttpResponse>> {
    let format = v2_format(req);
    let params = Params::read(req, None);
    let mut world = world
        .lock()
        .map_err(|_| Box::new(HttpResponse::InternalServerError().finish()))?;
    if let Some(limited) = rate_limited(&mut world, format) {
        return Err(Box::new(limited));
    }
    let account = authenticate(&world, req, &params, format)?;
    Ok((world, account, format))
}

/// A v1 error: always XML, `<Response code status/>` (§0.4).
pub(crate) fn v1_error(status: u16, text: &str) -> HttpResponse {
    let code = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(code).content_type("application/xml").body(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response code=\"{status}\" status=\"{}\"/>",
        xml_attr(text)
    ))
}

/// §8.14: retired endpoints answer 410 with Plex's exact body.
async fn retired() -> HttpResponse {
    HttpResponse::Gone().content_type("application/xml").body(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?> <Response code=\"410\" status=\"This endpoint was deprecated and removed\"/>",
    )
}

/// The owner's account if the request carries the owner's token.
fn owner_of(world: &World, req: &HttpRequest, params: &Params) -> Option<Account> {
    let token = params.get(req, "X-Plex-Token")?;
    world
        .account_by_token(&token)
        .filter(|a| a.id == world.owner_id)
        .cloned()
}

/// Locks the world for a v1 owner call: applies the rate-limit fault, then answers 401 unless
/// the owner's token came and 404 when `machine` is given and is not the owner's server.
pub(crate) fn v1_owner_guard<'a>(
    world: &'a web::Data<SharedWorld>,
    req: &HttpRequest,
    machine: Option<&str>,
) -> Result<std::sync::MutexGuard<'a, World>, Box<HttpResponse>> {
    let params = Params::read(req, None);
    let mut world = world
        .lock()
        .map_err(|_| Box::new(HttpResponse::InternalServerError().finish()))?;
    if let Some(limited) = rate_limited(&mut world, Format::Xml) {
        return Err(Box::new(limited));
    }
    if owner_of(&world, req, &params).is_none() {
        return Err(Box::new(v1_error(401, "Unauthorized")));
    }
    if machine.is_some_and(|m| m != world.server.machine_identifier) {
        return Err(Box::new(v1_error(404, "Not Found")));
    }
    Ok(world)
}

/// §5.10: the Home, admin included; managed users have no e-mail.
async fn home_users(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    use std::fmt::Write as _;
    let world = match v1_owner_guard(&world, &req, None) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    let members: Vec<&Account> = world.accounts.iter().filter(|a| a.home).collect();
    let mut out = format!(
        "<MediaContainer friendlyName=\"myPlex\" identifier=\"com.plexapp.plugins.myplex\" \
         machineIdentifier=\"{}\" totalSize=\"{n}\" size=\"{n}\" guestUserID=\"0\">",
        xml_attr(&world.server.machine_identifier),
        n = members.len()
    );
    for account in members {
        let email = if account.managed {
            String::new()
        } else {
            format!(
                " username=\"{}\" email=\"{}\"",
                xml_attr(&account.username),
                xml_attr(account.email.as_deref().unwrap_or(""))
            )
        };
        let _ = write!(
            out,
            "<User id=\"{}\" uuid=\"{}\" admin=\"{}\" guest=\"0\" restricted=\"{}\" \
             hasPassword=\"0\" protected=\"0\" title=\"{}\"{email} \
             thumb=\"https://plex.tv/users/{}/avatar\"/>",
            account.id,
            account.uuid,
            u8::from(account.id == world.owner_id),
            u8::from(account.managed),
            xml_attr(&account.username),
            account.uuid,
        );
    }
    out.push_str("</MediaContainer>");
    xml(&out)
}

/// §3.3: the owner's server with each library's plex.tv id and PMS key.
async fn server_document(
    req: HttpRequest,
    machine: web::Path<String>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    use std::fmt::Write as _;
    let world = match v1_owner_guard(&world, &req, Some(&machine)) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    let mut out = format!(
        "<MediaContainer friendlyName=\"myPlex\" identifier=\"com.plexapp.plugins.myplex\" \
         machineIdentifier=\"{m}\" size=\"1\"><Server name=\"{}\" address=\"127.0.0.1\" \
         port=\"32400\" version=\"{}\" scheme=\"http\" host=\"127.0.0.1\" \
         localAddresses=\"127.0.0.1\" machineIdentifier=\"{m}\" createdAt=\"1448443623\" \
         updatedAt=\"1700000000\" owned=\"1\" synced=\"0\">",
        xml_attr(&world.server.name),
        xml_attr(&world.server.version),
        m = xml_attr(&world.server.machine_identifier),
    );
    for section in &world.sections {
        let _ = write!(
            out,
            "<Section id=\"{}\" key=\"{}\" type=\"{}\" title=\"{}\"/>",
            section.tv_id,
            section.key,
            xml_attr(&section.kind),
            xml_attr(&section.title)
        );
    }
    out.push_str("</Server></MediaContainer>");
    xml(&out)
}

/// §3.1 and §8.15: the owner's server (owned) and servers friends share with the owner
/// (`owned=false` with `ownerId` and `sourceTitle`).
async fn resources(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let (world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    if account.id != world.owner_id {
        return HttpResponse::Ok().json(serde_json::json!([]));
    }
    let port = world
        .pms_url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(32400);
    let dashed = world.server.machine_identifier.clone();
    let mut list = vec![serde_json::json!({
        "name": world.server.name,
        "product": "Plex Media Server",
        "productVersion": world.server.version,
        "platform": "Linux",
        "clientIdentifier": world.server.machine_identifier,
        "createdAt": "2021-01-01T12:12:24Z",
        "lastSeenAt": "2026-01-01T13:43:34Z",
        "provides": "server",
        "ownerId": null,
        "sourceTitle": null,
        "publicAddress": "203.0.113.7",
        "accessToken": account.token,
        "owned": true,
        "home": false,
        "synced": false,
        "relay": true,
        "presence": true,
        "httpsRequired": false,
        "connections": [
            {"protocol": "http", "address": "127.0.0.1", "port": port, "uri": world.pms_url,
             "local": true, "relay": false, "IPv6": false},
            {"protocol": "https", "address": "203.0.113.7", "port": 8443,
             "uri": format!("https://203-0-113-7.{dashed}.plex.direct:8443"),
             "local": false, "relay": true, "IPv6": false}
        ]
    })];
    for friend in world
        .friend_ids
        .iter()
        .filter_map(|id| world.account(*id))
        .filter(|a| a.shares_own_server)
    {
        list.push(serde_json::json!({
            "name": format!("{}'s server", friend.username),
            "product": "Plex Media Server",
            "productVersion": world.server.version,
            "clientIdentifier": format!("{:040x}", friend.id),
            "provides": "server",
            "ownerId": friend.id,
            "sourceTitle": friend.username,
            "accessToken": format!("shared-server-token-{}", friend.id),
            "owned": false,
            "presence": true,
            "connections": [
                {"protocol": "https", "address": "198.51.100.9", "port": 32400,
                 "uri": format!("https://198-51-100-9.{:040x}.plex.direct:32400", friend.id),
                 "local": false, "relay": false, "IPv6": false}
            ]
        }));
    }
    match format {
        Format::Json => HttpResponse::Ok().json(list),
        Format::Xml => xml(&format!(
            "<MediaContainer size=\"{}\">{}</MediaContainer>",
            list.len(),
            list.iter()
                .map(|r| crate::render::v2_element("resource", r))
                .collect::<String>()
        )),
    }
}

/// §5.1: friends and Home users of the owner, always XML; the owner is never listed (§8.9).
async fn users_v1(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    match v1_owner_guard(&world, &req, None) {
        Ok(world) => crate::render::xml_with_faults(&world, &render_users(&world)),
        Err(response) => *response,
    }
}

fn render_users(world: &World) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "<MediaContainer friendlyName=\"myPlex\" identifier=\"com.plexapp.plugins.myplex\" \
         machineIdentifier=\"{}\" totalSize=\"{n}\" size=\"{n}\">",
        xml_attr(&world.server.machine_identifier),
        n = if world.faults.empty_user_list {
            0
        } else {
            world.friend_ids.len()
        }
    );
    let listed = if world.faults.empty_user_list {
        &[][..]
    } else {
        &world.friend_ids[..]
    };
    let machine = if world.faults.foreign_shares {
        "0000000000000000000000000000000000000000"
    } else {
        world.server.machine_identifier.as_str()
    };
    for account in listed.iter().filter_map(|id| world.account(*id)) {
        let share = world.share_of(account.id);
        let identity = if account.managed {
            String::new()
        } else {
            format!(
                " username=\"{}\" email=\"{}\"",
                xml_attr(&account.username),
                xml_attr(account.email.as_deref().unwrap_or(""))
            )
        };
        let _ = write!(
            out,
            "<User id=\"{}\" title=\"{}\"{identity} recommendationsPlaylistId=\"\" \
             thumb=\"https://plex.tv/users/{}/avatar\" protected=\"0\" home=\"{}\" \
             allowTuners=\"0\" allowSync=\"{}\" allowCameraUpload=\"0\" allowChannels=\"0\" \
             allowSubtitleAdmin=\"0\" filterAll=\"\" filterMovies=\"{}\" filterMusic=\"\" \
             filterPhotos=\"\" filterTelevision=\"\" restricted=\"{}\">",
            account.id,
            xml_attr(&account.username),
            account.uuid,
            u8::from(account.home),
            u8::from(share.is_some_and(|s| s.settings.allow_sync)),
            if account.managed {
                "contentRating=G"
            } else {
                ""
            },
            u8::from(account.managed),
        );
        if let Some(share) = share {
            let shared = if share.all_libraries {
                world.sections.len()
            } else {
                share.section_ids.len()
            };
            let _ = write!(
                out,
                "<Server id=\"{}\" serverId=\"{}\" machineIdentifier=\"{}\" name=\"{}\" \
                 lastSeenAt=\"{}\" numLibraries=\"{shared}\" allLibraries=\"{}\" owned=\"1\" \
                 pending=\"{}\"/>",
                share.id,
                world.server_id,
                xml_attr(machine),
                xml_attr(&world.server.name),
                share
                    .last_seen_at
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                u8::from(share.all_libraries),
                u8::from(share.pending),
            );
        }
        out.push_str("</User>");
    }
    out.push_str("</MediaContainer>");
    out
}

/// §0.4: unknown v2 routes answer 404 with code 1002.
async fn not_found(req: HttpRequest) -> HttpResponse {
    tv_not_found(v2_format(&req))
}

/// When every simulated account joined plex.tv (epoch seconds, as `/api/v2/user` sends it).
const JOINED_AT: u64 = 1_448_443_623;
/// When Plex Pass accounts subscribed: RFC 3339 in JSON, `YYYY-MM-DD HH:MM:SS UTC` in XML (§0.3).
const SUBSCRIBED_AT: u64 = 1_591_964_931;

/// §2.1: the signed-in account.
async fn user(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let (world, account, format) = match v2_guard(&world, &req) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let home = account.id == world.owner_id;
    match format {
        Format::Json => HttpResponse::Ok().json(serde_json::json!({
            "id": account.id,
            "uuid": account.uuid,
            "username": account.username,
            "title": account.username,
            "email": account.email,
            "thumb": format!("https://plex.tv/users/{}/avatar", account.uuid),
            "authToken": account.token,
            "home": home,
            "homeAdmin": home,
            "restricted": false,
            "confirmed": account.confirmed,
            "roles": if account.plex_pass { vec!["plexpass"] } else { Vec::new() },
            "joinedAt": JOINED_AT,
            "subscription": {
                "active": account.plex_pass,
                "subscribedAt": account.plex_pass.then(|| rfc3339(SUBSCRIBED_AT)),
                "status": if account.plex_pass { "Active" } else { "Inactive" },
                "plan": if account.plex_pass { Some("lifetime") } else { None },
            },
        })),
        Format::Xml => xml(&format!(
            "<user id=\"{}\" uuid=\"{}\" username=\"{}\" title=\"{}\" email=\"{}\" \
             authToken=\"{}\" home=\"{}\" homeAdmin=\"{}\" restricted=\"0\" confirmed=\"{}\" joinedAt=\"{JOINED_AT}\">\
             <subscription active=\"{}\" status=\"{}\"{}/>{}</user>",
            account.id,
            xml_attr(&account.uuid),
            xml_attr(&account.username),
            xml_attr(&account.username),
            xml_attr(account.email.as_deref().unwrap_or("")),
            xml_attr(&account.token),
            u8::from(home),
            u8::from(home),
            u8::from(account.confirmed),
            u8::from(account.plex_pass),
            if account.plex_pass {
                "Active"
            } else {
                "Inactive"
            },
            if account.plex_pass {
                format!(" subscribedAt=\"{}\"", utc_text(SUBSCRIBED_AT))
            } else {
                String::new()
            },
            if account.plex_pass {
                "<roles><role id=\"plexpass\"/></roles>"
            } else {
                ""
            },
        )),
    }
}

/// §2.2: refreshes a token.
async fn ping(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let format = match v2_guard(&world, &req) {
        Ok((_, _, format)) => format,
        Err(response) => return *response,
    };
    match format {
        Format::Json => HttpResponse::Ok().json(serde_json::json!({ "pong": true })),
        Format::Xml => xml("<pong>true</pong>"),
    }
}

/// §1.1: a new PIN, answered with 201.
async fn create_pin(
    req: HttpRequest,
    body: web::Bytes,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let format = v2_format(&req);
    let params = Params::read(&req, Some(&body));
    let Ok(mut world) = world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    if let Some(limited) = rate_limited(&mut world, format) {
        return limited;
    }
    let Some(client) = params.get(&req, "X-Plex-Client-Identifier") else {
        return tv_error(format, 400, 1000, "X-Plex-Client-Identifier is missing");
    };
    let strong = matches!(params.field("strong"), Some("true" | "1"));
    let pin = world.create_pin(&client, strong);
    render_pin(&pin, format, actix_web::http::StatusCode::CREATED)
}

/// §1.3: the PIN, with its token once approved; 404/1020 once expired, unknown, or asked for
/// by another installation (§8.7).
async fn poll_pin(
    req: HttpRequest,
    id: web::Path<String>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let json_suffix = id.ends_with(".json");
    let format = if json_suffix {
        Format::Json
    } else {
        v2_format(&req)
    };
    let params = Params::read(&req, None);
    let Ok(mut world) = world.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    if let Some(limited) = rate_limited(&mut world, format) {
        return limited;
    }
    let gone = || tv_error(format, 404, 1020, "Code not found or expired");
    let Ok(id) = id.trim_end_matches(".json").parse::<u64>() else {
        return gone();
    };
    let client = params.get(&req, "X-Plex-Client-Identifier");
    let now = world.now();
    world.auto_approve(id);
    match world.pins.get(&id) {
        Some(pin)
            if pin.expires_at() > now && client.as_deref() == Some(&pin.client_identifier) =>
        {
            render_pin(pin, format, actix_web::http::StatusCode::OK)
        }
        _ => gone(),
    }
}

fn render_pin(pin: &Pin, format: Format, status: actix_web::http::StatusCode) -> HttpResponse {
    let epoch = |t: std::time::SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    match format {
        Format::Json => HttpResponse::build(status).json(serde_json::json!({
            "id": pin.id,
            "code": pin.code,
            "product": "0",
            "trusted": false,
            "qr": format!("https://plex.tv/api/v2/pins/qr/{}", pin.code),
            "clientIdentifier": pin.client_identifier,
            "expiresIn": pin.expires_in,
            "createdAt": rfc3339(epoch(pin.created_at)),
            "expiresAt": rfc3339(epoch(pin.expires_at())),
            "authToken": pin.auth_token,
            "newRegistration": pin.auth_token.as_ref().map(|_| false),
        })),
        Format::Xml => {
            let token = pin
                .auth_token
                .as_ref()
                .map(|t| format!(" authToken=\"{}\"", xml_attr(t)))
                .unwrap_or_default();
            let mut response = xml(&format!(
                "<pin id=\"{}\" code=\"{}\" product=\"0\" trusted=\"0\" clientIdentifier=\"{}\" \
                 expiresIn=\"{}\" createdAt=\"{}\" expiresAt=\"{}\"{token}/>",
                pin.id,
                xml_attr(&pin.code),
                xml_attr(&pin.client_identifier),
                pin.expires_in,
                rfc3339(epoch(pin.created_at)),
                rfc3339(epoch(pin.expires_at())),
            ));
            *response.status_mut() = status;
            response
        }
    }
}
