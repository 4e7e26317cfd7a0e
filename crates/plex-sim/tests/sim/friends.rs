//! v2 friends and shares, the invitee's side of an invite, Plex Home creation (plex-api.md
//! §3.4, §5.3–5.6, §5.9–5.10, §8.13, §8.15, §8.16), read through `plex-client`.

use plex_client::tv::{FriendStatus, ShareSettings};
use plex_client::{MachineIdentifier, PlexAccountId, PlexToken, PlexTvSectionId};
use plex_sim::{Faults, LibrarySectionsFault};

use crate::{MACHINE, client, owner_tv, sim};

fn owner(sim: &plex_sim::RunningSim) -> PlexToken {
    PlexToken::new(sim.owner_token.clone())
}

#[tokio::test]
async fn s8_15_friends_list_shared_servers_only_when_asked() {
    let sim = sim();
    let bare: Vec<serde_json::Value> = client()
        .get(format!("{}/api/v2/friends", sim.plex_tv_url))
        .header("X-Plex-Token", &sim.owner_token)
        .header("X-Plex-Client-Identifier", "t")
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!bare.is_empty());
    assert!(
        bare.iter()
            .all(|f| f["sharedServers"].as_array().unwrap().is_empty()),
        "without includeSharedServers every sharedServers is empty"
    );

    let friends = owner_tv(&sim).friends(&owner(&sim), None).await.unwrap();
    let alice = friends.iter().find(|f| f.id.get() == 2_000_001).unwrap();
    assert_eq!(alice.status, FriendStatus::Accepted);
    let share = &alice.shares[0];
    assert_eq!(share.machine_identifier.as_str(), MACHINE);
    assert!(share.accepted && share.accepted_at.is_some());
    assert!(!share.libraries.is_empty());
    let kid = friends.iter().find(|f| f.id.get() == 2_200_002).unwrap();
    assert!(kid.restricted && kid.home && kid.username.is_none() && kid.email.is_none());
    assert_eq!(kid.friendly_name.as_deref(), Some("kid"));

    let pending = owner_tv(&sim)
        .friends(&owner(&sim), Some(&FriendStatus::PendingSent))
        .await
        .unwrap();
    assert!(!pending.is_empty());
    assert!(
        pending
            .iter()
            .all(|f| f.status == FriendStatus::PendingSent && !f.shares[0].accepted)
    );
    sim.stop().await;
}

#[tokio::test]
async fn s8_13_a_v2_update_replaces_settings_so_missing_flags_reset() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let token = owner(&sim);
    let accepted = tv.accepted_shares(&token).await.unwrap();
    // alice: downloads allowed in the demo world.
    let share = accepted
        .iter()
        .find(|s| s.invited_id.map(PlexAccountId::get) == Some(2_000_001))
        .unwrap();
    assert!(share.settings.allow_sync);
    let ids: Vec<PlexTvSectionId> = share.libraries.iter().map(|l| l.id).collect();

    // A partial settings object, as a careless client sends it: allowSync is reset.
    let response = client()
        .post(format!(
            "{}/api/v2/shared_servers/{}",
            sim.clients_plex_tv_url, share.id
        ))
        .header("X-Plex-Token", &sim.owner_token)
        .header("X-Plex-Client-Identifier", "t")
        .json(&serde_json::json!({
            "settings": {"allowChannels": true},
            "librarySectionIds": ids.iter().map(|i| i.get()).collect::<Vec<_>>(),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let after = sim.control.share(share.id.get()).unwrap();
    assert!(!after.settings.allow_sync, "the missing flag was reset");
    assert!(after.settings.allow_channels);

    // The client always sends the complete object.
    let settings = ShareSettings {
        allow_sync: true,
        filter_movies: "contentRating=G".to_owned(),
        ..share.settings.clone()
    };
    let updated = tv
        .update_share(&token, share.id, &settings, &ids[..1])
        .await
        .unwrap();
    assert_eq!(updated.settings, settings);
    assert_eq!(updated.libraries.len(), 1, "libraries are replaced too");
    sim.stop().await;
}

#[tokio::test]
async fn per_friend_settings_store_the_once_decoded_filter_verbatim() {
    let sim = sim();
    let settings = ShareSettings {
        allow_sync: true,
        filter_movies: "contentRating=G%2CPG".to_owned(),
        ..ShareSettings::default()
    };
    owner_tv(&sim)
        .update_sharing_settings(&owner(&sim), PlexAccountId::new(2_000_002), &settings)
        .await
        .unwrap();
    let share = owner_tv(&sim)
        .accepted_shares(&owner(&sim))
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.invited_id.map(PlexAccountId::get) == Some(2_000_002))
        .unwrap();
    assert!(share.settings.allow_sync);
    assert_eq!(share.settings.filter_movies, "contentRating=G%2CPG");
    let unknown = owner_tv(&sim)
        .update_sharing_settings(&owner(&sim), PlexAccountId::new(9), &settings)
        .await;
    assert!(matches!(unknown, Err(plex_client::Error::NotFound { .. })));
    sim.stop().await;
}

#[tokio::test]
async fn an_email_invite_is_accepted_by_the_account_created_for_it() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let pending = tv.pending_invites(&owner(&sim)).await.unwrap();
    let invite = pending
        .iter()
        .find(|s| s.invited_email.as_deref() == Some("newcomer@example.com"))
        .unwrap();
    assert!(invite.invited_id.is_none() && !invite.accepted);

    // The invitee signs up with that e-mail, sees the invite and accepts it.
    let account = sim
        .control
        .add_account(&plex_sim::NewAccount {
            username: "newcomer".to_owned(),
            email: Some("newcomer@example.com".to_owned()),
            ..plex_sim::NewAccount::default()
        })
        .unwrap();
    let invitee = PlexToken::new(account.token.clone());
    let received = tv.received_invites(&invitee).await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].owner_username.as_deref(), Some("demo-owner"));
    assert_eq!(received[0].shares[0].id, invite.id);
    tv.accept_invite(&invitee, invite.id).await.unwrap();

    assert!(tv.received_invites(&invitee).await.unwrap().is_empty());
    let users = tv.list_users(&owner(&sim)).await.unwrap();
    let user = users.iter().find(|u| u.id.get() == account.id).unwrap();
    let server = user
        .share_of(&MachineIdentifier::new(MACHINE))
        .expect("the accepted share is listed");
    assert!(!server.pending);
    let again = tv.accept_invite(&invitee, invite.id).await;
    assert!(matches!(again, Err(plex_client::Error::NotFound { .. })));
    // Someone else cannot accept another person's invite.
    let stranger = PlexToken::new(sim.control.account(2_000_003).unwrap().token);
    let pending_id = tv.pending_invites(&owner(&sim)).await.unwrap()[0].id;
    assert!(matches!(
        tv.accept_invite(&stranger, pending_id).await,
        Err(plex_client::Error::NotFound { .. })
    ));
    sim.stop().await;
}

