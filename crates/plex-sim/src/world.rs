use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// A plex.tv account known to the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        }
    }
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
pub struct Faults {
    /// Answer plex.tv requests with 429/1003 once this many have been served.
    pub rate_limit_after: Option<u32>,
    /// Answer an unknown token with the older 422 "Invalid token" instead of 401/1001.
    pub legacy_422: bool,
}

/// Everything the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct World {
    /// The server owner's account id (an entry of `accounts`).
    pub owner_id: u64,
    /// Every plex.tv account, the owner included.
    pub accounts: Vec<Account>,
    /// The server.
    pub server: Server,
    /// Sign-in PINs by id.
    pub pins: HashMap<u64, Pin>,
    /// Switched-on misbehaviours.
    pub faults: Faults,
    /// plex.tv requests served, for `rate_limit_after`.
    pub tv_requests: u32,
    /// How far simulator time runs ahead of the wall clock.
    pub clock_offset: Duration,
    next_pin_id: u64,
}

impl World {
    /// The demo world `pum demo` runs against.
    pub fn demo() -> Self {
        let mut owner = Account::new(1_000_001, "demo-owner");
        "demo-owner-token-8f3k2m".clone_into(&mut owner.token);
        owner.email = Some("owner@demo.invalid".to_owned());
        owner.plex_pass = true;
        let friends = [
            "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
        ]
        .iter()
        .zip(2_000_001u64..)
        .map(|(name, id)| Account::new(id, name));
        let mut accounts = vec![owner];
        accounts.extend(friends);
        Self {
            owner_id: 1_000_001,
            accounts,
            server: Server {
                name: "Demo Media Server".to_owned(),
                machine_identifier: "5d2b7c9e1f3a4b6c8d0e2f4a6b8c0d1e3f5a7b9c".to_owned(),
                version: "1.41.3.9314-a0bfb8370".to_owned(),
            },
            pins: HashMap::new(),
            faults: Faults::default(),
            tv_requests: 0,
            clock_offset: Duration::ZERO,
            next_pin_id: 100_000_001,
        }
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
        self.accounts.iter().find(|a| a.token == token)
    }

    /// Simulator time: the wall clock plus any advance.
    pub fn now(&self) -> SystemTime {
        SystemTime::now() + self.clock_offset
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
