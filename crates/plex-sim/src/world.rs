use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// A plex.tv account known to the simulator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags, as Plex models them"
)]
pub struct Account {
    /// plex.tv account id.
    pub id: u64,
    /// Stable uuid (16 hex characters).
    pub uuid: String,
    /// plex.tv username.
    pub username: String,
    /// E-mail address; managed Home users have none.
    pub email: Option<String>,
    /// The account's plex.tv token.
    pub token: String,
    /// Whether the account has Plex Pass.
    pub plex_pass: bool,
    /// Whether the account is in the owner's Plex Home.
    pub home: bool,
    /// A managed Home user: restricted, with no username or e-mail of its own.
    pub managed: bool,
    /// Shares a server of their own with the owner (the "shares back" signal, §5.11).
    pub shares_own_server: bool,
    /// The e-mail address is verified; an unverified account cannot accept a share (§5.9).
    pub confirmed: bool,
}

impl Account {
    /// An account with a derived uuid, e-mail and token.
    pub fn new(id: u64, username: &str) -> Self {
        Self {
            id,
            uuid: format!("{id:016x}"),
            username: username.to_owned(),
            email: Some(format!("{username}@demo.invalid")),
            token: format!("token-{username}-{id}"),
            plex_pass: false,
            home: false,
            managed: false,
            shares_own_server: false,
            confirmed: true,
        }
    }
}

/// A library of the simulated server, with both of its ids (plex-api.md §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The PMS-local key (`1`, `2`, …).
    pub key: u32,
    /// plex.tv's global id, the only one sharing endpoints accept.
    pub tv_id: u64,
    /// The title.
    pub title: String,
    /// `movie`, `show`, `artist` or `photo`.
    pub kind: String,
}

/// One share of the owner's server with one user (plex-api.md §5.1–5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The share id (not the user id).
    pub id: u64,
    /// The user's account id.
    pub user_id: u64,
    /// plex.tv ids of the shared sections (ignored when `all_libraries`).
    pub section_ids: Vec<u64>,
    /// Every current and future library.
    pub all_libraries: bool,
    /// Not accepted yet.
    pub pending: bool,
    /// Permissions and restrictions.
    pub settings: ShareSettings,
    /// The user's token for this server.
    pub access_token: String,
    /// Seconds since 1970 of the user's last visit.
    pub last_seen_at: Option<u64>,
    /// For an invite to an e-mail with no plex.tv account: that e-mail (`user_id` is 0).
    pub invited_email: Option<String>,
    /// Seconds since 1970 when the share was created.
    pub invited_at: u64,
}

/// A share's permissions (plex-api.md §5.6, §5.8). Restriction strings are stored once-decoded
/// and echoed verbatim.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags, as Plex models them"
)]
pub struct ShareSettings {
    /// May download (sync).
    pub allow_sync: bool,
    /// May use channels.
    pub allow_channels: bool,
    /// May upload from a camera.
    pub allow_camera_upload: bool,
    /// May manage subtitles.
    pub allow_subtitle_admin: bool,
    /// Live TV: 0 none, 1 Live TV, 2 Live TV and DVR.
    pub allow_tuners: u8,
    /// Movie restriction, e.g. `contentRating=G`.
    pub filter_movies: String,
    /// TV restriction.
    pub filter_television: String,
    /// Music restriction.
    pub filter_music: String,
    /// Photo restriction; `null` when never set.
    pub filter_photos: Option<String>,
    /// Restriction over everything; `null` when never set.
    pub filter_all: Option<String>,
}

/// The simulated Plex Media Server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `friendlyName`.
    pub name: String,
    /// `machineIdentifier` (40 hex characters).
    pub machine_identifier: String,
    /// PMS version string.
    pub version: String,
}

/// A sign-in PIN (plex-api.md §1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The PIN id.
    pub id: u64,
    /// The code shown to the user.
    pub code: String,
    /// The `X-Plex-Client-Identifier` that created it; only it may poll.
    pub client_identifier: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// When it was created (simulator time).
    pub created_at: SystemTime,
    /// The approving account's token, once approved.
    pub auth_token: Option<String>,
    /// Someone chooses the account on the sign-in page: never approved automatically.
    pub manual: bool,
}

