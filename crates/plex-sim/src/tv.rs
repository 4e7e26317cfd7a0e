//! The simulated plex.tv (and clients.plex.tv: the same routes, plex-api.md §0.1).

use actix_web::{HttpRequest, HttpResponse, web};

use crate::SharedWorld;
use crate::render::{Format, token, tv_error, xml, xml_attr};

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v2/user", web::get().to(user))
        .default_service(web::to(not_found));
}

/// §0.4: unknown v2 routes answer 404 with code 1002.
async fn not_found(req: HttpRequest) -> HttpResponse {
    tv_error(
        Format::of(&req),
        404,
        1002,
        "The requested resource or endpoint could not be found",
    )
}

/// §2.1: the signed-in account.
async fn user(req: HttpRequest, world: web::Data<SharedWorld>) -> HttpResponse {
    let format = Format::of(&req);
    if req.headers().get("X-Plex-Client-Identifier").is_none()
        && !req.query_string().contains("X-Plex-Client-Identifier=")
    {
        return tv_error(format, 400, 1000, "X-Plex-Client-Identifier is missing");
    }
    let owner = match world.lock() {
        Ok(world) => world.owner.clone(),
        Err(_) => return HttpResponse::InternalServerError().finish(),
    };
    if token(&req).as_deref() != Some(owner.token.as_str()) {
        return tv_error(format, 401, 1001, "User could not be authenticated");
    }
    match format {
        Format::Json => HttpResponse::Ok().json(serde_json::json!({
            "id": owner.id,
            "uuid": format!("{:016x}", owner.id),
            "username": owner.username,
            "title": owner.username,
            "email": owner.email,
            "authToken": owner.token,
            "subscription": { "active": true, "status": "Active", "plan": "lifetime" },
        })),
        Format::Xml => xml(&format!(
            "<user id=\"{}\" uuid=\"{:016x}\" username=\"{}\" title=\"{}\" email=\"{}\" \
             authToken=\"{}\"><subscription active=\"1\" status=\"Active\" plan=\"lifetime\"/></user>",
            owner.id,
            owner.id,
            xml_attr(&owner.username),
            xml_attr(&owner.username),
            xml_attr(&owner.email),
            xml_attr(&owner.token)
        )),
    }
}