#[tokio::test]
async fn s8_16_server_v2_can_report_short_library_lists_with_200() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let machine = MachineIdentifier::new(MACHINE);
    let full = tv.server_document_v2(&owner(&sim), &machine).await.unwrap();
    assert_eq!(full.sections.len(), 20);
    assert_eq!(
        full,
        tv.server_document(&owner(&sim), &machine).await.unwrap(),
        "v1 and v2 describe the same libraries"
    );
    for (fault, expected) in [
        (LibrarySectionsFault::Partial, 10),
        (LibrarySectionsFault::Empty, 0),
    ] {
        sim.control.set_faults(Faults {
            library_sections: Some(fault),
            ..Faults::default()
        });
        let short = tv.server_document_v2(&owner(&sim), &machine).await.unwrap();
        assert_eq!(short.sections.len(), expected, "{fault:?}");
    }
    let pms_sections = crate::pms(&sim, Some(&sim.owner_token))
        .library_sections()
        .await
        .unwrap();
    assert_eq!(
        pms_sections.len(),
        20,
        "the server itself still has them all"
    );
    sim.stop().await;
}

#[tokio::test]
async fn home_users_are_created_managed_or_invited_with_plex_pass() {
    let sim = sim();
    let tv = owner_tv(&sim);
    let id = tv
        .create_managed_user(&owner(&sim), "Grandma")
        .await
        .unwrap();
    let home = tv.home_users(&owner(&sim)).await.unwrap();
    let grandma = home.iter().find(|u| u.id == id).unwrap();
    assert!(grandma.restricted && grandma.email.is_none());
    assert!(home.iter().any(|u| u.admin));

    let invited = tv.invite_home_user(&owner(&sim), "carol").await.unwrap();
    assert_eq!(invited.get(), 2_000_003);
    assert!(
        tv.home_users(&owner(&sim))
            .await
            .unwrap()
            .iter()
            .any(|u| u.id == invited && !u.restricted)
    );
    sim.stop().await;
}

#[tokio::test]
async fn a_home_invite_without_plex_pass_is_refused_with_plex_text() {
    let world: plex_sim::World = plex_sim::Scenario {
        owner: Some(plex_sim::OwnerSpec {
            plex_pass: Some(false),
            ..plex_sim::OwnerSpec::default()
        }),
        ..plex_sim::Scenario::default()
    }
    .build()
    .unwrap();
    let sim = plex_sim::PlexSim::builder().world(world).start().unwrap();
    let refused = owner_tv(&sim).invite_home_user(&owner(&sim), "carol").await;
    match refused {
        Err(plex_client::Error::Rejected { message, .. }) => {
            assert_eq!(message, "Invite a user requires a Plex Pass");
        }
        other => panic!("{other:?}"),
    }
    sim.stop().await;
}