impl Pin {
    /// When the PIN stops being valid.
    pub fn expires_at(&self) -> SystemTime {
        self.created_at + Duration::from_secs(self.expires_in)
    }
}

/// Misbehaviours the simulator can be told to show (plex-api.md §8).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
#[expect(clippy::struct_excessive_bools, reason = "independent switches")]
pub struct Faults {
    /// Answer plex.tv requests with 429/1003 once this many have been served.
    pub rate_limit_after: Option<u32>,
    /// Answer an unknown token with the older 422 "Invalid token" instead of 401/1001.
    pub legacy_422: bool,
    /// Make `/api/v2/servers/{machineIdentifier}` list too few libraries, with 200 (§8.16).
    pub library_sections: Option<LibrarySectionsFault>,
    /// Answer this many of the next requests (any host) with a bare 503.
    pub server_errors: u32,
    /// Delay every answer by this many milliseconds.
    pub slow_ms: u64,
    /// Put a `\x0b` control character into PMS XML titles (§8.22).
    pub control_characters: bool,
    /// Treat every token as revoked (401, or 422 with `legacy_422`), as after a password reset.
    pub revoked_tokens: bool,
    /// Answer `/api/users` with 200 and nobody in it (Wizarr #1356).
    pub empty_user_list: bool,
    /// List every share in `/api/users` under another server's machine identifier, so a client
    /// filtering by its own server finds nobody.
    pub foreign_shares: bool,
    /// Refuse share, settings and removal changes for these account ids with a 400 and a
    /// message, as Plex does for an account it will not change.
    pub refuse_changes_for: Vec<u64>,
    /// Delay every share creation by this many milliseconds (widens race windows).
    pub share_delay_ms: u64,
    /// Create this many of the next shares, then answer 500 anyway (a partial failure).
    pub share_then_fail: u32,
}

/// How `/api/v2/servers/{machineIdentifier}` misreports libraries (§3.4, §8.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LibrarySectionsFault {
    /// No libraries at all.
    Empty,
    /// Only the first half of them.
    Partial,
}

/// Everything the simulator knows.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    /// The server owner's account id (an entry of `accounts`).
    pub owner_id: u64,
    /// Every plex.tv account, the owner included.
    pub accounts: Vec<Account>,
    /// The server.
    pub server: Server,
    /// Where the simulated PMS listens; set when the simulator starts.
    pub pms_url: String,
    /// plex.tv's internal numeric id of the server (`serverId`), not its machine identifier.
    pub server_id: u64,
    /// The server's libraries.
    pub sections: Vec<Section>,
    /// Ids of the accounts on the owner's friends list (Home users included).
    pub friend_ids: Vec<u64>,
    /// Shares of the owner's server.
    pub shares: Vec<Share>,
    /// What is playing now.
    pub sessions: Vec<crate::sessions::LiveSession>,
    /// Watch history, any order.
    pub history: Vec<crate::sessions::HistoryEntry>,
    /// Terminated sessions: (`Session@id`, reason shown to the viewer).
    pub terminated: Vec<(String, String)>,
    /// Sign-in PINs by id.
    pub pins: HashMap<u64, Pin>,
    /// Switched-on misbehaviours.
    pub faults: Faults,
    /// plex.tv requests served, for `rate_limit_after`.
    pub tv_requests: u32,
    /// How far simulator time runs ahead of the wall clock.
    pub clock_offset: Duration,
    /// For the demo: a PIN nobody approved is approved as the owner once it is this old, as if
    /// the owner signed in on the hosted page.
    pub auto_approve_pins: Option<Duration>,
    next_pin_id: u64,
    next_share_id: u64,
}

