//! The simulated Plex Media Server (plex-api.md §6).

use actix_web::{HttpRequest, HttpResponse, web};

use crate::SharedWorld;
use crate::render::{Format, pms_unauthorized, token, xml, xml_attr};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/identity", web::get().to(identity))
        .route("/", web::get().to(root))
        .default_service(web::to(HttpResponse::NotFound));
}

/// §6.1: no token required.
async fn identity(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let server = match world.lock() {
        Ok(world) => world.server.clone(),
        Err(_) => return HttpResponse::InternalServerError().finish(),
    };
    match Format::of(&req) {
        Format::Json => HttpResponse::Ok().json(serde_json::json!({
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

/// §6.2: the server root needs the owner's token.
async fn root(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let (server, owner) = match world.lock() {
        Ok(world) => match world.owner() {
            Some(owner) => (world.server.clone(), owner.clone()),
            None => return HttpResponse::InternalServerError().finish(),
        },
        Err(_) => return HttpResponse::InternalServerError().finish(),
    };
    if token(&req).as_deref() != Some(owner.token.as_str()) {
        return pms_unauthorized();
    }
    match Format::of(&req) {
        Format::Json => HttpResponse::Ok().json(serde_json::json!({
            "MediaContainer": {
                "size": 0,
                "friendlyName": server.name,
                "machineIdentifier": server.machine_identifier,
                "version": server.version,
                "platform": "Linux",
                "myPlex": true,
                "myPlexUsername": owner.email.clone().unwrap_or_default(),
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
            xml_attr(owner.email.as_deref().unwrap_or_default())
        )),
    }
}
