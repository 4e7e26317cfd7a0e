//! Scenario files: a world described in JSON, for `plex-sim --scenario FILE`.
//!
//! A scenario starts from a base world (`"demo"`, `"empty"`, or `{"large": N}`) and adds to
//! it: an owner's details, friends with their shares, e-mail invites, and faults switched on
//! from the start. `crates/plex-sim/scenarios/` holds examples.

use std::path::Path;

use serde::Deserialize;

use crate::world::{Account, Faults, World};

/// Why a scenario file could not become a world.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid scenario document.
    #[error("scenario {path} is not valid: {source}")]
    Parse {
        /// The file.
        path: String,
        /// The cause, with line and column.
        source: serde_json::Error,
    },
    /// The document is well-formed but describes an impossible world.
    #[error("scenario is inconsistent: {0}")]
    Inconsistent(String),
}

/// The world a scenario starts from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Base {
    /// The demo world of `pum demo`.
    #[default]
    Demo,
    /// An owner with Plex Pass and 20 libraries; no friends, sessions or history.
    Empty,
    /// An owner and this many friends each sharing two libraries.
    Large(u64),
}

/// A world described in JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Where to start.
    pub base: Base,
    /// Rename the server.
    pub server_name: Option<String>,
    /// Change the owner.
    pub owner: Option<OwnerSpec>,
    /// Friends to add.
    pub friends: Vec<FriendSpec>,
    /// E-mail addresses with no plex.tv account that have a pending invite.
    pub invites: Vec<InviteSpec>,
    /// Faults on from the start.
    pub faults: Faults,
}

/// The owner's details; anything absent keeps the base world's value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OwnerSpec {
    /// plex.tv username.
    pub username: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// The owner's plex.tv token.
    pub token: Option<String>,
    /// Whether the owner has Plex Pass (terminating streams and Home invites need it).
    pub plex_pass: Option<bool>,
}

/// A friend to add.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FriendSpec {
    /// plex.tv username (required, unique).
    pub username: String,
    /// E-mail; `username@demo.invalid` when absent.
    pub email: Option<String>,
    /// In the owner's Plex Home.
    pub home: bool,
    /// A managed Home user.
    pub managed: bool,
    /// Shares a server of their own with the owner.
    pub shares_own_server: bool,
    /// The owner's share with this friend, if any.
    pub share: Option<ShareSpec>,
}

/// A share of the owner's server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShareSpec {
    /// Library titles.
    pub libraries: Vec<String>,
    /// Every library, now and future.
    pub all_libraries: bool,
    /// Not accepted yet.
    pub pending: bool,
    /// Downloads allowed.
    pub allow_sync: bool,
}

/// An invite to an e-mail with no plex.tv account.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InviteSpec {
    /// The invited e-mail.
    pub email: String,
    /// Library titles.
    pub libraries: Vec<String>,
}

impl Scenario {
    /// Reads and builds the scenario in `path`.
    ///
    /// # Errors
    /// When the file cannot be read or parsed, or names unknown libraries or duplicate users.
    pub fn load(path: &Path) -> Result<World, ScenarioError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: shown.clone(),
            source,
        })?;
        let scenario: Self =
            serde_json::from_str(&text).map_err(|source| ScenarioError::Parse {
                path: shown,
                source,
            })?;
        scenario.build()
    }

    /// The world this scenario describes.
    ///
    /// # Errors
    /// When it names unknown libraries or duplicate users.
    pub fn build(self) -> Result<World, ScenarioError> {
        let mut world = match self.base {
            Base::Demo => World::demo(),
            Base::Empty => World::bare(),
            Base::Large(friends) => World::large(friends),
        };
        if let Some(name) = self.server_name {
            world.server.name = name;
        }
        if let Some(spec) = self.owner {
            let owner_id = world.owner_id;
            if let Some(owner) = world.accounts.iter_mut().find(|a| a.id == owner_id) {
                if let Some(username) = spec.username {
                    owner.username = username;
                }
                if spec.email.is_some() {
                    owner.email = spec.email;
                }
                if let Some(token) = spec.token {
                    owner.token = token;
                }
                if let Some(plex_pass) = spec.plex_pass {
                    owner.plex_pass = plex_pass;
                }
            }
        }
        for friend in self.friends {
            add_friend(&mut world, friend)?;
        }
        for invite in self.invites {
            if invite.email.is_empty() {
                return Err(ScenarioError::Inconsistent(
                    "an invite needs an email".to_owned(),
                ));
            }
            let ids = section_ids(&world, &invite.libraries)?;
            world.invite_email(&invite.email, ids, false);
        }
        world.faults = self.faults;
        Ok(world)
    }
}

fn add_friend(world: &mut World, spec: FriendSpec) -> Result<(), ScenarioError> {
    if spec.username.is_empty() {
        return Err(ScenarioError::Inconsistent(
            "a friend needs a username".to_owned(),
        ));
    }
    if world.account_by_email_or_username(&spec.username).is_some() {
        return Err(ScenarioError::Inconsistent(format!(
            "{} is listed twice",
            spec.username
        )));
    }
    let mut account: Account = world.new_account(&spec.username);
    if spec.email.is_some() {
        account.email = spec.email;
    }
    account.home = spec.home || spec.managed;
    account.managed = spec.managed;
    if spec.managed {
        account.email = None;
    }
    account.shares_own_server = spec.shares_own_server;
    let id = account.id;
    world.add_friend(account);
    if let Some(share) = spec.share {
        let ids = section_ids(world, &share.libraries)?;
        if ids.is_empty() && !share.all_libraries {
            return Err(ScenarioError::Inconsistent(format!(
                "the share with {} has no libraries",
                spec.username
            )));
        }
        world.share_with(
            id,
            ids,
            share.all_libraries,
            share.pending,
            share.allow_sync,
        );
    }
    Ok(())
}

/// plex.tv ids of the libraries with these titles.
fn section_ids(world: &World, titles: &[String]) -> Result<Vec<u64>, ScenarioError> {
    titles
        .iter()
        .map(|title| {
            world
                .sections
                .iter()
                .find(|s| s.title == *title)
                .map(|s| s.tv_id)
                .ok_or_else(|| ScenarioError::Inconsistent(format!("no library titled {title}")))
        })
        .collect()
}