impl World {
    /// The demo world `pum demo` runs against: an owner with Plex Pass, 20 libraries (5 of
    /// each type), about 25 friends with varied shares (pending, all libraries, download
    /// allowed or not), a friend who only shares their own server with the owner, a Home member
    /// and a managed Home user.
    pub fn demo() -> Self {
        const FRIENDS: [&str; 24] = [
            "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
            "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "uma", "victor",
            "wendy", "xavier", "yara", "zoe", "quentin",
        ];
        let mut world = Self::empty("Demo Media Server", 20);
        let mut owner = Account::new(1_000_001, "demo-owner");
        "demo-owner-token-8f3k2m".clone_into(&mut owner.token);
        owner.email = Some("owner@demo.invalid".to_owned());
        owner.plex_pass = true;
        owner.home = true;
        world.owner_id = owner.id;
        world.accounts.push(owner);

        let section_ids: Vec<u64> = world.sections.iter().map(|s| s.tv_id).collect();
        for (i, (name, id)) in FRIENDS.iter().zip(2_000_001u64..).enumerate() {
            world.add_friend(Account::new(id, name));
            // A deterministic spread: 2 to 6 libraries, every 7th pending, every 5th with all
            // libraries, every 3rd allowed to download, most seen within 90 days.
            let count = 2 + i % 5;
            let start = (i * 3) % section_ids.len();
            let sections = (0..count)
                .map(|k| section_ids[(start + k * 4) % section_ids.len()])
                .collect();
            let pending = i % 7 == 6;
            world.share_with(id, sections, i % 5 == 4, pending, i % 3 == 0);
        }
        // Alice also shares her own server with the owner.
        if let Some(alice) = world.accounts.iter_mut().find(|a| a.id == 2_000_001) {
            alice.shares_own_server = true;
        }
        // Only shares their own server with the owner; the owner shares nothing back.
        let mut sharesback = Account::new(2_100_001, "sharesback");
        sharesback.shares_own_server = true;
        world.add_friend(sharesback);
        // An invite to an e-mail with no plex.tv account yet (§5.9): its id is the e-mail.
        let first = world.sections[0].tv_id;
        world.invite_email("newcomer@example.com", vec![first], false);
        let mut partner = Account::new(2_200_001, "partner");
        partner.home = true;
        world.add_friend(partner);
        world.share_with(2_200_001, Vec::new(), true, false, true);
        let mut kid = Account::new(2_200_002, "kid");
        kid.home = true;
        kid.managed = true;
        kid.email = None;
        world.add_friend(kid);
        world.share_with(2_200_002, Vec::new(), true, false, false);
        world.sessions = crate::sessions::demo();
        let viewers: Vec<u64> = (2_000_001..2_000_011).collect();
        world.history = crate::sessions::demo_history(1_764_000_000, &viewers);
        world
    }

    /// An owner with Plex Pass and 20 libraries; no friends, sessions or history.
    pub fn bare() -> Self {
        let mut world = Self::empty("Plex Media Server", 20);
        let mut owner = Account::new(1_000_001, "owner");
        owner.plex_pass = true;
        owner.home = true;
        world.owner_id = owner.id;
        world.accounts.push(owner);
        world
    }

    /// A world with an owner, `friends` friends each sharing two libraries, and 20 libraries;
    /// for benchmarks (10,000 friends is the target size).
    pub fn large(friends: u64) -> Self {
        let mut world = Self::empty("Large Media Server", 20);
        let mut owner = Account::new(1_000_001, "large-owner");
        owner.plex_pass = true;
        world.owner_id = owner.id;
        world.accounts.push(owner);
        let first = world.sections[0].tv_id;
        let second = world.sections[1].tv_id;
        for id in 3_000_001..3_000_001 + friends {
            world.add_friend(Account::new(id, &format!("user{id}")));
            world.share_with(id, vec![first, second], false, false, false);
        }
        world
    }

