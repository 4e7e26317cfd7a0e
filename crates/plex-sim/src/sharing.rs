//! Sharing the owner's server (plex-api.md §5.2, §5.5–5.7): the section-id discipline of §4 and
//! the §8.10–8.13 behaviours.
#![expect(
    clippy::result_large_err,
    reason = "handlers pass ready-made HttpResponses up; the simulator is not a hot path"
)]

use std::fmt::Write as _;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::SharedWorld;
use crate::render::{Format, tv_error, tv_not_found, xml, xml_attr};
use crate::tv::{v1_error, v1_owner_guard as guard};
use crate::world::{Share, ShareSettings, World};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/servers/{machine}/shared_servers", web::get().to(list))
        .route(
            "/api/servers/{machine}/shared_servers",
            web::post().to(create_v1),
        )
        .route(
            "/api/servers/{machine}/shared_servers/{share}",
            web::get().to(get_one),
        )
        .route(
            "/api/servers/{machine}/shared_servers/{share}",
            web::put().to(update_v1),
        )
        .route(
            "/api/servers/{machine}/shared_servers/{share}",
            web::delete().to(delete_share),
        )
        .route("/api/v2/shared_servers", web::post().to(create_v2))
        .route("/api/v2/sharings/{user}", web::delete().to(remove_friend))
        .route("/api/home/users/{user}", web::delete().to(remove_home_user));
}

fn render_share(world: &World, share: &Share) -> String {
    let account = world.account(share.user_id);
    let username = account.map(|a| a.username.as_str()).unwrap_or_default();
    let email = share
        .invited_email
        .as_deref()
        .or_else(|| account.and_then(|a| a.email.as_deref()))
        .unwrap_or_default();
    let mut out = format!(
        "<SharedServer id=\"{}\" username=\"{}\" email=\"{}\" userID=\"{}\" accessToken=\"{}\" \
         name=\"{}\" acceptedAt=\"{}\" invitedAt=\"{}\" allowSync=\"{}\" allowCameraUpload=\"0\" \
         allowChannels=\"0\" owned=\"0\" filterMovies=\"{}\" filterTelevision=\"{}\" \
         filterMusic=\"{}\">",
        share.id,
        xml_attr(username),
        xml_attr(email),
        share.user_id,
        xml_attr(&share.access_token),
        xml_attr(&world.server.name),
        if share.pending {
            String::new()
        } else {
            (share.invited_at + 3600).to_string()
        },
        share.invited_at,
        u8::from(share.settings.allow_sync),
        xml_attr(&share.settings.filter_movies),
        xml_attr(&share.settings.filter_television),
        xml_attr(&share.settings.filter_music),
    );
    for section in &world.sections {
        let shared = share.all_libraries || share.section_ids.contains(&section.tv_id);
        let _ = write!(
            out,
            "<Section id=\"{}\" key=\"{}\" title=\"{}\" type=\"{}\" shared=\"{}\"/>",
            section.tv_id,
            section.key,
            xml_attr(&section.title),
            xml_attr(&section.kind),
            u8::from(shared)
        );
    }
    out.push_str("</SharedServer>");
    out
}

fn container(world: &World, inner: &str, size: usize) -> HttpResponse {
    xml(&format!(
        "<MediaContainer friendlyName=\"myPlex\" identifier=\"com.plexapp.plugins.myplex\" \
         machineIdentifier=\"{}\" size=\"{size}\">{inner}</MediaContainer>",
        xml_attr(&world.server.machine_identifier)
    ))
}

async fn list(
    req: HttpRequest,
    path: web::Path<String>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let world = match guard(&world, &req, Some(&path)) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    let inner: String = world
        .shares
        .iter()
        .map(|s| render_share(&world, s))
        .collect();
    container(&world, &inner, world.shares.len())
}

async fn get_one(
    req: HttpRequest,
    path: web::Path<(String, u64)>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (machine, share_id) = path.into_inner();
    let world = match guard(&world, &req, Some(&machine)) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    match world.share(share_id) {
        Some(share) => container(&world, &render_share(&world, share), 1),
        None => v1_error(404, "Not Found"),
    }
}

#[derive(Deserialize)]
struct CreateV1 {
    server_id: Option<String>,
    shared_server: SharedServerBody,
    #[serde(default)]
    sharing_settings: SettingsV1,
}

