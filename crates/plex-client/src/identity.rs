/// Who this client says it is to Plex: the `X-Plex-*` header set (plex-api.md §0.2).
///
/// `client_identifier` must be stable per installation: Plex lists it under the account's
/// authorized devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    /// `X-Plex-Product`: the app name shown to the Plex account owner.
    pub product: String,
    /// `X-Plex-Version`.
    pub version: String,
    /// `X-Plex-Client-Identifier`: stable per installation.
    pub client_identifier: String,
    /// `X-Plex-Device-Name`.
    pub device_name: String,
    /// `X-Plex-Platform`.
    pub platform: String,
}

impl ClientIdentity {
    /// The headers every request carries.
    pub(crate) fn headers(&self) -> [(&'static str, &str); 6] {
        [
            ("X-Plex-Product", &self.product),
            ("X-Plex-Version", &self.version),
            ("X-Plex-Client-Identifier", &self.client_identifier),
            ("X-Plex-Device-Name", &self.device_name),
            ("X-Plex-Device", &self.device_name),
            ("X-Plex-Platform", &self.platform),
        ]
    }
}