    fn empty(name: &str, section_count: u32) -> Self {
        const KINDS: [(&str, &str); 4] = [
            ("movie", "Movies"),
            ("show", "TV Shows"),
            ("artist", "Music"),
            ("photo", "Photos"),
        ];
        let sections = (1..=section_count)
            .map(|key| {
                let (kind, title) = KINDS[usize::try_from((key - 1) % 4).unwrap_or(0)];
                let n = (key - 1) / 4 + 1;
                Section {
                    key,
                    tv_id: 118_181_360 + u64::from(key),
                    title: if n == 1 {
                        title.to_owned()
                    } else {
                        format!("{title} {n}")
                    },
                    kind: kind.to_owned(),
                }
            })
            .collect();
        Self {
            owner_id: 0,
            accounts: Vec::new(),
            server: Server {
                name: name.to_owned(),
                machine_identifier: "5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c".to_owned(),
                version: "1.41.3.9314-a0bfb8370".to_owned(),
            },
            pms_url: String::new(),
            server_id: 8_035_121,
            sections,
            friend_ids: Vec::new(),
            shares: Vec::new(),
            sessions: Vec::new(),
            history: Vec::new(),
            terminated: Vec::new(),
            pins: HashMap::new(),
            faults: Faults::default(),
            tv_requests: 0,
            clock_offset: Duration::ZERO,
            auto_approve_pins: None,
            next_pin_id: 100_000_001,
            next_share_id: 907_759_180,
        }
    }

    /// The 400 Plex answers when the `refuse_changes_for` fault covers `user_id`.
    pub fn refusal(&self, user_id: u64) -> Option<String> {
        self.faults
            .refuse_changes_for
            .contains(&user_id)
            .then(|| format!("Plex refused to change the share of account {user_id}"))
    }

    /// Adds `account` to the owner's friends.
    pub fn add_friend(&mut self, account: Account) {
        self.friend_ids.push(account.id);
        self.accounts.push(account);
    }

    /// Shares the server with `user_id`; returns the share id.
    pub fn share_with(
        &mut self,
        user_id: u64,
        section_ids: Vec<u64>,
        all_libraries: bool,
        pending: bool,
        allow_sync: bool,
    ) -> u64 {
        let id = self.next_share_id;
        self.next_share_id += 1;
        self.shares.push(Share {
            id,
            user_id,
            section_ids,
            all_libraries,
            pending,
            settings: ShareSettings {
                allow_sync,
                ..ShareSettings::default()
            },
            access_token: format!("server-token-{user_id}-{id}"),
            last_seen_at: (!pending).then(|| 1_700_000_000 + (user_id % 90) * 86_400),
            invited_email: None,
            invited_at: 1_690_000_000,
        });
        id
    }

    /// Creates a pending share with `settings` for `user_id`, or for `invited_email` when the
    /// invitee has no account (`user_id` 0); an account joins the owner's friends. Returns the
    /// share id.
    pub fn invite(
        &mut self,
        user_id: u64,
        invited_email: Option<String>,
        section_ids: Vec<u64>,
        settings: ShareSettings,
    ) -> u64 {
        let id = self.share_with(user_id, section_ids, false, true, settings.allow_sync);
        if user_id != 0 && !self.friend_ids.contains(&user_id) {
            self.friend_ids.push(user_id);
        }
        if let Some(share) = self.shares.iter_mut().find(|s| s.id == id) {
            share.invited_email = invited_email;
            share.settings = settings;
        }
        id
    }

    /// Invites an e-mail with no account: a pending share with no user and no server token
    /// (§8.11). Returns its id.
    pub fn invite_email(&mut self, email: &str, section_ids: Vec<u64>, allow_sync: bool) -> u64 {
        let settings = ShareSettings {
            allow_sync,
            ..ShareSettings::default()
        };
        let id = self.invite(0, Some(email.to_owned()), section_ids, settings);
        if let Some(share) = self.shares.iter_mut().find(|s| s.id == id) {
            share.access_token.clear();
        }
        id
    }

    /// Simulator time in seconds since 1970.
    pub fn now_secs(&self) -> u64 {
        self.now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }

    /// A new account with the next free id in the 5,000,000 range.
    pub fn new_account(&mut self, username: &str) -> Account {
        let id = self
            .accounts
            .iter()
            .map(|a| a.id)
            .filter(|id| *id >= 5_000_001)
            .max()
            .map_or(5_000_001, |id| id + 1);
        Account::new(id, username)
    }

    /// Deletes an account from plex.tv altogether: friendships, shares and Home membership
    /// go with it. The owner cannot be removed.
    pub fn remove_account(&mut self, id: u64) -> bool {
        if id == self.owner_id {
            return false;
        }
        self.remove_friend(id);
        let before = self.accounts.len();
        self.accounts.retain(|a| a.id != id);
        before != self.accounts.len()
    }