#[derive(Deserialize)]
struct SharedServerBody {
    #[serde(default)]
    library_section_ids: Vec<u64>,
    invited_email: Option<String>,
    invited_id: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SettingsV1 {
    allow_sync: Option<String>,
    allow_channels: Option<String>,
    allow_camera_upload: Option<String>,
    filter_movies: Option<String>,
    filter_television: Option<String>,
    filter_music: Option<String>,
}

/// Validates sections against this server's plex.tv ids (§8.10): PMS keys and foreign ids are
/// a 400, and so is an empty list.
fn check_sections(world: &World, ids: &[u64]) -> Result<(), HttpResponse> {
    if ids.is_empty() {
        return Err(v1_error(400, "library_section_ids must not be empty"));
    }
    if !world.valid_section_ids(ids) {
        return Err(v1_error(400, "Invalid library section ids for this server"));
    }
    Ok(())
}

/// The account id and invited e-mail of a new share; an unknown e-mail becomes an invite whose
/// id is the e-mail (§8.11).
fn invitee(world: &World, body: &SharedServerBody) -> Result<(u64, Option<String>), HttpResponse> {
    if let Some(id) = body.invited_id {
        return world
            .account(id)
            .map(|a| (a.id, None))
            .ok_or_else(|| v1_error(400, "Invalid invited_id"));
    }
    let who = body
        .invited_email
        .as_deref()
        .filter(|w| !w.is_empty())
        .ok_or_else(|| v1_error(400, "invited_email or invited_id is required"))?;
    Ok(match world.account_by_email_or_username(who) {
        Some(account) => (account.id, None),
        None => (0, Some(who.to_owned())),
    })
}

async fn create_v1(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<CreateV1>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    share_delay(&world).await;
    let mut world = match guard(&world, &req, Some(&path)) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    if body
        .server_id
        .as_deref()
        .is_some_and(|id| id != path.as_str())
    {
        return v1_error(400, "server_id does not match the URL");
    }
    if let Err(response) = check_sections(&world, &body.shared_server.library_section_ids) {
        return response;
    }
    let (user_id, invited_email) = match invitee(&world, &body.shared_server) {
        Ok(found) => found,
        Err(response) => return response,
    };
    if let Some(refusal) = world.refusal(user_id) {
        return v1_error(400, &refusal);
    }
    if user_id != 0 && world.share_of(user_id).is_some() {
        let name = world
            .account(user_id)
            .map(|a| a.username.clone())
            .unwrap_or_default();
        return v1_error(
            400,
            &format!(
                "You're already sharing this server with {name}. Please edit your existing share."
            ),
        );
    }
    let v1 = &body.sharing_settings;
    let on = |flag: &Option<String>| flag.as_deref() == Some("1");
    let settings = ShareSettings {
        allow_sync: on(&v1.allow_sync),
        allow_channels: on(&v1.allow_channels),
        allow_camera_upload: on(&v1.allow_camera_upload),
        filter_movies: v1.filter_movies.clone().unwrap_or_default(),
        filter_television: v1.filter_television.clone().unwrap_or_default(),
        filter_music: v1.filter_music.clone().unwrap_or_default(),
        ..ShareSettings::default()
    };
    let id = world.invite(
        user_id,
        invited_email,
        body.shared_server.library_section_ids.clone(),
        settings,
    );
    if world.faults.share_then_fail > 0 {
        world.faults.share_then_fail -= 1;
        return v1_error(500, "Internal Server Error");
    }
    match world.share(id) {
        Some(share) => container(&world, &render_share(&world, share), 1),
        None => HttpResponse::InternalServerError().finish(),
    }
}

/// The `share_delay_ms` fault: waits before a share is created, without holding the world.
async fn share_delay(world: &web::Data<SharedWorld>) {
    let delay = world.lock().map_or(0, |w| w.faults.share_delay_ms);
    if delay > 0 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
}

#[derive(Deserialize)]
struct UpdateV1 {
    server_id: Option<String>,
    shared_server: UpdateSections,
}

#[derive(Deserialize)]
struct UpdateSections {
    library_section_ids: Vec<u64>,
}

/// §5.6 and §8.12–8.13: the share id (never a user id) in the URL; the list replaces the set.
async fn update_v1(
    req: HttpRequest,
    path: web::Path<(String, u64)>,
    body: web::Json<UpdateV1>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (machine, share_id) = path.into_inner();
    let mut world = match guard(&world, &req, Some(&machine)) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    if body.server_id.as_deref().is_some_and(|id| id != machine) {
        return v1_error(400, "server_id does not match the URL");
    }
    if let Err(response) = check_sections(&world, &body.shared_server.library_section_ids) {
        return response;
    }
    if let Some(refusal) = world
        .share(share_id)
        .and_then(|share| world.refusal(share.user_id))
    {
        return v1_error(400, &refusal);
    }
    let Some(share) = world.shares.iter_mut().find(|s| s.id == share_id) else {
        return v1_error(404, "Not Found");
    };
    share
        .section_ids
        .clone_from(&body.shared_server.library_section_ids);
    share.all_libraries = false;
    match world.share(share_id) {
        Some(share) => container(&world, &render_share(&world, share), 1),
        None => HttpResponse::InternalServerError().finish(),
    }
}

async fn delete_share(
    req: HttpRequest,
    path: web::Path<(String, u64)>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let (machine, share_id) = path.into_inner();
    let mut world = match guard(&world, &req, Some(&machine)) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    let before = world.shares.len();
    world.shares.retain(|s| s.id != share_id);
    if world.shares.len() == before {
        return v1_error(404, "Not Found");
    }
    HttpResponse::Ok().finish()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateV2 {
    machine_identifier: String,
    invited_email: Option<String>,
    invited_id: Option<u64>,
    #[serde(default)]
    library_section_ids: Vec<u64>,
    #[serde(default)]
    settings: ShareSettings,
}

/// §5.5 route B: JSON in, 201 with the `SharedServer` JSON out.
async fn create_v2(
    req: HttpRequest,
    body: web::Json<CreateV2>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let mut world = match guard(&world, &req, None) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    if body.machine_identifier != world.server.machine_identifier {
        return tv_not_found(Format::Json);
    }
    if body.library_section_ids.is_empty() || !world.valid_section_ids(&body.library_section_ids) {
        return tv_error(Format::Json, 400, 1000, "Invalid librarySectionIds");
    }
    let request = SharedServerBody {
        library_section_ids: body.library_section_ids.clone(),
        invited_email: body.invited_email.clone(),
        invited_id: body.invited_id,
    };
    let Ok((user_id, invited_email)) = invitee(&world, &request) else {
        return tv_error(Format::Json, 400, 1000, "Invalid invitee");
    };
    if user_id != 0 && world.share_of(user_id).is_some() {
        return tv_error(Format::Json, 400, 1000, "Already sharing with this user");
    }
    let id = world.invite(
        user_id,
        invited_email,
        body.library_section_ids.clone(),
        body.settings.clone(),
    );
    match world.share(id) {
        Some(share) => {
            HttpResponse::Created().json(crate::friends::shared_server_json(&world, share))
        }
        None => HttpResponse::InternalServerError().finish(),
    }
}

/// §5.7: removes the friend and every share.
async fn remove_friend(
    req: HttpRequest,
    user: web::Path<u64>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let mut world = match guard(&world, &req, None) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    if let Some(refusal) = world.refusal(*user) {
        return tv_error(Format::Json, 400, 1000, &refusal);
    }
    let is_home = world.account(*user).is_some_and(|a| a.home);
    if is_home || !world.remove_friend(*user) {
        return tv_not_found(Format::Json);
    }
    HttpResponse::Ok().finish()
}

/// §5.10: removes a Home member (managed or invited).
async fn remove_home_user(
    req: HttpRequest,
    user: web::Path<u64>,
    world: web::Data<SharedWorld>,
) -> HttpResponse {
    let mut world = match guard(&world, &req, None) {
        Ok(world) => world,
        Err(response) => return *response,
    };
    if let Some(refusal) = world.refusal(*user) {
        return v1_error(400, &refusal);
    }
    let owner = world.owner_id;
    let is_member = world
        .account(*user)
        .is_some_and(|a| a.home && a.id != owner);
    if !is_member {
        return v1_error(404, "Not Found");
    }
    world.remove_friend(*user);
    if let Some(account) = world.accounts.iter_mut().find(|a| a.id == *user) {
        account.home = false;
    }
    HttpResponse::Ok().finish()
}