    /// The share with id `share_id`.
    pub fn share(&self, share_id: u64) -> Option<&Share> {
        self.shares.iter().find(|s| s.id == share_id)
    }

    /// The account an `invited_email` names: by e-mail or username, as plex.tv accepts both.
    pub fn account_by_email_or_username(&self, who: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| {
            a.username.eq_ignore_ascii_case(who)
                || a.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(who))
        })
    }

    /// Whether every id is a plex.tv section id of this server (§4, §8.10).
    pub fn valid_section_ids(&self, ids: &[u64]) -> bool {
        ids.iter()
            .all(|id| self.sections.iter().any(|s| s.tv_id == *id))
    }

    /// Deletes the library with PMS key `key` and creates it again, as an admin would: it gets
    /// a new key and a new plex.tv id, and shares lose it (§4 rule 5).
    pub fn delete_and_recreate_library(&mut self, key: u32) -> Option<Section> {
        let index = self.sections.iter().position(|s| s.key == key)?;
        let old = self.sections.remove(index);
        for share in &mut self.shares {
            share.section_ids.retain(|id| *id != old.tv_id);
        }
        let next_key = self.sections.iter().map(|s| s.key).max().unwrap_or(0) + 1;
        let next_id = self.sections.iter().map(|s| s.tv_id).max().unwrap_or(0) + 1;
        let recreated = Section {
            key: next_key,
            tv_id: next_id,
            ..old
        };
        self.sections.push(recreated.clone());
        Some(recreated)
    }

    /// Removes a friend and their shares.
    pub fn remove_friend(&mut self, user_id: u64) -> bool {
        let before = self.friend_ids.len();
        self.friend_ids.retain(|id| *id != user_id);
        self.shares.retain(|s| s.user_id != user_id);
        before != self.friend_ids.len()
    }

    /// The share of the owner's server with `user_id`, if any.
    pub fn share_of(&self, user_id: u64) -> Option<&Share> {
        self.shares.iter().find(|s| s.user_id == user_id)
    }

    /// The owner's account.
    pub fn owner(&self) -> Option<&Account> {
        self.account(self.owner_id)
    }

    /// The account with this id.
    pub fn account(&self, id: u64) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The account this token belongs to.
    pub fn account_by_token(&self, token: &str) -> Option<&Account> {
        if self.faults.revoked_tokens {
            return None;
        }
        self.accounts.iter().find(|a| a.token == token)
    }

    /// Simulator time: the wall clock plus any advance.
    pub fn now(&self) -> SystemTime {
        SystemTime::now() + self.clock_offset
    }

    /// Approves `pin_id` as the owner if automatic approval is on and the PIN is old enough.
    pub fn auto_approve(&mut self, pin_id: u64) {
        let Some(delay) = self.auto_approve_pins else {
            return;
        };
        let now = self.now();
        let token = self.owner().map(|o| o.token.clone());
        if let Some(pin) = self.pins.get_mut(&pin_id)
            && pin.auth_token.is_none()
            && !pin.manual
            && now >= pin.created_at + delay
        {
            pin.auth_token = token;
        }
    }

    /// Creates a PIN for `client_identifier`.
    pub fn create_pin(&mut self, client_identifier: &str, strong: bool) -> Pin {
        let id = self.next_pin_id;
        self.next_pin_id += 1;
        let code = pin_code(id, strong);
        let pin = Pin {
            id,
            code,
            client_identifier: client_identifier.to_owned(),
            expires_in: if strong { 1800 } else { 900 },
            created_at: self.now(),
            auth_token: None,
            manual: false,
        };
        self.pins.insert(id, pin.clone());
        pin
    }
}

/// A deterministic code: 25 lowercase alphanumerics for strong PINs, 4 uppercase otherwise.
fn pin_code(id: u64, strong: bool) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let len = if strong { 25 } else { 4 };
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let index = usize::try_from(state % ALPHABET.len() as u64).unwrap_or(0);
            let c = char::from(ALPHABET[index]);
            if strong { c } else { c.to_ascii_uppercase() }
        })
        .collect()
}
